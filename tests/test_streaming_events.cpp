// Live (causal) and offline events agree: the live form sees samples one at a time and is calibrated from the
// first seconds only; the offline form is calibrated on the whole recording.
#include <gtest/gtest.h>

#include <random>

#include "analysis/event_accuracy.hpp"
#include "analysis/pipeline.hpp"
#include "analysis/streaming_events.hpp"
#include "sim_grid.hpp"

namespace stride {
namespace {

std::vector<double> times_of(const std::vector<GaitEvent>& events, EventKind kind) {
  std::vector<double> t;
  for (const auto& e : events)
    if (e.kind == kind) t.push_back(e.t_s);
  return t;
}

TEST(StreamingEvents, SamplePushedOneByOneEqualsOffline) {
  for (const auto& c : test::simulator_grid({500}, 12)) {
    SCOPED_TRACE(c.name);
    const auto sim = sim::simulate(c.settings);
    const auto offline = analyze(sim.recording);
    EventResult live;
    StreamingEventDetector detector(ImpactPitchDetector::Settings{}, offline.mounting, 500);
    for (const auto& s : sim.recording.samples) detector.push(s, live);
    detector.finish(live);
    ASSERT_EQ(live.events.size(), offline.events.events.size());
    for (std::size_t i = 0; i < live.events.size(); ++i) {
      EXPECT_EQ(live.events[i].kind, offline.events.events[i].kind);
      EXPECT_DOUBLE_EQ(live.events[i].t_s, offline.events.events[i].t_s);
    }
  }
}

// Live use calibrates on what it has seen so far: the first 3 s of rest and 5 s of gait.
TEST(StreamingEvents, CalibratedOnTheFirstSecondsMatchesOfflineWithinOneSample) {
  EventAccuracy ic, tc;
  std::size_t runs = 0;
  for (const auto& c : test::simulator_grid({200, 1000}, 12)) {
    SCOPED_TRACE(c.name);
    const auto sim = sim::simulate(c.settings);
    const auto offline = analyze(sim.recording);
    const double rate = c.settings.rate_hz;
    const auto warmup = static_cast<std::size_t>(8.0 * rate);
    const auto early = MountingCalibration().run(std::span(sim.recording.samples).first(warmup), rate);
    ASSERT_TRUE(early.ok) << early.message;
    EventResult live;
    StreamingEventDetector detector(ImpactPitchDetector::Settings{}, early, rate);
    for (const auto& s : sim.recording.samples) detector.push(s, live);
    detector.finish(live);
    const double one_sample = 1.0 / rate;
    const auto a = score_events(times_of(offline.events.events, EventKind::initial_contact),
                                times_of(live.events, EventKind::initial_contact), one_sample * 1.01);
    const auto b = score_events(times_of(offline.events.events, EventKind::terminal_contact),
                                times_of(live.events, EventKind::terminal_contact), one_sample * 1.01);
    EXPECT_EQ(a.matched, a.reference);
    EXPECT_EQ(a.detected, a.reference);
    EXPECT_EQ(b.matched, b.reference);
    EXPECT_EQ(b.detected, b.reference);
    ic.add(a);
    tc.add(b);
    ++runs;
  }
  std::printf("live (8 s warm-up calibration) vs offline over %zu runs: IC max %.2f ms, TC max %.2f ms\n", runs,
              ic.max_abs_ms, tc.max_abs_ms);
}

}  // namespace
}  // namespace stride
