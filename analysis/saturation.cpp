#include "analysis/saturation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "stride/gait.hpp"

namespace stride {
namespace {

constexpr double kG = 9.80665;

// Full-scale ranges that IMUs are sold with (MEMS datasheets: ±2..±400 g; ±125..±4000 deg/s). A flat top far from
// every one of them is a signal that happened to plateau, not a sensor at its limit.
constexpr double kAccRangesG[] = {2, 4, 6, 8, 12, 16, 24, 32, 64, 100, 200, 400};
constexpr double kGyrRangesDps[] = {125, 245, 250, 300, 500, 1000, 2000, 4000};

template <std::size_t N>
bool near_a_range(double limit, const double (&ranges)[N]) {
  for (double r : ranges)
    if (std::abs(limit / r - 1.0) <= 0.10) return true;  // scale errors and range trims of a few %
  return false;
}

// The flat-top test for one axis: returns the limit (0 when the axis never saturated). Clipping holds the value
// near the extreme for several samples: within 1 % (a compensated sensor such as the MicroStrain GX5 clips before
// its bias and scale correction, so its flat tops spread by ~0.8 %), for 15 ms and at least 3 samples (at 100 Hz a
// smooth peak can sit within 1 % of its top for 2 samples, which is not a clip).
template <typename Get, std::size_t N>
double inferred_limit(std::span<const ImuSample> x, double rate_hz, Get get, double unit, const double (&ranges)[N]) {
  double peak = 0;
  for (const auto& s : x) peak = std::max(peak, std::abs(get(s)));
  if (peak <= 0 || !near_a_range(peak / unit, ranges)) return 0;
  const double level = 0.99 * peak;
  const auto min_run = std::max<std::size_t>(3, static_cast<std::size_t>(std::ceil(0.015 * rate_hz)));
  std::size_t run = 0, long_runs = 0;
  for (const auto& s : x) {
    if (std::abs(get(s)) >= level) {
      if (++run == min_run) ++long_runs;
    } else {
      run = 0;
    }
  }
  return long_runs >= 2 ? level : 0.0;
}

bool beyond(const Eigen::Vector3d& v, const Eigen::Vector3d& limit) {
  for (int a = 0; a < 3; ++a)
    if (limit[a] > 0 && std::abs(v[a]) >= limit[a]) return true;
  return false;
}

}  // namespace

bool Saturation::acc_clipped(const ImuSample& s) const {
  return (s.clipped & (kClipAccX | kClipAccY | kClipAccZ)) || beyond(s.acc_mps2, acc_limit_mps2);
}

bool Saturation::gyr_clipped(const ImuSample& s) const {
  if (s.clipped & kGyrRebuilt) return false;  // above the range now, by design: rebuilt, not clipped
  return (s.clipped & (kClipGyrX | kClipGyrY | kClipGyrZ)) || beyond(s.gyr_rad_s, gyr_limit_rad_s);
}

Saturation find_saturation(std::span<const ImuSample> x, double rate_hz, const RecordingMeta& meta) {
  Saturation r;
  if (meta.acc_range_g > 0) {
    r.acc_limit_mps2.setConstant(0.999 * meta.acc_range_g * kG);
  } else {
    for (int a = 0; a < 3; ++a)
      r.acc_limit_mps2[a] =
          inferred_limit(x, rate_hz, [a](const ImuSample& s) { return s.acc_mps2[a]; }, kG, kAccRangesG);
    r.acc_inferred = r.acc_limit_mps2.maxCoeff() > 0;
  }
  if (meta.gyr_range_dps > 0) {
    r.gyr_limit_rad_s.setConstant(0.999 * meta.gyr_range_dps * std::numbers::pi / 180.0);
  } else {
    for (int a = 0; a < 3; ++a)
      r.gyr_limit_rad_s[a] = inferred_limit(x, rate_hz, [a](const ImuSample& s) { return s.gyr_rad_s[a]; },
                                            std::numbers::pi / 180.0, kGyrRangesDps);
    r.gyr_inferred = r.gyr_limit_rad_s.maxCoeff() > 0;
  }
  return r;
}

}  // namespace stride
