#include "analysis/plausibility.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analysis/session_stats.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

void require(bool ok, const char* field, double value, const char* range) {
  if (!ok)
    throw std::invalid_argument(std::string("StridePlausibility: ") + field + " = " + std::to_string(value) +
                                " outside " + range);
}

}  // namespace

StridePlausibility::StridePlausibility() : StridePlausibility(Settings{}) {}

StridePlausibility::StridePlausibility(const Settings& s) : s_(s) {
  require(s.max_stride_length_m > 0, "max_stride_length_m", s.max_stride_length_m, "(0, inf) m");
  require(s.max_speed_mps > 0, "max_speed_mps", s.max_speed_mps, "(0, inf) m/s");
  require(s.walking_stride_s > 0, "walking_stride_s", s.walking_stride_s, "(0, inf) s");
  require(s.max_walking_stride_length_m > 0 && s.max_walking_stride_length_m <= s.max_stride_length_m,
          "max_walking_stride_length_m", s.max_walking_stride_length_m, "(0, max_stride_length_m] m");
  require(s.min_clearance_m < s.max_clearance_m, "min_clearance_m", s.min_clearance_m, "(-inf, max_clearance_m) m");
  require(s.max_turn_rate_dps > 0, "max_turn_rate_dps", s.max_turn_rate_dps, "(0, inf) deg/s");
  require(s.max_neighbour_ratio > 1, "max_neighbour_ratio", s.max_neighbour_ratio, "(1, inf)");
  require(s.min_neighbours >= 1 && s.min_neighbours <= 2 * s.neighbours, "min_neighbours",
          static_cast<double>(s.min_neighbours), "[1, 2 * neighbours]");
}

void StridePlausibility::check(Stride& s) const {
  const double len = s.stride_length_m;
  if (len > s_.max_stride_length_m)
    s.invalidate("length_above_limit", "stride length " + fixed(len, 2) + " m above the human limit of " +
                                           fixed(s_.max_stride_length_m, 1) + " m");
  if (s.speed_mps > s_.max_speed_mps)
    s.invalidate("speed_above_limit", "speed " + fixed(s.speed_mps, 1) + " m/s above the human limit of " +
                                          fixed(s_.max_speed_mps, 1) + " m/s");
  if (s.stride_time_s >= s_.walking_stride_s && len > s_.max_walking_stride_length_m &&
      len <= s_.max_stride_length_m)  // longer ones already failed above
    s.invalidate("length_above_walking_limit",
                 "stride length " + fixed(len, 2) + " m at a walking cadence (" + fixed(s.cadence_spm, 0) +
                     " steps/min) above the walking limit of " + fixed(s_.max_walking_stride_length_m, 1) + " m");
  if (s.max_clearance_m > s_.max_clearance_m || s.max_clearance_m < s_.min_clearance_m)
    s.invalidate("clearance_out_of_range", "swing clearance " + fixed(s.max_clearance_m, 2) + " m outside [" +
                                               fixed(s_.min_clearance_m, 2) + ", " + fixed(s_.max_clearance_m, 2) +
                                               "] m");
  if (s.stride_time_s > 0) {
    const double rate = std::abs(s.turning_angle_deg) / s.stride_time_s;
    if (rate > s_.max_turn_rate_dps)
      s.invalidate("turn_rate_above_limit", "turning " + fixed(s.turning_angle_deg, 0) + " deg in " +
                                                fixed(s.stride_time_s, 2) + " s (" + fixed(rate, 0) +
                                                " deg/s) above the limit of " + fixed(s_.max_turn_rate_dps, 0) +
                                                " deg/s");
  }
}

void StridePlausibility::check_against(Stride& s, std::span<const double> lengths) const {
  if (!s.valid || !std::isfinite(s.stride_length_m) || lengths.size() < s_.min_neighbours) return;
  const double m = median(std::vector<double>(lengths.begin(), lengths.end()));
  if (!(m > 0) || s.stride_length_m <= s_.max_neighbour_ratio * m) return;
  s.invalidate("length_off_neighbours", "stride length " + fixed(s.stride_length_m, 2) + " m is " +
                                            fixed(s.stride_length_m / m, 1) + "x the median " + fixed(m, 2) +
                                            " m of its neighbours (limit " + fixed(s_.max_neighbour_ratio, 1) +
                                            "x)");
}

std::size_t StridePlausibility::check_session(std::span<Stride> strides) const {
  std::vector<std::size_t> codes_before;
  for (const auto& s : strides) codes_before.push_back(s.invalid_codes().size());
  for (auto& s : strides) check(s);
  // Neighbours: the valid strides with a length, as they are after the per-stride limits (so that one
  // impossible stride does not move its neighbours' median). Decided on that set, applied afterwards.
  std::vector<std::size_t> ok;
  for (std::size_t i = 0; i < strides.size(); ++i)
    if (strides[i].valid && std::isfinite(strides[i].stride_length_m)) ok.push_back(i);
  const auto neighbours_of = [&](std::size_t k) {
    std::vector<double> around;
    for (std::size_t j = k; j > 0 && k - j < s_.neighbours; --j) around.push_back(strides[ok[j - 1]].stride_length_m);
    for (std::size_t j = k + 1; j < ok.size() && j - k <= s_.neighbours; ++j) around.push_back(strides[ok[j]].stride_length_m);
    return around;
  };
  std::vector<std::pair<std::size_t, std::vector<double>>> judged;
  for (std::size_t k = 0; k < ok.size(); ++k) judged.emplace_back(ok[k], neighbours_of(k));
  for (auto& [i, around] : judged) check_against(strides[i], around);
  std::size_t failed = 0;
  for (std::size_t i = 0; i < strides.size(); ++i) failed += strides[i].invalid_codes().size() > codes_before[i] ? 1 : 0;
  return failed;
}

double valid_distance_m(std::span<const Stride> strides) {
  double d = 0;
  for (const auto& s : strides)
    if (s.valid && std::isfinite(s.stride_length_m)) d += s.stride_length_m;
  return d;
}

}  // namespace stride
