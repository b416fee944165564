// The foot's motion as analytic functions of time: a timeline of events, C2 splines for pitch, roll and heading
// (yaw: turns), and segments that place the foot's origin (heel sole point) either by a fixed ground pivot (stance)
// or by quintic curves (swing). Everything here is noise-free and exact.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "impact_pulse.hpp"
#include "quintic.hpp"
#include "rng.hpp"
#include "stride/simulate.hpp"

namespace stride::sim::detail {

// Foot-frame points on the sole line (x toe-ward from the heel's sole point).
inline constexpr double kToeX_m = 0.20;       // push-off pivot
inline constexpr double kForefootX_m = 0.18;  // metatarsal heads: first contact of a forefoot strike
inline constexpr double kMidfootX_m = 0.09;   // first contact of a midfoot strike
inline constexpr double kToeLift_mps2 = 15.0; // upward jump of the origin's acceleration when the toe releases

// Position, velocity and acceleration of the foot's origin (world) and its rotation state.
struct FootKinematics {
  Eigen::Vector3d pos = Eigen::Vector3d::Zero(), vel = Eigen::Vector3d::Zero(), acc = Eigen::Vector3d::Zero();
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();      // foot -> world
  Eigen::Vector3d omega = Eigen::Vector3d::Zero();      // body rate, foot frame
  Eigen::Vector3d alpha = Eigen::Vector3d::Zero();      // body angular acceleration, foot frame
  double pitch_rad = 0.0, roll_rad = 0.0, yaw_rad = 0.0;
};

// One ground contact: the origin is placed from a fixed ground point (the pivot) and the rotation.
struct Stance {
  double ic_s = 0.0;          // impact start (the initial rest has none: an empty pulse)
  double pivot_switch_s = 0.0;  // heel-off: from here the pivot is the toe (infinite for the last stance)
  double contact_x_m = 0.0;   // first contact point on the sole line (foot frame x)
  Eigen::Vector3d contact_world = Eigen::Vector3d::Zero();  // its rest position
  Eigen::Vector3d toe_world = Eigen::Vector3d::Zero();      // toe point's position during push-off
  ImpactPulse impact;         // the contact point's deceleration from ic_s on; default: none
  Eigen::Vector3d impact_vel = Eigen::Vector3d::Zero();     // contact point velocity at IC (x forward, z down)
};

struct Swing {
  Spline x, y, z;   // origin (world)
};

struct Segment {
  double start_s = 0.0;
  bool stance = true;
  std::size_t index = 0;  // into stances or swings
};

// Per-stance timing and angles (what the truth reports).
struct StanceEvents {
  double ic_s = 0.0, foot_flat_s = 0.0, eversion_peak_s = 0.0, heel_off_s = 0.0, tc_s = 0.0;
  double fsa_deg = 0.0, toe_off_deg = 0.0, pronation_deg = 0.0, stride_s = 0.0;
  double pause_s = 0.0;  // the foot stands still from eversion_peak_s for this much longer (stop-and-go)
  double yaw_deg = 0.0;  // heading of the foot from IC to heel-off (turns change it from heel-off to the next IC)
};

struct EvalHint {
  std::size_t pitch = 0, roll = 0, yaw = 0, segment = 0;
};

class FootMotion {
 public:
  FootMotion(const Settings& s, Rng& rng);  // draws the per-stride jitter from rng

  double end_s() const { return end_s_; }
  double first_tc_s() const { return first_tc_s_; }
  double heel_rise_s() const { return heel_rise_s_; }  // the standing start ends here
  const std::vector<StanceEvents>& stances() const { return events_; }  // strides + 1 (last: final stance)

  FootKinematics at(double t_s, EvalHint& hint) const;

 private:
  FootKinematics angles_at(double t_s, EvalHint& hint) const;
  // include_impact = false leaves out the contact point's impact deceleration (to match the swing to it).
  void place_stance(const Stance& st, double t_s, FootKinematics& k, bool include_impact) const;
  void place_swing(const Swing& sw, double t_s, FootKinematics& k) const;
  std::size_t segment_at(double t_s, std::size_t& hint) const;

  Spline pitch_, roll_, yaw_;
  std::vector<Stance> stance_segments_;
  std::vector<Swing> swings_;
  std::vector<Segment> segments_;
  std::vector<StanceEvents> events_;
  double end_s_ = 0.0, first_tc_s_ = 0.0, heel_rise_s_ = 0.0;
};

}  // namespace stride::sim::detail
