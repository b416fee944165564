// Per-stride spatial metrics from the foot trajectory: stride length and speed, foot-strike and toe-off angles,
// strike pattern, pronation (rearfoot eversion) excursion and velocity, clearance, turning, the footprint path.
#pragma once

#include <cmath>
#include <span>
#include <vector>

#include "analysis/foot_trajectory.hpp"
#include "analysis/rest_steps.hpp"
#include "analysis/saturation.hpp"
#include "stride/gait.hpp"

namespace stride {

struct SpatialResult {
  bool ok = false;
  std::size_t zero_velocity_windows = 0;
  double distance_m = 0;            // sum of the valid strides' lengths, plus the estimate below
  double distance_sd_m = std::nan("");  // one SD of distance_m (distance_sd_m() in analysis/missing_distance.hpp)
  double loop_closure_m = 0;        // horizontal distance from the first zero-velocity window to the last
  std::size_t saturated_strides = 0;  // strides whose spatial metrics were withheld (sensor saturated)
  std::size_t rebuilt_strides = 0;  // strides measured through rebuilt gyroscope peaks (analysis/clip_repair.hpp)
  double distance_estimated_m = 0;  // of distance_m: valid strides without a measured length, counted at their
                                    // neighbours' speed (analysis/missing_distance.hpp)
  std::size_t estimated_strides = 0;
  // The step out of the standing start (the first zero-velocity window is a rest before the first IC): from the
  // rest's footprint to the first IC's. NaN when the recording starts moving, the first stance has no footprint, or
  // the gyroscope saturated in that swing beyond repair.
  StepFromRest start_step;
  // Of distance_m: the steps out of rest (the standing start and the step after each stop), which are in no stride
  // (analysis/rest_steps.hpp).
  std::size_t rest_steps = 0;
  double rest_steps_m = 0;
};

// Fills the spatial fields of `strides` (which came from `events`). The trajectory is streamed through: memory is
// one record per stance, not per sample. `trajectory_sink`, if set, also receives every sample's pose.
SpatialResult add_spatial_metrics(std::vector<Stride>& strides, std::span<const ImuSample> samples,
                                  std::span<const GaitEvent> events, const MountingCalibration::Result& mounting,
                                  double rate_hz, Side side, const Saturation& saturation,
                                  const FootTrajectory& trajectory,
                                  const std::function<void(std::size_t, const FootPose&)>& trajectory_sink = {});

// What one stance (IC -> TC, and the swing after it) contributes, gathered as the poses stream past. Shared by
// add_spatial_metrics (offline) and StreamingSpatial (live).
struct StanceRecord {
  static constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);
  std::size_t ic = 0, tc = 0, next_ic = kUnknown;  // sample indices (tc == ic when no TC: then no angles)
  double ic_t_s = 0;                              // the IC's (sub-sample) time, as the stride builder has it
  bool has_tc = false;
  std::size_t centre = 0;                         // stillest sample (zero-velocity window centre)
  bool has_centre = false;
  Eigen::Vector3d footprint = Eigen::Vector3d::Constant(std::nan(""));
  double heading = std::nan(""), flat_pitch = std::nan("");
  double pitch_ic = std::nan(""), pitch_tc = std::nan("");
  double eversion_ic = std::nan(""), eversion_peak = -1e9;
  double eversion_rate_peak = -1e9;               // from the samples IC..TC: stance_rates()
  double swing_top = -1e9;
  std::size_t gyr_clipped = 0, acc_clipped = 0;   // samples IC..next IC: clipping()
  std::size_t gyr_rebuilt = 0;                    // samples IC..next IC whose clipped gyro peak was rebuilt
  std::size_t gyr_returned = 0;                   // ... of those, all from the foot's return (kGyrRebuiltByReturn)
  double arrival_sd_m = std::nan("");             // the filter's position SD over the swing that ended in this
                                                  // stance (FootPose::swing_position_sd_m)
};

// The per-pose and per-stride steps of the spatial metrics, one implementation for offline and live.
class SpatialSteps {
 public:
  SpatialSteps(const MountingCalibration::Result& mounting, Side side,
               const LengthUncertaintySettings& uncertainty = {});
  // One pose: updates every record whose [ic, next_ic] holds sample i. `first_open` (start at 0) skips the
  // records that are done; records are in IC order.
  void add_pose(std::size_t i, const FootPose& pose, std::span<StanceRecord> records, std::size_t& first_open) const;
  // Peak eversion rate over the stance: `stance` = samples IC..TC.
  void stance_rates(StanceRecord& r, std::span<const ImuSample> stance) const;
  // Clipped samples in `stride` = samples IC..next IC.
  static void clipping(StanceRecord& r, std::span<const ImuSample> stride, const Saturation& saturation);
  // The spatial fields of stride `s` from its stance record a and the next one b; `origin` = where the walk began.
  // s.stride_time_s must be set. Returns whether the values were withheld (gyroscope saturated).
  bool fill(const StanceRecord& a, const StanceRecord& b, const Eigen::Vector3d& origin, Stride& s) const;
  // The step out of a standing start: from `rest_footprint` to the first stance's footprint; `swing` holds the
  // clipping() of the samples between the rest's window and the first IC. None when `first` has no footprint or
  // the gyroscope saturated there (as fill() withholds such a stride's length).
  StepFromRest step_from_rest(const Eigen::Vector3d& rest_footprint, const StanceRecord& first,
                              const StanceRecord& swing) const;

 private:
  Eigen::Matrix3d foot_from_sensor_;
  Eigen::Vector3d gyr_bias_;
  double eversion_sign_;
  LengthUncertaintySettings uncertainty_;
};

}  // namespace stride
