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

// The shin never rests in stance, so the foot's rule (the first rotation after a quiet stance) has nothing to
// start from, and with short contacts it split 50/50. The shank's fastest rotation in every stride is instead the
// forward swing of the lower leg before IC (the ankle overtaking the knee, ~10 rad/s when running, against
// ~5 rad/s for the knee-flexion surge after toe-off and ~3 rad/s rolling over the foot in stance); the shank-
// gyroscope event methods build on that same mid-swing peak (Aminian et al. 2002, Salarian et al. 2004). With y to
// the left that swing is negative (knee ahead of the ankle positive, as for the foot's plantarflexion). One vote per
// excursion beyond 80 % of the strongest rates (the 99th percentile of |rate|): at 60 % the knee-flexion surge
// also voted, and the share fell to 0.55 on the simulator at 0.2 s contacts (right, but not confidently).
void shank_sign_votes(const std::vector<double>& pitch_lp, int& plus, int& minus) {
  std::vector<double> magnitude(pitch_lp.size());
  for (std::size_t i = 0; i < pitch_lp.size(); ++i) magnitude[i] = std::abs(pitch_lp[i]);
  const auto p99 = magnitude.begin() + static_cast<std::ptrdiff_t>(magnitude.size() * 99 / 100);
  std::nth_element(magnitude.begin(), p99, magnitude.end());
  const double threshold = 0.8 * *p99;
  if (!(threshold > 0)) return;
  int sign = 0;  // of the excursion in progress
  for (double r : pitch_lp) {
    const int now = r > threshold ? 1 : r < -threshold ? -1 : 0;
    if (now != 0 && now != sign) (now < 0 ? plus : minus)++;  // a negative swing peak means the axis is right
    sign = now;
  }
}

// The sign vote follows the foot from a quiet stance for at most this long (the slowest strides, ~2.5 s) and needs a
// pitch excursion of at least this much (toe-offs are 10 deg in a shuffle, 35-60 deg in running and walking).
constexpr double kMaxCycle_s = 2.5;
constexpr double kMinToeOff_rad = 0.08;  // 4.6 deg

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

  // 3. Sign: from a quiet (flat) stance the foot's pitch, integrated, reaches its largest excursion at toe-off, toe
  //    down: call that direction positive (plantarflexion), which with y to the left is the right-hand rule about +y.
  //    Vote over every stance->swing transition. Why the angle and not the rate: the toe-off angle (-10 to -60 deg)
  //    exceeds the foot-strike angle (+25 to -10 deg) in every gait, but in slow, shuffling steps the push-off's
  //    rate is smaller than the swing's dorsiflexion rate, so "the first large rate" voted the wrong way (50 % on
  //    the simulator with 10 deg toe-offs, as on real slow walks) and turned the whole analysis upside down.
  std::vector<double> pitch(n), energy(n), pitch_lp(n), energy_lp(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d w = x[i].gyr_rad_s - r.gyr_bias_rad_s;
    pitch[i] = w.dot(axis);
    energy[i] = w.norm();
  }
  ButterworthLowpass lp({2, std::min(8.0, 0.4 * rate_hz), rate_hz});
  lp.filtfilt(pitch, pitch_lp);
  lp.filtfilt(energy, energy_lp);
  // One vote per stride: the quietest point of each 0.4 s stretch, when among the quietest fifth of the recording, is
  // a stance; the pitch angle integrated from there until the foot is quiet again (at most kMaxCycle_s) gives the sign
  // of its largest excursion, if that is at least kMinToeOff_rad (smaller: a rest or a fidget, no step).
  std::vector<double> sorted = energy_lp;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 5), sorted.end());
  // Stance is at least a fifth of any gait; rests would make that fifth too strict for a walking stance.
  const double quiet_energy = std::max(0.5, sorted[n / 5]);
  // A quiet gyroscope alone also happens in the swing, where the pitch rate turns; a still foot also reads 1 g.
  std::vector<double> acc_dev(n), acc_dev_lp(n);
  for (std::size_t i = 0; i < n; ++i) acc_dev[i] = std::abs(x[i].acc_mps2.norm() - r.gravity_mps2);
  lp.filtfilt(acc_dev, acc_dev_lp);
  const auto stretch = std::max<std::size_t>(4, static_cast<std::size_t>(0.4 * rate_hz));
  const auto longest = std::max<std::size_t>(4, static_cast<std::size_t>(kMaxCycle_s * rate_hz));
  const auto is_quiet = [&](std::size_t i) { return energy_lp[i] <= quiet_energy && acc_dev_lp[i] <= 1.5; };
  int plus = 0, minus = 0;
  std::size_t last_vote_end = 0;
  if (s_.shank) {
    shank_sign_votes(pitch_lp, plus, minus);
  } else {
    for (std::size_t start = 0; start + stretch <= n; start += stretch) {
      const auto q = static_cast<std::size_t>(
          std::min_element(energy_lp.begin() + static_cast<std::ptrdiff_t>(start),
                           energy_lp.begin() + static_cast<std::ptrdiff_t>(start + stretch)) - energy_lp.begin());
      if (!is_quiet(q) || q < last_vote_end) continue;
      const std::size_t end = std::min(n, q + longest);
      double angle = 0, extreme = 0;
      std::size_t at = q;
      bool moved = false;
      for (std::size_t i = q; i < end; ++i) {
        angle += pitch_lp[i] / rate_hz;
        if (std::abs(angle) > std::abs(extreme)) extreme = angle, at = i;
        moved = moved || !is_quiet(i);
        if (moved && is_quiet(i) && std::abs(extreme) >= kMinToeOff_rad) break;  // the next stance
      }
      if (std::abs(extreme) < kMinToeOff_rad) continue;  // a rest, not a stance before a swing
      (extreme > 0 ? plus : minus)++;
      last_vote_end = at;
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
