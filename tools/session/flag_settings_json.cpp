#include "tools/session/flag_settings_json.hpp"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>
#include <utility>

namespace stride::session {
namespace {

using Field = std::pair<const char*, double FlagSettings::*>;

// Every FlagSettings field, by its name (the JSON key).
const std::vector<Field>& fields() {
  static const std::vector<Field> f = {
#define F(x) {#x, &FlagSettings::x}
      F(min_valid_strides),      F(min_duration_s),          F(baseline_share),          F(min_baseline_strides),
      F(speed_match_rel),        F(max_event_sd_ms),         F(max_length_sd_share),     F(window_strides),          F(hold_distance_m),         F(min_hold_strides),
      F(running_max_duty_factor), F(running_min_speed_mps),  F(low_cadence_spm),         F(cadence_step_rel),
      F(overstride_top_share),   F(overstride_min_share),    F(overstride_min_rise_deg), F(heel_strike_min_share),
      F(impact_rise_rel),        F(impact_warn_rel),         F(shin_impact_g),           F(shin_min_rate_hz),
      F(pronation_rise_rel),     F(fatigue_gct_rel),         F(fatigue_cadence_rel),     F(fatigue_impact_rel),
      F(fatigue_fsa_deg),        F(knock_ratio),             F(knock_min_g),             F(knock_rhythm_rel),
      F(asymmetry_si),           F(asymmetry_cv_factor),     F(asymmetry_hold_s),        F(asymmetry_window_s),
      F(max_invalid_share),      F(unusable_invalid_share),  F(max_missing_share),       F(unusable_missing_share),
      F(max_jitter_share),       F(max_clipped_impact_share), F(max_clipped_acc_share),
      F(load_window_days),       F(load_spike_rel),          F(load_spike_strong_rel),   F(load_spike_large_rel),
      F(load_min_sessions),      F(load_min_history_days),   F(weekly_jump_rel),         F(weekly_min_prev_km),
      F(shoe_reminder_km),       F(shoe_wear_rel),           F(shoe_baseline_km),        F(shoe_min_baseline_sessions),
#undef F
  };
  return f;
}

}  // namespace

FlagSettings load_flag_settings(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the flag settings file '" + path + "'");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error("'" + path + "' is not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw std::runtime_error("'" + path + "': expected a JSON object of threshold names to numbers");
  FlagSettings s;
  for (const auto& [key, value] : j.items()) {
    const Field* field = nullptr;
    for (const auto& f : fields())
      if (key == f.first) field = &f;
    if (!field)
      throw std::runtime_error("'" + path + "': unknown key '" + key + "' (docs/flags.md lists the flag settings)");
    if (!value.is_number()) throw std::runtime_error("'" + path + "': key '" + key + "' must be a number");
    s.*(field->second) = value.get<double>();
  }
  try {
    s.validate();
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error("'" + path + "': " + e.what());
  }
  return s;
}

nlohmann::json flag_settings_json(const FlagSettings& s) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, member] : fields()) j[name] = s.*member;
  return j;
}

nlohmann::json flags_json(const std::vector<Flag>& flags) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : flags) {
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [k, v] : f.values) values[k] = v;
    out.push_back({{"id", f.id},
                   {"severity", to_string(f.severity)},
                   {"title", f.title},
                   {"evidence", f.evidence},
                   {"values", values},
                   {"strides", f.strides},
                   {"from_s", f.from_s},
                   {"to_s", f.to_s},
                   {"rule", f.rule},
                   {"why", f.why},
                   {"source", f.source},
                   {"what_to_try", f.what_to_try},
                   {"trust", f.trust},
                   {"side", f.side}});
  }
  return out;
}

bool load_flag_settings_option(const std::string& path, const char* who, FlagSettings& out) {
  if (path.empty()) return true;
  try {
    out = load_flag_settings(path);
    return true;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: --flags-settings: {}\n", who, e.what());
    return false;
  }
}

}  // namespace stride::session
