#include "analysis/acc_only_events.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/impact_jump_noise.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

void check(bool ok, const char* field, double value, const char* range) {
  if (!ok)
    throw std::invalid_argument(std::string("AccOnlyDetector: ") + field + " = " + std::to_string(value) +
                                " outside " + range);
}

struct Run {
  std::size_t start = 0, end = 0;  // quiet samples start..end (inclusive)
};

double jump2(std::span<const ImuSample> x, std::size_t i) { return (x[i].acc_mps2 - x[i - 1].acc_mps2).squaredNorm(); }

}  // namespace

bool has_gyroscope(std::span<const ImuSample> samples) {
  return std::any_of(samples.begin(), samples.end(), [](const ImuSample& s) { return s.gyr_rad_s.allFinite(); });
}

MountingCalibration::Result gravity_only_mounting(std::span<const ImuSample> x, double rate_hz,
                                                  const MountingCalibration::Settings& s) {
  MountingCalibration::Result r;
  r.gyr_bias_rad_s.setConstant(std::numeric_limits<double>::quiet_NaN());
  r.pitch_share = r.sign_vote = r.pitch_axis_tilt_deg = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = x.size();
  const auto window = static_cast<std::size_t>(std::max(4.0, s.rest_window_s * rate_hz));
  if (n < 4 * window || rate_hz <= 0.0) {
    r.message = "too few samples to calibrate (" + std::to_string(n) + ")";
    return r;
  }
  // Rest: windows where |a| is steady and near 1 g (the gyroscope's half of the rest test is not available).
  Eigen::Vector3d acc_sum = Eigen::Vector3d::Zero(), all = Eigen::Vector3d::Zero();
  std::size_t rest_samples = 0;
  for (const auto& v : x) all += v.acc_mps2;
  for (std::size_t start = 0; start + window <= n; start += window / 2) {
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    double sq = 0;
    for (std::size_t i = start; i < start + window; ++i) mean += x[i].acc_mps2;
    mean /= static_cast<double>(window);
    for (std::size_t i = start; i < start + window; ++i) sq += (x[i].acc_mps2 - mean).squaredNorm();
    if (std::sqrt(sq / static_cast<double>(window)) > s.rest_acc_std_mps2 || std::abs(mean.norm() - 9.80665) > 1.5)
      continue;
    acc_sum += mean * static_cast<double>(window);
    rest_samples += window;
  }
  r.rest_s = 0.5 * static_cast<double>(rest_samples) / rate_hz;
  if (rest_samples > 0) {
    r.up_sensor = acc_sum.normalized();
    r.gravity_mps2 = (acc_sum / static_cast<double>(rest_samples)).norm();
    r.message = "no gyroscope: up and gravity from " + fixed(r.rest_s, 1) + " s of rest; forward and left unknown";
  } else {
    r.up_sensor = all.normalized();
    r.gravity_mps2 = 9.80665;
    r.message = "no gyroscope and no rest: up from the mean specific force over all samples; forward and left unknown";
  }
  // Any horizontal pair completes the frame: without angular rates the heading of the foot is not observable.
  const Eigen::Vector3d up = r.up_sensor;
  const Eigen::Vector3d seed = std::abs(up.x()) < 0.9 ? Eigen::Vector3d::UnitX() : Eigen::Vector3d::UnitY();
  const Eigen::Vector3d forward = (seed - seed.dot(up) * up).normalized();
  r.segment_from_sensor.row(0) = forward.transpose();
  r.segment_from_sensor.row(1) = up.cross(forward).transpose();
  r.segment_from_sensor.row(2) = up.transpose();
  r.ok = true;
  return r;
}

double impact_noise_ratio(std::span<const ImuSample> x, std::size_t lo, std::size_t at) {
  const double size = std::sqrt(jump2(x, at));
  if (!(size > 0) || at == 0) return 1.0;
  const auto noise = rms_jump_before([&](std::size_t i) { return x[i].acc_mps2; }, at - 1, lo);
  return std::min(1.0, noise.value_or(size) / size);
}

AccValley deepest_acc_valley(std::span<const ImuSample> x, std::span<const double> norm, std::size_t lo,
                             std::size_t last, std::size_t hi, std::vector<double>& before, std::vector<double>& after) {
  AccValley v;
  if (hi < lo + 2 || hi >= norm.size() || last > hi) return v;
  const std::size_t len = hi - lo + 1;
  before.assign(len, 0.0);
  after.assign(len, 0.0);
  for (std::size_t j = 0; j < len; ++j) before[j] = std::max(j ? before[j - 1] : 0.0, norm[lo + j]);
  for (std::size_t j = len; j-- > 0;) after[j] = std::max(j + 1 < len ? after[j + 1] : 0.0, norm[lo + j]);
  std::size_t valley = 0;
  for (std::size_t j = 1; j + 1 < len && lo + j <= last; ++j) {
    const double d = std::min(before[j], after[j]) - norm[lo + j];
    if (d > v.depth) v.depth = d, valley = j;
  }
  if (v.depth <= 0) return v;
  v.at = lo + valley;
  const double n0 = -norm[v.at - 1], n1 = -norm[v.at], n2 = -norm[v.at + 1];
  const double denom = n0 - 2.0 * n1 + n2;
  v.t_s = x[v.at].t_s;
  if (denom < 0.0) {
    const double offset = std::clamp(0.5 * (n0 - n2) / denom, -0.5, 0.5);
    v.t_s += offset * (offset > 0 ? x[v.at + 1].t_s - x[v.at].t_s : x[v.at].t_s - x[v.at - 1].t_s);
  }
  return v;
}

AccOnlyDetector::AccOnlyDetector() : AccOnlyDetector(Settings{}) {}

AccOnlyDetector::AccOnlyDetector(const Settings& s) : s_(s) {
  check(s.quiet_window_s > 0 && s.quiet_window_s <= 0.5, "quiet_window_s", s.quiet_window_s, "(0, 0.5] s");
  check(s.quiet_acc_sd_mps2 > 0, "quiet_acc_sd_mps2", s.quiet_acc_sd_mps2, "(0, inf) m/s^2");
  check(s.quiet_norm_dev_mps2 > 0, "quiet_norm_dev_mps2", s.quiet_norm_dev_mps2, "(0, inf) m/s^2");
  check(s.min_quiet_s >= 0 && s.min_quiet_s < 0.5, "min_quiet_s", s.min_quiet_s, "[0, 0.5) s");
  check(s.merge_gap_s >= 0 && s.merge_gap_s < 0.2, "merge_gap_s", s.merge_gap_s, "[0, 0.2) s");
  check(s.min_cycle_s > 0.1 && s.min_cycle_s < s.max_cycle_s, "min_cycle_s", s.min_cycle_s, "(0.1 s, max_cycle_s)");
  check(s.ic_first_jump_share > 0 && s.ic_first_jump_share <= 1, "ic_first_jump_share", s.ic_first_jump_share,
        "(0, 1]");
  check(s.ic_after_quiet_s >= 0 && s.ic_after_quiet_s < 0.2, "ic_after_quiet_s", s.ic_after_quiet_s, "[0, 0.2) s");
  check(s.min_impact_share >= 0 && s.min_impact_share < 1, "min_impact_share", s.min_impact_share, "[0, 1)");
  check(s.min_quiet_share >= 0 && s.min_quiet_share < 1, "min_quiet_share", s.min_quiet_share, "[0, 1)");
  check(s.weak_impact_share >= s.min_impact_share && s.weak_impact_share <= 1, "weak_impact_share",
        s.weak_impact_share, "[min_impact_share, 1]");
  check(s.tc_min_depth_mps2 >= 0, "tc_min_depth_mps2", s.tc_min_depth_mps2, "[0, inf) m/s^2");
  check(s.tc_search_s > 0 && s.tc_search_s <= 1, "tc_search_s", s.tc_search_s, "(0, 1] s");
  s.uncertainty.validate();
}

EventResult AccOnlyDetector::detect(std::span<const ImuSample> x, const MountingCalibration::Result& m,
                                    double rate_hz) const {
  EventResult out;
  const std::size_t n = x.size();
  if (!m.ok || n < 16 || rate_hz <= 0) return out;
  const double g = m.gravity_mps2;
  auto samples_for = [rate_hz](double s) { return static_cast<std::size_t>(std::lround(s * rate_hz)); };

  // 1. Stance: Skog's moving-variance test on the acceleration vector, plus |mean |a| - g| (prefix sums).
  std::vector<Eigen::Vector3d> sum(n + 1, Eigen::Vector3d::Zero());
  std::vector<double> sq(n + 1, 0.0), norm_sum(n + 1, 0.0), norm(n);
  for (std::size_t i = 0; i < n; ++i) {
    norm[i] = x[i].acc_mps2.norm();
    sum[i + 1] = sum[i] + x[i].acc_mps2;
    sq[i + 1] = sq[i] + x[i].acc_mps2.squaredNorm();
    norm_sum[i + 1] = norm_sum[i] + norm[i];
  }
  const std::size_t half = std::max<std::size_t>(1, samples_for(0.5 * s_.quiet_window_s));
  std::vector<char> quiet(n, 0);
  for (std::size_t i = half; i + half < n; ++i) {
    const std::size_t a = i - half, b = i + half + 1;
    const double w = static_cast<double>(b - a);
    const Eigen::Vector3d mean = (sum[b] - sum[a]) / w;
    const double var = (sq[b] - sq[a]) / w - mean.squaredNorm();
    const double mean_norm = (norm_sum[b] - norm_sum[a]) / w;
    quiet[i] = var < s_.quiet_acc_sd_mps2 * s_.quiet_acc_sd_mps2 && std::abs(mean_norm - g) < s_.quiet_norm_dev_mps2;
  }
  std::vector<Run> runs;
  for (std::size_t i = 0; i < n;) {
    if (!quiet[i]) { ++i; continue; }
    std::size_t j = i;
    while (j + 1 < n && quiet[j + 1]) ++j;
    if (!runs.empty() && i - runs.back().end <= samples_for(s_.merge_gap_s) + 1) runs.back().end = j;
    else runs.push_back({i, j});
    i = j + 1;
  }
  std::erase_if(runs, [&](const Run& r) { return r.end - r.start + 1 < std::max<std::size_t>(2, samples_for(s_.min_quiet_s)); });
  // A stance's flat foot lasts longer than the quiet moments of a swing (the |a| dip after toe-off, mid-swing):
  // stretches shorter than min_quiet_share of the typical one (the 75th percentile of those that fit in a stride,
  // which one stance per cycle keeps among the stances) are no stance.
  double typical = 0;  // samples
  {
    std::vector<double> durations;
    for (const auto& r : runs)
      if (static_cast<double>(r.end - r.start) < s_.max_cycle_s * rate_hz) durations.push_back(static_cast<double>(r.end - r.start));
    if (durations.size() >= 4) {
      auto q3 = durations.begin() + static_cast<std::ptrdiff_t>(durations.size() * 3 / 4);
      std::nth_element(durations.begin(), q3, durations.end());
      typical = *q3;
      const double shortest = s_.min_quiet_share * *q3;
      std::erase_if(runs, [&](const Run& r) { return static_cast<double>(r.end - r.start) < shortest; });
    }
  }
  if (runs.empty()) return out;

  // 2. IC of each stance: the impact's first big jump between the previous mid-swing and the quiet stance.
  const std::size_t reach = samples_for(s_.ic_after_quiet_s);
  const std::size_t longest = samples_for(0.5 * s_.max_cycle_s);
  auto impact = [&](const std::vector<Run>& rs, std::size_t k, std::size_t& at, double& size) {
    const std::size_t s0 = rs[k].start;
    std::size_t lo = k > 0 ? (rs[k - 1].end + s0) / 2 : (s0 > samples_for(0.2) ? s0 - samples_for(0.2) : 0);
    lo = std::max<std::size_t>({lo, 1, s0 > longest ? s0 - longest : 0});
    const std::size_t hi = std::min(n - 1, s0 + reach);
    if (k == 0 && s0 < samples_for(0.2)) return false;  // quiet from the start: standing, no impact to find
    if (hi < lo + 1) return false;
    double largest = 0;
    for (std::size_t i = lo; i <= hi; ++i) largest = std::max(largest, jump2(x, i));
    const double enough = s_.ic_first_jump_share * s_.ic_first_jump_share * largest;
    at = lo;
    while (at < hi && jump2(x, at) < enough) ++at;
    size = std::sqrt(jump2(x, at));
    return largest > 0;
  };
  // A quiet moment inside a swing has no impact before it: drop the stances whose jump is far below the median.
  {
    std::vector<double> sizes;
    std::vector<char> has(runs.size(), 0);
    std::vector<double> size_of(runs.size(), 0);
    for (std::size_t k = 0; k < runs.size(); ++k) {
      std::size_t at = 0;
      if (impact(runs, k, at, size_of[k])) has[k] = 1, sizes.push_back(size_of[k]);
    }
    if (!sizes.empty()) {
      auto mid = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2);
      std::nth_element(sizes.begin(), mid, sizes.end());
      const double floor = s_.min_impact_share * *mid;
      std::vector<Run> kept;
      for (std::size_t k = 0; k < runs.size(); ++k) {
        // Weak on both counts (a soft jolt before a short quiet stretch) is a swing's pause too.
        const bool weak = size_of[k] < floor ||
                          (size_of[k] < s_.weak_impact_share * *mid &&
                           static_cast<double>(runs[k].end - runs[k].start) < 0.5 * typical);
        if (k > 0 && has[k] && weak && !kept.empty()) {
          continue;  // dropped: the stance before keeps its own end, so its TC is searched after it
        }
        kept.push_back(runs[k]);
      }
      runs = std::move(kept);
    }
  }
  for (std::size_t k = 0; k < runs.size(); ++k) {
    std::size_t at = 0;
    double size = 0;
    if (!impact(runs, k, at, size)) continue;
    const double dt = x[at].t_s - x[at - 1].t_s;
    out.events.push_back({EventKind::initial_contact, 0.5 * (x[at - 1].t_s + x[at].t_s), at,
                          ic_sd_ms(s_.uncertainty, dt, false, impact_noise_ratio(x, at > 4 ? at - 4 : 0, at))});
    out.ic_jerk_mps3.push_back(dt > 0 ? size / dt : 0.0);
  }

  // 3. TC after each stance: |a| climbs to the push-off peak as the foot rolls over the toe, and the swing's own
  //    accelerations follow once the foot has left; between them |a| falls into a valley as the ground stops
  //    pushing. TC is the deepest such valley between the end of the quiet stance and the next mid-swing: the
  //    sample whose |a| lies furthest below both the highest |a| before it and the highest after it (in the
  //    stretch), placed by a parabola through its neighbours.
  std::vector<double> before, after;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::size_t lo = runs[k].end;
    std::size_t hi = k + 1 < runs.size() ? (runs[k].end + runs[k + 1].start) / 2
                                         : std::min(n - 1, lo + samples_for(s_.tc_search_s));
    hi = std::min(hi, lo + samples_for(0.5 * s_.max_cycle_s));
    if (k + 1 < runs.size()) out.midswings.push_back(hi);
    if (hi < lo + 3) continue;
    const AccValley v = deepest_acc_valley(x, norm, lo, hi, hi, before, after);
    if (v.depth < s_.tc_min_depth_mps2) continue;
    out.events.push_back({EventKind::terminal_contact, v.t_s, v.at,
                          acc_tc_sd_ms(s_.uncertainty, 0.5 * (x[v.at + 1].t_s - x[v.at - 1].t_s))});
    out.tc_rate_rad_s.push_back(v.depth);
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const GaitEvent& a, const GaitEvent& b) { return a.t_s < b.t_s; });
  return out;
}

}  // namespace stride
