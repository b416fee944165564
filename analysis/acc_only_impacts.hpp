// Accelerometer-only events for a sensor that is never still during stance: on the shin or the ankle (where many
// research loggers and activity trackers are strapped) the shank rotates over the foot through the whole contact,
// so the foot's quiet-stance test (AccOnlyDetector) finds no stance. What such a sensor does show clearly is the
// impact, once per stride of its own leg. docs/accelerometer-only.md
#pragma once

#include <span>

#include "analysis/event_detection.hpp"
#include "analysis/mounting_calibration.hpp"
#include "stride/imu_sample.hpp"

namespace stride {

// Cycles are anchored on the impacts:
// 1. The stride period, per block of the recording: the autocorrelation of the |a| envelope (20 ms bins) peaks at
//    one stride (the two legs differ at a sensor on one of them, so half a stride correlates less). A block whose
//    best correlation is weak has no gait (standing, fiddling with the sensor): no event is placed in it.
// 2. IC candidates are the sample-to-sample jumps of the specific-force vector, the same feature as every other
//    IC in stride; the largest jump within +-separation_share of a period wins, and jumps far below the median
//    impact are no contact. The IC is placed inside the sample interval of the first jump of at least half the
//    winner's size just before it (the impact's onset, as on the foot).
// 3. TC: the end of the push-off, as on the foot: the deepest |a| valley (below both the highest |a| before it and
//    after it) between the impact's ringing and the swing's first surge (|a| reaching tc_surge_share of the
//    cycle's largest), at most tc_max_share of the cycle: the swing's own peaks have deeper valleys between them.
class ImpactAnchoredDetector final : public EventDetector {
 public:
  struct Settings {
    double block_s = 20.0;           // the stride period is estimated per block of this length
    double bin_s = 0.02;             // envelope bin for the period estimate
    double min_cycle_s = 0.4;        // shortest stride (as the other detectors)
    double max_cycle_s = 2.0;        // longest stride whose period is looked for
    double min_periodicity = 0.3;    // autocorrelation at the best lag below this: no gait in the block
    double near_best_share = 0.85;   // the shortest lag within this share of the best one is the period (not 2x)
    double separation_share = 0.6;   // an IC is the largest jump within this share of a period either side
    double min_impact_share = 0.3;   // a winner below this share of the median impact is no contact
    double ic_first_jump_share = 0.5;
    double ic_lookback_s = 0.08;     // the onset is searched this far before the largest jump (a forefoot slap
                                     // after the heel strike can be the larger jump)
    double tc_skip_s = 0.06;         // the impact's ringing after IC holds no toe-off
    double tc_max_share = 0.7;       // TC lies before this share of the cycle (walking contacts reach ~0.65)
    double tc_surge_share = 0.7;     // ... and before |a| first reaches this share of the cycle's largest |a|
                                     // after the impact (the swing's first surge)
    double tc_min_depth_mps2 = 1.0;  // a TC valley lies at least this far below the |a| on both sides
    EventUncertaintySettings uncertainty;  // each event's sd_ms (the pipeline passes the gyro path's)
    bool shin = false;               // a shin's TC states shin_tc_sd_ms (its push-off is the shank's, not the foot's)
  };

  ImpactAnchoredDetector();
  explicit ImpactAnchoredDetector(const Settings& settings);
  // `mounting` is not needed (only |a| and the specific-force jumps are used); kept for the common interface.
  // ic_jerk_mps3: the impact jump per IC; tc_rate_rad_s: per TC the valley's depth (m/s^2); midswings: the middle
  // between a TC and the next IC.
  EventResult detect(std::span<const ImuSample> samples, const MountingCalibration::Result& mounting,
                     double rate_hz) const override;
  const Settings& settings() const { return s_; }

 private:
  Settings s_;
};

}  // namespace stride
