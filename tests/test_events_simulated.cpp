// IC and TC against the simulator's known events, over the grid of speeds, strike patterns and rates.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "analysis/event_accuracy.hpp"
#include "analysis/pipeline.hpp"
#include "sim_grid.hpp"

namespace stride {
namespace {

struct Score {
  EventAccuracy ic, tc;
};

Score score_case(const sim::Settings& s) {
  const auto sim = sim::simulate(s);
  const auto result = analyze(sim.recording);
  std::vector<double> ic, tc;
  for (const auto& e : result.events.events) (e.kind == EventKind::initial_contact ? ic : tc).push_back(e.t_s);
  return {score_events(sim.truth.ic_s, ic, 0.05), score_events(sim.truth.tc_s, tc, 0.05)};
}

void print_row(const char* label, const EventAccuracy& a) {
  std::printf("  %-22s n=%5zu  det %6.2f %%  spur %5.2f %%  MAE %6.2f ms  bias %+6.2f ms  SD %5.2f ms  max %6.1f ms\n",
              label, a.reference, 100 * a.detection_rate(), 100 * a.spurious_rate(), a.mae_ms, a.bias_ms, a.sd_ms,
              a.max_abs_ms);
}

TEST(EventsSimulated, GridAccuracyPerRate) {
  std::map<double, Score> by_rate;
  Score walking, running;
  for (const auto& c : test::simulator_grid({100, 200, 500, 1000})) {
    SCOPED_TRACE(c.name);
    const Score s = score_case(c.settings);
    by_rate[c.settings.rate_hz].ic.add(s.ic);
    by_rate[c.settings.rate_hz].tc.add(s.tc);
    if (c.settings.rate_hz >= 500) {
      auto& group = c.settings.speed_mps < 2 ? walking : running;
      group.ic.add(s.ic);
      group.tc.add(s.tc);
    }
    // Every single run must find (almost) every event: a detector that fails one condition fails here.
    EXPECT_GE(s.ic.detection_rate(), 0.95);
    EXPECT_GE(s.tc.detection_rate(), 0.95);
  }
  std::printf("IC / TC against the simulator (grid: walk 1.0-1.8 m/s, run 2.5-6 m/s, 3 strike patterns)\n");
  for (const auto& [rate, s] : by_rate) {
    const std::string ic = "IC " + std::to_string(int(rate)) + " Hz", tc = "TC " + std::to_string(int(rate)) + " Hz";
    print_row(ic.c_str(), s.ic);
    print_row(tc.c_str(), s.tc);
  }
  print_row("IC walk >=500 Hz", walking.ic);
  print_row("TC walk >=500 Hz", walking.tc);
  print_row("IC run >=500 Hz", running.ic);
  print_row("TC run >=500 Hz", running.tc);

  // Limits a little above what the detector reaches (README "Accuracy"), so a regression fails here.
  // The goal is <= 2 ms MAE at >= 500 Hz; slower boards get their own, honest, limits.
  struct Limit {
    double rate, ic_mae_ms, tc_mae_ms;
  };
  // IC MAE before the sub-sample onset (ic_interpolate): 4.0 / 1.6 / 0.57 / 0.28 ms; after: 3.4 / 1.0 / 0.17 / 0.05.
  // TC MAE with a parabola through the peak: 3.2 / 1.6 / 0.84 / 0.91 ms; with the cubic: 2.4 / 1.2 / 0.81 / 0.99.
  for (const Limit& l : {Limit{100, 3.8, 2.7}, Limit{200, 1.2, 1.4}, Limit{500, 0.25, 1.0}, Limit{1000, 0.1, 1.1}}) {
    const auto& s = by_rate[l.rate];
    EXPECT_LE(s.ic.mae_ms, l.ic_mae_ms) << l.rate << " Hz";
    EXPECT_LE(s.tc.mae_ms, l.tc_mae_ms) << l.rate << " Hz";
    EXPECT_GE(s.ic.detection_rate(), 0.995) << l.rate << " Hz";
    EXPECT_GE(s.tc.detection_rate(), 0.995) << l.rate << " Hz";
    EXPECT_LE(s.ic.spurious_rate(), 0.005) << l.rate << " Hz";
    EXPECT_LE(s.tc.spurious_rate(), 0.005) << l.rate << " Hz";
  }
}

}  // namespace
}  // namespace stride
