// One sensor recorded as two files: the accelerometer in one, the gyroscope in the other (phyphox, Sensor Logger and
// MetaBase export one file per sensor, each on its own clock ticks). join_streams makes them one recording.
#pragma once

#include <string_view>

#include "stride/recording_io.hpp"
#include "stride/resample.hpp"

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
// across a gap of `other` (base samples there are dropped), handed to `combine(ImuSample& out, const ImuSample& at)`
// with the base sample to change. The walk runs in place: base's samples become the joined ones (the callers keep
// base as the result, so no second vector of an hour's samples is allocated and filled).
// Throws ImportError naming both files and their time ranges when the span is under one second (base untouched).
struct ClockJoin {
  bool same_clock = false;         // both files carry a time column (else both are assumed to start together)
  double shift_s = 0.0;            // other's first sample on base's time axis
  double from_s = 0.0, to_s = 0.0; // the span kept, on base's time axis
  double base_end_s = 0.0;         // base's last stamp before the join (0 when it had none)
  double other_gap_s = 0.0;        // a step of `other` longer than this is a gap, not bridged
  std::size_t dropped_in_gaps = 0;
};
ClockJoin plan_clock_join(const Imported& base, const Imported& other, std::string_view base_role,
                          std::string_view other_role);

// A template, not a std::function: the combine step is a few multiplies per sample, and an indirect call per sample
// cost as much as the rest of the walk.
template <class Combine>
ClockJoin join_on_clock(Imported& base, const Imported& other, std::string_view base_role,
                        std::string_view other_role, Combine&& combine) {
  ClockJoin j = plan_clock_join(base, other, base_role, other_role);
  auto& a = base.recording.samples;
  const auto& g = other.recording.samples;
  std::size_t k = 0, kept = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const ImuSample s = a[i];  // (a copy: a[kept] may be a[i] itself)
    const double t = s.t_s - j.shift_s;  // on the other file's axis
    if (s.t_s < j.from_s || s.t_s > j.to_s) continue;
    while (k + 1 < g.size() && g[k + 1].t_s <= t) ++k;
    if (k + 1 < g.size() && g[k + 1].t_s - g[k].t_s > j.other_gap_s) {
      ++j.dropped_in_gaps;
      continue;
    }
    ImuSample& out = a[kept++];
    out = s;
    combine(out, k + 1 < g.size() && g[k].t_s < t ? interpolate(g[k], g[k + 1], t) : g[k]);
    out.t_s = s.t_s - j.from_s;
  }
  a.resize(kept);
  return j;
}

// The first stamp of a file on its own clock, in seconds (the reader moves every file to start at t = 0 and keeps
// the original first stamp in meta.extra["device_t0"], in the file's time unit); 0 when the file had no clock.
double device_start_s(const Imported& part);

// Seconds per unit of a reader's time_unit text ("s", "ms", "us", "ns"); 0 for "none (...)" (no time column).
double seconds_per_unit(const std::string& unit);

}  // namespace stride::io
