#include "stride/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "foot_motion.hpp"
#include "shank_motion.hpp"
#include "rng.hpp"
#include "validate.hpp"

namespace stride::sim {
namespace {

constexpr double kG = 9.80665;
const Eigen::Vector3d kGravity(0.0, 0.0, -kG);

// The noise-free sensor state and signals at one instant.
struct SensorState {
  Eigen::Vector3d pos, vel, specific_force, gyr;
  Eigen::Matrix3d R_world_sensor;
};

// A shin sensor sits on the shank, 15 cm above the ankle on the front of the tibia.
const Eigen::Vector3d kShinOffset(0.03, 0.0, 0.15);

// The shank hinged at the foot's ankle point: the ankle's motion comes from the foot, the lean from the shank curve.
SensorState shin_sensor_at(const detail::FootMotion& motion, const detail::ShankMotion& shank, double t_s,
                           detail::EvalHint& hint, std::size_t& lean_hint, const Eigen::Matrix3d& R_shank_sensor) {
  const detail::FootKinematics k = motion.at(t_s, hint);
  const Eigen::Vector3d& ra = detail::ShankMotion::kAnkleInFoot;
  const Eigen::Vector3d wa = k.omega.cross(ra);
  const Eigen::Vector3d ankle_pos = k.pos + k.R * ra;
  const Eigen::Vector3d ankle_vel = k.vel + k.R * wa;
  const Eigen::Vector3d ankle_acc = k.acc + k.R * (k.alpha.cross(ra) + k.omega.cross(wa));
  const detail::Jet lean = shank.lean(t_s, lean_hint);
  const Eigen::Matrix3d R_shank = Eigen::AngleAxisd(lean.y, Eigen::Vector3d::UnitY()).toRotationMatrix();
  const Eigen::Vector3d omega(0.0, lean.d, 0.0), alpha(0.0, lean.dd, 0.0);
  const Eigen::Vector3d wo = omega.cross(kShinOffset);
  SensorState s;
  s.pos = ankle_pos + R_shank * kShinOffset;
  s.vel = ankle_vel + R_shank * wo;
  const Eigen::Vector3d acc = ankle_acc + R_shank * (alpha.cross(kShinOffset) + omega.cross(wo));
  s.R_world_sensor = R_shank * R_shank_sensor;
  s.specific_force = s.R_world_sensor.transpose() * (acc - kGravity);
  s.gyr = R_shank_sensor.transpose() * omega;
  return s;
}

SensorState foot_sensor_at(const detail::FootMotion& motion, double t_s, detail::EvalHint& hint,
                           const Eigen::Vector3d& offset, const Eigen::Matrix3d& R_foot_sensor) {
  const detail::FootKinematics k = motion.at(t_s, hint);
  const Eigen::Vector3d wo = k.omega.cross(offset);
  SensorState s;
  s.pos = k.pos + k.R * offset;
  s.vel = k.vel + k.R * wo;
  const Eigen::Vector3d acc = k.acc + k.R * (k.alpha.cross(offset) + k.omega.cross(wo));
  s.R_world_sensor = k.R * R_foot_sensor;
  s.specific_force = s.R_world_sensor.transpose() * (acc - kGravity);
  s.gyr = R_foot_sensor.transpose() * k.omega;
  return s;
}

// Rounds to multiples of `step`. Dividing by 1/step (rather than multiplying by step) gives the double nearest a
// decimal step's multiple, so a file shows 0.0101 and not 0.010100000000000001.
void quantize(Eigen::Vector3d& v, double step) {
  if (!(step > 0.0)) return;
  const double per_unit = 1.0 / step;
  for (int i = 0; i < 3; ++i) v[i] = std::round(v[i] * per_unit) / per_unit;
}

std::uint8_t clip(Eigen::Vector3d& v, double range, std::uint8_t first_bit) {
  std::uint8_t bits = 0;
  if (range <= 0.0) return bits;
  for (int i = 0; i < 3; ++i) {
    if (std::abs(v[i]) >= range) {
      v[i] = std::copysign(range, v[i]);
      bits |= static_cast<std::uint8_t>(first_bit << i);
    }
  }
  return bits;
}

}  // namespace

Result simulate(const Settings& settings) {
  detail::validate(settings);
  const Settings& s = settings;
  detail::Rng rng(s.seed);

  Result result;
  Truth& truth = result.truth;
  if (s.random_mounting) {  // a normalised 4-D Gaussian is uniform over the rotations
    Eigen::Vector4d q;
    for (int i = 0; i < 4; ++i) q[i] = rng.normal();
    truth.mounting = Eigen::Quaterniond(q[0], q[1], q[2], q[3]).normalized();
  } else {
    truth.mounting = s.mounting.normalized();
  }
  for (int i = 0; i < 3; ++i) truth.gyr_bias_rad_s[i] = rng.uniform(-s.gyr_bias_rad_s, s.gyr_bias_rad_s);
  for (int i = 0; i < 3; ++i) truth.acc_scale[i] = 1.0 + rng.uniform(-s.acc_scale_error, s.acc_scale_error);

  const detail::FootMotion motion(s, rng);
  const Eigen::Matrix3d R_foot_sensor = truth.mounting.toRotationMatrix();  // sensor -> segment (foot or shank)
  const Eigen::Vector3d offset = s.sensor_offset_m;
  const bool shin = s.placement == Placement::shin;
  detail::Rng shank_rng(s.seed ^ 0x5eed5a4eull);  // its own stream: shoe recordings stay as they were
  const detail::ShankMotion shank(s, motion, shank_rng);
  std::size_t lean_hint = 0;
  const auto sensor_at = [&](const detail::FootMotion& m, double t, detail::EvalHint& h, const Eigen::Vector3d& off,
                             const Eigen::Matrix3d& R) {
    return shin ? shin_sensor_at(m, shank, t, h, lean_hint, R) : foot_sensor_at(m, t, h, off, R);
  };

  // Events and per-stride truth.
  const auto& st = motion.stances();
  truth.tc_s.push_back(motion.first_tc_s());
  for (std::size_t k = 0; k < st.size(); ++k) {
    truth.ic_s.push_back(st[k].ic_s);
    if (k + 1 < st.size()) truth.tc_s.push_back(st[k].tc_s);
  }
  truth.rests.push_back({0.0, motion.heel_rise_s()});
  for (std::size_t k = 0; k + 1 < st.size(); ++k)
    if (st[k].pause_s > 0.0) truth.rests.push_back({st[k].eversion_peak_s, st[k].heel_off_s});
  truth.rests.push_back({st.back().tc_s, motion.end_s()});  // the last stance settles by its nominal TC
  detail::EvalHint hint;
  // The steps out of the rests, between still moments of the stances either side (the rest itself, and the landing
  // stance at its eversion peak, where the foot is flat): a footprint each, as the trajectory measures them.
  const auto rest_step = [&](double from_s, std::size_t landing) {
    const double still_s = st[landing].eversion_peak_s;
    truth.rest_steps.push_back(
        {from_s, st[landing].ic_s, (motion.at(still_s, hint).pos - motion.at(from_s, hint).pos).head<2>().norm()});
  };
  if (!st.empty()) rest_step(0.0, 0);
  for (std::size_t k = 0; k + 1 < st.size(); ++k)
    if (st[k].pause_s > 0.0) rest_step(st[k].eversion_peak_s, k + 1);
  for (std::size_t k = 0; k + 1 < st.size(); ++k) {
    if (st[k].pause_s > 0.0) continue;  // a rest inside: no stride
    StrideTruth tr;
    tr.ic_s = st[k].ic_s;
    tr.tc_s = st[k].tc_s;
    tr.next_ic_s = st[k + 1].ic_s;
    tr.length_m = (motion.at(tr.next_ic_s, hint).pos - motion.at(tr.ic_s, hint).pos).head<2>().norm();
    tr.turn_deg = st[k + 1].yaw_deg - st[k].yaw_deg;
    tr.speed_mps = tr.length_m / (tr.next_ic_s - tr.ic_s);
    tr.fsa_deg = st[k].fsa_deg;
    tr.toe_off_angle_deg = st[k].toe_off_deg;
    tr.pronation_excursion_deg = st[k].pronation_deg;
    // The largest value within 60 ms after IC: every 0.25 ms from IC itself, then every 0.01 ms around the
    // largest (a smooth impact's peak lies between grid points; a step's is at IC, on the grid).
    const auto peak_after_ic = [&](auto&& value_at) {
      double peak = 0.0, at = tr.ic_s;
      for (int j = 0; j <= 240; ++j) {
        const double t = tr.ic_s + 0.00025 * j, v = value_at(sensor_at(motion, t, hint, offset, R_foot_sensor));
        if (v > peak) peak = v, at = t;
      }
      for (int j = -24; j <= 24; ++j) {
        const double t = at + 0.00001 * j;
        if (t > tr.ic_s && t < tr.ic_s + 0.06)
          peak = std::max(peak, value_at(sensor_at(motion, t, hint, offset, R_foot_sensor)));
      }
      return peak;
    };
    tr.peak_impact_g = peak_after_ic([](const SensorState& x) { return x.specific_force.norm(); }) / kG;
    if (shin) {
      tr.pta_g = peak_after_ic([&](const SensorState& x) {
                   return (R_foot_sensor * x.specific_force).z();  // along the tibia: shank z
                 }) / kG;
      tr.shank_angle_ic_deg = shank.shank_angle_ic_deg(k);
    }
    tr.foot_flat_s = st[k].foot_flat_s;
    tr.heel_off_s = st[k].heel_off_s;
    truth.strides.push_back(tr);
  }

  // Samples: exact signals, then scale error, bias, noise, clipping, drops.
  auto& meta = result.recording.meta;
  meta.board = "stride simulator";
  meta.sensor = "ideal 6-axis";
  meta.placement = s.placement;
  meta.side = s.side;
  meta.rate_hz = s.rate_hz;
  meta.acc_range_g = s.acc_range_g > 0.0 ? s.acc_range_g : 0.0;
  meta.gyr_range_dps = s.gyr_range_dps > 0.0 ? s.gyr_range_dps : 0.0;

  const auto count = static_cast<std::size_t>(std::floor(motion.end_s() * s.rate_hz + 1e-9)) + 1;
  auto& samples = result.recording.samples;
  samples.reserve(count);
  truth.trajectory.reserve(count);
  const double acc_range = s.acc_range_g * kG;
  const double gyr_range = s.gyr_range_dps * std::numbers::pi / 180.0;
  hint = {};
  for (std::size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / s.rate_hz;
    if (s.drop_probability > 0.0 && rng.uniform() < s.drop_probability) continue;
    // The signals averaged over the sample's interval (centred on t); the state itself is taken at t.
    Eigen::Vector3d force = Eigen::Vector3d::Zero(), rate = Eigen::Vector3d::Zero();
    const int m = s.antialias_oversample;
    for (int j = 0; j < m; ++j) {
      const double tj = t + ((j + 0.5) / m - 0.5) / s.rate_hz;
      const SensorState xj = sensor_at(motion, std::max(0.0, tj), hint, offset, R_foot_sensor);
      force += xj.specific_force;
      rate += xj.gyr;
    }
    const SensorState x = sensor_at(motion, t, hint, offset, R_foot_sensor);  // hints fall back to a search
    ImuSample smp;
    smp.t_s = t;
    smp.acc_mps2 = truth.acc_scale.cwiseProduct(force / m);
    smp.gyr_rad_s = rate / m + truth.gyr_bias_rad_s;
    if (s.acc_noise_mps2 > 0.0)
      for (int a = 0; a < 3; ++a) smp.acc_mps2[a] += s.acc_noise_mps2 * rng.normal();
    if (s.gyr_noise_rad_s > 0.0)
      for (int a = 0; a < 3; ++a) smp.gyr_rad_s[a] += s.gyr_noise_rad_s * rng.normal();
    quantize(smp.acc_mps2, s.acc_resolution_mps2);
    quantize(smp.gyr_rad_s, s.gyr_resolution_rad_s);
    smp.clipped = static_cast<std::uint8_t>(clip(smp.acc_mps2, acc_range, kClipAccX) |
                                            clip(smp.gyr_rad_s, gyr_range, kClipGyrX));
    samples.push_back(smp);
    FootState fs;
    fs.t_s = t;
    fs.pos_m = x.pos;
    fs.vel_mps = x.vel;
    fs.q_world_sensor = Eigen::Quaterniond(x.R_world_sensor).normalized();
    truth.trajectory.push_back(fs);
  }
  result.recording.gaps = find_gaps(samples, 1.0 / s.rate_hz);
  return result;
}

TwoFeet simulate_two_feet(Settings left, Settings right) {
  left.side = Side::left;
  right.side = Side::right;
  if (left.timing_seed == 0) left.timing_seed = left.seed * 0x9e3779b97f4a7c15ull + 1;
  right.timing_seed = left.timing_seed;
  left.half_stride_later = false;
  right.half_stride_later = true;
  if (right.seed == left.seed) right.seed = left.seed + 0x51de;
  // One phase for both feet, whatever their contact times (the heel rise before the first IC depends on them).
  if (std::isnan(left.first_ic_s)) left.first_ic_s = left.rest_before_s + 120.0 / left.cadence_spm;
  right.first_ic_s = left.first_ic_s;
  return {simulate(left), simulate(right)};
}

}  // namespace stride::sim
