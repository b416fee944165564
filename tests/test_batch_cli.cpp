// `stride batch` end to end on the real binary: an archive of short simulated recordings (a two-feet pair and a
// broken file among them) -> index rows, exit code, per-session documents equal to `analyze --json`, the strides
// CSV equal to `analyze --csv`; resume (nothing redone, a changed file redone, a killed batch completed); shards
// disjoint and covering, and --merge equal to a one-shot run; the Slurm scripts.
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <utility>

#include "cli_runner.hpp"
#include "small_disk.hpp"
#include "tools/batch/batch.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

// archive/: 6 one-sensor runs (two in a subfolder), a two-feet pair, one broken file; the simulator's truth JSON
// files beside them (not recordings: the batch must pass them by). 8 sessions.
void make_archive(const ScratchDir& dir, const fs::path& root) {
  fs::create_directories(root / "sub");
  fs::create_directories(root / "pair");
  for (int i = 0; i < 6; ++i) {
    const fs::path out = (i < 4 ? root : root / "sub") / ("run" + std::to_string(i) + ".csv");
    const auto r = run_stride({"simulate", "--out", out.string(), "--strides", "24", "--rate", "100", "--seed",
                               std::to_string(10 + i), "--speed", std::to_string(2.8 + 0.2 * i)},
                              dir);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  const auto r = run_stride(
      {"simulate", "--two-feet", "--out", (root / "pair" / "duo.csv").string(), "--strides", "24", "--rate", "100"},
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  write_text(root / "broken.csv", "this is not,a recording\n1,2\n");
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : split_lines(read_text(p))) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (const char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) cells.push_back(std::exchange(cell, {}));
      else cell += c;
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

std::map<std::string, std::string> status_by_file(const fs::path& out) {
  std::map<std::string, std::string> m;
  const auto rows = csv_rows(out / "index.csv");
  for (std::size_t i = 1; i < rows.size(); ++i) m[rows[i][0]] = rows[i][1];
  return m;
}

std::set<std::string> markers(const fs::path& out) {
  std::set<std::string> s;
  for (const auto& e : fs::directory_iterator(out / "sessions"))
    if (e.path().string().ends_with(".done.json") && e.path().filename().string()[0] != '.')
      s.insert(e.path().filename().string());
  return s;
}

TEST(BatchCli, IndexDocumentsAndStridesMatchAnalyze) {
  ScratchDir dir;
  const fs::path archive = dir / "archive", out = dir / "out";
  make_archive(dir, archive);
  auto r = run_stride({"batch", archive.string(), "--out", out.string(), "--jobs", "2"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();  // the broken file: kBadInput, after everything else was done
  EXPECT_NE(r.err.find("broken.csv"), std::string::npos) << r.err;

  const auto rows = csv_rows(out / "index.csv");
  ASSERT_EQ(rows.size(), 9u) << read_text(out / "index.csv");
  EXPECT_EQ(rows[0], (std::vector<std::string>{"file", "status", "duration_s", "strides", "valid_strides",
                                               "distance_m", "flags", "error"}));
  int ok = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 8u) << i;
    if (rows[i][0].ends_with("broken.csv")) {
      EXPECT_EQ(rows[i][1], "failed");
      EXPECT_NE(rows[i][7].find("broken.csv"), std::string::npos) << rows[i][7];
      continue;
    }
    EXPECT_EQ(rows[i][1], "ok") << rows[i][0] << ": " << rows[i][7];
    EXPECT_GE(std::stoi(rows[i][3]), 20) << rows[i][0];
    EXPECT_GT(std::stod(rows[i][2]), 5.0) << rows[i][0];
    EXPECT_FALSE(rows[i][5].empty()) << rows[i][0];
    ++ok;
  }
  EXPECT_EQ(ok, 7);
  const std::string pair_label =
      (archive / "pair" / "duo_left.csv").string() + " + " + (archive / "pair" / "duo_right.csv").string();
  EXPECT_EQ(status_by_file(out)[pair_label], "ok");

  // Every document is the one `analyze --json` writes for the same file(s); the strides CSV is `analyze --csv`'s.
  std::vector<std::string> files;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (!rows[i][0].ends_with("broken.csv") && rows[i][0] != pair_label) files.push_back(rows[i][0]);
  ASSERT_EQ(files.size(), 6u);
  for (const auto& f : files) {
    r = run_stride({"analyze", f, "--json", (dir / "one.json").string(), "-q"}, dir);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const std::string name = fs::path(f).stem().string();
    EXPECT_EQ(json::parse(read_text(out / "sessions" / (name + ".json"))), json::parse(read_text(dir / "one.json")))
        << f;
    EXPECT_TRUE(fs::exists(out / "sessions" / (name + ".html"))) << f;
  }
  r = run_stride({"analyze", (archive / "pair" / "duo_left.csv").string(), (archive / "pair" / "duo_right.csv").string(),
                  "--json", (dir / "pair.json").string(), "-q"},
                 dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(json::parse(read_text(out / "sessions" / "duo_left_two_feet.json")), json::parse(read_text(dir / "pair.json")));

  std::vector<std::string> sorted_inputs = {(archive / "broken.csv").string(), (archive / "pair" / "duo_left.csv").string(),
                                            (archive / "pair" / "duo_right.csv").string()};
  for (const auto& f : files) sorted_inputs.push_back(f);
  std::sort(sorted_inputs.begin(), sorted_inputs.end());
  std::vector<std::string> args{"analyze"};
  args.insert(args.end(), sorted_inputs.begin(), sorted_inputs.end());
  args.insert(args.end(), {"--csv", (dir / "all.csv").string(), "-q"});
  r = run_stride(args, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(read_text(out / "strides.csv"), read_text(dir / "all.csv"));

  // The HTML index: self-contained, every session listed, the reports linked, text escaped.
  const std::string html = read_text(out / "index.html");
  EXPECT_NE(html.find("href=\"sessions/duo_left_two_feet.html\""), std::string::npos);
  EXPECT_NE(html.find("7 ok, 0 skipped (done before), 1 failed"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), html.find("http-equiv"));  // no external resource
}

TEST(BatchCli, ResumesSkipsDoneRedoesChangedAndCompletesAfterAKill) {
  ScratchDir dir;
  const fs::path archive = dir / "archive", out = dir / "out", killed = dir / "killed";
  make_archive(dir, archive);
  fs::remove(archive / "broken.csv");  // here: a batch with nothing to fail
  auto r = run_stride({"batch", archive.string(), "--out", out.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string first_csv = read_text(out / "strides.csv");
  const std::string doc3 = read_text(out / "sessions" / "run3.json");

  // Run again: nothing is redone.
  r = run_stride({"batch", archive.string(), "--out", out.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const auto& [file, status] : status_by_file(out)) EXPECT_EQ(status, "skipped") << file;
  EXPECT_EQ(read_text(out / "strides.csv"), first_csv);  // rebuilt from the sessions' results

  // A marker is read back from disk like any input: a count that is not a whole number in range (here 1e300, which
  // reached an integer cast) makes it unreadable, and that session is analysed again, with the same result.
  {
    const fs::path m = out / "sessions" / "run2.done.json";
    json marker = json::parse(read_text(m));
    marker["strides"] = 1e300;
    std::ofstream(m) << marker.dump();
  }
  r = run_stride({"batch", archive.string(), "--out", out.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const auto& [file, status] : status_by_file(out))
    EXPECT_EQ(status, file.ends_with("run2.csv") ? "ok" : "skipped") << file;
  EXPECT_EQ(read_text(out / "strides.csv"), first_csv);

  // Change one file: only it is redone.
  r = run_stride({"simulate", "--out", (archive / "run3.csv").string(), "--strides", "30", "--rate", "100", "--seed",
                  "99"},
                 dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"batch", archive.string(), "--out", out.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const auto& [file, status] : status_by_file(out))
    EXPECT_EQ(status, file.ends_with("run3.csv") ? "ok" : "skipped") << file;
  EXPECT_NE(read_text(out / "sessions" / "run3.json"), doc3);
  EXPECT_NE(read_text(out / "strides.csv"), first_csv);
  const std::string after_change_csv = read_text(out / "strides.csv");

  // Killed after the first document appeared (one thread, so the rest is not done), then resumed: complete, and the
  // same results as the uninterrupted run.
  pid_t pid = 0;
  ASSERT_EQ(spawn_to_files({STRIDE_EXE, "batch", archive.string(), "--out", killed.string(), "--jobs", "1"},
                           dir / "k.out", dir / "k.err", false, pid),
            0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (fs::directory_iterator it(killed / "sessions", ec), end; !ec && it != end; it.increment(ec)) {
      const std::string n = it->path().filename().string();
      if (n[0] != '.' && n.ends_with(".json") && !n.ends_with(".done.json")) seen = true;
    }
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(seen);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the batch finished before it could be killed";
  EXPECT_FALSE(fs::exists(killed / "index.csv"));
  EXPECT_LT(markers(killed).size(), 7u);
  r = run_stride({"batch", archive.string(), "--out", killed.string(), "--jobs", "1"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(markers(killed).size(), 7u);
  EXPECT_EQ(read_text(killed / "strides.csv"), after_change_csv);
  for (const auto& m : markers(out)) {
    const std::string name = m.substr(0, m.size() - std::string(".done.json").size());
    EXPECT_EQ(read_text(killed / "sessions" / (name + ".json")), read_text(out / "sessions" / (name + ".json"))) << name;
  }
}

TEST(BatchCli, ShardsAreDisjointAndCoverAllAndMergeEqualsOneShot) {
  ScratchDir dir;
  const fs::path archive = dir / "archive", one = dir / "one", merged = dir / "merged";
  make_archive(dir, archive);
  auto r = run_stride({"batch", archive.string(), "--out", one.string(), "--jobs", "2"}, dir);
  ASSERT_EQ(r.exit_code, 1) << r.describe();
  const auto all = markers(one);
  ASSERT_EQ(all.size(), 8u);  // the broken file too: a failed session is a result

  std::set<std::string> covered;
  for (int k = 0; k < 3; ++k) {
    const fs::path own = dir / ("shard" + std::to_string(k));
    const std::string shard = std::to_string(k) + "/3";
    r = run_stride({"batch", archive.string(), "--out", own.string(), "--shard", shard}, dir);
    EXPECT_EQ(r.exit_code, 0) << r.describe();  // a failed session does not fail the task (the merge's afterok)
    EXPECT_FALSE(fs::exists(own / "index.csv"));  // the merge writes the summaries
    for (const auto& m : markers(own)) EXPECT_TRUE(covered.insert(m).second) << m << " in two shards";
    r = run_stride({"batch", archive.string(), "--out", merged.string(), "--shard", shard, "--jobs", "1"}, dir);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
  }
  EXPECT_EQ(covered, all);

  r = run_stride({"batch", archive.string(), "--out", merged.string(), "--merge"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  for (const char* f : {"index.csv", "strides.csv", "index.html"})
    EXPECT_EQ(read_text(merged / f), read_text(one / f)) << f;
  r = run_stride({"batch", "--out", merged.string(), "--merge"}, dir);  // without the inputs: every marker
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(read_text(merged / "index.csv"), read_text(one / "index.csv"));

  // A shard that never ran: its sessions are failed rows saying so.
  fs::remove_all(merged / "sessions");
  r = run_stride({"batch", archive.string(), "--out", merged.string(), "--shard", "0/2"}, dir);
  r = run_stride({"batch", archive.string(), "--out", merged.string(), "--merge"}, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(read_text(merged / "index.csv").find("did every shard finish?"), std::string::npos);
}

TEST(BatchCli, SlurmScriptsAndArguments) {
  ScratchDir dir;
  const fs::path archive = dir / "archive", out = dir / "out";
  make_archive(dir, archive);
  auto r = run_stride({"batch", archive.string(), "--out", out.string(), "--slurm", "--shards", "4", "--jobs", "2"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string array = read_text(out / "stride-batch.sbatch"), merge = read_text(out / "stride-batch-merge.sbatch");
  EXPECT_NE(array.find("#SBATCH --array=0-3\n"), std::string::npos) << array;
  EXPECT_NE(array.find("#SBATCH --cpus-per-task=2\n"), std::string::npos) << array;
  const std::string command = batch::shell_quote(fs::canonical(STRIDE_EXE).string()) + " 'batch' " +
                              batch::shell_quote(archive.string());
  EXPECT_NE(array.find(command), std::string::npos) << array;
  EXPECT_NE(array.find("--shard \"${SLURM_ARRAY_TASK_ID}/4\""), std::string::npos) << array;
  EXPECT_NE(merge.find("'--merge'"), std::string::npos) << merge;
  EXPECT_NE(r.out.find("--dependency=afterok:"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out / "sessions"));  // nothing analysed yet

  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"batch", archive.string(), "--out", out.string(), "--shard", "4/4"},
           {"batch", archive.string(), "--out", out.string(), "--shard", "x"},
           {"batch", archive.string(), "--out", out.string(), "--shards", "3"},
           {"batch", archive.string(), "--out", out.string(), "--merge", "--shard", "0/2"},
           {"batch", "--out", out.string()}}) {
    r = run_stride(bad, dir);
    EXPECT_EQ(r.exit_code, 2) << bad.back() << r.describe();
  }
  // An input that names nothing is a failed row, not the end of the batch.
  r = run_stride({"batch", (archive / "sub").string(), (dir / "nope*.csv").string(), "--out", out.string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const auto status = status_by_file(out);
  EXPECT_EQ(status.size(), 3u);
  EXPECT_EQ(status.at((dir / "nope*.csv").string()), "failed");
}

// A full disk is an error (exit 3, the file and the reason named), never "done": every marker that was written
// stands beside a whole document, and a run on a roomier disk then finishes the rest.
TEST(BatchCli, AFullDiskStopsTheBatchAndLeavesNothingHalfDone) {
  ScratchDir dir;
  const fs::path archive = dir / "archive";
  make_archive(dir, archive);
  for (const std::size_t bytes : {std::size_t{24} << 10, std::size_t{400} << 10}) {
    SmallDisk disk(dir / ("disk" + std::to_string(bytes)), bytes);
    STRIDE_REQUIRE_MOUNTED(disk);
    auto r = run_stride({"batch", archive.string(), "--out", (disk / "out").string(), "--jobs", "2"}, dir);
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(disk / "out" / "index.csv"));
    for (const auto& m : markers(disk / "out")) {
      const std::string name = m.substr(0, m.size() - std::string(".done.json").size());
      const json marker = json::parse(read_text(disk / "out" / "sessions" / m));
      if (marker["json"].get<bool>()) {
        EXPECT_NO_THROW(json::parse(read_text(disk / "out" / "sessions" / (name + ".json")))) << name;
      }
    }
    EXPECT_EQ(leftover_temporaries(disk / "out" / "sessions"), 0);
  }
}

TEST(Batch, ParseShardAndRoundRobin) {
  EXPECT_TRUE(batch::parse_shard("0/1"));
  EXPECT_EQ(batch::parse_shard("3/4")->index, 3u);
  for (const char* bad : {"4/4", "1/0", "/4", "1/", "a/2", "1/2x", "-1/2", "12"}) EXPECT_FALSE(batch::parse_shard(bad)) << bad;
  std::vector<batch::PlannedSession> plan(10);
  for (int i = 0; i < 10; ++i) plan[static_cast<std::size_t>(i)].name = std::to_string(i);
  std::multiset<std::string> seen;
  for (unsigned k = 0; k < 3; ++k)
    for (const auto& s : batch::shard_of(plan, {k, 3})) seen.insert(s.name);
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 10u);
}

}  // namespace
}  // namespace stride::test
