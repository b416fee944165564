// One sensor recorded as two files: the accelerometer in one, the gyroscope in the other (phyphox, Sensor Logger and
// MetaBase export one file per sensor, each on its own clock ticks). join_streams makes them one recording.
#pragma once

#include "stride/recording_io.hpp"

namespace stride::io {

// The gyroscope is put on the accelerometer's clock: at each accelerometer sample inside the span both files cover,
// the angular rate is interpolated linearly between the two gyroscope samples around it (never across a gap of the
// gyroscope: accelerometer samples there are dropped, and the hole becomes a gap). Both files must stamp samples on
// one clock (the same app's); the report says the offset between their starts, both rates and what was cut.
// Throws ImportError naming both files when they cannot be joined: a file holds the wrong sensor, or the two time
// ranges do not overlap (both ranges are given).
Imported join_streams(Imported acc, Imported gyr);

// The first stamp of a file on its own clock, in seconds (the reader moves every file to start at t = 0 and keeps
// the original first stamp in meta.extra["device_t0"], in the file's time unit); 0 when the file had no clock.
double device_start_s(const Imported& part);

}  // namespace stride::io
