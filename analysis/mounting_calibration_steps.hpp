// The stages of MountingCalibration::run, one piece of work each, so that the whole-recording form (run) and the
// form that reads a recording block by block in several passes (mounting_calibration_passes.hpp) share every
// formula and give the same result. Internal to analysis/.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <span>

#include "analysis/butterworth.hpp"
#include "analysis/mounting_calibration.hpp"

namespace stride::calibration_steps {

// The sign vote follows the foot from a quiet stance for at most this long (the slowest strides, ~2.5 s) and needs a
// pitch excursion of at least this much (toe-offs are 10 deg in a shuffle, 35-60 deg in running and walking).
inline constexpr double kMaxCycle_s = 2.5;
inline constexpr double kMinToeOff_rad = 0.08;  // 4.6 deg

// Samples per rest window.
std::size_t rest_window(const MountingCalibration::Settings& s, double rate_hz);

// 1. Rest: what the rest windows add up to.
struct RestSums {
  Eigen::Vector3d acc = Eigen::Vector3d::Zero(), gyr = Eigen::Vector3d::Zero();
  std::size_t samples = 0;
};
// Adds one window (rest_window samples) when the sensor rests in it.
void add_rest_window(std::span<const ImuSample> window, const MountingCalibration::Settings& s, RestSums& sums);
// Up, gravity and the gyro bias from the rests; `acc_total` (the sum of every sample's specific force, in order) is
// the fallback for up when there was no rest.
void finish_rest(const RestSums& sums, const Eigen::Vector3d& acc_total, double rate_hz,
                 const MountingCalibration::Settings& s, MountingCalibration::Result& r);

// 2. Pitch axis: the swing's angular rates (bias removed) that are fast enough.
inline void add_swing_rate(const Eigen::Vector3d& w, const MountingCalibration::Settings& s, Eigen::Matrix3d& cov,
                           std::size_t& moving) {
  if (w.norm() < s.moving_gyr_rad_s) return;
  cov += w * w.transpose();
  ++moving;
}
// The principal axis made horizontal; false (with r.message) when there was too little swing.
bool finish_axis(const Eigen::Matrix3d& cov, std::size_t moving, const MountingCalibration::Settings& s,
                 MountingCalibration::Result& r, Eigen::Vector3d& axis);

// 3. Sign. The low-pass of the pitch rate, |w| and ||a| - g| before the vote.
ButterworthLowpass::Settings vote_lowpass(double rate_hz);
// Below this smoothed |w| a sample may be a stance; `fifth` = the (n / 5)-th smallest smoothed |w|.
inline double quiet_energy(double fifth) { return fifth > 0.5 ? fifth : 0.5; }
std::size_t vote_stretch_samples(double rate_hz);   // one vote looks for its stance in each stretch this long
std::size_t vote_longest_samples(double rate_hz);   // ... and follows it for at most this many samples

struct SignVotes {
  int plus = 0, minus = 0;
  std::size_t last_vote_end = 0;
};
// The smoothed signals; element k is sample `base` + k. A vote reads from `start` to at most start + stretch +
// longest (clamped to n).
struct VoteSignals {
  std::span<const double> pitch_lp, energy_lp, acc_dev_lp;
  std::size_t base = 0;
};
// The foot's vote in the stretch [start, start + stretch).
void vote_stretch(const VoteSignals& x, std::size_t start, std::size_t n, double quiet, double rate_hz,
                  SignVotes& votes);
// Turns the votes into the sign of the axis and the frame; false (with r.message) when nothing voted.
bool finish_sign(const SignVotes& votes, Eigen::Vector3d axis, MountingCalibration::Result& r);

}  // namespace stride::calibration_steps
