// Strides in their causal form: the events of StreamingEventDetector go in as they are emitted, a stride comes out
// as soon as its next IC is known. The stride itself is made by StrideBuilder (the offline code) on the small span
// of its own events and samples; the "far from the median" check uses the median of the last few valid strides
// instead of the session's. Memory: a window of the last few seconds of samples.
#pragma once

#include <cstddef>
#include <deque>
#include <span>
#include <vector>

#include "analysis/saturation.hpp"
#include "analysis/stride_builder.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"

namespace stride {

class StreamingStrideBuilder {
 public:
  struct Settings {
    double keep_s = 6.0;          // samples kept behind the newest (longer than a stride and the detector's delay)
    std::size_t median_of = 9;    // valid strides in the running median (at least 3 are needed for the check)
  };

  StreamingStrideBuilder(const StrideBuilder::Settings& strides, Side foot, const Saturation& saturation,
                         double rate_hz);
  StreamingStrideBuilder(const StrideBuilder::Settings& strides, Side foot, const Saturation& saturation,
                         double rate_hz, const Settings& live);

  // Every sample, in order (for the peak impact after IC).
  void push_sample(const ImuSample& sample);
  // One event as the detector emitted it; appends the stride it completes (at an IC) to out. gaps: the stream's
  // gaps so far (in time order).
  void push_event(const GaitEvent& event, std::span<const Gap> gaps, std::vector<Stride>& out);

  std::size_t samples_held() const { return samples_.size(); }

 private:
  StrideBuilder builder_;
  Settings live_;
  Side foot_;
  Saturation saturation_;
  std::size_t keep_;
  std::vector<GaitEvent> events_;      // the latest IC and what followed it
  std::vector<ImuSample> samples_;     // the newest keep_ .. 2 keep_ samples
  std::deque<double> recent_;          // stride times of the last valid strides
  std::vector<double> scratch_;
};

}  // namespace stride
