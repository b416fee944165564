#include "analysis/event_detection.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/butterworth.hpp"

namespace stride {
namespace {

void check(bool ok, const char* field, double value, const char* range) {
  if (!ok)
    throw std::invalid_argument(std::string("ImpactPitchDetector: ") + field + " = " + std::to_string(value) +
                                " outside " + range);
}

// Sub-sample time of a peak from a parabola through the peak sample and its neighbours.
double parabolic_peak_time(std::span<const ImuSample> x, std::span<const double> v, std::size_t i) {
  if (i == 0 || i + 1 >= v.size()) return x[i].t_s;
  const double denom = v[i - 1] - 2.0 * v[i] + v[i + 1];
  if (denom >= 0.0) return x[i].t_s;
  const double offset = std::clamp(0.5 * (v[i - 1] - v[i + 1]) / denom, -0.5, 0.5);
  const double dt = offset > 0 ? x[i + 1].t_s - x[i].t_s : x[i].t_s - x[i - 1].t_s;
  return x[i].t_s + offset * dt;
}

GaitEvent make_event(EventKind kind, double t, std::span<const ImuSample> x, std::size_t near) {
  return GaitEvent{kind, t, near < x.size() ? near : x.size() - 1};
}

}  // namespace

ImpactPitchDetector::ImpactPitchDetector() : ImpactPitchDetector(Settings{}) {}

ImpactPitchDetector::ImpactPitchDetector(const Settings& s) : s_(s) {
  check(s.midswing_lowpass_hz > 0.5 && s.midswing_lowpass_hz < 30, "midswing_lowpass_hz", s.midswing_lowpass_hz,
        "(0.5, 30) Hz");
  check(s.midswing_min_rate_rad_s > 0, "midswing_min_rate_rad_s", s.midswing_min_rate_rad_s, "(0, inf) rad/s");
  check(s.midswing_relative > 0 && s.midswing_relative < 1, "midswing_relative", s.midswing_relative, "(0, 1)");
  check(s.min_cycle_s > 0.1 && s.min_cycle_s < s.max_cycle_s, "min_cycle_s", s.min_cycle_s, "(0.1 s, max_cycle_s)");
  check(s.ic_window_share > 0.2 && s.ic_window_share <= 1, "ic_window_share", s.ic_window_share, "(0.2, 1]");
  check(s.impact_lookback_s > 0 && s.impact_lookback_s < 0.2, "impact_lookback_s", s.impact_lookback_s,
        "(0, 0.2) s");
  check(s.tc_window_share > 0.2 && s.tc_window_share <= 1, "tc_window_share", s.tc_window_share, "(0.2, 1]");
}

EventResult ImpactPitchDetector::detect(std::span<const ImuSample> x, const MountingCalibration::Result& m,
                                        double rate_hz) const {
  EventResult out;
  const std::size_t n = x.size();
  if (!m.ok || n < 16 || rate_hz <= 0) return out;

  const Eigen::Vector3d axis = m.segment_from_sensor.row(1).transpose();
  std::vector<double> pitch(n), energy(n), pitch_lp(n), energy_lp(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d w = x[i].gyr_rad_s - m.gyr_bias_rad_s;
    pitch[i] = w.dot(axis);
    energy[i] = w.norm();
  }
  ButterworthLowpass lp({2, std::min(s_.midswing_lowpass_hz, 0.4 * rate_hz), rate_hz});
  lp.filtfilt(pitch, pitch_lp);
  lp.filtfilt(energy, energy_lp);

  // Mid-swings: deep local minima of the smoothed pitch rate (dorsiflexion), at least min_cycle_s apart.
  std::vector<double> neg;
  for (double v : pitch_lp)
    if (v < 0) neg.push_back(-v);
  if (neg.empty()) return out;
  const auto q = neg.begin() + static_cast<std::ptrdiff_t>(neg.size() * 99 / 100);
  std::nth_element(neg.begin(), q, neg.end());
  const double threshold = std::max(s_.midswing_min_rate_rad_s, s_.midswing_relative * *q);
  const auto min_gap = static_cast<std::size_t>(s_.min_cycle_s * rate_hz);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!(pitch_lp[i] < -threshold && pitch_lp[i] <= pitch_lp[i - 1] && pitch_lp[i] < pitch_lp[i + 1])) continue;
    if (!out.midswings.empty() && i - out.midswings.back() < min_gap) {
      if (pitch_lp[i] < pitch_lp[out.midswings.back()]) out.midswings.back() = i;  // keep the deeper one
      continue;
    }
    out.midswings.push_back(i);
  }
  if (out.midswings.empty()) return out;

  // Typical cycle, used at the ends where a neighbour is missing.
  std::vector<double> cycles;
  for (std::size_t k = 1; k < out.midswings.size(); ++k)
    cycles.push_back(x[out.midswings[k]].t_s - x[out.midswings[k - 1]].t_s);
  double typical = 1.0;
  if (!cycles.empty()) {
    auto mid = cycles.begin() + static_cast<std::ptrdiff_t>(cycles.size() / 2);
    std::nth_element(cycles.begin(), mid, cycles.end());
    typical = std::clamp(*mid, s_.min_cycle_s, s_.max_cycle_s);
  }
  const auto samples_for = [&](double seconds) { return static_cast<std::size_t>(seconds * rate_hz); };
  const auto lookback = std::max<std::size_t>(2, samples_for(s_.impact_lookback_s));

  for (std::size_t k = 0; k < out.midswings.size(); ++k) {
    const std::size_t ms = out.midswings[k];
    const double before = k > 0 ? std::min(x[ms].t_s - x[out.midswings[k - 1]].t_s, s_.max_cycle_s) : typical;
    const double after =
        k + 1 < out.midswings.size() ? std::min(x[out.midswings[k + 1]].t_s - x[ms].t_s, s_.max_cycle_s) : typical;

    // TC before this mid-swing: the quietest point of the preceding stance, then the plantarflexion peak.
    const std::size_t tc_lo = ms > samples_for(s_.tc_window_share * before) ? ms - samples_for(s_.tc_window_share * before) : 0;
    if (ms > tc_lo + 2) {
      const auto quiet = static_cast<std::size_t>(
          std::min_element(energy_lp.begin() + static_cast<std::ptrdiff_t>(tc_lo), energy_lp.begin() + static_cast<std::ptrdiff_t>(ms)) -
          energy_lp.begin());
      const auto peak = static_cast<std::size_t>(
          std::max_element(pitch.begin() + static_cast<std::ptrdiff_t>(quiet), pitch.begin() + static_cast<std::ptrdiff_t>(ms)) -
          pitch.begin());
      if (pitch[peak] > 0 && peak > quiet) {
        out.events.push_back(make_event(EventKind::terminal_contact, parabolic_peak_time(x, pitch, peak), x, peak));
        out.tc_rate_rad_s.push_back(pitch[peak]);
      }
    }

    // IC after this mid-swing: the impact peak, then the largest jump of the specific force just before it.
    const std::size_t ic_hi = std::min(n - 1, ms + samples_for(s_.ic_window_share * after));
    if (ic_hi <= ms + 2) continue;
    std::size_t peak = ms + 1;
    for (std::size_t i = ms + 1; i <= ic_hi; ++i)
      if (x[i].acc_mps2.squaredNorm() > x[peak].acc_mps2.squaredNorm()) peak = i;
    const std::size_t lo = std::max(ms + 1, peak > lookback ? peak - lookback : 0);
    std::size_t jump = lo;
    double best = -1;
    for (std::size_t i = lo; i <= peak; ++i) {
      const double j = (x[i].acc_mps2 - x[i - 1].acc_mps2).norm();
      if (j > best) best = j, jump = i;
    }
    const double dt = x[jump].t_s - x[jump - 1].t_s;
    out.events.push_back(make_event(EventKind::initial_contact, 0.5 * (x[jump - 1].t_s + x[jump].t_s), x, jump));
    out.ic_jerk_mps3.push_back(dt > 0 ? best / dt : 0.0);
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const GaitEvent& a, const GaitEvent& b) { return a.t_s < b.t_s; });
  return out;
}

}  // namespace stride
