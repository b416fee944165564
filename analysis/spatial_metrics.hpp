// Per-stride spatial metrics from the foot trajectory: stride length and speed, foot-strike and toe-off angles,
// strike pattern, pronation (rearfoot eversion) excursion and velocity, clearance, turning, the footprint path.
#pragma once

#include <span>
#include <vector>

#include "analysis/foot_trajectory.hpp"
#include "analysis/saturation.hpp"
#include "stride/gait.hpp"

namespace stride {

struct SpatialResult {
  bool ok = false;
  std::size_t zero_velocity_windows = 0;
  double distance_m = 0;            // sum of the valid strides' lengths
  double loop_closure_m = 0;        // horizontal distance from the first zero-velocity window to the last
  std::size_t saturated_strides = 0;  // strides whose spatial metrics were withheld (sensor saturated)
};

// Fills the spatial fields of `strides` (which came from `events`). The trajectory is streamed through: memory is
// one record per stance, not per sample. `trajectory_sink`, if set, also receives every sample's pose.
SpatialResult add_spatial_metrics(std::vector<Stride>& strides, std::span<const ImuSample> samples,
                                  std::span<const GaitEvent> events, const MountingCalibration::Result& mounting,
                                  double rate_hz, Side side, const Saturation& saturation,
                                  const FootTrajectory& trajectory,
                                  const std::function<void(std::size_t, const FootPose&)>& trajectory_sink = {});

}  // namespace stride
