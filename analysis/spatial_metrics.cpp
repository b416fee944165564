#include "analysis/spatial_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace stride {
namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;

double wrap_deg(double a) {
  while (a > 180) a -= 360;
  while (a < -180) a += 360;
  return a;
}

// How the gyroscope of the swing that r's clipping() counted was rebuilt (the length SD widens accordingly).
GyroRebuilt rebuilt_kind(const StanceRecord& r) {
  return r.gyr_rebuilt == 0                  ? GyroRebuilt::none
         : 2 * r.gyr_returned > r.gyr_rebuilt ? GyroRebuilt::by_return
                                              : GyroRebuilt::fitted;
}

}  // namespace

SpatialSteps::SpatialSteps(const MountingCalibration::Result& m, Side side, const LengthUncertaintySettings& u)
    : foot_from_sensor_(m.segment_from_sensor),
      gyr_bias_(m.gyr_bias_rad_s),
      eversion_sign_(side == Side::left ? 1.0 : -1.0),  // + roll (left side up) everts a left foot
      uncertainty_(u) {}

void SpatialSteps::add_pose(std::size_t i, const FootPose& pose, std::span<StanceRecord> st,
                            std::size_t& first_open) const {
  while (first_open < st.size() && st[first_open].next_ic < i) ++first_open;
  // The angles cost an asin and an atan2 per pose and most poses need neither (pitch only at IC, TC and the
  // footprint, eversion only in stance): each is computed the first time a record asks for it.
  Eigen::Matrix3d R;  // foot -> nav
  bool have_R = false;
  double pitch = 0, eversion = 0;
  bool have_pitch = false, have_eversion = false;
  const auto foot_to_nav = [&]() -> const Eigen::Matrix3d& {
    if (!have_R) R = pose.q_nav_sensor.toRotationMatrix() * foot_from_sensor_.transpose(), have_R = true;
    return R;
  };
  const auto pitch_deg = [&] {  // toe-up positive
    if (!have_pitch) pitch = std::asin(std::clamp(foot_to_nav()(2, 0), -1.0, 1.0)) * kDeg, have_pitch = true;
    return pitch;
  };
  const auto eversion_deg = [&] {  // roll, left side up positive, signed by the side
    if (!have_eversion) {
      const Eigen::Matrix3d& r = foot_to_nav();
      eversion = eversion_sign_ * std::atan2(r(2, 1), r(2, 2)) * kDeg;
      have_eversion = true;
    }
    return eversion;
  };
  StanceRecord* current = nullptr;  // the latest stance begun by sample i
  for (std::size_t k = first_open; k < st.size() && st[k].ic <= i; ++k) {
    auto& r = st[k];
    current = &r;
    if (i == r.ic) r.pitch_ic = pitch_deg(), r.eversion_ic = eversion_deg();
    if (r.has_tc && i == r.tc) r.pitch_tc = pitch_deg();
    if (r.has_tc && i <= r.tc) r.eversion_peak = std::max(r.eversion_peak, eversion_deg());
    if (r.has_centre && i == r.centre) {
      r.footprint = pose.pos_m;
      r.heading = std::atan2(foot_to_nav()(1, 0), foot_to_nav()(0, 0)) * kDeg;
      r.flat_pitch = pitch_deg();
    }
    if (r.has_tc && i > r.tc && i < r.next_ic) r.swing_top = std::max(r.swing_top, pose.pos_m.z());
  }
  if (current && std::isfinite(pose.swing_position_sd_m)) current->arrival_sd_m = pose.swing_position_sd_m;
}

void SpatialSteps::stance_rates(StanceRecord& r, std::span<const ImuSample> stance) const {
  for (const auto& x : stance) {
    const Eigen::Vector3d w = foot_from_sensor_ * (x.gyr_rad_s - gyr_bias_);
    r.eversion_rate_peak = std::max(r.eversion_rate_peak, eversion_sign_ * w.x() * kDeg);
  }
}

void SpatialSteps::clipping(StanceRecord& r, std::span<const ImuSample> stride, const Saturation& saturation) {
  r.gyr_clipped = r.acc_clipped = r.gyr_rebuilt = r.gyr_returned = 0;
  for (const auto& x : stride) {
    r.gyr_rebuilt += (x.clipped & kGyrRebuilt) ? 1 : 0;
    r.gyr_returned += (x.clipped & kGyrRebuiltByReturn) ? 1 : 0;
    r.gyr_clipped += saturation.gyr_clipped(x) ? 1 : 0;
    r.acc_clipped += saturation.acc_clipped(x) ? 1 : 0;
  }
}

bool SpatialSteps::fill(const StanceRecord& a, const StanceRecord& b, const Eigen::Vector3d& origin, Stride& s) const {
  if (a.has_centre && b.has_centre) {
    const Eigen::Vector2d step = (b.footprint - a.footprint).head<2>();
    s.stride_length_m = step.norm();
    if (std::isfinite(b.arrival_sd_m))
      s.length_sd_m = length_sd_m(uncertainty_, b.arrival_sd_m, s.stride_length_m, rebuilt_kind(a));
    s.speed_mps = s.stride_length_m / s.stride_time_s;
    s.turning_angle_deg = wrap_deg(b.heading - a.heading);
    s.pos_x_m = b.footprint.x() - origin.x();
    s.pos_y_m = b.footprint.y() - origin.y();
    if (a.has_tc && a.swing_top > -1e8) s.max_clearance_m = a.swing_top - a.footprint.z();
  }
  if (a.has_centre) {
    s.fsa_deg = a.pitch_ic - a.flat_pitch;
    s.strike_pattern = s.fsa_deg > 8.0 ? StrikePattern::rearfoot
                       : s.fsa_deg < -1.6 ? StrikePattern::forefoot
                                          : StrikePattern::midfoot;
    if (a.has_tc) s.toe_off_angle_deg = a.pitch_tc - a.flat_pitch;
  }
  if (a.has_tc) {
    s.pronation_excursion_deg = a.eversion_peak - a.eversion_ic;
    s.pronation_velocity_dps = a.eversion_rate_peak;
  }
  // A saturated gyroscope turns the integrated attitude wrong for the rest of the swing: never report such a
  // stride's spatial values as if they were measured. A clipped impact loses a little velocity, which the
  // zero-velocity update and the smoother absorb: keep the values, and say so.
  if (a.gyr_clipped) {
    s.set_spatial_issue("gyroscope saturated in " + std::to_string(a.gyr_clipped) + " samples of this stride");
    for (double* v : {&s.stride_length_m, &s.length_sd_m, &s.speed_mps, &s.fsa_deg, &s.toe_off_angle_deg, &s.pronation_excursion_deg,
                      &s.pronation_velocity_dps, &s.max_clearance_m, &s.turning_angle_deg})
      *v = Stride::kNaN;
    s.strike_pattern = StrikePattern::unknown;
    return true;
  }
  s.spatial_rebuilt = a.gyr_rebuilt > 0;
  if (a.gyr_rebuilt)
    s.set_spatial_issue("gyroscope saturated in " + std::to_string(a.gyr_rebuilt) + " samples of this stride; its " +
                        "peaks were rebuilt from the signal around them: length and angles are estimates");
  if (a.acc_clipped)
    s.add_spatial_issue("accelerometer clipped in " + std::to_string(a.acc_clipped) +
                        " samples of this stride: length and speed may be slightly short");
  return false;
}

StepFromRest SpatialSteps::step_from_rest(const Eigen::Vector3d& rest_footprint, const StanceRecord& first,
                                          const StanceRecord& swing) const {
  if (!first.has_centre || swing.gyr_clipped > 0) return {};
  StepFromRest step;
  step.length_m = (first.footprint - rest_footprint).head<2>().norm();
  if (std::isfinite(first.arrival_sd_m))
    step.sd_m = length_sd_m(uncertainty_, first.arrival_sd_m, step.length_m, rebuilt_kind(swing));
  return step;
}

SpatialResult add_spatial_metrics(std::vector<Stride>& strides, std::span<const ImuSample> x,
                                  std::span<const GaitEvent> events, const MountingCalibration::Result& m,
                                  double rate_hz, Side side, const Saturation& saturation,
                                  const FootTrajectory& trajectory,
                                  const std::function<void(std::size_t, const FootPose&)>& trajectory_sink) {
  SpatialResult result;
  const auto windows = trajectory.zero_velocity_windows(x, events, rate_hz);
  result.zero_velocity_windows = windows.size();
  if (windows.empty() || x.empty()) return result;

  // One record per IC, holding its stance and the swing that follows.
  // Events, windows and strides are in time order: each is walked once with a cursor (linear in the recording).
  std::vector<StanceRecord> st;
  std::size_t w = 0;  // the first zero-velocity window that may still lie in a stance
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (events[k].kind != EventKind::initial_contact) continue;
    StanceRecord r;
    r.ic = r.tc = events[k].sample;
    r.ic_t_s = events[k].t_s;
    r.next_ic = x.size() - 1;
    for (std::size_t j = k + 1; j < events.size(); ++j) {
      if (events[j].kind == EventKind::initial_contact) {
        r.next_ic = events[j].sample;
        break;
      }
      if (!r.has_tc) r.tc = events[j].sample, r.has_tc = true;
    }
    while (w < windows.size() && windows[w].centre < r.ic) ++w;
    if (w < windows.size() && windows[w].centre <= (r.has_tc ? r.tc : r.next_ic)) {
      r.centre = windows[w].centre;
      r.has_centre = true;
    }
    st.push_back(r);
  }
  const SpatialSteps steps(m, side, trajectory.settings().uncertainty);
  const auto clamp_span = [&](std::size_t a, std::size_t b) {  // samples a..b inclusive
    return a < x.size() ? x.subspan(a, std::min(b, x.size() - 1) - a + 1) : std::span<const ImuSample>{};
  };
  for (auto& r : st) {
    if (r.has_tc) steps.stance_rates(r, clamp_span(r.ic, r.tc));
    SpatialSteps::clipping(r, clamp_span(r.ic, r.next_ic), saturation);
  }
  // A standing start: the first window is a rest before the first IC, and the step out of it is in no stride.
  const ZeroVelocityWindow& first_window = windows.front();
  const bool standing_start =
      !st.empty() && first_window.centre < st.front().ic &&
      is_rest(trajectory.settings(), first_window, clamp_span(first_window.first, first_window.last));
  StanceRecord start_swing;  // the clipping between the rest and the first IC
  if (standing_start) SpatialSteps::clipping(start_swing, clamp_span(first_window.last + 1, st.front().ic), saturation);

  // The walk's start and end: the first and the last zero-velocity windows (the standing rests when the recording
  // has them; the first footprint after a step is not where the walk began).
  Eigen::Vector3d first_rest = Eigen::Vector3d::Zero(), last_rest = Eigen::Vector3d::Zero();
  std::size_t first_open = 0;
  const auto sink = [&](std::size_t i, const FootPose& pose) {
    if (trajectory_sink) trajectory_sink(i, pose);
    if (i == windows.front().centre) first_rest = pose.pos_m;
    if (i == windows.back().centre) last_rest = pose.pos_m;
    steps.add_pose(i, pose, st, first_open);
  };
  if (!trajectory.run(x, m, windows, saturation, sink)) return result;
  result.ok = true;

  // Strides were built from consecutive ICs: stride k spans record k (its stance) and record k+1 (the next).
  const Eigen::Vector3d origin = first_rest;
  const double tolerance_s = 0.6 / rate_hz + 1e-9;
  auto it = st.begin();
  for (auto& s : strides) {
    while (it != st.end() && x[it->ic].t_s < s.ic_s - tolerance_s) ++it;
    if (it == st.end()) break;
    if (!(std::abs(x[it->ic].t_s - s.ic_s) < tolerance_s) || it + 1 == st.end()) continue;
    if (steps.fill(*it, *(it + 1), origin, s)) ++result.saturated_strides;
    else if (it->gyr_rebuilt) ++result.rebuilt_strides;
    if (s.valid && std::isfinite(s.stride_length_m)) result.distance_m += s.stride_length_m;
  }
  result.loop_closure_m = (last_rest - origin).head<2>().norm();
  if (standing_start) result.start_step = steps.step_from_rest(first_rest, st.front(), start_swing);
  return result;
}

}  // namespace stride
