// Every file stride writes is whole or absent: a full disk, /dev/full, a missing folder or a closed stdout is an
// error (exit 3) that names the file and the OS's reason, and an existing target is left as it was
// (tools/session/output_file.*). The full disk is real: a tmpfs of a few KiB.
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <string>

#include "cli_runner.hpp"
#include "small_disk.hpp"
#include "test_support.hpp"
#include "tools/session/output_file.hpp"

namespace stride::test {
namespace {

const std::string kRun = (source_dir() / "recordings/sim_run_rearfoot_3.5mps.csv").string();
const std::string kLeft = (source_dir() / "recordings/sim_two_feet_overstride_left.csv").string();
const std::string kRight = (source_dir() / "recordings/sim_two_feet_overstride_right.csv").string();

bool says(const RunResult& r, const std::string& what) { return r.err.find(what) != std::string::npos; }

TEST(OutputFile, WritesWholeAndReplacesOnlyOnCommit) {
  ScratchDir dir;
  const auto target = dir / "a.json";
  write_text(target, "old");
  {
    session::OutputFile out(target.string());
    out.stream() << "new";
    EXPECT_EQ(read_text(target), "old") << "the target changes only at commit";
    EXPECT_EQ(leftover_temporaries(dir.path()), 1);
    out.commit();
  }
  EXPECT_EQ(read_text(target), "new");
  {
    session::OutputFile abandoned(target.string());
    abandoned.stream() << "half";
  }  // not committed (an exception, a failed analysis): the temporary goes, the target stays
  EXPECT_EQ(read_text(target), "new");
  EXPECT_EQ(leftover_temporaries(dir.path()), 0);
}

TEST(OutputFile, DevFullIsAnErrorNamingTheFileAndTheReason) {
  session::OutputFile out("/dev/full");
  out.stream() << std::string(100000, 'x');
  try {
    out.commit();
    FAIL() << "writing to /dev/full succeeded";
  } catch (const session::OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("'/dev/full'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(std::strerror(ENOSPC)), std::string::npos) << e.what();
  }
}

TEST(OutputFile, AMissingFolderOrAFileAsFolderIsNamed) {
  ScratchDir dir;
  write_text(dir / "plain.txt", "x");
  for (const auto& [path, err] : {std::pair{(dir / "nope" / "a.json").string(), ENOENT},
                                  std::pair{(dir / "plain.txt" / "a.json").string(), ENOTDIR}}) {
    try {
      session::OutputFile out(path);
      FAIL() << path << " opened";
    } catch (const session::OutputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(std::strerror(err)), std::string::npos) << e.what();
    }
  }
}

TEST(CliOutputs, AnalyzeOnAFullDiskExitsThreeAndLeavesTheOldFiles) {
  ScratchDir dir;
  SmallDisk disk(dir / "disk", 32 * 1024);
  STRIDE_REQUIRE_MOUNTED(disk);
  // Each output alone is larger than the disk: JSON ~60 KB, trajectory ~1.3 MB.
  for (const std::string opt : {"--json", "--trajectory", "--csv"}) {
    const auto target = disk / ("out" + opt.substr(2));
    write_text(target, "previous");
    const RunResult r = run_stride({"analyze", kRun, opt, target.string(), "--quiet"}, dir);
    if (opt == "--csv") {  // 30 strides of CSV (~10 KB) fit: a success, checked whole
      EXPECT_EQ(r.exit_code, 0) << r.describe();
      EXPECT_EQ(split_lines(read_text(target)).size(), 31u);
      continue;
    }
    EXPECT_EQ(r.exit_code, 3) << opt << ": " << r.describe();
    EXPECT_TRUE(says(r, target.string())) << r.err;
    EXPECT_TRUE(says(r, std::strerror(ENOSPC))) << r.err;
    EXPECT_EQ(read_text(target), "previous") << opt << ": a failed write must not replace the old file";
    EXPECT_EQ(leftover_temporaries(disk.path()), 0);
    std::filesystem::remove(target);
  }
}

TEST(CliOutputs, ReportAndSimulateOnAFullDiskExitThreeAndLeaveNothingHalfWritten) {
  ScratchDir dir;
  SmallDisk disk(dir / "disk", 32 * 1024);
  STRIDE_REQUIRE_MOUNTED(disk);
  const RunResult rep = run_stride({"report", kLeft, kRight, "--html", (disk / "r.html").string()}, dir);
  EXPECT_EQ(rep.exit_code, 3) << rep.describe();
  EXPECT_TRUE(says(rep, "r.html") && says(rep, std::strerror(ENOSPC))) << rep.err;
  EXPECT_FALSE(std::filesystem::exists(disk / "r.html"));
  const RunResult sim = run_stride({"simulate", "--out", (disk / "s.csv").string(), "--strides", "20"}, dir);
  EXPECT_EQ(sim.exit_code, 3) << sim.describe();
  EXPECT_TRUE(says(sim, "s.csv") && says(sim, std::strerror(ENOSPC))) << sim.err;
  EXPECT_FALSE(std::filesystem::exists(disk / "s.csv"));
  EXPECT_EQ(leftover_temporaries(disk.path()), 0);
}

TEST(CliOutputs, DevFullAndAMissingFolderExitThree) {
  ScratchDir dir;
  const RunResult full = run_stride({"analyze", kRun, "--json", "/dev/full", "--quiet"}, dir);
  EXPECT_EQ(full.exit_code, 3) << full.describe();
  EXPECT_TRUE(says(full, "/dev/full") && says(full, std::strerror(ENOSPC))) << full.err;
  const auto missing = (dir / "no-such-folder" / "a.json").string();
  const RunResult gone = run_stride({"analyze", kRun, "--json", missing, "--quiet"}, dir);
  EXPECT_EQ(gone.exit_code, 3) << gone.describe();
  EXPECT_TRUE(says(gone, missing) && says(gone, std::strerror(ENOENT))) << gone.err;
}

TEST(CliOutputs, AFullStdoutIsAnError) {
  ScratchDir dir;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"analyze", kRun, "--json", "-"}, std::vector<std::string>{"analyze", kRun}}) {
    std::vector<std::string> argv{STRIDE_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_t pid = 0;
    ASSERT_EQ(spawn_to_files(argv, "/dev/full", dir / "err.txt", false, pid), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3) << read_text(dir / "err.txt");
    EXPECT_NE(read_text(dir / "err.txt").find("standard output"), std::string::npos) << read_text(dir / "err.txt");
  }
}

TEST(CliOutputs, SeveralSessionsNeedAFolderNotAFile) {
  ScratchDir dir;
  write_text(dir / "taken.json", "x");
  const RunResult r = run_stride({"analyze", kRun, kLeft, "--no-pair", "--json", (dir / "taken.json").string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_TRUE(says(r, "taken.json") && says(r, "folder")) << r.err;
  EXPECT_EQ(read_text(dir / "taken.json"), "x");
}

TEST(CliRecord, AnExistingOutIsNotOverwritten) {
  ScratchDir dir;
  const auto out = dir / "run.csv";
  write_text(out, "precious");
  const RunResult refused = run_stride({"record", "--port", (dir / "no-port").string(), "--out", out.string()}, dir);
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_TRUE(says(refused, "exists") && says(refused, "--force") && says(refused, "--out-auto")) << refused.err;
  EXPECT_EQ(read_text(out), "precious");
  write_text(dir / "run-1.csv", "also taken");
  const RunResult next =
      run_stride({"record", "--port", (dir / "no-port").string(), "--out", out.string(), "--out-auto"}, dir);
  EXPECT_TRUE(says(next, "run-2.csv")) << next.err;  // then the missing port ends it
  EXPECT_EQ(next.exit_code, 3) << next.describe();
  EXPECT_EQ(read_text(out), "precious");
  EXPECT_EQ(read_text(dir / "run-1.csv"), "also taken");
}

}  // namespace
}  // namespace stride::test
