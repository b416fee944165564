// End-to-end tests of `stride simulate`: the real executable writes a recording and its truth; we read both back.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

TEST(CliSimulate, WritesRecordingAndTruthBesideIt) {
  ScratchDir dir;
  const auto rec = dir / "run.csv";
  const auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "12", "--rate", "500", "--seed", "3"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(r.out.empty()) << "simulate prints nothing to stdout; got: " << r.out;
  EXPECT_NE(r.err.find("run.csv"), std::string::npos) << r.err;  // the note on stderr names what was written
  ASSERT_TRUE(fs::exists(rec));
  ASSERT_TRUE(fs::exists(dir / "run.truth.json"));

  // The recording is the native format: `# stride_format: 1` first, metadata, the header, then 7 numbers a line.
  const auto lines = split_lines(read_text(rec));
  ASSERT_GT(lines.size(), 100u);
  EXPECT_EQ(lines.front(), "# stride_format: 1");
  std::size_t header = 0;
  while (header < lines.size() && lines[header].starts_with("#")) ++header;
  ASSERT_LT(header, lines.size());
  EXPECT_EQ(lines[header], "t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s");
  EXPECT_NE(read_text(rec).find("# rate_hz: 500\n"), std::string::npos);
  const auto& last = lines.back();
  EXPECT_EQ(std::count(last.begin(), last.end(), ','), 6) << last;

  // The truth: every event, and 12 complete strides with their lengths and angles.
  const json t = json::parse(read_text(dir / "run.truth.json"));
  ASSERT_TRUE(t.contains("ic_s") && t.contains("tc_s") && t.contains("strides")) << t.dump(1).substr(0, 500);
  ASSERT_EQ(t["strides"].size(), 12u);
  EXPECT_GE(t["ic_s"].size(), 12u);
  EXPECT_GE(t["tc_s"].size(), 12u);
  for (const auto& s : t["strides"]) {
    for (const char* key : {"ic_s", "tc_s", "next_ic_s", "length_m", "fsa_deg", "speed_mps", "peak_impact_g"})
      ASSERT_TRUE(s.contains(key)) << key;
    EXPECT_LT(s["ic_s"].get<double>(), s["tc_s"].get<double>());
    EXPECT_LT(s["tc_s"].get<double>(), s["next_ic_s"].get<double>());
    EXPECT_GT(s["length_m"].get<double>(), 1.5);   // 3.5 m/s at 170 steps/min: ~2.5 m a stride
    EXPECT_LT(s["length_m"].get<double>(), 3.5);
  }
  EXPECT_EQ(t["settings"]["seed"], 3);
  EXPECT_EQ(t["settings"]["rate_hz"], 500.0);
}

TEST(CliSimulate, SameSeedSameBytesOtherSeedOtherBytes) {
  ScratchDir dir;
  auto sim = [&](const std::string& name, const std::string& seed) {
    const auto r = run_stride({"simulate", "-o", (dir / name).string(), "--strides", "3", "--seed", seed}, dir);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return read_text(dir / name);
  };
  const auto a = sim("a.csv", "7");
  EXPECT_EQ(a, sim("b.csv", "7"));
  EXPECT_NE(a, sim("c.csv", "8"));
}

// --impact-rise-ms gives the impact a smooth onset: the same IC times (the force's start), other samples, the
// setting in the truth; out of range is a bad argument.
TEST(CliSimulate, ImpactRiseKeepsTheEventsAndIsWrittenIntoTheTruth) {
  ScratchDir dir;
  auto sim = [&](const std::string& name, const std::string& rise_ms) {
    return run_stride({"simulate", "-o", (dir / name).string(), "--strides", "4", "--rate", "200", "--impact-rise-ms",
                       rise_ms},
                      dir);
  };
  ASSERT_EQ(sim("step.csv", "0").exit_code, 0);
  const auto r = sim("smooth.csv", "5");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json step = json::parse(read_text(dir / "step.truth.json"));
  const json smooth = json::parse(read_text(dir / "smooth.truth.json"));
  EXPECT_EQ(step["settings"]["impact_rise_s"], 0.0);
  EXPECT_DOUBLE_EQ(smooth["settings"]["impact_rise_s"].get<double>(), 0.005);
  EXPECT_EQ(smooth["ic_s"], step["ic_s"]);
  EXPECT_NE(read_text(dir / "smooth.csv"), read_text(dir / "step.csv"));
  const auto bad = sim("bad.csv", "40");
  EXPECT_EQ(bad.exit_code, 2) << bad.describe();
  EXPECT_NE(bad.err.find("--impact-rise-ms"), std::string::npos) << bad.err;
}

TEST(CliSimulate, WalkUsesWalkingDefaultsAndTruthPathOption) {
  ScratchDir dir;
  const auto truth = dir / "elsewhere.json";
  const auto r = run_stride({"simulate", "--walk", "-o", (dir / "w.csv").string(), "--truth", truth.string(),
                             "--strides", "4", "--rate", "200"},
                            dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_FALSE(fs::exists(dir / "w.truth.json"));
  const json t = json::parse(read_text(truth));
  EXPECT_EQ(t["settings"]["cadence_spm"], 112.0);
  EXPECT_EQ(t["settings"]["speed_mps"], 1.4);
  EXPECT_EQ(t["settings"]["duty_factor"], 0.62);
}

TEST(CliSimulate, BadSettingsExitTwoAndNameTheSetting) {
  ScratchDir dir;
  const auto r = run_stride({"simulate", "-o", (dir / "x.csv").string(), "--rate", "5"}, dir);
  ASSERT_FALSE(r.signalled) << r.describe();
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("rate"), std::string::npos) << r.err;

  const auto missing_out = run_stride({"simulate", "--strides", "3"}, dir);
  EXPECT_EQ(missing_out.exit_code, 2) << missing_out.describe();
  EXPECT_NE(missing_out.err.find("--out"), std::string::npos) << missing_out.err;

  const auto bad_strike = run_stride({"simulate", "-o", (dir / "x.csv").string(), "--strike", "tiptoe"}, dir);
  EXPECT_EQ(bad_strike.exit_code, 2) << bad_strike.describe();
}

TEST(CliSimulate, UnwritableOutputIsASystemFailure) {
  ScratchDir dir;
  const auto r = run_stride({"simulate", "-o", (dir / "no" / "such" / "dir" / "x.csv").string(), "--strides", "2"}, dir);
  ASSERT_FALSE(r.signalled) << r.describe();
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("x.csv"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stride::test
