#include "analysis/flags/rules.hpp"

#include <algorithm>

#include "analysis/text.hpp"

namespace stride::flag_rules {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return Stride::kNaN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Robust stride-to-stride coefficient of variation: 1.4826 MAD / median.
double robust_cv(const std::vector<double>& v) {
  const double m = median(v);
  if (!(std::abs(m) > 0)) return Stride::kNaN;
  std::vector<double> dev;
  dev.reserve(v.size());
  for (double x : v) dev.push_back(std::abs(x - m));
  return 1.4826 * median(dev) / std::abs(m);
}

Drift find_drift(const Context& c, const FlagSettings& st, Getter get, int direction, double threshold,
                 bool relative) {
  Drift best;
  best.baseline = c.baseline(get);
  if (!std::isfinite(best.baseline) || (relative && !(best.baseline > 0))) return best;
  std::vector<std::size_t> later;  // matched strides after the baseline with a value
  for (std::size_t i = c.baseline_n; i < c.v.size(); ++i)
    if (c.matched(c.v[i]) && std::isfinite(get(c.v[i]))) later.push_back(i);
  const auto w = static_cast<std::size_t>(st.window_strides);
  if (later.size() < std::max<std::size_t>(w, static_cast<std::size_t>(st.min_hold_strides))) return best;
  const auto change_of = [&](double m) { return relative ? m / best.baseline - 1.0 : m - best.baseline; };
  std::vector<char> beyond(later.size(), 0);
  for (std::size_t k = w - 1; k < later.size(); ++k) {
    std::vector<double> win;
    for (std::size_t j = k + 1 - w; j <= k; ++j) win.push_back(get(c.v[later[j]]));
    beyond[k] = direction * change_of(median(win)) >= threshold;
  }
  for (std::size_t k = 0; k < later.size();) {
    if (!beyond[k]) { ++k; continue; }
    std::size_t e = k;
    while (e + 1 < later.size() && beyond[e + 1]) ++e;
    Drift d = best;
    for (std::size_t j = k + 1 - w; j <= e; ++j) d.idx.push_back(later[j]);
    d.strides = d.idx.size();
    d.from_s = c.v[d.idx.front()].ic_s;
    d.to_s = c.v[d.idx.back()].next_ic_s;
    double dist = 0;
    bool dist_ok = true;
    std::vector<double> vals;
    for (std::size_t i : d.idx) {
      const RuleStride& s = c.v[i];
      vals.push_back(get(s));
      if (std::isfinite(s.stride_length_m)) dist += s.stride_length_m;
      else dist_ok = false;
    }
    d.distance_m = dist_ok ? dist : Stride::kNaN;
    d.value = median(vals);
    d.change = change_of(d.value);
    d.to_end = e + 1 == later.size();
    d.held = (dist_ok && dist >= st.hold_distance_m) ||
             (d.to_end && d.strides >= static_cast<std::size_t>(st.min_hold_strides));
    if (d.held && (!best.held || direction * d.change > direction * best.change)) best = d;
    k = e + 1;
  }
  return best;
}

std::string held_words(const Drift& d, const FlagSettings& st) {
  std::string s = "held over " + std::to_string(d.strides) + " strides (" + fixed(d.from_s, 0) + "-" +
                  fixed(d.to_s, 0) + " s";
  if (std::isfinite(d.distance_m)) s += ", " + fixed(d.distance_m / 1000.0, 2) + " km";
  s += ")";
  if (d.to_end && !(std::isfinite(d.distance_m) && d.distance_m >= st.hold_distance_m))
    s += ", to the end of the run: shorter than the " + fixed(st.hold_distance_m / 1000.0, 1) +
         " km the rule asks for, so it held for the rest of the run";
  return s;
}

std::string baseline_words(const Context& c) {
  std::string s = "baseline = the first " + std::to_string(c.baseline_n) + " valid strides (" +
                  fixed(c.v.front().ic_s, 0) + "-" + fixed(c.v[c.baseline_n - 1].next_ic_s, 0) + " s)";
  if (c.speed_known)
    s += " at " + fixed(c.baseline_speed, 2) + " m/s; later strides compared within +-" +
         fixed(100 * c.speed_match_rel, 0) + " % of that speed";
  return s;
}

std::string trust_words(const Context& c, const SessionSummary& summary, Placement placement, bool cadence) {
  std::string s;
  if (placement == Placement::unknown) s += "Sensor placement not declared: read as a shoe sensor. ";
  if (!c.speed_known) s += "Speed was not measured (no trajectory): strides were compared without matching speed, "
                           "so a change of pace can look like a change of form. ";
  if (cadence && summary.one_foot)
    s += "Cadence is from one foot (assumes two equal steps per stride). ";
  if (s.empty()) s = "Data quality was sufficient for this rule. ";
  s.pop_back();
  return s;
}

RuleInput rule_input(const std::vector<Stride>& strides, const DataQuality& q, const SessionSummary& summary,
                     Placement placement, const FlagSettings& st, const QualityVerdict& quality) {
  RuleInput in{strides, q, placement, st, quality, {}, {}, {}, {}};
  Context& c = in.c;
  c.speed_match_rel = st.speed_match_rel;
  std::vector<std::uint32_t> valid;
  valid.reserve(static_cast<std::size_t>(std::count_if(strides.begin(), strides.end(), [&](const Stride& s) {
    return s.valid && !(s.ic_sd_ms > st.max_event_sd_ms);
  })));
  for (std::size_t i = 0; i < strides.size(); ++i)
    if (strides[i].valid && !(strides[i].ic_sd_ms > st.max_event_sd_ms)) valid.push_back(static_cast<std::uint32_t>(i));
  std::stable_sort(valid.begin(), valid.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return strides[a].ic_s < strides[b].ic_s; });
  c.v = RuleStrides(&strides, std::move(valid), {st.max_event_sd_ms, st.max_length_sd_share});
  c.baseline_n = std::min(c.v.size(), static_cast<std::size_t>(std::max(
                                          st.min_baseline_strides, std::ceil(st.baseline_share * static_cast<double>(c.v.size())))));
  {
    std::vector<double> sp;
    for (std::size_t i = 0; i < c.baseline_n; ++i)
      if (std::isfinite(c.v[i].speed_mps)) sp.push_back(c.v[i].speed_mps);
    c.speed_known = sp.size() * 2 >= c.baseline_n && !sp.empty();
    c.baseline_speed = c.speed_known ? median(sp) : Stride::kNaN;
  }
  in.base_words = baseline_words(c);
  in.trust = trust_words(c, summary, placement, false);
  in.trust_cad = trust_words(c, summary, placement, true);
  return in;
}

}  // namespace stride::flag_rules
