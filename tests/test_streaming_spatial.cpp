// StreamingSpatial (the trajectory and spatial metrics in their causal form, for `stride live`): fed sample by
// sample with the events of StreamingEventDetector as it emits them, it gives `analyze`'s spatial values; against
// the simulator's truth, smoothed and causal; when each value is out; memory bounded over a long run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/pipeline.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_spatial.hpp"
#include "error_stats.hpp"
#include "sim_grid.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

using Stat = test::ErrorStats;

struct Live {
  std::vector<Stride> strides;
  std::vector<double> after_next_tc_s;           // stream time of the output minus the next stance's TC time
  std::vector<double> after_next_tc_emitted_s;   // ... minus the stream time the detector emitted that TC
  std::size_t max_samples_held = 0, max_records_held = 0, max_swing_states = 0;
  // In mid-run (the rests at both ends are one long stance each): over 10-50 % and 50-90 % of the samples.
  std::size_t max_samples_held_first_half = 0, max_samples_held_second_half = 0;
};

// The live path: samples in one at a time, events as the detector emits them (mounting and saturation given, as
// the live warm-up finds them).
Live run_live(const Recording& rec, const MountingCalibration::Result& m, const PipelineSettings& ps,
              const StreamingSpatial::Settings& live = {}) {
  const double rate = 1.0 / median_interval_s(rec.samples);
  const Saturation sat = find_saturation(rec.samples, rate, rec.meta);
  StreamingEventDetector detector(ps.events, m, rate);
  StreamingSpatial spatial(ps.trajectory, m, rec.meta.side, sat, rate, live);
  Live r;
  EventResult ev;
  std::vector<std::pair<double, double>> tcs;  // (TC time, stream time it was emitted)
  std::size_t seen = 0;
  const auto take = [&](double now) {
    const std::size_t before = r.strides.size();
    for (const auto& e : ev.events) {
      if (e.kind == EventKind::terminal_contact) tcs.emplace_back(e.t_s, now);
      spatial.push_event(e, r.strides);
    }
    ev.events.clear();
    for (std::size_t k = before; k < r.strides.size(); ++k) {
      // The stride's next stance's TC: the first TC after its next IC.
      const auto tc = std::upper_bound(tcs.begin(), tcs.end(), std::make_pair(r.strides[k].next_ic_s, 1e300),
                                       [](const auto& a, const auto& b) { return a.first < b.first; });
      if (tc == tcs.end()) continue;
      r.after_next_tc_s.push_back(now - tc->first);
      r.after_next_tc_emitted_s.push_back(now - tc->second);
    }
  };
  for (const auto& s : rec.samples) {
    spatial.push_sample(s);
    detector.push(s, ev);
    take(s.t_s);
    ++seen;
    r.max_samples_held = std::max(r.max_samples_held, spatial.samples_held());
    const double share = static_cast<double>(seen) / static_cast<double>(rec.samples.size());
    if (share > 0.1 && share < 0.9) {
      auto& half = share < 0.5 ? r.max_samples_held_first_half : r.max_samples_held_second_half;
      half = std::max(half, spatial.samples_held());
    }
    r.max_records_held = std::max(r.max_records_held, spatial.records_held());
    r.max_swing_states = std::max(r.max_swing_states, spatial.swing_states_held());
  }
  detector.finish(ev);
  for (const auto& e : ev.events) spatial.push_event(e, r.strides);
  spatial.finish(r.strides);
  return r;
}

const Stride* find(const std::vector<Stride>& v, double ic_s) {
  for (const auto& s : v)
    if (std::abs(s.ic_s - ic_s) < 1e-9) return &s;
  return nullptr;
}

struct Diff {
  double length_m = 0, speed_mps = 0, fsa_deg = 0, toe_off_deg = 0, pronation_deg = 0, clearance_m = 0,
         turning_deg = 0, pos_m = 0, velocity_dps = 0;
  std::size_t compared = 0, missing = 0, pattern_differs = 0, nan_differs = 0;
  void add(const Stride& o, const Stride& l) {
    ++compared;
    const auto upd = [&](double& worst, double a, double b) {
      if (std::isfinite(a) != std::isfinite(b)) ++nan_differs;
      if (std::isfinite(a) && std::isfinite(b)) worst = std::max(worst, std::abs(a - b));
    };
    upd(length_m, o.stride_length_m, l.stride_length_m);
    upd(speed_mps, o.speed_mps, l.speed_mps);
    upd(fsa_deg, o.fsa_deg, l.fsa_deg);
    upd(toe_off_deg, o.toe_off_angle_deg, l.toe_off_angle_deg);
    upd(pronation_deg, o.pronation_excursion_deg, l.pronation_excursion_deg);
    upd(velocity_dps, o.pronation_velocity_dps, l.pronation_velocity_dps);
    upd(clearance_m, o.max_clearance_m, l.max_clearance_m);
    upd(turning_deg, o.turning_angle_deg, l.turning_angle_deg);
    upd(pos_m, o.pos_x_m, l.pos_x_m);
    upd(pos_m, o.pos_y_m, l.pos_y_m);
    pattern_differs += o.strike_pattern != l.strike_pattern;
  }
};

// Given the same mounting, the live values are `analyze`'s: same events (the same detector), same windows (the
// smoothing of |w| over a stance and 0.25 s either side instead of the whole recording differs by ~1e-7 rad/s,
// which moves no window edge), the same filter steps in the same order. Tolerance 1e-9 (m, m/s, deg): what is
// left is rounding.
TEST(StreamingSpatial, EqualsAnalyzeOnTheSimulatorGrid) {
  Diff d;
  for (bool smooth : {true, false}) {
    for (const auto& c : test::simulator_grid({100, 200, 500, 1000}, 8)) {
      const auto sim = sim::simulate(c.settings);
      PipelineSettings ps;
      ps.trajectory.smooth = smooth;
      const auto offline = analyze(sim.recording, ps);
      ASSERT_TRUE(offline.mounting.ok) << c.name;
      const auto live = run_live(sim.recording, offline.mounting, ps);
      for (const auto& o : offline.strides) {
        const Stride* l = find(live.strides, o.ic_s);
        if (!l) {
          ++d.missing;
          ADD_FAILURE() << c.name << ": no live spatial values for the stride at " << o.ic_s;
          continue;
        }
        d.add(o, *l);
      }
      EXPECT_EQ(live.strides.size(), offline.strides.size()) << c.name;
    }
  }
  std::printf("[ live = analyze ] %zu strides (grid 100-1000 Hz, smoothed and causal): max |live - analyze| length "
              "%.1e m, speed %.1e m/s, FSA %.1e deg, toe-off %.1e deg, pronation %.1e deg, clearance %.1e m, "
              "turning %.1e deg, footprint %.1e m; patterns differing %zu, NaN differing %zu\n",
              d.compared, d.length_m, d.speed_mps, d.fsa_deg, d.toe_off_deg, d.pronation_deg, d.clearance_m,
              d.turning_deg, d.pos_m, d.pattern_differs, d.nan_differs);
  EXPECT_GT(d.compared, 1000u);
  EXPECT_EQ(d.missing, 0u);
  EXPECT_EQ(d.nan_differs, 0u);
  EXPECT_EQ(d.pattern_differs, 0u);
  for (double v : {d.length_m, d.speed_mps, d.fsa_deg, d.toe_off_deg, d.pronation_deg, d.velocity_dps, d.clearance_m,
                   d.turning_deg, d.pos_m})
    EXPECT_LT(v, 1e-9);
}

// Against the truth: live with the swing smoother and with the causal filter alone. The smoother costs no latency
// (the update that closes a swing is the one that gives the stride's far footprint), so live uses it; this says
// what the causal filter alone would lose.
TEST(StreamingSpatial, SmoothedAndCausalAgainstTheSimulator) {
  struct Scores {
    Stat length_m, fsa_deg, toe_off_deg, pronation_deg, clearance_m;
  } smoothed, causal;
  for (const auto& c : test::simulator_grid({200, 500, 1000}, 12)) {
    const auto sim = sim::simulate(c.settings);
    for (bool smooth : {true, false}) {
      PipelineSettings ps;
      ps.trajectory.smooth = smooth;
      const auto m = MountingCalibration(ps.calibration).run(sim.recording.samples, c.settings.rate_hz);
      ASSERT_TRUE(m.ok);
      const auto live = run_live(sim.recording, m, ps);
      auto& s = smooth ? smoothed : causal;
      for (const auto& t : sim.truth.strides)
        for (const auto& x : live.strides) {
          if (std::abs(x.ic_s - t.ic_s) > 0.03 || !std::isfinite(x.stride_length_m)) continue;
          s.length_m.add(x.stride_length_m - t.length_m);
          s.fsa_deg.add(x.fsa_deg - t.fsa_deg);
          s.toe_off_deg.add(x.toe_off_angle_deg - t.toe_off_angle_deg);
          s.pronation_deg.add(x.pronation_excursion_deg - t.pronation_excursion_deg);
        }
    }
  }
  for (const auto* s : {&smoothed, &causal})
    std::printf("[ live vs truth ] %s, 200-1000 Hz, %.0f strides: length %+.1f +- %.1f cm | FSA %+.2f +- %.2f deg | "
                "toe-off %+.2f +- %.2f deg | pronation %+.2f +- %.2f deg\n",
                s == &smoothed ? "smoothed (live)" : "causal filter alone", s->length_m.n, 100 * s->length_m.bias(),
                100 * s->length_m.sd(), s->fsa_deg.bias(), s->fsa_deg.sd(), s->toe_off_deg.bias(),
                s->toe_off_deg.sd(), s->pronation_deg.bias(), s->pronation_deg.sd());
  // The goals (length <= 2 cm bias, <= 5 cm SD; FSA within 1 deg), with the offline test's limits.
  for (const auto* s : {&smoothed, &causal}) {
    EXPECT_GE(s->length_m.n, 635);  // 648 strides in the truth: 98 %
    EXPECT_LT(std::abs(100 * s->length_m.bias()), 1.0);
    EXPECT_LT(100 * s->length_m.sd(), 1.5);
    EXPECT_LT(std::abs(s->fsa_deg.bias()), 1.0);
    EXPECT_LT(s->fsa_deg.sd(), 0.6);
  }
}

// When the values are out: at the next stance's TC as the detector emits it (its next mid-swing), not later; and
// the memory of a long run does not grow with it.
TEST(StreamingSpatial, OutAtTheNextStancesTcAndBoundedOverALongRun) {
  sim::Settings s;
  s.rate_hz = 1000;
  s.strides = 600;  // ~7 minutes at 170 steps/min
  s.seed = 5;
  const auto sim = sim::simulate(s);
  PipelineSettings ps;
  const auto m = MountingCalibration(ps.calibration).run(sim.recording.samples, s.rate_hz);
  ASSERT_TRUE(m.ok);
  const auto live = run_live(sim.recording, m, ps);
  EXPECT_GE(live.strides.size(), 595u);
  auto after_tc = live.after_next_tc_s, after_emitted = live.after_next_tc_emitted_s;
  ASSERT_GE(after_tc.size(), 590u);
  std::sort(after_tc.begin(), after_tc.end());
  std::sort(after_emitted.begin(), after_emitted.end());
  const double stride_s = 120.0 / s.cadence_spm;
  std::printf("[ live spatial ] %zu strides at 1 kHz (stride %.3f s): out %.3f s (median; max %.3f s) after the next "
              "stance's TC, %.3f s (max) after the detector emitted it; held at most %zu samples (mid-run %zu, then %zu), %zu records, %zu swing states\n",
              live.strides.size(), stride_s, after_tc[after_tc.size() / 2], after_tc.back(), after_emitted.back(),
              live.max_samples_held, live.max_samples_held_first_half, live.max_samples_held_second_half, live.max_records_held, live.max_swing_states);
  EXPECT_EQ(after_emitted.back(), 0.0);  // out with the TC that closes the next stance, in the same push
  EXPECT_LT(after_tc.back(), stride_s);
  // Mid-run: a few strides, and no growth (the most is held in the rests at both ends: one 3 s stance each).
  EXPECT_LE(live.max_samples_held_second_half, live.max_samples_held_first_half);
  EXPECT_LT(live.max_samples_held_second_half, static_cast<std::size_t>(3 * stride_s * s.rate_hz));
  EXPECT_LE(live.max_records_held, 3u);
  EXPECT_LT(live.max_swing_states, static_cast<std::size_t>(stride_s * s.rate_hz));
}

TEST(StreamingSpatial, SettingsAreChecked) {
  const MountingCalibration::Result m;
  EXPECT_THROW(StreamingSpatial({}, m, Side::right, {}, 0.0), std::invalid_argument);
  StreamingSpatial::Settings bad;
  bad.max_hold_s = 1.0;
  EXPECT_THROW(StreamingSpatial({}, m, Side::right, {}, 500.0, bad), std::invalid_argument);
}

}  // namespace
}  // namespace stride
