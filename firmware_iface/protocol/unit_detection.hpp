// Deciding units from the numbers themselves, for files whose header does not say them.
// Works on a look-ahead block of raw rows (in the file's own units), before anything is converted.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "columns.hpp"

namespace stride::io::detail {

struct RawRow {
  double t = 0.0;        // time column (or row index when there is none), file's unit
  double acc[3] = {};    // file's unit
  double gyr[3] = {};    // file's unit
  std::size_t line = 0;  // 1-based line number
};

struct UnitChoice {
  Unit unit = Unit::none;
  std::string reason;
};

double to_si(Unit u);  // factor to seconds, m/s^2 or rad/s

// From the median positive step of the raw time values and whether they are all integers.
UnitChoice detect_time_unit(const std::vector<RawRow>& rows);
// For a file that declares no unit and is read only if its numbers tell (formats::Plan::strict_units): a median step
// of 0.2-125 ms at 10 Hz-4 kHz (20 % either side) in s, ms, us or ns (ranges that do not touch); else none (no step
// at all: assumed s, as detect_time_unit).
UnitChoice detect_time_unit_at_imu_rates(const std::vector<RawRow>& rows);

// The quietest stretch of about `window` rows (lowest variance of |a|), and what the data look like there.
struct RestStats {
  std::size_t first_line = 0, last_line = 0;  // where the quiet stretch is
  double acc_norm_median = 0.0;               // median |a| there (file's unit)
  double gyr_noise = 0.0;                     // mean per-axis standard deviation of the gyro there (file's unit)
  double gyr_p99 = 0.0;                       // 99th percentile of |w| over all rows (file's unit)
};
RestStats rest_stats(const std::vector<RawRow>& rows, std::size_t window);

// g when the median |a| at rest is near 1, m/s^2 near 9.8; none (with the reason) when neither.
UnitChoice detect_acc_unit(const RestStats& rest);
// deg/s when high percentiles of |w| exceed 50, rad/s below ~35, else by the noise level at rest.
UnitChoice detect_gyr_unit(const RestStats& rest);

// For a file that declares no unit and is read only if its numbers tell (formats::Plan::strict_units): from
// the 99th percentile of |w| alone, with thresholds a gait cannot cross. A foot or shin sensor in motion shows a
// 99th percentile of 2-15 rad/s (115-900 deg/s: the swing peaks at 5-15 rad/s), so
//   >= 50 -> deg/s (50 rad/s is beyond every gyroscope's range),
//   1.5 .. 30 -> rad/s (as deg/s, a sensor hardly moving: no gait),
// and anything else (a recording at rest, or 30..50) is none: the caller refuses and names --gyr-unit.
UnitChoice detect_gyr_unit_from_motion(const RestStats& rest);

std::string format_number(double v, int decimals);  // fixed-point text for messages

}  // namespace stride::io::detail
