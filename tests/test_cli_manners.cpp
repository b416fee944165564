// The command line's paper cuts (issues 14 and 16): the help's own spelling works, a mistyped option is named with
// what was meant, a bad number gets a one-line message, and one foot is never passed off as two.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "test_support.hpp"

namespace stride::test {
namespace {

const std::string kRun = (source_dir() / "recordings/sim_run_rearfoot_3.5mps.csv").string();

TEST(CliManners, AnalyseIsAnAliasOfAnalyze) {
  ScratchDir dir;
  const RunResult r = run_stride({"analyse", kRun, "--quiet"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
}

TEST(CliManners, AMistypedOptionIsNamedWithWhatWasMeant) {
  ScratchDir dir;
  const RunResult r = run_stride({"analyze", kRun, "--jsn", (dir / "out.json").string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("unknown option --jsn (did you mean --json?)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("does not exist"), std::string::npos) << r.err;
  const RunResult far = run_stride({"simulate", "--out", (dir / "s.csv").string(), "--xyzzy-plugh", "1"}, dir);
  EXPECT_EQ(far.exit_code, 2) << far.describe();
  EXPECT_NE(far.err.find("unknown option --xyzzy-plugh\n"), std::string::npos) << far.err;  // nothing near: no guess
}

TEST(CliManners, BadNumbersGetAOneLineMessage) {
  ScratchDir dir;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"analyze", kRun, "--rate", "0"},
        std::vector<std::string>{"simulate", "--out", (dir / "s.csv").string(), "--acc-range", "0"},
        std::vector<std::string>{"simulate", "--out", (dir / "s.csv").string(), "--rate", "-200"},
        std::vector<std::string>{"simulate", "--out", (dir / "s.csv").string(), "--duty", "1.5"}}) {
    const RunResult r = run_stride(args, dir);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << r.describe();
    EXPECT_LT(r.err.size(), 200u) << r.err;
    EXPECT_NE(r.err.find("expected a number"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "s.csv"));
}

TEST(CliManners, OneFootIsNeverTwoFeet) {
  ScratchDir dir;
  const RunResult same = run_stride({"analyze", "--left", kRun, "--right", kRun}, dir);
  EXPECT_EQ(same.exit_code, 2) << same.describe();
  EXPECT_NE(same.err.find("same file"), std::string::npos) << same.err;
  const RunResult both = run_stride({"analyze", kRun, "--sensor", "both", "--json", (dir / "b.json").string()}, dir);
  EXPECT_EQ(both.exit_code, 1) << both.describe();
  EXPECT_NE(both.err.find("holds one sensor"), std::string::npos) << both.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "b.json"));
  // A file that does hold both feet still pairs.
  const RunResult gaitmap = run_stride({"analyze", (reference_data() / "gaitmap_example/imu_sample.csv").string(),
                                        "--format", "gaitmap", "--sensor", "both", "--quiet"},
                                       dir);
  EXPECT_EQ(gaitmap.exit_code, 0) << gaitmap.describe();
}

}  // namespace
}  // namespace stride::test
