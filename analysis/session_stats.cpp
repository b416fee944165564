#include "analysis/session_stats.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include "analysis/quality_scan.hpp"

namespace stride {

double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto m = static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), v.begin() + m, v.end());
  const double hi = v[static_cast<std::size_t>(m)];
  return v.size() % 2 ? hi : 0.5 * (hi + *std::max_element(v.begin(), v.begin() + m));
}

MetricSummary summarize_values(std::string name, std::vector<double> v) {
  MetricSummary m;
  m.name = std::move(name);
  m.n = v.size();
  if (v.empty()) return m;
  double sum = 0;
  for (double x : v) sum += x;
  m.mean = sum / static_cast<double>(v.size());
  double sq = 0;
  for (double x : v) sq += (x - m.mean) * (x - m.mean);
  m.sd = v.size() > 1 ? std::sqrt(sq / static_cast<double>(v.size() - 1)) : 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  m.median = v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
  m.min = v.front();
  m.max = v.back();
  return m;
}

SessionSummary summarize(std::span<const Stride> strides, double duration_s) {
  SessionSummary s;
  s.duration_s = duration_s;
  s.strides_total = strides.size();
  const std::pair<const char*, std::function<double(const Stride&)>> fields[] = {
      {"stride_time_s", [](const Stride& x) { return x.stride_time_s; }},
      {"cadence_spm", [](const Stride& x) { return x.cadence_spm; }},
      {"gct_ms", [](const Stride& x) { return x.gct_ms; }},
      {"swing_ms", [](const Stride& x) { return x.swing_ms; }},
      {"flight_ms", [](const Stride& x) { return x.flight_ms; }},
      {"duty_factor", [](const Stride& x) { return x.duty_factor; }},
      {"peak_impact_g", [](const Stride& x) { return x.peak_impact_g; }},
      {"stride_length_m", [](const Stride& x) { return x.stride_length_m; }},
      {"speed_mps", [](const Stride& x) { return x.speed_mps; }},
      {"fsa_deg", [](const Stride& x) { return x.fsa_deg; }},
      {"toe_off_angle_deg", [](const Stride& x) { return x.toe_off_angle_deg; }},
      {"pronation_excursion_deg", [](const Stride& x) { return x.pronation_excursion_deg; }},
      {"pronation_velocity_dps", [](const Stride& x) { return x.pronation_velocity_dps; }},
      {"max_clearance_m", [](const Stride& x) { return x.max_clearance_m; }},
      {"pta_g", [](const Stride& x) { return x.pta_g; }},
      {"pta_rise_g_per_s", [](const Stride& x) { return x.pta_rise_g_per_s; }},
      {"shank_angle_ic_deg", [](const Stride& x) { return x.shank_angle_ic_deg; }},
  };
  for (const auto& [name, get] : fields) {
    std::vector<double> v;
    for (const auto& x : strides)
      if (x.valid && std::isfinite(get(x))) v.push_back(get(x));
    s.metrics.push_back(summarize_values(name, std::move(v)));
  }
  for (const auto& x : strides) s.strides_valid += x.valid ? 1 : 0;
  return s;
}

DataQuality assess_quality(const Recording& r, const Saturation& sat) {
  QualityScan scan(r.meta, median_interval_s(r.samples), sat);
  for (const auto& s : r.samples) scan.add(s);
  return scan.finish(r.gaps);
}

}  // namespace stride
