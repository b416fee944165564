// MountingCalibration::run over a recording that is read block by block instead of held whole: the same steps
// (mounting_calibration_steps.hpp) in passes over the samples, in memory that does not grow with the recording.
//   pass 1: the rest windows (gravity, gyro bias);
//   pass 2: the swing's rates about the bias (the pitch axis) and how many smoothed |w| lie at or below 0.5 rad/s;
//   pass 3, only when fewer than a fifth do: the smoothed |w| near the fifth's value, to find it exactly;
//   last:  the sign vote over the smoothed pitch rate, |w| and ||a| - g| (ZeroPhaseStream: filtfilt to rounding).
// The result equals run()'s (the axis and bias bit for bit; the vote's counts, which only a smoothed value within
// rounding of a threshold could change). Foot placement only: the shank's vote needs the 99th percentile of its
// rate, which this form does not gather (supported() says so).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "analysis/butterworth.hpp"
#include "analysis/mounting_calibration.hpp"
#include "analysis/mounting_calibration_steps.hpp"
#include "analysis/zero_phase_stream.hpp"

namespace stride {

class MountingCalibrationPasses {
 public:
  // `samples`: how many the recording holds (every pass must give all of them, in order).
  MountingCalibrationPasses(const MountingCalibration::Settings& settings, double rate_hz, std::size_t samples);

  static bool supported(const MountingCalibration::Settings& settings) { return !settings.shank; }

  bool done() const { return stage_ == Stage::done; }
  // The samples of the current pass, in order, in blocks of any size.
  void push(std::span<const ImuSample> block);
  // The current pass has given every sample; prepares the next (or the result).
  void end_pass();
  // Valid once done().
  const MountingCalibration::Result& result() const { return r_; }

 private:
  enum class Stage { rest, axis, fifth, vote, done };
  void push_rest(std::span<const ImuSample> block);
  void push_axis(std::span<const ImuSample> block);
  void push_fifth(std::span<const ImuSample> block);
  void push_vote(std::span<const ImuSample> block);
  void vote_ready(bool at_end);
  std::size_t energy_bin(double e) const;

  MountingCalibration::Settings s_;
  double rate_hz_;
  std::size_t n_;
  Stage stage_ = Stage::rest;
  MountingCalibration::Result r_;
  ButterworthLowpass lowpass_;

  // pass 1
  std::size_t window_;
  std::vector<ImuSample> recent_;              // the samples of the windows not yet complete
  std::size_t recent_base_ = 0, seen_ = 0, next_window_ = 0;
  calibration_steps::RestSums rest_;
  Eigen::Vector3d acc_total_ = Eigen::Vector3d::Zero();
  // pass 2
  Eigen::Matrix3d cov_ = Eigen::Matrix3d::Zero();
  std::size_t moving_ = 0;
  Eigen::Vector3d axis_ = Eigen::Vector3d::UnitY();
  std::size_t quiet_count_ = 0;                // smoothed |w| <= 0.5
  std::vector<std::size_t> histogram_;         // smoothed |w| above 0.5, in log-spaced bins
  std::size_t fifth_bin_ = 0, below_bin_ = 0;  // pass 3: the bin holding the fifth, and how many lie below it
  std::vector<double> in_bin_;
  double quiet_ = 0.5;
  // the filters of passes 2-4, and their outputs not yet used
  std::vector<ZeroPhaseStream> filters_;
  std::vector<double> out_pitch_, out_energy_, out_acc_;
  std::vector<double> pitch_lp_, energy_lp_, acc_dev_lp_;  // element k is sample vote_base_ + k
  std::size_t vote_base_ = 0, next_stretch_ = 0;
  calibration_steps::SignVotes votes_;
};

}  // namespace stride
