#include "shank_motion.hpp"

#include <algorithm>
#include <numbers>

#include "rng.hpp"

namespace stride::sim::detail {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

// Running stance, as shares of the stance's mean forward rotation rate (lean change / contact time): the rate at
// IC, its stance maximum (at kStancePeakShare of the contact) and its dip near TC. The swing's lean maximum comes at
// kSwingMaxShare of the swing. The pattern follows the running joint kinematics (shank hpp); the numbers are our
// choice, not digitised curves (docs/shin.md).
constexpr double kRateAtIc = 0.6;
constexpr double kStancePeakRate = 1.45;
constexpr double kStancePeakShare = 0.45;
constexpr double kLeanAtStancePeak = 0.47;  // share of the stance's lean change reached at the stance peak
constexpr double kDipRate = 0.35;
constexpr double kDipSdShare = 0.04;        // SD of the dip's offset from TC, share of the contact time
constexpr double kSwingMaxShare = 0.35;

}  // namespace

ShankMotion::ShankMotion(const Settings& s, const FootMotion& foot, Rng& rng) {
  const bool walking = s.duty_factor >= 0.5;
  lean_tc_ = (walking ? 35.0 : 45.0) * kDeg;   // at toe-off the knee is well ahead of the ankle
  lean_max_ = (walking ? 60.0 : 80.0) * kDeg;  // knee flexion in early swing
  const auto& st = foot.stances();
  for (std::size_t k = 0; k < st.size(); ++k)
    angle_ic_deg_.push_back(s.shank_angle_ic_deg * (1.0 + s.variability_cv * rng.normal()));
  // Drawn after the angles, so that those (and every shin recording's angle truth) stay as they were.
  const auto dip_offset = [&](double contact_s) {
    return walking ? 0.0 : std::clamp(rng.normal(), -2.5, 2.5) * kDipSdShare * std::min(contact_s, 0.4);
  };
  std::vector<double> dip_offset_s;
  for (const auto& e : st) dip_offset_s.push_back(dip_offset(e.tc_s - e.ic_s));
  const double first_dip_offset_s = dip_offset(foot.first_tc_s() - s.rest_before_s);

  // Leaving the rest: upright, then leaning forward through the first push-off.
  const double push0 = foot.first_tc_s() - s.rest_before_s;
  lean_.add(s.rest_before_s, {});
  if (walking)
    lean_.add(foot.first_tc_s(), {lean_tc_, 1.5 * lean_tc_ / push0, 0.0});
  else
    lean_.add(foot.first_tc_s() + first_dip_offset_s, {lean_tc_, kDipRate * lean_tc_ / push0, 0.0});
  for (std::size_t k = 0; k < st.size(); ++k) {
    const double prev_tc = k == 0 ? foot.first_tc_s() : st[k - 1].tc_s;
    const double lean_ic = -angle_ic_deg_[k] * kDeg;
    const bool last = k + 1 == st.size();
    if (walking)
      add_walking_stance(st[k], prev_tc, lean_ic, last);
    else
      add_running_stance(st[k], prev_tc, lean_ic, dip_offset_s[k], last);
  }
}

// The swing's lean maximum, then IC and TC (the rate still rising through TC).
void ShankMotion::add_walking_stance(const StanceEvents& e, double prev_tc_s, double lean_ic, bool last) {
  lean_.add(prev_tc_s + 0.35 * (e.ic_s - prev_tc_s), {lean_max_, 0.0, 0.0});
  const double stance_rate = (lean_tc_ - lean_ic) / (e.tc_s - e.ic_s);
  lean_.add(e.ic_s, {lean_ic, 0.6 * stance_rate, 0.0});
  if (last) {  // the last stance settles upright
    lean_.add(e.ic_s + 0.6, {});
    return;
  }
  lean_.add(e.tc_s, {lean_tc_, 1.2 * stance_rate, 0.0});
}

// The swing's lean maximum, IC, the stance's rate maximum, and the rate's dip near TC (a stationary point of the
// rate: zero angular acceleration), from which the early-swing knee flexion makes it surge again.
void ShankMotion::add_running_stance(const StanceEvents& e, double prev_tc_s, double lean_ic, double dip_offset_s,
                                     bool last) {
  lean_.add(prev_tc_s + kSwingMaxShare * (e.ic_s - prev_tc_s), {lean_max_, 0.0, 0.0});
  const double contact = e.tc_s - e.ic_s;
  const double stance_rate = (lean_tc_ - lean_ic) / contact;
  lean_.add(e.ic_s, {lean_ic, kRateAtIc * stance_rate, 0.0});
  if (last) {
    lean_.add(e.ic_s + 0.6, {});
    return;
  }
  lean_.add(e.ic_s + kStancePeakShare * contact,
            {lean_ic + kLeanAtStancePeak * (lean_tc_ - lean_ic), kStancePeakRate * stance_rate, 0.0});
  lean_.add(e.tc_s + dip_offset_s, {lean_tc_, kDipRate * stance_rate, 0.0});
}

}  // namespace stride::sim::detail
