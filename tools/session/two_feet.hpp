// Two-feet sessions at the edge: which input files belong together, and putting both feet on one clock.
// (The analysis of a pair is analysis/pipeline.hpp's analyze_two_feet; this only reads metadata and shifts time.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stride/recording_io.hpp"

namespace stride::session {

// One session to analyse: one sensor (`right` empty), or the left and right foot.
struct SessionFiles {
  std::string path;               // one sensor; for two feet, the left file
  std::string right_path;         // two feet: the right file (equal to `path` for a file holding both sensors)
  std::string gyro_path;          // one sensor in two files (an app's export): its gyroscope file; `path` is then
                                  // the accelerometer file (io::import_input joins them)
  bool two_feet() const { return !right_path.empty(); }
  std::vector<std::string> parts() const { return gyro_path.empty() ? std::vector{path} : std::vector{path, gyro_path}; }
  std::string label() const;      // "a.csv", "acc.csv + gyro.csv", "left.csv + right.csv"
};

// Groups the positional files: native files whose metadata share a `session_id`, one declaring `side: left` and
// one `side: right`, become one two-feet session (unless `pair` is false); an accelerometer-only file next to a
// gyroscope-only file (an app's per-sensor export) becomes one sensor; every other file is its own session.
// Files that cannot be read are left as single sessions (their error is reported when they are analysed).
std::vector<SessionFiles> plan_sessions(const std::vector<std::string>& files, bool pair);

// How the two feet were put on one clock (session time 0 = the earlier of the two starts).
struct ClockAlignment {
  std::string source;             // "same_file"; "host_clock_marks" (both files carry the recorder's host-clock
                                  // notes: offset and drift); "host_clock" (only host_t0_unix_s: offset); or
                                  // "assumed_same_start" (nothing to align by: both files start at once)
  double left_shift_s = 0.0;      // added to the left file's times
  double right_shift_s = 0.0;     // added to the right file's times (after scaling them)
  double right_scale = 1.0;       // right times are multiplied by this first: the right device clock's rate
                                  // relative to the left's (drift_ppm = (right_scale - 1) * 1e6)
};

// Puts the two recordings' samples, gaps and clock marks on one clock: the left device's, from the earlier start.
// `same_file`: both came from one file (one clock already).
ClockAlignment align_clocks(Recording& left, Recording& right, bool same_file);

// The same alignment from what the files say of their clocks (metadata and clock marks; no samples needed) and the
// right file's first sample time (nullopt: it has none), for recordings read in passes.
ClockAlignment plan_clocks(const Recording& left, const Recording& right, std::optional<double> right_first_t_s,
                           bool same_file);
// t -> scale * t + shift for every time in the recording (samples, gaps, clock marks).
void retime(Recording& recording, double scale, double shift);

}  // namespace stride::session
