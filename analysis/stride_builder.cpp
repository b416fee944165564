#include "analysis/stride_builder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/sample_search.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

constexpr double kG = 9.80665;

}  // namespace

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
  if (!(s.impact_window_s > 0 && s.impact_window_s < 0.3))
    throw std::invalid_argument("StrideBuilder: impact_window_s = " + std::to_string(s.impact_window_s) +
                                " outside (0, 0.3) s");
}

std::vector<Stride> StrideBuilder::build(std::span<const GaitEvent> events, std::span<const ImuSample> x,
                                         std::span<const Gap> gaps, Side foot, const Saturation& sat) const {
  std::vector<Stride> strides;
  std::vector<const GaitEvent*> ics;
  for (const auto& e : events)
    if (e.kind == EventKind::initial_contact) ics.push_back(&e);

  for (std::size_t k = 0; k + 1 < ics.size(); ++k) {
    Stride s;
    s.foot = foot;
    s.ic_s = ics[k]->t_s;
    s.next_ic_s = ics[k + 1]->t_s;
    s.stride_time_s = s.next_ic_s - s.ic_s;
    int tcs = 0;
    for (const auto& e : events)
      if (e.kind == EventKind::terminal_contact && e.t_s > s.ic_s && e.t_s < s.next_ic_s) {
        if (tcs++ == 0) s.tc_s = e.t_s;
      }
    std::vector<std::string> reasons;
    if (tcs == 0) reasons.push_back("no toe-off found between the two contacts");
    if (tcs > 1) reasons.push_back(std::to_string(tcs) + " toe-offs between the two contacts");
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
    for (std::size_t i = i0; i < i1 && i < x.size(); ++i) {
      peak = std::max(peak, x[i].acc_mps2.norm());
      if (sat.acc_clipped(x[i])) s.impact_clipped = true;
    }
    s.peak_impact_g = peak / kG;

    if (s.stride_time_s < s_.min_stride_s || s.stride_time_s > s_.max_stride_s)
      reasons.push_back("stride time " + fixed(s.stride_time_s, 3) + " s outside [" + fixed(s_.min_stride_s, 2) + ", " +
                          fixed(s_.max_stride_s, 2) + "] s");
    if (tcs > 0 && (s.duty_factor < s_.min_duty || s.duty_factor > s_.max_duty))
      reasons.push_back("contact share " + fixed(s.duty_factor, 2) + " outside [" + fixed(s_.min_duty, 2) + ", " +
                          fixed(s_.max_duty, 2) + "]");
    for (const auto& g : gaps)
      if (g.end_s > s.ic_s && g.start_s < s.next_ic_s && g.end_s - g.start_s > s_.max_gap_s)
        reasons.push_back(std::to_string(g.missing_samples) + " samples missing at " + fixed(g.start_s, 3) + " s");
    if (s.impact_clipped) reasons.push_back("impact clipped at the accelerometer's range (peak is a lower bound)");
    s.valid = reasons.empty() || (reasons.size() == 1 && s.impact_clipped);
    for (std::size_t r = 0; r < reasons.size(); ++r) s.invalid_reason += std::string(r ? "; " : "") + reasons[r];
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
  s.valid = false;
  std::string why = "stride time ";
  why += fixed(s.stride_time_s, 3);
  why += " s is ";
  why += signed_fixed(100.0 * (s.stride_time_s / median - 1.0), 0);
  why += " % from the session median ";
  why += fixed(median, 3);
  why += " s (turn, stop or missed event)";
  if (!s.invalid_reason.empty()) s.invalid_reason += "; ";
  s.invalid_reason += why;
}

}  // namespace stride
