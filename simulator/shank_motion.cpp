#include "shank_motion.hpp"

#include <numbers>

#include "rng.hpp"

namespace stride::sim::detail {

ShankMotion::ShankMotion(const Settings& s, const FootMotion& foot, Rng& rng) {
  constexpr double kDeg = std::numbers::pi / 180.0;
  const bool walking = s.duty_factor >= 0.5;
  const double lean_tc = (walking ? 35.0 : 45.0) * kDeg;   // at toe-off the knee is well ahead of the ankle
  const double lean_max = (walking ? 60.0 : 80.0) * kDeg;  // knee flexion in early swing
  const auto& st = foot.stances();
  for (std::size_t k = 0; k < st.size(); ++k)
    angle_ic_deg_.push_back(s.shank_angle_ic_deg * (1.0 + s.variability_cv * rng.normal()));

  // Leaving the rest: upright, then leaning forward through the first push-off.
  const double push0 = foot.first_tc_s() - s.rest_before_s;
  lean_.add(s.rest_before_s, {});
  lean_.add(foot.first_tc_s(), {lean_tc, 1.5 * lean_tc / push0, 0.0});
  for (std::size_t k = 0; k < st.size(); ++k) {
    const auto& e = st[k];
    const double prev_tc = k == 0 ? foot.first_tc_s() : st[k - 1].tc_s;
    const double lean_ic = -angle_ic_deg_[k] * kDeg;
    lean_.add(prev_tc + 0.35 * (e.ic_s - prev_tc), {lean_max, 0.0, 0.0});
    const double contact = e.tc_s - e.ic_s;
    const double stance_rate = (lean_tc - lean_ic) / contact;
    lean_.add(e.ic_s, {lean_ic, 0.6 * stance_rate, 0.0});
    if (k + 1 == st.size()) {  // the last stance settles upright
      lean_.add(e.ic_s + 0.6, {});
      break;
    }
    lean_.add(e.tc_s, {lean_tc, 1.2 * stance_rate, 0.0});
  }
}

}  // namespace stride::sim::detail
