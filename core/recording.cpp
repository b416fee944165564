#include "stride/recording.hpp"
#include "stride/gait.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace stride {

std::string utc_now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string_view to_string(Placement p) {
  switch (p) {
    case Placement::shoe: return "shoe";
    case Placement::shin: return "shin";
    default: return "unknown";
  }
}

std::string_view to_string(Side s) {
  switch (s) {
    case Side::left: return "left";
    case Side::right: return "right";
    default: return "unknown";
  }
}

std::optional<Placement> placement_from_string(std::string_view s) {
  if (s == "shoe" || s == "foot") return Placement::shoe;
  if (s == "shin" || s == "tibia" || s == "shank") return Placement::shin;
  if (s == "unknown" || s.empty()) return Placement::unknown;
  return std::nullopt;
}

std::optional<Side> side_from_string(std::string_view s) {
  if (s == "left" || s == "l" || s == "L") return Side::left;
  if (s == "right" || s == "r" || s == "R") return Side::right;
  if (s == "unknown" || s.empty()) return Side::unknown;
  return std::nullopt;
}

std::string_view to_string(StrikePattern p) {
  switch (p) {
    case StrikePattern::rearfoot: return "rearfoot";
    case StrikePattern::midfoot: return "midfoot";
    case StrikePattern::forefoot: return "forefoot";
    default: return "unknown";
  }
}

double median_interval_s(const std::vector<ImuSample>& samples) {
  std::vector<double> steps;
  steps.reserve(samples.size());
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const double dt = samples[i].t_s - samples[i - 1].t_s;
    if (dt > 0.0) steps.push_back(dt);
  }
  if (steps.empty()) return 0.0;
  auto mid = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
  std::nth_element(steps.begin(), mid, steps.end());
  return *mid;
}

std::size_t missing_samples(double gap_s, double nominal_interval_s) {
  const double ratio = gap_s / nominal_interval_s;  // NaN or infinite for a zero or absurd interval
  if (!(ratio < static_cast<double>(kMaxMissingSamples))) return kMaxMissingSamples;
  if (!(ratio >= 2.5)) return 1;
  return static_cast<std::size_t>(std::llround(ratio)) - 1;  // in range: 2.5 <= ratio < 2^40
}

std::vector<Gap> find_gaps(const std::vector<ImuSample>& samples, double nominal_interval_s, double gap_factor) {
  std::vector<Gap> gaps;
  if (nominal_interval_s <= 0.0) return gaps;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const double dt = samples[i].t_s - samples[i - 1].t_s;
    if (dt > gap_factor * nominal_interval_s)
      gaps.push_back({samples[i - 1].t_s, samples[i].t_s, missing_samples(dt, nominal_interval_s)});
  }
  return gaps;
}

}  // namespace stride
