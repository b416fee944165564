// One sensor recorded as two files: the accelerometer in one, the gyroscope in the other (phyphox, Sensor Logger and
// MetaBase export one file per sensor, each on its own clock ticks). join_streams makes them one recording.
#pragma once

#include <functional>
#include <string_view>

#include "stride/recording_io.hpp"

namespace stride::io {

// The gyroscope is put on the accelerometer's clock: at each accelerometer sample inside the span both files cover,
// the angular rate is interpolated linearly between the two gyroscope samples around it (never across a gap of the
// gyroscope: accelerometer samples there are dropped, and the hole becomes a gap). Both files must stamp samples on
// one clock (the same app's); the report says the offset between their starts, both rates and what was cut.
// Throws ImportError naming both files when they cannot be joined: a file holds the wrong sensor, or the two time
// ranges do not overlap (both ranges are given).
Imported join_streams(Imported acc, Imported gyr);

// The walk both joins share (the gyroscope onto the accelerometer; Sensor Logger's gravity onto its gravity-free
// acceleration): `other` interpolated linearly at each sample of `base` inside the span both files cover, never
// across a gap of `other` (base samples there are dropped), handed to `combine` with the base sample to change.
// Throws ImportError naming both files and their time ranges when the span is under one second.
struct ClockJoin {
  std::vector<ImuSample> samples;  // base's samples in the span, combined, t from the span's start
  bool same_clock = false;         // both files carry a time column (else both are assumed to start together)
  double shift_s = 0.0;            // other's first sample on base's time axis
  double from_s = 0.0, to_s = 0.0; // the span kept, on base's time axis
  std::size_t dropped_in_gaps = 0;
};
ClockJoin join_on_clock(const Imported& base, const Imported& other, std::string_view base_role,
                        std::string_view other_role, const std::function<void(ImuSample&, const ImuSample&)>& combine);

// The first stamp of a file on its own clock, in seconds (the reader moves every file to start at t = 0 and keeps
// the original first stamp in meta.extra["device_t0"], in the file's time unit); 0 when the file had no clock.
double device_start_s(const Imported& part);

// Seconds per unit of a reader's time_unit text ("s", "ms", "us", "ns"); 0 for "none (...)" (no time column).
double seconds_per_unit(const std::string& unit);

}  // namespace stride::io
