// What the stored sessions add up to (tools/history/athlete_history): weekly load with weekly_jump's line and the
// acute:chronic ratio, the coach's per-athlete overview as of a day, contact-time asymmetry from the feet's medians,
// and the per-session CSV (parsed back here). Also how a session is dated (history_save: session_date) from each
// source, and the one-side "feet" envelope of a session document.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "tools/history/athlete_history.hpp"
#include "tools/history/history_save.hpp"

namespace stride::test {
namespace {

using nlohmann::json;
using history::SessionRow;

// A stored session as the store gives it back: a day, a distance, and the medians that matter here.
SessionRow row(const std::string& athlete, const std::string& date, double km, double gct_left = 240,
               double gct_right = NAN) {
  SessionRow r;
  r.athlete = athlete;
  r.shoe = "peg";
  r.start_time = date + "T07:30:00";
  r.start_day = *history::parse_iso_day(r.start_time);
  r.date_source = "metadata";
  r.input_file = date + ".csv";
  r.distance_m = km * 1000.0;
  r.duration_s = km * 300.0;
  r.strides_valid = r.strides_total = static_cast<std::int64_t>(km * 400);
  r.placement = "shoe";
  r.two_feet = std::isfinite(gct_right);
  r.metrics.push_back({r.two_feet ? "left" : "right", "gct_ms", 100, gct_left, 10, gct_left});
  if (r.two_feet) r.metrics.push_back({"right", "gct_ms", 100, gct_right, 10, gct_right});
  r.metrics.push_back({r.two_feet ? "both" : "right", "cadence_spm", 100, 170, 3, 170});
  return r;
}

// RFC 4180 reader for the test: rows of cells, quotes undone.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += text[++i];
      else if (c == '"') quoted = false;
      else rows.back().back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else if (c != '\r') {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back().front().empty()) rows.pop_back();
  return rows;
}

TEST(AthleteHistory, WeeklyLoadJumpLineAndAcuteChronic) {
  // Mondays 2025-03-03, -10, -17, -24, -31: 10 km/week for four weeks (two runs each), then 16 km (+60 %).
  std::vector<SessionRow> all;
  for (const char* d : {"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13", "2025-03-17", "2025-03-20",
                        "2025-03-24", "2025-03-27"})
    all.push_back(row("ana", d, 5));
  all.push_back(row("ana", "2025-03-31", 8));
  all.push_back(row("ana", "2025-04-02", 8));
  const FlagSettings settings;
  const auto h = history::athlete_history(all, "", {}, settings);
  ASSERT_EQ(h.weeks.size(), 5u);
  EXPECT_EQ(history::iso_week(h.weeks[0].week), "2025-W10");
  EXPECT_NEAR(h.weeks[0].km, 10, 1e-9);
  EXPECT_FALSE(std::isfinite(h.weeks[0].jump_limit_km));  // no week before
  EXPECT_NEAR(h.weeks[4].km, 16, 1e-9);
  EXPECT_NEAR(h.weeks[4].change_rel, 0.6, 1e-9);
  EXPECT_NEAR(h.weeks[4].jump_limit_km, 13, 1e-9);  // 10 km x 1.3
  // Acute:chronic at the end of week 5 (2025-04-02): 7 days back to 2025-03-27 = 5 + 8 + 8 = 21 km; 28 days back
  // (after 2025-03-05): 5 (03-06) + 10 + 10 + 10 + 16 = 51 km, / 4 = 12.75 km a week; 21 / 12.75 = 1.647.
  EXPECT_NEAR(h.weeks[4].acwr, 21.0 / 12.75, 1e-9);
  EXPECT_FALSE(std::isfinite(h.weeks[0].acwr));  // the history does not reach 21 days back yet
  const json doc = history::athlete_history_json(h, settings, json::array());
  EXPECT_NEAR(doc["weeks"][4]["jump_limit_km"].get<double>(), 13, 1e-9);
  EXPECT_TRUE(doc["weeks"][0]["jump_limit_km"].is_null());
  EXPECT_NEAR(doc["sessions"][0]["start_day"].get<double>(), h.sessions[0].start_day, 1e-12);
  EXPECT_FALSE(doc["sessions"][0].contains("asymmetry_pct"));  // one foot
}

TEST(AthleteHistory, OverviewAsOfADayAndAsymmetry) {
  std::vector<SessionRow> all = {row("bo", "2025-03-01", 12), row("bo", "2025-03-10", 6), row("bo", "2025-03-14", 9)};
  all.back().flags = {{"data_quality", "info", "Data quality: too little history", ""},
                      {"low_cadence", "info", "Low step rate", "right"},
                      {"load_spike", "warn", "Longest run", ""}};
  const long as_of = static_cast<long>(*history::parse_iso_day("2025-03-16"));
  const auto o = history::athlete_overview("bo", all, as_of);
  EXPECT_EQ(o.sessions, 3u);
  EXPECT_EQ(o.last_run, "2025-03-14");
  EXPECT_NEAR(o.km_7d, 6 + 9, 1e-9);               // 03-10 to 03-16
  EXPECT_NEAR(o.weekly_km_4w, (12 + 6 + 9) / 4.0, 1e-9);  // 02-17 to 03-16: all three
  ASSERT_EQ(o.open_flags.size(), 2u);             // warnings first, no data_quality note
  EXPECT_EQ(o.open_flags[0], "load_spike");
  EXPECT_EQ(o.open_flags[1], "low_cadence");
  // As of a day before the last run: that run is not in "the last 7 days".
  const auto before = history::athlete_overview("bo", all, as_of - 3);  // 03-13: 03-07 to 03-13
  EXPECT_NEAR(before.km_7d, 6, 1e-9);

  const SessionRow two = row("bo", "2025-03-15", 8, 230, 250);
  EXPECT_NEAR(history::asymmetry_pct(two, "gct_ms"), 200.0 * 20 / 480, 1e-9);  // 8.33 %
  EXPECT_FALSE(std::isfinite(history::asymmetry_pct(all[0], "gct_ms")));
}

TEST(AthleteHistory, CsvOneRowPerSessionWithHeader) {
  std::vector<SessionRow> rows = {row("ana", "2025-03-02", 10.25), row("bo, \"the fast\"", "2025-03-03", 7, 230, 250)};
  rows[0].id = 7;
  rows[0].distance_m = NAN;  // not measured: an empty cell, not 0
  rows[1].id = 8;
  rows[1].shoe = "Clifton 9";
  rows[1].flags = {{"asymmetry", "warn", "L/R", "both"}, {"data_quality", "info", "x", ""}, {"asymmetry", "warn", "L/R", "left"}};
  const auto csv = parse_csv(history::sessions_csv(rows));
  ASSERT_EQ(csv.size(), 3u);
  const auto& head = csv[0];
  const auto col = [&](const std::string& name) {
    const auto it = std::find(head.begin(), head.end(), name);
    EXPECT_NE(it, head.end()) << name;
    return static_cast<std::size_t>(it - head.begin());
  };
  for (const auto& r : csv) EXPECT_EQ(r.size(), head.size());
  EXPECT_EQ(head[0], "athlete");
  EXPECT_EQ(csv[1][col("session_id")], "7");
  EXPECT_EQ(csv[1][col("date")], "2025-03-02T07:30:00");
  EXPECT_EQ(csv[1][col("distance_km")], "");
  EXPECT_EQ(csv[1][col("duration_s")], "3075.0");
  EXPECT_EQ(csv[1][col("cadence_spm")], "170.0");
  EXPECT_EQ(csv[1][col("gct_ms")], "240.0");
  EXPECT_EQ(csv[1][col("gct_asymmetry_pct")], "");
  EXPECT_EQ(csv[2][col("athlete")], "bo, \"the fast\"");  // quoted and given back whole
  EXPECT_EQ(csv[2][col("shoe")], "Clifton 9");
  EXPECT_EQ(csv[2][col("two_feet")], "1");
  EXPECT_EQ(csv[2][col("distance_km")], "7.000");
  EXPECT_EQ(csv[2][col("gct_ms")], "240.0");  // the mean of the feet
  EXPECT_EQ(csv[2][col("gct_asymmetry_pct")], "8.3");
  EXPECT_EQ(csv[2][col("flags")], "asymmetry");
  EXPECT_EQ(csv[2][col("impact_metric")], "peak_impact_g");
}

// A one-foot document with what the date needs; `extra` goes into metadata.extra.
json dated_doc(const std::string& file, const std::string& start_time, const json& extra, const std::string& time_unit) {
  return {{"input", {{"file", file}, {"fnv1a64", "abcd"}}},
          {"metadata", {{"start_time", start_time}, {"extra", extra}, {"side", "left"}}},
          {"import", {{"time_unit", time_unit}}},
          {"summary", {{"duration_s", 60}, {"strides_valid", 50}}}};
}

// The local calendar, while it lives, of a zone one hour east of UTC without summer time (a POSIX TZ rule, no
// tzdata needed): the local times expected below are then written out, not computed by a copy of the code tested.
struct UtcPlusOneHour {
  std::optional<std::string> saved;
  UtcPlusOneHour() {
    if (const char* tz = std::getenv("TZ")) saved = tz;
    ::setenv("TZ", "XXX-1", 1);
    ::tzset();
  }
  ~UtcPlusOneHour() {
    if (saved) ::setenv("TZ", saved->c_str(), 1);
    else ::unsetenv("TZ");
    ::tzset();
  }
};

TEST(AthleteHistory, SessionDateFromMetadataClocksOrFileTimeWithAWarning) {
  const UtcPlusOneHour local_time;
  ScratchDir dir;
  const fs::path file = dir / "run.csv";
  write_text(file, "t\n");
  const std::time_t mtime = 1740900600;  // 2025-03-02T07:30:00Z
  const utimbuf times{mtime, mtime};
  ASSERT_EQ(utime(file.c_str(), &times), 0);

  // 1. The recording's start time.
  auto d = history::session_date(dated_doc(file, "2025-05-01T06:00:00Z", json::object(), "ms"), "");
  EXPECT_EQ(d.source, "metadata");
  EXPECT_EQ(d.start_time, "2025-05-01T06:00:00Z");
  EXPECT_TRUE(d.warning.empty());
  // 2. The recorder's host clock, then the device's own epoch clock (ms, as MetaWear writes it); local time.
  d = history::session_date(dated_doc(file, "", {{"host_t0_unix_s", "1767225600.25"}}, "s"), "");
  EXPECT_EQ(d.source, "host clock");
  EXPECT_EQ(d.start_time, "2026-01-01T01:00:00");  // 1767225600: 2026-01-01T00:00:00Z
  EXPECT_TRUE(d.warning.empty());
  d = history::session_date(dated_doc(file, "", {{"device_t0", "1710697732324"}}, "ms"), "");
  EXPECT_EQ(d.source, "device clock");
  EXPECT_EQ(d.start_time, "2024-03-17T18:48:52");  // 1710697732: 2024-03-17T17:48:52Z
  EXPECT_NEAR(d.start_day, *history::parse_iso_day("2024-03-17T18:48:52"), 1e-12);
  // The same stamp read as seconds is year 56000: not a date. A board's clock since power-on is not one either.
  d = history::session_date(dated_doc(file, "", {{"device_t0", "1710697732324"}}, "s"), "");
  EXPECT_EQ(d.source, "file modification time");
  d = history::session_date(dated_doc(file, "", {{"device_t0", "5123.5"}}, "s"), "");
  // 3. The file's modification time: said so, naming the file.
  EXPECT_EQ(d.source, "file modification time");
  EXPECT_EQ(d.start_time, "2025-03-02T08:30:00");
  EXPECT_NE(d.warning.find(file.string() + ": dated by the file's modification time"), std::string::npos) << d.warning;
  EXPECT_NE(d.warning.find("pass --date to set it"), std::string::npos) << d.warning;
  // No file either: the time of saving, also with a warning.
  d = history::session_date(dated_doc((dir / "gone.csv").string(), "", json::object(), "s"), "");
  EXPECT_EQ(d.source, "time of saving");
  EXPECT_NE(d.warning.find("gone.csv: dated by the time of saving"), std::string::npos) << d.warning;
  // --date wins over everything.
  d = history::session_date(dated_doc(file, "2025-05-01T06:00:00Z", json::object(), "s"), "2025-06-01");
  EXPECT_EQ(d.source, "--date");
  EXPECT_EQ(d.start_time, "2025-06-01");
}

// The one-side envelope ({"feet": {"right": {...}}}) reads as one foot; the two-feet one as two.
TEST(AthleteHistory, DocumentFeetOfEachLayout) {
  const json foot = dated_doc("r.csv", "2025-05-01T06:00", json::object(), "s");
  auto feet = history::document_feet(foot);
  ASSERT_EQ(feet.size(), 1u);
  EXPECT_EQ(feet[0].first, "left");  // metadata.side
  feet = history::document_feet({{"schema", "stride.session/2"}, {"feet", {{"right", foot}}}});
  ASSERT_EQ(feet.size(), 1u);
  EXPECT_EQ(feet[0].first, "right");
  const json both = {{"session", "two_feet"}, {"feet", {{"right", foot}, {"left", foot}}}};
  feet = history::document_feet(both);
  ASSERT_EQ(feet.size(), 2u);
  EXPECT_EQ(feet[0].first, "left");
  EXPECT_THROW(history::document_feet({{"session", "two_feet"}, {"feet", {{"left", foot}}}}), history::HistoryError);
  EXPECT_THROW(history::document_feet({{"feet", json::object()}}), history::HistoryError);
  const auto r = history::session_row_from_document({{"schema", "stride.session/2"}, {"feet", {{"right", foot}}}}, {});
  EXPECT_FALSE(r.two_feet);
  EXPECT_EQ(r.start_time, "2025-05-01T06:00");
  EXPECT_EQ(history::document_inputs(both).file, "r.csv + r.csv");
  EXPECT_NEAR(history::document_inputs(both).valid_strides, 100, 1e-12);
}

// A count that no integer holds ("n": 2.4e113 in a metric, found by fuzz/fuzz_history_store.cpp: the cast to
// int64 was undefined) is clamped to 2^53, and a negative or non-numeric one is 0.
TEST(AthleteHistory, HostileCountsInADocumentAreClampedNotCast) {
  const json metrics = {{"gct_ms", {{"n", 2.4e113}, {"mean", 250.0}, {"sd", 10.0}, {"median", 249.0}}},
                        {"cadence_spm", {{"n", -3}, {"median", 170.0}}},
                        {"fsa_deg", {{"n", "many"}, {"median", 9.0}}}};
  json foot = dated_doc("r.csv", "2025-05-01T06:00", json::object(), "s");
  foot["summary"] = {{"strides_valid", 1e300}, {"strides_total", -1e300}, {"metrics", metrics}};
  const auto r = history::session_row_from_document({{"schema", "stride.session/2"}, {"feet", {{"left", foot}}}}, {});
  EXPECT_EQ(r.strides_valid, std::int64_t{1} << 53);
  EXPECT_EQ(r.strides_total, 0);
  ASSERT_EQ(r.metrics.size(), 3u);
  for (const auto& m : r.metrics) {
    SCOPED_TRACE(m.metric);
    EXPECT_EQ(m.n, m.metric == "gct_ms" ? std::int64_t{1} << 53 : 0);
  }
}

}  // namespace
}  // namespace stride::test
