// Putting samples on a clock of our choosing: how regular a recording's clock is, linear interpolation between two
// samples, and resampling onto a uniform grid. Phone apps stamp samples when the operating system delivers them
// (jitter of a few ms, batches); the filters downstream assume one fixed interval, so such clocks are resampled first.
#pragma once

#include <cstddef>
#include <vector>

#include "stride/imu_sample.hpp"

namespace stride {

// A step more than this far from the median interval (as a share of it) is off-beat.
inline constexpr double kOffBeatTolerance = 0.2;
// A clock with more than this share of off-beat steps is irregular (a board's crystal clock has none: its steps
// differ by parts per million; a phone's often have 10-50 %).
inline constexpr double kIrregularShare = 0.02;
// On an irregular clock a step is a gap (samples lost) only beyond this many median intervals: a late delivery
// followed by an early one is jitter, not loss.
inline constexpr double kIrregularGapFactor = 3.0;
// On a regular clock, as find_gaps has always done.
inline constexpr double kRegularGapFactor = 1.5;

struct ClockRegularity {
  double median_interval_s = 0.0;  // 0 when fewer than two distinct stamps
  std::size_t steps = 0;           // positive steps below kIrregularGapFactor median intervals (gaps excluded)
  std::size_t off_beat = 0;        // of those, more than kOffBeatTolerance from the median
  double max_step_s = 0.0;         // the longest of those steps
  double mean_interval_s = 0.0;    // their mean: a jittered clock's true interval (its median is off by the
                                   // jitter's skew and by the rounding of stamps)
  double off_beat_share() const { return steps ? static_cast<double>(off_beat) / static_cast<double>(steps) : 0.0; }
  bool irregular() const { return off_beat_share() > kIrregularShare; }
  // The factor a gap must exceed on this clock (kIrregularGapFactor or kRegularGapFactor).
  double gap_factor() const { return irregular() ? kIrregularGapFactor : kRegularGapFactor; }
};

ClockRegularity clock_regularity(const std::vector<ImuSample>& samples);

// The sample at time t on the straight line from a to b (a.t_s <= t <= b.t_s, a.t_s < b.t_s); clip bits of both.
ImuSample interpolate(const ImuSample& a, const ImuSample& b, double t);

// Linear interpolation onto t0 + k * interval_s for each stretch between gaps (steps longer than gap_s are not
// bridged: the grid starts again at the first sample after the gap). Memory: the output only.
std::vector<ImuSample> resample_uniform(const std::vector<ImuSample>& samples, double interval_s, double gap_s);

}  // namespace stride
