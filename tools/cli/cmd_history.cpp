// `stride history`: a coach's overview of every athlete in the database (a table, or --json), one athlete's saved
// sessions, weekly volume, shoe mileage, trends and load flags (--athlete, or the only athlete), or one CSV row per
// session (--csv). Data to stdout (or the --csv file), messages to stderr. The numbers come from
// tools/history/athlete_history.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

#include "analysis/load_flags.hpp"
#include "stride/utf8.hpp"
#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/output_file.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/history/athlete_history.hpp"
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
  std::string csv_path;
  std::string as_of;
  std::vector<std::string> metrics;
  std::string flags_settings_path;
};

std::string num_or_dash(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "-"; }

std::string duration_words(double s) {
  if (!std::isfinite(s)) return "-";
  const auto t = static_cast<long>(std::lround(s));
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60) : fmt::format("{}:{:02}", t / 60, t % 60);
}

std::string athlete_words(const std::string& a) { return a.empty() ? std::string("(unnamed)") : utf8::printable(a); }

// Today in the local calendar, as days since 1970-01-01 (the calendar start_day counts in).
long today_day() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return static_cast<long>(*parse_iso_day(fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)));
}

// Every athlete of the database, one row each: the coach's first look.
int print_overview(const HistoryStore& store, const std::string& path, const std::vector<std::string>& athletes,
                   long as_of, bool as_json) {
  std::vector<AthleteOverview> rows;
  std::size_t total = 0;
  for (const auto& a : athletes) {
    rows.push_back(athlete_overview(a, store.sessions(a), as_of));
    total += rows.back().sessions;
  }
  if (as_json) {
    json list = json::array();
    for (const auto& r : rows)
      list.push_back({{"athlete", r.athlete}, {"sessions", r.sessions}, {"last_run", r.last_run},
                      {"km_7d", r.km_7d}, {"weekly_km_4w", r.weekly_km_4w}, {"open_flags", r.open_flags}});
    const json doc = {{"db", path}, {"as_of", date_of_day(as_of)}, {"athletes", list}};
    write_stdout(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return kOk;
  }
  std::string out = fmt::format("Athletes in {} as of {}: {} athletes, {} sessions\n\n", path, date_of_day(as_of),
                                rows.size(), total);
  out += fmt::format("  {:<18} {:>8}  {:<10}  {:>8}  {:>12}  {}\n", "athlete", "sessions", "last run", "km 7 d",
                     "km/week 4 wk", "open flags");
  for (const auto& r : rows) {
    std::string flags;
    for (const auto& f : r.open_flags) flags += (flags.empty() ? "" : ", ") + f;
    out += fmt::format("  {:<18} {:>8}  {:<10}  {:>8.1f}  {:>12.1f}  {}\n", utf8::cut(athlete_words(r.athlete), 18),
                       r.sessions, r.last_run, r.km_7d, r.weekly_km_4w, flags.empty() ? "-" : flags);
  }
  out += "\nOpen flags: those of the athlete's latest session (load flags included, data-quality notes left out).\n"
         "One athlete in full: stride history --athlete NAME; every session as CSV: stride history --csv FILE\n";
  write_stdout(out);
  return kOk;
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
  long as_of = 0;
  if (!o.as_of.empty()) {
    const auto day = parse_iso_day(o.as_of);
    if (!day) {
      fmt::print(stderr, "stride history: --as-of '{}': expected a date, e.g. 2025-03-02\n", utf8::printable(o.as_of));
      return kBadArguments;
    }
    as_of = static_cast<long>(std::floor(*day));
  } else {
    as_of = today_day();
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
  if (o.athlete && std::find(athletes.begin(), athletes.end(), *o.athlete) == athletes.end()) {
    fmt::print(stderr, "stride history: no sessions of athlete '{}' in '{}' (athletes: {})\n", utf8::printable(*o.athlete),
               path, athlete_list());
    return kBadInput;
  }
  if (o.athlete) athletes = {*o.athlete};

  if (!o.csv_path.empty()) {  // every session of the chosen athletes (all of them without --athlete)
    std::vector<SessionRow> rows;
    for (const auto& a : athletes)
      for (auto& r : store->sessions(a))
        if (o.shoe.empty() || r.shoe == o.shoe) rows.push_back(std::move(r));
    const std::string csv = sessions_csv(rows);
    if (o.csv_path == "-") {
      write_stdout(csv);
    } else {
      write_file(o.csv_path, csv);
      fmt::print(stderr, "stride history: {} sessions of {} athlete{} -> {}\n", rows.size(), athletes.size(),
                 athletes.size() == 1 ? "" : "s", o.csv_path);
    }
    return kOk;
  }
  if (athletes.size() > 1) {
    if (!o.shoe.empty() || !o.metrics.empty()) {
      fmt::print(stderr, "stride history: '{}' holds several athletes ({}): --shoe and --metric need --athlete\n",
                 path, athlete_list());
      return kBadArguments;
    }
    return print_overview(*store, path, athletes, as_of, o.json);
  }
  const std::string athlete = athletes.front();
  const AthleteHistory h = athlete_history(store->sessions(athlete), o.shoe, o.metrics, flag_settings);
  const std::vector<SessionRow>& shown = h.sessions;
  if (shown.empty()) {
    fmt::print(stderr, "stride history: no sessions of {} in shoe '{}' in '{}'\n",
               athlete.empty() ? std::string("the unnamed athlete") : "'" + athlete + "'", o.shoe, path);
    return kBadInput;
  }

  if (o.json) {
    json doc = athlete_history_json(h, flag_settings, flags_json(h.load_flags));
    doc["db"] = path;
    // Stored strings are valid UTF-8 (history_save); a database from an older version may still hold others.
    write_stdout(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return kOk;
  }

  const std::string impact = h.shin ? "pta_g" : "peak_impact_g";
  const LoadContext& ctx = h.load;
  std::FILE* out = stdout;
  fmt::print(out, "History of {} in {}: {} sessions{}, {} to {}\n",
             athlete.empty() ? std::string("the unnamed athlete") : "'" + utf8::printable(athlete) + "'", path, shown.size(),
             o.shoe.empty() ? std::string() : " in shoe '" + utf8::printable(o.shoe) + "'", shown.front().start_time.substr(0, 10),
             shown.back().start_time.substr(0, 10));
  fmt::print(out, "\nSessions\n  {:<10}  {:<14} {:>7} {:>8} {:>8} {:>8} {:>7}  {}\n", "date", "shoe", "km", "time",
             "cadence", "contact", h.shin ? "PTA g" : "impact", "flags");
  for (const auto& r : shown) {
    std::string fl;
    for (const auto& f : r.flags)
      if (f.id != "data_quality" && fl.find(f.id) == std::string::npos) fl += (fl.empty() ? "" : ", ") + f.id;
    fmt::print(out, "  {:<10}  {:<14} {:>7} {:>8} {:>8} {:>8} {:>7}  {}\n", r.start_time.substr(0, 10),
               r.shoe.empty() ? "-" : std::string(utf8::cut(utf8::printable(r.shoe), 14)), num_or_dash(r.distance_m / 1000.0, 2),
               duration_words(r.duration_s), num_or_dash(r.metric_median("cadence_spm"), 0),
               num_or_dash(r.metric_median("gct_ms"), 0), num_or_dash(r.metric_median(impact), 1),
               fl.empty() ? "-" : fl);
  }
  fmt::print(out, "\nWeekly volume (Mon-Sun, all shoes)\n  {:<9} {:>8} {:>5} {:>8}\n", "week", "km", "runs", "change");
  for (const auto& w : h.weeks)
    fmt::print(out, "  {:<9} {:>8.1f} {:>5} {:>8}\n", iso_week(w.week), w.km, w.sessions,
               !std::isfinite(w.change_rel)             ? std::string("-")
               : std::round(100.0 * w.change_rel) == 0 ? std::string("0 %")  // never "-0 %"
                                                        : fmt::format("{:+.0f} %", std::round(100.0 * w.change_rel)));
  fmt::print(out, "\nShoes\n");
  for (const auto& s : h.shoes)
    fmt::print(out, "  {:<14} {:>7.1f} km {:>4} sessions  {} to {}{}\n", s.shoe.empty() ? "(not named)" : utf8::printable(s.shoe),
               s.km, s.sessions, s.first, s.last,
               s.past_reminder ? fmt::format("  past {:.0f} km", flag_settings.shoe_reminder_km) : std::string());
  fmt::print(out, "\nTrends (session medians, least-squares slope per week)\n");
  for (const auto& t : h.trends)
    fmt::print(out, "  {:<24} {:>3} sessions  first {:>8}  last {:>8}  slope {:>8} /week\n", t.metric, t.n,
               num_or_dash(t.first, 2), num_or_dash(t.last, 2),
               std::isfinite(t.slope_per_week) ? fmt::format("{:+.3f}", t.slope_per_week) : std::string("-"));
  fmt::print(out, "\nLoad as of the latest session ({})\n", h.latest.start_time.substr(0, 10));
  fmt::print(out, "  this week {:.1f} km in {} runs, the week before {:.1f} km in {}; longest run in the {:.0f} days "
                  "before: {} km\n",
             ctx.week_km, ctx.week_sessions, ctx.previous_week_km, ctx.previous_week_sessions,
             flag_settings.load_window_days, num_or_dash(ctx.longest_window_km, 1));
  fmt::print(out, "  acute:chronic {} (7 days {:.1f} km / 28-day weekly mean {:.1f} km): context only, not a flag\n",
             num_or_dash(ctx.acwr, 2), ctx.acute_7d_km, ctx.chronic_28d_weekly_km);
  if (h.load_flags.empty()) fmt::print(out, "  flags: none\n");
  for (const auto& f : h.load_flags) fmt::print(out, "  flag {:<4} {:<12} {}\n", to_string(f.severity), f.id, f.title);
  for (const auto& f : h.load_flags)
    if (f.id == "data_quality") fmt::print(out, "    ({})\n", f.evidence);
  return kOk;
}

}  // namespace

Action add_history(CLI::App& app) {
  auto o = std::make_shared<HistoryOptions>();
  auto* cmd = app.add_subcommand("history", "The training history: every athlete at a glance, or one athlete's "
                                            "sessions, weekly volume, shoes, trends, load flags; --csv exports");
  cmd->add_option("--db", o->db, "History database (default $XDG_DATA_HOME/stride/history.sqlite, else "
                                 "~/.local/share/stride/history.sqlite)");
  cmd->add_option("--athlete", o->athlete, "Whose sessions (without it, a database of several athletes shows one "
                                          "row per athlete)");
  cmd->add_option("--shoe", o->shoe, "Only the sessions in this shoe (weekly volume and load flags still count all)");
  auto* json_flag = cmd->add_flag("--json", o->json, "One JSON document on stdout");
  cmd->add_option("--csv", o->csv_path, "Write one CSV row per session to PATH ('-' = stdout): every athlete's, or "
                                        "--athlete's (docs/history.md)")
      ->excludes(json_flag);
  cmd->add_option("--as-of", o->as_of, "The day the overview's last 7 and 28 days end on (default: today)");
  cmd->add_option("--metric", o->metrics, "Metrics to trend (machine names, e.g. gct_ms); default: cadence, contact "
                                          "time, impact, speed, stride length");
  cmd->add_option("--flags-settings", o->flags_settings_path, "JSON object of flag thresholds (docs/flags.md)")
      ->check(existing_file());
  return [o] { return run(*o); };
}

}  // namespace stride::cli
