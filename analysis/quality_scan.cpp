#include "analysis/quality_scan.hpp"

#include <algorithm>
#include <cmath>

namespace stride {

QualityScan::QualityScan(const RecordingMeta& meta, double nominal_s, const Saturation& saturation)
    : nominal_(nominal_s), saturation_(saturation) {
  q_.declared_rate_hz = meta.rate_hz;
  q_.nominal_rate_hz = nominal_s > 0 ? 1.0 / nominal_s : 0.0;
  q_.acc_limit_mps2 = saturation.acc_limit_mps2.maxCoeff();
  q_.gyr_limit_rad_s = saturation.gyr_limit_rad_s.maxCoeff();
  q_.acc_limit_inferred = saturation.acc_inferred;
  q_.gyr_limit_inferred = saturation.gyr_inferred;
}

void QualityScan::add(const ImuSample& s) {
  ++q_.samples;
  if (saturation_.acc_clipped(s)) ++q_.clipped_acc_samples;
  if (saturation_.gyr_clipped(s)) ++q_.clipped_gyr_samples;
  const bool first = first_;
  const double dt = s.t_s - last_t_;
  first_ = false;
  last_t_ = s.t_s;
  if (first) return;
  q_.max_interval_ms = std::max(q_.max_interval_ms, dt * 1e3);
  if (nominal_ > 0 && dt > 1.5 * nominal_) return;  // gaps are reported as gaps, not as jitter
  sum_ += dt;
  sq_ += dt * dt;
  ++count_;
}

DataQuality QualityScan::finish(const std::vector<Gap>& gaps) const {
  DataQuality q = q_;
  if (count_ > 1) {
    const double mean = sum_ / static_cast<double>(count_);
    q.interval_jitter_ms = std::sqrt(std::max(0.0, sq_ / static_cast<double>(count_) - mean * mean)) * 1e3;
  }
  q.gaps = gaps.size();
  for (const auto& g : gaps) {
    q.missing_samples += g.missing_samples;
    q.gap_total_s += g.end_s - g.start_s;
    q.gap_longest_s = std::max(q.gap_longest_s, g.end_s - g.start_s);
  }
  return q;
}

}  // namespace stride
