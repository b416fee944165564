#include "analysis/rest_steps.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace stride {

bool is_step_from_rest(const Stride& s) {
  const auto has = [&](std::string_view code) { return s.has_invalid_code(code); };
  if (!has("rest_inside") || !std::isfinite(s.stride_length_m)) return false;
  constexpr std::array<std::string_view, 5> kTrajectoryWrong = {"length_above_limit", "speed_above_limit",
                                                                "clearance_out_of_range", "turn_rate_above_limit",
                                                                "samples_missing"};
  return std::none_of(kTrajectoryWrong.begin(), kTrajectoryWrong.end(), has);
}

RestSteps steps_from_rest(std::span<const Stride> strides, const StepFromRest& start, double max_length_m,
                          const LengthUncertaintySettings& u) {
  RestSteps r;
  const auto add = [&](double length_m, double sd_m) {
    const double sd = std::isfinite(sd_m) ? sd_m : u.estimated_stride_relative * length_m;
    ++r.count;
    r.metres += length_m;
    r.variance_m2 += sd * sd;
  };
  if (std::isfinite(start.length_m) && start.length_m <= max_length_m) add(start.length_m, start.sd_m);
  for (const auto& s : strides)
    if (is_step_from_rest(s)) add(s.stride_length_m, s.length_sd_m);
  return r;
}

}  // namespace stride
