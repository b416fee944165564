// The history store (tools/history_store, tools/history_save) in-process: round trip, re-saving the same input,
// two-feet documents, dates, the schema version, and the two properties a database must keep under stress:
// concurrent writers (two processes saving at once) and a writer killed with SIGKILL mid-save.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "cli_runner.hpp"
#include "stride/exit_codes.hpp"
#include "tools/history/history_save.hpp"
#include "tools/history/history_store.hpp"

namespace stride::test {
namespace {

using nlohmann::json;
using history::HistoryError;
using history::HistoryStore;
using history::CalibrationRow;

constexpr std::size_t kMetricsPerDoc = 5;

json metric(double median) {
  return {{"n", 100}, {"mean", median}, {"sd", 0.05 * median}, {"median", median}, {"min", 0.9 * median}, {"max", 1.1 * median}};
}

json summary(double distance_m, double speed, double impact) {
  return {{"duration_s", distance_m / speed},
          {"strides_total", 100},
          {"strides_valid", 98},
          {"cadence_from_one_foot", true},
          {"metrics",
           {{"cadence_spm", metric(172)}, {"gct_ms", metric(240)}, {"peak_impact_g", metric(impact)},
            {"speed_mps", metric(speed)}, {"stride_length_m", metric(2.4)}}}};
}

// A one-sensor session document with what the history reads (docs/session-json.md).
json make_doc(const std::string& hash, const std::string& start_time, double distance_m, double speed = 3.0,
              double impact = 10.0, const std::string& shoe = "peg") {
  return {{"tool", {{"name", "stride"}, {"version", "test"}}},
          {"input", {{"file", "run_" + hash + ".csv"}, {"fnv1a64", hash}}},
          {"metadata",
           {{"placement", "shoe"}, {"side", "right"}, {"athlete", "ana"}, {"shoe", shoe}, {"start_time", start_time}}},
          {"summary", summary(distance_m, speed, impact)},
          {"spatial", {{"ok", true}, {"distance_m", distance_m}}},
          {"flags", json::array({{{"id", "low_cadence"}, {"severity", "info"}, {"title", "Low step rate"}, {"side", "right"}}})}};
}

std::string day_iso(int day_of_march) { return "2025-03-" + std::string(day_of_march < 10 ? "0" : "") + std::to_string(day_of_march) + "T07:30:00"; }

// Raw SQLite access for the checks the store itself does not offer.
struct RawDb {
  explicit RawDb(const fs::path& p) { EXPECT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK); }
  ~RawDb() { sqlite3_close(db); }
  std::string text(const char* sql) const {
    sqlite3_stmt* s = nullptr;
    std::string out = "(prepare failed)";
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK) {
      out = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
                ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0))
                : "(no row)";
    }
    sqlite3_finalize(s);
    return out;
  }
  long long integer(const char* sql) const { return std::stoll(text(sql)); }
  void exec(const char* sql) const { EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql; }
  sqlite3* db = nullptr;
};

TEST(HistoryStore, RoundTripAndResaveUpdates) {
  ScratchDir dir;
  const std::string db = (dir / "sub" / "history.sqlite").string();  // the folder is created
  const auto r1 = history::save_session(db, make_doc("aaaa", day_iso(2), 10000), {});
  EXPECT_EQ(r1.session_id, 1);
  EXPECT_FALSE(r1.replaced);
  EXPECT_EQ(r1.date_source, "metadata");
  ASSERT_FALSE(r1.load_flags.empty());
  EXPECT_EQ(r1.load_flags.front().id, "data_quality");  // one session: too little history, said so
  history::save_session(db, make_doc("bbbb", day_iso(4), 8000, 3.2, 10.5), {});

  {
    const HistoryStore store(db, HistoryStore::Mode::read_only);
    const auto rows = store.sessions("ana");
    ASSERT_EQ(rows.size(), 2u);
    const auto& r = rows[0];
    EXPECT_EQ(r.athlete, "ana");
    EXPECT_EQ(r.shoe, "peg");
    EXPECT_EQ(r.start_time, day_iso(2));
    EXPECT_NEAR(r.start_day, 20149 + 7.5 / 24, 1e-9);  // 2025-03-02 07:30
    EXPECT_EQ(r.input_hash, "aaaa");
    EXPECT_EQ(r.input_file, "run_aaaa.csv");
    EXPECT_NEAR(r.distance_m, 10000, 1e-9);
    EXPECT_NEAR(r.duration_s, 10000 / 3.0, 1e-9);
    EXPECT_EQ(r.strides_valid, 98);
    EXPECT_EQ(r.strides_total, 100);
    EXPECT_EQ(r.placement, "shoe");
    EXPECT_FALSE(r.two_feet);
    EXPECT_NEAR(r.speed_mps, 3.0, 1e-12);
    ASSERT_EQ(r.metrics.size(), kMetricsPerDoc);
    EXPECT_EQ(r.metrics[0].side, "right");
    EXPECT_NEAR(r.metric_median("gct_ms"), 240, 1e-12);
    EXPECT_NEAR(r.metric_median("peak_impact_g"), 10.0, 1e-12);
    for (const auto& m : r.metrics) {
      EXPECT_EQ(m.n, 100);
      EXPECT_NEAR(m.sd, 0.05 * m.median, 1e-12);
    }
    ASSERT_EQ(r.flags.size(), 1 + r1.load_flags.size());  // the document's flag and the load note
    EXPECT_EQ(r.flags[0].id, "low_cadence");
    EXPECT_EQ(r.flags[0].side, "right");
    EXPECT_EQ(r.flags[1].id, "data_quality");
    EXPECT_NEAR(rows[1].metric_median("peak_impact_g"), 10.5, 1e-12);
  }

  // The same input again (another shoe named): updated in place, not duplicated; its rows replaced, not added.
  history::SaveOptions o;
  o.shoe = "new";
  const auto r2 = history::save_session(db, make_doc("aaaa", day_iso(2), 10000), o);
  EXPECT_TRUE(r2.replaced);
  EXPECT_EQ(r2.session_id, r1.session_id);
  const HistoryStore store(db, HistoryStore::Mode::read_only);
  const auto rows = store.sessions("ana");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].shoe, "new");
  EXPECT_EQ(rows[0].metrics.size(), kMetricsPerDoc);
  EXPECT_EQ(store.session_count(), 2);
  RawDb raw(db);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM metrics"), static_cast<long long>(2 * kMetricsPerDoc));
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.integer("PRAGMA user_version"), HistoryStore::kSchemaVersion);
}

TEST(HistoryStore, TwoFeetDocument) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  json left = make_doc("1111", day_iso(3), 10000);
  json right = make_doc("2222", day_iso(3), 10400, 3.0, 11.0);
  left.erase("flags");
  right.erase("flags");
  left["metadata"]["side"] = "left";
  const json doc = {{"tool", {{"name", "stride"}, {"version", "test"}}},
                    {"session", "two_feet"},
                    {"feet", {{"left", left}, {"right", right}}},
                    {"bilateral", {{"metrics", {{"cadence_spm", metric(176)}, {"flight_ms", metric(90)}}}}},
                    {"flags", json::array({{{"id", "asymmetry"}, {"severity", "info"}, {"title", "L/R"}, {"side", "both"}}})}};
  history::save_session(db, doc, {});
  const auto rows = HistoryStore(db, HistoryStore::Mode::read_only).sessions("ana");
  ASSERT_EQ(rows.size(), 1u);
  const auto& r = rows[0];
  EXPECT_TRUE(r.two_feet);
  EXPECT_NEAR(r.distance_m, 10200, 1e-9);  // the mean of both feet
  EXPECT_EQ(r.input_hash, "1111+2222");
  EXPECT_EQ(r.strides_valid, 2 * 98);
  EXPECT_EQ(r.metrics.size(), 2 * kMetricsPerDoc + 2);
  EXPECT_NEAR(r.metric_median("cadence_spm"), 176, 1e-12);     // measured from both feet
  EXPECT_NEAR(r.metric_median("peak_impact_g"), 10.5, 1e-12);  // mean of the feet
  ASSERT_GE(r.flags.size(), 2u);
  EXPECT_EQ(r.flags[0].id, "asymmetry");
  EXPECT_EQ(r.flags[1].side, "both");
}

TEST(HistoryStore, DateFromOptionOrFileTime) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  EXPECT_NEAR(*history::parse_iso_day("1970-01-02"), 1.0, 1e-12);
  EXPECT_NEAR(*history::parse_iso_day("2024-02-29T12:00"), 19782.5, 1e-12);
  EXPECT_NEAR(*history::parse_iso_day("2025-03-02T07:30:00.5+01:00"), 20149 + (7.5 * 3600 + 0.5) / 86400, 1e-12);
  for (const char* bad : {"", "2025-3-2", "2025-02-29", "2025-03-02T25:00", "yesterday", "2025-03-02T07:30junk"})
    EXPECT_FALSE(history::parse_iso_day(bad).has_value()) << bad;

  // No start time in the recording: the input file's modification time, and the result says so.
  const fs::path input = dir / "run.csv";
  write_text(input, "t\n");
  const std::time_t when = 1740900600;  // 2025-03-02T07:30:00Z
  const utimbuf times{when, when};
  ASSERT_EQ(utime(input.c_str(), &times), 0);
  json doc = make_doc("cccc", "", 5000);
  doc["input"]["file"] = input.string();
  const auto r = history::save_session(db, doc, {});
  EXPECT_EQ(r.date_source, "file modification time");
  std::tm tm{};
  localtime_r(&when, &tm);
  char expected[32];
  std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%S", &tm);
  EXPECT_EQ(r.start_time, expected);
  // --date wins over everything.
  history::SaveOptions o;
  o.date = "2025-04-01";
  const auto r2 = history::save_session(db, make_doc("dddd", day_iso(2), 5000), o);
  EXPECT_EQ(r2.date_source, "--date");
  EXPECT_EQ(r2.start_time, "2025-04-01");
  o.date = "1st of April";
  try {
    history::save_session(db, make_doc("eeee", day_iso(2), 5000), o);
    ADD_FAILURE() << "a bad --date was accepted";
  } catch (const HistoryError& e) {
    EXPECT_EQ(e.exit_code(), stride::kBadArguments);
    EXPECT_NE(std::string(e.what()).find("1st of April"), std::string::npos) << e.what();
  }
}

TEST(HistoryStore, LoadFlagsFromTheStoredHistory) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  // Every 3 days 8 km, one 10 km, then a 12 km run: load_spike in the 110-130 % band, stored with the session.
  for (int d = 1; d <= 25; d += 3) history::save_session(db, make_doc("h" + std::to_string(d), day_iso(d), d == 19 ? 10000 : 8000), {});
  const auto r = history::save_session(db, make_doc("spike", day_iso(29), 12000), {});
  bool spike = false;
  for (const auto& f : r.load_flags)
    if (f.id == "load_spike") {
      spike = true;
      EXPECT_NE(f.title.find("110 %-130 %"), std::string::npos) << f.title;
    }
  EXPECT_TRUE(spike);
  const auto rows = HistoryStore(db, HistoryStore::Mode::read_only).sessions("ana");
  ASSERT_EQ(rows.size(), 10u);
  bool stored = false;
  for (const auto& f : rows.back().flags) stored |= f.id == "load_spike" && f.severity == "warn";
  EXPECT_TRUE(stored);
  // Re-saving it with settings that move the threshold above 120 %: the stored load flag goes away.
  history::SaveOptions o;
  o.flag_settings.load_spike_rel = 0.25;
  const auto again = history::save_session(db, make_doc("spike", day_iso(29), 12000), o);
  EXPECT_TRUE(again.replaced);
  const auto after = HistoryStore(db, HistoryStore::Mode::read_only).sessions("ana");
  for (const auto& f : after.back().flags) EXPECT_NE(f.id, "load_spike");
}

TEST(HistoryStore, SchemaVersionAndForeignFiles) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  history::save_session(db, make_doc("aaaa", day_iso(2), 10000), {});
  RawDb(db).exec("PRAGMA user_version = 7");
  for (auto mode : {HistoryStore::Mode::read_write, HistoryStore::Mode::read_only}) {
    try {
      HistoryStore s(db, mode);
      ADD_FAILURE() << "a schema-7 database was opened";
    } catch (const HistoryError& e) {
      EXPECT_EQ(e.exit_code(), stride::kBadInput);
      EXPECT_NE(std::string(e.what()).find("schema version 7, newer than this stride knows (2)"), std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find(db), std::string::npos) << e.what();
    }
  }
  // Not SQLite at all, and SQLite but not ours: refused, never altered.
  const std::string text = (dir / "notes.txt").string();
  write_text(text, "these are my running notes, not a database, and they are long enough to have a header\n");
  EXPECT_THROW(HistoryStore(text, HistoryStore::Mode::read_write), HistoryError);
  EXPECT_EQ(read_text(text).substr(0, 10), "these are ");
  const std::string other = (dir / "other.sqlite").string();
  RawDb(other).exec("CREATE TABLE t (x)");
  try {
    HistoryStore s(other, HistoryStore::Mode::read_write);
    ADD_FAILURE() << "a foreign database was opened";
  } catch (const HistoryError& e) {
    EXPECT_NE(std::string(e.what()).find("not a stride history"), std::string::npos) << e.what();
  }
  // Missing file, read-only: a clear message, nothing created.
  const std::string missing = (dir / "missing.sqlite").string();
  try {
    HistoryStore s(missing, HistoryStore::Mode::read_only);
    ADD_FAILURE();
  } catch (const HistoryError& e) {
    EXPECT_EQ(e.exit_code(), stride::kBadInput);
    EXPECT_NE(std::string(e.what()).find("no history database at '" + missing + "'"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(missing));
}

// Saves docs "<tag><i>" for i in [0, n) and exits 0, or prints the error and exits 1. Runs in a forked child.
// `in_save` (shared with the parent), if given, is 1 while a save_session call is under way.
[[noreturn]] void save_loop(const std::string& db, const std::string& tag, int n, volatile int* in_save = nullptr) {
  int rc = 0;
  try {
    for (int i = 0; n < 0 || i < n; ++i) {
      if (in_save) *in_save = 1;
      history::save_session(db, make_doc(tag + std::to_string(i), day_iso(1 + i % 28), 5000 + 10 * (i % 50)), {});
      if (in_save) *in_save = 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child %s: %s\n", tag.c_str(), e.what());
    rc = 1;
  }
  std::fflush(stderr);
  _exit(rc);
}

TEST(HistoryStore, TwoProcessesSavingAtOnce) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  constexpr int kPerProcess = 150;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<pid_t> pids;
  for (const char* tag : {"a", "b"}) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) save_loop(db, tag, kPerProcess);  // both start on a missing database: both may create it
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed (see its stderr above)";
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RawDb raw(db);
  const long long n = raw.integer("SELECT count(*) FROM sessions");
  std::printf("  2 processes x %d saves at once: %lld sessions in %.1f s, integrity %s\n", kPerProcess, n, s,
              raw.text("PRAGMA integrity_check").c_str());
  EXPECT_EQ(n, 2 * kPerProcess);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM metrics"), static_cast<long long>(2 * kPerProcess * kMetricsPerDoc));
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

TEST(HistoryStore, KilledMidSaveLeavesOnlyWholeSessions) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  constexpr int kKills = 30;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> wait_ms(5, 80);
  int killed = 0, killed_in_save = 0;
  void* shared = mmap(nullptr, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(shared, MAP_FAILED);
  auto* in_save = static_cast<volatile int*>(shared);
  for (int k = 0; k < kKills; ++k) {
    *in_save = 0;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) save_loop(db, "k" + std::to_string(k) + "_", -1, in_save);  // saves until killed
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms(rng)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    killed_in_save += *in_save;
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  RawDb raw(db);
  const std::string integrity = raw.text("PRAGMA integrity_check");
  const long long sessions = raw.integer("SELECT count(*) FROM sessions");
  const long long partial = raw.integer(
      "SELECT count(*) FROM sessions s WHERE (SELECT count(*) FROM metrics m WHERE m.session_id = s.id) != 5 "
      "OR (SELECT count(*) FROM flags f WHERE f.session_id = s.id) < 1");
  const long long orphans = raw.integer(
      "SELECT (SELECT count(*) FROM metrics WHERE session_id NOT IN (SELECT id FROM sessions)) + "
      "(SELECT count(*) FROM flags WHERE session_id NOT IN (SELECT id FROM sessions))");
  munmap(shared, sizeof(int));
  std::printf("  %d writers killed with SIGKILL at random moments (%d of them inside save_session): %lld whole "
              "sessions, %lld partial, %lld orphan rows, integrity %s\n",
              killed, killed_in_save, sessions, partial, orphans, integrity.c_str());
  EXPECT_EQ(killed, kKills);
  EXPECT_EQ(integrity, "ok");
  EXPECT_GT(sessions, kKills);            // the writers did get work done between the kills
  EXPECT_GT(killed_in_save, kKills / 2);  // and most kills landed inside a save
  EXPECT_EQ(partial, 0);
  EXPECT_EQ(orphans, 0);
  // And the database still takes saves.
  EXPECT_NO_THROW(history::save_session(db, make_doc("after", day_iso(5), 5000), {}));
}

// Schema 2: distance calibrations (stride compare --calibrate-from --save). A version-1 database reads as having
// none, and is upgraded in place when opened for writing, its sessions kept.
TEST(HistoryStore, CalibrationsAndTheUpgradeFromVersionOne) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  history::save_session(db, make_doc("aaaa", day_iso(2), 10000), {});
  {
    RawDb raw(db);
    raw.exec("DROP TABLE calibrations; PRAGMA user_version = 1");  // as stride wrote it before version 2
  }
  EXPECT_TRUE(HistoryStore(db, HistoryStore::Mode::read_only).calibrations("").empty());
  {
    HistoryStore s(db, HistoryStore::Mode::read_write);
    EXPECT_EQ(s.session_count(), 1);
    CalibrationRow c;
    c.athlete = "ana";
    c.shoe = "pegasus";
    c.factor = 1.031;
    c.watch_distance_m = 10310;
    c.stride_distance_m = 10000;
    c.watch_file = "watch.fit";
    c.session_start = "2025-05-01T07:30:00Z";
    EXPECT_GT(s.save_calibration(c), 0);
    c.shoe = "clifton";
    c.factor = 0.98;
    s.save_calibration(c);
    c.factor = -1;
    EXPECT_THROW(s.save_calibration(c), HistoryError);
  }
  EXPECT_EQ(RawDb(db).integer("PRAGMA user_version"), 2);
  const auto rows = HistoryStore(db, HistoryStore::Mode::read_only).calibrations("ana");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].shoe, "pegasus");
  EXPECT_DOUBLE_EQ(rows[0].factor, 1.031);
  EXPECT_DOUBLE_EQ(rows[0].watch_distance_m, 10310);
  EXPECT_EQ(rows[0].watch_file, "watch.fit");
  EXPECT_FALSE(rows[0].saved_at.empty());
  EXPECT_EQ(rows[1].shoe, "clifton");
  EXPECT_TRUE(HistoryStore(db, HistoryStore::Mode::read_only).calibrations("bo").empty());
  EXPECT_EQ(HistoryStore(db, HistoryStore::Mode::read_only).sessions("ana").size(), 1u);
}

}  // namespace
}  // namespace stride::test
