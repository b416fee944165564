// What the stored sessions add up to, for `stride history` (table, --json, --csv) and `stride report --history`:
// one athlete's weekly load, shoes, metric trends and load as of the latest session, a one-line overview per
// athlete for a coach's database, and the per-session CSV. Pure: stored rows in, values out (no SQLite, no
// printing); the JSON is the `stride history --json` document, which the HTML history report renders
// (docs/history.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "analysis/load_flags.hpp"
#include "stride/flag.hpp"
#include "tools/history/history_store.hpp"

namespace stride::history {

// Calendar helpers for days since 1970-01-01 (local calendar, as SessionRow::start_day).
std::string date_of_day(long day);   // "2025-03-02"
std::string iso_week(long week);     // week_of_day's Monday-start index -> "2025-W09"

// One Monday-to-Sunday week of an athlete's running (all shoes), from the first week with a session to the last.
struct WeekLoad {
  long week = 0;                     // week_of_day index
  double km = 0;                     // sessions without a measured distance count 0
  int sessions = 0;
  double change_rel = std::nan("");  // vs the week before (NaN: that week had 0 km)
  // weekly_jump's line: the week before x (1 + weekly_jump_rel), when the week before had at least
  // weekly_min_prev_km (else the rule is not evaluated: NaN).
  double jump_limit_km = std::nan("");
  double acwr = std::nan("");        // acute:chronic as of the week's last session (context only, never a flag)
};

struct ShoeMileage {
  std::string shoe;                  // "" = not named
  double km = 0;
  int sessions = 0;
  std::string first, last;           // dates
  bool past_reminder = false;        // km >= shoe_reminder_km
};

// Session medians of one metric over time: first, last and the least-squares slope per week.
struct Trend {
  std::string metric;
  std::size_t n = 0;
  double first = std::nan(""), last = std::nan(""), slope_per_week = std::nan("");
};

struct AthleteHistory {
  std::string athlete;
  std::string shoe_filter;           // "" = every shoe
  std::vector<SessionRow> sessions;  // the shown ones (shoe_filter), oldest first
  bool shin = false;                 // most shown sessions are from a shin sensor (impact = PTA)
  std::vector<WeekLoad> weeks;       // all the athlete's sessions, whatever the shoe
  std::vector<ShoeMileage> shoes;
  std::vector<Trend> trends;
  SessionRow latest;                 // the athlete's latest session, any shoe
  LoadContext load;                  // as of `latest`
  std::vector<Flag> load_flags;      // as of `latest`
};

// `all` = every stored session of one athlete, oldest first (HistoryStore::sessions); not empty. `metrics` = the
// metrics to trend (empty: cadence, contact time, impact or PTA, speed, stride length). Empty `sessions` in the
// result means no session in `shoe_filter`.
AthleteHistory athlete_history(const std::vector<SessionRow>& all, const std::string& shoe_filter,
                               std::vector<std::string> metrics, const FlagSettings& settings);

// The `stride history --json` document (without "db"). Fields: docs/history.md. `load_flags` = h.load_flags as the
// session documents write flags (session::flags_json: this room does not link the session library).
nlohmann::json athlete_history_json(const AthleteHistory& h, const FlagSettings& settings,
                                    const nlohmann::json& load_flags);

// Contact-time (or any metric's) asymmetry of a two-feet session from its per-foot medians:
// 200 |L - R| / (L + R) in percent; NaN for one foot or a metric not measured on both.
double asymmetry_pct(const SessionRow& s, const std::string& metric);

// The impact metric of a session: axial PTA for a shin sensor, else the peak impact (g both).
std::string impact_metric(const SessionRow& s);

// A coach's row for one athlete. "As of" a day: the 7 and 28 days that end with that day.
struct AthleteOverview {
  std::string athlete;
  std::size_t sessions = 0;
  std::string last_run;              // date of the latest session
  double km_7d = 0;                  // the 7 days up to and including the as-of day
  double weekly_km_4w = 0;           // the mean weekly km over the 28 days up to and including it
  std::vector<std::string> open_flags;  // the latest session's flag ids (warnings first), without data_quality notes
};
AthleteOverview athlete_overview(const std::string& athlete, const std::vector<SessionRow>& all, long as_of_day);

// One row per session (sessions of several athletes may be mixed), with a header; RFC 4180 quoting; numbers with
// a '.' decimal point, empty cells for "not measured". Columns: docs/history.md.
std::string sessions_csv(const std::vector<SessionRow>& sessions);

}  // namespace stride::history
