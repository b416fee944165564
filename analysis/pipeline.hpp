// The offline shoe pipeline: calibrate -> detect events -> build strides -> summarise. One call, one result.
#pragma once

#include <string>
#include <vector>

#include "analysis/acc_only_events.hpp"
#include "analysis/acc_only_impacts.hpp"
#include "analysis/bilateral.hpp"
#include "analysis/clip_repair.hpp"
#include "analysis/event_detection.hpp"
#include "analysis/foot_trajectory.hpp"
#include "analysis/spatial_metrics.hpp"
#include "analysis/mounting_calibration.hpp"
#include "analysis/plausibility.hpp"
#include "analysis/stride_builder.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"
#include "stride/session.hpp"

namespace stride {

struct PipelineSettings {
  MountingCalibration::Settings calibration;
  ImpactPitchDetector::Settings events;
  StrideBuilder::Settings strides;
  FootTrajectory::Settings trajectory;
  StridePlausibility::Settings plausibility;
  ClipRepairSettings clip_repair;              // rebuild clipped gyro peaks for the trajectory (clip_repair.hpp)
  AccOnlyDetector::Settings acc_only_events;   // recordings without a gyroscope (docs/accelerometer-only.md)
  ImpactAnchoredDetector::Settings acc_only_impacts;  // ... from a shin or ankle, or a foot with no quiet stance
  // Hz. Below this no event is looked for: contact and toe-off are shaped within tens of milliseconds, and at
  // 25 Hz a 40 ms impact is one sample (phones and foot pods record 50-100 Hz and more).
  double min_rate_hz = 25.0;
};

// The settings for a sensor placement: a shin sensor's events and pitch sign follow the shank's rules.
PipelineSettings for_placement(PipelineSettings settings, Placement placement);

struct SessionResult {
  DataQuality quality;
  MountingCalibration::Result mounting;
  EventResult events;
  std::vector<Stride> strides;
  SpatialResult spatial;
  SessionSummary summary;
  std::vector<std::string> warnings;   // what the analysis could not do or had to assume, in words
  bool has_gyro = true;                // false: the accelerometer-only path ran (no_gyro_reason says what is missing)
  std::string no_gyro_reason;          // empty when has_gyro
  // Accelerometer only: how the cycles were found: "quiet_stance" (a foot's still stance) or "impacts" (a shin or
  // ankle sensor, or a foot whose stance was rarely still: the impacts anchor the cycles). Empty when has_gyro.
  std::string acc_only_events_from;
};

// Why the values that need angular rates are null on an accelerometer-only recording (JSON, terminal, report).
inline constexpr const char* kNoGyroReason = "no gyroscope: spatial values and angles are not available";

// `trajectory_sink`, if given, receives every sample's smoothed pose in time order (for --trajectory).
SessionResult analyze(const Recording& recording, const PipelineSettings& settings,
                      const std::function<void(std::size_t, const FootPose&)>& trajectory_sink = {});
SessionResult analyze(const Recording& recording);

// Both feet of one session. The two recordings' time stamps must already be on one clock. Each foot runs the
// pipeline above; then the feet are merged (analysis/bilateral.hpp): measured flight per stride, and each foot's
// summary says its cadence and flight are no longer from one foot.
struct TwoFeetResult {
  SessionResult left, right;
  BilateralResult bilateral;
};
TwoFeetResult analyze_two_feet(const Recording& left, const Recording& right, const PipelineSettings& settings);
// The merge alone, for feet analysed some other way (each foot read in passes: analysis/streaming_pipeline.hpp).
TwoFeetResult combine_two_feet(SessionResult left, SessionResult right);

}  // namespace stride
