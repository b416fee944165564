// join_streams (firmware_iface/import/): the walk that puts the gyroscope on the accelerometer's clock, checked
// sample for sample against a straightforward reference (a binary search per sample, the interpolation written out)
// on jittered clocks with a start offset, a gyroscope gap and clip bits on both files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "firmware_iface/import/join_streams.hpp"
#include "stride/resample.hpp"

namespace stride {
namespace {

// One sensor's file as a reader returns it: 100 Hz +-3 ms, first stamp `t0_s` on the shared clock, the other
// sensor's values NaN; every 97th sample clipped on one axis.
io::Imported phone_file(bool acc, double t0_s, std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.003, 0.003);
  io::Imported r;
  r.report.source = acc ? "Accelerometer.csv" : "Gyroscope.csv";
  r.report.time_unit = "s";
  r.report.has_acc = acc;
  r.report.has_gyro = !acc;
  r.recording.meta.rate_hz = 100;
  r.recording.meta.extra["device_t0"] = std::to_string(t0_s);
  const double nan = std::nan("");
  for (std::size_t i = 0; i < n; ++i) {
    ImuSample s;
    s.t_s = 0.01 * static_cast<double>(i) + (i ? jitter(rng) : 0.0);
    const double w = 0.37 * static_cast<double>(i);
    s.acc_mps2 = acc ? Eigen::Vector3d(std::sin(w), std::cos(w), 9.81) : Eigen::Vector3d::Constant(nan);
    s.gyr_rad_s = acc ? Eigen::Vector3d::Constant(nan) : Eigen::Vector3d(std::cos(w), 0.1 * w, std::sin(w));
    if (i % 97 == 0) s.clipped = acc ? kClipAccY : kClipGyrZ;
    r.recording.samples.push_back(s);
  }
  return r;
}

// What join_streams's samples must be, written the obvious way.
std::vector<ImuSample> reference_join(const io::Imported& acc, const io::Imported& gyr, std::size_t& dropped) {
  const auto& a = acc.recording.samples;
  const auto& g = gyr.recording.samples;
  const double shift = io::device_start_s(gyr) - io::device_start_s(acc);
  const double from = std::max(0.0, shift), to = std::min(a.back().t_s, shift + g.back().t_s);
  const ClockRegularity clock = clock_regularity(g);
  const double gap = clock.gap_factor() * clock.median_interval_s;
  std::vector<ImuSample> out;
  dropped = 0;
  for (const ImuSample& s : a) {
    if (s.t_s < from || s.t_s > to) continue;
    const double t = s.t_s - shift;
    const auto after = std::upper_bound(g.begin(), g.end(), t, [](double v, const ImuSample& x) { return v < x.t_s; });
    const std::size_t k = after == g.begin() ? 0 : static_cast<std::size_t>(after - g.begin()) - 1;
    const bool inside = k + 1 < g.size();
    if (inside && g[k + 1].t_s - g[k].t_s > gap) {
      ++dropped;
      continue;
    }
    ImuSample o = s;
    o.t_s = s.t_s - from;
    std::uint8_t gyr_clip = g[k].clipped;
    o.gyr_rad_s = g[k].gyr_rad_s;
    if (inside && g[k].t_s < t) {
      const double w = (t - g[k].t_s) / (g[k + 1].t_s - g[k].t_s);
      for (int axis = 0; axis < 3; ++axis)
        o.gyr_rad_s[axis] = g[k].gyr_rad_s[axis] + w * (g[k + 1].gyr_rad_s[axis] - g[k].gyr_rad_s[axis]);
      gyr_clip = static_cast<std::uint8_t>(g[k].clipped | g[k + 1].clipped);
    }
    constexpr std::uint8_t kGyrBits = kClipGyrX | kClipGyrY | kClipGyrZ;
    o.clipped = static_cast<std::uint8_t>((s.clipped & ~kGyrBits) | (gyr_clip & kGyrBits));
    out.push_back(o);
  }
  return out;
}

TEST(JoinStreams, EverySampleEqualsTheStraightforwardReferenceBitForBit) {
  const io::Imported acc = phone_file(true, 100.0, 6000, 1);
  io::Imported gyr = phone_file(false, 100.25, 5900, 2);  // starts 0.25 s later, ends earlier
  auto& g = gyr.recording.samples;
  g.erase(g.begin() + 2000, g.begin() + 2030);  // a 0.3 s hole in the gyroscope
  std::size_t dropped = 0;
  const std::vector<ImuSample> want = reference_join(acc, gyr, dropped);
  ASSERT_GT(dropped, 20u);
  ASSERT_GT(want.size(), 5000u);

  const io::Imported got = io::join_streams(acc, gyr);
  const auto& s = got.recording.samples;
  ASSERT_EQ(s.size(), want.size());
  EXPECT_EQ(got.report.samples, want.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    SCOPED_TRACE("sample " + std::to_string(i));
    ASSERT_EQ(s[i].t_s, want[i].t_s);
    ASSERT_EQ(s[i].clipped, want[i].clipped);
    for (int axis = 0; axis < 3; ++axis) {
      ASSERT_EQ(s[i].acc_mps2[axis], want[i].acc_mps2[axis]);
      ASSERT_EQ(s[i].gyr_rad_s[axis], want[i].gyr_rad_s[axis]);
    }
  }
  EXPECT_NE(got.report.notes.back().find("dropped " + std::to_string(dropped) + " samples inside gyroscope gaps"),
            std::string::npos)
      << got.report.notes.back();
}

}  // namespace
}  // namespace stride
