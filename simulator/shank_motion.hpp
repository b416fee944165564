// The shank for a shin-mounted sensor: a rigid segment hinged at the foot's ankle point, whose sagittal angle
// follows a C2 curve through the gait events (forward lean from IC to TC, knee flexion in swing, reaching forward
// again before the next IC). Its ankle end moves with the foot, so the impact reaches the tibia physically.
//
// Running (duty factor < 0.5): the shank's forward rotation rate is the knee's flexion rate minus the thigh's.
// In stance it is fast after IC (the knee flexes while the hip extends) and slows towards TC, where the knee has
// extended again while the hip is still extending; after TC the knee flexes fast (early swing) and the rate surges,
// until the shank's lean peaks in swing and it swings forward (our reading of the running joint kinematics reviewed
// by Novacheck 1998, Gait Posture 7:77). So the rate has a dip near TC between the stance and swing maxima. Where
// exactly the dip lies relative to TC is not published for a shank gyroscope in the sources we could read
// (docs/shin.md): it is drawn per stride around TC (mean 0, SD 4 % of the contact time), an assumption, not data.
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
  void add_walking_stance(const StanceEvents& e, double prev_tc_s, double lean_ic, bool last);
  void add_running_stance(const StanceEvents& e, double prev_tc_s, double lean_ic, double dip_offset_s, bool last);

  Spline lean_;
  std::vector<double> angle_ic_deg_;  // per stance: the tibia's angle at IC, ankle ahead of the knee positive
  double lean_tc_ = 0.0, lean_max_ = 0.0;
};

}  // namespace stride::sim::detail
