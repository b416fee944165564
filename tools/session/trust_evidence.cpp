#include "tools/session/trust_evidence.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace stride::session {
namespace {

// The stride fields a flag can rest on, by their JSON names.
struct Field {
  std::string_view key;
  double Stride::*member;
};
constexpr Field kFields[] = {{"gct_ms", &Stride::gct_ms},
                             {"flight_ms", &Stride::flight_ms},
                             {"cadence_spm", &Stride::cadence_spm},
                             {"peak_impact_g", &Stride::peak_impact_g},
                             {"fsa_deg", &Stride::fsa_deg},
                             {"pronation_excursion_deg", &Stride::pronation_excursion_deg},
                             {"pronation_velocity_dps", &Stride::pronation_velocity_dps},
                             {"stride_length_m", &Stride::stride_length_m},
                             {"speed_mps", &Stride::speed_mps}};

bool is_field(std::string_view key) {
  return std::any_of(std::begin(kFields), std::end(kFields), [&](const Field& f) { return f.key == key; });
}

// Flag value names that mean a stride field under another name.
std::string_view alias(std::string_view key) {
  if (key == "peak_g") return "peak_impact_g";        // fall_or_knock: that one stride's peak
  if (key == "rearfoot_share") return "fsa_deg";      // heel_strike: a rearfoot strike is a toe-up angle
  return key;
}

const double* value_of(const Flag& flag, std::string_view name) {
  for (const auto& [k, v] : flag.values)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace

double stride_value(const Stride& s, const std::string& key) {
  for (const auto& f : kFields)
    if (f.key == key) return s.*f.member;
  return std::nan("");
}

std::optional<EvidenceMetric> evidence_metric(const Flag& flag, const std::string& side) {
  const std::string own = side + "_", other = side == "left" ? "right_" : "left_";
  for (const auto& [name, value] : flag.values) {
    std::string_view k = name;
    const bool of_a_side = k.starts_with("left_") || k.starts_with("right_");
    if (of_a_side && !k.starts_with(own)) continue;  // the other foot's value of an asymmetry
    if (of_a_side) k.remove_prefix(own.size());
    const std::string key(alias(k));
    if (!is_field(key)) continue;
    int worse = key == "cadence_spm" ? -1 : +1;
    const double* base = value_of(flag, (of_a_side ? own : std::string()) + "baseline_" + key);
    const double* theirs = of_a_side ? value_of(flag, other + key) : nullptr;
    if (base && value != *base)
      worse = value > *base ? +1 : -1;
    else if (!base && theirs && value != *theirs)  // an asymmetry: this foot against the other
      worse = value > *theirs ? +1 : -1;
    return EvidenceMetric{key, worse};
  }
  return std::nullopt;
}

std::vector<EvidenceStride> evidence_strides(const std::vector<Stride>& strides, const EvidenceMetric& metric,
                                             double from_s, double to_s, double max_stride_s) {
  constexpr double kSlackS = 1e-6;  // the flag's range is the strides' own times
  std::vector<std::size_t> in;
  for (std::size_t i = 0; i < strides.size(); ++i) {
    const Stride& s = strides[i];
    if (s.valid && s.ic_s >= from_s - kSlackS && s.next_ic_s <= to_s + kSlackS && s.next_ic_s > s.ic_s &&
        s.next_ic_s - s.ic_s <= max_stride_s && std::isfinite(stride_value(s, metric.key)))
      in.push_back(i);
  }
  if (in.empty()) return {};
  // By how bad: the worse direction's value, ascending (ties: the earlier stride first).
  const auto badness = [&](std::size_t i) { return metric.worse * stride_value(strides[i], metric.key); };
  std::stable_sort(in.begin(), in.end(), [&](std::size_t a, std::size_t b) { return badness(a) < badness(b); });
  const std::size_t picks[] = {in.back(), in[(in.size() - 1) / 2], in.front()};
  const char* labels[] = {"worst", "typical", "mildest"};
  std::vector<EvidenceStride> out;
  for (std::size_t p = 0; p < std::size(picks) && out.size() < kMaxEvidenceStrides; ++p) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const EvidenceStride& e) { return e.index == picks[p]; });
    if (!seen) out.push_back({picks[p], labels[p], stride_value(strides[picks[p]], metric.key)});
  }
  return out;
}

}  // namespace stride::session
