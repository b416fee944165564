#include "analysis/mounting_calibration.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/butterworth.hpp"

namespace stride {
namespace {

void require_positive(double v, const char* name) {
  if (!(v > 0.0)) throw std::invalid_argument(std::string("MountingCalibration: ") + name + " = " +
                                              std::to_string(v) + " must be > 0");
}

}  // namespace

MountingCalibration::MountingCalibration() : MountingCalibration(Settings{}) {}

MountingCalibration::MountingCalibration(const Settings& s) : s_(s) {
  require_positive(s.rest_window_s, "rest_window_s");
  require_positive(s.rest_gyr_dev_rad_s, "rest_gyr_dev_rad_s");
  require_positive(s.rest_acc_std_mps2, "rest_acc_std_mps2");
  require_positive(s.min_rest_for_bias_s, "min_rest_for_bias_s");
  require_positive(s.moving_gyr_rad_s, "moving_gyr_rad_s");
}

MountingCalibration::Result MountingCalibration::run(std::span<const ImuSample> x, double rate_hz) const {
  Result r;
  const std::size_t n = x.size();
  const auto window = static_cast<std::size_t>(std::max(4.0, s_.rest_window_s * rate_hz));
  if (n < 4 * window || rate_hz <= 0.0) {
    r.message = "too few samples to calibrate (" + std::to_string(n) + ")";
    return r;
  }

  // 1. Rest: windows where the gyro does not move and |a| is steady. Gravity and bias come from them.
  Eigen::Vector3d acc_sum = Eigen::Vector3d::Zero(), gyr_sum = Eigen::Vector3d::Zero();
  std::size_t rest_samples = 0;
  for (std::size_t start = 0; start + window <= n; start += window / 2) {
    Eigen::Vector3d gmean = Eigen::Vector3d::Zero(), amean = Eigen::Vector3d::Zero();
    double norm_sum = 0, norm_sq = 0;
    for (std::size_t i = start; i < start + window; ++i) {
      gmean += x[i].gyr_rad_s;
      amean += x[i].acc_mps2;
      const double an = x[i].acc_mps2.norm();
      norm_sum += an;
      norm_sq += an * an;
    }
    const double w = static_cast<double>(window);
    gmean /= w;
    amean /= w;
    const double std_norm = std::sqrt(std::max(0.0, norm_sq / w - (norm_sum / w) * (norm_sum / w)));
    if (std_norm > s_.rest_acc_std_mps2) continue;
    bool still = true;
    for (std::size_t i = start; i < start + window && still; ++i)
      still = (x[i].gyr_rad_s - gmean).cwiseAbs().maxCoeff() < s_.rest_gyr_dev_rad_s;
    if (!still || std::abs(amean.norm() - 9.80665) > 1.5) continue;
    acc_sum += amean * w;
    gyr_sum += gmean * w;
    rest_samples += window;
  }
  // Overlapping windows count twice; halve to report seconds of rest.
  r.rest_s = 0.5 * static_cast<double>(rest_samples) / rate_hz;
  if (rest_samples > 0) {
    r.up_sensor = (acc_sum / static_cast<double>(rest_samples)).normalized();
    r.gravity_mps2 = (acc_sum / static_cast<double>(rest_samples)).norm();
  } else {
    // No rest: the mean specific force over whole strides points up on average (the foot returns to flat).
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    for (const auto& s : x) mean += s.acc_mps2;
    r.up_sensor = mean.normalized();
    r.message = "no rest found: gravity taken from the mean over all samples; ";
  }
  if (r.rest_s >= s_.min_rest_for_bias_s) {
    r.gyr_bias_rad_s = gyr_sum / static_cast<double>(rest_samples);
    r.bias_from_rest = true;
  } else {
    r.message += "less than " + std::to_string(s_.min_rest_for_bias_s) + " s of rest: gyro bias not removed; ";
  }

  // 2. Pitch axis: the principal axis of the swing's angular rate, made horizontal (perpendicular to up).
  Eigen::Matrix3d cov = Eigen::Matrix3d::Zero();
  std::size_t moving = 0;
  for (const auto& s : x) {
    const Eigen::Vector3d w = s.gyr_rad_s - r.gyr_bias_rad_s;
    if (w.norm() < s_.moving_gyr_rad_s) continue;
    cov += w * w.transpose();
    ++moving;
  }
  if (moving < 10) {
    r.message += "no swing motion found (|w| never above " + std::to_string(s_.moving_gyr_rad_s) + " rad/s)";
    return r;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(cov);
  Eigen::Vector3d axis = eig.eigenvectors().col(2);
  r.pitch_share = eig.eigenvalues()(2) / eig.eigenvalues().sum();
  r.pitch_axis_tilt_deg = std::asin(std::clamp(std::abs(axis.dot(r.up_sensor)), 0.0, 1.0)) * 180.0 / std::numbers::pi;
  axis = (axis - axis.dot(r.up_sensor) * r.up_sensor).normalized();

  // 3. Sign: leaving a quiet stance, the foot first plantarflexes (heel rise, toe down): call that positive,
  //    which with y to the left is the right-hand rule about +y. Vote over every stance->swing transition.
  std::vector<double> pitch(n), energy(n), pitch_lp(n), energy_lp(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d w = x[i].gyr_rad_s - r.gyr_bias_rad_s;
    pitch[i] = w.dot(axis);
    energy[i] = w.norm();
  }
  ButterworthLowpass lp({2, std::min(8.0, 0.4 * rate_hz), rate_hz});
  lp.filtfilt(pitch, pitch_lp);
  lp.filtfilt(energy, energy_lp);
  std::vector<double> sorted = energy_lp;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 5), sorted.end());
  const double quiet = std::max(0.3, 1.5 * sorted[n / 5]);
  double peak = 0;
  for (double v : pitch_lp) peak = std::max(peak, std::abs(v));
  const double active = 0.3 * peak;
  const auto min_quiet = static_cast<std::size_t>(0.04 * rate_hz) + 1;
  int plus = 0, minus = 0;
  std::size_t quiet_run = 0;
  bool armed = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (energy_lp[i] < quiet) {
      if (++quiet_run >= min_quiet) armed = true;
      continue;
    }
    quiet_run = 0;
    if (armed && std::abs(pitch_lp[i]) > active) {
      (pitch_lp[i] > 0 ? plus : minus)++;
      armed = false;
    }
  }
  if (plus + minus == 0) {
    r.message += "no stance-to-swing transition found: pitch sign unknown";
    return r;
  }
  if (minus > plus) axis = -axis;
  r.sign_vote = static_cast<double>(std::max(plus, minus)) / (plus + minus);

  const Eigen::Vector3d left = axis;
  const Eigen::Vector3d forward = left.cross(r.up_sensor);
  r.segment_from_sensor.row(0) = forward.transpose();
  r.segment_from_sensor.row(1) = left.transpose();
  r.segment_from_sensor.row(2) = r.up_sensor.transpose();
  r.ok = true;
  return r;
}

}  // namespace stride
