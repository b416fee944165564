#include "tools/session/fit_export.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "firmware_iface/fit/profile.hpp"
#include "firmware_iface/fit/writer.hpp"
#include "tools/document/session_document.hpp"
#include "tools/session/output_file.hpp"

namespace stride::session {
namespace {

using nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double num(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : kNaN;
}

std::string text(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The fields add_strides reads: keep the two in step.
constexpr std::array<std::string_view, 13> kTimelineStrideFields = {
    "valid",   "foot",          "ic_s",   "next_ic_s", "cadence_spm", "gct_ms",       "flight_ms", "stride_length_m",
    "speed_mps", "fsa_deg", "pronation_excursion_deg", "pronation_velocity_dps", "peak_impact_g"};

void add_strides(const json& foot_doc, const std::string& side_default, double shift_s, StrideTimeline& t) {
  const auto it = foot_doc.find("strides");
  if (it == foot_doc.end() || !it->is_array()) return;
  for (const auto& s : *it) {
    if (!s.value("valid", false)) continue;
    TimedStride x;
    x.foot = text(s, "foot").empty() ? side_default : text(s, "foot");
    x.ic_unix_s = t.start_unix_s + shift_s + num(s, "ic_s");
    x.next_ic_unix_s = t.start_unix_s + shift_s + num(s, "next_ic_s");
    if (!std::isfinite(x.ic_unix_s) || !std::isfinite(x.next_ic_unix_s) || x.next_ic_unix_s <= x.ic_unix_s) continue;
    x.cadence_spm = num(s, "cadence_spm");
    x.gct_ms = num(s, "gct_ms");
    x.flight_ms = num(s, "flight_ms");
    x.stride_length_m = num(s, "stride_length_m");
    x.speed_mps = num(s, "speed_mps");
    x.fsa_deg = num(s, "fsa_deg");
    x.pronation_excursion_deg = num(s, "pronation_excursion_deg");
    x.pronation_velocity_dps = num(s, "pronation_velocity_dps");
    x.peak_impact_g = num(s, "peak_impact_g");
    t.strides.push_back(x);
  }
}

}  // namespace

bool timeline_reads_stride_field(std::string_view key) {
  return std::find(kTimelineStrideFields.begin(), kTimelineStrideFields.end(), key) != kTimelineStrideFields.end();
}

std::optional<double> parse_iso_utc(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, used = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) return std::nullopt;
  std::size_t at = 10;
  double sec = 0, offset_s = 0;
  if (at < iso.size()) {
    if (iso[at] != 'T' && iso[at] != ' ') return std::nullopt;
    if (std::sscanf(iso.c_str() + at + 1, "%2d:%2d%n", &h, &mi, &used) != 2 || used != 5) return std::nullopt;
    at += 6;
    if (at < iso.size() && iso[at] == ':') {
      std::size_t end = at + 1;
      while (end < iso.size() && (std::isdigit(static_cast<unsigned char>(iso[end])) || iso[end] == '.')) ++end;
      if (end == at + 1) return std::nullopt;
      sec = std::stod(iso.substr(at + 1, end - at - 1));
      at = end;
    }
    if (at < iso.size() && iso[at] == 'Z') {
      ++at;
    } else if (at < iso.size() && (iso[at] == '+' || iso[at] == '-')) {
      int oh = 0, om = 0;
      const std::string rest = iso.substr(at + 1);
      if (std::sscanf(rest.c_str(), "%2d:%2d%n", &oh, &om, &used) == 2 && used == 5 && rest.size() == 5) {
      } else if (std::sscanf(rest.c_str(), "%2d%2d%n", &oh, &om, &used) == 2 && used == 4 && rest.size() == 4) {
      } else if (std::sscanf(rest.c_str(), "%2d%n", &oh, &used) == 1 && used == 2 && rest.size() == 2) {
        om = 0;
      } else {
        return std::nullopt;
      }
      offset_s = (iso[at] == '-' ? -1 : 1) * (oh * 3600.0 + om * 60.0);
      at = iso.size();
    }
  }
  if (at != iso.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(sec >= 0 && sec < 61))
    return std::nullopt;
  const auto days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return static_cast<double>(days) * 86400.0 + h * 3600.0 + mi * 60.0 + sec - offset_s;
}

StrideTimeline stride_timeline(const json& doc, const std::string& start_iso, double fallback_unix_s,
                               const std::string& fallback_source) {
  StrideTimeline t;
  const auto feet = document::feet(doc);  // any layout (tools/document); left first
  if (feet.empty()) throw std::invalid_argument("not a session document: no foot under \"feet\"");
  t.two_feet = document::is_two_feet(doc);
  const json* first = feet.front().doc;  // two feet: every time in the document is on the left device's clock
  const json meta = first->value("metadata", json::object());
  if (!start_iso.empty()) {
    const auto s = parse_iso_utc(start_iso);
    if (!s) throw std::invalid_argument("start time '" + start_iso + "': expected ISO 8601, e.g. 2025-05-01T07:30:00Z");
    t.start_unix_s = *s;
    t.start_source = "--start";
  } else if (const auto s = parse_iso_utc(text(meta, "start_time"))) {
    t.start_unix_s = *s;
    t.start_source = "metadata start_time";
    const std::string st = text(meta, "start_time");
    if (st.find('Z') == std::string::npos && st.find('+', 10) == std::string::npos && st.find('-', 10) == std::string::npos)
      t.warnings.push_back("start_time '" + st + "' has no UTC offset: taken as UTC");
  } else if (const auto extra = meta.find("extra"); extra != meta.end() && extra->contains("host_t0_unix_s") &&
                                                    std::isfinite(std::atof(text(*extra, "host_t0_unix_s").c_str())) &&
                                                    std::atof(text(*extra, "host_t0_unix_s").c_str()) > 0) {
    t.start_unix_s = std::atof(text(*extra, "host_t0_unix_s").c_str());
    t.start_source = "host_t0_unix_s";
  } else {
    t.start_unix_s = fallback_unix_s;
    t.start_source = fallback_source;
    t.warnings.push_back("the recording has no start time: used " + fallback_source + " (give --start ISO to set it)");
  }
  t.duration_s = 0;
  for (const auto& f : feet) {
    if (t.two_feet && f.side == "unknown") continue;
    add_strides(*f.doc, f.side, 0, t);
    const double d = num(f.doc->value("summary", json::object()), "duration_s");
    t.duration_s = f.doc == first ? d : std::max(t.duration_s, d);
    if (!t.two_feet) break;  // one sensor: its one foot
  }
  std::sort(t.strides.begin(), t.strides.end(),
            [](const TimedStride& a, const TimedStride& b) { return a.ic_unix_s < b.ic_unix_s; });
  if (t.strides.empty()) throw std::invalid_argument("the session has no valid strides: nothing to write");
  if (!std::isfinite(t.duration_s) || t.duration_s <= 0) t.duration_s = t.strides.back().next_ic_unix_s - t.start_unix_s;
  return t;
}

const std::vector<StrideDevField>& stride_developer_fields() {
  static const std::vector<StrideDevField> fields = {{0, "Foot strike angle", "deg"},
                                                     {1, "Pronation excursion", "deg"},
                                                     {2, "Pronation velocity", "deg/s"},
                                                     {3, "Impact peak", "g"},
                                                     {4, "Flight time", "ms"}};
  return fields;
}

FitActivity build_fit_activity(const StrideTimeline& timeline, const FitExportOptions& options) {
  FitActivity a;
  a.timeline = timeline;
  const auto start = static_cast<std::int64_t>(std::floor(timeline.start_unix_s)) - fit::kFitEpochUnixS;
  if (start < fit::kMinAbsoluteDateTime || start > 0xFFFFFFF0LL)
    throw std::invalid_argument("start time outside what FIT can carry (1998 to 2126)");
  const double t0 = static_cast<double>(start + fit::kFitEpochUnixS);
  if (!(timeline.duration_s <= kMaxFitExportSeconds))
    throw std::invalid_argument(fmt::format("a session of {:.6g} s", timeline.duration_s) +
                                ": expected at most 7 days (604800 s), one FIT record a second; the document's "
                                "summary.duration_s or its strides' times are not a recording's");
  const auto seconds = static_cast<std::size_t>(std::ceil(std::max(timeline.duration_s, 1.0)));
  const auto& st = timeline.strides;
  std::vector<std::string> feet;
  for (const auto& s : st)
    if (std::find(feet.begin(), feet.end(), s.foot) == feet.end()) feet.push_back(s.foot);
  // Each foot's strides with a length, in the timeline's order, and the running sum of the lengths of those completed
  // by the end of the current second: a cursor per foot, so the export is linear in the session's length (it summed
  // every stride for every second: 24 h took minutes). The sums are built in the same order as before, so the same
  // values come out, as long as a foot's strides end in order (they do: each ends where its next one starts).
  struct FootDistance {
    std::vector<std::size_t> strides;
    std::size_t done = 0;
    double sum = 0;
  };
  std::vector<FootDistance> distance(feet.size());
  bool any_length = false;
  for (std::size_t i = 0; i < st.size(); ++i)
    if (std::isfinite(st[i].stride_length_m)) {
      any_length = true;
      distance[static_cast<std::size_t>(std::find(feet.begin(), feet.end(), st[i].foot) - feet.begin())]
          .strides.push_back(i);
    }
  std::size_t first_open = 0;  // the strides before it ended before the current second

  for (std::size_t k = 0; k < seconds; ++k) {
    const double lo = t0 + static_cast<double>(k), hi = lo + 1;
    FitSecond r;
    r.timestamp = static_cast<std::uint32_t>(start + static_cast<std::int64_t>(k));
    RunningMean cad, gct, pct, step, speed, fsa, pex, pvel, impact, flight, left_gct, right_gct;
    while (first_open < st.size() && st[first_open].next_ic_unix_s <= lo) ++first_open;
    for (std::size_t i = first_open; i < st.size(); ++i) {
      const TimedStride& s = st[i];
      if (s.ic_unix_s >= hi) break;
      if (s.next_ic_unix_s <= lo) continue;
      cad.add(s.cadence_spm);
      gct.add(s.gct_ms);
      // Contact time over the stride time (120 / steps per minute), as watches write it (docs/fit.md).
      if (s.cadence_spm > 0) pct.add(s.gct_ms / (120000.0 / s.cadence_spm) * 100.0);
      step.add(s.stride_length_m / 2);
      speed.add(s.speed_mps);
      fsa.add(s.fsa_deg);
      pex.add(s.pronation_excursion_deg);
      pvel.add(s.pronation_velocity_dps);
      impact.add(s.peak_impact_g);
      flight.add(s.flight_ms);
      if (s.foot == "left") left_gct.add(s.gct_ms);
      if (s.foot == "right") right_gct.add(s.gct_ms);
    }
    r.cadence_spm = cad.mean();
    r.stance_time_ms = gct.mean();
    r.stance_time_percent = pct.mean();
    r.stance_time_balance =
        timeline.two_feet ? 100.0 * left_gct.mean() / (left_gct.mean() + right_gct.mean()) : kNaN;
    r.step_length_m = step.mean();
    r.speed_mps = speed.mean();
    r.fsa_deg = fsa.mean();
    r.pronation_excursion_deg = pex.mean();
    r.pronation_velocity_dps = pvel.mean();
    r.impact_g = impact.mean();
    r.flight_ms = flight.mean();
    // Distance: each foot's completed stride lengths by the end of this second; feet averaged.
    RunningMean dist;
    for (auto& foot : distance) {
      while (foot.done < foot.strides.size() && st[foot.strides[foot.done]].next_ic_unix_s <= hi)
        foot.sum += st[foot.strides[foot.done++]].stride_length_m;
      dist.add(foot.sum);
    }
    r.distance_m = any_length ? dist.mean() : kNaN;
    a.records.push_back(r);
  }

  // Laps: a new lap after each lap_m metres; the last one ends with the session.
  auto summarise = [&](std::size_t first, std::size_t end) {
    FitLapSummary l;
    l.first_record = first;
    l.end_record = end;
    l.start_time = a.records[first].timestamp;
    l.end_time = a.records[end - 1].timestamp + 1;
    const double before = first > 0 ? a.records[first - 1].distance_m : 0.0;
    l.distance_m = a.records[end - 1].distance_m - (std::isfinite(before) ? before : 0.0);
    const double lo = t0 + static_cast<double>(first), hi = t0 + static_cast<double>(end);
    RunningMean cad, gct, pct, step, left_gct, right_gct;
    // The timeline is sorted by IC: a lap's strides are one run of it, found by bisection (a scan of every stride
    // per lap made `--lap-m 1` on a day quadratic), and read in the same order as before, so the same sums.
    const auto from = std::lower_bound(st.begin(), st.end(), lo,
                                       [](const TimedStride& s, double t) { return s.ic_unix_s < t; });
    for (auto it = from; it != st.end() && it->ic_unix_s < hi; ++it) {
      const TimedStride& s = *it;
      ++l.strides;
      cad.add(s.cadence_spm);
      gct.add(s.gct_ms);
      if (s.cadence_spm > 0) pct.add(s.gct_ms / (120000.0 / s.cadence_spm) * 100.0);
      step.add(s.stride_length_m / 2);
      if (s.foot == "left") left_gct.add(s.gct_ms);
      if (s.foot == "right") right_gct.add(s.gct_ms);
    }
    if (timeline.two_feet) l.strides /= 2;  // total_cycles: strides of one foot
    l.cadence_spm = cad.mean();
    l.stance_time_ms = gct.mean();
    l.stance_time_percent = pct.mean();
    l.stance_time_balance = timeline.two_feet ? 100.0 * left_gct.mean() / (left_gct.mean() + right_gct.mean()) : kNaN;
    l.step_length_m = step.mean();
    return l;
  };
  std::size_t first = 0;
  double lap_base = 0;
  for (std::size_t k = 0; k < a.records.size(); ++k) {
    const double d = a.records[k].distance_m;
    if (options.lap_m > 0 && std::isfinite(d) && d - lap_base >= options.lap_m && k + 1 < a.records.size()) {
      a.laps.push_back(summarise(first, k + 1));
      first = k + 1;
      lap_base += options.lap_m;
    }
  }
  a.laps.push_back(summarise(first, a.records.size()));
  a.total = summarise(0, a.records.size());
  return a;
}

namespace {

using fit::BaseType;
using fit::OutField;
namespace p = fit::profile;

// raw = value * scale, or the invalid value when not measured or outside the field's range.
std::optional<double> scaled(double v, double scale, double max_raw) {
  if (!std::isfinite(v)) return std::nullopt;
  const double r = std::round(v * scale);
  if (r < 0 || r > max_raw) return std::nullopt;
  return r;
}

// FIT running cadence: strides per minute as an integer plus 1/128ths.
std::pair<std::optional<double>, std::optional<double>> cadence_fields(double spm) {
  if (!std::isfinite(spm) || spm <= 0) return {std::nullopt, std::nullopt};
  const double rpm = spm / 2;
  double whole = std::floor(rpm);
  double frac = std::round((rpm - whole) * 128);
  if (frac >= 128) whole += 1, frac = 0;
  if (whole > 254) return {std::nullopt, std::nullopt};
  return {whole, frac};
}

// Lap and session carry the same averages under different field numbers.
struct SummaryNumbers {
  std::uint8_t event_value, avg_speed, enhanced_avg_speed, avg_cadence, avg_fractional_cadence, avg_stance_time,
      avg_stance_time_percent, avg_stance_time_balance, avg_step_length, sport;
};
constexpr SummaryNumbers kLapNumbers{p::kEventLap, p::lap::avg_speed, p::lap::enhanced_avg_speed, p::lap::avg_cadence,
                                     p::lap::avg_fractional_cadence, p::lap::avg_stance_time,
                                     p::lap::avg_stance_time_percent, p::lap::avg_stance_time_balance,
                                     p::lap::avg_step_length, p::lap::sport};
constexpr SummaryNumbers kSessionNumbers{p::kEventSession, p::session::avg_speed, p::session::enhanced_avg_speed,
                                         p::session::avg_cadence, p::session::avg_fractional_cadence,
                                         p::session::avg_stance_time, p::session::avg_stance_time_percent,
                                         p::session::avg_stance_time_balance, p::session::avg_step_length,
                                         p::session::sport};

// Fields 0-2 and 7-10 have the same numbers in lap and session.
std::vector<OutField> summary_fields(const FitLapSummary& l, const SummaryNumbers& n) {
  const auto [cad, frac] = cadence_fields(l.cadence_spm);
  const double elapsed = static_cast<double>(l.end_time - l.start_time);
  const double avg_speed = std::isfinite(l.distance_m) && elapsed > 0 ? l.distance_m / elapsed : kNaN;
  return {OutField::num(p::kTimestamp, BaseType::uint32, l.end_time),
          OutField::num(p::session::event, BaseType::enum_, n.event_value),
          OutField::num(p::session::event_type, BaseType::enum_, p::kEventTypeStop),
          OutField::num(p::session::start_time, BaseType::uint32, l.start_time),
          OutField::num(p::session::total_elapsed_time, BaseType::uint32, elapsed * 1000),
          OutField::num(p::session::total_timer_time, BaseType::uint32, elapsed * 1000),
          OutField::opt(p::session::total_distance, BaseType::uint32, scaled(l.distance_m, 100, 4e9)),
          OutField::num(p::session::total_cycles, BaseType::uint32, l.strides),
          OutField::num(n.sport, BaseType::enum_, p::kSportRunning),
          OutField::opt(n.avg_speed, BaseType::uint16, scaled(avg_speed, 1000, 65534)),
          OutField::opt(n.enhanced_avg_speed, BaseType::uint32, scaled(avg_speed, 1000, 4e9)),
          OutField::opt(n.avg_cadence, BaseType::uint8, cad),
          OutField::opt(n.avg_fractional_cadence, BaseType::uint8, frac),
          OutField::opt(n.avg_stance_time, BaseType::uint16, scaled(l.stance_time_ms, 10, 65534)),
          OutField::opt(n.avg_stance_time_percent, BaseType::uint16, scaled(l.stance_time_percent, 100, 65534)),
          OutField::opt(n.avg_stance_time_balance, BaseType::uint16, scaled(l.stance_time_balance, 100, 65534)),
          OutField::opt(n.avg_step_length, BaseType::uint16, scaled(l.step_length_m * 1000, 10, 65534))};
}

}  // namespace

std::vector<std::uint8_t> encode_fit_activity(const FitActivity& a, const FitExportOptions& options) {
  fit::Writer w(p::kProfileVersion);
  const std::uint32_t t_start = a.records.front().timestamp;
  const std::uint32_t t_end = a.records.back().timestamp + 1;
  w.write(p::mesg::file_id, {OutField::num(p::file_id::type, BaseType::enum_, p::file_id::kTypeActivity),
                             OutField::num(p::file_id::manufacturer, BaseType::uint16, p::kManufacturerDevelopment),
                             OutField::num(p::file_id::product, BaseType::uint16, 1),
                             OutField::num(p::file_id::serial_number, BaseType::uint32z, 1),
                             OutField::num(p::file_id::time_created, BaseType::uint32, t_start),
                             OutField::str(p::file_id::product_name, options.product_name)});
  w.write(p::mesg::device_info,
          {OutField::num(p::kTimestamp, BaseType::uint32, t_start),
           OutField::num(p::device_info::device_index, BaseType::uint8, 0),  // the creator
           OutField::num(p::device_info::manufacturer, BaseType::uint16, p::kManufacturerDevelopment),
           OutField::num(p::device_info::product, BaseType::uint16, 1),
           OutField::num(p::device_info::serial_number, BaseType::uint32z, 1),
           OutField::num(p::device_info::software_version, BaseType::uint16, 10),  // 0.10
           OutField::str(p::device_info::product_name, options.product_name)});
  // stride's application id: "stride gait IMU " in ASCII (16 bytes).
  const std::string app = "stride gait IMU ";
  std::array<std::uint8_t, 16> app_id{};
  std::copy(app.begin(), app.end(), app_id.begin());
  w.add_developer(0, app_id, 1);
  for (const auto& d : stride_developer_fields()) {
    fit::DeveloperFieldDescription desc;
    desc.field_number = d.number;
    desc.type = BaseType::float32;
    desc.name = d.name;
    desc.units = d.units;
    w.describe_field(desc);
  }
  w.write(p::mesg::event, {OutField::num(p::kTimestamp, BaseType::uint32, t_start),
                           OutField::num(p::event::event, BaseType::enum_, p::kEventTimer),
                           OutField::num(p::event::event_type, BaseType::enum_, p::kEventTypeStart),
                           OutField::num(p::event::event_group, BaseType::uint8, 0)});
  const bool two_feet = a.timeline.two_feet;
  for (const auto& r : a.records) {
    namespace q = p::record;
    const auto [cad, frac] = cadence_fields(r.cadence_spm);
    std::vector<OutField> f = {
        OutField::num(p::kTimestamp, BaseType::uint32, r.timestamp),
        OutField::opt(q::distance, BaseType::uint32, scaled(r.distance_m, 100, 4e9)),
        OutField::opt(q::speed, BaseType::uint16, scaled(r.speed_mps, 1000, 65534)),
        OutField::opt(q::enhanced_speed, BaseType::uint32, scaled(r.speed_mps, 1000, 4e9)),
        OutField::opt(q::cadence, BaseType::uint8, cad),
        OutField::opt(q::fractional_cadence, BaseType::uint8, frac),
        OutField::opt(q::stance_time, BaseType::uint16, scaled(r.stance_time_ms, 10, 65534)),
        OutField::opt(q::stance_time_percent, BaseType::uint16, scaled(r.stance_time_percent, 100, 65534)),
        OutField::opt(q::step_length, BaseType::uint16, scaled(r.step_length_m * 1000, 10, 65534))};
    if (two_feet) f.push_back(OutField::opt(q::stance_time_balance, BaseType::uint16, scaled(r.stance_time_balance, 100, 65534)));
    const std::vector<fit::OutDevField> dev = {{0, 0, r.fsa_deg},
                                               {1, 0, r.pronation_excursion_deg},
                                               {2, 0, r.pronation_velocity_dps},
                                               {3, 0, r.impact_g},
                                               {4, 0, r.flight_ms}};
    w.write(p::mesg::record, f, dev);
  }
  w.write(p::mesg::event, {OutField::num(p::kTimestamp, BaseType::uint32, t_end),
                           OutField::num(p::event::event, BaseType::enum_, p::kEventTimer),
                           OutField::num(p::event::event_type, BaseType::enum_, p::kEventTypeStopAll),
                           OutField::num(p::event::event_group, BaseType::uint8, 0)});
  for (std::size_t i = 0; i < a.laps.size(); ++i) {
    auto f = summary_fields(a.laps[i], kLapNumbers);
    f.push_back(OutField::num(p::kMessageIndex, BaseType::uint16, static_cast<double>(i)));
    f.push_back(OutField::num(p::lap::lap_trigger, BaseType::enum_,
                              i + 1 < a.laps.size() ? p::kLapTriggerDistance : p::kLapTriggerSessionEnd));
    w.write(p::mesg::lap, f);
  }
  auto s = summary_fields(a.total, kSessionNumbers);
  s.push_back(OutField::num(p::session::sub_sport, BaseType::enum_, p::kSubSportGeneric));
  s.push_back(OutField::num(p::session::first_lap_index, BaseType::uint16, 0));
  s.push_back(OutField::num(p::session::trigger, BaseType::enum_, p::kSessionTriggerActivityEnd));
  s.push_back(OutField::num(p::kMessageIndex, BaseType::uint16, 0));
  s.push_back(OutField::num(p::session::num_laps, BaseType::uint16, static_cast<double>(a.laps.size())));
  w.write(p::mesg::session, s);
  w.write(p::mesg::activity, {OutField::num(p::kTimestamp, BaseType::uint32, t_end),
                              OutField::num(p::activity::total_timer_time, BaseType::uint32, (t_end - t_start) * 1000.0),
                              OutField::num(p::activity::num_sessions, BaseType::uint16, 1),
                              OutField::num(p::activity::type, BaseType::enum_, p::kActivityManual),
                              OutField::num(p::activity::event, BaseType::enum_, p::kEventActivity),
                              OutField::num(p::activity::event_type, BaseType::enum_, p::kEventTypeStop)});
  return w.finish();
}

FitExportReport export_fit(const json& doc, const std::string& path, const FitExportOptions& options) {
  // The fallback start: the recording file's modification time (when it ended) minus the session's duration.
  const auto feet = document::feet(doc);
  const json* first = feet.empty() ? &doc : feet.front().doc;
  const std::string input = first->contains("input") ? text((*first)["input"], "file") : std::string();
  double duration = num(first->value("summary", json::object()), "duration_s");
  if (!std::isfinite(duration)) duration = 0;
  struct stat sb {};
  double fallback = static_cast<double>(std::time(nullptr)) - duration;
  std::string source = "the time of export minus the duration";
  if (!input.empty() && ::stat(input.c_str(), &sb) == 0) {
    fallback = static_cast<double>(sb.st_mtime) - duration;
    source = "the modification time of " + input + " minus the duration";
  }
  const StrideTimeline timeline = stride_timeline(doc, options.start_iso, fallback, source);
  const FitActivity activity = build_fit_activity(timeline, options);
  const auto bytes = encode_fit_activity(activity, options);
  write_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  FitExportReport r;
  r.records = activity.records.size();
  r.laps = activity.laps.size();
  r.start_source = timeline.start_source;
  r.start_unix_s = timeline.start_unix_s;
  r.warnings = timeline.warnings;
  return r;
}

}  // namespace stride::session
