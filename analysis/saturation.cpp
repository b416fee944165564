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

// The flat-top test for one axis: samples within 1 % of the axis's peak (0 when the axis never saturated). Clipping
// holds the value near the extreme for several samples, for 15 ms and at least 3 samples (at 100 Hz a smooth peak
// can sit within 1 % of its top for 2 samples, which is not a clip), at least twice.
template <std::size_t N>
double flat_top_level(double peak, double unit, const double (&ranges)[N]) {
  return peak > 0 && near_a_range(peak / unit, ranges) ? 0.99 * peak : 0.0;
}

// Once an axis is found to saturate, every sample within this share of its peak counts as clipped. A compensated
// sensor clips before its bias, scale and cross-axis correction, so its rail moves with the other axes: the
// MicroStrain GX5's pitch-axis rail reads ~498.4 deg/s + ~0.02 of the roll axis's rate, 497-500 deg/s at push-off
// and 503-507.5 at the impacts (roll at 400-500 deg/s) in walk 35 (docs/clipping.md). Within 1 % of the peak (the
// impacts' 507.5) missed every push-off flat top; 2.2 % takes them all. The test above that decides whether the
// axis saturates at all keeps 1 %: with 2.2 % the simulator's unclipped ~480 deg/s swing peaks passed it.
// The accelerometer keeps 1 % (the MicroStrain walks' accelerometer has no flat top: 13.9 g at most, one sample).
constexpr double kAccRailSpread = 0.01;
constexpr double kGyrRailSpread = 0.022;

std::size_t min_flat_run(double rate_hz) {
  return std::max<std::size_t>(3, static_cast<std::size_t>(std::ceil(0.015 * rate_hz)));
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

void add_axis_peaks(std::span<const ImuSample> samples, Eigen::Vector3d& acc_peak, Eigen::Vector3d& gyr_peak) {
  for (const auto& s : samples)
    for (int a = 0; a < 3; ++a) {
      acc_peak[a] = std::max(acc_peak[a], std::abs(s.acc_mps2[a]));
      gyr_peak[a] = std::max(gyr_peak[a], std::abs(s.gyr_rad_s[a]));
    }
}

FlatTopSearch::FlatTopSearch(const Eigen::Vector3d& acc_peak, const Eigen::Vector3d& gyr_peak, double rate_hz,
                             const RecordingMeta& meta)
    : meta_(meta), min_run_(min_flat_run(rate_hz)) {
  for (int a = 0; a < 3; ++a) {
    if (!(meta.acc_range_g > 0)) acc_[a].level = flat_top_level(acc_peak[a], kG, kAccRangesG);
    if (!(meta.gyr_range_dps > 0))
      gyr_[a].level = flat_top_level(gyr_peak[a], std::numbers::pi / 180.0, kGyrRangesDps);
  }
}

bool FlatTopSearch::needed(const RecordingMeta& meta) { return !(meta.acc_range_g > 0 && meta.gyr_range_dps > 0); }

void FlatTopSearch::add(std::span<const ImuSample> block) {
  const auto count = [this](Axis& axis, double value) {
    if (axis.level <= 0) return;
    if (std::abs(value) >= axis.level) {
      if (++axis.run == min_run_) ++axis.long_runs;
    } else {
      axis.run = 0;
    }
  };
  for (const auto& s : block)
    for (int a = 0; a < 3; ++a) {
      count(acc_[a], s.acc_mps2[a]);
      count(gyr_[a], s.gyr_rad_s[a]);
    }
}

Saturation FlatTopSearch::result() const {
  Saturation r;
  const auto limit = [](const Axis& axis, double spread) {
    return axis.long_runs >= 2 ? axis.level / 0.99 * (1.0 - spread) : 0.0;
  };
  if (meta_.acc_range_g > 0) {
    r.acc_limit_mps2.setConstant(0.999 * meta_.acc_range_g * kG);
  } else {
    for (int a = 0; a < 3; ++a) r.acc_limit_mps2[a] = limit(acc_[a], kAccRailSpread);
    r.acc_inferred = r.acc_limit_mps2.maxCoeff() > 0;
  }
  if (meta_.gyr_range_dps > 0) {
    r.gyr_limit_rad_s.setConstant(0.999 * meta_.gyr_range_dps * std::numbers::pi / 180.0);
  } else {
    for (int a = 0; a < 3; ++a) r.gyr_limit_rad_s[a] = limit(gyr_[a], kGyrRailSpread);
    r.gyr_inferred = r.gyr_limit_rad_s.maxCoeff() > 0;
  }
  return r;
}

Saturation find_saturation(std::span<const ImuSample> x, double rate_hz, const RecordingMeta& meta) {
  // As a reader in blocks makes them: the peaks first, then the runs near them (no pass when both are declared).
  const bool search_needed = FlatTopSearch::needed(meta);
  Eigen::Vector3d acc_peak = Eigen::Vector3d::Zero(), gyr_peak = Eigen::Vector3d::Zero();
  if (search_needed) add_axis_peaks(x, acc_peak, gyr_peak);
  FlatTopSearch search(acc_peak, gyr_peak, rate_hz, meta);
  if (search_needed) search.add(x);
  return search.result();
}

}  // namespace stride
