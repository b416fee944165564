#include "analysis/load_flags.hpp"

#include <algorithm>
#include <string>

#include "analysis/session_stats.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

std::string km(double m, int decimals = 1) { return fixed(m / 1000.0, decimals) + " km"; }
double dist_or_zero(const LoadSession& s) { return std::isfinite(s.distance_m) ? s.distance_m : 0.0; }

// Earlier sessions only (strictly before the current one), in time order.
std::vector<const LoadSession*> before(const LoadSession& current, const std::vector<LoadSession>& earlier) {
  std::vector<const LoadSession*> v;
  for (const auto& s : earlier)
    if (s.day < current.day) v.push_back(&s);
  std::stable_sort(v.begin(), v.end(), [](const LoadSession* a, const LoadSession* b) { return a->day < b->day; });
  return v;
}

const char* kWords = " Worth checking, not a diagnosis.";
const char* kDistanceTrust =
    "Distances are the foot trajectory's distance of each saved session; runs that were not recorded and saved are "
    "missing from the history, so the sums can be too low.";

Flag base_flag(const LoadSession& c) {
  Flag f;
  f.strides = static_cast<std::size_t>(std::max(0.0, c.strides));
  f.from_s = 0;
  f.to_s = c.duration_s;
  f.side = c.side;
  return f;
}

}  // namespace

LoadContext load_context(const LoadSession& c, const std::vector<LoadSession>& earlier, const FlagSettings& st) {
  LoadContext x;
  const auto prev = before(c, earlier);
  const long week = week_of_day(c.day);
  x.week_km = dist_or_zero(c) / 1000.0;
  x.week_sessions = 1;
  x.acute_7d_km = dist_or_zero(c) / 1000.0;
  double chronic = dist_or_zero(c);
  double longest = -1;
  for (const LoadSession* s : prev) {
    const double d = dist_or_zero(*s);
    if (!std::isfinite(s->distance_m)) ++x.unmeasured_sessions;
    const long w = week_of_day(s->day);
    if (w == week) {
      x.week_km += d / 1000.0;
      ++x.week_sessions;
    } else if (w == week - 1) {
      x.previous_week_km += d / 1000.0;
      ++x.previous_week_sessions;
    }
    if (s->day > c.day - 7) x.acute_7d_km += d / 1000.0;
    if (s->day > c.day - 28) chronic += d;
    if (s->day >= c.day - st.load_window_days && std::isfinite(s->distance_m)) {
      ++x.window_sessions;
      longest = std::max(longest, s->distance_m);
    }
    if (!c.shoe.empty() && s->shoe == c.shoe) x.shoe_km += d / 1000.0;
  }
  if (!c.shoe.empty()) x.shoe_km += dist_or_zero(c) / 1000.0;
  x.longest_window_km = longest >= 0 ? longest / 1000.0 : std::nan("");
  x.chronic_28d_weekly_km = chronic / 4.0 / 1000.0;
  // Only once the history covers most of the 28 days (else the "chronic" part is mostly empty).
  const bool covered = !prev.empty() && c.day - prev.front()->day >= 21;
  x.acwr = covered && x.chronic_28d_weekly_km > 0 ? x.acute_7d_km / x.chronic_28d_weekly_km : std::nan("");
  return x;
}

std::vector<Flag> evaluate_load_flags(const LoadSession& c, const std::vector<LoadSession>& earlier,
                                      const FlagSettings& st) {
  st.validate();
  std::vector<Flag> flags;
  std::vector<std::string> not_evaluated;  // "rule: why", for the data_quality note
  const auto prev = before(c, earlier);
  const LoadContext x = load_context(c, earlier, st);
  const double history_days = prev.empty() ? 0.0 : c.day - prev.front()->day;
  const std::string unmeasured =
      x.unmeasured_sessions ? "; " + std::to_string(x.unmeasured_sessions) +
                                  " earlier sessions without a measured distance count as 0 km"
                            : std::string();

  // ---------------------------------------------------------------- load_spike
  if (!std::isfinite(c.distance_m)) {
    not_evaluated.push_back("load_spike: this session's distance was not measured");
  } else if (history_days < st.load_min_history_days) {
    not_evaluated.push_back("load_spike: the history reaches " + fixed(history_days, 0) +
                            " days back (needs " + fixed(st.load_min_history_days, 0) + ")");
  } else if (static_cast<double>(x.window_sessions) < st.load_min_sessions) {
    not_evaluated.push_back("load_spike: " + std::to_string(x.window_sessions) + " earlier sessions with a distance in the " +
                            fixed(st.load_window_days, 0) + " days before (needs " + fixed(st.load_min_sessions, 0) + ")");
  } else {
    const LoadSession* longest = nullptr;
    for (const LoadSession* s : prev)
      if (s->day >= c.day - st.load_window_days && std::isfinite(s->distance_m) &&
          (!longest || s->distance_m > longest->distance_m))
        longest = s;
    const double ratio = longest->distance_m > 0 ? c.distance_m / longest->distance_m : std::nan("");
    if (std::isfinite(ratio) && ratio > 1.0 + st.load_spike_rel) {
      const double over = ratio - 1.0;
      const std::string band = over > st.load_spike_large_rel
                                   ? "above " + pct(1.0 + st.load_spike_large_rel)
                                   : over > st.load_spike_strong_rel
                                         ? pct(1.0 + st.load_spike_strong_rel) + "-" + pct(1.0 + st.load_spike_large_rel)
                                         : pct(1.0 + st.load_spike_rel) + "-" + pct(1.0 + st.load_spike_strong_rel);
      Flag f = base_flag(c);
      f.id = "load_spike";
      f.severity = Flag::warn;
      f.title = "Run " + spct(over) + " longer than the longest of the previous " + fixed(st.load_window_days, 0) +
                " days (band " + band + ")";
      f.evidence = "this run " + km(c.distance_m, 2) + " = " + pct(ratio) + " of the longest run in the " +
                   fixed(st.load_window_days, 0) + " days before it (" + km(longest->distance_m, 2) +
                   (longest->label.empty() ? std::string() : " on " + longest->label) + ", longest of " +
                   std::to_string(x.window_sessions) + " sessions); band " + band + unmeasured + ".";
      f.values = {{"distance_km", c.distance_m / 1000.0},
                  {"longest_window_km", longest->distance_m / 1000.0},
                  {"ratio", ratio},
                  {"window_days", st.load_window_days},
                  {"window_sessions", static_cast<double>(x.window_sessions)},
                  {"band_lower_ratio", over > st.load_spike_large_rel    ? 1.0 + st.load_spike_large_rel
                                       : over > st.load_spike_strong_rel ? 1.0 + st.load_spike_strong_rel
                                                                         : 1.0 + st.load_spike_rel}};
      f.rule = "session distance > " + pct(1.0 + st.load_spike_rel) + " of the longest run in the previous " +
               fixed(st.load_window_days, 0) + " days; bands " + pct(1.0 + st.load_spike_rel) + "-" +
               pct(1.0 + st.load_spike_strong_rel) + ", " + pct(1.0 + st.load_spike_strong_rel) + "-" +
               pct(1.0 + st.load_spike_large_rel) + ", above " + pct(1.0 + st.load_spike_large_rel) +
               "; needs " + fixed(st.load_min_sessions, 0) + " earlier sessions in the window and " +
               fixed(st.load_min_history_days, 0) + " days of history";
      f.why = "In 5,205 runners, a single run more than 10 % longer than the longest of the previous 30 days was "
              "associated with more overuse injuries, in every band (the largest spikes the most); knee pain is "
              "among them." + std::string(kWords);
      f.source = "Frandsen 2025 BJSM 59:1203 (acute:chronic ratio and week-to-week change were not predictive there)";
      f.what_to_try = "Build the longest run up in smaller steps: keep the next long runs within about 10 % of " +
                      km(longest->distance_m) + " (" + km(longest->distance_m * (1.0 + st.load_spike_rel)) +
                      "), and watch how the knee feels in the next days.";
      f.trust = kDistanceTrust;
      flags.push_back(std::move(f));
    }
  }

  // ---------------------------------------------------------------- weekly_jump
  const long week = week_of_day(c.day);
  if (prev.empty() || week_of_day(prev.front()->day) >= week - 1) {
    not_evaluated.push_back(
        "weekly_jump: the history starts " +
        std::string(prev.empty() ? "with this session" : week_of_day(prev.front()->day) == week ? "this week"
                                                                                                : "in the previous week") +
        ", so the previous week is not fully known");
  } else if (x.previous_week_km < st.weekly_min_prev_km) {
    not_evaluated.push_back("weekly_jump: the previous week has " + fixed(x.previous_week_km, 1) + " km in " +
                            std::to_string(x.previous_week_sessions) + " sessions (needs " +
                            fixed(st.weekly_min_prev_km, 1) + " km)");
  } else {
    const double change = x.week_km / x.previous_week_km - 1.0;
    if (change > st.weekly_jump_rel) {
      Flag f = base_flag(c);
      f.id = "weekly_jump";
      f.title = "Weekly distance " + spct(change) + " vs the previous week (" + fixed(x.week_km, 1) + " vs " +
                fixed(x.previous_week_km, 1) + " km)";
      f.evidence = "this week (Mon-Sun, up to and including this session) " + fixed(x.week_km, 1) + " km in " +
                   std::to_string(x.week_sessions) + " sessions vs " + fixed(x.previous_week_km, 1) + " km in " +
                   std::to_string(x.previous_week_sessions) + " sessions the week before: " + spct(change) +
                   unmeasured + ".";
      f.values = {{"week_km", x.week_km},
                  {"previous_week_km", x.previous_week_km},
                  {"change_rel", change},
                  {"week_sessions", static_cast<double>(x.week_sessions)},
                  {"previous_week_sessions", static_cast<double>(x.previous_week_sessions)}};
      f.rule = "weekly distance (Mon-Sun, so far) > +" + pct(st.weekly_jump_rel) +
               " vs the previous week; the previous week needs at least " + fixed(st.weekly_min_prev_km, 1) +
               " km and must be fully in the history";
      f.why = "Novice runners who raised their weekly distance by more than 30 % had more distance-related injuries, "
              "patellofemoral pain among them (the association was not statistically certain); a strict 10 % rule "
              "has no trial support." + std::string(kWords);
      f.source = "Nielsen 2014 JOSPT 44:739; Buist 2008 AJSM 36:33";
      f.what_to_try = "Spread the increase over two or three weeks (about " +
                      fixed(x.previous_week_km * (1.0 + st.weekly_jump_rel), 0) +
                      " km this week), or keep the extra runs easy and short.";
      f.trust = kDistanceTrust;
      flags.push_back(std::move(f));
    }
  }

  // ---------------------------------------------------------------- shoe_wear
  if (c.shoe.empty()) {
    not_evaluated.push_back("shoe_wear: no shoe named (the recording's shoe, or --shoe)");
  } else {
    std::vector<std::string> parts, evidence;
    Flag f = base_flag(c);
    f.values.push_back({"shoe_km", x.shoe_km});
    if (x.shoe_km >= st.shoe_reminder_km) {
      parts.push_back(fixed(x.shoe_km, 0) + " km on it");
      evidence.push_back("shoe '" + c.shoe + "' has " + fixed(x.shoe_km, 0) + " km in the history (reminder at " +
                         fixed(st.shoe_reminder_km, 0) + " km)");
    }
    // Impact at matched speed vs the shoe's first km.
    double km_before = 0;
    std::vector<double> base;
    std::size_t base_sessions = 0;
    for (const LoadSession* s : prev) {
      if (s->shoe != c.shoe) continue;
      if (km_before < st.shoe_baseline_km) {
        ++base_sessions;
        if (s->placement == c.placement && std::isfinite(s->impact_g) && std::isfinite(s->speed_mps) &&
            std::isfinite(c.speed_mps) && std::abs(s->speed_mps - c.speed_mps) <= st.speed_match_rel * c.speed_mps)
          base.push_back(s->impact_g);
      }
      km_before += dist_or_zero(*s) / 1000.0;
    }
    const char* impact_name = c.placement == Placement::shin ? "axial peak tibial acceleration" : "peak impact";
    if (km_before < st.shoe_baseline_km) {
      not_evaluated.push_back("shoe_wear (impact): shoe '" + c.shoe + "' had " + fixed(km_before, 1) +
                              " km before this session; its first " + fixed(st.shoe_baseline_km, 0) +
                              " km are the baseline");
    } else if (!std::isfinite(c.impact_g) || !std::isfinite(c.speed_mps)) {
      not_evaluated.push_back(std::string("shoe_wear (impact): this session's ") +
                              (!std::isfinite(c.impact_g) ? impact_name : "speed") + " was not measured");
    } else if (static_cast<double>(base.size()) < st.shoe_min_baseline_sessions) {
      not_evaluated.push_back("shoe_wear (impact): " + std::to_string(base.size()) + " of the " +
                              std::to_string(base_sessions) + " sessions in the shoe's first " +
                              fixed(st.shoe_baseline_km, 0) + " km were at a matched speed (" +
                              fixed(c.speed_mps, 2) + " m/s +-" + pct(st.speed_match_rel) + ", same placement; needs " +
                              fixed(st.shoe_min_baseline_sessions, 0) + ")");
    } else {
      const double b = median(base);
      const double change = b > 0 ? c.impact_g / b - 1.0 : 0.0;
      if (change > st.shoe_wear_rel) {
        parts.push_back(std::string(c.placement == Placement::shin ? "tibial shock " : "impact ") + spct(change) +
                        " vs its first " + fixed(st.shoe_baseline_km, 0) + " km");
        evidence.push_back("median " + std::string(impact_name) + " " + fixed(c.impact_g, 2) + " g at " +
                           fixed(c.speed_mps, 2) + " m/s vs " + fixed(b, 2) + " g (median of " +
                           std::to_string(base.size()) + " sessions at matched speed in the shoe's first " +
                           fixed(st.shoe_baseline_km, 0) + " km): " + spct(change));
        f.values.push_back({"impact_g", c.impact_g});
        f.values.push_back({"baseline_impact_g", b});
        f.values.push_back({"change_rel", change});
        f.values.push_back({"speed_mps", c.speed_mps});
        f.values.push_back({"baseline_sessions", static_cast<double>(base.size())});
      }
    }
    if (!parts.empty()) {
      f.id = "shoe_wear";
      f.title = "Shoe '" + c.shoe + "': ";
      for (std::size_t i = 0; i < parts.size(); ++i) f.title += (i ? ", " : "") + parts[i];
      for (std::size_t i = 0; i < evidence.size(); ++i) f.evidence += (i ? "; " : "") + evidence[i];
      f.evidence += unmeasured + ".";
      f.rule = "reminder at " + fixed(st.shoe_reminder_km, 0) + " km on a shoe (a convention, not evidence); " +
               impact_name + " at matched speed (+-" + pct(st.speed_match_rel) + ") > +" + pct(st.shoe_wear_rel) +
               " vs the shoe's first " + fixed(st.shoe_baseline_km, 0) + " km (at least " +
               fixed(st.shoe_min_baseline_sessions, 0) + " sessions there)";
      f.why = "Worn-out shoes are named among the causes of runner's knee; a shoe's cushioning fades with use (heel "
              "peak force +4.9 % after 500 km), and runners who rotated more than one pair had fewer injuries." +
              std::string(kWords);
      f.source = "Footwear Science 2010 (heel peak force after 500 km); Malisoux 2015 SJMSS 25:110 (rotating more "
                 "than one pair: HR 0.61); 600 km is a convention";
      f.what_to_try = "Look at the sole and the midsole; consider a new pair, or rotating two pairs, and compare "
                      "the impact at the same speed in the new one.";
      f.trust = std::string(kDistanceTrust) +
                " Impact is a session median; a harder surface or other socks and insoles change it too.";
      flags.push_back(std::move(f));
    }
  }

  if (!not_evaluated.empty()) {
    Flag f = base_flag(c);
    f.id = "data_quality";
    f.title = "Data quality: too little history for";
    for (std::size_t i = 0; i < not_evaluated.size(); ++i) {
      const std::string& s = not_evaluated[i];
      const std::string rule = s.substr(0, s.find(':'));
      f.title += (i ? ", " : " ") + rule;
      f.evidence += (i ? "; " : "") + s;
    }
    f.evidence += ".";
    f.values = {{"earlier_sessions", static_cast<double>(prev.size())},
                {"history_days", history_days},
                {"window_sessions", static_cast<double>(x.window_sessions)},
                {"previous_week_km", x.previous_week_km}};
    f.rule = "load_spike needs " + fixed(st.load_min_sessions, 0) + " earlier sessions with a distance in the " +
             fixed(st.load_window_days, 0) + " days before and " + fixed(st.load_min_history_days, 0) +
             " days of history; weekly_jump a fully recorded previous week with at least " +
             fixed(st.weekly_min_prev_km, 1) + " km; shoe_wear a named shoe, and for impact its first " +
             fixed(st.shoe_baseline_km, 0) + " km with " + fixed(st.shoe_min_baseline_sessions, 0) +
             " sessions at matched speed";
    f.why = "The load flags compare this session with the earlier ones; this says which could not be compared yet.";
    f.source = "stride's own checks (FLAGS.md: no flag on too little history)";
    f.what_to_try = "Save every run (stride analyze FILE --save) with the athlete and shoe named.";
    f.trust = "Counted from the history database.";
    flags.push_back(std::move(f));
  }

  order_flags(flags);
  return flags;
}

}  // namespace stride
