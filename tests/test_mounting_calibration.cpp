// Mounting alignment against the simulator's random strap rotations: the axes found from the data alone.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

#include "analysis/mounting_calibration.hpp"
#include "sim_grid.hpp"

namespace stride {
namespace {

double angle_deg(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  return std::acos(std::clamp(a.normalized().dot(b.normalized()), -1.0, 1.0)) * 180.0 / std::numbers::pi;
}

TEST(MountingCalibration, FindsTheFootAxesForAnyStrapRotation) {
  double worst_up = 0, worst_left = 0, sum_up = 0, sum_left = 0, sum_total = 0;
  int runs = 0;
  for (const auto& c : test::simulator_grid({200, 1000}, 12)) {
    SCOPED_TRACE(c.name);
    const auto sim = sim::simulate(c.settings);
    const auto m = MountingCalibration().run(sim.recording.samples, c.settings.rate_hz);
    ASSERT_TRUE(m.ok) << m.message;
    EXPECT_GE(m.sign_vote, 0.9);
    const Eigen::Matrix3d truth = sim.truth.mounting.toRotationMatrix();  // sensor -> foot: rows are foot axes
    const double up = angle_deg(m.segment_from_sensor.row(2), truth.row(2));
    const double left = angle_deg(m.segment_from_sensor.row(1), truth.row(1));
    const Eigen::AngleAxisd total(m.segment_from_sensor * truth.transpose());
    worst_up = std::max(worst_up, up);
    worst_left = std::max(worst_left, left);
    sum_up += up, sum_left += left, sum_total += total.angle() * 180.0 / std::numbers::pi;
    ++runs;
    EXPECT_LT(up, 1.0);
    EXPECT_LT(left, 6.0);
  }
  std::printf("alignment error over %d runs: up %.2f deg mean (max %.2f), medio-lateral %.2f deg mean (max %.2f), "
              "whole rotation %.2f deg mean\n", runs, sum_up / runs, worst_up, sum_left / runs, worst_left,
              sum_total / runs);
}

TEST(MountingCalibration, LongRunVotesOneWayOnThePitchSign) {
  sim::Settings s;
  s.strides = 400;
  s.rate_hz = 500;
  s.seed = 21;
  const auto sim = sim::simulate(s);
  const auto m = MountingCalibration().run(sim.recording.samples, 500);
  ASSERT_TRUE(m.ok);
  EXPECT_GE(m.sign_vote, 0.95);
}

TEST(MountingCalibration, RefusesARecordingWithoutMotion) {
  std::vector<ImuSample> still(2000);
  for (std::size_t i = 0; i < still.size(); ++i) {
    still[i].t_s = static_cast<double>(i) / 200.0;
    still[i].acc_mps2 = {0.1, 0.2, 9.8};
  }
  const auto m = MountingCalibration().run(still, 200);
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.message.find("no swing motion"), std::string::npos) << m.message;
}

}  // namespace
}  // namespace stride
