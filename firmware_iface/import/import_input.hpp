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

}  // namespace stride::io
