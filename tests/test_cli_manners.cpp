// The command line's paper cuts (issues 14 and 16): the help's own spelling works, a mistyped option is named with
// what was meant, a bad number gets a one-line message, and one foot is never passed off as two.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <sstream>

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

TEST(CliManners, ATooLowSampleRateIsSaidAsSuch) {
  ScratchDir dir;
  std::string csv = "t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s\n";
  for (int i = 0; i < 600; ++i) csv += std::to_string(i) + ",0.1,0,9.81,0.5,0,0\n";  // 1 Hz for 10 minutes
  write_text(dir / "slow.csv", csv);
  const RunResult r = run_stride({"analyze", (dir / "slow.csv").string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("sample rate (1.00 Hz) is too low"), std::string::npos) << r.err;
}

TEST(CliManners, TheStrideCsvHasTheSameColumnsForEveryPlacement) {
  ScratchDir dir;
  const RunResult sim = run_stride({"simulate", "--out", (dir / "shin.csv").string(), "--placement", "shin",
                                    "--strides", "20", "--speed", "4.0", "--duty", "0.32"},
                                   dir);
  ASSERT_EQ(sim.exit_code, 0) << sim.describe();
  ASSERT_EQ(run_stride({"analyze", (dir / "shin.csv").string(), "--csv", (dir / "shin_strides.csv").string(), "-q"}, dir)
                .exit_code, 0);
  ASSERT_EQ(run_stride({"analyze", kRun, "--csv", (dir / "shoe_strides.csv").string(), "-q"}, dir).exit_code, 0);
  const auto shin = split_lines(read_text(dir / "shin_strides.csv"));
  const auto shoe = split_lines(read_text(dir / "shoe_strides.csv"));
  ASSERT_GT(shin.size(), 10u);
  EXPECT_EQ(shin[0], shoe[0]);
  // The shin columns, then the per-stride SDs (added last, so earlier columns kept their places).
  const std::string tail = ",pta_g,pta_rise_g_per_s,shank_angle_ic_deg,ic_sd_ms,tc_sd_ms,length_sd_m";
  ASSERT_GE(shin[0].size(), tail.size());
  EXPECT_EQ(shin[0].substr(shin[0].size() - tail.size()), tail);
  std::size_t with_pta = 0;
  for (std::size_t i = 1; i < shin.size(); ++i) {
    // The last six cells are numbers (no commas): pta_g, its rise, the shank angle, then the three SDs.
    const auto& row = shin[i];
    const auto c6 = row.rfind(','), c5 = row.rfind(',', c6 - 1), c4 = row.rfind(',', c5 - 1);
    const auto c3 = row.rfind(',', c4 - 1), c2 = row.rfind(',', c3 - 1), c1 = row.rfind(',', c2 - 1);
    const std::string pta = row.substr(c1 + 1, c2 - c1 - 1), angle = row.substr(c3 + 1, c4 - c3 - 1);
    if (!pta.empty() && std::stod(pta) > 1.0 && !angle.empty()) ++with_pta;
  }
  EXPECT_GE(with_pta * 10, (shin.size() - 1) * 8) << "most shin strides carry their tibial shock and shank angle";
}

// The run in milli-g, milli-degrees per second and nanoseconds; named_units puts the units in the header, else the
// header is bare names and the units must come from the options.
std::filesystem::path run_in_milli_units(const ScratchDir& dir, bool named_units) {
  std::ifstream in(kRun);
  const auto out_path = dir / (named_units ? "named.csv" : "bare.csv");
  std::ofstream out(out_path);
  out << (named_units ? "t_ns,ax_mg,ay_mg,az_mg,gx_mdps,gy_mdps,gz_mdps\n" : "time,ax,ay,az,gx,gy,gz\n");
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    double v[7];
    std::istringstream cells(line);
    char comma;
    for (int k = 0; k < 7; ++k) cells >> v[k] >> comma;
    char buf[256];
    const double mg = 1000.0 / 9.80665, mdps = 1000.0 * 180.0 / std::numbers::pi;
    std::snprintf(buf, sizeof buf, "%lld,%.4f,%.4f,%.4f,%.3f,%.3f,%.3f\n", std::llround(v[0] * 1e9), v[1] * mg,
                  v[2] * mg, v[3] * mg, v[4] * mdps, v[5] * mdps, v[6] * mdps);
    out << buf;
  }
  return out_path;
}

// Column `name` of a stride CSV, one value per row.
std::vector<double> csv_column(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line, cell;
  std::getline(in, line);
  std::istringstream head(line);
  int col = -1;
  for (int k = 0; std::getline(head, cell, ','); ++k)
    if (cell == name) col = k;
  std::vector<double> values;
  while (col >= 0 && std::getline(in, line)) {
    std::istringstream row(line);
    for (int k = 0; std::getline(row, cell, ','); ++k)
      if (k == col) values.push_back(cell.empty() ? std::nan("") : std::stod(cell));
  }
  return values;
}

TEST(CliManners, MilliGMilliDegreesAndNanosecondsAreReadDeclaredOrGiven) {
  ScratchDir dir;
  const auto strides_of = [&](std::vector<std::string> args) {
    const auto csv = dir / "strides.csv";
    args.insert(args.begin(), "analyze");
    for (const char* a : {"--side", "right", "--quiet", "--csv"}) args.push_back(a);
    args.push_back(csv.string());
    const RunResult r = run_stride(args, dir);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return read_text(csv);
  };
  const std::string want = strides_of({kRun});
  const auto want_ic = csv_column(want, "ic_s"), want_len = csv_column(want, "stride_length_m");
  ASSERT_GE(want_ic.size(), 20u) << want.substr(0, 300);
  for (const auto& args :
       {std::vector<std::string>{run_in_milli_units(dir, true).string()},
        std::vector<std::string>{run_in_milli_units(dir, false).string(), "--time-unit", "ns", "--acc-unit", "mg",
                                 "--gyr-unit", "mdps"}}) {
    const std::string got = strides_of(args);
    const auto ic = csv_column(got, "ic_s"), len = csv_column(got, "stride_length_m");
    ASSERT_EQ(ic.size(), want_ic.size()) << args[0];
    for (std::size_t i = 0; i < ic.size(); ++i) {
      EXPECT_NEAR(ic[i], want_ic[i], 1e-9) << args[0] << " stride " << i;  // the same samples: the same events
      if (!std::isnan(want_len[i])) {
        EXPECT_NEAR(len[i], want_len[i], 1e-3) << args[0] << " stride " << i;
      }
    }
  }
  // A unit of the wrong quantity is refused at once, naming the choices.
  const RunResult bad = run_stride({"analyze", kRun, "--acc-unit", "mdps"}, dir);
  EXPECT_EQ(bad.exit_code, 2) << bad.describe();
  EXPECT_NE(bad.err.find("mg"), std::string::npos) << bad.err;
}

TEST(CliManners, VersionNamesTheCommit) {
  ScratchDir dir;
  const RunResult r = run_stride({"--version"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  const std::string text = r.out + r.err;
  EXPECT_NE(text.find("stride 0."), std::string::npos) << text;
  const auto open = text.find('('), close = text.find(')');
  ASSERT_TRUE(open != std::string::npos && close > open + 1) << text;
  const std::string commit = text.substr(open + 1, close - open - 1);
  EXPECT_TRUE(commit == "unknown commit" ||
              (commit.size() == 12 && commit.find_first_not_of("0123456789abcdef") == std::string::npos))
      << commit;
}

}  // namespace
}  // namespace stride::test
