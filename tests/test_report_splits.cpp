// Splits for the report (tools/report/splits): per km or per N minutes, from per-stride values whose truth is
// known (a steady stride length and period, a contact time that rises linearly along the run).
#include <gtest/gtest.h>

#include <cmath>

#include "tools/report/splits.hpp"

namespace stride::test {
namespace {

using namespace stride::report;

// `n` strides every `period_s` from t = 1 s, each `length_m` long; contact time rises 0.01 ms per stride from 250 ms.
SplitFoot steady_foot(int n, double period_s, double length_m, double t0 = 1.0) {
  SplitFoot f;
  for (int i = 0; i < n; ++i) {
    SplitStride s;
    s.ic_s = t0 + period_s * i;
    s.valid = true;
    s.length_m = length_m;
    s.cadence_spm = 120.0 / period_s;
    s.gct_ms = 250.0 + 0.01 * i;
    s.impact_g = 10.0;
    f.strides.push_back(s);
  }
  return f;
}

TEST(ReportSplits, PlanIsKmWhenLongEnoughElseMinutes) {
  EXPECT_TRUE(plan_splits(5000, 1500).by_km);
  EXPECT_TRUE(plan_splits(2000, 700).by_km);
  const SplitPlan short_run = plan_splits(760, 222);  // the two-feet demo: 0.76 km in 3.7 min
  EXPECT_FALSE(short_run.by_km);
  EXPECT_EQ(short_run.minutes, 1.0);
  const SplitPlan hour = plan_splits(NAN, 3600);      // no distance (accelerometer only, shin): by time
  EXPECT_FALSE(hour.by_km);
  EXPECT_EQ(hour.minutes, 5.0);
  EXPECT_EQ(plan_splits(NAN, 7200).minutes, 10.0);
  EXPECT_EQ(plan_splits(NAN, 12 * 3600).minutes, 60.0);
  EXPECT_GT(plan_splits(NAN, 48 * 3600).minutes, 60.0);
}

TEST(ReportSplits, KmSplitsHaveTheirPaceAndTheDrift) {
  // 1400 strides of 2.5 m every 0.7 s: 3.5 km, 400 strides (280 s) a km, so a pace of 4:40 /km.
  const SplitFoot foot = steady_foot(1400, 0.7, 2.5);
  const auto splits = compute_splits({foot}, 1.0 + 0.7 * 1400, plan_splits(3500, 981));
  ASSERT_EQ(splits.size(), 4u);
  EXPECT_EQ(splits[0].label, "km 1");
  EXPECT_EQ(splits[2].label, "km 3");
  EXPECT_EQ(splits[3].label, "last 0.50 km");
  EXPECT_TRUE(splits[3].partial);
  EXPECT_FALSE(splits[2].partial);
  // The first km includes the second before the first stride.
  EXPECT_NEAR(splits[1].pace_s_per_km, 280.0, 0.8);
  EXPECT_NEAR(splits[2].pace_s_per_km, 280.0, 0.8);
  EXPECT_NEAR(splits[1].distance_m, 1000.0, 1e-9);
  EXPECT_NEAR(splits[1].cadence_spm, 120.0 / 0.7, 1e-9);
  EXPECT_NEAR(splits[1].stride_length_m, 2.5, 1e-12);
  // Contact time rises 0.01 ms a stride: km 2 holds strides ~400-799 (median ~600), km 3 ~800-1199.
  EXPECT_NEAR(splits[1].gct_ms, 256.0, 0.05);
  EXPECT_NEAR(splits[2].gct_ms, 260.0, 0.05);
  EXPECT_NEAR(splits[2].strides, 400, 1);
}

TEST(ReportSplits, KmMarksFollowTheDocumentsDistance) {
  // Stride lengths add up to 2 km but the document says 4 km (strides the trajectory left out): 4 km splits.
  SplitFoot foot = steady_foot(800, 0.7, 2.5);
  foot.distance_m = 4000;
  const auto splits = compute_splits({foot}, 600, {true, 0});
  ASSERT_EQ(splits.size(), 4u);
  EXPECT_NEAR(splits[1].to_s - splits[1].from_s, 140.0, 0.8) << "200 strides of 0.7 s a km";
  EXPECT_FALSE(splits.back().partial);
}

TEST(ReportSplits, MinuteSplitsWithoutDistanceAndTwoFeet) {
  // No stride length (a shin sensor): 10 minutes, per 2 minutes; the left and right feet's strides pooled.
  SplitFoot left = steady_foot(850, 0.7, NAN), right = steady_foot(850, 0.7, NAN, 1.35);
  for (auto& s : right.strides) s.gct_ms += 20;
  const SplitPlan plan = plan_splits(NAN, 600, 2.0, 5);
  ASSERT_EQ(plan.minutes, 2.0);
  const auto splits = compute_splits({left, right}, 600, plan);
  ASSERT_EQ(splits.size(), 5u);
  EXPECT_EQ(splits[0].label, "0–2 min");
  EXPECT_EQ(splits[4].label, "8–10 min");
  EXPECT_TRUE(std::isnan(splits[2].distance_m));
  EXPECT_TRUE(std::isnan(splits[2].pace_s_per_km));
  EXPECT_NEAR(splits[2].strides, 2 * 120.0 / 0.7, 2);
  // Pooled: half the strides at +20 ms, so the median lies between the feet's.
  EXPECT_GT(splits[2].gct_ms, 251.0);
  EXPECT_LT(splits[2].gct_ms, 275.0);
}

TEST(ReportSplits, AFewStepsAtTheEndAreNoSplitAndInvalidStridesAreLeftOut) {
  SplitFoot foot = steady_foot(260, 0.7, NAN);  // 183 s: 3 full minutes and 3 strides after
  foot.strides[10].valid = false;
  foot.strides[10].gct_ms = 9999;
  const auto splits = compute_splits({foot}, 183, {false, 1.0});
  ASSERT_EQ(splits.size(), 3u);
  EXPECT_LT(splits[0].gct_ms, 251.0) << "the invalid stride's 9999 ms is not in the median";
  EXPECT_EQ(splits[0].strides, 84);
}

// A document whose numbers are not a run's (found by fuzz/fuzz_session_json.cpp: 75 620 km over two strides took the
// report past the fuzzer's 10 s limit) gets at most kMaxSplitRows rows, by distance and by time.
TEST(ReportSplits, ADocumentsAbsurdDistanceOrTimeGivesBoundedRows) {
  SplitFoot far = steady_foot(2, 1.0, 1.0);
  far.distance_m = 7.562e7;
  const auto by_km = compute_splits({far}, 3.0, plan_splits(far.distance_m, 3.0), 0);
  EXPECT_EQ(by_km.size(), static_cast<std::size_t>(kMaxSplitRows));
  EXPECT_EQ(by_km.front().label, "km 1");

  SplitFoot late = steady_foot(2, 1.0, kNotMeasured);
  late.strides.back().ic_s = 1e300;  // the splits run to the last stride's IC
  const auto by_time = compute_splits({late}, 60.0, plan_splits(kNotMeasured, 60.0), 0);
  EXPECT_EQ(by_time.size(), static_cast<std::size_t>(kMaxSplitRows));
}

}  // namespace
}  // namespace stride::test
