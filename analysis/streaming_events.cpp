#include "analysis/streaming_events.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "analysis/impact_jump_noise.hpp"

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

// Sub-sample time of a peak from the cubic through four samples: the peak sample, both neighbours and the next
// sample on the higher neighbour's side. The plantarflexion-rate peak at toe-off rises slowly and falls fast; a
// parabola through three samples puts such a peak early (5.5 ms at 100 Hz in simulated walking), the cubic follows
// the asymmetry (4.3 ms). The parabola again when the cubic has no maximum within a sample of the peak sample.
// `cubic` (if given) says whether the cubic placed it.
double cubic_peak_time(const std::vector<ImuSample>& x, const std::vector<double>& v, std::size_t i,
                       bool* cubic = nullptr) {
  if (cubic) *cubic = false;
  if (i < 2 || i + 2 >= v.size()) return parabolic_peak_time(x, v, i);
  const std::size_t a = v[i + 1] > v[i - 1] ? i - 1 : i - 2;  // the four samples are a .. a + 3
  const double y0 = v[a], y1 = v[a + 1], y2 = v[a + 2], y3 = v[a + 3];
  // p(u) = y0 + c1 u + c2 u^2 + c3 u^3 through u = 0, 1, 2, 3; its maxima solve c1 + 2 c2 u + 3 c3 u^2 = 0.
  const double c3 = (-y0 + 3 * y1 - 3 * y2 + y3) / 6.0;
  const double c2 = (2 * y0 - 5 * y1 + 4 * y2 - y3) / 2.0;
  const double c1 = (-11 * y0 + 18 * y1 - 9 * y2 + 2 * y3) / 6.0;
  const double ui = static_cast<double>(i - a);
  bool found = false;
  double best = ui;
  const auto consider = [&](double u) {
    if (2 * c2 + 6 * c3 * u >= 0 || std::abs(u - ui) > 1.0) return;  // not a maximum, or too far
    if (!found || std::abs(u - ui) < std::abs(best - ui)) best = u, found = true;
  };
  if (std::abs(c3) < 1e-12) {
    if (std::abs(c2) > 1e-12) consider(-c1 / (2 * c2));
  } else if (const double d = c2 * c2 - 3 * c3 * c1; d >= 0) {
    consider((-c2 + std::sqrt(d)) / (3 * c3));
    consider((-c2 - std::sqrt(d)) / (3 * c3));
  }
  if (!found) return parabolic_peak_time(x, v, i);
  if (cubic) *cubic = true;
  return x[a].t_s + best * (x[a + 3].t_s - x[a].t_s) / 3.0;
}

// Sub-sample time of a minimum of v (v[k] belongs to sample first + k), from a parabola through its neighbours.
double parabolic_minimum_time(const std::vector<ImuSample>& x, std::span<const double> v, std::size_t first,
                              std::size_t k) {
  if (k == 0 || k + 1 >= v.size()) return x[first + k].t_s;
  const double denom = v[k - 1] - 2.0 * v[k] + v[k + 1];
  if (denom <= 0.0) return x[first + k].t_s;
  const double offset = std::clamp(0.5 * (v[k - 1] - v[k + 1]) / denom, -0.5, 0.5);
  const std::size_t i = first + k;
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
  smooth_.reserve(keep_);
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
    // A "swing" whose deepest point has left the window (longer than two of the longest cycles) is no swing.
    if (swing_min_ >= base_ && (!have_last_ms_ || swing_min_ - last_ms_ >= samples_for(s_.min_cycle_s)) &&
        foot_moved_around(swing_min_))
      on_midswing(swing_min_, out);
  }
  if (ic_pending_ && now >= ic_hi_) {
    emit_ic(last_ms_, ic_hi_, out);
    ic_pending_ = false;
  }
  if (buf_.size() > 2 * keep_) compact();
}

// The span of the specific-force vector (diagonal of its per-axis range) within +-midswing_motion_window_s of a
// mid-swing candidate, as far as the window holds samples: a swing tilts and accelerates the foot, a foot rocking on
// the ground does neither.
bool StreamingEventDetector::foot_moved_around(std::size_t ms) const {
  const std::size_t half = samples_for(s_.midswing_motion_window_s);
  const std::size_t lo = local(std::max(base_, ms > half ? ms - half : 0));
  const std::size_t hi = std::min(buf_.size(), local(ms) + half + 1);
  Eigen::Vector3d low = buf_[lo].acc_mps2, high = low;
  for (std::size_t i = lo + 1; i < hi; ++i) {
    low = low.cwiseMin(buf_[i].acc_mps2);
    high = high.cwiseMax(buf_[i].acc_mps2);
  }
  return (high - low).norm() >= s_.midswing_min_acc_span_mps2;
}

void StreamingEventDetector::on_midswing(std::size_t ms, EventResult& out) {
  if (ic_pending_) {  // the previous window was still open: close it at this mid-swing
    emit_ic(last_ms_, std::min(ic_hi_, ms), out);
    ic_pending_ = false;
  }
  if (have_last_ms_) {
    // The last mid-swing may have left the window (after a long stop): then the sample count tells the time.
    const double since_last_s = last_ms_ >= base_ ? buf_[local(ms)].t_s - buf_[local(last_ms_)].t_s
                                                  : static_cast<double>(ms - last_ms_) / rate_hz_;
    cycle_s_ = std::clamp(since_last_s, s_.min_cycle_s, s_.max_cycle_s);
  }
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
  if (s_.shin) return emit_shin_tc(lo, hi, out);
  const auto quiet = static_cast<std::size_t>(
      std::min_element(energy_.begin() + static_cast<std::ptrdiff_t>(lo), energy_.begin() + static_cast<std::ptrdiff_t>(hi)) -
      energy_.begin());
  const auto peak = static_cast<std::size_t>(
      std::max_element(pitch_.begin() + static_cast<std::ptrdiff_t>(quiet), pitch_.begin() + static_cast<std::ptrdiff_t>(hi)) -
      pitch_.begin());
  if (peak <= quiet || pitch_[peak] <= 0) return;
  bool cubic = false;
  const double t_tc = cubic_peak_time(buf_, pitch_, peak, &cubic);
  out.events.push_back({EventKind::terminal_contact, t_tc, base_ + peak, tc_sd(quiet, peak, cubic)});
  out.tc_rate_rad_s.push_back(pitch_[peak]);
}

// Shin TC (running), between IC (lo) and the mid-swing (hi), both already in the window: the shank's forward
// rotation rate surges in early swing as the knee flexes; TC is the dip of the rate just before that surge, where
// the stance's forward rotation has slowed (the knee has extended again) and the swing's has not begun. Walking
// back from the mid-swing on the rate averaged over +-shin_tc_smoothing_s: through the swing's forward rotation
// (negative rate) to the swing's lean maximum, up to the surge's peak, down to the dip. Walking back from the swing
// keeps the stance's own forward rotation (fast after IC; after a rest, the first push-off) out of the search.
// Published shank methods reach force-plate TC with limits of agreement of about +-150 ms (Sensors 2023;23:5022,
// 18 methods, 74 runners), against a few ms for a foot sensor (Falbriard 2018: 4 +- 2 ms): this is the weakest
// event of the tool. See docs/shin.md.
void StreamingEventDetector::emit_shin_tc(std::size_t lo, std::size_t hi, EventResult& out) {
  const std::size_t from = std::min(hi - 1, lo + samples_for(s_.shin_tc_delay_s));
  if (!s_.shin_tc_at_rate_dip) {  // the earlier feature: the largest forward rate after IC + delay (the surge)
    const auto surge = static_cast<std::size_t>(
        std::max_element(pitch_.begin() + static_cast<std::ptrdiff_t>(from), pitch_.begin() + static_cast<std::ptrdiff_t>(hi)) -
        pitch_.begin());
    if (surge <= from || pitch_[surge] <= 0) return;
    out.events.push_back({EventKind::terminal_contact, parabolic_peak_time(buf_, pitch_, surge), base_ + surge,
                          s_.uncertainty.shin_tc_sd_ms});
    out.tc_rate_rad_s.push_back(pitch_[surge]);
    return;
  }
  if (hi < from + 3) return;
  smooth_pitch(from, hi, samples_for(s_.shin_tc_smoothing_s));
  std::size_t k = smooth_.size() - 1;
  while (k > 0 && smooth_[k] < 0) --k;
  const std::size_t surge = back_to_extreme(k, +1.0);
  if (smooth_[surge] <= 0) return;
  const std::size_t dip = back_to_extreme(surge, -1.0);
  if (dip == 0 || dip == surge) return;  // the rate never came back up before the surge: no dip in the window
  out.events.push_back({EventKind::terminal_contact, parabolic_minimum_time(buf_, smooth_, from, dip), base_ + from + dip,
                        s_.uncertainty.shin_tc_sd_ms});
  out.tc_rate_rad_s.push_back(smooth_[dip]);
}

// From smooth_[k] backwards: the largest (sign +1) or smallest (sign -1) value before the rate has moved back from
// it by more than shin_tc_hysteresis_rad_s (so that small wiggles do not end the walk), or before the start.
std::size_t StreamingEventDetector::back_to_extreme(std::size_t k, double sign) const {
  std::size_t best = k;
  for (; k > 0; --k) {
    if (sign * (smooth_[k] - smooth_[best]) > 0) best = k;
    if (sign * (smooth_[best] - smooth_[k]) > s_.shin_tc_hysteresis_rad_s) return best;
  }
  return sign * (smooth_[0] - smooth_[best]) > 0 ? 0 : best;
}

// smooth_[k]: the mean of pitch_ within +-half samples of sample first + k (fewer at the window's edges).
void StreamingEventDetector::smooth_pitch(std::size_t first, std::size_t last, std::size_t half) {
  smooth_.clear();
  for (std::size_t i = first; i < last; ++i) {
    const std::size_t a = i >= half ? i - half : 0;
    const std::size_t b = std::min(pitch_.size() - 1, i + half);
    double sum = 0;
    for (std::size_t j = a; j <= b; ++j) sum += pitch_[j];
    smooth_.push_back(sum / static_cast<double>(b - a + 1));
  }
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
  bool interpolated = false;
  double t_ic = s_.ic_interpolate ? impact_onset_time(jump, hi, interpolated) : 0.5 * (buf_[jump - 1].t_s + buf_[jump].t_s);
  if (s_.ic_feature == ImpactPitchDetector::IcFeature::dorsiflexion_end) {
    // Back from the impact to the last sample where the pitch rate was still dorsiflexing (negative).
    const std::size_t back = samples_for(s_.ic_dorsiflexion_lookback_s);
    const std::size_t stop = std::max(lo, jump > back ? jump - back : 0);
    std::size_t k = jump - 1;
    while (k > stop && !(pitch_[k - 1] < 0 && pitch_[k] >= 0)) --k;
    if (k > stop) {
      const double a = pitch_[k - 1], b = pitch_[k];
      t_ic = buf_[k - 1].t_s + (-a) / (b - a) * (buf_[k].t_s - buf_[k - 1].t_s);
      interpolated = true;
    }
  }
  // The event's sample is the one nearest its time (ties to the later one): the sample whose interval holds the
  // onset, which the stance and spatial steps start from.
  std::size_t at = t_ic <= buf_[jump].t_s ? jump : jump + 1;
  while (at > lo && t_ic < 0.5 * (buf_[at - 1].t_s + buf_[at].t_s)) --at;
  out.events.push_back({EventKind::initial_contact, t_ic, base_ + at,
                        ic_sd_ms(s_.uncertainty, dt, interpolated, size > 0 ? std::min(1.0, jump_noise(lo, jump) / size) : 1.0)});
  out.ic_jerk_mps3.push_back(dt > 0 ? size / dt : 0.0);
  have_last_ic_ = true;
  last_ic_ = base_ + jump;
}

// Sub-sample onset of the impact whose jump lies between samples j - 1 and j. Each sample is taken as the mean of
// the signal over its interval (centred on its time; an ideal anti-aliasing filter), so a force that starts at tau
// inside sample k's interval shows as two jumps along one direction: a share f = (t_k + dt/2 - tau) / dt of the
// step before sample k, the rest after it. f comes from the jump before or after j, whichever continues j's
// direction more (none: the whole step lies in j's interval, f = 1, the middle between the samples as before).
double StreamingEventDetector::impact_onset_time(std::size_t j, std::size_t hi, bool& interpolated) const {
  const Eigen::Vector3d d = buf_[j].acc_mps2 - buf_[j - 1].acc_mps2;
  const double size = d.norm();
  const Eigen::Vector3d u = d / size;
  const double pre = j >= 2 ? (buf_[j - 1].acc_mps2 - buf_[j - 2].acc_mps2).dot(u) : 0.0;
  const double post = j + 1 <= hi ? (buf_[j + 1].acc_mps2 - buf_[j].acc_mps2).dot(u) : 0.0;
  const double dt = buf_[j].t_s - buf_[j - 1].t_s;
  interpolated = pre > 0 || post > 0;
  if (pre > post && pre > 0) return buf_[j - 1].t_s + dt * (0.5 - pre / (pre + size));
  if (post > 0) return buf_[j].t_s + dt * (0.5 - size / (size + post));
  return buf_[j].t_s - 0.5 * dt;
}

// The noise of the impact's jump j: the jumps before the one that may hold part of the step (j - 1), not before lo.
double StreamingEventDetector::jump_noise(std::size_t lo, std::size_t j) const {
  if (j < 2) return 0.0;
  return rms_jump_before([&](std::size_t i) { return buf_[i].acc_mps2; }, j - 2, lo).value_or(0.0);
}

// One SD of a foot TC placed at pitch_[peak]: the gyro's noise (from the second differences around the quiet
// mid-stance sample, where the rate itself barely curves) over the peak's curvature is how many samples noise can
// move the vertex.
double StreamingEventDetector::tc_sd(std::size_t quiet, std::size_t peak, bool cubic) const {
  constexpr std::size_t kNoiseHalf = 3;
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = quiet > kNoiseHalf ? quiet - kNoiseHalf : 1; i <= quiet + kNoiseHalf && i + 1 < peak; ++i, ++n) {
    const double d2 = pitch_[i + 1] - 2 * pitch_[i] + pitch_[i - 1];
    sum += d2 * d2;
  }
  const double noise = n > 0 ? std::sqrt(sum / (6.0 * static_cast<double>(n))) : 0.0;  // var(d2) = 6 var(noise)
  const double curvature = peak > 0 && peak + 1 < pitch_.size()
                               ? -(pitch_[peak + 1] - 2 * pitch_[peak] + pitch_[peak - 1]) : 0.0;
  const double dt = peak > 0 ? buf_[peak].t_s - buf_[peak - 1].t_s : 1.0 / rate_hz_;
  const double noise_samples = curvature > 0 ? std::min(1.0, noise / curvature) : 1.0;  // beyond a sample: the
                                                                                          // fallback's share covers it
  // A clipped peak: the flat top it lies in (the samples around it whose gyro also read at its range).
  constexpr std::uint8_t kGyrClip = kClipGyrX | kClipGyrY | kClipGyrZ;
  double clipped_s = 0;
  if (buf_[peak].clipped & kGyrClip) {
    std::size_t a = peak, b = peak;
    while (a > 0 && (buf_[a - 1].clipped & kGyrClip)) --a;
    while (b + 1 < buf_.size() && (buf_[b + 1].clipped & kGyrClip)) ++b;
    clipped_s = buf_[b].t_s - buf_[a].t_s + dt;
  }
  return tc_sd_ms(s_.uncertainty, dt, cubic, noise_samples, clipped_s);
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
