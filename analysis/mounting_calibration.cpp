#include "analysis/mounting_calibration.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/butterworth.hpp"
#include "analysis/mounting_calibration_steps.hpp"

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
  namespace steps = calibration_steps;
  Result r;
  const std::size_t n = x.size();
  const std::size_t window = steps::rest_window(s_, rate_hz);
  if (n < 4 * window || rate_hz <= 0.0) {
    r.message = "too few samples to calibrate (" + std::to_string(n) + ")";
    return r;
  }

  // 1. Rest: windows where the gyro does not move and |a| is steady. Gravity and bias come from them.
  steps::RestSums rest;
  for (std::size_t start = 0; start + window <= n; start += window / 2)
    steps::add_rest_window(x.subspan(start, window), s_, rest);
  Eigen::Vector3d acc_total = Eigen::Vector3d::Zero();
  if (rest.samples == 0)
    for (const auto& s : x) acc_total += s.acc_mps2;
  steps::finish_rest(rest, acc_total, rate_hz, s_, r);

  // 2. Pitch axis: the principal axis of the swing's angular rate, made horizontal (perpendicular to up).
  Eigen::Matrix3d cov = Eigen::Matrix3d::Zero();
  std::size_t moving = 0;
  for (const auto& s : x) steps::add_swing_rate(s.gyr_rad_s - r.gyr_bias_rad_s, s_, cov, moving);
  Eigen::Vector3d axis;
  if (!steps::finish_axis(cov, moving, s_, r, axis)) return r;

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
  const ButterworthLowpass lp(steps::vote_lowpass(rate_hz));
  lp.filtfilt(pitch, pitch_lp);
  lp.filtfilt(energy, energy_lp);
  steps::SignVotes votes;
  if (s_.shank) {
    shank_sign_votes(pitch_lp, votes.plus, votes.minus);
  } else {
    // One vote per stride: the quietest point of each 0.4 s stretch, when among the quietest fifth of the
    // recording, is a stance (steps::vote_stretch).
    std::vector<double> sorted = energy_lp;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 5), sorted.end());
    // Stance is at least a fifth of any gait; rests would make that fifth too strict for a walking stance.
    const double quiet = steps::quiet_energy(sorted[n / 5]);
    // A quiet gyroscope alone also happens in the swing, where the pitch rate turns; a still foot also reads 1 g.
    std::vector<double> acc_dev(n), acc_dev_lp(n);
    for (std::size_t i = 0; i < n; ++i) acc_dev[i] = std::abs(x[i].acc_mps2.norm() - r.gravity_mps2);
    lp.filtfilt(acc_dev, acc_dev_lp);
    const steps::VoteSignals signals{pitch_lp, energy_lp, acc_dev_lp, 0};
    const std::size_t stretch = steps::vote_stretch_samples(rate_hz);
    for (std::size_t start = 0; start + stretch <= n; start += stretch)
      steps::vote_stretch(signals, start, n, quiet, rate_hz, votes);
  }
  steps::finish_sign(votes, axis, r);
  return r;
}

namespace calibration_steps {

std::size_t rest_window(const MountingCalibration::Settings& s, double rate_hz) {
  return static_cast<std::size_t>(std::max(4.0, s.rest_window_s * rate_hz));
}

void add_rest_window(std::span<const ImuSample> x, const MountingCalibration::Settings& s, RestSums& sums) {
  Eigen::Vector3d gmean = Eigen::Vector3d::Zero(), amean = Eigen::Vector3d::Zero();
  double norm_sum = 0, norm_sq = 0;
  for (const auto& v : x) {
    gmean += v.gyr_rad_s;
    amean += v.acc_mps2;
    const double an = v.acc_mps2.norm();
    norm_sum += an;
    norm_sq += an * an;
  }
  const double w = static_cast<double>(x.size());
  gmean /= w;
  amean /= w;
  const double std_norm = std::sqrt(std::max(0.0, norm_sq / w - (norm_sum / w) * (norm_sum / w)));
  if (std_norm > s.rest_acc_std_mps2) return;
  bool still = true;
  for (std::size_t i = 0; i < x.size() && still; ++i)
    still = (x[i].gyr_rad_s - gmean).cwiseAbs().maxCoeff() < s.rest_gyr_dev_rad_s;
  if (!still || std::abs(amean.norm() - 9.80665) > 1.5) return;
  sums.acc += amean * w;
  sums.gyr += gmean * w;
  sums.samples += x.size();
}

void finish_rest(const RestSums& sums, const Eigen::Vector3d& acc_total, double rate_hz,
                 const MountingCalibration::Settings& s, MountingCalibration::Result& r) {
  // Overlapping windows count twice; halve to report seconds of rest.
  r.rest_s = 0.5 * static_cast<double>(sums.samples) / rate_hz;
  if (sums.samples > 0) {
    r.up_sensor = (sums.acc / static_cast<double>(sums.samples)).normalized();
    r.gravity_mps2 = (sums.acc / static_cast<double>(sums.samples)).norm();
  } else {
    // No rest: the mean specific force over whole strides points up on average (the foot returns to flat).
    r.up_sensor = acc_total.normalized();
    r.message = "no rest found: gravity taken from the mean over all samples; ";
  }
  if (r.rest_s >= s.min_rest_for_bias_s) {
    r.gyr_bias_rad_s = sums.gyr / static_cast<double>(sums.samples);
    r.bias_from_rest = true;
  } else {
    r.message += "less than " + std::to_string(s.min_rest_for_bias_s) + " s of rest: gyro bias not removed; ";
  }
}

bool finish_axis(const Eigen::Matrix3d& cov, std::size_t moving, const MountingCalibration::Settings& s,
                 MountingCalibration::Result& r, Eigen::Vector3d& axis) {
  if (moving < 10) {
    r.message += "no swing motion found (|w| never above " + std::to_string(s.moving_gyr_rad_s) + " rad/s)";
    return false;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(cov);
  axis = eig.eigenvectors().col(2);
  r.pitch_share = eig.eigenvalues()(2) / eig.eigenvalues().sum();
  r.pitch_axis_tilt_deg = std::asin(std::clamp(std::abs(axis.dot(r.up_sensor)), 0.0, 1.0)) * 180.0 / std::numbers::pi;
  axis = (axis - axis.dot(r.up_sensor) * r.up_sensor).normalized();
  return true;
}

ButterworthLowpass::Settings vote_lowpass(double rate_hz) { return {2, std::min(8.0, 0.4 * rate_hz), rate_hz}; }

std::size_t vote_stretch_samples(double rate_hz) {
  return std::max<std::size_t>(4, static_cast<std::size_t>(0.4 * rate_hz));
}

std::size_t vote_longest_samples(double rate_hz) {
  return std::max<std::size_t>(4, static_cast<std::size_t>(kMaxCycle_s * rate_hz));
}

// The pitch angle integrated from the stretch's quietest point until the foot is quiet again (at most
// vote_longest_samples) gives the sign of its largest excursion, if that is at least kMinToeOff_rad (smaller: a rest
// or a fidget, no step).
void vote_stretch(const VoteSignals& x, std::size_t start, std::size_t n, double quiet, double rate_hz,
                  SignVotes& votes) {
  const std::size_t stretch = vote_stretch_samples(rate_hz), longest = vote_longest_samples(rate_hz);
  const auto energy = [&](std::size_t i) { return x.energy_lp[i - x.base]; };
  const auto is_quiet = [&](std::size_t i) { return energy(i) <= quiet && x.acc_dev_lp[i - x.base] <= 1.5; };
  const auto from = x.energy_lp.begin() + static_cast<std::ptrdiff_t>(start - x.base);
  const auto q = start + static_cast<std::size_t>(std::min_element(from, from + static_cast<std::ptrdiff_t>(stretch)) - from);
  if (!is_quiet(q) || q < votes.last_vote_end) return;
  const std::size_t end = std::min(n, q + longest);
  double angle = 0, extreme = 0;
  std::size_t at = q;
  bool moved = false;
  for (std::size_t i = q; i < end; ++i) {
    angle += x.pitch_lp[i - x.base] / rate_hz;
    if (std::abs(angle) > std::abs(extreme)) extreme = angle, at = i;
    moved = moved || !is_quiet(i);
    if (moved && is_quiet(i) && std::abs(extreme) >= kMinToeOff_rad) break;  // the next stance
  }
  if (std::abs(extreme) < kMinToeOff_rad) return;  // a rest, not a stance before a swing
  (extreme > 0 ? votes.plus : votes.minus)++;
  votes.last_vote_end = at;
}

bool finish_sign(const SignVotes& votes, Eigen::Vector3d axis, MountingCalibration::Result& r) {
  if (votes.plus + votes.minus == 0) {
    r.message += "no stance-to-swing transition found: pitch sign unknown";
    return false;
  }
  if (votes.minus > votes.plus) axis = -axis;
  r.sign_vote = static_cast<double>(std::max(votes.plus, votes.minus)) / (votes.plus + votes.minus);
  const Eigen::Vector3d left = axis;
  const Eigen::Vector3d forward = left.cross(r.up_sensor);
  r.segment_from_sensor.row(0) = forward.transpose();
  r.segment_from_sensor.row(1) = left.transpose();
  r.segment_from_sensor.row(2) = r.up_sensor.transpose();
  r.ok = true;
  return true;
}

}  // namespace calibration_steps

}  // namespace stride
