// The simulator's impact pulse: its deceleration, velocity share and remaining sink are closed-form integrals of
// one another; checked here by central differences, for the step (the default) and the smooth onset.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "simulator/impact_pulse.hpp"

namespace stride::sim::detail {
namespace {

TEST(ImpactPulse, DecelerationVelocityAndSinkAreEachOthersIntegrals) {
  for (const double rise : {0.0, 0.003, 0.005, 0.010}) {
    for (const double fall : {0.013, 0.025}) {
      const ImpactPulse p(rise, fall);
      const double end = p.duration_s(), h = 1e-7;
      EXPECT_DOUBLE_EQ(p.velocity_share(0.0), 1.0);
      EXPECT_NEAR(p.velocity_share(end - 1e-12), 0.0, 1e-9);
      EXPECT_NEAR(p.remaining_s(end - 1e-12), 0.0, 1e-12);
      double peak = 0.0, area = 0.0;
      const int n = 4000;
      for (int i = 1; i < n; ++i) {
        const double t = end * i / n;
        peak = std::max(peak, p.decel_per_s(t));
        area += p.decel_per_s(t) * end / n;
        // d(velocity share)/dt = -deceleration; d(remaining sink)/dt = -velocity share.
        EXPECT_NEAR((p.velocity_share(t + h) - p.velocity_share(t - h)) / (2 * h), -p.decel_per_s(t), 1e-4 * peak + 1e-3)
            << "rise " << rise << " fall " << fall << " t " << t;
        EXPECT_NEAR((p.remaining_s(t + h) - p.remaining_s(t - h)) / (2 * h), -p.velocity_share(t), 1e-6)
            << "rise " << rise << " fall " << fall << " t " << t;
      }
      EXPECT_NEAR(area, 1.0, 2e-3) << "the whole impact velocity is removed";
      if (rise > 0.0) {
        EXPECT_NEAR(p.decel_per_s(1e-9), 0.0, 1e-6) << "a smooth onset starts from zero force";
        EXPECT_DOUBLE_EQ(p.decel_per_s(rise), 2.0 / (rise + fall)) << "it peaks at the end of its rise";
        EXPECT_LE(peak, p.decel_per_s(rise) * (1.0 + 1e-12)) << "nowhere higher";
      } else {
        EXPECT_NEAR(p.decel_per_s(0.0), 2.0 / fall, 1e-9) << "the step is at its peak at once";
      }
    }
  }
}

}  // namespace
}  // namespace stride::sim::detail
