// Symmetry (two feet): asymmetry (contact, flight, impact) and pronation_asymmetry, from each foot's valid strides
// against the runner's own stride-to-stride variability.
#include <algorithm>
#include <cmath>

#include "analysis/flags/rules.hpp"
#include "analysis/text.hpp"

namespace stride {

using namespace flag_rules;

std::vector<Flag> evaluate_asymmetry(const std::vector<Stride>& left, const std::vector<Stride>& right,
                                     const FlagSettings& st) {
  st.validate();
  std::vector<Flag> flags;
  std::vector<RuleStride> l, r;
  for (const auto& s : left)
    if (s.valid) l.push_back(rule_stride(s));
  for (const auto& s : right)
    if (s.valid) r.push_back(rule_stride(s));
  const auto by_time = [](const RuleStride& a, const RuleStride& b) { return a.ic_s < b.ic_s; };
  std::sort(l.begin(), l.end(), by_time);
  std::sort(r.begin(), r.end(), by_time);
  const double t0 = std::min(l.empty() ? 1e300 : l.front().ic_s, r.empty() ? 1e300 : r.front().ic_s);
  const double t1 = std::max(l.empty() ? -1e300 : l.back().next_ic_s, r.empty() ? -1e300 : r.back().next_ic_s);
  if (static_cast<double>(std::min(l.size(), r.size())) < st.min_valid_strides || !(t1 - t0 >= st.min_duration_s)) {
    Flag f;
    f.id = "data_quality";
    f.title = "Data quality: too little data for left/right asymmetry";
    f.evidence = std::to_string(l.size()) + " valid left and " + std::to_string(r.size()) +
                 " valid right strides over " + fixed(std::max(0.0, t1 - t0), 0) + " s; asymmetry needs " +
                 fixed(st.min_valid_strides, 0) + " per foot and " + fixed(st.min_duration_s, 0) + " s.";
    f.values = {{"left_valid_strides", double(l.size())}, {"right_valid_strides", double(r.size())}};
    f.strides = l.size() + r.size();
    f.rule = "at least " + fixed(st.min_valid_strides, 0) + " valid strides per foot and " +
             fixed(st.min_duration_s, 0) + " s";
    f.why = "Every other flag rests on these numbers; this says how far they can be trusted.";
    f.source = "stride's own data-quality checks";
    f.what_to_try = "Record both feet together for several minutes.";
    f.trust = "Measured directly.";
    flags.push_back(std::move(f));
    return flags;
  }
  struct Metric {
    const char* name;
    const char* key;
    Getter get;
    const char* id;  // pronation has a flag of its own (FLAGS.md: flat feet, overpronation)
  };
  const Metric metrics[] = {{"contact time", "gct_ms", get_gct, "asymmetry"},
                            {"flight time", "flight_ms", get_flight, "asymmetry"},
                            {"peak impact", "peak_impact_g", get_impact, "asymmetry"},
                            {"pronation excursion", "pronation_excursion_deg", get_pron_exc, "pronation_asymmetry"},
                            {"pronation velocity", "pronation_velocity_dps", get_pron_vel, "pronation_asymmetry"}};
  const double span = t1 - t0;
  const bool one_window = span <= st.asymmetry_hold_s;
  const std::size_t nw = one_window ? 1 : static_cast<std::size_t>(std::ceil(span / st.asymmetry_window_s));
  const double wlen = one_window ? span : st.asymmetry_window_s;
  const auto need = one_window ? nw : static_cast<std::size_t>(std::ceil(st.asymmetry_hold_s / st.asymmetry_window_s));
  for (const auto& m : metrics) {
    std::vector<double> la, ra;
    for (const auto& s : l)
      if (std::isfinite(m.get(s))) la.push_back(m.get(s));
    for (const auto& s : r)
      if (std::isfinite(m.get(s))) ra.push_back(m.get(s));
    if (static_cast<double>(std::min(la.size(), ra.size())) < st.min_valid_strides) continue;
    const double cv = std::max(robust_cv(la), robust_cv(ra));
    // Longest run of consecutive windows where the symmetry index exceeds both thresholds.
    std::size_t run = 0, best_run = 0, best_end = 0;
    for (std::size_t w = 0; w < nw; ++w) {
      const double a = t0 + static_cast<double>(w) * wlen, b = w + 1 == nw ? t1 + 1 : a + wlen;
      std::vector<double> lw, rw;
      for (const auto& s : l)
        if (s.ic_s >= a && s.ic_s < b && std::isfinite(m.get(s))) lw.push_back(m.get(s));
      for (const auto& s : r)
        if (s.ic_s >= a && s.ic_s < b && std::isfinite(m.get(s))) rw.push_back(m.get(s));
      bool ex = false;
      if (lw.size() >= 5 && rw.size() >= 5) {
        const double ml = median(lw), mr = median(rw);
        const double si = std::abs(ml + mr) > 0 ? 2 * std::abs(ml - mr) / std::abs(ml + mr) : 0;
        ex = si > st.asymmetry_si && si > st.asymmetry_cv_factor * cv;
      }
      run = ex ? run + 1 : 0;
      if (run > best_run) {
        best_run = run;
        best_end = w;
      }
    }
    if (best_run < need) continue;
    const double a = t0 + static_cast<double>(best_end + 1 - best_run) * wlen;
    const double b = one_window ? t1 : std::min(t1, t0 + static_cast<double>(best_end + 1) * wlen);
    std::vector<double> lw, rw;
    for (const auto& s : l)
      if (s.ic_s >= a && s.ic_s <= b && std::isfinite(m.get(s))) lw.push_back(m.get(s));
    for (const auto& s : r)
      if (s.ic_s >= a && s.ic_s <= b && std::isfinite(m.get(s))) rw.push_back(m.get(s));
    const double ml = median(lw), mr = median(rw);
    const double si = 2 * std::abs(ml - mr) / std::abs(ml + mr);
    Flag f;
    f.id = m.id;
    f.title = std::string("Left/right ") + m.name + " differs by " + pct(si, 1);
    f.evidence = std::string(m.name) + " left " + fixed(ml, 1) + " vs right " + fixed(mr, 1) + " (median), symmetry index " +
                 pct(si, 1) + " vs a stride-to-stride CV of " + pct(cv, 1) + ", over " +
                 std::to_string(lw.size() + rw.size()) + " strides, " + fixed(a, 0) + "-" + fixed(b, 0) + " s" +
                 (one_window ? " (the whole session: shorter than " + fixed(st.asymmetry_hold_s / 60, 0) + " min)" : "") +
                 ".";
    f.values = {{std::string("left_") + m.key, ml}, {std::string("right_") + m.key, mr}, {"symmetry_index", si},
                {"stride_cv", cv}};
    f.strides = lw.size() + rw.size();
    f.from_s = a;
    f.to_s = b;
    f.rule = "symmetry index 2|L-R|/(L+R) > " + pct(st.asymmetry_si) + " and > " + fixed(st.asymmetry_cv_factor, 1) +
             "x the stride-to-stride CV, sustained " + fixed(st.asymmetry_hold_s / 60, 0) +
             " min (or the whole session if shorter), in " + fixed(st.asymmetry_window_s, 0) + " s windows";
    const bool pronation = m.id == std::string("pronation_asymmetry");
    f.why = pronation
                ? "One foot rolling inward more, or faster, than the other is worth checking (foot posture, shoe "
                  "wear, an old injury); the evidence that pronation itself leads to knee pain is limited."
                : "Healthy runners are 1-6 % asymmetric; a larger difference is worth checking, e.g. after an "
                  "injury, but asymmetry did not predict injury in a large cohort.";
    f.source = std::string("Carton-Llorente 2024 (healthy asymmetry 1-5.7 %, CV 1.7-9.6 %); Malisoux 2024 BMJ Open SEM") +
               (pronation ? "; Neal 2014 J Foot Ankle Res 7:55 (pronation and PFP: very limited evidence)" : "");
    f.what_to_try = pronation ? "Look at both shoes' wear and the feet's posture; foot and hip strength work; "
                                "compare with later sessions and another pair of shoes."
                              : "Check whether one side was injured or is weaker; strength work for the weaker "
                                "side, and compare with later sessions.";
    const bool flight_measured = std::all_of(l.begin(), l.end(), [](const RuleStride& s) { return !s.flight_from_one_foot; });
    f.trust = std::string("Two sensors, one per foot; per-foot medians are compared.") +
              (m.key != std::string("flight_ms") ? ""
               : flight_measured ? " Flight time is measured from both feet (toe-off to the other foot's contact)."
                                 : " Flight time is inferred per foot (half the stride minus contact).");
    flags.push_back(std::move(f));
  }
  return flags;
}

}  // namespace stride
