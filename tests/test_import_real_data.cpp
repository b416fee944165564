// Every real recording in recordings/reference loads with the right units, rates, sample counts and quirks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "stride/recording_io.hpp"
#include "test_support.hpp"

namespace stride::io {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

Imported load(const std::filesystem::path& rel, ImportOptions opt = {}) {
  return import_file((test::reference_data() / rel).string(), opt);
}

double median_acc_norm(const Recording& rec, std::size_t first, std::size_t count) {
  std::vector<double> n;
  for (std::size_t i = first; i < first + count && i < rec.samples.size(); ++i) n.push_back(rec.samples[i].acc_mps2.norm());
  std::nth_element(n.begin(), n.begin() + static_cast<std::ptrdiff_t>(n.size() / 2), n.end());
  return n[n.size() / 2];
}

void expect_clean(const Imported& got) {
  EXPECT_EQ(got.report.skipped, 0u);
  EXPECT_TRUE(got.report.issues.empty());
  EXPECT_EQ(got.report.samples, got.recording.samples.size());
  for (std::size_t i = 1; i < got.recording.samples.size(); ++i)
    ASSERT_GT(got.recording.samples[i].t_s, got.recording.samples[i - 1].t_s) << "sample " << i;
}

TEST(RealData, GaitmapLeftAndRight) {
  struct Foot {
    std::string sensor;
    Side side;
    double first_gyr_x_dps;
  };
  for (const Foot& f : {Foot{"", Side::left, -0.11240170597252427}, Foot{"right_sensor", Side::right, -0.3230373811130934}}) {
    ImportOptions opt;
    opt.sensor = f.sensor;
    const Imported got = load("gaitmap_example/imu_sample.csv", opt);
    expect_clean(got);
    EXPECT_EQ(got.report.format, "gaitmap");
    ASSERT_EQ(got.recording.samples.size(), 7928u);
    EXPECT_DOUBLE_EQ(got.recording.meta.rate_hz, 204.8);
    EXPECT_EQ(got.recording.meta.side, f.side);
    EXPECT_EQ(got.recording.meta.placement, Placement::shoe);
    EXPECT_EQ(got.report.acc_unit, "m/s^2");
    EXPECT_EQ(got.report.gyr_unit, "deg/s");
    EXPECT_NEAR(got.recording.samples.back().t_s, 7927 / 204.8, 1e-9);
    EXPECT_NEAR(median_acc_norm(got.recording, 0, 200), 9.81, 0.3);
    EXPECT_NEAR(got.recording.samples[0].gyr_rad_s.x(), f.first_gyr_x_dps * kDeg, 1e-15);
    EXPECT_TRUE(got.recording.gaps.empty());
    EXPECT_EQ(got.report.ignored_columns.size(), 6u);
  }
}

TEST(RealData, GaitmapIcStrideNeedsItsRate) {
  ImportOptions opt;
  opt.rate_hz = 102.4;
  const Imported got = load("gaitmap_example/imu_sample_ic_stride.csv", opt);
  expect_clean(got);
  EXPECT_EQ(got.report.format, "gaitmap");  // first header cell is empty there
  ASSERT_EQ(got.recording.samples.size(), 4053u);
  EXPECT_NEAR(got.recording.samples.back().t_s, 4052 / 102.4, 1e-9);
  EXPECT_EQ(load("gaitmap_example/imu_sample_ic_stride.csv").recording.meta.rate_hz, 204.8);  // documented default
}

class Microstrain : public ::testing::TestWithParam<std::pair<int, std::size_t>> {};

TEST_P(Microstrain, NodePrefixedHeadersGToMps2RadPerSecondKept) {
  const auto [exp, rows] = GetParam();
  const Imported got = load("microstrain_footprint_walks/SensorConnectData_" + std::to_string(exp) + ".csv");
  expect_clean(got);
  ASSERT_EQ(got.recording.samples.size(), rows);
  EXPECT_EQ(got.report.time_unit, "s");
  EXPECT_EQ(got.report.acc_unit, "g");
  EXPECT_EQ(got.report.gyr_unit, "rad/s");
  EXPECT_NEAR(got.recording.meta.rate_hz, 200.0, 0.5);
  EXPECT_NEAR(median_acc_norm(got.recording, 0, 200), 9.81, 0.2);
  EXPECT_EQ(got.report.ignored_columns.size(), 6u);  // magnetometer and the device's roll/pitch/yaw
  EXPECT_TRUE(got.recording.gaps.empty());
  EXPECT_EQ(got.recording.samples[0].t_s, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Experiments31to36, Microstrain,
                         ::testing::Values(std::pair<int, std::size_t>{31, 8549}, std::pair<int, std::size_t>{32, 14601},
                                           std::pair<int, std::size_t>{33, 11000}, std::pair<int, std::size_t>{34, 5200},
                                           std::pair<int, std::size_t>{35, 6001}, std::pair<int, std::size_t>{36, 14000}));

TEST(RealData, MicrostrainFirstSampleConvertedFromG) {
  const Imported got = load("microstrain_footprint_walks/SensorConnectData_31.csv");
  EXPECT_NEAR(got.recording.samples[0].acc_mps2.x(), 0.580411494 * 9.80665, 1e-12);
  EXPECT_DOUBLE_EQ(got.recording.samples[0].gyr_rad_s.x(), 0.003722398);
}

TEST(RealData, XioWalksDropRepeatedStampsAndKeepIrregularTime) {
  struct Walk {
    const char* file;
    std::size_t rows, duplicates;
    double max_dt_s;
  };
  for (const Walk& w : {Walk{"short_walk.csv", 16539, 205, 0.0126}, Walk{"long_walk.csv", 28132, 252, 0.0176}}) {
    const Imported got = load(std::filesystem::path("xio_gait_tracking") / w.file);
    expect_clean(got);
    EXPECT_EQ(got.report.duplicate_stamps, w.duplicates) << w.file;
    ASSERT_EQ(got.recording.samples.size(), w.rows - w.duplicates) << w.file;
    EXPECT_EQ(got.report.acc_unit, "g");
    EXPECT_EQ(got.report.gyr_unit, "deg/s");
    EXPECT_NEAR(got.recording.meta.rate_hz, 398.0, 2.0);
    double max_dt = 0;
    for (std::size_t i = 1; i < got.recording.samples.size(); ++i)
      max_dt = std::max(max_dt, got.recording.samples[i].t_s - got.recording.samples[i - 1].t_s);
    EXPECT_NEAR(max_dt, w.max_dt_s, 0.0006) << w.file;  // irregular steps kept as they are
    EXPECT_NEAR(median_acc_norm(got.recording, 0, 300), 9.81, 0.3);
  }
}

TEST(RealData, Ximu3DeviceClockShiftedWithFourRealGaps) {
  const Imported got = load("formats/ximu3_csv_udp_inertial/Inertial.csv");
  expect_clean(got);
  ASSERT_EQ(got.recording.samples.size(), 362u);
  EXPECT_EQ(got.report.time_unit, "us");
  EXPECT_EQ(got.recording.samples[0].t_s, 0.0);
  EXPECT_EQ(got.recording.meta.extra.at("device_t0"), "19150794");
  EXPECT_NEAR(got.recording.meta.rate_hz, 50.0, 0.1);
  const double t0 = 19150794e-6;
  const double gap_starts_us[] = {19530613, 21529654, 22509184, 25467765};
  ASSERT_EQ(got.recording.gaps.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(got.recording.gaps[i].start_s, gap_starts_us[i] * 1e-6 - t0, 1e-9);
    EXPECT_NEAR(got.recording.gaps[i].end_s - got.recording.gaps[i].start_s, 0.03998, 2e-6);
    EXPECT_EQ(got.recording.gaps[i].missing_samples, 1u);
  }
  EXPECT_NEAR(median_acc_norm(got.recording, 0, 362), 9.78, 0.1);  // lying still, ~0.997 g
}

TEST(RealData, ImportedRecordingSurvivesANativeRoundTrip) {
  const Imported first = load("formats/ximu3_csv_udp_inertial/Inertial.csv");
  std::stringstream ss;
  write_native(ss, first.recording);
  const Imported back = import_csv(ss, "copy.csv");
  ASSERT_EQ(back.recording.samples.size(), first.recording.samples.size());
  for (std::size_t i = 0; i < back.recording.samples.size(); ++i) {
    ASSERT_EQ(back.recording.samples[i].t_s, first.recording.samples[i].t_s);
    ASSERT_EQ(back.recording.samples[i].acc_mps2, first.recording.samples[i].acc_mps2);
  }
  EXPECT_EQ(back.recording.meta.extra.at("device_t0"), "19150794");
  EXPECT_EQ(back.recording.gaps.size(), 4u);
}

}  // namespace
}  // namespace stride::io
