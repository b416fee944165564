// What the flag rules read of a stride: the 16 values the families use (no strings, no vector), made when a rule
// reads it. The rules hold only the valid strides' indices (RuleStrides: 4 bytes a stride, where a copy of each
// record held ~14 MB at 24 h of running, 122 000 strides, on top of the strides themselves).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "stride/gait.hpp"

namespace stride::flag_rules {

struct RuleStride {
  double ic_s = 0, next_ic_s = 0, stride_time_s = 0;
  double gct_ms = Stride::kNaN, duty_factor = Stride::kNaN, flight_ms = Stride::kNaN;
  double cadence_spm = 0;
  double peak_impact_g = Stride::kNaN;
  double fsa_deg = Stride::kNaN;
  double pronation_excursion_deg = Stride::kNaN, pronation_velocity_dps = Stride::kNaN;
  double speed_mps = Stride::kNaN, stride_length_m = Stride::kNaN;
  StrikePattern strike_pattern = StrikePattern::unknown;
  bool impact_clipped = false;
  bool flight_from_one_foot = true;
};
static_assert(sizeof(RuleStride) <= 128, "the rules keep one per valid stride: keep it slim");

// The values copied as they are (the uncertainty filter of the single-session rules is applied by rule_input).
inline RuleStride rule_stride(const Stride& s) {
  RuleStride r;
  r.ic_s = s.ic_s;
  r.next_ic_s = s.next_ic_s;
  r.stride_time_s = s.stride_time_s;
  r.gct_ms = s.gct_ms;
  r.duty_factor = s.duty_factor;
  r.flight_ms = s.flight_ms;
  r.cadence_spm = s.cadence_spm;
  r.peak_impact_g = s.peak_impact_g;
  r.fsa_deg = s.fsa_deg;
  r.pronation_excursion_deg = s.pronation_excursion_deg;
  r.pronation_velocity_dps = s.pronation_velocity_dps;
  r.speed_mps = s.speed_mps;
  r.stride_length_m = s.stride_length_m;
  r.strike_pattern = s.strike_pattern;
  r.impact_clipped = s.impact_clipped;
  r.flight_from_one_foot = s.flight_from_one_foot;
  return r;
}

// How uncertain an event or a length may be before the rules treat the values resting on it as unknown
// (FlagSettings::max_event_sd_ms and max_length_sd_share).
struct UncertaintyLimits {
  double max_event_sd_ms = 0;
  double max_length_sd_share = 0;
};

// The stride as the rules see it: values resting on an event or a length whose stated SD is above the limits are
// unknown (NaN), so no baseline, drift or speed match counts them. A stride with no stated SD keeps its values
// (older inputs, the accelerometer-only path).
inline RuleStride rule_stride(const Stride& stride, const UncertaintyLimits& limits) {
  RuleStride s = rule_stride(stride);
  const double contact_sd_ms = std::hypot(std::isfinite(stride.ic_sd_ms) ? stride.ic_sd_ms : 0.0, stride.tc_sd_ms);
  if (contact_sd_ms > limits.max_event_sd_ms) s.gct_ms = s.duty_factor = s.flight_ms = Stride::kNaN;
  if (stride.length_sd_m > limits.max_length_sd_share * s.stride_length_m) s.stride_length_m = s.speed_mps = Stride::kNaN;
  return s;
}

// The valid strides the rules read, in IC order: indices into the session's strides, each read through
// rule_stride(stride, limits) every time.
class RuleStrides {
 public:
  RuleStrides() = default;
  RuleStrides(const std::vector<Stride>* all, std::vector<std::uint32_t> idx, UncertaintyLimits limits)
      : all_(all), idx_(std::move(idx)), limits_(limits) {}

  std::size_t size() const { return idx_.size(); }
  bool empty() const { return idx_.empty(); }
  RuleStride operator[](std::size_t i) const { return rule_stride((*all_)[idx_[i]], limits_); }
  RuleStride front() const { return (*this)[0]; }
  RuleStride back() const { return (*this)[size() - 1]; }

  class iterator {  // reads by value: `for (const auto& s : c.v)` binds each record for one step
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = RuleStride;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = RuleStride;
    iterator(const RuleStrides* v, std::size_t i) : v_(v), i_(i) {}
    RuleStride operator*() const { return (*v_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const RuleStrides* v_;
    std::size_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

 private:
  const std::vector<Stride>* all_ = nullptr;
  std::vector<std::uint32_t> idx_;
  UncertaintyLimits limits_;
};

}  // namespace stride::flag_rules
