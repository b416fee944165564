// The contact point's deceleration at initial contact, as a shape in time: how much of the impact velocity is
// left (velocity share), how fast it goes (deceleration, 1/s), and how far the point still sinks (remaining
// share, s). The ground's force starts at IC in both shapes: IC (the truth) is the start of the pulse.
//
// - step (rise_s = 0, the default): the force jumps to its maximum at IC and fades linearly over fall_s; the
//   velocity goes as (1 - s)^2. Sampled at 100-1000 Hz, the first sample after IC catches a share of the jump that
//   depends on where IC falls between samples (62-82 % at 200 Hz, box-averaged samples): the sampled peak moves
//   by up to 38 % from stride to stride.
// - smooth (rise_s > 0): a raised-cosine rise over rise_s to the peak, then a raised-cosine fall over fall_s.
//   Why this shape: a heel meeting the ground through the heel pad and the midsole is a contact whose stiffness
//   grows with compression (Hertzian contact; Johnson 1985, Contact Mechanics, ch. 11: such an impact's force
//   starts from zero with zero slope and rises smoothly to its peak), not a rigid collision. Why milliseconds: the
//   vertical ground reaction force's impact peak of heel-strike running comes within the first ~10 % of stance,
//   10-30 ms after contact, inside an impact phase of ~50 ms (Nordin, Dufek & Mercer 2017, J Sport Health Sci
//   6(4), three-dimensional impact kinetics across foot-strike patterns), and the heel-strike transient of walking
//   reaches the tibia at ~5 g with hard heels, half that with resilient ones (Light, McLellan & Klenerman 1980,
//   J Biomech 13:477): the shoe shapes it. The
//   shoe's own deceleration drives that force and peaks earlier; 5-15 ms is our reading for its rise, not a
//   measured value (no source we could read gives the shoe sensor's rise time itself). The raised cosine has no
//   corner at either end (its spectrum falls as 1/f^3), so a sensor's sampling sees the peak from its shape, not
//   from where IC falls between two samples.
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

namespace stride::sim::detail {

class ImpactPulse {
 public:
  ImpactPulse() = default;
  ImpactPulse(double rise_s, double fall_s) : rise_s_(rise_s), fall_s_(fall_s) {}

  double duration_s() const { return rise_s_ + fall_s_; }
  bool active(double tau_s) const { return fall_s_ > 0.0 && tau_s < duration_s(); }

  // Share of the impact velocity left at tau_s after IC (1 at IC, 0 at the end).
  double velocity_share(double tau_s) const {
    if (rise_s_ <= 0.0) {
      const double u = step_u(tau_s);
      return u * u;
    }
    return 1.0 - decel_integral(std::max(tau_s, 0.0));
  }
  // Deceleration, 1/s: the velocity share's rate of fall (the acceleration is -impact velocity times this).
  double decel_per_s(double tau_s) const {
    if (rise_s_ <= 0.0) return 2.0 * step_u(tau_s) / fall_s_;
    if (tau_s < 0.0 || tau_s >= duration_s()) return 0.0;
    if (tau_s < rise_s_) return peak() * 0.5 * (1.0 - std::cos(kPi * tau_s / rise_s_));
    return peak() * 0.5 * (1.0 + std::cos(kPi * (tau_s - rise_s_) / fall_s_));
  }
  // How far the point still sinks from tau_s to the end, in seconds times the impact velocity.
  double remaining_s(double tau_s) const {
    if (rise_s_ <= 0.0) {
      const double u = step_u(tau_s);
      return fall_s_ / 3.0 * u * u * u;
    }
    const double t = std::max(tau_s, 0.0);
    return (duration_s() - t) - (second_integral(duration_s()) - second_integral(t));
  }

 private:
  static constexpr double kPi = std::numbers::pi;
  double step_u(double tau_s) const { return 1.0 - std::max(tau_s, 0.0) / fall_s_; }
  double peak() const { return 2.0 / duration_s(); }  // the raised cosines' area is peak * (rise + fall) / 2 = 1
  // The deceleration's integral from IC to t (the velocity share lost) and that integral's own integral.
  double decel_integral(double t) const {
    const double c = 0.5 * peak();
    if (t < rise_s_) return c * (t - rise_s_ / kPi * std::sin(kPi * t / rise_s_));
    const double s = std::min(t - rise_s_, fall_s_);
    return c * (rise_s_ + s + fall_s_ / kPi * std::sin(kPi * s / fall_s_));
  }
  double second_integral(double t) const {
    const double c = 0.5 * peak();
    const double r2 = rise_s_ * rise_s_ / (kPi * kPi);
    if (t < rise_s_) return c * (0.5 * t * t + r2 * (std::cos(kPi * t / rise_s_) - 1.0));
    const double s = std::min(t - rise_s_, fall_s_);  // callers stay within the pulse
    const double at_peak = c * (0.5 * rise_s_ * rise_s_ - 2.0 * r2);
    const double f2 = fall_s_ * fall_s_ / (kPi * kPi);
    return at_peak + c * (rise_s_ * s + 0.5 * s * s + f2 * (1.0 - std::cos(kPi * s / fall_s_)));
  }

  double rise_s_ = 0.0, fall_s_ = 0.0;
};

}  // namespace stride::sim::detail
