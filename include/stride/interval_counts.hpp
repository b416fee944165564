// The positive time steps of a recording read block by block (samples in order), counted by value, so that the
// median equals median_interval_s over the whole sample vector (stride/recording.hpp) without holding the samples.
// Memory: one entry per distinct step (a crystal clock has a handful); past `max_distinct` it stops counting and
// says full().
#pragma once

#include <cstddef>
#include <map>

namespace stride {

class IntervalCounts {
 public:
  explicit IntervalCounts(std::size_t max_distinct = std::size_t{1} << 16) : max_distinct_(max_distinct) {}
  void add(double t_s) {
    const double dt = t_s - last_t_;
    const bool first = first_;
    first_ = false;
    last_t_ = t_s;
    if (first || !(dt > 0.0) || full_) return;
    ++counts_[dt];
    ++steps_;
    full_ = counts_.size() > max_distinct_;
  }
  bool full() const { return full_; }
  std::size_t steps() const { return steps_; }
  // median_interval_s's value (the (steps / 2)-th smallest step, as its nth_element takes it); 0 without steps.
  double median_s() const {
    std::size_t left = steps_ / 2;
    for (const auto& [dt, count] : counts_) {
      if (left < count) return dt;
      left -= count;
    }
    return 0.0;
  }
  const std::map<double, std::size_t>& counts() const { return counts_; }

 private:
  std::map<double, std::size_t> counts_;
  std::size_t max_distinct_, steps_ = 0;
  bool first_ = true, full_ = false;
  double last_t_ = 0.0;
};

}  // namespace stride
