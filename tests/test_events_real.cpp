// IC and TC against real references: the gaitmap example's motion-capture events (walking, both feet), and the
// stride counts of the MicroStrain footprint walks. Not running (no public shoe-IMU running set has force plates).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "analysis/event_accuracy.hpp"
#include "analysis/pipeline.hpp"
#include "stride/recording_io.hpp"
#include "test_support.hpp"

namespace stride {
namespace {

struct Reference {
  std::vector<double> ic_s, tc_s;
};

// stride_events_sample.csv: s_id,foot,start,end,ic,tc,min_vel,pre_ic in samples at 204.8 Hz (mocap-derived).
// Each row's ic is the stride's own IC; pre_ic is the one before, so the first IC of a straight comes from pre_ic.
Reference gaitmap_reference(const std::string& foot) {
  std::ifstream in(test::reference_data() / "gaitmap_example/stride_events_sample.csv");
  std::string line;
  std::getline(in, line);
  std::vector<double> ic, tc;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::vector<std::string> c;
    for (std::string cell; std::getline(ss, cell, ',');) c.push_back(cell);
    if (c.size() < 8 || c[1] != foot) continue;
    ic.push_back(std::stod(c[4]) / 204.8);
    ic.push_back(std::stod(c[7]) / 204.8);
    tc.push_back(std::stod(c[5]) / 204.8);
  }
  std::sort(ic.begin(), ic.end());
  ic.erase(std::unique(ic.begin(), ic.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }), ic.end());
  std::sort(tc.begin(), tc.end());
  return {ic, tc};
}

double median_abs_deviation_ms(std::vector<double> errors_ms) {
  std::sort(errors_ms.begin(), errors_ms.end());
  const double med = errors_ms[errors_ms.size() / 2];
  for (double& e : errors_ms) e = std::abs(e - med);
  std::sort(errors_ms.begin(), errors_ms.end());
  return errors_ms[errors_ms.size() / 2];
}

TEST(EventsReal, GaitmapMotionCaptureEvents) {
  EventAccuracy ic_all, tc_all;
  std::vector<double> ic_errors;
  for (const char* foot : {"left", "right"}) {
    io::ImportOptions opt;
    opt.format = "gaitmap";
    opt.sensor = std::string(foot) + "_sensor";
    const auto imported = io::import_file((test::reference_data() / "gaitmap_example/imu_sample.csv").string(), opt);
    const auto result = analyze(imported.recording);
    ASSERT_TRUE(result.mounting.ok) << result.mounting.message;
    EXPECT_GE(result.mounting.sign_vote, 0.9);
    std::vector<double> ic, tc;
    for (const auto& e : result.events.events) (e.kind == EventKind::initial_contact ? ic : tc).push_back(e.t_s);
    const auto ref = gaitmap_reference(foot);
    ic_all.add(score_events(ref.ic_s, ic, 0.1));
    tc_all.add(score_events(ref.tc_s, tc, 0.1));
    for (double r : ref.ic_s) {
      auto it = std::min_element(ic.begin(), ic.end(), [r](double a, double b) { return std::abs(a - r) < std::abs(b - r); });
      if (it != ic.end() && std::abs(*it - r) < 0.1) ic_errors.push_back((*it - r) * 1e3);
    }
  }
  std::printf("gaitmap walk vs motion capture: IC n=%zu det %.1f %% bias %+.1f ms SD %.1f ms MAD %.1f ms | "
              "TC n=%zu det %.1f %% bias %+.1f ms SD %.1f ms\n",
              ic_all.reference, 100 * ic_all.detection_rate(), ic_all.bias_ms, ic_all.sd_ms,
              median_abs_deviation_ms(ic_errors), tc_all.reference, 100 * tc_all.detection_rate(), tc_all.bias_ms,
              tc_all.sd_ms);
  // Mocap IC (marker kinematics) comes before the force onset that this detector sees: a positive bias is expected.
  EXPECT_GE(ic_all.detection_rate(), 0.97);
  EXPECT_GE(tc_all.detection_rate(), 0.97);
  EXPECT_GT(ic_all.bias_ms, 5.0);
  EXPECT_LT(ic_all.bias_ms, 30.0);
  EXPECT_LT(median_abs_deviation_ms(ic_errors), 8.0);
  EXPECT_LT(std::abs(tc_all.bias_ms), 10.0);
  EXPECT_LT(tc_all.sd_ms, 15.0);
}

// The footprint files list one row per footprint: N+1 rows for N strides of the instrumented foot.
TEST(EventsReal, MicrostrainWalksFindEveryStride) {
  std::size_t reference_total = 0, found_total = 0;
  for (int exp = 31; exp <= 36; ++exp) {
    const auto base = test::reference_data() / "microstrain_footprint_walks";
    std::ifstream prints(base / ("SensorConnectData_" + std::to_string(exp) + "_strideIndex_timestamp_gcpX_gcpY.csv"));
    std::string line;
    std::size_t rows = 0;
    std::getline(prints, line);
    while (std::getline(prints, line)) rows += line.empty() ? 0 : 1;
    const std::size_t reference = rows - 1;
    const auto imported = io::import_file((base / ("SensorConnectData_" + std::to_string(exp) + ".csv")).string());
    const auto result = analyze(imported.recording);
    // The first footprint is the standing start: no IC before it, so IC->IC strides number one fewer.
    const std::size_t found = result.strides.size();
    std::printf("microstrain %d: %zu reference strides, %zu found (%zu valid)\n", exp, reference, found,
                result.summary.strides_valid);
    EXPECT_NEAR(static_cast<double>(found), static_cast<double>(reference - 1), 1.0) << "experiment " << exp;
    EXPECT_GE(result.summary.strides_valid + 2, found) << "experiment " << exp;
    reference_total += reference - 1;
    found_total += found;
  }
  EXPECT_NEAR(static_cast<double>(found_total), static_cast<double>(reference_total), 0.01 * static_cast<double>(reference_total));
}

}  // namespace
}  // namespace stride
