// The shank for a shin-mounted sensor: a rigid segment hinged at the foot's ankle point, whose sagittal angle
// follows a C2 curve through the gait events (forward lean from IC to TC, knee flexion in swing, reaching forward
// again before the next IC). Its ankle end moves with the foot, so the impact reaches the tibia physically.
#pragma once

#include <Eigen/Core>

#include "foot_motion.hpp"
#include "quintic.hpp"

namespace stride::sim::detail {

class ShankMotion {
 public:
  // Knots from the foot's events; per-stride shank angles at IC are jittered with the same CV as the foot.
  ShankMotion(const Settings& s, const FootMotion& foot, Rng& rng);

  // Shank lean about +y (knee ahead of the ankle positive), with its rate and acceleration.
  Jet lean(double t_s, std::size_t& hint) const { return lean_.at(t_s, hint); }
  double shank_angle_ic_deg(std::size_t stance) const { return angle_ic_deg_[stance]; }

  static inline const Eigen::Vector3d kAnkleInFoot{0.07, 0.0, 0.08};  // from the heel's sole point

 private:
  Spline lean_;
  std::vector<double> angle_ic_deg_;  // per stance: the tibia's angle at IC, ankle ahead of the knee positive
};

}  // namespace stride::sim::detail
