#include "tools/history/athlete_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "tools/history/history_save.hpp"

namespace stride::history {
namespace {

using nlohmann::json;

json num_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double km_of(const SessionRow& r) { return std::isfinite(r.distance_m) ? r.distance_m / 1000.0 : 0.0; }

// Days since 1970-01-01 -> civil date (H. Hinnant's civil_from_days).
void civil_from_days(long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2);
}

Trend trend_of(const std::vector<SessionRow>& rows, const std::string& metric) {
  Trend t;
  t.metric = metric;
  std::vector<std::pair<double, double>> p;
  for (const auto& r : rows)
    if (const double v = r.metric_median(metric); std::isfinite(v)) p.push_back({r.start_day / 7.0, v});
  t.n = p.size();
  if (p.empty()) return t;
  t.first = p.front().second;
  t.last = p.back().second;
  if (p.size() < 2) return t;
  double mx = 0, my = 0;
  for (const auto& [x, y] : p) {
    mx += x;
    my += y;
  }
  mx /= static_cast<double>(p.size());
  my /= static_cast<double>(p.size());
  double sxy = 0, sxx = 0;
  for (const auto& [x, y] : p) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  if (sxx > 0) t.slope_per_week = sxy / sxx;
  return t;
}

// The load of session i as of its own start, from the sessions before it.
LoadContext context_at(const std::vector<SessionRow>& all, std::size_t i, const FlagSettings& settings) {
  std::vector<LoadSession> earlier;
  earlier.reserve(i);
  for (std::size_t k = 0; k < i; ++k) earlier.push_back(load_session_from_row(all[k]));
  return load_context(load_session_from_row(all[i]), earlier, settings);
}

// RFC 4180: quoted when it holds a delimiter, a quote or a line break; quotes doubled.
std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_num(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : ""; }

}  // namespace

std::string date_of_day(long day) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// ISO 8601 week label of a Monday-start week index (week_of_day): the year is the one of the week's Thursday.
std::string iso_week(long week) {
  const long thursday = week * 7;  // week_of_day: Monday = week * 7 - 3
  int y;
  unsigned m, d;
  civil_from_days(thursday, y, m, d);
  const auto jan1 = static_cast<long>(*parse_iso_day(fmt::format("{:04}-01-01", y)));
  return fmt::format("{:04}-W{:02}", y, (thursday - jan1) / 7 + 1);
}

std::string impact_metric(const SessionRow& s) { return s.placement == "shin" ? "pta_g" : "peak_impact_g"; }

double asymmetry_pct(const SessionRow& s, const std::string& metric) {
  double left = std::nan(""), right = std::nan("");
  for (const auto& m : s.metrics)
    if (m.metric == metric) {
      if (m.side == "left") left = m.median;
      if (m.side == "right") right = m.median;
    }
  if (!s.two_feet || !std::isfinite(left) || !std::isfinite(right) || !(left + right > 0)) return std::nan("");
  return 200.0 * std::abs(left - right) / (left + right);
}

AthleteHistory athlete_history(const std::vector<SessionRow>& all, const std::string& shoe_filter,
                               std::vector<std::string> metrics, const FlagSettings& settings) {
  AthleteHistory h;
  if (all.empty()) return h;
  h.athlete = all.front().athlete;
  h.shoe_filter = shoe_filter;
  for (const auto& r : all)
    if (shoe_filter.empty() || r.shoe == shoe_filter) h.sessions.push_back(r);
  h.shin = std::count_if(h.sessions.begin(), h.sessions.end(), [](const SessionRow& r) { return r.placement == "shin"; }) * 2 >
           static_cast<long>(h.sessions.size());

  // Weekly load (all the athlete's sessions, whatever the shoe); each week's acute:chronic as of its last session.
  const long first_week = week_of_day(all.front().start_day);
  for (long w = first_week; w <= week_of_day(all.back().start_day); ++w) h.weeks.push_back({.week = w});
  std::vector<std::size_t> last_of_week(h.weeks.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto at = static_cast<std::size_t>(week_of_day(all[i].start_day) - first_week);
    h.weeks[at].km += km_of(all[i]);
    ++h.weeks[at].sessions;
    last_of_week[at] = i;
  }
  for (std::size_t k = 0; k < h.weeks.size(); ++k) {
    const double prev = k ? h.weeks[k - 1].km : 0.0;
    if (prev > 0) h.weeks[k].change_rel = h.weeks[k].km / prev - 1.0;
    if (k && prev >= settings.weekly_min_prev_km) h.weeks[k].jump_limit_km = prev * (1.0 + settings.weekly_jump_rel);
    if (last_of_week[k] < all.size()) h.weeks[k].acwr = context_at(all, last_of_week[k], settings).acwr;
  }

  std::map<std::string, ShoeMileage> shoes;
  for (const auto& r : h.sessions) {
    auto& s = shoes[r.shoe];
    s.shoe = r.shoe;
    s.km += km_of(r);
    ++s.sessions;
    if (s.first.empty()) s.first = r.start_time.substr(0, 10);
    s.last = r.start_time.substr(0, 10);
  }
  for (auto& [name, s] : shoes) {
    s.past_reminder = s.km >= settings.shoe_reminder_km;
    h.shoes.push_back(s);
  }

  if (metrics.empty())
    metrics = {"cadence_spm", "gct_ms", h.shin ? "pta_g" : "peak_impact_g", "speed_mps", "stride_length_m"};
  for (const auto& m : metrics) h.trends.push_back(trend_of(h.sessions, m));

  h.latest = all.back();
  std::vector<LoadSession> earlier;
  for (std::size_t i = 0; i + 1 < all.size(); ++i) earlier.push_back(load_session_from_row(all[i]));
  const LoadSession cur = load_session_from_row(h.latest);
  h.load = load_context(cur, earlier, settings);
  h.load_flags = evaluate_load_flags(cur, earlier, settings);
  return h;
}

json athlete_history_json(const AthleteHistory& h, const FlagSettings& settings, const json& load_flags) {
  json sessions = json::array();
  for (const auto& r : h.sessions) {
    json m = json::object();
    for (const auto& x : r.metrics) m[x.metric] = num_or_null(r.metric_median(x.metric));
    json fl = json::array();
    for (const auto& f : r.flags) fl.push_back({{"id", f.id}, {"severity", f.severity}, {"title", f.title}, {"side", f.side}});
    json s = {{"id", r.id},
              {"start_time", r.start_time},
              {"start_day", r.start_day},
              {"date_source", r.date_source},
              {"shoe", r.shoe},
              {"input_file", r.input_file},
              {"input_fnv1a64", r.input_hash},
              {"distance_m", num_or_null(r.distance_m)},
              {"duration_s", num_or_null(r.duration_s)},
              {"strides_valid", r.strides_valid},
              {"placement", r.placement},
              {"two_feet", r.two_feet},
              {"speed_mps", num_or_null(r.speed_mps)},
              {"metrics", m},
              {"flags", fl}};
    if (r.two_feet) {  // left vs right from the per-foot medians
      json a = json::object();
      for (const auto& [name, v] : m.items())
        if (const double si = asymmetry_pct(r, name); std::isfinite(si)) a[name] = si;
      s["asymmetry_pct"] = a;
    }
    sessions.push_back(std::move(s));
  }
  json jw = json::array();
  for (const auto& w : h.weeks)
    jw.push_back({{"week", iso_week(w.week)},
                  {"monday", date_of_day(w.week * 7 - 3)},
                  {"distance_km", w.km},
                  {"sessions", w.sessions},
                  {"change_rel", num_or_null(w.change_rel)},
                  {"jump_limit_km", num_or_null(w.jump_limit_km)},
                  {"acwr", num_or_null(w.acwr)}});
  json js = json::array();
  for (const auto& s : h.shoes)
    js.push_back({{"shoe", s.shoe}, {"distance_km", s.km}, {"sessions", s.sessions}, {"first", s.first},
                  {"last", s.last}, {"past_reminder", s.past_reminder}});
  json jt = json::object();
  for (const auto& t : h.trends)
    jt[t.metric] = {{"sessions", t.n}, {"first", num_or_null(t.first)}, {"last", num_or_null(t.last)},
                    {"slope_per_week", num_or_null(t.slope_per_week)}};
  const LoadContext& ctx = h.load;
  return {{"athlete", h.athlete},
          {"shoe_filter", h.shoe_filter},
          {"sessions", sessions},
          {"weeks", jw},
          {"shoes", js},
          {"trends", jt},
          {"settings",
           {{"weekly_jump_rel", settings.weekly_jump_rel},
            {"low_cadence_spm", settings.low_cadence_spm},
            {"asymmetry_si_pct", 100.0 * settings.asymmetry_si},
            {"weekly_min_prev_km", settings.weekly_min_prev_km},
            {"shoe_reminder_km", settings.shoe_reminder_km}}},
          {"load",
           {{"session_id", h.latest.id},
            {"start_time", h.latest.start_time},
            {"context",
             {{"week_km", ctx.week_km},
              {"previous_week_km", ctx.previous_week_km},
              {"longest_window_km", num_or_null(ctx.longest_window_km)},
              {"window_days", settings.load_window_days},
              {"acute_7d_km", ctx.acute_7d_km},
              {"chronic_28d_weekly_km", ctx.chronic_28d_weekly_km},
              {"acwr", num_or_null(ctx.acwr)},
              {"acwr_note", "context only, never a flag (Impellizzeri 2021; Frandsen 2025)"}}},
            {"flags", load_flags}}}};
}

AthleteOverview athlete_overview(const std::string& athlete, const std::vector<SessionRow>& all, long as_of_day) {
  AthleteOverview o;
  o.athlete = athlete;
  o.sessions = all.size();
  if (all.empty()) return o;
  o.last_run = all.back().start_time.substr(0, 10);
  const double end = static_cast<double>(as_of_day + 1);  // the end of the as-of day
  for (const auto& r : all) {
    if (r.start_day >= end) continue;  // after the as-of day
    if (r.start_day >= end - 7) o.km_7d += km_of(r);
    if (r.start_day >= end - 28) o.weekly_km_4w += km_of(r) / 4.0;
  }
  for (const char* severity : {"warn", "info"})
    for (const auto& f : all.back().flags)
      if (f.severity == severity && f.id != "data_quality" &&
          std::find(o.open_flags.begin(), o.open_flags.end(), f.id) == o.open_flags.end())
        o.open_flags.push_back(f.id);
  return o;
}

std::string sessions_csv(const std::vector<SessionRow>& sessions) {
  std::string out =
      "athlete,session_id,date,date_source,shoe,file,placement,two_feet,duration_s,distance_km,strides_valid,"
      "strides_total,speed_mps,cadence_spm,gct_ms,stride_length_m,impact_g,impact_metric,gct_asymmetry_pct,"
      "flags\r\n";
  for (const auto& r : sessions) {
    std::string flags;
    for (const auto& f : r.flags)
      if (f.id != "data_quality" && (";" + flags + ";").find(";" + f.id + ";") == std::string::npos)
        flags += (flags.empty() ? "" : ";") + f.id;
    const std::string impact = impact_metric(r);
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_cell(r.athlete), r.id,
                       csv_cell(r.start_time), csv_cell(r.date_source), csv_cell(r.shoe), csv_cell(r.input_file),
                       csv_cell(r.placement), r.two_feet ? 1 : 0, csv_num(r.duration_s, 1),
                       csv_num(r.distance_m / 1000.0, 3), r.strides_valid, r.strides_total, csv_num(r.speed_mps, 3),
                       csv_num(r.metric_median("cadence_spm"), 1), csv_num(r.metric_median("gct_ms"), 1),
                       csv_num(r.metric_median("stride_length_m"), 3), csv_num(r.metric_median(impact), 2), impact,
                       csv_num(asymmetry_pct(r, "gct_ms"), 1), csv_cell(flags));
  }
  return out;
}

}  // namespace stride::history
