// ZeroVelocityInRanges (the trust view of a streamed session) against FootTrajectory::zero_velocity_windows over
// the whole recording.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "analysis/pipeline.hpp"
#include "analysis/zero_velocity_in_ranges.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

Recording walk_with_stops() {
  sim::Settings s;
  s.speed_mps = 1.4;
  s.cadence_spm = 112;
  s.duty_factor = 0.62;
  s.strides = 60;
  s.rate_hz = 400;
  s.seed = 23;
  s.pauses = 2;  // two long stances: a stop is one stance, searched whole as offline
  s.pause_s = 4.0;
  return sim::simulate(s).recording;
}

TEST(ZeroVelocityInRanges, GivesTheWholeRecordingsWindowsOfTheStancesItReaches) {
  const Recording rec = walk_with_stops();
  const SessionResult r = analyze(rec, PipelineSettings{});
  ASSERT_TRUE(r.spatial.ok);
  const double rate = 1.0 / median_interval_s(rec.samples);
  const FootTrajectory trajectory;
  const auto& x = rec.samples;
  const auto all = trajectory.zero_velocity_windows(x, r.events.events, rate);
  ASSERT_GT(all.size(), 40u);
  // The start, a middle and the end of the recording (the ends hold the open rests).
  const double end = x.back().t_s;
  const std::vector<ZeroVelocityInRanges::TimeRange> ranges{{x.front().t_s, 6.0}, {0.5 * end - 3.0, 0.5 * end + 3.0},
                                                            {end - 6.0, end}};
  ZeroVelocityInRanges found(trajectory, r.events.events, x.size(), rate, ranges);
  for (std::size_t at = 0; at < x.size(); at += 777)  // blocks that match nothing in the recording
    found.add(std::span<const ImuSample>(x).subspan(at, std::min<std::size_t>(777, x.size() - at)));
  const auto got = found.windows();
  std::size_t overlapping = 0;
  for (const auto& w : all) {
    const double from = x[w.first].t_s, to = x[w.last].t_s;
    const bool in = std::any_of(ranges.begin(), ranges.end(),
                                [&](const auto& q) { return from <= q.to_s && to >= q.from_s; });
    if (!in) continue;
    ++overlapping;
    const auto same = std::find_if(got.begin(), got.end(), [&](const auto& g) { return g.first_t_s == from; });
    ASSERT_NE(same, got.end()) << "window " << from << ".." << to << " s not found";
    EXPECT_EQ(same->last_t_s, to) << "window from " << from << " s";
  }
  std::printf("  %zu of %zu windows reach into the ranges; %zu found\n", overlapping, all.size(), got.size());
  EXPECT_GE(overlapping, 6u);
  EXPECT_LE(got.size(), overlapping + 2 * ranges.size());  // only stances next to the ranges, not all
  EXPECT_LT(got.size(), all.size() / 2);
}

TEST(ZeroVelocityInRanges, NoRangesOrTooFewSamplesHoldNothing) {
  const Recording rec = walk_with_stops();
  const SessionResult r = analyze(rec, PipelineSettings{});
  const FootTrajectory trajectory;
  ZeroVelocityInRanges none(trajectory, r.events.events, rec.samples.size(), 400, {});
  none.add(rec.samples);
  EXPECT_TRUE(none.windows().empty());
  const std::vector<ZeroVelocityInRanges::TimeRange> everything{{-1e9, 1e9}};
  ZeroVelocityInRanges cut(trajectory, r.events.events, rec.samples.size(), 400, everything);
  cut.add(std::span<const ImuSample>(rec.samples).first(rec.samples.size() / 2));  // the pass ended early
  const auto got = cut.windows();
  EXPECT_LT(got.size(), trajectory.zero_velocity_windows(rec.samples, r.events.events, 400).size());
}

}  // namespace
}  // namespace stride
