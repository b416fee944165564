// `stride history`: the saved sessions of one athlete, weekly volume, shoe mileage, trends of the key metrics and
// the load flags as of the latest session. Data to stdout (a table, or --json), messages to stderr.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "analysis/load_flags.hpp"
#include "stride/utf8.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/output_file.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/history/history_save.hpp"
#include "tools/history/history_store.hpp"

namespace stride::cli {
using namespace session;
using namespace history;
namespace {

using nlohmann::json;

struct HistoryOptions {
  std::string db;
  std::optional<std::string> athlete;
  std::string shoe;
  bool json = false;
  std::vector<std::string> metrics;
  std::string flags_settings_path;
};

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

std::string num_or_dash(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "-"; }
json num_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string duration_words(double s) {
  if (!std::isfinite(s)) return "-";
  const auto t = static_cast<long>(std::lround(s));
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60) : fmt::format("{}:{:02}", t / 60, t % 60);
}

struct Trend {
  std::string metric;
  std::size_t n = 0;
  double first = std::nan(""), last = std::nan(""), slope_per_week = std::nan("");
};

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

int run(const HistoryOptions& o) {
  FlagSettings flag_settings;
  if (!o.flags_settings_path.empty()) {
    try {
      flag_settings = load_flag_settings(o.flags_settings_path);
    } catch (const std::exception& e) {
      fmt::print(stderr, "stride history: --flags-settings: {}\n", e.what());
      return kBadArguments;
    }
  }
  std::string path;
  std::unique_ptr<HistoryStore> store;
  std::vector<std::string> athletes;
  try {
    path = o.db.empty() ? default_db_path() : o.db;
    store = std::make_unique<HistoryStore>(path, HistoryStore::Mode::read_only);
    athletes = store->athletes();
  } catch (const HistoryError& e) {
    fmt::print(stderr, "stride history: {}\n", e.what());
    return e.exit_code();
  }
  if (athletes.empty()) {
    fmt::print(stderr, "stride history: the history database '{}' has no sessions yet: save some with "
                       "`stride analyze FILE --save`\n", path);
    return kBadInput;
  }
  const auto athlete_list = [&] {
    std::string s;
    for (const auto& a : athletes) s += (s.empty() ? "" : ", ") + (a.empty() ? std::string("(unnamed)") : "'" + utf8::printable(a) + "'");
    return s;
  };
  std::string athlete;
  if (o.athlete) {
    if (std::find(athletes.begin(), athletes.end(), *o.athlete) == athletes.end()) {
      fmt::print(stderr, "stride history: no sessions of athlete '{}' in '{}' (athletes: {})\n", utf8::printable(*o.athlete), path,
                 athlete_list());
      return kBadInput;
    }
    athlete = *o.athlete;
  } else if (athletes.size() == 1) {
    athlete = athletes.front();
  } else {
    fmt::print(stderr, "stride history: '{}' holds several athletes ({}): choose one with --athlete\n", path,
               athlete_list());
    return kBadArguments;
  }
  const std::vector<SessionRow> all = store->sessions(athlete);
  std::vector<SessionRow> shown;
  for (const auto& r : all)
    if (o.shoe.empty() || r.shoe == o.shoe) shown.push_back(r);
  if (shown.empty()) {
    fmt::print(stderr, "stride history: no sessions of {} in shoe '{}' in '{}'\n",
               athlete.empty() ? std::string("the unnamed athlete") : "'" + athlete + "'", o.shoe, path);
    return kBadInput;
  }
  const bool shin = std::count_if(shown.begin(), shown.end(), [](const SessionRow& r) { return r.placement == "shin"; }) * 2 >
                    static_cast<long>(shown.size());
  const std::string impact_metric = shin ? "pta_g" : "peak_impact_g";

  // Weekly volume (all the athlete's sessions, whatever the shoe).
  struct Week {
    long week;
    double km = 0;
    int sessions = 0;
  };
  std::vector<Week> weeks;
  for (long w = week_of_day(all.front().start_day); w <= week_of_day(all.back().start_day); ++w) weeks.push_back({w});
  for (const auto& r : all) {
    auto& w = weeks[static_cast<std::size_t>(week_of_day(r.start_day) - weeks.front().week)];
    w.km += std::isfinite(r.distance_m) ? r.distance_m / 1000.0 : 0.0;
    ++w.sessions;
  }
  // Shoes.
  struct Shoe {
    double km = 0;
    int sessions = 0;
    std::string first, last;
  };
  std::map<std::string, Shoe> shoes;
  for (const auto& r : all) {
    if (!o.shoe.empty() && r.shoe != o.shoe) continue;
    auto& s = shoes[r.shoe];
    s.km += std::isfinite(r.distance_m) ? r.distance_m / 1000.0 : 0.0;
    ++s.sessions;
    if (s.first.empty()) s.first = r.start_time.substr(0, 10);
    s.last = r.start_time.substr(0, 10);
  }
  // Trends.
  std::vector<std::string> metrics = o.metrics;
  if (metrics.empty()) metrics = {"cadence_spm", "gct_ms", impact_metric, "speed_mps", "stride_length_m"};
  std::vector<Trend> trends;
  for (const auto& m : metrics) trends.push_back(trend_of(shown, m));
  // Load as of the latest session.
  const SessionRow& latest = all.back();
  std::vector<LoadSession> earlier;
  for (std::size_t i = 0; i + 1 < all.size(); ++i) earlier.push_back(load_session_from_row(all[i]));
  const LoadSession cur = load_session_from_row(latest);
  const LoadContext ctx = load_context(cur, earlier, flag_settings);
  const std::vector<Flag> load_flags = evaluate_load_flags(cur, earlier, flag_settings);

  if (o.json) {
    json sessions = json::array();
    for (const auto& r : shown) {
      json m = json::object();
      for (const auto& x : r.metrics) m[x.metric] = num_or_null(r.metric_median(x.metric));
      json fl = json::array();
      for (const auto& f : r.flags) fl.push_back({{"id", f.id}, {"severity", f.severity}, {"title", f.title}, {"side", f.side}});
      sessions.push_back({{"id", r.id},                     {"start_time", r.start_time},
                          {"date_source", r.date_source},   {"shoe", r.shoe},
                          {"input_file", r.input_file},     {"input_fnv1a64", r.input_hash},
                          {"distance_m", num_or_null(r.distance_m)}, {"duration_s", num_or_null(r.duration_s)},
                          {"strides_valid", r.strides_valid}, {"placement", r.placement},
                          {"two_feet", r.two_feet},         {"speed_mps", num_or_null(r.speed_mps)},
                          {"metrics", m},                   {"flags", fl}});
    }
    json jw = json::array();
    for (std::size_t i = 0; i < weeks.size(); ++i) {
      const double prev = i ? weeks[i - 1].km : 0.0;
      jw.push_back({{"week", iso_week(weeks[i].week)},
                    {"monday", date_of_day(weeks[i].week * 7 - 3)},
                    {"distance_km", weeks[i].km},
                    {"sessions", weeks[i].sessions},
                    {"change_rel", prev > 0 ? json(weeks[i].km / prev - 1.0) : json(nullptr)}});
    }
    json js = json::array();
    for (const auto& [name, s] : shoes)
      js.push_back({{"shoe", name}, {"distance_km", s.km}, {"sessions", s.sessions}, {"first", s.first},
                    {"last", s.last}, {"past_reminder", s.km >= flag_settings.shoe_reminder_km}});
    json jt = json::object();
    for (const auto& t : trends)
      jt[t.metric] = {{"sessions", t.n}, {"first", num_or_null(t.first)}, {"last", num_or_null(t.last)},
                      {"slope_per_week", num_or_null(t.slope_per_week)}};
    const json doc = {
        {"db", path},
        {"athlete", athlete},
        {"shoe_filter", o.shoe},
        {"sessions", sessions},
        {"weeks", jw},
        {"shoes", js},
        {"trends", jt},
        {"load",
         {{"session_id", latest.id},
          {"start_time", latest.start_time},
          {"context",
           {{"week_km", ctx.week_km},
            {"previous_week_km", ctx.previous_week_km},
            {"longest_window_km", num_or_null(ctx.longest_window_km)},
            {"window_days", flag_settings.load_window_days},
            {"acute_7d_km", ctx.acute_7d_km},
            {"chronic_28d_weekly_km", ctx.chronic_28d_weekly_km},
            {"acwr", num_or_null(ctx.acwr)},
            {"acwr_note", "context only, never a flag (Impellizzeri 2021; Frandsen 2025)"}}},
          {"flags", flags_json(load_flags)}}}};
    // Stored strings are valid UTF-8 (history_save); a database from an older version may still hold others.
    write_stdout(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return kOk;
  }

  std::FILE* out = stdout;
  fmt::print(out, "History of {} in {}: {} sessions{}, {} to {}\n",
             athlete.empty() ? std::string("the unnamed athlete") : "'" + utf8::printable(athlete) + "'", path, shown.size(),
             o.shoe.empty() ? std::string() : " in shoe '" + utf8::printable(o.shoe) + "'", shown.front().start_time.substr(0, 10),
             shown.back().start_time.substr(0, 10));
  fmt::print(out, "\nSessions\n  {:<10}  {:<14} {:>7} {:>8} {:>8} {:>8} {:>7}  {}\n", "date", "shoe", "km", "time",
             "cadence", "contact", shin ? "PTA g" : "impact", "flags");
  for (const auto& r : shown) {
    std::string fl;
    for (const auto& f : r.flags)
      if (f.id != "data_quality" && fl.find(f.id) == std::string::npos) fl += (fl.empty() ? "" : ", ") + f.id;
    fmt::print(out, "  {:<10}  {:<14} {:>7} {:>8} {:>8} {:>8} {:>7}  {}\n", r.start_time.substr(0, 10),
               r.shoe.empty() ? "-" : std::string(utf8::cut(utf8::printable(r.shoe), 14)), num_or_dash(r.distance_m / 1000.0, 2),
               duration_words(r.duration_s), num_or_dash(r.metric_median("cadence_spm"), 0),
               num_or_dash(r.metric_median("gct_ms"), 0), num_or_dash(r.metric_median(impact_metric), 1),
               fl.empty() ? "-" : fl);
  }
  fmt::print(out, "\nWeekly volume (Mon-Sun, all shoes)\n  {:<9} {:>8} {:>5} {:>8}\n", "week", "km", "runs", "change");
  for (std::size_t i = 0; i < weeks.size(); ++i) {
    const double prev = i ? weeks[i - 1].km : 0.0;
    fmt::print(out, "  {:<9} {:>8.1f} {:>5} {:>8}\n", iso_week(weeks[i].week), weeks[i].km, weeks[i].sessions,
               prev > 0 ? fmt::format("{:+.0f} %", 100.0 * (weeks[i].km / prev - 1.0)) : std::string("-"));
  }
  fmt::print(out, "\nShoes\n");
  for (const auto& [name, s] : shoes)
    fmt::print(out, "  {:<14} {:>7.1f} km {:>4} sessions  {} to {}{}\n", name.empty() ? "(not named)" : utf8::printable(name), s.km,
               s.sessions, s.first, s.last,
               s.km >= flag_settings.shoe_reminder_km
                   ? fmt::format("  past {:.0f} km", flag_settings.shoe_reminder_km)
                   : std::string());
  fmt::print(out, "\nTrends (session medians, least-squares slope per week)\n");
  for (const auto& t : trends)
    fmt::print(out, "  {:<24} {:>3} sessions  first {:>8}  last {:>8}  slope {:>8} /week\n", t.metric, t.n,
               num_or_dash(t.first, 2), num_or_dash(t.last, 2),
               std::isfinite(t.slope_per_week) ? fmt::format("{:+.3f}", t.slope_per_week) : std::string("-"));
  fmt::print(out, "\nLoad as of the latest session ({})\n", latest.start_time.substr(0, 10));
  fmt::print(out, "  this week {:.1f} km in {} runs, the week before {:.1f} km in {}; longest run in the {:.0f} days "
                  "before: {} km\n",
             ctx.week_km, ctx.week_sessions, ctx.previous_week_km, ctx.previous_week_sessions,
             flag_settings.load_window_days, num_or_dash(ctx.longest_window_km, 1));
  fmt::print(out, "  acute:chronic {} (7 days {:.1f} km / 28-day weekly mean {:.1f} km): context only, not a flag\n",
             num_or_dash(ctx.acwr, 2), ctx.acute_7d_km, ctx.chronic_28d_weekly_km);
  if (load_flags.empty()) fmt::print(out, "  flags: none\n");
  for (const auto& f : load_flags) fmt::print(out, "  flag {:<4} {:<12} {}\n", to_string(f.severity), f.id, f.title);
  for (const auto& f : load_flags)
    if (f.id == "data_quality") fmt::print(out, "    ({})\n", f.evidence);
  return kOk;
}

}  // namespace

Action add_history(CLI::App& app) {
  auto o = std::make_shared<HistoryOptions>();
  auto* cmd = app.add_subcommand("history", "The training history: sessions, weekly volume, shoes, trends, load flags");
  cmd->add_option("--db", o->db, "History database (default $XDG_DATA_HOME/stride/history.sqlite, else "
                                 "~/.local/share/stride/history.sqlite)");
  cmd->add_option("--athlete", o->athlete, "Whose sessions (needed when the database holds several athletes)");
  cmd->add_option("--shoe", o->shoe, "Only the sessions in this shoe (weekly volume and load flags still count all)");
  cmd->add_flag("--json", o->json, "One JSON document on stdout");
  cmd->add_option("--metric", o->metrics, "Metrics to trend (machine names, e.g. gct_ms); default: cadence, contact "
                                          "time, impact, speed, stride length");
  cmd->add_option("--flags-settings", o->flags_settings_path, "JSON object of flag thresholds (docs/flags.md)")
      ->check(CLI::ExistingFile);
  return [o] { return run(*o); };
}

}  // namespace stride::cli
