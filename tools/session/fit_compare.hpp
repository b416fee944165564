// `stride compare`: a session beside a watch's FIT file, lined up on the wall clock (the session's start time vs
// the FIT timestamps), per watch lap and over the whole overlap: cadence, contact time, step length, speed and
// distance, with the differences in %. Also the distance calibration factor (watch GPS / stride).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "firmware_iface/fit/reader.hpp"
#include "tools/session/fit_export.hpp"

namespace stride::session {

// A session document from PATH: a session JSON (`stride analyze --json`), or a recording, analysed with the
// default settings. Throws std::runtime_error naming the file when neither works.
nlohmann::json load_session_document(const std::string& path);

struct CompareOptions {
  double offset_s = 0;          // added to the session's times (a clock that was off)
  std::string start_iso;        // overrides the session's start time
};

struct MetricPair {
  std::string name;             // machine name with unit, e.g. "cadence_spm"
  std::string label;            // "Cadence [steps/min]"
  double stride = 0, watch = 0; // NaN: not available
  double diff_pct = 0;          // (stride - watch) / watch * 100; NaN when either is missing
};

struct CompareSegment {
  std::string label;            // "overlap" or "lap N"
  double from_unix_s = 0, to_unix_s = 0;
  std::vector<MetricPair> metrics;
};

struct CompareResult {
  double session_from_unix_s = 0, session_to_unix_s = 0;
  double watch_from_unix_s = 0, watch_to_unix_s = 0;
  std::string start_source;
  bool overlap = false;
  std::string message;          // no overlap: both time ranges and the --offset that would line the starts up
  std::vector<CompareSegment> segments;  // the whole overlap first, then the watch's laps inside it
  double calibration_factor = 0;         // watch distance / stride distance over the overlap (NaN: unknown)
  double watch_distance_m = 0, stride_distance_m = 0;
  std::vector<std::string> warnings;
};

CompareResult compare_with_watch(const nlohmann::json& doc, const fit::FitFile& watch, const CompareOptions& options);
nlohmann::json compare_to_json(const CompareResult& r);
std::string compare_table(const CompareResult& r);
std::string iso_utc(double unix_s);

}  // namespace stride::session
