// Fatigue: fatigue_drift (contact time, cadence, impact or foot-strike angle drifting from the start of the run).
#include "analysis/flags/rules.hpp"

#include <algorithm>

#include "analysis/text.hpp"

namespace stride::flag_rules {

void fatigue_drift_flag(const RuleInput& in, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::string& base_words = in.base_words;
  const std::string& trust_cad = in.trust_cad;
  const bool impacts_usable = in.quality.clipped_impact_share <= st.max_clipped_impact_share;
  {
    struct Part {
      const char* name;
      const char* unit;
      Drift d;
    };
    std::vector<Part> parts;
    if (auto d = find_drift(c, st, get_gct, +1, st.fatigue_gct_rel, true); d.held) parts.push_back({"contact time", "ms", d});
    if (auto d = find_drift(c, st, get_cadence, -1, st.fatigue_cadence_rel, true); d.held)
      parts.push_back({"cadence", "steps/min", d});
    if (impacts_usable)
      if (auto d = find_drift(c, st, get_impact, +1, st.fatigue_impact_rel, true); d.held) parts.push_back({"impact", "g", d});
    for (int dir : {+1, -1})
      if (auto d = find_drift(c, st, get_fsa, dir, st.fatigue_fsa_deg, false); d.held)
        parts.push_back({"foot-strike angle", "deg", d});
    if (!parts.empty()) {
      Flag f;
      f.id = "fatigue_drift";
      f.title = "Form drifted during the run:";
      double from = parts[0].d.from_s, to = parts[0].d.to_s;
      std::size_t n = 0;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& p = parts[i];
        const bool deg = std::string(p.unit) == "deg";
        const std::string ch = deg ? signed_fixed(p.d.change, 1) + " deg" : spct(p.d.change, 1);
        f.title += std::string(i ? "," : "") + " " + p.name + " " + ch;
        f.evidence += std::string(i ? "; " : "") + p.name + " " + fixed(p.d.value, deg ? 1 : 1) + " " + p.unit +
                      " vs " + fixed(p.d.baseline, 1) + " at the start (" + ch + "), " + held_words(p.d, st);
        const std::string key = std::string(p.name == std::string("contact time") ? "gct_ms"
                                            : p.name == std::string("cadence")    ? "cadence_spm"
                                            : p.name == std::string("impact")     ? "peak_impact_g"
                                                                                  : "fsa_deg");
        f.values.push_back({key, p.d.value});
        f.values.push_back({"baseline_" + key, p.d.baseline});
        from = std::min(from, p.d.from_s);
        to = std::max(to, p.d.to_s);
        n = std::max(n, p.d.strides);
      }
      f.evidence += ".";
      f.strides = n;
      f.from_s = from;
      f.to_s = to;
      f.rule = "vs " + base_words + ": contact time +" + pct(st.fatigue_gct_rel) + ", cadence -" +
               pct(st.fatigue_cadence_rel) + ", impact +" + pct(st.fatigue_impact_rel) + " or foot-strike angle +-" +
               fixed(st.fatigue_fsa_deg, 0) + " deg, rolling median of " + fixed(st.window_strides, 0) +
               " strides, held " + fixed(st.hold_distance_m / 1000, 1) + " km (or the rest of the run if shorter)";
      f.why = "With fatigue, contact time and shock often rise and cadence drops; form breaking down late in a run "
              "is associated with higher loads on the knee." + std::string(kWords);
      f.source = "Apte 2021 Front Physiol; Meyer 2021 IJSM (marathon: breaks near km 25 and 35); Zandbergen 2023 "
                 "(correct for speed first)";
      f.what_to_try = "Note where in the run it starts; shorter runs at that effort, or a walk break before it, and "
                      "build the distance gradually.";
      f.trust = trust_cad + " Speed is matched, not modelled: a hillier second half can look the same.";
      flags.push_back(std::move(f));
    }
  }
}

}  // namespace stride::flag_rules
