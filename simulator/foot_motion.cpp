#include "foot_motion.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "validate.hpp"

namespace stride::sim::detail {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

// Acceleration at the middle point of a parabola through three (time, value) points: a smooth guess for a via.
double parabola_acc(double t0, double y0, double t1, double y1, double t2, double y2) {
  return 2.0 * ((y2 - y1) / (t2 - t1) - (y1 - y0) / (t1 - t0)) / (t2 - t0);
}

struct Draw {
  double stride_s, length_m, fsa_rad, toe_off_rad, pronation_rad;
};

}  // namespace

FootMotion::FootMotion(const Settings& s, Rng& rng) {
  const double stride_s = 120.0 / s.cadence_spm;
  const double cv = s.variability_cv;
  const double walk = std::clamp((s.duty_factor - 0.45) / 0.13, 0.0, 1.0);  // 0 running .. 1 walking
  const double impact_tau_s = 0.013 + 0.012 * walk;  // the impact's fall (the whole step, or after a smooth rise)
  const double heel_off_frac = 0.50 + 0.10 * walk;
  const double eversion_peak_frac = 0.38 + 0.02 * walk;
  double load_frac = 0.17, contact_x = 0.0;
  if (s.strike == StrikePattern::midfoot) load_frac = 0.08, contact_x = kMidfootX_m;
  if (s.strike == StrikePattern::forefoot) load_frac = 0.14, contact_x = kForefootX_m;
  const double eversion_sign = s.side == Side::left ? 1.0 : -1.0;  // eversion is +x (left) or -x (right) roll
  const double clearance_m = std::clamp(0.06 + 0.02 * s.speed_mps, 0.06, 0.2);
  const double v_imp = effective_impact_velocity_mps(s);
  const Eigen::Vector3d impact_vel(0.25 * std::abs(v_imp), 0.0, v_imp);

  // Per-stance random values: stance k starts stride k; the last one (k = strides) only settles.
  const int n = s.strides;
  auto jitter = [&](double sd) { return sd * rng.truncated_normal(); };
  const double toe_off0 = s.toe_off_angle_deg * (1.0 + jitter(cv)) * kDeg;
  // Stride times come from their own stream when timing_seed is set, so that the two feet of a two-feet run
  // share one rhythm (independent draws would let the feet drift out of step over a long run).
  Rng timing_rng(s.timing_seed);
  std::vector<Draw> draws(static_cast<std::size_t>(n) + 1);
  std::vector<double> length_factor(draws.size());
  for (std::size_t k = 0; k < draws.size(); ++k) {
    auto& d = draws[k];
    const bool changed = static_cast<double>(k) >= s.change_from_share * n;
    const double cadence = changed && !std::isnan(s.changed_cadence_spm) ? s.changed_cadence_spm : s.cadence_spm;
    const double fsa_deg = changed && !std::isnan(s.changed_fsa_deg) ? s.changed_fsa_deg : s.fsa_deg;
    d.stride_s = 120.0 / cadence * (1.0 + (s.timing_seed ? cv * timing_rng.truncated_normal() : jitter(cv)));
    length_factor[k] = 1.0 + jitter(cv);
    double fsa = fsa_deg + jitter(cv * std::max(std::abs(fsa_deg), 5.0));
    if (s.strike == StrikePattern::rearfoot) fsa = std::max(fsa, 0.5);
    if (s.strike == StrikePattern::forefoot) fsa = std::min(fsa, -0.5);
    d.fsa_rad = fsa * kDeg;
    d.toe_off_rad = s.toe_off_angle_deg * (1.0 + jitter(cv)) * kDeg;
    d.pronation_rad = std::max(0.0, s.pronation_excursion_deg * (1.0 + jitter(cv))) * kDeg;
  }
  // The second foot lands half a stride after the first: its stride k runs from the middle of the first foot's
  // stride k to the middle of stride k + 1.
  const double shift_s = s.half_stride_later ? draws[0].stride_s / 2 : 0.0;
  if (s.half_stride_later)
    for (std::size_t k = 0; k < draws.size(); ++k)
      draws[k].stride_s = (draws[k].stride_s + draws[std::min(k + 1, draws.size() - 1)].stride_s) / 2;
  for (std::size_t k = 0; k < draws.size(); ++k) draws[k].length_m = s.speed_mps * draws[k].stride_s * length_factor[k];
  // Turns: stride k (stance k to k + 1) yaws by turn[k]; it is a short, flat step (no extra draws: the random
  // streams stay as they are without turns).
  std::vector<double> turn(draws.size(), 0.0);
  for (int j = 1; j <= s.turns; ++j) {
    const long first = std::lround(static_cast<double>(j) * n / (s.turns + 1)) - s.turn_strides / 2;
    for (int i = 0; i < s.turn_strides; ++i) {
      const auto k = static_cast<std::size_t>(std::clamp(first + i, 0L, static_cast<long>(n) - 1));
      turn[k] = s.turn_deg / s.turn_strides * kDeg;
      draws[k].length_m *= s.turn_step_share;
      draws[k].toe_off_rad *= s.turn_step_share;
      draws[k + 1].fsa_rad *= s.turn_step_share;
    }
  }

  // Timeline: rest, heel rise into the first toe-off, swing, then stances and swings.
  const double nominal_contact_s = s.duty_factor * stride_s;
  const double heel_rise_to_ic_s = (1.0 - heel_off_frac) * nominal_contact_s + (1.0 - s.duty_factor) * stride_s;
  const double heel_rise_s =
      (std::isnan(s.first_ic_s) ? s.rest_before_s : std::max(0.0, s.first_ic_s - heel_rise_to_ic_s)) + shift_s;
  first_tc_s_ = heel_rise_s + (1.0 - heel_off_frac) * nominal_contact_s;
  heel_rise_s_ = heel_rise_s;
  events_.resize(draws.size());
  std::vector<double> pause(draws.size(), 0.0);  // stop-and-go: stances spread evenly, never the first or last
  for (int j = 1; j <= s.pauses; ++j)
    pause[static_cast<std::size_t>(std::lround(static_cast<double>(j) * n / (s.pauses + 1)))] = s.pause_s;
  double ic = first_tc_s_ + (1.0 - s.duty_factor) * stride_s;
  for (std::size_t k = 0; k < draws.size(); ++k) {
    const double contact_s = s.duty_factor * draws[k].stride_s;
    auto& e = events_[k];
    e.ic_s = ic;
    e.foot_flat_s = ic + load_frac * contact_s;
    e.eversion_peak_s = ic + eversion_peak_frac * contact_s;
    e.pause_s = pause[k];
    e.heel_off_s = ic + heel_off_frac * contact_s + pause[k];  // pitch 0 and roll constant until here: still
    e.tc_s = ic + contact_s + pause[k];
    e.stride_s = draws[k].stride_s;
    e.fsa_deg = draws[k].fsa_rad / kDeg;
    e.toe_off_deg = draws[k].toe_off_rad / kDeg;
    e.pronation_deg = draws[k].pronation_rad / kDeg;
    e.yaw_deg = (k == 0 ? 0.0 : events_[k - 1].yaw_deg + turn[k - 1] / kDeg);
    ic += draws[k].stride_s + pause[k];
  }
  end_s_ = events_.back().tc_s + s.rest_after_s;

  // Pitch (toe-up positive) and roll (signed eversion), C2 through all events.
  auto toe_off_rate = [&](double toe_off_rad, double push_s) { return 2.0 * toe_off_rad / push_s; };  // rate rises to its peak at TC (quartic 2s^3 - s^4)
  auto swing_pitch_via = [&](double tc, const Jet& at_tc, double next_ic, const Jet& at_ic) {
    const double d1 = 0.2 * (next_ic - tc);
    const double low = at_tc.y + 0.5 * at_tc.d * d1;  // keeps plantarflexing ever slower, then dorsiflexes
    pitch_.add(tc + d1, {low, 0.0, 0.5 * parabola_acc(tc, at_tc.y, tc + d1, low, next_ic, at_ic.y)});
  };
  auto ic_pitch = [&](std::size_t k) {
    const double load_s = events_[k].foot_flat_s - events_[k].ic_s;
    return Jet{draws[k].fsa_rad, -0.3 * draws[k].fsa_rad / load_s, 0.0};
  };
  const double push0_s = first_tc_s_ - heel_rise_s;
  const Jet tc0{toe_off0, toe_off_rate(toe_off0, push0_s), 0.0};
  pitch_.add(heel_rise_s, {});
  pitch_.add(first_tc_s_, tc0);
  swing_pitch_via(first_tc_s_, tc0, events_[0].ic_s, ic_pitch(0));
  const auto inversion = [&](std::size_t k) { return -0.3 * eversion_sign * draws[k].pronation_rad; };
  const auto peak_eversion = [&](std::size_t k) { return 0.7 * eversion_sign * draws[k].pronation_rad; };
  roll_.add(heel_rise_s, {});
  roll_.add(first_tc_s_, {inversion(0), 0.0, 0.0});
  for (std::size_t k = 0; k < events_.size(); ++k) {
    const auto& e = events_[k];
    const bool last = k + 1 == events_.size();
    pitch_.add(e.ic_s, ic_pitch(k));
    pitch_.add(e.foot_flat_s, {});
    roll_.add(e.ic_s, {inversion(k), 0.0, 0.0});
    roll_.add(e.eversion_peak_s, {peak_eversion(k), 0.0, 0.0});
    if (last) {
      roll_.add(e.tc_s, {});  // settles back to neutral, then rests
      break;
    }
    const Jet tc{draws[k].toe_off_rad, toe_off_rate(draws[k].toe_off_rad, e.tc_s - e.heel_off_s), 0.0};
    pitch_.add(e.heel_off_s, {});
    pitch_.add(e.tc_s, tc);
    swing_pitch_via(e.tc_s, tc, events_[k + 1].ic_s, ic_pitch(k + 1));
    roll_.add(e.heel_off_s, {peak_eversion(k), 0.0, 0.0});
    roll_.add(e.tc_s, {inversion(k), 0.0, 0.0});
  }

  // Heading: held from each IC to its heel-off, turned (C2, at rest at both ends) from heel-off to the next IC.
  yaw_.add(0.0, {});
  for (std::size_t k = 0; k < events_.size(); ++k) {
    const double yaw = events_[k].yaw_deg * kDeg;
    if (k > 0 && turn[k - 1] != 0.0) {
      yaw_.add(events_[k - 1].heel_off_s, {yaw - turn[k - 1], 0.0, 0.0});
      yaw_.add(events_[k].ic_s, {yaw, 0.0, 0.0});
    }
  }

  // Stances: the initial rest + heel rise (heel pivot, then toe), then one per IC.
  Stance first;
  first.ic_s = 0.0;
  first.pivot_switch_s = heel_rise_s;
  first.toe_world = {kToeX_m, 0.0, 0.0};
  stance_segments_.push_back(first);
  Eigen::Vector3d heel(s.speed_mps * stride_s, 0.0, 0.0);  // where the heel rests in the first stance
  for (std::size_t k = 0; k < events_.size(); ++k) {
    const double yaw = events_[k].yaw_deg * kDeg;
    const Eigen::Vector3d forward(std::cos(yaw), std::sin(yaw), 0.0);
    Stance st;
    st.ic_s = events_[k].ic_s;
    st.pivot_switch_s = k + 1 == events_.size() ? std::numeric_limits<double>::infinity() : events_[k].heel_off_s;
    st.contact_x_m = contact_x;
    st.contact_world = heel + contact_x * forward;
    st.toe_world = heel + kToeX_m * forward;
    if (v_imp < 0.0) st.impact = ImpactPulse(s.impact_rise_s, impact_tau_s);
    st.impact_vel = impact_vel.x() * forward + Eigen::Vector3d(0.0, 0.0, impact_vel.z());
    stance_segments_.push_back(st);
    // A turning stride goes along its mean heading (a U-turn in one stride: sideways across the turn).
    const double mid = yaw + 0.5 * turn[k];
    heel += draws[k].length_m * Eigen::Vector3d(std::cos(mid), std::sin(mid), 0.0);
  }

  // Swings: quintics matching the stance before (C1 at TC plus the toe's lift) and after (C2 but the impact).
  EvalHint hint;
  for (std::size_t j = 0; j < events_.size(); ++j) {
    const double tc = j == 0 ? first_tc_s_ : events_[j - 1].tc_s;
    const double next_ic = events_[j].ic_s;
    FootKinematics a = angles_at(tc, hint);
    place_stance(stance_segments_[j], tc, a, true);
    a.acc.z() += kToeLift_mps2;
    FootKinematics b = angles_at(next_ic, hint);
    place_stance(stance_segments_[j + 1], next_ic, b, false);
    Swing sw;
    sw.x.add(tc, {a.pos.x(), a.vel.x(), a.acc.x()});
    sw.x.add(next_ic, {b.pos.x(), b.vel.x(), b.acc.x()});
    sw.y.add(tc, {a.pos.y(), a.vel.y(), a.acc.y()});
    sw.y.add(next_ic, {b.pos.y(), b.vel.y(), b.acc.y()});
    const double d1 = 0.3 * (next_ic - tc);
    const double top = std::max(clearance_m, a.pos.z() + 0.55 * std::max(a.vel.z(), 0.0) * d1);
    sw.z.add(tc, {a.pos.z(), a.vel.z(), a.acc.z()});
    sw.z.add(tc + d1, {top, 0.0, 0.5 * parabola_acc(tc, a.pos.z(), tc + d1, top, next_ic, b.pos.z())});
    sw.z.add(next_ic, {b.pos.z(), b.vel.z(), b.acc.z()});
    swings_.push_back(std::move(sw));
  }
  segments_.push_back({0.0, true, 0});
  for (std::size_t j = 0; j < events_.size(); ++j) {
    segments_.push_back({j == 0 ? first_tc_s_ : events_[j - 1].tc_s, false, j});
    segments_.push_back({events_[j].ic_s, true, j + 1});
  }
}

FootKinematics FootMotion::angles_at(double t_s, EvalHint& hint) const {
  const Jet th = pitch_.at(t_s, hint.pitch);
  const Jet ph = roll_.at(t_s, hint.roll);
  const Jet ps = yaw_.at(t_s, hint.yaw);
  // R = R_z(psi) R_y(a) R_x(phi) with a = -pitch (toe-up positive pitch is a negative rotation about +y).
  const double a = -th.y, ad = -th.d, add = -th.dd;
  const double ca = std::cos(a), sa = std::sin(a), cp = std::cos(ph.y), sp = std::sin(ph.y);
  FootKinematics k;
  k.pitch_rad = th.y;
  k.roll_rad = ph.y;
  k.yaw_rad = ps.y;
  Eigen::Matrix3d R_pitch_roll;
  R_pitch_roll << ca, sa * sp, sa * cp, 0.0, cp, -sp, -sa, ca * sp, ca * cp;
  k.R = Eigen::AngleAxisd(ps.y, Eigen::Vector3d::UnitZ()).toRotationMatrix() * R_pitch_roll;
  k.omega = {ph.d, ad * cp, -ad * sp};
  k.alpha = {ph.dd, add * cp - ad * ph.d * sp, -add * sp - ad * ph.d * cp};
  // The heading's rate about world z, in the foot frame: psi' times R_pitch_roll's last row (d/dt of it for alpha).
  const Eigen::Vector3d z_foot(-sa, ca * sp, ca * cp);
  const Eigen::Vector3d z_foot_rate(-ca * ad, -sa * ad * sp + ca * cp * ph.d, -sa * ad * cp - ca * sp * ph.d);
  k.omega += ps.d * z_foot;
  k.alpha += ps.dd * z_foot + ps.d * z_foot_rate;
  return k;
}

void FootMotion::place_stance(const Stance& st, double t_s, FootKinematics& k, bool include_impact) const {
  const bool on_toe = t_s >= st.pivot_switch_s;
  const Eigen::Vector3d r(on_toe ? kToeX_m : st.contact_x_m, 0.0, 0.0);
  Eigen::Vector3d P = on_toe ? st.toe_world : st.contact_world;
  Eigen::Vector3d V = Eigen::Vector3d::Zero(), A = Eigen::Vector3d::Zero();
  const double tau = t_s - st.ic_s;
  if (!on_toe && st.impact.active(tau)) {
    // The contact point sinks from above its rest position while the ground removes its velocity (impact_pulse.hpp).
    P -= st.impact_vel * st.impact.remaining_s(tau);
    V = st.impact_vel * st.impact.velocity_share(tau);
    if (include_impact) A = st.impact_vel * -st.impact.decel_per_s(tau);
  }
  const Eigen::Vector3d wr = k.omega.cross(r);
  k.pos = P - k.R * r;
  k.vel = V - k.R * wr;
  k.acc = A - k.R * (k.alpha.cross(r) + k.omega.cross(wr));
}

void FootMotion::place_swing(const Swing& sw, double t_s, FootKinematics& k) const {
  std::size_t hx = 0, hy = 0, hz = 0;
  const Jet x = sw.x.at(t_s, hx), y = sw.y.at(t_s, hy), z = sw.z.at(t_s, hz);
  k.pos = {x.y, y.y, z.y};
  k.vel = {x.d, y.d, z.d};
  k.acc = {x.dd, y.dd, z.dd};
}

std::size_t FootMotion::segment_at(double t_s, std::size_t& hint) const {
  const auto n = segments_.size();
  auto inside = [&](std::size_t i) {
    return t_s >= segments_[i].start_s && (i + 1 == n || t_s < segments_[i + 1].start_s);
  };
  if (hint < n && inside(hint)) return hint;
  if (hint + 1 < n && inside(hint + 1)) return ++hint;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), t_s,
                             [](double t, const Segment& sg) { return t < sg.start_s; });
  hint = it == segments_.begin() ? 0 : static_cast<std::size_t>(it - segments_.begin()) - 1;
  return hint;
}

FootKinematics FootMotion::at(double t_s, EvalHint& hint) const {
  FootKinematics k = angles_at(t_s, hint);
  const Segment& sg = segments_[segment_at(t_s, hint.segment)];
  if (sg.stance)
    place_stance(stance_segments_[sg.index], t_s, k, true);
  else
    place_swing(swings_[sg.index], t_s, k);
  return k;
}

}  // namespace stride::sim::detail
