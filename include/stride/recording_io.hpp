// Reading and writing recordings: the native CSV format, and an importer for the CSV other boards and tools write.
// Pure text <-> samples; the caller owns files (the *_file helpers are thin wrappers that open one).
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "stride/recording.hpp"

namespace stride::io {

// A line the reader skipped, and why (kept so a report can name line numbers).
struct LineIssue {
  std::size_t line = 0;      // 1-based line number in the file
  std::string what;          // e.g. "cell 4 'abc' is not a number (expected gyr_y in deg/s)"
};

struct ImportReport {
  std::string source;                  // file name as given
  std::string format;                  // "stride-native", "generic-csv", "gaitmap", ...
  char delimiter = ',';
  std::string time_unit;               // "s", "ms", "us", "none (rate 200 Hz)"
  std::string acc_unit;                // "m/s^2", "g"
  std::string gyr_unit;                // "rad/s", "deg/s"
  std::string acc_unit_reason;         // "declared in header 'Accelerometer X (g)'" / "detected: |a| at rest = 1.00"
  std::string gyr_unit_reason;
  std::size_t lines = 0;               // lines read
  std::size_t samples = 0;             // samples kept
  std::size_t skipped = 0;             // lines skipped (bad cells, time going backwards, truncated)
  std::size_t duplicate_stamps = 0;    // rows dropped because they repeated the previous time stamp exactly
  std::vector<LineIssue> issues;       // the first 50 skipped lines with the reason; `skipped` counts all
  std::vector<std::string> ignored_columns;
};

struct ImportOptions {
  std::string format = "auto";         // auto | native | generic | gaitmap
  std::string sensor = "";             // gaitmap: left_sensor | right_sensor (default: left)
  double rate_hz = 0.0;                // for files without a time column
  std::string acc_unit = "auto";       // auto | g | m/s^2
  std::string gyr_unit = "auto";       // auto | deg/s | rad/s
  std::string time_unit = "auto";      // auto | s | ms | us
};

// Thrown when nothing at all can be read (empty file, no recognisable header, binary junk).
// what() names the source, the line and what was expected.
struct ImportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Imported {
  Recording recording;
  ImportReport report;
};

Imported import_csv(std::istream& in, const std::string& source_name, const ImportOptions& options = {});
Imported import_file(const std::string& path, const ImportOptions& options = {});

// Native format: `# key: value` metadata lines, then the header
// `t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s`, then one line per sample.
void write_native_header(std::ostream& out, const RecordingMeta& meta);
void write_native_sample(std::ostream& out, const ImuSample& s);   // round-trips doubles exactly
void write_native(std::ostream& out, const Recording& rec);

}  // namespace stride::io
