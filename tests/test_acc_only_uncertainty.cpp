// The SDs the accelerometer-only path states for its events (docs/uncertainty.md): calibrated like the gyroscope
// path's, on the simulator with its gyroscope removed (foot: quiet-stance cycles; shin: impact-anchored cycles),
// and checked on the real gaitmap walk against its motion capture. An SD claims no more than the errors allow:
// at least 85 % of the simulator's errors within 2 SD.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "acc_only_fixtures.hpp"
#include "analysis/pipeline.hpp"
#include "error_stats.hpp"
#include "event_references.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

using test::SdCoverage;

// The nearest of `truth` to t, as an error in ms (NaN beyond 50 ms: another event).
double error_ms(const std::vector<double>& truth, double t) {
  double best = NAN;
  for (double r : truth)
    if (std::abs(t - r) < 0.05 && !(std::abs(t - r) >= std::abs(best))) best = t - r;
  return best * 1e3;
}

struct Score {
  SdCoverage ic, tc;
  void add(const SessionResult& r, const std::vector<double>& ic_truth, const std::vector<double>& tc_truth) {
    for (const auto& s : r.strides) {
      ic.add(error_ms(ic_truth, s.ic_s), s.ic_sd_ms);
      if (std::isfinite(s.tc_s)) tc.add(error_ms(tc_truth, s.tc_s), s.tc_sd_ms);
    }
  }
};

void print(const std::string& label, const char* what, const SdCoverage& c) {
  std::printf("| %-26s | %s | %4.0f | %6.2f ms | %6.2f ms | %5.1f %% |\n", label.c_str(), what, c.n, c.stated_rms(),
              c.actual_rms(), 100 * c.coverage());
}

TEST(AccOnlyUncertainty, StatedSdMatchesTheSimulatorsErrors) {
  std::printf("| condition (gyroscope removed) | event | n | stated SD (rms) | actual error (rms) | within 2 SD |\n");
  for (const Placement placement : {Placement::shoe, Placement::shin})
    for (const double rate : {100.0, 200.0, 500.0}) {
      Score score;
      for (int k = 0; k < 3; ++k) {
        sim::Settings s;
        s.placement = placement;
        s.rate_hz = rate;
        s.seed = static_cast<std::uint64_t>(k + 1);
        s.strides = 30;
        s.speed_mps = 2.5 + k;
        const auto sim = sim::simulate(s);
        score.add(analyze(without_gyro(sim.recording)), sim.truth.ic_s, sim.truth.tc_s);
      }
      const std::string label = std::string(placement == Placement::shin ? "shin" : "foot") + " run " +
                                std::to_string(static_cast<int>(rate)) + " Hz";
      print(label, "IC", score.ic);
      print(label, "TC", score.tc);
      EXPECT_EQ(score.ic.missing_sd + score.tc.missing_sd, 0) << label << ": an event without an SD";
      EXPECT_GE(score.ic.n, 80) << label;
      EXPECT_GE(score.tc.n, 80) << label;
      EXPECT_GE(score.ic.coverage(), 0.85) << label << ": the stated IC SD claims more than the errors allow";
      EXPECT_GE(score.tc.coverage(), 0.85) << label << ": the stated TC SD claims more than the errors allow";
    }
}

// The real walk: the IC against the force-plate-validated marker method (Hreljac & Marshall 2000), the TC against
// the motion capture's toe-off (docs/events.md). Real errors hold what the simulator does not model, so this is
// where the TC floor comes from.
TEST(AccOnlyUncertainty, GaitmapWalkAgainstMotionCapture) {
  Score score;
  for (const char* foot : {"left", "right"}) {
    const auto events = test::gaitmap_events(foot);
    const Recording rec = test::gaitmap_recording("imu_sample.csv", foot, 204.8);
    score.add(analyze(without_gyro(rec)), events.hm_ic_s, events.tc_s);
  }
  print("gaitmap walk, 204.8 Hz", "IC", score.ic);
  print("gaitmap walk, 204.8 Hz", "TC", score.tc);
  EXPECT_GE(score.ic.n, 40);
  EXPECT_GE(score.tc.n, 40);
  EXPECT_GE(score.tc.coverage(), 0.85);  // measured 94.3 %
  EXPECT_LE(score.tc.coverage(), 0.99) << "the stated TC SD is wider than the real errors need";
}

}  // namespace
}  // namespace stride
