// The raw signal behind the flags, for the report's "trust" view: for each flag a few seconds of |acc| and |gyro|
// around the middle of the time range the flag rests on, with the detected IC and TC and the zero-velocity windows,
// so a coach can see the detector did right. Small on purpose: at most kMaxTrustWindows windows of kTrustWindowS
// seconds, decimated to at most kTrustRateHz (the largest magnitude of each block, so an impact peak survives),
// except one stride of the flag's (the "zoom": the report's stride-level view), kept at the recording's own rate
// (up to kZoomMaxRateHz) so every sample around its strikes and toe-off can be checked; and the flag's evidence
// strides (tools/session/trust_evidence: its worst, typical and mildest, wherever they lie in its range), each with
// its own samples at that rate, so a coach can choose which of the strides the flag rests on to check. Flags over the
// same range share one window and each keeps its own evidence strides; a stride's samples are kept once a window.
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
// The zoom: the stride nearest the window's middle (a valid one first), from kZoomPadS before its IC to kZoomPadS
// after the next, so both strikes show with the swing that leads into them; ~0.9 s when running. Above
// kZoomMaxRateHz the zoom is thinned too (as above, to that rate): a window then stays within 1.5 times a thinned
// one (the document's budget: ~1 s at 250 Hz + ~2 s at 100 Hz = 450 samples instead of 300), and 4 ms still
// places a strike by eye in a plot whose 416 units give ~2.3 ms each. Cheap IMUs (100-208 Hz) keep every sample.
inline constexpr double kZoomPadS = 0.08;
inline constexpr double kZoomMaxStrideS = 2.0;   // a longer IC-to-IC is a pause, not a stride: 1 s is shown instead
inline constexpr double kZoomFallbackS = 1.0;    // no stride inside the window (a data-quality flag, a shin walk)
inline constexpr double kZoomMaxRateHz = 250.0;

// One foot: its side as the document keys it ("left", "right", "unknown"), its samples and what the pipeline found.
struct TrustFoot {
  std::string side;
  const Recording* recording;
  const SessionResult* result;
};

// The document's "trust_windows" array (docs/session-json.md), in the flags' order: a flag of one foot gets that
// foot's window; a flag of both feet (or of none named) the first foot's, and the other foot's while fewer than
// kMaxTrustWindows are taken; a flag whose window is taken already (the same foot and times) joins it, with its own
// metric and evidence strides ("other_flags"), so the raw signal is stored once; a flag with no time range, or a
// foot without samples, gets none.
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
// samples inside the windows and their evidence strides and the |w| of the stances whose zero-velocity windows
// reach into them.
nlohmann::json trust_windows_json(const std::vector<Flag>& flags, const std::vector<StreamedTrustFoot>& feet,
                                  const FootTrajectory::Settings& trajectory);

}  // namespace stride::session
