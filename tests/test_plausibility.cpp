// Physical limits: an impossible stride is marked invalid with its code and its words, and no session total
// (distance, medians, cadence) counts it; absent values stay NaN (null in the JSON), never 0.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/pipeline.hpp"
#include "analysis/plausibility.hpp"
#include "analysis/session_stats.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_spatial.hpp"
#include "analysis/stride_builder.hpp"
#include "sim_fixtures.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

using test::has_code;

const MetricSummary& metric(const SessionSummary& s, const std::string& name) {
  for (const auto& m : s.metrics)
    if (m.name == name) return m;
  throw std::runtime_error("no metric " + name);
}

// A walking stride as the pipeline would have it: timing and a trajectory.
Stride walking(double ic_s, double length_m, double stride_s = 1.1) {
  Stride s;
  s.foot = Side::right;
  s.ic_s = ic_s;
  s.tc_s = ic_s + 0.62 * stride_s;
  s.next_ic_s = ic_s + stride_s;
  s.stride_time_s = stride_s;
  s.gct_ms = 620 * stride_s;
  s.swing_ms = 380 * stride_s;
  s.flight_ms = 0;
  s.duty_factor = 0.62;
  s.cadence_spm = 120 / stride_s;
  s.peak_impact_g = 3;
  s.stride_length_m = length_m;
  s.speed_mps = length_m / stride_s;
  s.max_clearance_m = 0.12;
  s.turning_angle_deg = 2;
  return s;
}

std::vector<Stride> walk_of(int n) {
  std::vector<Stride> v;
  for (int k = 0; k < n; ++k) v.push_back(walking(1.1 * k, 1.4 + 0.01 * (k % 3)));
  return v;
}

// The held-out symptom: a walk that ends in a standstill, its last stride at 50.8 m and 46.6 m/s.
TEST(Plausibility, TheImpossibleLastStrideIsInvalidAndNoTotalCountsIt) {
  auto strides = walk_of(14);
  Stride& last = strides.back();
  last.stride_time_s = 1.09;
  last.next_ic_s = last.ic_s + 1.09;
  last.cadence_spm = 120 / 1.09;
  last.stride_length_m = 50.8;
  last.speed_mps = 46.6;
  const StridePlausibility p;
  EXPECT_EQ(p.check_session(strides), 1u);
  EXPECT_FALSE(last.valid);
  EXPECT_TRUE(has_code(last, "length_above_limit")) << last.invalid_reason();
  EXPECT_TRUE(has_code(last, "speed_above_limit")) << last.invalid_reason();
  EXPECT_NE(last.invalid_reason().find("50.80 m"), std::string::npos) << last.invalid_reason();
  for (std::size_t k = 0; k + 1 < strides.size(); ++k) EXPECT_TRUE(strides[k].valid) << k << ": " << strides[k].invalid_reason();

  // Totals: distance, medians, maxima and cadence see only the valid strides.
  double expected = 0;
  for (std::size_t k = 0; k + 1 < strides.size(); ++k) expected += strides[k].stride_length_m;
  EXPECT_NEAR(valid_distance_m(strides), expected, 1e-12);
  EXPECT_LT(valid_distance_m(strides), 20.0);
  const SessionSummary summary = summarize(strides, 20.0);
  EXPECT_EQ(summary.strides_valid, 13u);
  EXPECT_EQ(metric(summary, "stride_length_m").n, 13u);
  EXPECT_LT(metric(summary, "stride_length_m").max, 1.5);
  EXPECT_LT(metric(summary, "speed_mps").max, 1.4);
  EXPECT_NEAR(metric(summary, "cadence_spm").max, 120 / 1.1, 1e-9);  // the 1.09 s stride is not counted
}

TEST(Plausibility, EachRuleHasItsCode) {
  const StridePlausibility p;
  struct Case {
    const char* code;
    Stride s;
  };
  std::vector<Case> cases;
  {
    Stride s = walking(0, 2.9);  // 2.9 m at 1.1 s (109 steps/min): no walker strides that far
    cases.push_back({"length_above_walking_limit", s});
  }
  {
    Stride s = walking(0, 1.4);
    s.max_clearance_m = 1.6;
    cases.push_back({"clearance_out_of_range", s});
  }
  {
    Stride s = walking(0, 1.4);
    s.max_clearance_m = -0.3;
    cases.push_back({"clearance_out_of_range", s});
  }
  {
    Stride s = walking(0, 1.4);
    s.turning_angle_deg = -170;
    s.stride_time_s = 0.5;  // 340 deg/s
    cases.push_back({"turn_rate_above_limit", s});
  }
  {
    Stride s = walking(0, 6.0, 0.45);  // 13.3 m/s, 6 m
    cases.push_back({"length_above_limit", s});
  }
  for (auto& c : cases) {
    p.check(c.s);
    EXPECT_FALSE(c.s.valid) << c.code;
    EXPECT_TRUE(has_code(c.s, c.code)) << c.code << ": " << c.s.invalid_reason();
    EXPECT_FALSE(c.s.invalid_reason().empty()) << c.code;
  }
  // What is possible stays valid: a fast run (3.8 m at 0.63 s, 6 m/s), a sprint stride (5.2 m at 0.45 s,
  // 11.6 m/s), a U-turn stride (180 deg in 1.2 s), a stair stride (0.45 m clearance), a stride with no trajectory.
  std::vector<Stride> fine = {walking(0, 3.8, 0.63), walking(0, 5.2, 0.45), walking(0, 0.6, 1.2), walking(0, 1.0),
                              walking(0, Stride::kNaN)};
  fine[2].turning_angle_deg = 180;
  fine[3].max_clearance_m = 0.45;
  fine[4].speed_mps = fine[4].max_clearance_m = fine[4].turning_angle_deg = Stride::kNaN;
  for (auto& s : fine) {
    p.check(s);
    EXPECT_TRUE(s.valid) << s.invalid_reason();
    EXPECT_TRUE(s.invalid_codes().empty());
  }
}

TEST(Plausibility, AStrideFarLongerThanItsNeighboursIsInvalidTheyAreNot) {
  auto strides = walk_of(12);
  strides[6] = walking(strides[6].ic_s, 3.2, 0.95);  // under every absolute limit, 2.3x its neighbours
  strides[3].valid = false;                            // an invalid neighbour is no neighbour
  strides[3].stride_length_m = 40;
  const StridePlausibility p;
  p.check_session(strides);
  EXPECT_FALSE(strides[6].valid);
  EXPECT_TRUE(has_code(strides[6], "length_off_neighbours")) << strides[6].invalid_reason();
  for (std::size_t k = 0; k < strides.size(); ++k) {
    if (k != 6 && k != 3) {
      EXPECT_TRUE(strides[k].valid) << k << ": " << strides[k].invalid_reason();
    }
  }
  // Short strides (a turn, the last step before a stop) are no error.
  auto turn = walk_of(12);
  turn[5].stride_length_m = 0.3;
  turn[5].speed_mps = 0.3 / 1.1;
  p.check_session(turn);
  EXPECT_TRUE(turn[5].valid) << turn[5].invalid_reason();
  // Live: against the strides before only.
  Stride live = walking(0, 3.2, 0.95);
  const std::vector<double> before = {1.4, 1.41, 1.39};
  p.check_against(live, before);
  EXPECT_TRUE(has_code(live, "length_off_neighbours"));
  Stride first = walking(0, 3.2, 0.95);
  p.check_against(first, std::vector<double>{1.4});  // one neighbour: too few to judge
  EXPECT_TRUE(first.valid);
}

TEST(Plausibility, SettingsAreCheckedWithTheFieldNamed) {
  StridePlausibility::Settings s;
  s.max_speed_mps = -1;
  try {
    StridePlausibility p(s);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("max_speed_mps"), std::string::npos) << e.what();
  }
  s = {};
  s.max_walking_stride_length_m = 9;  // above max_stride_length_m
  EXPECT_THROW(StridePlausibility{s}, std::invalid_argument);
  s = {};
  s.max_neighbour_ratio = 0.8;
  EXPECT_THROW(StridePlausibility{s}, std::invalid_argument);
}

// End to end: limits set below what the simulated walk really does make those strides invalid, and the
// pipeline's distance and summary leave exactly those out.
TEST(Plausibility, ThePipelineDistanceAndSummaryCountOnlyStridesWithinTheLimits) {
  auto settings = test::noise_free_settings(false);
  settings.rate_hz = 200;
  settings.variability_cv = 0.05;
  const auto sim = sim::simulate(settings);
  const SessionResult normal = analyze(sim.recording);
  ASSERT_GE(normal.summary.strides_valid, 18u);
  const double median_length = metric(normal.summary, "stride_length_m").median;
  PipelineSettings tight;
  tight.plausibility.max_walking_stride_length_m = median_length;
  tight.plausibility.max_stride_length_m = median_length;
  const SessionResult r = analyze(sim.recording, tight);
  std::size_t too_long = 0, valid_with_length = 0;
  double distance = 0;
  for (const auto& s : r.strides) {
    if (s.stride_length_m > median_length) {
      ++too_long;
      EXPECT_FALSE(s.valid);
      EXPECT_TRUE(has_code(s, "length_above_limit")) << s.invalid_reason();
    }
    if (s.valid && std::isfinite(s.stride_length_m)) ++valid_with_length, distance += s.stride_length_m;
  }
  EXPECT_GE(too_long, 5u);
  // ... plus the step out of the standing start, which no limit failed (analysis/rest_steps.hpp).
  EXPECT_EQ(r.spatial.rest_steps, 1u);
  EXPECT_NEAR(r.spatial.distance_m, distance + r.spatial.rest_steps_m, 1e-9);
  EXPECT_LT(r.spatial.distance_m, normal.spatial.distance_m - 0.2 * static_cast<double>(too_long));
  EXPECT_EQ(metric(r.summary, "stride_length_m").n, valid_with_length);
  EXPECT_LE(metric(r.summary, "stride_length_m").max, median_length);
  EXPECT_EQ(r.summary.strides_valid + too_long, normal.summary.strides_valid);
  EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(),
                          [](const std::string& w) { return w.find("physical limit") != std::string::npos; }));
}

// Live: StreamingSpatial applies the same limits to each stride's spatial values as they come out.
TEST(Plausibility, TheLiveSpatialValuesPassTheSameLimits) {
  auto settings = test::noise_free_settings(false);
  settings.rate_hz = 200;
  settings.variability_cv = 0.05;
  const auto sim = sim::simulate(settings);
  const Recording& rec = sim.recording;
  const SessionResult offline = analyze(rec);
  const double limit = metric(offline.summary, "stride_length_m").median;
  const auto run_live = [&](const StridePlausibility::Settings& limits) {
    const double rate = 1.0 / median_interval_s(rec.samples);
    StreamingEventDetector detector(PipelineSettings{}.events, offline.mounting, rate);
    StreamingSpatial spatial(PipelineSettings{}.trajectory, offline.mounting, rec.meta.side,
                             find_saturation(rec.samples, rate, rec.meta), rate, limits);
    std::vector<Stride> out;
    EventResult ev;
    for (const auto& x : rec.samples) {
      spatial.push_sample(x);
      ev.events.clear();
      detector.push(x, ev);
      for (const auto& e : ev.events) spatial.push_event(e, out);
    }
    ev.events.clear();
    detector.finish(ev);
    for (const auto& e : ev.events) spatial.push_event(e, out);
    spatial.finish(out);
    return out;
  };
  const auto normal = run_live({});
  std::size_t with_length = 0;
  for (const auto& s : normal) {
    EXPECT_TRUE(s.valid) << s.ic_s << ": " << s.invalid_reason();
    with_length += std::isfinite(s.stride_length_m) ? 1 : 0;
  }
  EXPECT_GE(with_length, 18u);
  StridePlausibility::Settings tight;
  tight.max_stride_length_m = tight.max_walking_stride_length_m = limit;
  std::size_t over = 0;
  for (const auto& s : run_live(tight)) {
    if (!std::isfinite(s.stride_length_m)) continue;
    EXPECT_EQ(s.valid, s.stride_length_m <= limit) << s.ic_s << ": " << s.stride_length_m << " " << s.invalid_reason();
    if (s.stride_length_m > limit) {
      ++over;
      EXPECT_TRUE(has_code(s, "length_above_limit")) << s.invalid_reason();
    }
  }
  EXPECT_GE(over, 5u);
}

// A stride with no toe-off: the values that need one are absent (NaN, written as null), never 0.
TEST(Plausibility, AbsentValuesAreNanAndNullNeverZero) {
  std::vector<ImuSample> x;
  for (int i = 0; i < 300; ++i) {
    ImuSample s;
    s.t_s = i / 100.0;
    s.acc_mps2 = Eigen::Vector3d(0, 0, 9.81 + (i == 10 ? 5.0 : 0.0));
    s.gyr_rad_s = Eigen::Vector3d(0.5 * std::sin(i / 7.0), 0, 0);  // moving: no rest
    x.push_back(s);
  }
  const std::vector<GaitEvent> events = {{EventKind::initial_contact, 0.1, 10},
                                         {EventKind::initial_contact, 1.2, 120},
                                         {EventKind::terminal_contact, 1.9, 190},
                                         {EventKind::initial_contact, 2.3, 230}};
  const auto strides = StrideBuilder().build(events, x, {}, Side::right, Saturation{});
  ASSERT_EQ(strides.size(), 2u);
  const Stride& s = strides[0];
  EXPECT_FALSE(s.valid);
  EXPECT_TRUE(has_code(s, "no_toe_off")) << s.invalid_reason();
  for (double v : {s.tc_s, s.gct_ms, s.swing_ms, s.flight_ms, s.duty_factor}) EXPECT_TRUE(std::isnan(v));
  EXPECT_NEAR(s.peak_impact_g, (9.81 + 5.0) / 9.80665, 1e-9);
  EXPECT_EQ(nlohmann::json({{"tc_s", s.tc_s}}).dump(), "{\"tc_s\":null}");
  EXPECT_TRUE(strides[1].valid) << strides[1].invalid_reason();
  EXPECT_NEAR(strides[1].gct_ms, 700, 1e-9);
  // No total counts an absent value.
  const auto summary = summarize(strides, 3.0);
  EXPECT_EQ(metric(summary, "gct_ms").n, 1u);
}

}  // namespace
}  // namespace stride
