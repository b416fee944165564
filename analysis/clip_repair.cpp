#include "analysis/clip_repair.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace stride {
namespace {

// Axis a of x's gyro at its range: a clip bit from the importer/decoder, or at the (declared or inferred) limit.
bool axis_clipped(const ImuSample& x, int a, const Saturation& sat) {
  if (x.clipped & (kClipGyrX << a)) return true;
  const double limit = sat.gyr_limit_rad_s[a];
  return limit > 0 && std::abs(x.gyr_rad_s[a]) >= limit;
}

// Least-squares quadratic through the flank samples (time centred on `centre`), evaluated at each run sample.
// False when there are too few flank samples on either side or the fit is not a peak beyond the clipped level.
bool fit_peak(std::span<const ImuSample> x, int a, std::size_t first, std::size_t last, std::size_t flank,
              const Saturation& sat, std::vector<double>& out) {
  const double centre = 0.5 * (x[first].t_s + x[last].t_s);
  std::vector<std::size_t> idx;
  for (std::size_t k = 1; k <= flank && k <= first; ++k) {
    if (axis_clipped(x[first - k], a, sat)) break;
    idx.push_back(first - k);
  }
  const std::size_t left = idx.size();
  for (std::size_t k = 1; k <= flank && last + k < x.size(); ++k) {
    if (axis_clipped(x[last + k], a, sat)) break;
    idx.push_back(last + k);
  }
  if (left < 3 || idx.size() - left < 3) return false;
  Eigen::MatrixXd A(idx.size(), 3);
  Eigen::VectorXd b(idx.size());
  for (std::size_t r = 0; r < idx.size(); ++r) {
    const double tau = x[idx[r]].t_s - centre;
    A.row(static_cast<Eigen::Index>(r)) << 1.0, tau, tau * tau;
    b[static_cast<Eigen::Index>(r)] = x[idx[r]].gyr_rad_s[a];
  }
  const Eigen::Vector3d c = A.colPivHouseholderQr().solve(b);
  const double level = x[first].gyr_rad_s[a];  // the flat top (signed)
  const double sign = level >= 0 ? 1.0 : -1.0;
  if (!(sign * c[2] < 0)) return false;  // a peak bends back towards zero
  out.clear();
  for (std::size_t i = first; i <= last; ++i) {
    const double tau = x[i].t_s - centre;
    const double v = c[0] + c[1] * tau + c[2] * tau * tau;
    out.push_back(sign * v > sign * x[i].gyr_rad_s[a] ? v : x[i].gyr_rad_s[a]);  // never below what was measured
  }
  // The rebuilt top must rise above the clipped level somewhere, or the fit says nothing about the peak.
  return std::any_of(out.begin(), out.end(), [&](double v) { return sign * v > sign * level; });
}

}  // namespace

bool any_gyro_clipped(std::span<const ImuSample> x, const Saturation& saturation) {
  return std::any_of(x.begin(), x.end(), [&](const ImuSample& s) { return saturation.gyr_clipped(s); });
}

ClipRepairResult rebuild_clipped_gyro(std::vector<ImuSample>& x, const Saturation& saturation, double rate_hz,
                                      const ClipRepairSettings& settings) {
  ClipRepairResult result;
  if (x.empty() || !(rate_hz > 0)) return result;
  const auto flank = std::max<std::size_t>(3, static_cast<std::size_t>(std::lround(settings.flank_s * rate_hz)));
  std::vector<std::uint8_t> still_clipped(x.size(), 0);  // per sample: gyro axes left clipped
  std::vector<std::uint8_t> rebuilt(x.size(), 0);        // per sample: gyro axes rebuilt
  std::vector<double> fit;
  for (int a = 0; a < 3; ++a) {
    for (std::size_t i = 0; i < x.size();) {
      if (!axis_clipped(x[i], a, saturation)) {
        ++i;
        continue;
      }
      // One flat top, even where noise dips a sample or two below the range inside it.
      std::size_t j = i;
      for (std::size_t k = i + 1; k < x.size() && x[k].t_s - x[j].t_s <= settings.touch_s + 1e-9; ++k)
        if (axis_clipped(x[k], a, saturation)) j = k;
      ++result.runs;
      const double run_s = x[j].t_s - x[i].t_s;
      const bool short_enough = run_s <= settings.max_run_s + 1e-9;
      // The widest flanks first (a broad swing peak); a narrow spike is only fitted by the samples next to it.
      bool ok = false;
      for (std::size_t f = flank; short_enough && !ok; f = f > 3 ? std::max<std::size_t>(3, f / 2) : 0) {
        ok = fit_peak(x, a, i, j, f, saturation, fit);
        if (f == 3) break;
      }
      if (!ok && short_enough && run_s <= settings.touch_s + 1e-9) {
        // A peak that only touched the range (a sample or two): what was measured is within a few deg/s of it.
        fit.clear();
        for (std::size_t k = i; k <= j; ++k) fit.push_back(x[k].gyr_rad_s[a]);
        ok = true;
      }
      if (ok) {
        ++result.rebuilt;
        for (std::size_t k = i; k <= j; ++k) {
          x[k].gyr_rad_s[a] = fit[k - i];
          x[k].clipped = static_cast<std::uint8_t>(x[k].clipped & ~(kClipGyrX << a));
          rebuilt[k] |= static_cast<std::uint8_t>(1u << a);
        }
      } else {
        for (std::size_t k = i; k <= j; ++k) still_clipped[k] |= static_cast<std::uint8_t>(1u << a);
      }
      i = j + 1;
    }
  }
  // Mark what was rebuilt only where no gyro axis of the sample is still clipped: such a sample is an estimate;
  // one with an axis left clipped stays clipped (its clip bits are restored, so gyr_clipped keeps counting it).
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!rebuilt[k]) continue;
    if (still_clipped[k]) {
      for (int a = 0; a < 3; ++a)
        if (rebuilt[k] & (1u << a)) x[k].clipped |= static_cast<std::uint8_t>(kClipGyrX << a);
      continue;
    }
    x[k].clipped |= kGyrRebuilt;
    ++result.samples_rebuilt;
  }
  return result;
}

}  // namespace stride
