// Rows that share one stamp (BLE blocks stamped on arrival) are spread up to the next stamp; bursts of two blocks
// in one connection event are spread together.
#include <gtest/gtest.h>

#include <vector>

#include "firmware_iface/protocol/shared_stamps.hpp"

namespace stride::io::detail {
namespace {

struct Row {
  double t = 0.0;
  int id = 0;
};

std::vector<Row> spread(const std::vector<double>& stamps) {
  SharedStampSpreader<Row> s;
  std::vector<Row> out;
  for (std::size_t i = 0; i < stamps.size(); ++i) s.push({stamps[i], static_cast<int>(i)}, out);
  s.finish(out);
  return out;
}

TEST(SharedStampSpreader, BlocksOfThreeAreSpreadEvenlyToTheNextStamp) {
  std::vector<double> stamps;
  for (int b = 0; b < 20; ++b)
    for (int k = 0; k < 3; ++k) stamps.push_back(0.015 * b);
  const auto out = spread(stamps);
  ASSERT_EQ(out.size(), stamps.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].id, static_cast<int>(i));  // order kept
    EXPECT_NEAR(out[i].t, 0.005 * static_cast<double>(i), 1e-12) << i;  // the last block too, at the mean interval
  }
}

TEST(SharedStampSpreader, TwoNotificationsOfOneConnectionEventAreOneBurst) {
  // 200 Hz, three samples a notification, two notifications per 30 ms event, the second 3 ms after the first.
  std::vector<double> stamps;
  for (int e = 0; e < 20; ++e)
    for (int n = 0; n < 2; ++n)
      for (int k = 0; k < 3; ++k) stamps.push_back(0.030 * e + 0.003 * n);
  const auto out = spread(stamps);
  ASSERT_EQ(out.size(), stamps.size());
  for (std::size_t i = 1; i < out.size(); ++i)
    EXPECT_NEAR(out[i].t - out[i - 1].t, 0.005, 1e-9) << i;  // not 1 ms then 9 ms
}

TEST(SharedStampSpreader, DistinctStampsAreLeftAsTheyAre) {
  const std::vector<double> stamps{0.0, 0.08, 0.161, 0.242, 0.322, 0.403, 0.482, 0.562, 0.643, 0.724, 0.804};
  const auto out = spread(stamps);
  ASSERT_EQ(out.size(), stamps.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_DOUBLE_EQ(out[i].t, stamps[i]);
}

TEST(SharedStampSpreader, AStampGoingBackKeepsTheRowsStampsForTheClockGuard) {
  const std::vector<double> stamps{0.0, 0.0, 0.0, 0.015, 0.015, 0.015, 0.010, 0.010, 0.010, 0.030, 0.030, 0.030};
  const auto out = spread(stamps);
  ASSERT_EQ(out.size(), stamps.size());
  EXPECT_DOUBLE_EQ(out[3].t, 0.015);  // the block before the step back: no span to spread over
  EXPECT_DOUBLE_EQ(out[4].t, 0.015);
}

TEST(SharedStampSpreader, AStuckClockIsNotOneHugeBlock) {
  std::vector<double> stamps(10000, 1.0);
  stamps.push_back(2.0);
  const auto out = spread(stamps);
  ASSERT_EQ(out.size(), stamps.size());
  EXPECT_DOUBLE_EQ(out[0].t, 1.0);
  EXPECT_DOUBLE_EQ(out[5000].t, 1.0);  // held at most 256 rows at a time; the repeats stay for the guard to drop
}

}  // namespace
}  // namespace stride::io::detail
