#include "stride/resample.hpp"

#include <algorithm>
#include <cmath>

#include "stride/recording.hpp"

namespace stride {

ClockRegularity clock_regularity(const std::vector<ImuSample>& samples) {
  ClockRegularity c;
  c.median_interval_s = median_interval_s(samples);
  if (c.median_interval_s <= 0.0) return c;
  const double m = c.median_interval_s;
  double sum = 0.0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const double dt = samples[i].t_s - samples[i - 1].t_s;
    if (!(dt > 0.0) || dt > kIrregularGapFactor * m) continue;
    ++c.steps;
    c.off_beat += std::abs(dt - m) > kOffBeatTolerance * m;
    c.max_step_s = std::max(c.max_step_s, dt);
    sum += dt;
  }
  c.mean_interval_s = c.steps ? sum / static_cast<double>(c.steps) : 0.0;
  return c;
}

ImuSample interpolate(const ImuSample& a, const ImuSample& b, double t) {
  const double w = (t - a.t_s) / (b.t_s - a.t_s);
  ImuSample s;
  s.t_s = t;
  s.acc_mps2 = a.acc_mps2 + w * (b.acc_mps2 - a.acc_mps2);
  s.gyr_rad_s = a.gyr_rad_s + w * (b.gyr_rad_s - a.gyr_rad_s);
  s.clipped = static_cast<std::uint8_t>(a.clipped | b.clipped);
  return s;
}

std::vector<ImuSample> resample_uniform(const std::vector<ImuSample>& samples, double interval_s, double gap_s) {
  std::vector<ImuSample> out;
  if (samples.empty() || !(interval_s > 0.0)) return out;
  const double span = samples.back().t_s - samples.front().t_s;
  out.reserve(static_cast<std::size_t>(std::max(0.0, span / interval_s)) + 16);
  std::size_t i = 0;
  while (i < samples.size()) {
    // One stretch without gaps: samples[i .. j].
    std::size_t j = i;
    while (j + 1 < samples.size() && samples[j + 1].t_s - samples[j].t_s <= gap_s) ++j;
    const double t0 = samples[i].t_s;
    std::size_t at = i;
    for (std::size_t k = 0;; ++k) {
      const double t = t0 + static_cast<double>(k) * interval_s;  // no accumulated rounding
      if (t > samples[j].t_s) break;
      while (at + 1 <= j && samples[at + 1].t_s <= t) ++at;
      out.push_back(at == j || samples[at].t_s == t ? samples[at] : interpolate(samples[at], samples[at + 1], t));
      out.back().t_s = t;
    }
    i = j + 1;
  }
  return out;
}

}  // namespace stride
