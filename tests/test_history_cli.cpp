// End-to-end on the real binary: `stride analyze --save`, `stride history` (table and --json), two `analyze
// --save` processes on one database at once, and the messages for bad or empty databases.
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <fstream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "small_disk.hpp"
#include "unprivileged.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

fs::path simulate(const ScratchDir& dir, const std::string& name, int seed, int strides = 40) {
  const fs::path rec = dir / name;
  const auto r = run_stride({"simulate", "--out", rec.string(), "--strides", std::to_string(strides), "--rate", "200",
                             "--seed", std::to_string(seed)},
                            dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return rec;
}

TEST(HistoryCli, AnalyzeSaveThenHistory) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  const fs::path a = simulate(dir, "a.csv", 1), b = simulate(dir, "b.csv", 2);
  auto r = run_stride({"analyze", a.string(), "--save", "--db", db, "--athlete", "ana", "--shoe", "peg", "--date",
                       "2025-03-02T07:30"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("saved as session 1 in " + db + " (start 2025-03-02T07:30, from --date)"), std::string::npos)
      << r.err;
  // The load note is part of the session's flags in the terminal summary.
  EXPECT_NE(r.out.find("too little history for load_spike"), std::string::npos) << r.out;

  // The second run: no --date, so the file's modification time, said so; its JSON carries the load flags.
  r = run_stride({"analyze", b.string(), "--save", "--db", db, "--athlete", "ana", "--shoe", "peg", "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("from the file modification time"), std::string::npos) << r.err;
  const json doc = json::parse(r.out);
  bool note = false;
  for (const auto& f : doc["flags"])
    if (f["id"] == "data_quality" && f["title"].get<std::string>().find("history") != std::string::npos) {
      note = true;
      for (const char* k : {"evidence", "rule", "why", "source", "what_to_try", "trust", "values"}) EXPECT_TRUE(f.contains(k)) << k;
    }
  EXPECT_TRUE(note) << doc["flags"].dump(1);

  // Saving the same file again updates it.
  r = run_stride({"analyze", a.string(), "--save", "--db", db, "--athlete", "ana", "--shoe", "peg", "--date",
                  "2025-03-02T07:30", "-q"},
                 dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("updated session 1"), std::string::npos) << r.err;

  r = run_stride({"history", "--db", db}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("History of 'ana'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 sessions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2025-03-02  peg"), std::string::npos) << r.out;
  for (const char* section : {"Weekly volume", "Shoes", "Trends", "Load as of the latest session", "context only"})
    EXPECT_NE(r.out.find(section), std::string::npos) << section << "\n" << r.out;

  r = run_stride({"history", "--db", db, "--json", "--metric", "gct_ms", "--metric", "cadence_spm"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json h = json::parse(r.out);
  ASSERT_EQ(h["sessions"].size(), 2u);
  const json& s = h["sessions"][0];
  EXPECT_EQ(s["start_time"], "2025-03-02T07:30");
  EXPECT_EQ(s["date_source"], "--date");
  EXPECT_EQ(s["shoe"], "peg");
  EXPECT_EQ(s["input_file"], a.string());
  // 40 simulated strides of about 2.45 m (3.5 m/s at 170 steps/min).
  EXPECT_NEAR(s["distance_m"].get<double>(), 40 * 2.47, 10.0);
  EXPECT_NEAR(s["metrics"]["cadence_spm"].get<double>(), 170, 3);
  EXPECT_GT(s["metrics"]["gct_ms"].get<double>(), 150);
  EXPECT_EQ(h["trends"].size(), 2u);
  EXPECT_EQ(h["trends"]["gct_ms"]["sessions"], 2);
  EXPECT_EQ(h["shoes"][0]["shoe"], "peg");
  EXPECT_NEAR(h["shoes"][0]["distance_km"].get<double>(), 2 * 40 * 2.47 / 1000, 0.02);
  ASSERT_FALSE(h["load"]["flags"].empty());
  EXPECT_EQ(h["load"]["flags"][0]["id"], "data_quality");
  EXPECT_TRUE(h["load"]["context"].contains("acwr"));

  // Unknown athlete, unknown shoe: clear, exit 1.
  r = run_stride({"history", "--db", db, "--athlete", "bob"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("no sessions of athlete 'bob'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'ana'"), std::string::npos) << r.err;
  r = run_stride({"history", "--db", db, "--shoe", "boots"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
}

TEST(HistoryCli, MissingEmptyAndBadDatabases) {
  ScratchDir dir;
  const fs::path rec = simulate(dir, "a.csv", 3, 20);
  // Missing: history says so and creates nothing.
  const std::string missing = (dir / "none.sqlite").string();
  auto r = run_stride({"history", "--db", missing}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("no history database at '" + missing + "'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--save"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(missing));
  // Empty (a zero-byte file, as `touch` makes it).
  const std::string empty = (dir / "empty.sqlite").string();
  write_text(empty, "");
  r = run_stride({"history", "--db", empty}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("has no sessions yet"), std::string::npos) << r.err;
  // A folder as --db.
  r = run_stride({"analyze", rec.string(), "--save", "--db", dir.path().string(), "-q"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  std::string folder_message = dir.path().string();  // (string appends: g++ 12 warns falsely on "x" + string)
  folder_message += "' is a folder";
  EXPECT_NE(r.err.find(folder_message), std::string::npos) << r.err;
  r = run_stride({"history", "--db", dir.path().string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  // A path whose parent is a file: cannot be created, the message names the path.
  const std::string under_file = (rec / "h.sqlite").string();
  r = run_stride({"analyze", rec.string(), "--save", "--db", under_file, "-q"}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find(under_file), std::string::npos) << r.err;
  // An unwritable folder (not for root, who can write anywhere).
  if (geteuid() != 0) {
    const fs::path ro = dir / "readonly";
    fs::create_directories(ro);
    chmod(ro.c_str(), 0555);
    const std::string db = (ro / "h.sqlite").string();
    r = run_stride({"analyze", rec.string(), "--save", "--db", db, "-q"}, dir);
    chmod(ro.c_str(), 0755);
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_NE(r.err.find("cannot open the history database '" + db + "'"), std::string::npos) << r.err;
  }
  // A bad --date is a bad argument.
  r = run_stride({"analyze", rec.string(), "--save", "--db", (dir / "h.sqlite").string(), "--date", "March"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  // --athlete without --save is refused (it would be silently ignored).
  r = run_stride({"analyze", rec.string(), "--athlete", "ana"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
}

// A history on a read-only filesystem (root cannot write there either): a save is refused with the system's reason,
// not "not a stride history database"; `history` still reads it. Both said "not a stride history" before.
TEST(HistoryCli, ReadOnlyFilesystemSaysSoAndStillReads) {
  ScratchDir dir;
  const fs::path a = simulate(dir, "a.csv", 4, 20), b = simulate(dir, "b.csv", 5, 20);
  SmallDisk disk(dir / "ro", 4u << 20);
  STRIDE_REQUIRE_MOUNTED(disk);
  const std::string db = (disk / "h.sqlite").string();
  auto r = run_stride({"analyze", a.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  ASSERT_TRUE(disk.make_read_only());
  r = run_stride({"analyze", b.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot save to the history database '" + db + "': the file is not writable (Read-only file "
                       "system)"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("not a stride history"), std::string::npos) << r.err;
  r = run_stride({"history", "--db", db, "--athlete", "ana"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("1 sessions"), std::string::npos) << r.out;
}

// A history on a full disk: a save says the disk is full, naming the file (it said "cannot read the history
// database"); `history` still reads it (it failed too: SQLite could not grow its shared-memory file).
TEST(HistoryCli, FullDiskSaysSoAndStillReads) {
  ScratchDir dir;
  const fs::path a = simulate(dir, "a.csv", 4, 20), b = simulate(dir, "b.csv", 5, 20);
  SmallDisk disk(dir / "full", 300u << 10);
  STRIDE_REQUIRE_MOUNTED(disk);
  const std::string db = (disk / "h.sqlite").string();
  auto r = run_stride({"analyze", a.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  {
    std::ofstream fill(disk / "fill", std::ios::binary);
    const std::string block(4096, 'x');
    while (fill.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  r = run_stride({"analyze", b.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot save to the history database '" + db + "': the disk is full (No space left on device)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("not a stride history"), std::string::npos) << r.err;
  r = run_stride({"history", "--db", db, "--athlete", "ana"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("1 sessions"), std::string::npos) << r.out;
}

// A history file this user may read but not write, and one in a folder this user may not write (SQLite makes its
// journal there): a save names the file and the reason (it said "attempt to write a readonly database (INSERT INTO
// sessions ...)" or "(BEGIN IMMEDIATE, code 8)"); `history` still reads the first. Run as nobody: root writes anyway.
TEST(HistoryCli, UnwritableFileOrFolderSaysWhich) {
  STRIDE_REQUIRE_UNPRIVILEGED();
  ScratchDir dir;
  const fs::path a = simulate(dir, "a.csv", 6, 20), b = simulate(dir, "b.csv", 7, 20);
  const fs::path shared = dir / "shared";
  fs::create_directories(shared);
  fs::permissions(shared, fs::perms::all);
  const std::string db = (shared / "h.sqlite").string();
  auto r = run_unprivileged({"analyze", a.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  r = run_unprivileged({"analyze", b.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot save to the history database '" + db + "': the file is not writable (Permission "
                       "denied); nothing was saved"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("INSERT INTO"), std::string::npos) << r.err;
  r = run_unprivileged({"history", "--db", db, "--athlete", "ana"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("1 sessions"), std::string::npos) << r.out;

  ASSERT_EQ(chmod(db.c_str(), 0666), 0);
  ASSERT_EQ(chmod(shared.c_str(), 0555), 0);
  r = run_unprivileged({"analyze", b.string(), "--save", "--db", db, "--athlete", "ana", "-q"}, dir);
  chmod(shared.c_str(), 0777);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot save to the history database '" + db + "': its folder '" + shared.string() +
                       "' is not writable (Permission denied"),
            std::string::npos)
      << r.err;
}

// Two real `stride analyze --save` processes on one database at the same time, several files each.
TEST(HistoryCli, TwoAnalyzeSaveProcessesAtOnce) {
  ScratchDir dir;
  const std::string db = (dir / "h.sqlite").string();
  constexpr int kFiles = 6;
  std::vector<std::string> args[2];
  const auto name = [](int p, int i, const char* ext) {
    std::string s = std::to_string(p);
    s += '_';
    s += std::to_string(i);
    s += ext;
    return s;
  };
  for (int p = 0; p < 2; ++p) {
    args[p] = {STRIDE_EXE, "analyze", "-q", "--save", "--db", db, "--athlete", "ana", "--date", p ? "2025-03-02" : "2025-03-01"};
    for (int i = 0; i < kFiles; ++i) args[p].push_back(simulate(dir, name(p, i, ".csv"), 100 * p + i, 20).string());
  }
  pid_t pids[2];
  for (int p = 0; p < 2; ++p) {
    std::vector<char*> argv;
    for (auto& a : args[p]) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string err = (dir / name(p, 0, ".stderr")).string();
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_EQ(posix_spawn(&pids[p], argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
  }
  for (int p = 0; p < 2; ++p) {
    int status = 0;
    ASSERT_EQ(waitpid(pids[p], &status, 0), pids[p]);
    const std::string err = read_text(dir / name(p, 0, ".stderr"));
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << err;
    EXPECT_EQ(err.find("locked"), std::string::npos) << err;
  }
  const auto r = run_stride({"history", "--db", db, "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(json::parse(r.out)["sessions"].size(), static_cast<std::size_t>(2 * kFiles));
}

}  // namespace
}  // namespace stride::test
