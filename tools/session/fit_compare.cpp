#include "tools/session/fit_compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "firmware_iface/fit/profile.hpp"
#include "tools/document/session_document.hpp"
#include "tools/session/analyze_session.hpp"
#include "tools/session/slim_document.hpp"

namespace stride::session {
namespace {

using nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
namespace p = fit::profile;

struct WatchRecord {
  double t = 0;  // Unix s
  double cadence_spm = kNaN, stance_ms = kNaN, step_m = kNaN, speed_mps = kNaN, distance_m = kNaN;
};

std::vector<WatchRecord> watch_records(const fit::FitFile& f) {
  std::vector<WatchRecord> out;
  for (const auto& m : f.messages) {
    if (m.global != p::mesg::record || !m.timestamp()) continue;
    namespace q = p::record;
    WatchRecord r;
    r.t = fit::fit_to_unix(*m.timestamp());
    if (const auto c = m.raw(q::cadence); c && *c > 0) r.cadence_spm = 2 * (*c + m.raw(q::fractional_cadence).value_or(0) / 128);
    r.stance_ms = m.scaled(q::stance_time, 10).value_or(kNaN);
    r.step_m = m.scaled(q::step_length, 10).value_or(kNaN) / 1000;
    const auto es = m.scaled(q::enhanced_speed, 1000);
    r.speed_mps = es ? *es : m.scaled(q::speed, 1000).value_or(kNaN);
    r.distance_m = m.scaled(q::distance, 100).value_or(kNaN);
    out.push_back(r);
  }
  return out;
}

double diff_pct(double a, double b) { return std::isfinite(a) && std::isfinite(b) && b != 0 ? (a - b) / b * 100 : kNaN; }

CompareSegment segment(const std::string& label, double from, double to, const StrideTimeline& t,
                       const std::vector<WatchRecord>& w, double& stride_distance, double& watch_distance) {
  CompareSegment s;
  s.label = label;
  s.from_unix_s = from;
  s.to_unix_s = to;
  RunningMean cad, gct, step, speed;
  double length_sum = 0;
  bool any_length = false;
  std::vector<std::string> feet;
  for (const auto& x : t.strides) {
    if (x.ic_unix_s < from || x.ic_unix_s >= to) continue;
    cad.add(x.cadence_spm);
    gct.add(x.gct_ms);
    step.add(x.stride_length_m / 2);
    speed.add(x.speed_mps);
    if (std::isfinite(x.stride_length_m)) length_sum += x.stride_length_m, any_length = true;
    if (std::find(feet.begin(), feet.end(), x.foot) == feet.end()) feet.push_back(x.foot);
  }
  stride_distance = any_length ? length_sum / static_cast<double>(std::max<std::size_t>(feet.size(), 1)) : kNaN;
  RunningMean wcad, wgct, wstep, wspeed;
  double d_first = kNaN, d_last = kNaN;
  for (const auto& r : w) {
    if (r.t <= from && std::isfinite(r.distance_m)) d_first = r.distance_m;  // distance at the window's start
    if (r.t < from || r.t > to) continue;
    if (!std::isfinite(d_first) && std::isfinite(r.distance_m)) d_first = r.distance_m;
    if (std::isfinite(r.distance_m)) d_last = r.distance_m;
    wcad.add(r.cadence_spm);
    wgct.add(r.stance_ms);
    wstep.add(r.step_m);
    if (r.speed_mps > 0) wspeed.add(r.speed_mps);
  }
  watch_distance = d_last - d_first;
  auto add = [&](const char* name, const char* label, double a, double b) {
    s.metrics.push_back({name, label, a, b, diff_pct(a, b)});
  };
  add("cadence_spm", "Cadence [steps/min]", cad.mean(), wcad.mean());
  add("gct_ms", "Contact time [ms]", gct.mean(), wgct.mean());
  add("step_length_m", "Step length [m]", step.mean(), wstep.mean());
  add("speed_mps", "Speed [m/s]", speed.mean(), wspeed.mean());
  add("distance_m", "Distance [m]", stride_distance, watch_distance);
  return s;
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

std::string iso_utc(double unix_s) {
  const auto t = static_cast<std::time_t>(std::floor(unix_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

json load_session_document(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
  }
  if (c == '{') {
    in.seekg(0);
    json doc;
    try {
      doc = parse_keeping_timeline_fields(in);
    } catch (const json::exception& e) {
      throw std::runtime_error(path + ": not a valid session JSON: " + e.what());
    }
    document::check_readable(doc, path);  // an unknown schema or no session at all: named, with the file
    return doc;
  }
  AnalyzeRequest request;  // a recording: the offline pipeline with default settings, no output
  const SessionOutcome outcome = analyse_session({path, "", ""}, request);
  if (!outcome.analysed() || outcome.doc.is_null())
    throw std::runtime_error(outcome.error.empty() ? path + ": could not be analysed" : outcome.error);
  return outcome.doc.materialise();
}

CompareResult compare_with_watch(const json& doc, const fit::FitFile& watch, const CompareOptions& options) {
  CompareResult r;
  // Fallback start for a session without one: none that could line up with a watch; use 0 and let the overlap
  // check say so.
  StrideTimeline t = stride_timeline(doc, options.start_iso, 0, "no start time (Unix 0)");
  for (auto& s : t.strides) s.ic_unix_s += options.offset_s, s.next_ic_unix_s += options.offset_s;
  t.start_unix_s += options.offset_s;
  r.warnings = t.warnings;
  r.start_source = t.start_source;
  r.session_from_unix_s = t.start_unix_s;
  r.session_to_unix_s = t.start_unix_s + t.duration_s;
  const auto w = watch_records(watch);
  if (w.empty()) throw std::invalid_argument("the watch file has no record messages with a timestamp");
  r.watch_from_unix_s = w.front().t;
  r.watch_to_unix_s = w.back().t;
  const double from = std::max(r.session_from_unix_s, r.watch_from_unix_s);
  const double to = std::min(r.session_to_unix_s, r.watch_to_unix_s);
  r.overlap = to > from;
  if (!r.overlap) {
    r.message = fmt::format(
        "the session and the watch do not overlap in time: session {} to {} ({}), watch {} to {}; if a clock was "
        "off, --offset {:.0f} lines up the starts (seconds added to the session's times)",
        iso_utc(r.session_from_unix_s), iso_utc(r.session_to_unix_s), t.start_source, iso_utc(r.watch_from_unix_s),
        iso_utc(r.watch_to_unix_s), r.watch_from_unix_s - r.session_from_unix_s + options.offset_s);
    return r;
  }
  double sd = kNaN, wd = kNaN;
  r.segments.push_back(segment("overlap", from, to, t, w, sd, wd));
  r.stride_distance_m = sd;
  r.watch_distance_m = wd;
  r.calibration_factor = std::isfinite(sd) && std::isfinite(wd) && sd > 0 ? wd / sd : kNaN;
  int lap_no = 0;
  for (const auto& m : watch.messages) {
    if (m.global != p::mesg::lap) continue;
    ++lap_no;
    const auto start = m.raw(p::lap::start_time);
    const auto elapsed = m.scaled(p::lap::total_elapsed_time, 1000);
    if (!start) continue;
    const double lap_from = fit::fit_to_unix(static_cast<std::uint32_t>(*start));
    const double lap_to = elapsed ? lap_from + *elapsed : (m.timestamp() ? fit::fit_to_unix(*m.timestamp()) : lap_from);
    const double a = std::max(lap_from, from), b = std::min(lap_to, to);
    if (b <= a) continue;
    double s1 = 0, w1 = 0;
    r.segments.push_back(segment(fmt::format("lap {}", lap_no), a, b, t, w, s1, w1));
  }
  return r;
}

json compare_to_json(const CompareResult& r) {
  json segments = json::array();
  for (const auto& s : r.segments) {
    json metrics = json::object();
    for (const auto& m : s.metrics)
      metrics[m.name] = {{"stride", number_or_null(m.stride)}, {"watch", number_or_null(m.watch)},
                         {"diff_pct", number_or_null(m.diff_pct)}};
    segments.push_back({{"label", s.label}, {"from", iso_utc(s.from_unix_s)}, {"to", iso_utc(s.to_unix_s)},
                        {"duration_s", s.to_unix_s - s.from_unix_s}, {"metrics", metrics}});
  }
  return {{"session", {{"from", iso_utc(r.session_from_unix_s)}, {"to", iso_utc(r.session_to_unix_s)},
                       {"start_source", r.start_source}}},
          {"watch", {{"from", iso_utc(r.watch_from_unix_s)}, {"to", iso_utc(r.watch_to_unix_s)}}},
          {"overlap", r.overlap},
          {"message", r.message},
          {"segments", segments},
          {"calibration",
           {{"factor", number_or_null(r.calibration_factor)},
            {"watch_distance_m", number_or_null(r.watch_distance_m)},
            {"stride_distance_m", number_or_null(r.stride_distance_m)}}},
          {"warnings", r.warnings}};
}

std::string compare_table(const CompareResult& r) {
  std::string out = fmt::format("session {} to {} ({})\nwatch   {} to {}\n", iso_utc(r.session_from_unix_s),
                                iso_utc(r.session_to_unix_s), r.start_source, iso_utc(r.watch_from_unix_s),
                                iso_utc(r.watch_to_unix_s));
  auto cell = [](double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("-"); };
  for (const auto& s : r.segments) {
    out += fmt::format("\n{} ({} to {}, {:.0f} s)\n", s.label, iso_utc(s.from_unix_s), iso_utc(s.to_unix_s),
                       s.to_unix_s - s.from_unix_s);
    out += fmt::format("  {:<22} {:>10} {:>10} {:>9}\n", "", "stride", "watch", "diff");
    for (const auto& m : s.metrics) {
      const int dec = m.name == "step_length_m" || m.name == "speed_mps" ? 2 : 1;
      out += fmt::format("  {:<22} {:>10} {:>10} {:>9}\n", m.label, cell(m.stride, dec), cell(m.watch, dec),
                         std::isfinite(m.diff_pct) ? fmt::format("{:+.1f}%", m.diff_pct) : std::string("-"));
    }
  }
  if (std::isfinite(r.calibration_factor))
    out += fmt::format("\ndistance calibration factor (watch / stride): {:.4f}\n", r.calibration_factor);
  return out;
}

}  // namespace stride::session
