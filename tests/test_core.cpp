#include <gtest/gtest.h>

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

TEST(Recording, SideAndPlacementNamesRoundTrip) {
  for (auto s : {Side::left, Side::right, Side::unknown}) EXPECT_EQ(side_from_string(to_string(s)), s);
  for (auto p : {Placement::shoe, Placement::shin, Placement::unknown})
    EXPECT_EQ(placement_from_string(to_string(p)), p);
  EXPECT_FALSE(side_from_string("middle").has_value());
}

}  // namespace
}  // namespace stride
