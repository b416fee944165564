#include "analysis/stride_uncertainty.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace stride {

namespace {

template <std::size_t N>
void check_fields(const char* type, const std::pair<const char*, double> (&fields)[N]) {
  for (const auto& [name, value] : fields)
    if (!(value >= 0) || !std::isfinite(value))
      throw std::invalid_argument(std::string(type) + ": " + name + " = " + std::to_string(value) +
                                  " must be finite and >= 0");
}

}  // namespace

void EventUncertaintySettings::validate() const {
  const std::pair<const char*, double> fields[] = {
      {"ic_interpolated_share", ic_interpolated_share}, {"ic_midpoint_share", ic_midpoint_share},
      {"ic_noise_gain", ic_noise_gain},                 {"ic_floor_ms", ic_floor_ms},
      {"tc_cubic_share", tc_cubic_share},               {"tc_parabola_share", tc_parabola_share},
      {"tc_noise_gain", tc_noise_gain},                 {"tc_floor_ms", tc_floor_ms},
      {"tc_clipped_share", tc_clipped_share},
      {"shin_tc_sd_ms", shin_tc_sd_ms},                 {"acc_tc_share", acc_tc_share},
      {"acc_tc_floor_ms", acc_tc_floor_ms}};
  check_fields("EventUncertaintySettings", fields);
}

void LengthUncertaintySettings::validate() const {
  const std::pair<const char*, double> fields[] = {
      {"length_covariance_gain", length_covariance_gain},
      {"length_relative_floor", length_relative_floor},
      {"length_rebuilt_relative", length_rebuilt_relative},
      {"length_returned_relative", length_returned_relative},
      {"estimated_stride_relative", estimated_stride_relative},
      {"distance_systematic_relative", distance_systematic_relative}};
  check_fields("LengthUncertaintySettings", fields);
}

double ic_sd_ms(const EventUncertaintySettings& s, double dt_s, bool interpolated, double noise_ratio) {
  const double placement = (interpolated ? s.ic_interpolated_share : s.ic_midpoint_share) * dt_s * 1e3;
  const double noise = s.ic_noise_gain * dt_s * noise_ratio * 1e3;
  return std::hypot(placement, noise, s.ic_floor_ms);
}

double tc_sd_ms(const EventUncertaintySettings& s, double dt_s, bool cubic, double noise_samples, double clipped_s) {
  const double placement = (cubic ? s.tc_cubic_share : s.tc_parabola_share) * dt_s * 1e3;
  const double noise = s.tc_noise_gain * dt_s * noise_samples * 1e3;
  const double clipped = s.tc_clipped_share * clipped_s * 1e3;
  return std::hypot(std::hypot(placement, noise, s.tc_floor_ms), clipped);
}

double acc_tc_sd_ms(const EventUncertaintySettings& s, double dt_s) {
  return std::hypot(s.acc_tc_share * dt_s * 1e3, s.acc_tc_floor_ms);
}

double swing_position_sd_m(double swing_velocity_sd_mps, double swing_s) {
  return swing_velocity_sd_mps * swing_s / std::sqrt(12.0);
}

double length_sd_m(const LengthUncertaintySettings& s, double swing_position_sd, double length_m, GyroRebuilt rebuilt) {
  const double covariance = s.length_covariance_gain * swing_position_sd;
  const double floor = s.length_relative_floor * length_m;
  const double repair = rebuilt == GyroRebuilt::fitted      ? s.length_rebuilt_relative * length_m
                        : rebuilt == GyroRebuilt::by_return ? s.length_returned_relative * length_m
                                                            : 0.0;
  return std::hypot(covariance, floor, repair);
}

}  // namespace stride
