#include <gtest/gtest.h>

#include "analysis/event_accuracy.hpp"

namespace stride {
namespace {

TEST(EventAccuracy, MatchesOneToOneWithinTolerance) {
  const std::vector<double> ref{1.0, 2.0, 3.0, 4.0};
  const std::vector<double> det{1.002, 1.004, 2.001, 3.5, 4.003};
  const auto a = score_events(ref, det, 0.05);
  EXPECT_EQ(a.matched, 3u);
  EXPECT_DOUBLE_EQ(a.detection_rate(), 0.75);
  EXPECT_DOUBLE_EQ(a.spurious_rate(), 2.0 / 5.0);
  EXPECT_NEAR(a.bias_ms, 2.0, 1e-9);
  EXPECT_NEAR(a.mae_ms, 2.0, 1e-9);
  EXPECT_NEAR(a.max_abs_ms, 3.0, 1e-9);
}

TEST(EventAccuracy, PoolingEqualsScoringTogether) {
  const std::vector<double> r1{1, 2, 3}, d1{1.001, 2.003, 2.996};
  const std::vector<double> r2{5, 6}, d2{5.010, 6.002};
  auto a = score_events(r1, d1, 0.05);
  a.add(score_events(r2, d2, 0.05));
  const std::vector<double> r{1, 2, 3, 5, 6}, d{1.001, 2.003, 2.996, 5.010, 6.002};
  const auto all = score_events(r, d, 0.05);
  EXPECT_NEAR(a.bias_ms, all.bias_ms, 1e-9);
  EXPECT_NEAR(a.sd_ms, all.sd_ms, 1e-9);
  EXPECT_NEAR(a.mae_ms, all.mae_ms, 1e-9);
  EXPECT_EQ(a.matched, all.matched);
  EXPECT_NEAR(a.p95_abs_ms(), all.p95_abs_ms(), 1e-9);
}

TEST(EventAccuracy, P95IsTheNearestRankOfAbsoluteErrors) {
  std::vector<double> ref, det;
  for (int i = 0; i < 20; ++i) ref.push_back(i), det.push_back(i + (i % 2 ? -1e-3 : 1e-3) * (i + 1));
  const auto a = score_events(ref, det, 0.05);
  ASSERT_EQ(a.errors_ms.size(), 20u);
  EXPECT_NEAR(a.p95_abs_ms(), 19.0, 1e-9);  // |errors| 1..20 ms: rank ceil(0.95 * 20) = 19
  EXPECT_NEAR(a.max_abs_ms, 20.0, 1e-9);
  EXPECT_EQ(score_events({}, {}, 0.05).p95_abs_ms(), 0.0);
}

}  // namespace
}  // namespace stride
