// Inputs and the history database that cannot be reached are refused with the system's reason for that path
// (issue 14: EACCES was reported as ENOENT). Before: "files: Path does not exist", "no history database at",
// batch's "no such file or folder", for a folder this user may not search and for a path through a file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "cli_runner.hpp"
#include "unprivileged.hpp"

namespace stride::test {
namespace {

fs::path simulated(const ScratchDir& dir) {
  const fs::path rec = dir / "a.csv";
  const auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "10", "--rate", "200"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return rec;
}

// A path through a file ("a.csv/x.csv"): ENOTDIR, as any user.
TEST(OsReasons, PathThroughAFileSaysNotADirectory) {
  ScratchDir dir;
  const fs::path rec = simulated(dir);
  const std::string through = (rec / "x.csv").string();
  auto r = run_stride({"analyze", through, "-q"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("'" + through + "': Not a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("does not exist"), std::string::npos) << r.err;
  r = run_stride({"history", "--db", (rec / "h.sqlite").string()}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot read the history database '" + (rec / "h.sqlite").string() + "': Not a directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("no history database"), std::string::npos) << r.err;
  // A file that is not there is still called that.
  r = run_stride({"analyze", (dir / "missing.csv").string(), "-q"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
}

// A recording and a history inside a folder this user may not enter (mode 0700, owned by root): EACCES is named.
TEST(OsReasons, ClosedFolderSaysPermissionDenied) {
  STRIDE_REQUIRE_UNPRIVILEGED();
  ScratchDir dir;
  const fs::path locked = dir / "locked";
  fs::create_directories(locked);
  fs::copy_file(simulated(dir), locked / "a.csv");
  ASSERT_EQ(chmod(locked.c_str(), 0700), 0);
  const fs::path out = dir / "out";
  fs::create_directories(out);
  fs::permissions(out, fs::perms::all);

  const std::string rec = (locked / "a.csv").string(), db = (locked / "h.sqlite").string();
  auto r = run_unprivileged({"analyze", rec, "-q"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("'" + rec + "': Permission denied"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("does not exist"), std::string::npos) << r.err;

  r = run_unprivileged({"history", "--db", db}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot read the history database '" + db + "': Permission denied"), std::string::npos)
      << r.err;

  r = run_unprivileged({"batch", rec, "--out", (out / "b").string()}, dir);
  EXPECT_NE(r.err.find(rec + ": Permission denied"), std::string::npos) << r.describe();
  EXPECT_EQ(r.err.find("no such file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stride::test
