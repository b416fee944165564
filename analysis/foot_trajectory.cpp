#include "analysis/foot_trajectory.hpp"

#include <algorithm>
#include <cmath>
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
}

std::vector<ZeroVelocityWindow> FootTrajectory::zero_velocity_windows(std::span<const ImuSample> x,
                                                                      std::span<const GaitEvent> events,
                                                                      double rate_hz) const {
  std::vector<ZeroVelocityWindow> out;
  const std::size_t n = x.size();
  if (n < 8 || rate_hz <= 0) return out;
  std::vector<double> energy(n), smooth(n);
  for (std::size_t i = 0; i < n; ++i) energy[i] = x[i].gyr_rad_s.norm();
  ButterworthLowpass({2, std::min(15.0, 0.4 * rate_hz), rate_hz}).filtfilt(energy, smooth);

  // Stances: [IC, first TC after it); before the first TC and after the last IC the foot may rest.
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
  const auto margin = static_cast<std::size_t>(s_.stance_margin_s * rate_hz);
  const auto min_width = std::max<std::size_t>(1, static_cast<std::size_t>(s_.zv_min_window_s * rate_hz));
  for (auto [a, b] : stances) {
    const std::size_t lo = a == 0 ? 0 : a + margin;
    const std::size_t hi = b >= n ? n : (b > margin ? b - margin : 0);
    if (hi <= lo + 2) continue;
    const auto centre = static_cast<std::size_t>(
        std::min_element(smooth.begin() + static_cast<std::ptrdiff_t>(lo), smooth.begin() + static_cast<std::ptrdiff_t>(hi)) -
        smooth.begin());
    const double floor = std::max(0.0, smooth[centre]);  // zero-phase ringing can dip below 0
    const double limit = floor + std::max(s_.zv_margin_rad_s, s_.zv_relative * floor);
    std::size_t first = centre, last = centre;
    while (first > lo && smooth[first - 1] <= limit) --first;
    while (last + 1 < hi && smooth[last + 1] <= limit) ++last;
    while (last - first + 1 < min_width && (first > lo || last + 1 < hi)) {
      if (first > lo) --first;
      if (last - first + 1 < min_width && last + 1 < hi) ++last;
    }
    out.push_back({a, first, last, centre, floor});
  }
  return out;
}

namespace {

// Swing samples held until the next zero-velocity update lets the smoother correct them.
struct Pending {
  std::size_t index;
  double t_s;
  ZuptEskf::State x;
  Eigen::Matrix<double, 6, ZuptEskf::kN> P_vt;  // velocity and attitude rows of the covariance after predicting to here: all
                                      // the smoother needs, as only velocity (the path) and attitude are emitted
  ZuptEskf::Transition F_next; // transition from this sample to the next
};

FootPose pose_of(double t, const ZuptEskf::State& x, bool zv) { return {t, x.p, x.v, x.q, zv}; }

}  // namespace

bool FootTrajectory::run(std::span<const ImuSample> x, const MountingCalibration::Result& m,
                         std::span<const ZeroVelocityWindow> windows, const Saturation& saturation,
                         const std::function<void(std::size_t, const FootPose&)>& out) const {
  if (windows.empty() || x.empty()) return false;
  // Positions are the trapezoidal integral of the emitted (smoothed) velocities, so the path never jumps.
  Eigen::Vector3d pos = Eigen::Vector3d::Zero(), last_vel = Eigen::Vector3d::Zero();
  double last_t = x.front().t_s;
  const auto sink = [&](std::size_t i, FootPose pose) {
    pos += 0.5 * (last_vel + pose.vel_mps) * (pose.t_s - last_t);
    last_vel = pose.vel_mps;
    last_t = pose.t_s;
    pose.pos_m = pos;
    out(i, pose);
  };
  const auto& w0 = windows.front();
  Eigen::Vector3d acc0 = Eigen::Vector3d::Zero();
  for (std::size_t i = w0.first; i <= w0.last; ++i) acc0 += x[i].acc_mps2;
  acc0 /= static_cast<double>(w0.last - w0.first + 1);

  ZuptEskf filter(s_.filter);
  filter.initialise(acc0, m.segment_from_sensor.row(0).transpose(), m.gyr_bias_rad_s);
  for (std::size_t i = 0; i < w0.first; ++i) sink(i, pose_of(x[i].t_s, filter.state(), false));

  std::vector<Pending> pending;
  std::size_t wi = 0;  // current or next window
  bool saturated = false;  // the gyroscope saturated since the last zero-velocity window
  double last_update_s = -1e9;
  const auto flush_unsmoothed = [&] {
    for (const auto& p : pending) sink(p.index, pose_of(p.t_s, p.x, false));
    pending.clear();
  };
  for (std::size_t i = w0.first; i < x.size(); ++i) {
    if (i > w0.first) {
      const double dt = x[i].t_s - x[i - 1].t_s;
      if (dt > 0) {
        // Trapezoidal: the mean of the step's two samples. Impacts change the signals within a few samples, and
        // taking only the first sample of each step would bias every stride's velocity and tilt.
        const auto& F = filter.predict(0.5 * (x[i - 1].acc_mps2 + x[i].acc_mps2),
                                       0.5 * (x[i - 1].gyr_rad_s + x[i].gyr_rad_s), dt);
        if (!pending.empty()) pending.back().F_next = F;
      }
    }
    while (wi < windows.size() && windows[wi].last < i) ++wi;
    const bool zv = wi < windows.size() && windows[wi].first <= i && i <= windows[wi].last;
    saturated = saturated || saturation.gyr_clipped(x[i]);
    if (wi < windows.size() && i == windows[wi].stance_start && i > 0)
      filter.add_velocity_uncertainty(s_.impact_velocity_sd_mps);
    if (zv && saturated && i == windows[wi].first) {
      Eigen::Vector3d acc = Eigen::Vector3d::Zero();
      for (std::size_t j = windows[wi].first; j <= windows[wi].last; ++j) acc += x[j].acc_mps2;
      filter.relevel(acc, m.gyr_bias_rad_s);
      saturated = false;
    }
    if (!zv) {
      pending.push_back({i, x[i].t_s, filter.state(), filter.covariance().topRows<6>(), ZuptEskf::Transition{}});
      if (x[i].t_s - pending.front().t_s > s_.max_swing_s) flush_unsmoothed();
      continue;
    }
    // Inside a window, one update per zv_update_interval_s carries the same information as one per sample at a
    // fraction of the cost; the first sample of a window is always updated (the smoother starts from it).
    if (pending.empty() && i != windows[wi].first && x[i].t_s - last_update_s < s_.zv_update_interval_s) {
      sink(i, pose_of(x[i].t_s, filter.state(), true));
      continue;
    }
    last_update_s = x[i].t_s;
    const double sd = s_.zv_sd_mps + s_.zv_sd_per_rad_s * windows[wi].min_rate_rad_s;
    filter.update_zero_velocity(sd);
    const ZuptEskf::VectorN information = filter.last_information();
    const auto& w = windows[wi];
    if (w.min_rate_rad_s < s_.rest_rad_s && x[w.last].t_s - x[w.first].t_s >= s_.rest_min_s)
      filter.update_zero_rate(x[i].gyr_rad_s, s_.rest_rad_s);

    if (!pending.empty()) {
      if (s_.smooth) {
        // Backwards over the swing (Bryson-Frazier form of the RTS smoother): with no measurement between two
        // updates, the smoothed error is dx_k = P_k lambda_k with lambda_k = F_k+1^T lambda_k+1, starting from
        // this update's H^T S^-1 innovation. Same result as RTS, without inverting a covariance per sample.
        ZuptEskf::VectorN lambda = information;
        for (std::size_t k = pending.size(); k-- > 0;) {
          auto& p = pending[k];
          lambda = p.F_next.transpose_times(lambda);
          const Eigen::Matrix<double, 6, 1> d = p.P_vt * lambda;
          p.x.v += d.head<3>();
          p.x.q = (p.x.q * rotation_vector_to_quaternion(d.tail<3>())).normalized();
        }
        flush_unsmoothed();  // now smoothed, in time order
      } else {
        flush_unsmoothed();
      }
      pending.clear();
    }
    sink(i, pose_of(x[i].t_s, filter.state(), true));
  }
  flush_unsmoothed();
  return true;
}

}  // namespace stride
