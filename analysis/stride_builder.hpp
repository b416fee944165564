// Turns IC/TC events into strides with their temporal metrics; a stride that does not make sense is kept,
// marked invalid, with the reason.
#pragma once

#include <span>
#include <vector>

#include "analysis/saturation.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"

namespace stride {

class StrideBuilder {
 public:
  struct Settings {
    double min_stride_s = 0.4;          // shorter: a missed or spurious event
    double max_stride_s = 2.5;          // longer: a stop or a missed stride
    double min_duty = 0.12;             // contact share of the stride outside [min_duty, max_duty] is implausible
    double max_duty = 0.85;
    double max_deviation = 0.35;        // stride time this far from the session median: a turn, stop or missed event
    double impact_window_s = 0.06;      // the peak impact is searched this long after IC
    double max_gap_s = 0.05;            // a stride with a longer hole in its samples is invalid (shorter ones are
                                        // clock jitter of wireless boards and do not move the events)
  };

  StrideBuilder();
  explicit StrideBuilder(const Settings& settings);

  std::vector<Stride> build(std::span<const GaitEvent> events, std::span<const ImuSample> samples,
                            std::span<const Gap> gaps, Side foot, const Saturation& saturation) const;
  // Marks a valid stride invalid when its stride time is more than max_deviation from `median` (a turn, a stop or
  // a missed event). build() does this with the session's median; the live builder with a running one.
  void check_against_median(Stride& stride, double median) const;
  const Settings& settings() const { return s_; }

 private:
  Settings s_;
};

}  // namespace stride
