// Accelerometer only, cycles anchored on the impacts (analysis/acc_only_impacts.hpp): a shin or ankle sensor,
// which is never still in stance, scored against the simulator's truth; the same detector on the repository's
// real foot recordings (gyroscope removed) against the full pipeline; and the automatic choice for an ankle file
// that does not say where it was worn.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "analysis/acc_only_impacts.hpp"
#include "analysis/event_accuracy.hpp"
#include "acc_only_fixtures.hpp"
#include "analysis/pipeline.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"

namespace stride {
namespace {

void print_row(const std::string& label, const EventAccuracy& a) {
  std::printf("  %-34s n=%4zu det %6.2f %% spur %5.2f %% bias %+6.1f ms SD %5.1f ms MAE %5.1f ms\n", label.c_str(),
              a.reference, 100 * a.detection_rate(), 100 * a.spurious_rate(), a.bias_ms, a.sd_ms, a.mae_ms);
}

struct Case {
  const char* name;
  bool running;
  double rate_hz;
  double ic_bias_ms, ic_sd_ms, tc_bias_ms, tc_sd_ms;  // limits: |bias| and SD
};

sim::Settings shin_settings(const Case& c, double speed, std::uint64_t seed) {
  sim::Settings s;
  s.placement = Placement::shin;
  s.rate_hz = c.rate_hz;
  s.seed = seed;
  s.strides = 30;
  s.speed_mps = speed;
  if (!c.running) {
    s.speed_mps = 1.4;
    s.cadence_spm = 110.0;
    s.duty_factor = 0.62;
  }
  return s;
}

TEST(AccOnlyImpacts, ShinSensorAgainstTheSimulatorsTruth) {
  std::printf("shin, accelerometer only, impact-anchored vs the simulator's truth (30 strides x 3 speeds or seeds)\n");
  // Limits a little above what the detector reaches. TC is the |a| valley before the swing's first surge; where
  // the simulated shank puts that valley relative to toe-off is the simulator's assumption (docs/shin.md), so the
  // TC rows check the rule's consistency, not a validation against force plates.
  const Case cases[] = {{"run 100 Hz", true, 100, 4, 4, 7, 3},     {"run 200 Hz", true, 200, 2.5, 2.5, 4, 2.5},
                        {"run 500 Hz", true, 500, 1, 1, 2.5, 2.5}, {"run 1000 Hz", true, 1000, 0.5, 0.6, 2, 2},
                        {"walk 100 Hz", false, 100, 6, 4, 14, 3},  {"walk 200 Hz", false, 200, 2, 2.5, 8, 2}};
  for (const Case& c : cases) {
    EventAccuracy ic_all, tc_all;
    for (int k = 0; k < 3; ++k) {
      const auto sim = sim::simulate(shin_settings(c, 2.5 + k, static_cast<std::uint64_t>(k + 1)));
      Recording rec = without_gyro(sim.recording);
      rec.meta.placement = Placement::shin;
      const auto r = analyze(rec);
      EXPECT_EQ(r.acc_only_events_from, "impacts") << c.name;
      std::vector<double> ic, tc;
      split_events(r.events, ic, tc);
      ic_all.add(score_events(sim.truth.ic_s, ic, 0.1));
      tc_all.add(score_events(sim.truth.tc_s, tc, 0.1));
    }
    print_row(std::string("IC shin ") + c.name, ic_all);
    print_row(std::string("TC shin ") + c.name, tc_all);
    EXPECT_GE(ic_all.detection_rate(), 0.99) << c.name;
    EXPECT_LE(ic_all.spurious_rate(), 0.02) << c.name;
    EXPECT_GE(tc_all.detection_rate(), 0.95) << c.name;
    EXPECT_LE(tc_all.spurious_rate(), 0.02) << c.name;
    EXPECT_LE(std::abs(ic_all.bias_ms), c.ic_bias_ms) << c.name;
    EXPECT_LE(ic_all.sd_ms, c.ic_sd_ms) << c.name;
    EXPECT_LE(std::abs(tc_all.bias_ms), c.tc_bias_ms) << c.name;
    EXPECT_LE(tc_all.sd_ms, c.tc_sd_ms) << c.name;
  }
}

// An ankle logger's file rarely says where it was worn: read as a shoe, its stance is never quiet, and the
// pipeline must notice and anchor on the impacts instead of finding no stride (the held-out outdoor-run symptom).
TEST(AccOnlyImpacts, AnAnkleFileThatSaysNothingOfItsPlacementIsStillAnalysed) {
  const Case run{"run 200 Hz", true, 200, 0, 0, 0, 0};
  const auto sim = sim::simulate(shin_settings(run, 3.5, 7));
  Recording rec = without_gyro(sim.recording);
  rec.meta.placement = Placement::shoe;
  const auto r = analyze(rec);
  EXPECT_EQ(r.acc_only_events_from, "impacts");
  bool said = false;
  for (const auto& w : r.warnings) said |= w.find("anchored on the impacts") != std::string::npos;
  EXPECT_TRUE(said);
  EXPECT_NEAR(static_cast<double>(r.summary.strides_valid), static_cast<double>(sim.truth.strides.size()), 2.0);
  std::vector<double> ic, tc;
  split_events(r.events, ic, tc);
  const EventAccuracy a = score_events(sim.truth.ic_s, ic, 0.1);
  EXPECT_GE(a.detection_rate(), 0.99);
  EXPECT_LE(std::abs(a.bias_ms), 2.5);
}

// A foot sensor whose stance is still keeps the quiet-stance detector (its figures are in test_acc_only.cpp).
TEST(AccOnlyImpacts, AFootWithAStillStanceKeepsTheQuietStanceDetector) {
  sim::Settings s;
  s.rate_hz = 200;
  s.strides = 30;
  const auto r = analyze(without_gyro(sim::simulate(s).recording));
  EXPECT_EQ(r.acc_only_events_from, "quiet_stance");
}

// The impact-anchored detector on real foot recordings, gyroscope removed, against the full pipeline's events:
// the ICs are the same feature, so they must agree; the cycles come from the impacts alone. Its TC rule is made
// for the shank and finds few of a real foot's toe-offs (printed, not asserted): a foot whose stance is still
// keeps the quiet-stance detector, whose TCs are scored in test_acc_only.cpp.
TEST(AccOnlyImpacts, RealFootWalksAgainstTheFullPipeline) {
  EventAccuracy ic_all, tc_all;
  auto add = [&](const Recording& rec, const char* name) {
    const auto full = analyze(rec);
    const Recording acc = without_gyro(rec);
    const double rate = 1.0 / median_interval_s(acc.samples);
    const auto events = ImpactAnchoredDetector().detect(acc.samples, full.mounting, rate);
    std::vector<double> ic_f, tc_f, ic_a, tc_a;
    split_events(full.events, ic_f, tc_f);
    split_events(events, ic_a, tc_a);
    const EventAccuracy a = score_events(ic_f, ic_a, 0.1), t = score_events(tc_f, tc_a, 0.1);
    print_row(std::string("IC impacts - full, ") + name, a);
    print_row(std::string("TC impacts - full, ") + name, t);
    ic_all.add(a);
    tc_all.add(t);
  };
  for (const char* foot : {"left", "right"}) {
    io::ImportOptions opt;
    opt.format = "gaitmap";
    opt.sensor = std::string(foot) + "_sensor";
    add(io::import_file((test::reference_data() / "gaitmap_example/imu_sample.csv").string(), opt).recording,
        foot);
  }
  for (int exp = 31; exp <= 36; ++exp) {
    const auto base = test::reference_data() / "microstrain_footprint_walks";
    const std::string name = "microstrain " + std::to_string(exp);
    add(io::import_file((base / ("SensorConnectData_" + std::to_string(exp) + ".csv")).string()).recording,
        name.c_str());
  }
  print_row("IC impacts - full, all", ic_all);
  print_row("TC impacts - full, all", tc_all);
  EXPECT_GE(ic_all.detection_rate(), 0.9);
  EXPECT_LE(ic_all.spurious_rate(), 0.1);
  EXPECT_LT(std::abs(ic_all.bias_ms), 2.0);
}

}  // namespace
}  // namespace stride
