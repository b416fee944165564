// Turns IC/TC events into strides with their temporal metrics; a stride that does not make sense is kept,
// marked invalid, with the reason (words in Stride::invalid_reason, codes in Stride::invalid_codes).
// These are the temporal rules; the spatial limits (length, speed, clearance, turning, neighbours) are
// analysis/plausibility.hpp, applied once the trajectory is known. docs/plausibility.md lists every rule.
#pragma once

#include <span>
#include <vector>

#include "analysis/saturation.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"

namespace stride {

// The longest stretch of `samples` in which the foot stands still (StrideBuilder's rest test); {0, 0} if none.
struct Rest {
  double start_s = 0, end_s = 0;
  double duration_s() const { return end_s - start_s; }
};
Rest longest_rest(std::span<const ImuSample> samples, double window_s, double gyr_sd_rad_s, double acc_sd_mps2);

class StrideBuilder {
 public:
  struct Settings {
    double min_stride_s = 0.4;          // shorter: a missed or spurious event (0.4 s = 300 steps/min, beyond the
                                        // fastest sprint cadences of ~280 steps/min)
    double max_stride_s = 2.5;          // longer: a stop or a missed stride (the detector's max_cycle_s; the slowest
                                        // walking, ~0.3 m/s, strides at about 2 s)
    double min_duty = 0.12;             // contact share of the stride outside [min_duty, max_duty] is implausible
    double max_duty = 0.85;             // (sprinting ~0.2, walking ~0.6, very slow walking ~0.7)
    double max_deviation = 0.35;        // stride time this far from the session median: a turn, stop or missed event
    // A rest is never inside a stride: the foot still for longer than max_rest_s between an IC and the next one is
    // a stop, and that interval is no stride (the stride before it ended at the rest's IC; the next one starts at
    // the IC after it). Still = over rest_window_s, every gyro axis varies by at most rest_gyr_sd_rad_s (SD) and
    // |a| by at most rest_acc_sd_mps2 (bias-free: no calibration needed). Only strides longer than max_rest_s are
    // searched.
    double max_rest_s = 1.5;            // the flat foot of the slowest walking (stance ~1.2 s at 0.5 m/s, flat for
                                        // ~60 % of it) stays well below this; standing still lasts longer
    double rest_window_s = 0.25;
    double rest_gyr_sd_rad_s = 0.05;    // a standing foot: sensor noise (0.005-0.01 rad/s) and sway; a walking
                                        // flat foot rolls at 0.05-0.1 rad/s and varies by more within 0.25 s
    double rest_acc_sd_mps2 = 0.2;      // as the mounting calibration's rest test
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
