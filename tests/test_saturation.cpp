// Clipping inferred from flat tops when no range is declared (analysis/saturation.*): a sensor at its limit is
// found at the limit it was simulated with; a phone-rate signal whose smooth peaks sit near their top for a
// sample or two is not called clipped (issue 13: "a flat top of 2 samples"), nor is a sensor at rest.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <numbers>

#include "analysis/saturation.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

constexpr double kG = 9.80665;

Recording undeclared(sim::Settings s) {
  Recording rec = sim::simulate(s).recording;
  rec.meta.acc_range_g = 0;   // as most exported files: no range in the metadata
  rec.meta.gyr_range_dps = 0;
  return rec;
}

TEST(Saturation, AClippedSensorIsFoundAtItsRange) {
  for (double rate : {100.0, 200.0, 500.0}) {
    sim::Settings s;
    s.rate_hz = rate;
    s.strides = 30;
    s.speed_mps = 4.5;
    s.acc_range_g = 4;  // low enough that the clips last 15 ms and more (a short spike cannot be told from a peak)
    s.gyr_range_dps = 250;
    const Recording rec = undeclared(s);
    const Saturation sat = find_saturation(rec.samples, rate, rec.meta);
    EXPECT_TRUE(sat.acc_inferred) << rate;
    EXPECT_TRUE(sat.gyr_inferred) << rate;
    EXPECT_NEAR(sat.acc_limit_mps2.maxCoeff() / kG, 4.0, 0.05) << rate;
    // The gyroscope's limit sits 2.2 % below the rail (a compensated sensor's rail moves with the other axes; see
    // analysis/saturation.cpp): 244.5 deg/s for a 250 deg/s range.
    EXPECT_NEAR(sat.gyr_limit_rad_s.maxCoeff() * 180 / std::numbers::pi, 250.0 * (1 - 0.022), 3.0) << rate;
  }
}

// The streaming path's form (a pass for the peaks, a pass for the runs, any block sizes): the same limits as
// find_saturation over all the samples, on a clipped and an unclipped recording, acc and gyro declared or not.
TEST(Saturation, FlatTopSearchInBlocksEqualsTheWholeRecording) {
  for (const double acc_range : {4.0, 200.0}) {
    sim::Settings s;
    s.rate_hz = 200;
    s.strides = 30;
    s.speed_mps = 4.5;
    s.acc_range_g = acc_range;
    s.gyr_range_dps = 250;
    Recording rec = undeclared(s);
    for (const double declared_gyr : {0.0, 2000.0}) {
      rec.meta.gyr_range_dps = declared_gyr;
      const Saturation whole = find_saturation(rec.samples, s.rate_hz, rec.meta);
      for (const std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{8192}}) {
        const std::span<const ImuSample> x = rec.samples;
        Eigen::Vector3d acc_peak = Eigen::Vector3d::Zero(), gyr_peak = Eigen::Vector3d::Zero();
        for (std::size_t i = 0; i < x.size(); i += block)
          add_axis_peaks(x.subspan(i, std::min(block, x.size() - i)), acc_peak, gyr_peak);
        FlatTopSearch search(acc_peak, gyr_peak, s.rate_hz, rec.meta);
        ASSERT_TRUE(search.needed());
        for (std::size_t i = 0; i < x.size(); i += block) search.add(x.subspan(i, std::min(block, x.size() - i)));
        const Saturation streamed = search.result();
        const std::string at = std::to_string(acc_range) + " g, gyro declared " + std::to_string(declared_gyr) +
                               ", blocks of " + std::to_string(block);
        EXPECT_EQ(streamed.acc_limit_mps2, whole.acc_limit_mps2) << at;
        EXPECT_EQ(streamed.gyr_limit_rad_s, whole.gyr_limit_rad_s) << at;
        EXPECT_EQ(streamed.acc_inferred, whole.acc_inferred) << at;
        EXPECT_EQ(streamed.gyr_inferred, whole.gyr_inferred) << at;
      }
      // The comparison means something: limits were found (the 4 g accelerometer, the 250 deg/s gyro) and the
      // declared range was taken as declared.
      if (acc_range == 4.0) {
        EXPECT_TRUE(whole.acc_inferred);
      }
      EXPECT_EQ(whole.gyr_inferred, declared_gyr == 0.0);
    }
  }
  RecordingMeta declared;
  declared.acc_range_g = 16;
  declared.gyr_range_dps = 2000;
  EXPECT_FALSE(FlatTopSearch(Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero(), 200, declared).needed());
}

TEST(Saturation, SmoothPeaksAtAPhonesRateAreNotClipping) {
  for (double rate : {100.0, 200.0}) {
    for (double speed : {1.4, 3.5}) {
      sim::Settings s;
      s.rate_hz = rate;
      s.strides = 40;
      s.speed_mps = speed;
      s.acc_range_g = 200;       // far above what the motion reaches
      s.gyr_range_dps = 4000;
      const Recording rec = undeclared(s);
      const Saturation sat = find_saturation(rec.samples, rate, rec.meta);
      EXPECT_FALSE(sat.acc_inferred) << rate << " Hz " << speed << " m/s: " << sat.acc_limit_mps2.transpose() / kG;
      EXPECT_FALSE(sat.gyr_inferred) << rate << " Hz " << speed << " m/s: " << sat.gyr_limit_rad_s.transpose();
    }
  }
}

// The case phones produce: at 100 Hz two samples straddle each smooth 2 Hz peak within 0.05 % of the top (the
// next ones are 1.8 % lower). The peak is 500 deg/s and 16 g, real ranges, so only the length of the run decides.
TEST(Saturation, TwoSamplesAtTheTopOfASmoothPeakAreNotAClip) {
  const double rate = 100.0, f = 2.0;
  std::vector<ImuSample> x(3000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    x[i].t_s = t;
    const double wave = std::cos(2 * std::numbers::pi * f * (t - 0.005));  // peaks 5 ms after a sample
    x[i].gyr_rad_s = {500.0 * std::numbers::pi / 180.0 * wave, 0, 0};
    x[i].acc_mps2 = {0, 0, 16.0 * kG * wave};
  }
  const Saturation sat = find_saturation(x, rate, RecordingMeta{});
  EXPECT_FALSE(sat.acc_inferred) << sat.acc_limit_mps2.transpose() / kG;
  EXPECT_FALSE(sat.gyr_inferred) << sat.gyr_limit_rad_s.transpose();
}

TEST(Saturation, ASensorAtRestIsNotClipped) {
  std::vector<ImuSample> x(2000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i].t_s = static_cast<double>(i) / 100.0;
    x[i].acc_mps2 = {0, 0, kG};
    x[i].gyr_rad_s = {0.001 * ((i / 7) % 2), 0, 0};  // quantised noise: many samples at the same small extreme
  }
  const Saturation sat = find_saturation(x, 100.0, RecordingMeta{});
  EXPECT_FALSE(sat.acc_inferred);  // 1 g, held flat, is near no range but 2 g's half: not a clip
  EXPECT_FALSE(sat.gyr_inferred);
}

}  // namespace
}  // namespace stride
