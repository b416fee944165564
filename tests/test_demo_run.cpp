// The recording the README's first command analyses (scripts/demo.sh) is a newcomer's first contact with stride:
// it must show what was built into it and nothing else, and its figures must match its truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "session_doc.hpp"
#include "test_support.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

TEST(DemoRun, OpensWithWhatWasBuiltInAndNoFalseAlarm) {
  ScratchDir dir;
  const fs::path base = source_dir() / "recordings";
  const auto r = run_stride({"analyze", (base / "sim_run_low_cadence_3.2mps.csv").string(), "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = json::parse(r.out);
  std::set<std::string> ids;
  for (const auto& f : doc["flags"]) ids.insert(f["id"].get<std::string>());
  // Built in: 158 steps/min (below the 166 of FLAGS.md) with a 22 deg heel strike. Nothing else: no data-quality
  // flag for the handful of samples at the 16 g range, no "too little data" (300 strides, 3.9 min).
  EXPECT_EQ(ids, (std::set<std::string>{"low_cadence", "heel_strike"})) << doc["flags"].dump(1);

  const json truth = json::parse(read_text(base / "sim_run_low_cadence_3.2mps.truth.json"));
  double true_distance = 0;
  for (const auto& s : truth["strides"]) true_distance += s["length_m"].get<double>();
  for (const auto& s : truth["rest_steps"]) true_distance += s["length_m"].get<double>();  // out of the standing start
  const json& foot = only_foot(doc);
  const json& metrics = foot["summary"]["metrics"];
  EXPECT_NEAR(foot["spatial"]["distance_m"].get<double>(), true_distance, 0.01 * true_distance);
  // The stated SD covers the truth (within 2 SD), and is not so wide that it says nothing (under 5 %).
  const double sd = foot["spatial"]["distance_sd_m"].get<double>();
  EXPECT_LE(std::abs(foot["spatial"]["distance_m"].get<double>() - true_distance), 2 * sd);
  EXPECT_LT(sd, 0.05 * true_distance);
  EXPECT_NEAR(metrics["cadence_spm"]["median"].get<double>(), 157.4, 1.0);  // truth: 120 / median IC-to-IC time
  EXPECT_NEAR(metrics["fsa_deg"]["median"].get<double>(), 22.0, 1.0);
}

}  // namespace
}  // namespace stride::test
