// The registry of the single-session flags: FlagSettings' checks, and the order in which the families
// (analysis/flags/: quality, form, impact, fatigue, symmetry) are evaluated and their flags listed.
#include "analysis/flags.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "analysis/flags/rules.hpp"
#include "analysis/text.hpp"

namespace stride {

void FlagSettings::validate() const {
  const auto in = [](double v, double lo, double hi, const char* name, const char* unit) {
    if (!(v >= lo && v <= hi))
      throw std::invalid_argument(std::string("FlagSettings: ") + name + " = " + std::to_string(v) + " outside [" +
                                  fixed(lo, 3) + ", " + fixed(hi, 3) + "]" + (*unit ? " " : "") + unit);
  };
  in(min_valid_strides, 1, 1e6, "min_valid_strides", "strides");
  in(min_duration_s, 0, 1e6, "min_duration_s", "s");
  in(baseline_share, 0.01, 0.5, "baseline_share", "");
  in(min_baseline_strides, 5, 1e5, "min_baseline_strides", "strides");
  in(speed_match_rel, 0.01, 1, "speed_match_rel", "");
  in(max_event_sd_ms, 0, 1e4, "max_event_sd_ms", "ms");
  in(max_length_sd_share, 0, 10, "max_length_sd_share", "");
  in(window_strides, 3, 1e4, "window_strides", "strides");
  in(hold_distance_m, 0, 1e6, "hold_distance_m", "m");
  in(min_hold_strides, 1, 1e5, "min_hold_strides", "strides");
  in(running_max_duty_factor, 0.1, 1, "running_max_duty_factor", "");
  in(running_min_speed_mps, 0, 10, "running_min_speed_mps", "m/s");
  in(low_cadence_spm, 60, 260, "low_cadence_spm", "steps/min");
  in(cadence_step_rel, 0, 0.5, "cadence_step_rel", "");
  in(overstride_top_share, 0.01, 0.5, "overstride_top_share", "");
  in(overstride_min_share, 0.01, 1, "overstride_min_share", "");
  in(overstride_min_rise_deg, 0, 45, "overstride_min_rise_deg", "deg");
  in(heel_strike_min_share, 0, 1, "heel_strike_min_share", "");
  in(impact_rise_rel, 0.01, 5, "impact_rise_rel", "");
  in(impact_warn_rel, impact_rise_rel, 10, "impact_warn_rel", "(>= impact_rise_rel)");
  in(shin_impact_g, 1, 100, "shin_impact_g", "g");
  in(shin_min_rate_hz, 1, 10000, "shin_min_rate_hz", "Hz");
  in(pronation_rise_rel, 0.01, 5, "pronation_rise_rel", "");
  in(fatigue_gct_rel, 0.001, 1, "fatigue_gct_rel", "");
  in(fatigue_cadence_rel, 0.001, 1, "fatigue_cadence_rel", "");
  in(fatigue_impact_rel, 0.001, 5, "fatigue_impact_rel", "");
  in(fatigue_fsa_deg, 0.1, 45, "fatigue_fsa_deg", "deg");
  in(knock_ratio, 1, 100, "knock_ratio", "");
  in(knock_min_g, 1, 1000, "knock_min_g", "g");
  in(knock_rhythm_rel, 0.01, 1, "knock_rhythm_rel", "");
  in(asymmetry_si, 0.001, 2, "asymmetry_si", "");
  in(asymmetry_cv_factor, 0, 100, "asymmetry_cv_factor", "");
  in(asymmetry_hold_s, 0, 1e6, "asymmetry_hold_s", "s");
  in(asymmetry_window_s, 5, 1e5, "asymmetry_window_s", "s");
  in(max_invalid_share, 0, 1, "max_invalid_share", "");
  in(unusable_invalid_share, max_invalid_share, 1, "unusable_invalid_share", "(>= max_invalid_share)");
  in(max_missing_share, 0, 1, "max_missing_share", "");
  in(unusable_missing_share, max_missing_share, 1, "unusable_missing_share", "(>= max_missing_share)");
  in(max_jitter_share, 0, 10, "max_jitter_share", "");
  in(max_clipped_impact_share, 0, 1, "max_clipped_impact_share", "");
  in(max_clipped_acc_share, 0, 1, "max_clipped_acc_share", "");
  in(load_window_days, 1, 365, "load_window_days", "days");
  in(load_spike_rel, 0, 10, "load_spike_rel", "");
  in(load_spike_strong_rel, load_spike_rel, 10, "load_spike_strong_rel", "(>= load_spike_rel)");
  in(load_spike_large_rel, load_spike_strong_rel, 100, "load_spike_large_rel", "(>= load_spike_strong_rel)");
  in(load_min_sessions, 1, 1000, "load_min_sessions", "sessions");
  in(load_min_history_days, 0, 365, "load_min_history_days", "days");
  in(weekly_jump_rel, 0.01, 10, "weekly_jump_rel", "");
  in(weekly_min_prev_km, 0, 1000, "weekly_min_prev_km", "km");
  in(shoe_reminder_km, 1, 10000, "shoe_reminder_km", "km");
  in(shoe_wear_rel, 0.01, 5, "shoe_wear_rel", "");
  in(shoe_baseline_km, 1, 5000, "shoe_baseline_km", "km");
  in(shoe_min_baseline_sessions, 1, 1000, "shoe_min_baseline_sessions", "sessions");
}

std::vector<Flag> evaluate_flags(const std::vector<Stride>& strides, const DataQuality& q,
                                 const SessionSummary& summary, Placement placement, const FlagSettings& st) {
  using namespace flag_rules;
  st.validate();
  std::vector<Flag> flags;
  const QualityVerdict quality = data_quality_flag(strides, q, summary, st, flags);
  if (!quality.gait_flags) return flags;
  const RuleInput in = rule_input(strides, q, summary, placement, st, quality);
  const bool low_cadence = low_cadence_flag(in, flags);
  const bool overstride = overstride_flag(in, flags);
  heel_strike_flag(in, low_cadence, overstride, flags);
  high_impact_flags(in, flags);
  pronation_change_flag(in, flags);
  fatigue_drift_flag(in, flags);
  fall_or_knock_flags(in, flags);
  order_flags(flags);
  return flags;
}

void order_flags(std::vector<Flag>& flags) {
  const auto rank = [](const Flag& f) { return f.id == "data_quality" ? 0 : f.severity == Flag::warn ? 1 : 2; };
  std::stable_sort(flags.begin(), flags.end(), [&](const Flag& a, const Flag& b) { return rank(a) < rank(b); });
}

}  // namespace stride
