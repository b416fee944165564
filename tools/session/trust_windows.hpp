// The raw signal behind the flags, for the report's "trust" view: for each flag a few seconds of |acc| and |gyro|
// around the middle of the time range the flag rests on, with the detected IC and TC and the zero-velocity windows,
// so a coach can see the detector did right. Small on purpose: at most kMaxTrustWindows windows of kTrustWindowS
// seconds, decimated to at most kTrustRateHz (the largest magnitude of each block, so an impact peak survives).
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "analysis/foot_trajectory.hpp"
#include "analysis/pipeline.hpp"
#include "stride/flag.hpp"
#include "stride/recording.hpp"

namespace stride::session {

inline constexpr double kTrustWindowS = 3.0;
inline constexpr double kTrustRateHz = 100.0;
inline constexpr std::size_t kMaxTrustWindows = 6;

// One foot: its side as the document keys it ("left", "right", "unknown"), its samples and what the pipeline found.
struct TrustFoot {
  std::string side;
  const Recording* recording;
  const SessionResult* result;
};

// The document's "trust_windows" array (docs/session-json.md), in the flags' order: a flag of one foot gets that
// foot's window; a flag of both feet (or of none named) the first foot's, and the other foot's while fewer than
// kMaxTrustWindows are taken; the same window is not repeated; a flag with no time range, or a foot without
// samples, gets none.
nlohmann::json trust_windows_json(const std::vector<Flag>& flags, const std::vector<TrustFoot>& feet,
                                  const FootTrajectory::Settings& trajectory);

// A foot whose recording is read in passes (the streaming path, analysis/streaming_pipeline.hpp): what its first
// pass counted, and a replay of its samples.
struct StreamedTrustFoot {
  std::string side;
  const SessionResult* result;
  std::size_t samples;
  double first_t_s, last_t_s;
  double rate_hz;  // 1 / the median interval, as median_interval_s over all samples gives it
  std::function<void(const std::function<void(std::span<const ImuSample>)>&)> replay;
};

// The same array as above, from one more pass over each foot's recording that a window falls on, keeping only the
// samples inside the windows and the |w| of the stances whose zero-velocity windows reach into them.
nlohmann::json trust_windows_json(const std::vector<Flag>& flags, const std::vector<StreamedTrustFoot>& feet,
                                  const FootTrajectory::Settings& trajectory);

}  // namespace stride::session
