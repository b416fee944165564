// A coach's history on the real binary: `stride history` over several athletes (the table and --json), `history
// --csv`, `stride report --history` (the page's content and its manners: SVG, no script, the CSP), a database
// written by the previous schema version, and how `analyze --save` dates a recording without a start time.
// Sessions are saved in-process (known distances and medians), then read by the `stride` command.
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "history_fixtures.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

TEST(HistoryCoachCli, EveryAthleteAtAGlance) {
  ScratchDir dir;
  const std::string db = coach_db(dir);
  auto r = run_stride({"history", "--db", db, "--as-of", "2025-03-27"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("3 athletes, 11 sessions"), std::string::npos) << r.out;
  // ana: 7 days to 03-27 = 03-24 + 03-26 = 16 km; 28 days (from 02-28) = 46 km -> 11.5 km a week.
  const auto line_of = [&](const std::string& start) {
    const auto at = r.out.find("\n  " + start);
    return at == std::string::npos ? std::string() : r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
  };
  const std::string ana = line_of("ana ");
  EXPECT_NE(ana.find("8  2025-03-26"), std::string::npos) << r.out;
  EXPECT_NE(ana.find("16.0"), std::string::npos) << ana;
  EXPECT_NE(ana.find("11.5"), std::string::npos) << ana;
  EXPECT_NE(ana.find("asymmetry"), std::string::npos) << ana;  // the latest session's flags
  EXPECT_NE(line_of("bo ").find("2  2025-03-25"), std::string::npos) << r.out;
  EXPECT_NE(line_of("(unnamed)").find("2025-02-01"), std::string::npos) << r.out;

  r = run_stride({"history", "--db", db, "--as-of", "2025-03-27", "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json j = json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2025-03-27");
  ASSERT_EQ(j["athletes"].size(), 3u);
  const json& bo = j["athletes"][2];  // sorted by name: "", ana, bo
  EXPECT_EQ(bo["athlete"], "bo");
  EXPECT_EQ(bo["sessions"], 2);
  EXPECT_NEAR(bo["km_7d"].get<double>(), 6.5, 1e-9);
  EXPECT_NEAR(bo["weekly_km_4w"].get<double>(), (12 + 6.5) / 4, 1e-9);

  // --athlete keeps the one-athlete view; --shoe alone over several athletes is refused, not ignored.
  r = run_stride({"history", "--db", db, "--athlete", "bo"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("History of 'bo'"), std::string::npos) << r.out;
  r = run_stride({"history", "--db", db, "--shoe", "Pegasus 40"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("need --athlete"), std::string::npos) << r.err;
  r = run_stride({"history", "--db", db, "--as-of", "soon"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
}

TEST(HistoryCoachCli, CsvExportOfEverySession) {
  ScratchDir dir;
  const std::string db = coach_db(dir);
  auto r = run_stride({"history", "--db", db, "--csv", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 12u) << r.out;  // header + 11 sessions
  EXPECT_EQ(lines[0].rfind("athlete,session_id,date,date_source,shoe,file,placement,two_feet,duration_s,distance_km,", 0), 0u)
      << lines[0];
  // ana's two-feet run: 8 km, contact 260 ms (mean of 250 and 270), asymmetry 200*20/520 = 7.7 %, its flag.
  std::string two_feet_row;
  for (const auto& l : lines)
    if (l.rfind("ana,", 0) == 0 && l.find("2025-03-26") != std::string::npos) two_feet_row = l;
  EXPECT_NE(two_feet_row.find(",2025-03-26T07:00:00,metadata,Pegasus 40,"), std::string::npos) << two_feet_row;
  EXPECT_NE(two_feet_row.find(",1,2640.0,8.000,800,840,3.200,170.0,260.0,2.300,9.50,peak_impact_g,7.7,asymmetry"),
            std::string::npos)
      << two_feet_row;
  // To a file, one athlete.
  const fs::path out = dir / "bo.csv";
  r = run_stride({"history", "--db", db, "--athlete", "bo", "--csv", out.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("2 sessions of 1 athlete -> " + out.string()), std::string::npos) << r.err;
  const auto bo = split_lines(read_text(out));
  ASSERT_EQ(bo.size(), 3u);
  EXPECT_EQ(bo[1].rfind("bo,", 0), 0u);
  EXPECT_NE(bo[1].find(",12.000,"), std::string::npos) << bo[1];
  r = run_stride({"history", "--db", db, "--csv", "-", "--json"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
}

// What stride 0.x wrote before schema version 2 still reads: overview, CSV and the history page.
TEST(HistoryCoachCli, VersionOneDatabaseStillReads) {
  ScratchDir dir;
  const std::string db = coach_db(dir);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "DROP TABLE calibrations; PRAGMA user_version = 1", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  EXPECT_EQ(run_stride({"history", "--db", db}, dir).exit_code, 0);
  EXPECT_EQ(split_lines(run_stride({"history", "--db", db, "--csv", "-"}, dir).out).size(), 12u);
  const auto r = run_stride({"report", "--history", "--db", db, "--athlete", "bo", "--html", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("<h2>bo</h2>"), std::string::npos);
}

TEST(HistoryCoachCli, HistoryReportPage) {
  ScratchDir dir;
  const std::string db = coach_db(dir);
  const fs::path page = dir / "ana.html";
  auto r = run_stride({"report", "--history", "--db", db, "--athlete", "ana", "--html", page.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("history of 1 athlete -> " + page.string()), std::string::npos) << r.err;
  const std::string html = read_text(page);
  // Self-contained and inert: the session report's CSP, no script, nothing fetched.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'; style-src 'unsafe-inline'; img-src data:"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("<title>Training history: ana</title>"), std::string::npos);
  // Weekly load: four weeks (W10-W13), the fourth (16 km after 10) over weekly_jump's 13 km line, in red.
  EXPECT_NE(html.find("<title>2025-W13: 16.0 km</title>"), std::string::npos);
  EXPECT_NE(html.find("<rect class=\"col over\""), std::string::npos);
  EXPECT_NE(html.find("<td>2025-W13</td><td>2025-03-24</td><td>16.0</td><td>2</td><td>+60 %</td>"), std::string::npos);
  // The key metrics over time, the two-feet asymmetry among them; shoes; sessions newest first, with their flags.
  for (const char* chart : {"Cadence (steps/min)", "Ground contact time (ms)", "Stride length (m)",
                            "Peak impact at the foot (g)", "Contact-time asymmetry (left vs right) (%)"})
    EXPECT_NE(html.find(chart), std::string::npos) << chart;
  std::size_t svgs = 0;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++svgs;
  EXPECT_GE(svgs, 6u);
  EXPECT_NE(html.find("<td>Pegasus 40</td><td>46.0</td><td>8 %</td><td>8</td>"), std::string::npos);
  const auto newest = html.find("<tr><td>2025-03-26</td>"), oldest = html.find("<tr><td>2025-03-03</td>");
  ASSERT_NE(newest, std::string::npos);
  EXPECT_LT(newest, oldest);
  EXPECT_NE(html.find("<span class=\"chip warn\" title=\"Left and right differ\">asymmetry</span>", newest),
            std::string::npos);
  EXPECT_EQ(html.find("<h2>bo</h2>"), std::string::npos);

  // Every athlete: an index and one section each.
  r = run_stride({"report", "--history", "--db", db, "--html", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* part : {"<a href=\"#athlete-1\">(unnamed athlete)</a>", "<section id=\"athlete-2\"><h2>ana</h2>",
                           "<section id=\"athlete-3\"><h2>bo</h2>"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part;
  EXPECT_EQ(r.out.find("<script"), std::string::npos);

  // Bad requests: an unknown athlete, files with --history, an empty or missing database.
  r = run_stride({"report", "--history", "--db", db, "--athlete", "cy", "--html", "-"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("no sessions of athlete 'cy'"), std::string::npos) << r.err;
  const std::string walk = std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_walk_1.4mps.csv";
  r = run_stride({"report", "--history", "--db", db, walk, "--html", "-"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  r = run_stride({"report", "--history", "--db", (dir / "none.sqlite").string(), "--html", "-"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("no history database at"), std::string::npos) << r.err;
  r = run_stride({"report", "--html", "-"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
}

// End to end: a recording without a start time is dated by its file and the save says so; two feet recorded by
// `stride record` (here: simulated, same host_t0_unix_s) are dated by the recorder's host clock, without a warning.
TEST(HistoryCoachCli, AnalyzeSaveDatesFromTheRecordingOrWarns) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  const fs::path one = dir / "one.csv", two = dir / "two.csv";
  auto r = run_stride({"simulate", "--out", one.string(), "--strides", "30", "--rate", "200", "--seed", "5"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", one.string(), "--save", "--db", db, "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("warning: " + one.string() + ": dated by the file's modification time"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pass --date to set it"), std::string::npos) << r.err;
  r = run_stride({"analyze", one.string(), "--save", "--db", db, "-q", "--date", "2025-03-02"}, dir);
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;

  r = run_stride({"simulate", "--out", two.string(), "--two-feet", "--strides", "30", "--rate", "200", "--seed", "6"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string left = (dir / "two_left.csv").string(), right = (dir / "two_right.csv").string();
  r = run_stride({"analyze", left, right, "--save", "--db", db, "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("from the host clock"), std::string::npos) << r.err;
  r = run_stride({"history", "--db", db, "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json h = json::parse(r.out);
  bool host = false;
  for (const auto& s : h["sessions"])
    if (s["date_source"] == "host clock") {
      host = true;
      const std::time_t t0 = 1767225600;  // cmd_simulate's host_t0_unix_s
      std::tm tm{};
      localtime_r(&t0, &tm);
      char expected[32];
      std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%S", &tm);
      EXPECT_EQ(s["start_time"], expected);
      EXPECT_TRUE(s["two_feet"].get<bool>());
    }
  EXPECT_TRUE(host) << r.out;
}

}  // namespace
}  // namespace stride::test
