#include "analysis/stride_builder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/sample_search.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

constexpr double kG = 9.80665;

}  // namespace

// Sliding windows of window_s (two pointers over time, so any rate and jitter); the variances come from prefix
// sums (relative to the first sample, against cancellation): O(n).
Rest longest_rest(std::span<const ImuSample> x, double window_s, double gyr_sd, double acc_sd) {
  Rest best;
  const std::size_t n = x.size();
  if (n < 4) return best;
  constexpr int kC = 4;  // gyro x, y, z, |a|; then their squares
  std::vector<double> sum((n + 1) * 2 * kC, 0.0);
  const Eigen::Vector3d g0 = x[0].gyr_rad_s;
  const double a0 = x[0].acc_mps2.norm();
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d g = x[i].gyr_rad_s - g0;
    const double v[kC] = {g.x(), g.y(), g.z(), x[i].acc_mps2.norm() - a0};
    for (int c = 0; c < kC; ++c) {
      sum[(i + 1) * 2 * kC + c] = sum[i * 2 * kC + c] + v[c];
      sum[(i + 1) * 2 * kC + kC + c] = sum[i * 2 * kC + kC + c] + v[c] * v[c];
    }
  }
  const auto variance = [&](std::size_t j, std::size_t k, int c) {  // samples j..k-1
    const double count = static_cast<double>(k - j);
    const double m = (sum[k * 2 * kC + c] - sum[j * 2 * kC + c]) / count;
    const double q = (sum[k * 2 * kC + kC + c] - sum[j * 2 * kC + kC + c]) / count;
    return std::max(0.0, q - m * m);
  };
  bool in_run = false;
  double run_start = 0, run_end = 0;
  const auto close = [&] {
    if (in_run && run_end - run_start > best.duration_s()) best = {run_start, run_end};
  };
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; ++j) {
    while (k < n && x[k].t_s - x[j].t_s <= window_s) ++k;
    if (k - j < 4 || x[k - 1].t_s - x[j].t_s < 0.8 * window_s) continue;  // too few samples, or cut by the end
    bool still = variance(j, k, 3) <= acc_sd * acc_sd;
    for (int c = 0; c < 3 && still; ++c) still = variance(j, k, c) <= gyr_sd * gyr_sd;
    if (!still) continue;
    if (in_run && x[j].t_s <= run_end) {
      run_end = std::max(run_end, x[k - 1].t_s);
    } else {
      close();
      in_run = true;
      run_start = x[j].t_s;
      run_end = x[k - 1].t_s;
    }
  }
  close();
  return best;
}

StrideBuilder::StrideBuilder() : StrideBuilder(Settings{}) {}

StrideBuilder::StrideBuilder(const Settings& s) : s_(s) {
  if (!(s.min_stride_s > 0 && s.min_stride_s < s.max_stride_s))
    throw std::invalid_argument("StrideBuilder: min_stride_s = " + std::to_string(s.min_stride_s) +
                                " must be in (0, max_stride_s)");
  if (!(s.min_duty > 0 && s.min_duty < s.max_duty && s.max_duty < 1))
    throw std::invalid_argument("StrideBuilder: duty bounds [" + std::to_string(s.min_duty) + ", " +
                                std::to_string(s.max_duty) + "] must satisfy 0 < min < max < 1");
  if (!(s.max_deviation > 0))
    throw std::invalid_argument("StrideBuilder: max_deviation = " + std::to_string(s.max_deviation) + " must be > 0");
  if (!(s.max_gap_s > 0))
    throw std::invalid_argument("StrideBuilder: max_gap_s = " + std::to_string(s.max_gap_s) + " must be > 0");
  if (!(s.max_rest_s > s.rest_window_s && s.rest_window_s > 0))
    throw std::invalid_argument("StrideBuilder: max_rest_s = " + std::to_string(s.max_rest_s) + " and rest_window_s = " +
                                std::to_string(s.rest_window_s) + " must satisfy 0 < rest_window_s < max_rest_s");
  if (!(s.rest_gyr_sd_rad_s > 0 && s.rest_acc_sd_mps2 > 0))
    throw std::invalid_argument("StrideBuilder: rest_gyr_sd_rad_s = " + std::to_string(s.rest_gyr_sd_rad_s) +
                                " and rest_acc_sd_mps2 = " + std::to_string(s.rest_acc_sd_mps2) + " must be > 0");
  if (!(s.impact_window_s > 0 && s.impact_window_s < 0.3))
    throw std::invalid_argument("StrideBuilder: impact_window_s = " + std::to_string(s.impact_window_s) +
                                " outside (0, 0.3) s");
}

std::vector<Stride> StrideBuilder::build(std::span<const GaitEvent> events, std::span<const ImuSample> x,
                                         std::span<const Gap> gaps, Side foot, const Saturation& sat) const {
  std::vector<Stride> strides;
  std::vector<const GaitEvent*> ics;
  std::vector<double> tc_times;  // sorted: each stride finds its toe-offs by binary search, not by a scan of all
  std::vector<const GaitEvent*> tcs_by_time;  // the same order as tc_times: their uncertainty
  for (const auto& e : events) {
    if (e.kind == EventKind::initial_contact) ics.push_back(&e);
    if (e.kind == EventKind::terminal_contact) tcs_by_time.push_back(&e);
  }
  std::stable_sort(tcs_by_time.begin(), tcs_by_time.end(),
                   [](const GaitEvent* a, const GaitEvent* b) { return a->t_s < b->t_s; });
  for (const GaitEvent* e : tcs_by_time) tc_times.push_back(e->t_s);

  for (std::size_t k = 0; k + 1 < ics.size(); ++k) {
    Stride s;
    s.foot = foot;
    s.ic_s = ics[k]->t_s;
    s.ic_sd_ms = ics[k]->sd_ms;
    s.next_ic_s = ics[k + 1]->t_s;
    s.stride_time_s = s.next_ic_s - s.ic_s;
    // The toe-offs strictly between the two contacts.
    const auto first_tc = std::upper_bound(tc_times.begin(), tc_times.end(), s.ic_s);
    const auto end_tc = std::lower_bound(first_tc, tc_times.end(), s.next_ic_s);
    const int tcs = static_cast<int>(end_tc - first_tc);
    if (tcs > 0) s.tc_s = *first_tc, s.tc_sd_ms = tcs_by_time[static_cast<std::size_t>(first_tc - tc_times.begin())]->sd_ms;
    if (tcs == 0) s.invalidate("no_toe_off", "no toe-off found between the two contacts");
    if (tcs > 1) s.invalidate("several_toe_offs", std::to_string(tcs) + " toe-offs between the two contacts");
    if (tcs > 0) {
      s.gct_ms = (s.tc_s - s.ic_s) * 1e3;
      s.swing_ms = (s.next_ic_s - s.tc_s) * 1e3;
      s.duty_factor = (s.tc_s - s.ic_s) / s.stride_time_s;
      // One foot: both steps assumed equal. Walking has double support instead of flight: 0.
      s.flight_ms = std::max(0.0, 0.5 * s.stride_time_s * 1e3 - s.gct_ms);
      s.flight_from_one_foot = true;
    }
    s.cadence_spm = 120.0 / s.stride_time_s;

    const std::size_t i0 = first_at_or_after(x, s.ic_s);
    const std::size_t i1 = first_at_or_after(x, s.ic_s + s_.impact_window_s);
    double peak = 0;
    std::size_t in_window = 0;
    for (std::size_t i = i0; i < i1 && i < x.size(); ++i, ++in_window) {
      peak = std::max(peak, x[i].acc_mps2.norm());
      if (sat.acc_clipped(x[i])) s.impact_clipped = true;
    }
    if (in_window > 0) s.peak_impact_g = peak / kG;

    if (s.stride_time_s < s_.min_stride_s || s.stride_time_s > s_.max_stride_s)
      s.invalidate("stride_time_out_of_range", "stride time " + fixed(s.stride_time_s, 3) + " s outside [" +
                                                   fixed(s_.min_stride_s, 2) + ", " + fixed(s_.max_stride_s, 2) + "] s");
    if (tcs > 0 && (s.duty_factor < s_.min_duty || s.duty_factor > s_.max_duty))
      s.invalidate("contact_share_out_of_range", "contact share " + fixed(s.duty_factor, 2) + " outside [" +
                                                     fixed(s_.min_duty, 2) + ", " + fixed(s_.max_duty, 2) + "]");
    for (const auto& g : gaps)
      if (g.end_s > s.ic_s && g.start_s < s.next_ic_s && g.end_s - g.start_s > s_.max_gap_s)
        s.invalidate("samples_missing", std::to_string(g.missing_samples) + " samples missing at " + fixed(g.start_s, 3) + " s");
    if (s.stride_time_s > s_.max_rest_s) {
      const std::size_t end = std::max(i0, first_at_or_after(x, s.next_ic_s));
      const Rest rest = longest_rest(x.subspan(i0, end - i0), s_.rest_window_s, s_.rest_gyr_sd_rad_s,
                                     s_.rest_acc_sd_mps2);
      if (rest.duration_s() > s_.max_rest_s)
        s.invalidate("rest_inside", "the foot stood still for " + fixed(rest.duration_s(), 1) + " s (" +
                                        fixed(rest.start_s, 2) + "-" + fixed(rest.end_s, 2) +
                                        " s): a stop, not a stride");
    }
    if (s.impact_clipped)  // a note, not a rule: the stride stays valid
      s.add_reason("impact clipped at the accelerometer's range (peak is a lower bound)");
    strides.push_back(std::move(s));
  }

  // Strides far from the session's typical stride time are turns, stops or missed events.
  std::vector<double> times;
  for (const auto& s : strides)
    if (s.valid) times.push_back(s.stride_time_s);
  if (times.size() >= 3) {
    auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), mid, times.end());
    const double median = *mid;
    for (auto& s : strides) check_against_median(s, median);
  }
  return strides;
}

void StrideBuilder::check_against_median(Stride& s, double median) const {
  if (!s.valid || std::abs(s.stride_time_s - median) <= s_.max_deviation * median) return;
  std::string why = "stride time ";
  why += fixed(s.stride_time_s, 3);
  why += " s is ";
  why += signed_fixed(100.0 * (s.stride_time_s / median - 1.0), 0);
  why += " % from the session median ";
  why += fixed(median, 3);
  why += " s (turn, stop or missed event)";
  s.invalidate("stride_time_off_median", why);
}

}  // namespace stride
