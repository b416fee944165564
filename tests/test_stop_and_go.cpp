// Stop-and-go against the simulator's truth: standing starts and stops and pauses mid-walk and mid-run. A rest is
// never inside a stride (the interval that holds one is marked "rest_inside", offline and live alike), every true
// stride is found, no valid stride is impossible, and the distance (the valid strides and the steps out of rest)
// matches the truth's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/pipeline.hpp"
#include "analysis/saturation.hpp"
#include "analysis/stride_builder.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_strides.hpp"
#include "sim_fixtures.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

using test::has_code;

struct Case {
  std::string name;
  sim::Settings s;
};

std::vector<Case> stop_and_go_cases() {
  std::vector<Case> cases;
  std::uint64_t seed = 301;
  for (double rate : {100.0, 500.0}) {
    for (double pause : {1.8, 4.0}) {
      sim::Settings walk = test::walking_gait(1.3, 110);
      walk.strides = 24;
      walk.pauses = 3;
      walk.pause_s = pause;
      walk.rate_hz = rate;
      walk.seed = seed++;
      cases.push_back({"walk " + std::to_string(int(rate)) + " Hz pause " + std::to_string(pause).substr(0, 3) + " s", walk});
      sim::Settings run = walk;
      run.speed_mps = 3.5;
      run.cadence_spm = 168;
      run.duty_factor = 0.36;
      run.toe_off_angle_deg = -35;
      run.fsa_deg = 14;
      run.seed = seed++;
      cases.push_back({"run " + std::to_string(int(rate)) + " Hz pause " + std::to_string(pause).substr(0, 3) + " s", run});
    }
  }
  return cases;
}

TEST(StopAndGo, SimulatorTruthHasItsRestsAndNoStrideAcrossThem) {
  sim::Settings s;
  s.strides = 20;
  s.pauses = 3;
  s.pause_s = 2.5;
  s.rate_hz = 200;
  const auto r = sim::simulate(s);
  ASSERT_EQ(r.truth.rests.size(), 5u);        // standing start, three pauses, standing stop
  EXPECT_EQ(r.truth.strides.size(), 17u);     // 20 - 3 intervals that hold a pause
  EXPECT_EQ(r.truth.ic_s.size(), 21u);        // the events are all there
  for (const auto& t : r.truth.strides)
    for (const auto& rest : r.truth.rests) EXPECT_TRUE(rest.end_s <= t.ic_s || rest.start_s >= t.next_ic_s);
  // Inside a pause the foot is still: the gyroscope reads its bias and noise, the accelerometer gravity.
  for (std::size_t k = 1; k + 1 < r.truth.rests.size(); ++k) {
    const auto& rest = r.truth.rests[k];
    EXPECT_GT(rest.end_s - rest.start_s, 2.5);  // the pause, and the flat foot's last moments before heel-off
    EXPECT_LT(rest.end_s - rest.start_s, 2.6);
    for (const auto& x : r.recording.samples)
      if (x.t_s > rest.start_s + 0.01 && x.t_s < rest.end_s - 0.01) {
        ASSERT_LT((x.gyr_rad_s - r.truth.gyr_bias_rad_s).norm(), 0.03) << x.t_s;
        ASSERT_NEAR(x.acc_mps2.norm(), 9.80665, 0.5) << x.t_s;
      }
  }
  // Without pauses the simulation is what it was (no draw moved).
  sim::Settings plain = s;
  plain.pauses = 0;
  sim::Settings zero = s;
  zero.pause_s = 0;
  const auto a = sim::simulate(plain), b = sim::simulate(zero);
  ASSERT_EQ(a.recording.samples.size(), b.recording.samples.size());
  EXPECT_EQ(a.recording.samples.back().acc_mps2, b.recording.samples.back().acc_mps2);
  s.pauses = 20;
  EXPECT_THROW(sim::simulate(s), std::invalid_argument);
}

TEST(StopAndGo, EveryTrueStrideFoundNoneAcrossARestNoneImpossible) {
  std::size_t truth_total = 0, found_total = 0, spanning_total = 0, impossible_total = 0, marked_total = 0;
  double worst_distance = 0, worst_rest_step = 0;  // m, the mean error of a case's steps out of rest
  std::printf("stop-and-go against the simulator (3 pauses in 24 strides, standing start and stop):\n");
  for (const auto& c : stop_and_go_cases()) {
    const auto sim = sim::simulate(c.s);
    const auto r = analyze(sim.recording);
    std::size_t found = 0, spanning = 0, impossible = 0, rest_marked = 0;
    double truth_distance = 0;
    for (const auto& t : sim.truth.rest_steps) truth_distance += t.length_m;  // the foot covered them too
    for (const auto& t : sim.truth.strides) {
      truth_distance += t.length_m;
      found += std::any_of(r.strides.begin(), r.strides.end(), [&](const Stride& s) {
                 return s.valid && test::matches_truth(s, t);
               }) ? 1 : 0;
    }
    for (const auto& s : r.strides) {
      rest_marked += has_code(s, "rest_inside") ? 1 : 0;
      if (!s.valid) continue;
      for (const auto& rest : sim.truth.rests)
        spanning += rest.end_s > s.ic_s && rest.start_s < s.next_ic_s ? 1 : 0;
      // Impossible: a valid stride that matches no true one, or whose length is far from the true one's.
      const auto t = std::find_if(sim.truth.strides.begin(), sim.truth.strides.end(),
                                  [&](const sim::StrideTruth& t) { return std::abs(s.ic_s - t.ic_s) < 0.05; });
      if (t == sim.truth.strides.end() || std::abs(s.next_ic_s - t->next_ic_s) > 0.05 ||
          (std::isfinite(s.stride_length_m) && std::abs(s.stride_length_m - t->length_m) > 0.3))
        ++impossible;
    }
    const double distance_error = r.spatial.distance_m / truth_distance - 1;
    // The steps out of the standing start and out of each pause: all counted, each near its true length.
    double truth_rest_steps = 0;
    for (const auto& t : sim.truth.rest_steps) truth_rest_steps += t.length_m;
    EXPECT_EQ(r.spatial.rest_steps, sim.truth.rest_steps.size()) << c.name;
    const double rest_error =
        (r.spatial.rest_steps_m - truth_rest_steps) / static_cast<double>(sim.truth.rest_steps.size());
    worst_rest_step = std::max(worst_rest_step, std::abs(rest_error));
    std::printf("  %-24s %2zu/%2zu true strides found, %zu rest intervals marked, %zu valid across a rest, "
                "%zu impossible, distance %.1f m vs %.1f m (%+.2f %%), %zu steps out of rest %+.3f m each\n",
                c.name.c_str(), found, sim.truth.strides.size(), rest_marked, spanning, impossible,
                r.spatial.distance_m, truth_distance, 100 * distance_error, r.spatial.rest_steps, rest_error);
    truth_total += sim.truth.strides.size();
    found_total += found;
    spanning_total += spanning;
    impossible_total += impossible;
    marked_total += rest_marked;
    worst_distance = std::max(worst_distance, std::abs(distance_error));
    EXPECT_GE(found, sim.truth.strides.size() * 95 / 100) << c.name;
    EXPECT_EQ(rest_marked, 3u) << c.name;  // one per pause
  }
  std::printf("  all: %zu/%zu found (%.1f %%), %zu valid across a rest, %zu impossible, worst distance error %.2f %% "
              "(the truth: strides and steps out of rest), worst step out of rest %.3f m\n",
              found_total, truth_total, 100.0 * found_total / truth_total, spanning_total, impossible_total,
              100 * worst_distance, worst_rest_step);
  EXPECT_GE(found_total, truth_total * 99 / 100);
  EXPECT_EQ(spanning_total, 0u);
  EXPECT_EQ(impossible_total, 0u);
  EXPECT_LT(worst_distance, 0.02);
  EXPECT_LT(worst_rest_step, 0.025);  // measured 0.016 m (a 3.5 m/s run at 500 Hz)
}

// Live: the causal stride builder marks the same intervals as stops as the offline pipeline, as they come.
TEST(StopAndGo, TheStreamingBuilderMarksTheSameRests) {
  for (const auto& c : stop_and_go_cases()) {
    if (c.s.rate_hz != 100.0) continue;
    const auto sim = sim::simulate(c.s);
    const Recording& rec = sim.recording;
    const PipelineSettings ps;
    const SessionResult offline = analyze(rec, ps);
    const double rate = 1.0 / median_interval_s(rec.samples);
    StreamingEventDetector detector(ps.events, offline.mounting, rate);
    StreamingStrideBuilder builder(ps.strides, rec.meta.side, find_saturation(rec.samples, rate, rec.meta), rate);
    std::vector<Stride> live;
    EventResult ev;
    for (const auto& s : rec.samples) {
      builder.push_sample(s);
      ev.events.clear();
      detector.push(s, ev);
      for (const auto& e : ev.events) builder.push_event(e, rec.gaps, live);
    }
    ev.events.clear();
    detector.finish(ev);
    for (const auto& e : ev.events) builder.push_event(e, rec.gaps, live);
    ASSERT_EQ(live.size(), offline.strides.size()) << c.name;
    std::size_t rests = 0;
    for (std::size_t k = 0; k < live.size(); ++k) {
      EXPECT_DOUBLE_EQ(live[k].ic_s, offline.strides[k].ic_s) << c.name << " " << k;
      EXPECT_EQ(has_code(live[k], "rest_inside"), has_code(offline.strides[k], "rest_inside"))
          << c.name << " " << k << ": " << live[k].invalid_reason() << " / " << offline.strides[k].invalid_reason();
      rests += has_code(live[k], "rest_inside") ? 1 : 0;
    }
    EXPECT_EQ(rests, 3u) << c.name;
  }
}

// The rest test itself: a still stretch longer than max_rest_s between two contacts makes the interval a stop;
// the same stride with the foot moving throughout is none.
TEST(StopAndGo, ARestBetweenTwoContactsIsAStopNotAStride) {
  const auto make = [](bool pause) {
    std::vector<ImuSample> x;
    for (int i = 0; i < 240; ++i) {
      ImuSample s;
      s.t_s = i / 100.0;
      const bool still = pause && i >= 30 && i < 210;  // 1.8 s
      s.gyr_rad_s = Eigen::Vector3d(0.02, -0.01, 0.005) + (still ? Eigen::Vector3d::Zero()
                                                                  : Eigen::Vector3d(2.0 * std::sin(i / 5.0), 0, 0));
      s.gyr_rad_s.x() += 0.004 * std::sin(i * 12.9898);  // noise-like
      s.acc_mps2 = Eigen::Vector3d(0, 0, 9.81 + (still ? 0.0 : 1.5 * std::cos(i / 4.0)));
      x.push_back(s);
    }
    return x;
  };
  const std::vector<GaitEvent> events = {{EventKind::initial_contact, 0.0, 0},
                                         {EventKind::terminal_contact, 2.1, 210},
                                         {EventKind::initial_contact, 2.35, 235}};
  StrideBuilder::Settings bs;
  bs.max_stride_s = 3.0;    // so that only the rest rule can object
  bs.max_duty = 0.95;
  const StrideBuilder b(bs);
  const auto with = b.build(events, make(true), {}, Side::left, Saturation{});
  ASSERT_EQ(with.size(), 1u);
  EXPECT_FALSE(with[0].valid);
  EXPECT_TRUE(has_code(with[0], "rest_inside")) << with[0].invalid_reason();
  EXPECT_NE(with[0].invalid_reason().find("stood still for 1."), std::string::npos) << with[0].invalid_reason();
  const auto without = b.build(events, make(false), {}, Side::left, Saturation{});
  ASSERT_EQ(without.size(), 1u);
  EXPECT_TRUE(without[0].valid) << without[0].invalid_reason();

  const Rest rest = longest_rest(make(true), 0.25, 0.05, 0.2);
  EXPECT_NEAR(rest.start_s, 0.30, 0.03);
  EXPECT_NEAR(rest.end_s, 2.09, 0.03);
  EXPECT_EQ(longest_rest(make(false), 0.25, 0.05, 0.2).duration_s(), 0.0);
}

}  // namespace
}  // namespace stride
