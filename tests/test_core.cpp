#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "stride/recording.hpp"

namespace stride {
namespace {

std::vector<ImuSample> samples_at(std::initializer_list<double> times) {
  std::vector<ImuSample> out;
  for (double t : times) { ImuSample s; s.t_s = t; out.push_back(s); }
  return out;
}

TEST(Recording, MedianIntervalIgnoresRepeatedStampsAndGaps) {
  auto s = samples_at({0.0, 0.01, 0.01, 0.02, 0.03, 0.07, 0.08});
  EXPECT_NEAR(median_interval_s(s), 0.01, 1e-12);
}

TEST(Recording, FindsGapsWithMissingCount) {
  auto s = samples_at({0.0, 0.01, 0.02, 0.05, 0.06});
  auto gaps = find_gaps(s, 0.01);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_DOUBLE_EQ(gaps[0].start_s, 0.02);
  EXPECT_DOUBLE_EQ(gaps[0].end_s, 0.05);
  EXPECT_EQ(gaps[0].missing_samples, 2u);
}

// Issue 14: a gap of absurd length (a garbage stamp) gave "113 gaps (500000000000006943 samples)": llround of a
// ratio beyond 2^63 is unspecified. The count is now clamped before any conversion.
TEST(Recording, AbsurdGapsGiveABoundedMissingCount) {
  auto s = samples_at({0.0, 0.01, 1e300});
  auto gaps = find_gaps(s, 0.01);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].missing_samples, kMaxMissingSamples);
  EXPECT_EQ(missing_samples(1e120, 0.002), kMaxMissingSamples);
  EXPECT_EQ(missing_samples(std::numeric_limits<double>::infinity(), 0.01), kMaxMissingSamples);
  EXPECT_EQ(missing_samples(std::nan(""), 0.01), kMaxMissingSamples);
  EXPECT_EQ(missing_samples(0.05, 0.01), 4u);
  EXPECT_EQ(missing_samples(0.016, 0.01), 1u);
  EXPECT_EQ(missing_samples(0.02, 0.0), kMaxMissingSamples);
}

TEST(Recording, SideAndPlacementNamesRoundTrip) {
  for (auto s : {Side::left, Side::right, Side::unknown}) EXPECT_EQ(side_from_string(to_string(s)), s);
  for (auto p : {Placement::shoe, Placement::shin, Placement::unknown})
    EXPECT_EQ(placement_from_string(to_string(p)), p);
  EXPECT_FALSE(side_from_string("middle").has_value());
}

}  // namespace
}  // namespace stride
