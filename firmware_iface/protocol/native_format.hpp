// The native recording file: `# key: value` metadata, a fixed header, one line per sample (SI units).
#pragma once

#include <string_view>

#include "stride/recording.hpp"

namespace stride::io::detail {

inline constexpr std::string_view kNativeHeader =
    "t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s";
inline constexpr std::string_view kFormatKey = "stride_format";
inline constexpr std::string_view kHostClockKey = "host_clock";  // `# host_clock: T UNIX` between sample lines

// Parses one `# key: value` comment line into the metadata (known keys into fields, others into extra, at most
// 256 distinct ones).
// Returns false when the line is a plain comment (no "key:" shape).
bool apply_meta_line(std::string_view comment_body, RecordingMeta& meta);

}  // namespace stride::io::detail
