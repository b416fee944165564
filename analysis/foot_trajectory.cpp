#include "analysis/foot_trajectory.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "analysis/butterworth.hpp"

namespace stride {

FootTrajectory::FootTrajectory() : FootTrajectory(Settings{}) {}

FootTrajectory::FootTrajectory(const Settings& s) : s_(s) {
  ZuptEskf check_filter(s.filter);  // validates the filter settings
  const auto positive = [](double v, const char* name) {
    if (!(v > 0)) throw std::invalid_argument(std::string("FootTrajectory: ") + name + " = " + std::to_string(v) + " must be > 0");
  };
  positive(s.stance_margin_s, "stance_margin_s");
  positive(s.zv_min_window_s, "zv_min_window_s");
  positive(s.zv_margin_rad_s, "zv_margin_rad_s");
  positive(s.zv_sd_mps, "zv_sd_mps");
  if (!(s.zv_update_interval_s >= 0)) throw std::invalid_argument("FootTrajectory: zv_update_interval_s must be >= 0");
  positive(s.rest_rad_s, "rest_rad_s");
  positive(s.rest_min_s, "rest_min_s");
  positive(s.max_swing_s, "max_swing_s");
  if (!(s.impact_velocity_sd_mps >= 0)) throw std::invalid_argument("FootTrajectory: impact_velocity_sd_mps must be >= 0");
  if (!(s.zv_relative >= 0)) throw std::invalid_argument("FootTrajectory: zv_relative must be >= 0");
  if (!(s.zv_sd_per_rad_s >= 0)) throw std::invalid_argument("FootTrajectory: zv_sd_per_rad_s must be >= 0");
  if (!(s.zv_lever_m >= 0 && s.zv_lever_m <= 0.3)) throw std::invalid_argument("FootTrajectory: zv_lever_m must be in [0, 0.3] m");
  s.uncertainty.validate();
}

ButterworthLowpass::Settings FootTrajectory::rate_smoothing(double rate_hz) {
  return {2, std::min(15.0, 0.4 * rate_hz), rate_hz};
}

bool is_rest(const FootTrajectory::Settings& s, const ZeroVelocityWindow& w, std::span<const ImuSample> samples) {
  return w.min_rate_rad_s < s.rest_rad_s && w.last >= w.first && !samples.empty() &&
         samples.back().t_s - samples.front().t_s >= s.rest_min_s;
}

std::vector<std::pair<std::size_t, std::size_t>> FootTrajectory::stances(std::span<const GaitEvent> events,
                                                                       std::size_t n) {
  std::vector<std::pair<std::size_t, std::size_t>> stances;
  std::size_t open = 0;
  bool in_stance = true;  // the recording starts standing until a TC says otherwise
  // When the first event is an IC, the toe-off that left the starting rest was not seen: the rest is still a
  // stance of its own (without it, the filter would start in the first walking stance and lose the long rest that
  // pins the attitude and the gyro bias).
  if (!events.empty() && events.front().kind == EventKind::initial_contact) stances.emplace_back(0, events.front().sample);
  for (const auto& e : events) {
    if (e.kind == EventKind::terminal_contact && in_stance) {
      stances.emplace_back(open, e.sample);
      in_stance = false;
    } else if (e.kind == EventKind::initial_contact) {
      open = e.sample;
      in_stance = true;
    }
  }
  if (in_stance) stances.emplace_back(open, n);
  return stances;
}

std::vector<ZeroVelocityWindow> FootTrajectory::zero_velocity_windows(std::span<const ImuSample> x,
                                                                      std::span<const GaitEvent> events,
                                                                      double rate_hz) const {
  std::vector<ZeroVelocityWindow> out;
  const std::size_t n = x.size();
  if (n < 8 || rate_hz <= 0) return out;
  // |w| smoothed in place (filtfilt reads all of its input before it writes): one buffer of the recording's
  // length instead of two, which at 1 kHz is 29 MB an hour less to fault in and fill.
  std::vector<double> smooth(n);
  for (std::size_t i = 0; i < n; ++i) smooth[i] = x[i].gyr_rad_s.norm();
  ButterworthLowpass(rate_smoothing(rate_hz)).filtfilt(smooth, smooth);

  for (auto [a, b] : stances(events, n)) {
    ZeroVelocityWindow w;
    if (stance_window(smooth, 0, a, b, n, rate_hz, w)) out.push_back(w);
  }
  return out;
}

std::pair<std::size_t, std::size_t> FootTrajectory::stance_search(std::size_t a, std::size_t b, std::size_t n,
                                                                  double rate_hz) const {
  const auto margin = static_cast<std::size_t>(s_.stance_margin_s * rate_hz);
  return {a == 0 ? 0 : a + margin, b >= n ? n : (b > margin ? b - margin : 0)};
}

bool FootTrajectory::stance_window(std::span<const double> smooth, std::size_t base, std::size_t a, std::size_t b,
                                   std::size_t n, double rate_hz, ZeroVelocityWindow& out) const {
  const auto min_width = std::max<std::size_t>(1, static_cast<std::size_t>(s_.zv_min_window_s * rate_hz));
  auto [lo, hi] = stance_search(a, b, n, rate_hz);
  lo = std::max(lo, base);  // only what the span covers
  hi = std::min(hi, base + smooth.size());
  if (hi <= lo + 2) return false;
  const auto at = [&](std::size_t i) { return smooth[i - base]; };
  const auto centre = base + static_cast<std::size_t>(
                                 std::min_element(smooth.begin() + static_cast<std::ptrdiff_t>(lo - base),
                                                  smooth.begin() + static_cast<std::ptrdiff_t>(hi - base)) -
                                 smooth.begin());
  const double floor = std::max(0.0, at(centre));  // zero-phase ringing can dip below 0
  const double limit = floor + std::max(s_.zv_margin_rad_s, s_.zv_relative * floor);
  std::size_t first = centre, last = centre;
  while (first > lo && at(first - 1) <= limit) --first;
  while (last + 1 < hi && at(last + 1) <= limit) ++last;
  while (last - first + 1 < min_width && (first > lo || last + 1 < hi)) {
    if (first > lo) --first;
    if (last - first + 1 < min_width && last + 1 < hi) ++last;
  }
  out = {a, first, last, centre, floor};
  return true;
}

namespace {

FootPose pose_of(double t, const ZuptEskf::State& x, bool zv) { return {t, x.p, x.v, x.q, zv, Stride::kNaN}; }

}  // namespace

TrajectoryStepper::TrajectoryStepper(const FootTrajectory::Settings& s, const MountingCalibration::Result& m,
                                     const Saturation& saturation, Sink sink)
    : s_(s), m_(m), saturation_(saturation), sink_(std::move(sink)), filter_(s.filter) {}

void TrajectoryStepper::start(std::span<const ImuSample> w0) {
  Eigen::Vector3d acc0 = Eigen::Vector3d::Zero();
  for (const auto& x : w0) acc0 += x.acc_mps2;
  acc0 /= static_cast<double>(w0.size());
  filter_.initialise(acc0, m_.segment_from_sensor.row(0).transpose(), m_.gyr_bias_rad_s);
  started_ = true;
}

void TrajectoryStepper::initial(std::size_t i, double t_s) { emit(i, pose_of(t_s, filter_.state(), false)); }

void TrajectoryStepper::emit(std::size_t i, FootPose pose) {
  if (!emitted_) last_t_ = pose.t_s, emitted_ = true;
  pos_ += 0.5 * (last_vel_ + pose.vel_mps) * (pose.t_s - last_t_);
  last_vel_ = pose.vel_mps;
  last_t_ = pose.t_s;
  pose.pos_m = pos_;
  sink_(i, pose);
}

void TrajectoryStepper::flush() {
  for (const auto& p : pending_) emit(p.index, {p.t_s, Eigen::Vector3d::Zero(), p.v, p.q, false, Stride::kNaN});
  pending_.clear();
}

Eigen::Vector3d TrajectoryStepper::rolling_velocity(const ImuSample& x) const {
  // A foot in stance that still pitches (running never stops it: 0.5-0.9 rad/s at the stillest moment on the
  // MicroStrain jog) rolls over its contact with the ground, so the sensor above that contact moves forward at
  // pitch rate x height. A zero-velocity update there takes that motion out of every stride: the stride comes out
  // short by (rolling velocity) x (stride time), -4.3 cm on the fastest MicroStrain walk. The update's velocity is
  // the pitch rate about the foot's lateral axis, crossed with the lever up from the contact.
  if (s_.zv_lever_m == 0) return Eigen::Vector3d::Zero();
  const Eigen::Vector3d lateral = m_.segment_from_sensor.row(1).transpose();
  const Eigen::Vector3d pitch_b = lateral * lateral.dot(x.gyr_rad_s - filter_.state().gyr_bias);
  return s_.zv_lever_m * (filter_.state().q * pitch_b).cross(Eigen::Vector3d::UnitZ());
}

void TrajectoryStepper::relevel_on(std::span<const ImuSample> window) {
  Eigen::Vector3d acc = Eigen::Vector3d::Zero();
  for (const auto& y : window) acc += y.acc_mps2;
  filter_.relevel(acc, m_.gyr_bias_rad_s);
  saturated_ = false;
}

void TrajectoryStepper::step(std::size_t i, const ImuSample* previous, const ImuSample& x,
                             const ZeroVelocityWindow* w, std::span<const ImuSample> window_samples) {
  if (previous) {
    const double dt = x.t_s - previous->t_s;
    if (dt > 0) {
      // Trapezoidal: the mean of the step's two samples. Impacts change the signals within a few samples, and
      // taking only the first sample of each step would bias every stride's velocity and tilt.
      const auto& F = filter_.predict(0.5 * (previous->acc_mps2 + x.acc_mps2),
                                      0.5 * (previous->gyr_rad_s + x.gyr_rad_s), dt);
      if (!pending_.empty()) pending_.back().F_next = F;
    }
  }
  const bool zv = w && w->first <= i && i <= w->last;
  // A rebuilt peak is an estimate: the swing's attitude is not trusted after it either.
  saturated_ = saturated_ || saturation_.gyr_clipped(x) || (x.clipped & kGyrRebuilt) != 0;
  if (w && i == w->stance_start && i > 0) filter_.add_velocity_uncertainty(s_.impact_velocity_sd_mps);
  // The swing a zero-velocity update here ends: how far its path may have drifted, from the velocity SD the
  // filter reached (taken before a re-levelling resets the covariance).
  const double swing_sd = zv && !pending_.empty()
                              ? swing_position_sd_m(std::sqrt(filter_.covariance()(0, 0) + filter_.covariance()(1, 1)),
                                                    x.t_s - pending_.front().t_s)
                              : Stride::kNaN;
  const bool relevel = zv && saturated_ && i == w->first;
  if (!zv) {
    // Built in place: a held sample is ~0.8 KB (mostly its covariance rows), and a temporary would copy it twice.
    pending_.emplace_back(i, x.t_s, filter_.state().v, filter_.state().q, filter_.covariance().topRows<6>());
    if (x.t_s - pending_.front().t_s > s_.max_swing_s) flush();
    return;
  }
  // Inside a window, one update per zv_update_interval_s carries the same information as one per sample at a
  // fraction of the cost; the first sample of a window is always updated (the smoother starts from it).
  if (pending_.empty() && i != w->first && x.t_s - last_update_s_ < s_.zv_update_interval_s) {
    emit(i, pose_of(x.t_s, filter_.state(), true));
    return;
  }
  last_update_s_ = x.t_s;
  const double sd = s_.zv_sd_mps + s_.zv_sd_per_rad_s * w->min_rate_rad_s;
  filter_.update_velocity(rolling_velocity(x), sd);
  const ZuptEskf::VectorN information = filter_.last_information();  // the velocity update's, before a rate update
  if (is_rest(s_, *w, window_samples))
    filter_.update_zero_rate(x.gyr_rad_s, s_.rest_rad_s);

  if (!pending_.empty() && s_.smooth) {
    // Backwards over the swing (Bryson-Frazier form of the RTS smoother): with no measurement between two
    // updates, the smoothed error is dx_k = P_k lambda_k with lambda_k = F_k+1^T lambda_k+1, starting from
    // this update's H^T S^-1 innovation. Same result as RTS, without inverting a covariance per sample.
    ZuptEskf::VectorN lambda = information;
    for (std::size_t k = pending_.size(); k-- > 0;) {
      auto& p = pending_[k];
      lambda = p.F_next.transpose_times(lambda);
      const Eigen::Matrix<double, 6, 1> d = p.P_vt * lambda;
      p.v += d.head<3>();
      p.q = (p.q * rotation_vector_to_quaternion(d.tail<3>())).normalized();
    }
  }
  flush();  // now smoothed (unless the causal filter alone was asked for), in time order
  if (relevel) relevel_on(window_samples);
  FootPose pose = pose_of(x.t_s, filter_.state(), true);
  pose.swing_position_sd_m = swing_sd;
  emit(i, pose);
}

bool FootTrajectory::run(std::span<const ImuSample> x, const MountingCalibration::Result& m,
                         std::span<const ZeroVelocityWindow> windows, const Saturation& saturation,
                         const std::function<void(std::size_t, const FootPose&)>& out) const {
  if (windows.empty() || x.empty()) return false;
  const auto span_of = [&](const ZeroVelocityWindow& w) { return x.subspan(w.first, w.last - w.first + 1); };
  TrajectoryStepper stepper(s_, m, saturation, out);
  const auto& w0 = windows.front();
  stepper.start(span_of(w0));
  for (std::size_t i = 0; i < w0.first; ++i) stepper.initial(i, x[i].t_s);
  std::size_t wi = 0;  // current or next window
  for (std::size_t i = w0.first; i < x.size(); ++i) {
    while (wi < windows.size() && windows[wi].last < i) ++wi;
    const ZeroVelocityWindow* w = wi < windows.size() ? &windows[wi] : nullptr;
    stepper.step(i, i > w0.first ? &x[i - 1] : nullptr, x[i], w, w ? span_of(*w) : std::span<const ImuSample>{});
  }
  stepper.finish();
  return true;
}

}  // namespace stride
