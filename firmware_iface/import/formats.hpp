// The registry of file formats stride reads: one entry per source (name, description, example header, where its
// layout is documented, how to recognise it and how to read it). Most presets are a column plan for the one CSV
// reader (firmware_iface/protocol/csv_reader.cpp): which cell is time / acc / gyro, in which unit, how the time is
// written and which lines to pass over; the reader does the rest (streaming, limits, clock guard, unit checks).
// Adding a format = one file in this folder with its `Format` constant, and one line in formats.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "firmware_iface/protocol/columns.hpp"
#include "stride/recording_io.hpp"

namespace stride::io::formats {

// What a preset sees to decide: the candidate header line (or first data line), its cells and the file name.
struct HeaderView {
  std::string_view file_name;                  // base name, e.g. "Accelerometer.csv"
  std::string_view line;                       // the line, as read (UTF-8)
  const std::vector<std::string_view>& cells;  // split by the detected delimiter, trimmed and unquoted
};

struct Detection {
  int confidence = 0;  // 0 = not this format; higher wins (a unique header 90, a likely one 50)
  std::string reason;  // "phyphox: header 'Acceleration x (m/s^2)'"
};

// How a time cell is written.
enum class TimeText { number, clock };  // clock: "10:30:00.128" or "2024-03-17 10:30:00.128" (seconds of the day
                                        // / since 1970; a clock of day that goes back by > 12 h wrapped at midnight)

// How the reader reads a preset's file.
struct Plan {
  std::vector<detail::Recognised> columns;  // per header cell: role and declared unit (role none = ignored)
  bool headerless = false;        // the line is the first data row (no header): columns describe its cells
  int units_rows = 0;             // up to this many rows after the header that are not numbers carry units per
                                  // cell (Shimmer: "ms, m/(s^2), deg/s"); a unit found there is declared
  TimeText time_text = TimeText::number;
  bool rate_replaces_time = false;  // options.rate_hz > 0: space the samples by it and ignore the time column
  bool gyro_only_ok = false;      // a file with a gyroscope and no accelerometer is read (acc NaN, has_acc false)
  bool spread_shared_stamps = false;  // consecutive rows with one stamp are a block of samples stamped on arrival:
                                      // spread up to the next stamp (protocol/shared_stamps.hpp), not dropped
  double acc_lsb_per_g = 0.0;     // raw counts: acc = value / this (g); 0 = values are in a declared/detected unit
  double gyr_lsb_per_dps = 0.0;
  double acc_range_g = 0.0;       // declared ranges (clipping flags), 0 = unknown
  double gyr_range_dps = 0.0;
  // The header declares no unit and the data must tell (a t,x,y,z file): the clock's unit only from an IMU rate of
  // 10 Hz-4 kHz, the angular rate's only from a gait's range (unit_detection.hpp: detect_time_unit_at_imu_rates,
  // detect_gyr_unit_from_motion; never the noise at rest); a file whose numbers cannot tell is refused naming the
  // option to give (--time-unit, --acc-unit, --gyr-unit).
  bool strict_units = false;
  std::size_t look_ahead_rows = 0;  // rows read before the units are decided; 0 = the reader's 4096
  std::string gravity_free;       // when |a| at rest is near 0: this sentence says why and what to export instead
  std::string note;               // appended to the format reason (e.g. "columns z,y,x are the accelerometer: file
                                  // name 'Accelerometer.csv'")
};

struct Format {
  std::string_view name;            // --format NAME
  std::string_view description;     // one line
  std::string_view example_header;  // as the source writes it
  std::string_view spec;            // where the layout is documented (URL or ../shared/FORMATS.md section)
  // Null for the formats the reader knows itself (native, generic, gaitmap).
  Detection (*detect)(const HeaderView&) = nullptr;
  // Builds the plan; throws ImportError (naming the file and line through `where`) when the file cannot be read
  // as this format (e.g. phyphox 'Linear Acceleration': gravity removed).
  Plan (*plan)(const HeaderView&, const ImportOptions&, const std::string& where) = nullptr;
  // The app writes each sensor to a file of its own: an accelerometer file read alone is told its gyroscope file
  // is missing.
  bool one_sensor_per_file = false;
};

std::span<const Format* const> all();           // in the order `stride formats` lists them
const Format* find(std::string_view name);      // nullptr when there is none of that name
std::string names();                            // "auto, native, generic, gaitmap, phyphox, ..."

// The preset that recognises the line best (nullptr and confidence 0 when none does).
struct Best {
  const Format* format = nullptr;
  Detection detection;
};
Best detect(const HeaderView& header);

// Helpers the presets share.
std::string base_name(std::string_view path);                 // after the last '/' or '\'
bool contains_ci(std::string_view haystack, std::string_view needle);  // ASCII case-insensitive
// The sensor a file's name says, for files whose columns do not: "Accelerometer.csv", "acc_left.csv" ->
// accelerometer; "Gyroscope.csv", "gyr.csv" -> gyroscope; gravity, linear or user acceleration, magnetometer,
// orientation -> other (not a sensor stride reads); neither or both -> none.
enum class NamedSensor { none, accelerometer, gyroscope, other };
NamedSensor sensor_named(std::string_view file_name);
// Generic recognition of every cell (the columns a plan starts from).
std::vector<detail::Recognised> recognise_all(const std::vector<std::string_view>& cells);
// Seconds of the day (clock "hh:mm:ss.fff") or since 1970 (with a date "yyyy-mm-dd" or "yyyy/mm/dd" before it,
// separated by ' ' or 'T'); false when the text is neither.
bool parse_clock(std::string_view text, double& seconds);

}  // namespace stride::io::formats
