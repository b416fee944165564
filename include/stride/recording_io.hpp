// Reading and writing recordings: the native CSV format, and an importer for the CSV other boards and tools write.
// Pure text <-> samples; the caller owns files (the *_file helpers are thin wrappers that open one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
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
  std::string format;                  // "stride-native", "generic-csv", "gaitmap", or a preset's name ("phyphox", ...)
  std::string format_reason;           // why: "phyphox: header 'Time (s)','Acceleration x (m/s^2)'" (presets; empty
                                       // for the built-in layouts)
  std::string encoding = "UTF-8";      // "UTF-8", "UTF-8 with BOM", "UTF-16 LE" (transcoded to UTF-8 while reading)
  std::size_t banner_lines = 0;        // lines before the header that were not part of the table (boot messages)
  char delimiter = ',';
  std::string time_unit;               // "s", "ms", "us", "ns", "none (rate 200 Hz)"
  std::string time_unit_reason;        // "declared in header 'Timestamp (us)'" / "detected: integer stamps, ..."
  std::string acc_unit;                // "m/s^2", "g"
  std::string gyr_unit;                // "rad/s", "deg/s"
  std::string acc_unit_reason;         // "declared in header 'Accelerometer X (g)'" / "detected: |a| at rest = 1.00"
  std::string gyr_unit_reason;
  bool has_gyro = true;                // false: no gyroscope (no gyro columns, or their cells empty/NaN in every row):
                                       // samples carry NaN angular rates; gyr_unit is "none", gyr_unit_reason says why
  bool has_acc = true;                 // false: a gyroscope-only file (a phone app's Gyroscope.csv): acc NaN; it must be
                                       // joined with its accelerometer file before it can be analysed
  bool rate_declared = false;          // meta.rate_hz came from the metadata, the options or the format
  std::string rate_reason;             // "declared in metadata", "options.rate_hz", "median interval 5.000 ms"
  std::size_t lines = 0;               // lines read
  std::size_t samples = 0;             // samples kept
  std::size_t skipped = 0;             // lines skipped (bad cells, corrupt time stamps, truncated, too long)
  std::size_t duplicate_stamps = 0;    // rows dropped because they repeated the previous time stamp exactly
  std::size_t clock_restarts = 0;      // the device clock started again (stamps went back and stayed consistent):
                                       // the rows after it are placed one interval after the last one
  std::vector<LineIssue> issues;       // the first 50 skipped lines with the reason; `skipped` counts all
  std::vector<std::string> ignored_columns;
  // Set by import_input (firmware_iface/import/import_input.hpp) when it did more than read one file:
  std::vector<std::string> files;      // the files read, in order (a folder's members; the zip itself for a zip)
  std::vector<std::string> notes;      // what was done to the data and why, in a sentence each: the join of an
                                       // accelerometer file and a gyroscope file, a resampled clock, members skipped
  // Set by import_input: FNV-1a 64 of every byte of the input (of `files` in order when set, else of `source`),
  // hashed while the reader read them. Empty for a folder or a zip export, whose bytes the reader does not all see.
  std::optional<std::uint64_t> fnv1a64;
};

// Which unit wins: an explicit option (not "auto") over a unit declared in the header over detection from the data.
// Whatever wins, the acceleration at rest must come out between 0.5 g and 2 g, else ImportError.
struct ImportOptions {
  std::string format = "auto";         // auto | native | generic | gaitmap | a preset (formats::names())
  std::string sensor = "";             // gaitmap: left_sensor | right_sensor (default: left)
  double rate_hz = 0.0;                // for files without a time column; gaitmap files (default 204.8 there);
                                       // when > 0 it is also the declared nominal rate (meta.rate_hz)
  std::string acc_unit = "auto";       // auto | g | m/s^2
  std::string gyr_unit = "auto";       // auto | deg/s | rad/s
  std::string time_unit = "auto";      // auto | s | ms | us | ns
  double acc_range_g = 0.0;            // raw-count formats (Arduino MPU6050_raw): full-scale range; 0 = the preset's
  double gyr_range_dps = 0.0;          // default (MPU-6050: 2 g, 250 deg/s)
  // Set by import_input when it rebuilds the acceleration from two files (Sensor Logger on iOS: Accelerometer.csv
  // without gravity + Gravity.csv): the file is read as one part of the acceleration, so |a| at rest is not checked
  // (the sum is, once it is made) and a Sensor Logger Gravity.csv is read as acceleration.
  bool acc_part = false;
  // Limits, so that any input is refused or read in bounded memory (ImportError names the file and line):
  std::size_t max_line_bytes = std::size_t{1} << 20;    // a longer data line is skipped; a longer header refused
  std::size_t max_header_bytes = std::size_t{1} << 20;  // metadata + header lines before the first data row
  std::size_t max_columns = 4096;                       // cells in the header line
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

// "x.csv line 12: cell 5 'abc' is not a number (expected gyr_y)".
std::string to_string(const LineIssue& issue, std::string_view source);
// The same without the source: "line 12: what", or `what` alone for binary formats (it names the byte).
std::string issue_text(const LineIssue& issue);

// Streaming importer: memory stays flat however long the file is. The constructor reads the metadata, the header
// and a look-ahead block (up to 4096 data rows) to decide the format, delimiter, columns and units, and throws
// ImportError when it cannot; after that nothing throws: bad rows are skipped and counted in report().
// Time stamps go through the clock guard (firmware_iface/protocol/clock_guard.hpp), the rule the live decoders use:
// a single stamp that disagrees with its neighbours is skipped (not everything after it); a clock that went back
// and stays consistent is a restart (report().clock_restarts); an exact repeat is dropped and counted.
// Every message quotes at most ~80 characters of the input (stride::excerpt).
// Time: a device clock that does not start at 0 is shifted so the first sample is at t = 0 (the original first
// stamp, in the file's own unit, is kept in meta().extra["device_t0"]); the native format is not shifted.
// Clipping: when the metadata declares acc_range_g / gyr_range_dps, an axis at >= 99.9 % of its range is flagged.
class CsvReader {
 public:
  CsvReader(std::istream& in, std::string source_name, ImportOptions options = {});
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const RecordingMeta& meta() const;          // rate_hz: declared, else 1 / median interval of the look-ahead
  const ImportReport& report() const;         // counts grow as reading proceeds
  const std::vector<Gap>& gaps() const;       // gaps found so far (device-clock jumps > 1.5 nominal intervals)
  const std::vector<ClockMark>& clock_marks() const;  // `# host_clock: T UNIX` lines read so far
  std::size_t read(std::span<ImuSample> out); // fills up to out.size() samples, returns how many; 0 = end

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whole-file import built on CsvReader. meta.rate_hz = declared (metadata or options.rate_hz), else
// 1 / median interval of all samples; gaps = find_gaps(samples, 1 / meta.rate_hz).
Imported import_csv(std::istream& in, const std::string& source_name, const ImportOptions& options = {});
// Any format stride reads: the WitMotion binary and Movesense JSON readers when their detectors recognise the first
// 64 KiB (or options.format names them), else the CSV reader (its presets: firmware_iface/import/formats.hpp).
// `open` gives a fresh stream from the start each time it is called (the head is read once to decide).
Imported import_any(const std::function<std::unique_ptr<std::istream>()>& open, const std::string& source,
                    const ImportOptions& options = {});
// As import_any over the file; throws ImportError naming the path when the file cannot be opened.
Imported import_file(const std::string& path, const ImportOptions& options = {});

// Native format: `# key: value` metadata lines (`# stride_format: 1` first), then the header
// `t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s`, then one line per sample.
void write_native_header(std::ostream& out, const RecordingMeta& meta);
// One line per sample, numbers in std::to_chars shortest form (round-trips doubles exactly); clipping is not written
// (re-derived on read from the declared ranges). Appends only: flush after any line and the file stays readable.
void write_native_sample(std::ostream& out, const ImuSample& s);
// A recorder's host-clock note between sample lines: `# host_clock: T UNIX` (readers skip it as a comment).
void write_native_clock_mark(std::ostream& out, const ClockMark& mark);
void write_native(std::ostream& out, const Recording& rec);

}  // namespace stride::io
