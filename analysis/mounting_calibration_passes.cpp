#include "analysis/mounting_calibration_passes.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stride {
namespace steps = calibration_steps;
namespace {

// Smoothed |w| above 0.5 rad/s goes into log-spaced bins up to 200 rad/s (beyond: the last bin); only the bin that
// holds the fifth is read again, exactly.
constexpr std::size_t kBins = 4096;
constexpr double kBinFloor_rad_s = 0.5, kBinSpan = 400.0;

// The smoothing filters' backward passes settle over this long and emit up to two blocks at a time: each value
// costs (settle + 2 blocks) / (2 blocks) backward steps, 1.25 with 4-s blocks (1-s blocks: 2); ~0.5 MB in all at 1 kHz.
constexpr double kSettle_s = 2.0, kBlock_s = 4.0;

}  // namespace

MountingCalibrationPasses::MountingCalibrationPasses(const MountingCalibration::Settings& settings, double rate_hz,
                                                     std::size_t samples)
    : s_(settings), rate_hz_(rate_hz), n_(samples),
      lowpass_(steps::vote_lowpass(rate_hz > 0 ? rate_hz : 1.0)) {
  MountingCalibration check(settings);  // the settings' own checks
  if (!supported(settings))
    throw std::invalid_argument("MountingCalibrationPasses: shank placement is not supported (use run())");
  window_ = steps::rest_window(s_, rate_hz_);
  if (n_ < 4 * window_ || rate_hz_ <= 0.0) {
    r_.message = "too few samples to calibrate (" + std::to_string(n_) + ")";
    stage_ = Stage::done;
  }
  recent_.reserve(2 * window_);
}

void MountingCalibrationPasses::push(std::span<const ImuSample> block) {
  switch (stage_) {
    case Stage::rest: return push_rest(block);
    case Stage::axis: return push_axis(block);
    case Stage::fifth: return push_fifth(block);
    case Stage::vote: return push_vote(block);
    case Stage::done: return;
  }
}

// Windows of window_ samples every window_ / 2, as run() takes them.
void MountingCalibrationPasses::push_rest(std::span<const ImuSample> block) {
  for (const auto& s : block) {
    acc_total_ += s.acc_mps2;
    recent_.push_back(s);
    ++seen_;
    while (next_window_ + window_ <= seen_) {
      steps::add_rest_window(std::span<const ImuSample>(recent_).subspan(next_window_ - recent_base_, window_), s_,
                             rest_);
      next_window_ += window_ / 2;
    }
    if (next_window_ - recent_base_ >= window_) {  // drop what no window will read again
      const std::size_t drop = next_window_ - recent_base_;
      recent_.erase(recent_.begin(), recent_.begin() + static_cast<std::ptrdiff_t>(drop));
      recent_base_ += drop;
    }
  }
}

std::size_t MountingCalibrationPasses::energy_bin(double e) const {
  const double at = std::log(e / kBinFloor_rad_s) / std::log(kBinSpan) * static_cast<double>(kBins);
  return at >= static_cast<double>(kBins - 1) ? kBins - 1 : static_cast<std::size_t>(std::max(0.0, at));
}

void MountingCalibrationPasses::push_axis(std::span<const ImuSample> block) {
  for (const auto& s : block) {
    const Eigen::Vector3d w = s.gyr_rad_s - r_.gyr_bias_rad_s;
    steps::add_swing_rate(w, s_, cov_, moving_);
    out_energy_.clear();
    filters_[0].push(w.norm(), out_energy_);
    for (double e : out_energy_) {
      if (e <= kBinFloor_rad_s) ++quiet_count_;
      else ++histogram_[energy_bin(e)];
    }
  }
}

void MountingCalibrationPasses::push_fifth(std::span<const ImuSample> block) {
  for (const auto& s : block) {
    out_energy_.clear();
    filters_[0].push((s.gyr_rad_s - r_.gyr_bias_rad_s).norm(), out_energy_);
    for (double e : out_energy_)
      if (e > kBinFloor_rad_s && energy_bin(e) == fifth_bin_) in_bin_.push_back(e);
  }
}

void MountingCalibrationPasses::push_vote(std::span<const ImuSample> block) {
  for (const auto& s : block) {
    const Eigen::Vector3d w = s.gyr_rad_s - r_.gyr_bias_rad_s;
    out_pitch_.clear(), out_energy_.clear(), out_acc_.clear();
    filters_[0].push(w.dot(axis_), out_pitch_);
    filters_[1].push(w.norm(), out_energy_);
    filters_[2].push(std::abs(s.acc_mps2.norm() - r_.gravity_mps2), out_acc_);
    if (out_pitch_.empty()) continue;
    pitch_lp_.insert(pitch_lp_.end(), out_pitch_.begin(), out_pitch_.end());
    energy_lp_.insert(energy_lp_.end(), out_energy_.begin(), out_energy_.end());
    acc_dev_lp_.insert(acc_dev_lp_.end(), out_acc_.begin(), out_acc_.end());
    vote_ready(false);
  }
}

// Votes every stretch whose look-ahead has arrived, then drops what no later stretch reads.
void MountingCalibrationPasses::vote_ready(bool at_end) {
  const std::size_t stretch = steps::vote_stretch_samples(rate_hz_);
  const std::size_t longest = steps::vote_longest_samples(rate_hz_);
  const std::size_t have = vote_base_ + energy_lp_.size();
  const steps::VoteSignals x{pitch_lp_, energy_lp_, acc_dev_lp_, vote_base_};
  while (next_stretch_ + stretch <= n_ && (at_end || have >= std::min(n_, next_stretch_ + stretch + longest))) {
    steps::vote_stretch(x, next_stretch_, n_, quiet_, rate_hz_, votes_);
    next_stretch_ += stretch;
  }
  const std::size_t drop = next_stretch_ - vote_base_;
  if (drop >= 4 * (stretch + longest)) {  // now and then, not per sample
    for (auto* v : {&pitch_lp_, &energy_lp_, &acc_dev_lp_}) v->erase(v->begin(), v->begin() + static_cast<std::ptrdiff_t>(drop));
    vote_base_ += drop;
  }
}

void MountingCalibrationPasses::end_pass() {
  const auto settle = static_cast<std::size_t>(kSettle_s * rate_hz_) + lowpass_.pad_length();
  const auto block = std::max<std::size_t>(1, static_cast<std::size_t>(kBlock_s * rate_hz_));
  const auto fresh_filters = [&](std::size_t k) { filters_.assign(k, ZeroPhaseStream(lowpass_, settle, block)); };
  switch (stage_) {
    case Stage::rest:
      if (seen_ != n_)
        throw std::logic_error("MountingCalibrationPasses: the pass gave " + std::to_string(seen_) + " samples, not " +
                               std::to_string(n_));
      steps::finish_rest(rest_, acc_total_, rate_hz_, s_, r_);
      recent_ = {};
      stage_ = Stage::axis;
      fresh_filters(1);
      histogram_.assign(kBins, 0);
      return;
    case Stage::axis: {
      out_energy_.clear();
      filters_[0].finish(out_energy_);
      for (double e : out_energy_) {
        if (e <= kBinFloor_rad_s) ++quiet_count_;
        else ++histogram_[energy_bin(e)];
      }
      if (!steps::finish_axis(cov_, moving_, s_, r_, axis_)) {
        stage_ = Stage::done;
        return;
      }
      const std::size_t k = n_ / 5;  // run(): sorted[n / 5] after nth_element
      if (quiet_count_ > k) {        // the fifth is at most 0.5: quiet_energy gives 0.5
        stage_ = Stage::vote;
        fresh_filters(3);
        return;
      }
      std::size_t below = quiet_count_;
      for (fifth_bin_ = 0; fifth_bin_ + 1 < kBins && below + histogram_[fifth_bin_] <= k; ++fifth_bin_)
        below += histogram_[fifth_bin_];
      below_bin_ = below;
      in_bin_.reserve(histogram_[fifth_bin_]);
      stage_ = Stage::fifth;
      fresh_filters(1);
      return;
    }
    case Stage::fifth: {
      out_energy_.clear();
      filters_[0].finish(out_energy_);
      for (double e : out_energy_)
        if (e > kBinFloor_rad_s && energy_bin(e) == fifth_bin_) in_bin_.push_back(e);
      const std::size_t at = n_ / 5 - below_bin_;
      if (at < in_bin_.size()) {
        std::nth_element(in_bin_.begin(), in_bin_.begin() + static_cast<std::ptrdiff_t>(at), in_bin_.end());
        quiet_ = steps::quiet_energy(in_bin_[at]);
      }
      in_bin_ = {};
      stage_ = Stage::vote;
      fresh_filters(3);
      return;
    }
    case Stage::vote: {
      out_pitch_.clear(), out_energy_.clear(), out_acc_.clear();
      filters_[0].finish(out_pitch_);
      filters_[1].finish(out_energy_);
      filters_[2].finish(out_acc_);
      pitch_lp_.insert(pitch_lp_.end(), out_pitch_.begin(), out_pitch_.end());
      energy_lp_.insert(energy_lp_.end(), out_energy_.begin(), out_energy_.end());
      acc_dev_lp_.insert(acc_dev_lp_.end(), out_acc_.begin(), out_acc_.end());
      vote_ready(true);
      steps::finish_sign(votes_, axis_, r_);
      filters_.clear();
      pitch_lp_ = {}, energy_lp_ = {}, acc_dev_lp_ = {};
      stage_ = Stage::done;
      return;
    }
    case Stage::done: return;
  }
}

}  // namespace stride
