// The accelerometer-only path: gait events and the sensor's "up" from the specific force alone, for recordings
// without a gyroscope (research loggers, activity trackers). Temporal metrics only: without angular rates there is
// no orientation, so no trajectory, no length, speed, foot angles, pronation or clearance. docs/accelerometer-only.md
#pragma once

#include <span>
#include <vector>

#include "analysis/event_detection.hpp"
#include "analysis/mounting_calibration.hpp"
#include "stride/imu_sample.hpp"

namespace stride {

// True when at least one sample has a finite angular rate on every axis. An importer gives NaN rates to a file
// whose gyro columns are absent or empty (io::ImportReport::has_gyro); an in-process Recording may do the same.
bool has_gyroscope(std::span<const ImuSample> samples);

// What the accelerometer alone tells of the mounting: gravity's direction ("up", sensor frame) and size, from the
// windows where the specific force is steady (rest), else from the mean over all samples (the foot returns to the
// same attitude every stride, so the mean specific force points up on average). Forward and left stay unknown:
// segment_from_sensor's first two rows are an arbitrary horizontal pair. ok when there are enough samples.
MountingCalibration::Result gravity_only_mounting(std::span<const ImuSample> samples, double rate_hz,
                                                  const MountingCalibration::Settings& settings);

// IC and TC from the specific force. Stance is found as Skog et al. (2010)'s accelerometer moving-variance test
// (the acceleration vector barely moves over a short window and its size is near g: the foot is flat); each quiet
// stance anchors one cycle, and the middle of the active stretch between two stances stands in for mid-swing.
// IC: the impact's specific-force jump, as the gyroscope path does (the first sample-to-sample jump of the
//     acceleration vector of at least half the largest one, between the mid-swing and the quiet stance).
// TC: the end of the push-off. |a| climbs to the push-off peak as the foot rolls over the toe (the "maximum of
//     the acceleration norm" in the terminal-contact zone, feature t8 of Falbriard et al. 2018, Front. Physiol.
//     9:610), then falls as the ground stops pushing, before the swing's own accelerations: TC is the deepest |a|
//     valley between the quiet stance and the next mid-swing (deepest below both the highest |a| before it and
//     after it). The valley rule is ours, checked against the gaitmap motion capture (docs/accelerometer-only.md).
class AccOnlyDetector final : public EventDetector {
 public:
  struct Settings {
    double quiet_window_s = 0.05;        // window of the moving-variance stance test (centred)
    double quiet_acc_sd_mps2 = 3.0;      // RMS deviation of the acceleration vector from its window mean
    double quiet_norm_dev_mps2 = 3.0;    // |mean |a| - g| in the window
    double min_quiet_s = 0.02;           // shorter quiet stretches are ignored (noise dips in a swing)
    double min_quiet_share = 0.3;        // ... and so are those shorter than this share of the typical stance's
    double merge_gap_s = 0.03;           // quiet stretches closer than this are one stance
    double min_cycle_s = 0.4;            // shortest stride (as ImpactPitchDetector)
    double max_cycle_s = 2.5;            // longest stride
    double ic_first_jump_share = 0.5;    // the first jump at least this share of the largest one is the IC
    double ic_after_quiet_s = 0.02;      // the IC search reaches this far into the quiet stance
    double min_impact_share = 0.2;       // a stance whose impact jump is below this share of the median one is no
                                         // new contact (a quiet moment inside a swing): it is merged away
    double weak_impact_share = 0.6;      // ... as is one below this share whose quiet stretch is under half the
                                         // typical stance's
    double tc_search_s = 0.35;           // with no next stance, TC is searched this long after the quiet stance
    double tc_min_depth_mps2 = 1.0;      // a TC valley lies at least this far below the |a| on both sides
    EventUncertaintySettings uncertainty;  // each event's sd_ms (the pipeline passes the gyro path's)
  };

  AccOnlyDetector();
  explicit AccOnlyDetector(const Settings& settings);
  // `mounting` is used for gravity_mps2 only. EventResult::tc_rate_rad_s holds, per TC, the |a| peak (m/s^2) that
  // marked it; ic_jerk_mps3 the impact jump per IC; midswings the mid-swing stand-ins.
  EventResult detect(std::span<const ImuSample> samples, const MountingCalibration::Result& mounting,
                     double rate_hz) const override;
  const Settings& settings() const { return s_; }

 private:
  Settings s_;
};

// The noise share of an impact whose jump lies between samples at - 1 and at: the rms of up to 4 sample-to-sample
// jumps of the specific-force vector before it (not before lo) over the impact's own jump, at most 1. The input of
// ic_sd_ms (analysis/stride_uncertainty.hpp), as on the gyroscope path.
double impact_noise_ratio(std::span<const ImuSample> x, std::size_t lo, std::size_t at);

// The toe-off valley both accelerometer-only detectors use: the sample in [lo, last] whose |a| lies furthest below
// both the highest |a| from lo up to it and the highest from it up to hi (last <= hi), placed by a parabola through
// its neighbours. depth is 0 when there is none. `before`/`after` are scratch buffers (no allocation once grown).
struct AccValley {
  std::size_t at = 0;
  double t_s = 0;
  double depth = 0;
};
AccValley deepest_acc_valley(std::span<const ImuSample> x, std::span<const double> norm, std::size_t lo,
                             std::size_t last, std::size_t hi, std::vector<double>& before, std::vector<double>& after);

}  // namespace stride
