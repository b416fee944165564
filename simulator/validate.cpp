#include "validate.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace stride::sim::detail {
namespace {

[[noreturn]] void fail(const char* field, double value, const std::string& allowed) {
  std::ostringstream os;
  os << "simulate: settings." << field << " = " << value << " is out of range; allowed: " << allowed;
  throw std::invalid_argument(os.str());
}

void in_range(const char* field, double value, double lo, double hi, const char* unit) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    std::ostringstream os;
    os << "[" << lo << ", " << hi << "] " << unit;
    fail(field, value, os.str());
  }
}

}  // namespace

double effective_impact_velocity_mps(const Settings& s) {
  return std::isnan(s.impact_velocity_mps) ? -(0.25 + 0.12 * s.speed_mps) : s.impact_velocity_mps;
}

void validate(const Settings& s) {
  in_range("speed_mps", s.speed_mps, 0.2, 7.0, "m/s");
  in_range("cadence_spm", s.cadence_spm, 60.0, 230.0, "steps/min");
  in_range("duty_factor", s.duty_factor, 0.2, 0.8, "(contact time / stride time)");
  in_range("fsa_deg", s.fsa_deg, -30.0, 40.0, "deg");
  switch (s.strike) {
    case StrikePattern::rearfoot: in_range("fsa_deg", s.fsa_deg, 1.0, 40.0, "deg for a rearfoot strike"); break;
    case StrikePattern::midfoot: in_range("fsa_deg", s.fsa_deg, -10.0, 10.0, "deg for a midfoot strike"); break;
    case StrikePattern::forefoot: in_range("fsa_deg", s.fsa_deg, -30.0, -1.0, "deg for a forefoot strike"); break;
  }
  in_range("toe_off_angle_deg", s.toe_off_angle_deg, -80.0, -5.0, "deg");
  in_range("pronation_excursion_deg", s.pronation_excursion_deg, 0.0, 25.0, "deg");
  if (!std::isnan(s.impact_velocity_mps))
    in_range("impact_velocity_mps", s.impact_velocity_mps, -3.0, 0.0, "m/s (or NaN for the speed-scaled default)");
  in_range("impact_rise_s", s.impact_rise_s, 0.0, 0.03, "s (0 = a step at IC)");
  if (s.side != Side::left && s.side != Side::right)
    throw std::invalid_argument("simulate: settings.side = unknown; allowed: left or right");
  in_range("strides", s.strides, 1, 100000, "");
  in_range("rest_before_s", s.rest_before_s, 0.0, 3600.0, "s");
  in_range("rest_after_s", s.rest_after_s, 0.0, 3600.0, "s");
  in_range("pauses", s.pauses, 0, s.strides - 1, "(at most strides - 1)");
  in_range("pause_s", s.pause_s, 0.0, 3600.0, "s");
  if (s.pauses > 0 && s.placement != Placement::shoe)
    throw std::invalid_argument("simulate: settings.pauses = " + std::to_string(s.pauses) +
                                " needs placement shoe (the shank model has no standstill)");
  in_range("turns", s.turns, 0, 1000, "");
  in_range("turn_deg", s.turn_deg, -360.0, 360.0, "deg");
  in_range("turn_strides", s.turn_strides, 1, 4, "strides of this foot");
  in_range("turn_step_share", s.turn_step_share, 0.2, 1.0, "");
  if (s.turns > 0 && s.turns * s.turn_strides > s.strides - 2)
    throw std::invalid_argument("simulate: settings.turns = " + std::to_string(s.turns) + " of " +
                                std::to_string(s.turn_strides) + " strides each need more than settings.strides = " +
                                std::to_string(s.strides) + " (at least turns * turn_strides + 2)");
  if (s.turns > 0 && s.placement != Placement::shoe)
    throw std::invalid_argument("simulate: settings.turns = " + std::to_string(s.turns) +
                                " needs placement shoe (the shank model walks straight)");
  if (!std::isnan(s.first_ic_s)) in_range("first_ic_s", s.first_ic_s, 0.0, 3600.0, "s");
  in_range("variability_cv", s.variability_cv, 0.0, 0.1, "");
  in_range("change_from_share", s.change_from_share, 0.0, 1.0, "");
  if (!std::isnan(s.changed_cadence_spm)) in_range("changed_cadence_spm", s.changed_cadence_spm, 60.0, 230.0, "steps/min");
  if (!std::isnan(s.changed_fsa_deg)) in_range("changed_fsa_deg", s.changed_fsa_deg, -30.0, 40.0, "deg");
  in_range("rate_hz", s.rate_hz, 100.0, 1000.0, "Hz");
  in_range("antialias_oversample", s.antialias_oversample, 1, 64, "points");
  in_range("sensor_offset_m.x", s.sensor_offset_m.x(), -0.1, 0.35, "m");
  in_range("sensor_offset_m.y", s.sensor_offset_m.y(), -0.1, 0.1, "m");
  in_range("sensor_offset_m.z", s.sensor_offset_m.z(), 0.0, 0.2, "m");
  if (!s.random_mounting) in_range("mounting (quaternion norm)", s.mounting.norm(), 0.999, 1.001, "");
  in_range("acc_noise_mps2", s.acc_noise_mps2, 0.0, 10.0, "m/s^2");
  in_range("gyr_noise_rad_s", s.gyr_noise_rad_s, 0.0, 1.0, "rad/s");
  in_range("gyr_bias_rad_s", s.gyr_bias_rad_s, 0.0, 1.0, "rad/s");
  in_range("acc_scale_error", s.acc_scale_error, 0.0, 0.2, "");
  if (!std::isfinite(s.acc_range_g) || s.acc_range_g > 1000.0)
    fail("acc_range_g", s.acc_range_g, "<= 0 (no clipping) or up to 1000 g");
  if (!std::isfinite(s.gyr_range_dps) || s.gyr_range_dps > 100000.0)
    fail("gyr_range_dps", s.gyr_range_dps, "<= 0 (no clipping) or up to 100000 deg/s");
  in_range("drop_probability", s.drop_probability, 0.0, 0.5, "");
  in_range("acc_resolution_mps2", s.acc_resolution_mps2, 0.0, 1.0, "m/s^2");
  in_range("gyr_resolution_rad_s", s.gyr_resolution_rad_s, 0.0, 0.1, "rad/s");
  const double stride_s = 120.0 / s.cadence_spm;
  const double samples =
      (s.rest_before_s + s.rest_after_s + s.pauses * s.pause_s + (s.strides + 2) * stride_s * 1.4) * s.rate_hz;
  if (samples > 2.0e7) {
    std::ostringstream os;
    os << "simulate: about " << samples << " samples (settings.strides = " << s.strides
       << ", rests and rate_hz = " << s.rate_hz << ") exceed the limit of 2e7; lower strides, rests or rate";
    throw std::invalid_argument(os.str());
  }
}

}  // namespace stride::sim::detail
