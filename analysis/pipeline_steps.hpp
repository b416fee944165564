// The steps of analyze() that come before and after the per-sample stages (checks, warnings, the session's
// totals), shared by analyze() over a Recording and analyze_streamed() over a recording read in passes, so both
// say and total the same. Internal to analysis/.
#pragma once

#include "analysis/pipeline.hpp"
#include "analysis/saturation.hpp"

namespace stride::pipeline_steps {

// The stages analyze() runs, made with the settings for the recording's placement (for_placement). Making them
// checks every setting (a bad value throws std::invalid_argument naming the field) before any sample is touched:
// analyze_streamed makes them for that check, its per-sample stages taking the same settings from `placed`.
struct Stages {
  Stages(const PipelineSettings& settings, Placement placement);
  const PipelineSettings placed;
  const MountingCalibration calibration;
  const ImpactPitchDetector detector;
  const StrideBuilder builder;
  const FootTrajectory trajectory;
  const StridePlausibility plausibility;
};

// False (with the warning) when the rate is too low for gait events.
// False (with the warning) when the rate is too low for gait events; the result still says what was read (samples,
// rate, duration), so that a file that was read is not reported as empty.
bool rate_usable(SessionResult& r, double rate, std::size_t samples, double duration_s,
                 const PipelineSettings& settings);
// The saturation warnings; false (with the warning) when there is too little to analyse. r.quality must be set.
bool enough_samples(SessionResult& r, const Saturation& saturation, std::size_t samples, double rate,
                    Placement placement);
// False (with the warning) when r.mounting failed; its own message and an uncertain sign become warnings.
bool mounting_usable(SessionResult& r);
// What the trajectory could not do (shoe placement).
void spatial_warnings(SessionResult& r, Side side);
// Once the strides have every value: the withheld rebuilt strides, the physical limits, the distance (measured and
// estimated), the stops, the summary and their warnings.
void finish_session(SessionResult& r, const PipelineSettings& settings, const StridePlausibility& plausibility,
                    double duration_s);

}  // namespace stride::pipeline_steps
