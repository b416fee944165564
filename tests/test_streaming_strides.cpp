// The causal stride builder gives the offline pipeline's strides, one at a time, with bounded memory.
#include <gtest/gtest.h>

#include "analysis/pipeline.hpp"
#include "analysis/saturation.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_strides.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

TEST(StreamingStrides, SameStridesAsTheOfflinePipelineAsSoonAsTheNextIcIsKnown) {
  sim::Settings st;
  st.strides = 40;
  st.rate_hz = 500;
  const Recording rec = sim::simulate(st).recording;
  const PipelineSettings ps;
  const SessionResult offline = analyze(rec, ps);
  ASSERT_GE(offline.strides.size(), 35u);

  const double rate = 1.0 / median_interval_s(rec.samples);
  StreamingEventDetector detector(ps.events, offline.mounting, rate);
  StreamingStrideBuilder builder(ps.strides, rec.meta.side, find_saturation(rec.samples, rate, rec.meta), rate);
  std::vector<Stride> live;
  std::vector<double> emitted_at;   // sample time when each stride came out
  EventResult ev;
  std::size_t most_held = 0;
  for (const auto& s : rec.samples) {
    builder.push_sample(s);
    ev.events.clear();
    detector.push(s, ev);
    const std::size_t before = live.size();
    for (const auto& e : ev.events) builder.push_event(e, rec.gaps, live);
    for (std::size_t k = before; k < live.size(); ++k) emitted_at.push_back(s.t_s);
    most_held = std::max(most_held, builder.samples_held());
  }
  ev.events.clear();
  detector.finish(ev);
  for (const auto& e : ev.events) builder.push_event(e, rec.gaps, live);
  while (emitted_at.size() < live.size()) emitted_at.push_back(rec.samples.back().t_s);

  ASSERT_EQ(live.size(), offline.strides.size());
  double worst = 0;
  for (std::size_t k = 0; k < live.size(); ++k) {
    const auto& a = live[k];
    const auto& b = offline.strides[k];
    EXPECT_DOUBLE_EQ(a.ic_s, b.ic_s) << k;
    EXPECT_DOUBLE_EQ(a.tc_s, b.tc_s) << k;
    EXPECT_DOUBLE_EQ(a.next_ic_s, b.next_ic_s) << k;
    EXPECT_DOUBLE_EQ(a.peak_impact_g, b.peak_impact_g) << k;
    EXPECT_EQ(a.valid, b.valid) << k << ": " << a.invalid_reason() << " / " << b.invalid_reason();
    // Out within one stride of the toe-off (in stream time).
    if (k + 1 < live.size()) {
      worst = std::max(worst, (emitted_at[k] - a.tc_s) / a.stride_time_s);
    }
  }
  std::printf("[ stream delay ] worst: %.2f strides from TC to the stride's output\n", worst);
  EXPECT_LE(worst, 1.0);  // within one stride of the toe-off (stream time)
  EXPECT_LE(most_held, static_cast<std::size_t>(2 * (6.0 * rate + 1)));
}

TEST(StreamingStrides, AStrideFarFromTheRecentMedianIsMarkedInvalid) {
  StrideBuilder::Settings bs;
  StreamingStrideBuilder b(bs, Side::right, Saturation{}, 100.0);
  std::vector<Stride> out;
  double t = 0;
  for (int k = 0; k < 12; ++k) {
    const double T = k == 8 ? 1.2 : 0.7;  // one stride with a stop in it
    for (int i = 0; i < static_cast<int>(T * 100); ++i) {
      ImuSample s;
      s.t_s = t + i / 100.0;
      s.acc_mps2 = Eigen::Vector3d(0, 0, 9.8);
      b.push_sample(s);
    }
    b.push_event({EventKind::initial_contact, t, 0}, {}, out);
    b.push_event({EventKind::terminal_contact, t + 0.3 * T, 0}, {}, out);
    t += T;
  }
  ASSERT_EQ(out.size(), 11u);
  for (std::size_t k = 0; k < out.size(); ++k)
    EXPECT_EQ(out[k].valid, k != 8) << k << ": " << out[k].invalid_reason();
  EXPECT_NE(out[8].invalid_reason().find("median"), std::string::npos) << out[8].invalid_reason();
}

}  // namespace
}  // namespace stride
