// End-to-end: `stride analyze --flags-settings FILE`, the flags in the terminal summary (first) and in --json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "session_doc.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

TEST(FlagsCli, SettingsFileOverridesAndJsonCarriesTheFlags) {
  ScratchDir dir;
  const fs::path rec = dir / "slow.csv";
  auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "60", "--rate", "200", "--cadence", "150",
                       "--seed", "5"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  // Defaults: 60 strides (< 3 min) -> only the data_quality note, no gait flag.
  r = run_stride({"analyze", rec.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("flag info data_quality"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("low_cadence"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("flag "), r.out.find("strides:")) << "flags come first";

  write_text(dir / "short.json", R"({"min_duration_s": 20})");
  r = run_stride({"analyze", rec.string(), "--flags-settings", (dir / "short.json").string(), "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = json::parse(r.out);
  ASSERT_TRUE(doc.contains("flags")) << r.out.substr(0, 500);
  bool low = false;
  for (const auto& f : doc["flags"])
    if (f["id"] == "low_cadence") {
      low = true;
      EXPECT_NEAR(f["values"]["cadence_spm"].get<double>(), 150, 3);
      EXPECT_GT(f["strides"].get<int>(), 30);
      for (const char* k : {"severity", "title", "evidence", "rule", "why", "source", "what_to_try", "trust", "from_s", "to_s"})
        EXPECT_TRUE(f.contains(k)) << k;
    }
  EXPECT_TRUE(low) << doc["flags"].dump(1);
  EXPECT_EQ(only_foot(doc)["settings"]["flags"]["min_duration_s"].get<double>(), 20);
  EXPECT_EQ(only_foot(doc)["settings"]["flags"]["low_cadence_spm"].get<double>(), 166);

  write_text(dir / "bad.json", R"({"low_cadence_spm": 160, "cadense": 1})");
  r = run_stride({"analyze", rec.string(), "--flags-settings", (dir / "bad.json").string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("'cadense'"), std::string::npos) << r.err;
  write_text(dir / "range.json", R"({"baseline_share": 3})");
  r = run_stride({"analyze", rec.string(), "--flags-settings", (dir / "range.json").string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("baseline_share"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stride::test
