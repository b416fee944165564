// Sensor Logger on iOS writes no TotalAcceleration.csv: its Accelerometer.csv is Core Motion's user acceleration
// (gravity removed) and Gravity.csv the gravity vector, both in m/s^2 (g = 9.80665), stamped by the same clock.
// stride's filters need what an accelerometer measures (+9.81 m/s^2 up at rest, Android's sign), so the two are
// added back together: acceleration = sign * (Accelerometer.csv + Gravity.csv), gravity interpolated onto the
// accelerometer's stamps as join_streams does.
//
// The sign: iOS reports acceleration and gravity with the opposite sign to Android on all three axes (a phone lying
// flat: gravity -z on iOS, +z on Android) unless the app's "Standardise Units & Frames" setting is on (it is off by
// default), which makes iOS follow Android; the gyroscope has the same sign on both. Metadata.csv, written with each
// recording, names the platform and the setting: ios with standardisation false (or no such column) -> -1; android,
// or standardisation true -> +1. Without Metadata.csv: -1 (an iOS export with the default setting), said so.
//
// Spec, and how sure (marks as ../shared/FORMATS.md): units m/s^2 for the calibrated Accelerometer and Gravity on
// both platforms, iOS Accelerometer.csv gravity-free, no TotalAcceleration.csv on iOS: V (awesome-sensor-logger
// UNITS.md, CROSSPLATFORM.md); the sign difference of acceleration and gravity, the same gyroscope, the setting: V
// (COORDINATES.md, CROSSPLATFORM.md); Metadata.csv's columns `platform` and `standardisation`: V for `platform` (the
// README's "Accessing Recording Metadata"), M for `standardisation` (seen only in third-party fixtures of exports).
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "stride/recording_io.hpp"

namespace stride::io {

struct GravitySign {
  double sign = -1.0;  // acceleration = sign * (user acceleration + gravity)
  std::string reason;  // "Metadata.csv: platform ios, standardisation false (the app's default)"
};

// From Metadata.csv's text (`metadata` nullptr: the export has none). Throws ImportError naming `name` when the file
// has no `platform` column or names a platform other than ios/android.
GravitySign sensor_logger_gravity_sign(std::istream* metadata, const std::string& name);

// The Sensor Logger files of an export without TotalAcceleration.csv: Accelerometer.csv, Gravity.csv and (if there)
// Metadata.csv of one folder, as given in `members` (relative paths; names compared without case).
struct GravityPair {
  std::string user;      // Accelerometer.csv
  std::string gravity;   // Gravity.csv
  std::string metadata;  // Metadata.csv, or empty
};
std::optional<GravityPair> find_gravity_pair(const std::vector<std::string>& members);

// True when the stream's first line is a Sensor Logger header (names "seconds_elapsed"): another app's
// Accelerometer.csv beside a Gravity.csv (phyphox names its files so too) is read as before.
bool has_sensor_logger_header(std::istream& in);

// user: Accelerometer.csv, gravity: Gravity.csv, both read with options.acc_part. Throws ImportError naming both
// files when the clocks do not overlap, or when |a| at rest of the sum is not about 1 g.
Imported add_gravity(Imported user, Imported gravity, const GravitySign& sign);

}  // namespace stride::io
