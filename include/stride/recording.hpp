// A recording: what the board and the runner declared (metadata), the samples, and the gaps found in time.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stride/imu_sample.hpp"

namespace stride {

enum class Placement { unknown, shoe, shin };
enum class Side { unknown, left, right };

std::string_view to_string(Placement p);
std::string_view to_string(Side s);
std::optional<Placement> placement_from_string(std::string_view s);  // "shoe" | "shin" | "unknown"
// Now, as ISO 8601 UTC to the second ("2026-11-25T15:47:31Z"): a host-made start_time, a history save time.
std::string utc_now_iso();
std::optional<Side> side_from_string(std::string_view s);            // "left" | "right" | "unknown"

struct RecordingMeta {
  std::string board;                  // e.g. "ESP32-C3 + LSM6DSO", "x-io NGIMU"
  std::string sensor;
  Placement placement = Placement::unknown;
  Side side = Side::unknown;
  double rate_hz = 0.0;               // declared nominal rate; 0 = unknown (derived from time stamps)
  double acc_range_g = 0.0;           // full scale, 0 = unknown (clipping then cannot be judged)
  double gyr_range_dps = 0.0;
  std::string athlete;
  std::string shoe;
  std::string start_time;             // ISO 8601 as the device or host gave it
  std::map<std::string, std::string> extra;  // every other `# key: value` line, kept verbatim
};

// A stretch where samples are missing: the device clock jumped by more than 1.5 nominal intervals.
struct Gap {
  double start_s = 0.0;               // time of the last sample before the gap
  double end_s = 0.0;                 // time of the first sample after it
  std::size_t missing_samples = 0;    // estimated from the nominal rate
};

// A recorder's note of the host clock: the device time `t_s` (this file's clock) was host Unix time `unix_s`.
// Written about once a second (`# host_clock: T UNIX` lines), they let two sensors recorded together be put on
// one clock despite their crystals drifting apart (tens of ppm: a tenth of a second an hour).
struct ClockMark {
  double t_s = 0.0;
  double unix_s = 0.0;
};

struct Recording {
  RecordingMeta meta;
  std::vector<ImuSample> samples;
  std::vector<Gap> gaps;
  std::vector<ClockMark> clock_marks;  // in time order; empty unless a recorder wrote them
};

// Nominal sample interval from the median of positive time steps (robust to gaps and repeated stamps).
double median_interval_s(const std::vector<ImuSample>& samples);

// Samples missing in a gap of gap_s seconds between two samples at the nominal interval: round(gap / interval) - 1,
// at least 1 and at most kMaxMissingSamples (a gap of absurd length from a garbage stamp must not overflow a count,
// nor reach an unspecified or undefined conversion).
inline constexpr std::size_t kMaxMissingSamples = std::size_t{1} << 40;  // 70 years at 500 Hz
std::size_t missing_samples(double gap_s, double nominal_interval_s);

// Finds gaps (steps > gap_factor nominal intervals) in a time-ordered sample vector. 1.5 suits a board's crystal
// clock; an irregular phone clock needs more (stride/resample.hpp: kIrregularGapFactor), or its jitter reads as loss.
std::vector<Gap> find_gaps(const std::vector<ImuSample>& samples, double nominal_interval_s, double gap_factor = 1.5);

}  // namespace stride
