// Impact: high_impact (shoe: vs the runner's own start at matched speed; shin: tibial shock > 8 g) and
// fall_or_knock (a jolt far above the stance peaks with the stride rhythm broken).
#include "analysis/flags/rules.hpp"

#include <algorithm>

#include "analysis/text.hpp"

namespace stride::flag_rules {

void high_impact_flags(const RuleInput& in, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::string& base_words = in.base_words;
  const std::string& trust = in.trust;
  const DataQuality& q = in.q;
  const Placement placement = in.placement;
  const std::size_t clipped_impacts = in.quality.clipped_impacts;
  const bool impacts_usable = in.quality.clipped_impact_share <= st.max_clipped_impact_share;
  if (impacts_usable) {
    const Drift d = find_drift(c, st, get_impact, +1, st.impact_rise_rel, true);
    if (d.held) {
      Flag f;
      f.id = "high_impact";
      f.severity = d.change >= st.impact_warn_rel ? Flag::warn : Flag::info;
      f.title = "Peak impact " + spct(d.change) + " vs the start of the run";
      f.evidence = "median peak impact " + fixed(d.value, 1) + " g vs " + fixed(d.baseline, 1) +
                   " g at the start, " + held_words(d, st) + "; " + std::to_string(clipped_impacts) +
                   " clipped impacts left out (lower bounds only).";
      f.values = {{"peak_impact_g", d.value}, {"baseline_peak_impact_g", d.baseline}, {"change_rel", d.change}};
      f.strides = d.strides;
      f.from_s = d.from_s;
      f.to_s = d.to_s;
      f.rule = "peak impact +" + pct(st.impact_rise_rel) + " (warn at +" + pct(st.impact_warn_rel) + ") vs " +
               base_words + ", rolling median of " + fixed(st.window_strides, 0) + " strides, held";
      f.why = "Higher impacts than the runner's own at the same speed (a harder surface, a tired or changed form) "
              "are associated with higher loading; runners with knee pain often land harder." + std::string(kWords);
      f.source = "Crowell & Davis 2011 (gait retraining of runners with high tibial shock); Sheerin 2020 (impact "
                 "rises with speed: compare at matched speed)";
      f.what_to_try = "Check the surface and the shoes of that part of the run; softer, quieter landings and a "
                      "slightly higher step rate usually lower the impact.";
      f.trust = trust + " Shoe-sensor impact is not tibial shock: only the change vs the runner's own start counts.";
      flags.push_back(std::move(f));
    }
    if (placement == Placement::shin && q.nominal_rate_hz >= st.shin_min_rate_hz) {
      std::vector<double> pk;
      for (const auto& s : c.v)
        if (!s.impact_clipped) pk.push_back(s.peak_impact_g);
      const double m = median(pk);
      if (static_cast<double>(pk.size()) >= st.min_valid_strides && m > st.shin_impact_g) {
        Flag f;
        f.id = "high_impact";
        f.title = "Tibial shock " + fixed(m, 1) + " g (above " + fixed(st.shin_impact_g, 0) + " g)";
        f.evidence = "median peak tibial acceleration " + fixed(m, 1) + " g over " + std::to_string(pk.size()) +
                     " unclipped strides.";
        f.values = {{"peak_impact_g", m}, {"threshold_g", st.shin_impact_g}};
        f.strides = pk.size();
        f.from_s = c.v.front().ic_s;
        f.to_s = c.v.back().next_ic_s;
        f.rule = "shin: median peak acceleration > " + fixed(st.shin_impact_g, 0) + " g at >= " +
                 fixed(st.shin_min_rate_hz, 0) + " Hz, unclipped";
        f.why = "Runners above 8 g were retrained in gait-retraining studies; high tibial shock is associated with "
                "higher loading." + std::string(kWords);
        f.source = "Crowell & Davis 2011; Sheerin 2020 (rises with speed)";
        f.what_to_try = "Softer, quieter landings; compare at an easy pace.";
        f.trust = trust + " The whole run is used, not only easy pace; |acceleration| is used, not the axial component.";
        flags.push_back(std::move(f));
      }
    }
  }
}

void fall_or_knock_flags(const RuleInput& in, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::vector<Stride>& strides = in.strides;
  {
    std::vector<const Stride*> all;
    for (const auto& s : strides) all.push_back(&s);
    std::sort(all.begin(), all.end(), [](const Stride* a, const Stride* b) { return a->ic_s < b->ic_s; });
    std::vector<double> pk, st_time;
    for (const auto& s : c.v) {
      pk.push_back(s.peak_impact_g);
      st_time.push_back(s.stride_time_s);
    }
    const double med_pk = median(pk), med_t = median(st_time);
    const auto broken = [&](std::size_t i) {
      const Stride& s = *all[i];
      return !s.valid || std::abs(s.stride_time_s - med_t) > st.knock_rhythm_rel * med_t;
    };
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Stride& s = *all[i];
      if (!(s.peak_impact_g > st.knock_ratio * med_pk && s.peak_impact_g > st.knock_min_g)) continue;
      const bool rhythm = broken(i) || (i > 0 && broken(i - 1)) || (i + 1 < all.size() && broken(i + 1));
      if (!rhythm) continue;
      Flag f;
      f.id = "fall_or_knock";
      f.severity = Flag::warn;
      f.title = "A " + fixed(s.peak_impact_g, 1) + " g jolt at " + fixed(s.ic_s, 1) + " s, stride rhythm broken";
      f.evidence = "peak " + fixed(s.peak_impact_g, 1) + " g" + (s.impact_clipped ? " (clipped: at least that)" : "") +
                   " = " + fixed(s.peak_impact_g / med_pk, 1) + "x the median stance peak of " + fixed(med_pk, 1) +
                   " g over " + std::to_string(c.v.size()) + " valid strides; that stride or a neighbour " +
                   (s.valid ? "is off the usual stride time" : "is invalid (" + s.invalid_reason() + ")") + ".";
      f.values = {{"peak_g", s.peak_impact_g}, {"median_peak_g", med_pk}, {"ratio", s.peak_impact_g / med_pk},
                  {"t_s", s.ic_s}};
      f.strides = 1;
      f.from_s = s.ic_s;
      f.to_s = s.next_ic_s;
      f.rule = "peak > " + fixed(st.knock_ratio, 1) + "x the median stance peak and > " + fixed(st.knock_min_g, 0) +
               " g, with this stride or a neighbour invalid or > " + pct(st.knock_rhythm_rel) +
               " off the median stride time";
      f.why = "A direct blow or a fall is one of the ways runners' knee pain starts; worth checking how the knee "
              "feels.";
      f.source = "the runner's-knee article (direct blows and falls); threshold is stride's default, to be validated";
      f.what_to_try = "If you fell or knocked the leg, watch for swelling or pain in the next days before running "
                      "hard again.";
      f.trust = "Seen only through per-stride peaks (within 60 ms after each detected contact): a knock far from a "
                "detected contact may be missed, and a hard stamp or a jump can look the same.";
      flags.push_back(std::move(f));
    }
  }
}

}  // namespace stride::flag_rules
