// What the flag rules read of a stride: the 16 values the families use, 112 bytes instead of a Stride's 336 (no
// strings, no vector). The rules keep one per valid stride for the whole session (baseline, rolling medians), so
// at 24 h of running (122 000 strides) this is what they hold: ~14 MB instead of ~41 MB.
#pragma once

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

}  // namespace stride::flag_rules
