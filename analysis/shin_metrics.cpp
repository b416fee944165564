#include "analysis/shin_metrics.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/sample_search.hpp"
#include <numbers>

namespace stride {
namespace {

constexpr double kG = 9.80665;

}  // namespace

void add_shin_metrics(std::vector<Stride>& strides, std::span<const ImuSample> x, const MountingCalibration::Result& m,
                      const Saturation& saturation, const ShinSettings& settings) {
  const Eigen::Matrix3d& R = m.segment_from_sensor;
  for (auto& s : strides) {
    const std::size_t ic = first_at_or_after(x, s.ic_s);
    const std::size_t end = first_at_or_after(x, s.next_ic_s);
    if (ic >= x.size() || end >= x.size() || end <= ic + 2) continue;

    // PTA and its rise.
    const std::size_t window_end = first_at_or_after(x, s.ic_s + settings.pta_window_s);
    double peak = -1e9, at_peak = s.ic_s;
    bool clipped = false;
    for (std::size_t i = ic; i < window_end && i < x.size(); ++i) {
      const double axial = (R * x[i].acc_mps2).z();
      if (axial > peak) peak = axial, at_peak = x[i].t_s;
      clipped = clipped || saturation.acc_clipped(x[i]);
    }
    if (clipped) {
      s.set_spatial_issue("accelerometer clipped at impact: no PTA (the true peak is higher than the range)");
    } else {
      s.pta_g = peak / kG;
      const double rise_s = at_peak - x[ic].t_s;
      if (rise_s > 0) s.pta_rise_g_per_s = (peak - (R * x[ic].acc_mps2).z()) / kG / rise_s;
    }

    // Shank angle at IC from the stride's own gravity.
    const Eigen::Vector3d axis = R.row(1).transpose();
    std::vector<double> lean(end - ic + 1, 0.0);
    for (std::size_t i = ic + 1; i <= end; ++i) {
      const double w0 = (x[i - 1].gyr_rad_s - m.gyr_bias_rad_s).dot(axis);
      const double w1 = (x[i].gyr_rad_s - m.gyr_bias_rad_s).dot(axis);
      lean[i - ic] = lean[i - ic - 1] + 0.5 * (w0 + w1) * (x[i].t_s - x[i - 1].t_s);
    }
    const double drift = lean.back();  // steady pace: the shank is back at its IC angle
    double sx = 0, sz = 0;
    for (std::size_t i = ic; i <= end; ++i) {
      const double b = lean[i - ic] - drift * (x[i].t_s - x[ic].t_s) / (x[end].t_s - x[ic].t_s);
      const Eigen::Vector3d f = R * x[i].acc_mps2;  // segment frame: x forward, z along the tibia
      // Rotate by the lean relative to IC about +y (knee forward positive).
      sx += f.x() * std::cos(b) + f.z() * std::sin(b);
      sz += -f.x() * std::sin(b) + f.z() * std::cos(b);
    }
    // The lean at IC, b0, turns (sx, sz) onto +z: sx cos b0 + sz sin b0 = 0.
    const double b0 = std::atan2(-sx, sz);
    s.shank_angle_ic_deg = -b0 * 180.0 / std::numbers::pi;
  }
}

}  // namespace stride
