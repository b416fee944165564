#include "analysis/streaming_events.hpp"

#include <algorithm>
#include <cmath>

namespace stride {
namespace {

// Sub-sample time of a peak from a parabola through the peak sample and its neighbours.
double parabolic_peak_time(const std::vector<ImuSample>& x, const std::vector<double>& v, std::size_t i) {
  if (i == 0 || i + 1 >= v.size()) return x[i].t_s;
  const double denom = v[i - 1] - 2.0 * v[i] + v[i + 1];
  if (denom >= 0.0) return x[i].t_s;
  const double offset = std::clamp(0.5 * (v[i - 1] - v[i + 1]) / denom, -0.5, 0.5);
  const double dt = offset > 0 ? x[i + 1].t_s - x[i].t_s : x[i].t_s - x[i - 1].t_s;
  return x[i].t_s + offset * dt;
}

}  // namespace

StreamingEventDetector::StreamingEventDetector(const ImpactPitchDetector::Settings& s,
                                               const MountingCalibration::Result& m, double rate_hz)
    : s_(s),
      axis_(m.segment_from_sensor.row(1).transpose()),
      bias_(m.gyr_bias_rad_s),
      rate_hz_(rate_hz),
      pitch_lp_({2, std::min(s.midswing_lowpass_hz, 0.4 * rate_hz), rate_hz}),
      energy_lp_({2, std::min(s.stance_lowpass_hz, 0.4 * rate_hz), rate_hz}),
      keep_(static_cast<std::size_t>(2.0 * s.max_cycle_s * rate_hz) + 16) {
  buf_.reserve(2 * keep_ + 1);
  pitch_.reserve(2 * keep_ + 1);
  energy_.reserve(2 * keep_ + 1);
}

void StreamingEventDetector::push(const ImuSample& sample, EventResult& out) {
  const Eigen::Vector3d w = sample.gyr_rad_s - bias_;
  const double pitch = w.dot(axis_);
  const double energy = w.norm();
  if (!started_) {
    pitch_lp_.reset_to(pitch);
    energy_lp_.reset_to(energy);
    started_ = true;
  }
  const double pitch_smooth = pitch_lp_.step(pitch);
  buf_.push_back(sample);
  pitch_.push_back(pitch);
  energy_.push_back(energy_lp_.step(energy));
  const std::size_t now = base_ + buf_.size() - 1;

  // The swing-depth memory decays with a 3 s time constant so that a slower pace is followed.
  swing_peak_ = std::max(-pitch_smooth, swing_peak_ * (1.0 - 1.0 / (3.0 * rate_hz_)));
  const double threshold = std::max(s_.midswing_min_rate_rad_s, s_.midswing_relative * swing_peak_);
  if (pitch_smooth < -threshold) {
    if (!in_swing_ || pitch_smooth < swing_min_value_) swing_min_ = now, swing_min_value_ = pitch_smooth;
    in_swing_ = true;
  } else if (in_swing_ && pitch_smooth > -0.5 * threshold) {
    in_swing_ = false;
    if (!have_last_ms_ || swing_min_ - last_ms_ >= samples_for(s_.min_cycle_s)) on_midswing(swing_min_, out);
  }
  if (ic_pending_ && now >= ic_hi_) {
    emit_ic(last_ms_, ic_hi_, out);
    ic_pending_ = false;
  }
  if (buf_.size() > 2 * keep_) compact();
}

void StreamingEventDetector::on_midswing(std::size_t ms, EventResult& out) {
  if (ic_pending_) {  // the previous window was still open: close it at this mid-swing
    emit_ic(last_ms_, std::min(ic_hi_, ms), out);
    ic_pending_ = false;
  }
  if (have_last_ms_)
    cycle_s_ = std::clamp(buf_[local(ms)].t_s - buf_[local(last_ms_)].t_s, s_.min_cycle_s, s_.max_cycle_s);
  out.midswings.push_back(ms);
  emit_tc(ms, out);
  have_last_ms_ = true;
  last_ms_ = ms;
  ic_pending_ = true;
  ic_hi_ = ms + samples_for(s_.ic_window_share * cycle_s_);
}

// TC before a mid-swing: the quietest point of the preceding stance, then the plantarflexion peak after it.
void StreamingEventDetector::emit_tc(std::size_t ms, EventResult& out) {
  const std::size_t span = samples_for(s_.tc_window_share * cycle_s_);
  // The TC lies between this stride's IC and the mid-swing; only the first one (leaving rest, no IC before it)
  // needs a window of its own.
  const std::size_t from = have_last_ic_ ? last_ic_ + 1 : (ms > span ? ms - span : 0);
  const std::size_t lo = local(std::max(base_, from));
  const std::size_t hi = local(ms);
  if (hi < lo + 3) return;
  const auto quiet =
      s_.shin ? std::min(hi - 1, lo + samples_for(s_.shin_tc_delay_s))
              : static_cast<std::size_t>(std::min_element(energy_.begin() + static_cast<std::ptrdiff_t>(lo),
                                                          energy_.begin() + static_cast<std::ptrdiff_t>(hi)) -
                                         energy_.begin());
  const auto peak = static_cast<std::size_t>(
      std::max_element(pitch_.begin() + static_cast<std::ptrdiff_t>(quiet), pitch_.begin() + static_cast<std::ptrdiff_t>(hi)) -
      pitch_.begin());
  if (peak <= quiet || pitch_[peak] <= 0) return;
  out.events.push_back({EventKind::terminal_contact, parabolic_peak_time(buf_, pitch_, peak), base_ + peak});
  out.tc_rate_rad_s.push_back(pitch_[peak]);
}

// IC after a mid-swing: the largest jump of the specific-force vector between two samples. The ground's force
// starts abruptly while the swing's accelerations are smooth (however large), so the contact lies between the
// two samples of that jump.
void StreamingEventDetector::emit_ic(std::size_t ms, std::size_t hi_global, EventResult& out) {
  const std::size_t lo = local(ms) + 1;
  const std::size_t hi = std::min(local(hi_global), buf_.size() - 1);
  if (hi < lo + 2) return;
  double largest = 0;
  for (std::size_t i = lo; i <= hi; ++i)
    largest = std::max(largest, (buf_[i].acc_mps2 - buf_[i - 1].acc_mps2).squaredNorm());
  // The first jump of comparable size wins: a heel strike is followed by the forefoot's slap, which can jolt as
  // hard, but the contact began with the first.
  const double enough = s_.ic_first_jump_share * s_.ic_first_jump_share * largest;
  std::size_t jump = lo;
  while (jump < hi && (buf_[jump].acc_mps2 - buf_[jump - 1].acc_mps2).squaredNorm() < enough) ++jump;
  const double size = (buf_[jump].acc_mps2 - buf_[jump - 1].acc_mps2).norm();
  const double dt = buf_[jump].t_s - buf_[jump - 1].t_s;
  out.events.push_back({EventKind::initial_contact, 0.5 * (buf_[jump - 1].t_s + buf_[jump].t_s), base_ + jump});
  out.ic_jerk_mps3.push_back(dt > 0 ? size / dt : 0.0);
  have_last_ic_ = true;
  last_ic_ = base_ + jump;
}

void StreamingEventDetector::finish(EventResult& out) {
  if (ic_pending_) emit_ic(last_ms_, std::min(ic_hi_, base_ + buf_.size() - 1), out);
  ic_pending_ = false;
}

// Drops everything older than keep_ samples behind the newest one (amortised O(1) per sample; no allocation).
void StreamingEventDetector::compact() {
  const std::size_t drop = buf_.size() - keep_;
  buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(drop));
  pitch_.erase(pitch_.begin(), pitch_.begin() + static_cast<std::ptrdiff_t>(drop));
  energy_.erase(energy_.begin(), energy_.begin() + static_cast<std::ptrdiff_t>(drop));
  base_ += drop;
}

}  // namespace stride
