#include "analysis/missing_distance.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace stride {

namespace {

constexpr std::size_t kReach = 10;

// Median speed of the nearest strides that pass `use`, up to `neighbours` on each side; NaN when there are none.
template <typename Use>
double neighbour_speed(std::span<const Stride> strides, std::size_t i, std::size_t neighbours, Use use,
                       std::vector<double>& speeds) {
  speeds.clear();
  std::size_t before = 0, after = 0;
  for (std::size_t d = 1; d <= kReach && (before < neighbours || after < neighbours); ++d) {
    if (before < neighbours && d <= i && use(i - d)) speeds.push_back(strides[i - d].speed_mps), ++before;
    if (after < neighbours && i + d < strides.size() && use(i + d)) speeds.push_back(strides[i + d].speed_mps), ++after;
  }
  if (speeds.empty()) return std::nan("");
  const auto mid = speeds.begin() + static_cast<std::ptrdiff_t>(speeds.size() / 2);
  std::nth_element(speeds.begin(), mid, speeds.end());
  double speed = *mid;
  if (speeds.size() % 2 == 0) speed = 0.5 * (speed + *std::max_element(speeds.begin(), mid));
  return speed;
}

}  // namespace

std::size_t withhold_inconsistent_rebuilt(std::span<Stride> strides, double tolerance) {
  const auto trusted = [&](std::size_t k) {
    const Stride& s = strides[k];
    return s.valid && std::isfinite(s.stride_length_m) && std::isfinite(s.speed_mps);
  };
  std::vector<double> speeds;
  std::vector<std::size_t> withhold;  // decided on the values as measured, then applied
  for (std::size_t i = 0; i < strides.size(); ++i) {
    const Stride& s = strides[i];
    if (!s.spatial_rebuilt || !std::isfinite(s.speed_mps)) continue;
    const double speed = neighbour_speed(strides, i, 2, trusted, speeds);
    if (std::isfinite(speed) && std::abs(s.speed_mps / speed - 1.0) > tolerance) withhold.push_back(i);
  }
  for (const std::size_t i : withhold) {
    Stride& s = strides[i];
    for (double* v : {&s.stride_length_m, &s.speed_mps, &s.fsa_deg, &s.toe_off_angle_deg, &s.pronation_excursion_deg,
                      &s.pronation_velocity_dps, &s.max_clearance_m, &s.turning_angle_deg})
      *v = Stride::kNaN;
    s.strike_pattern = StrikePattern::unknown;
    s.set_spatial_issue("gyroscope saturated; the rebuilt peaks gave a speed more than " +
                        std::to_string(static_cast<int>(100 * tolerance)) + " % off its neighbours': withheld");
  }
  return withhold.size();
}

MissingDistance estimate_missing_distance(std::span<const Stride> strides, std::size_t neighbours) {
  MissingDistance r;
  const auto measured = [&](std::size_t k) {
    return strides[k].valid && std::isfinite(strides[k].stride_length_m) && std::isfinite(strides[k].speed_mps);
  };
  std::vector<double> speeds;
  for (std::size_t i = 0; i < strides.size(); ++i) {
    const Stride& s = strides[i];
    if (!s.valid || std::isfinite(s.stride_length_m) || !(s.stride_time_s > 0)) continue;
    const double speed = neighbour_speed(strides, i, neighbours, measured, speeds);
    if (!std::isfinite(speed)) continue;
    r.metres += speed * s.stride_time_s;
    ++r.strides;
  }
  return r;
}

double distance_sd_m(std::span<const Stride> strides, double estimated_m, const LengthUncertaintySettings& u,
                     const RestSteps& rest) {
  double variance = rest.variance_m2;
  bool any = estimated_m > 0 || rest.count > 0;
  for (const auto& s : strides) {
    if (!s.valid || !std::isfinite(s.stride_length_m)) continue;
    const double sd = std::isfinite(s.length_sd_m) ? s.length_sd_m : u.estimated_stride_relative * s.stride_length_m;
    variance += sd * sd;
    any = true;
  }
  const double estimated_sd = u.estimated_stride_relative * estimated_m;
  double total = estimated_m + rest.metres;
  for (const auto& s : strides)
    if (s.valid && std::isfinite(s.stride_length_m)) total += s.stride_length_m;
  const double shared_sd = u.distance_systematic_relative * total;
  return any ? std::sqrt(variance + estimated_sd * estimated_sd + shared_sd * shared_sd) : Stride::kNaN;
}

}  // namespace stride
