// What a user names on the command line, made into one recording: a file; the accelerometer file and the gyroscope
// file of one sensor; a folder or a zip an app exported (its members are looked at and the sensor files chosen).
// The clock is checked last: an irregular one (a phone's) is resampled onto a uniform grid, and the report says so.
#pragma once

#include <string>
#include <vector>

#include "stride/recording_io.hpp"

namespace stride::io {

// parts: one path (a file, a folder or a zip) or two files (accelerometer and gyroscope, in either order).
// Throws ImportError naming the file(s) and what was expected.
Imported import_input(const std::vector<std::string>& parts, const ImportOptions& options = {});

// Brings an irregular clock onto a uniform grid at its median interval (linear interpolation, not across gaps) and
// finds the gaps with the rule for that clock; says so in report.notes. A regular clock is left as it is.
void regularise_clock(Imported& imported);

// Which sensors a file holds, from its header and look-ahead only (nothing is read past them); nullopt when the
// file cannot be read as a recording. Used to pair an accelerometer file with its gyroscope file.
struct Holds {
  bool acc = false;
  bool gyr = false;
};
std::optional<Holds> peek_holds(const std::string& path, const ImportOptions& options = {});

// The files import_input reads with `path` besides itself: for a Sensor Logger iOS Accelerometer.csv, the
// Gravity.csv (and Metadata.csv) beside it; else none. The command line drops them from the files it was given, so
// `stride analyze Accelerometer.csv Gravity.csv Gyroscope.csv` is one recording.
std::vector<std::string> companion_files(const std::string& path);

}  // namespace stride::io
