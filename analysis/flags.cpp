#include "analysis/flags.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/session_stats.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

constexpr double kRearfootDeg = 8.0;  // Altman & Davis 2012, as StrikePattern

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


using Getter = double (*)(const Stride&);

double get_gct(const Stride& s) { return s.gct_ms; }
double get_cadence(const Stride& s) { return s.cadence_spm; }
double get_impact(const Stride& s) { return s.impact_clipped ? Stride::kNaN : s.peak_impact_g; }
double get_fsa(const Stride& s) { return s.fsa_deg; }
double get_pron_exc(const Stride& s) { return s.pronation_excursion_deg; }
double get_pron_vel(const Stride& s) { return s.pronation_velocity_dps; }
double get_flight(const Stride& s) { return s.flight_ms; }

// What one session offers the drift rules: the valid strides in time order, the baseline and matched speed.
struct Context {
  std::vector<Stride> v;          // valid strides, by IC time
  std::size_t baseline_n = 0;     // the first baseline_n of v
  double baseline_speed = Stride::kNaN;
  bool speed_known = false;
  double speed_match_rel = 0.1;

  bool matched(const Stride& s) const {
    if (!speed_known) return true;
    return std::isfinite(s.speed_mps) && std::abs(s.speed_mps - baseline_speed) <= speed_match_rel * baseline_speed;
  }
  double baseline(Getter get) const {
    std::vector<double> x;
    for (std::size_t i = 0; i < baseline_n; ++i)
      if (matched(v[i]) && std::isfinite(get(v[i]))) x.push_back(get(v[i]));
    return x.size() >= 5 ? median(x) : Stride::kNaN;
  }
  std::vector<double> baseline_values(Getter get) const {
    std::vector<double> x;
    for (std::size_t i = 0; i < baseline_n; ++i)
      if (matched(v[i]) && std::isfinite(get(v[i]))) x.push_back(get(v[i]));
    return x;
  }
};

// A change vs the baseline that held: the strides it spans, its median, how far it went.
struct Drift {
  bool held = false;
  double baseline = Stride::kNaN;
  double value = Stride::kNaN;    // median over the held strides
  double change = 0;              // relative (value/baseline - 1) or absolute (value - baseline)
  std::size_t strides = 0;
  double from_s = 0, to_s = 0;
  double distance_m = Stride::kNaN;
  bool to_end = false;            // held from its onset to the end of the run (shorter than the hold distance)
  std::vector<std::size_t> idx;   // indices into Context::v
};

// direction +1: a rise, -1: a drop. relative: threshold is a share of the baseline, else in the metric's unit.
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
      const Stride& s = c.v[i];
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

const char* kWords = " Worth checking, not a diagnosis.";

}  // namespace

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
  st.validate();
  std::vector<Flag> flags;

  // ---------------------------------------------------------------- data_quality (always evaluated)
  std::size_t valid = 0, clipped_impacts = 0;
  double first_s = 0, last_s = 0;
  for (const auto& s : strides) {
    if (!s.valid) continue;
    if (valid == 0) first_s = s.ic_s;
    last_s = std::max(last_s, s.next_ic_s);
    ++valid;
    if (s.impact_clipped) ++clipped_impacts;
  }
  const double invalid_share = strides.empty() ? 0.0 : 1.0 - static_cast<double>(valid) / static_cast<double>(strides.size());
  const double missing_share = q.samples + q.missing_samples
                                   ? static_cast<double>(q.missing_samples) / static_cast<double>(q.samples + q.missing_samples)
                                   : 0.0;
  const double interval_ms = q.nominal_rate_hz > 0 ? 1000.0 / q.nominal_rate_hz : 0.0;
  const double clipped_share = valid ? static_cast<double>(clipped_impacts) / static_cast<double>(valid) : 0.0;
  {
    Flag f;
    f.id = "data_quality";
    f.source = "stride's own data-quality checks (FLAGS.md: makes every other flag honest)";
    std::vector<std::string> issues, evidence;
    bool unusable = false;
    if (q.clipped_acc_samples || clipped_impacts) {
      issues.push_back("clipping");
      evidence.push_back(std::to_string(q.clipped_acc_samples) + " accelerometer samples at the range limit" +
                         (q.acc_limit_mps2 > 0 ? " (" + fixed(q.acc_limit_mps2 / 9.80665, 1) + " g" +
                                                     (q.acc_limit_inferred ? ", inferred from flat tops" : "") + ")"
                                               : std::string()) +
                         "; the peak impact of " + std::to_string(clipped_impacts) + " of " + std::to_string(valid) +
                         " valid strides is clipped, so those impacts are lower bounds and no impact rule uses them");
      f.values.push_back({"clipped_acc_samples", static_cast<double>(q.clipped_acc_samples)});
      f.values.push_back({"clipped_impact_strides", static_cast<double>(clipped_impacts)});
    }
    if (q.clipped_gyr_samples) {
      issues.push_back("gyroscope saturation");
      evidence.push_back(std::to_string(q.clipped_gyr_samples) +
                         " gyroscope samples at the range limit: strides touched keep their timing but lose spatial values");
      f.values.push_back({"clipped_gyr_samples", static_cast<double>(q.clipped_gyr_samples)});
    }
    if (interval_ms > 0 && q.interval_jitter_ms > st.max_jitter_share * interval_ms) {
      issues.push_back("sample-rate jitter");
      evidence.push_back("sample interval SD " + fixed(q.interval_jitter_ms, 2) + " ms = " +
                         pct(q.interval_jitter_ms / interval_ms) + " of the " + fixed(interval_ms, 2) +
                         " ms interval (rule: > " + pct(st.max_jitter_share) + ")");
      f.values.push_back({"interval_jitter_ms", q.interval_jitter_ms});
    }
    if (missing_share > st.max_missing_share) {
      issues.push_back("dropped samples");
      evidence.push_back(std::to_string(q.missing_samples) + " samples missing (" + pct(missing_share, 1) + ") in " +
                         std::to_string(q.gaps) + " gaps, longest " + fixed(q.gap_longest_s, 3) + " s (rule: > " +
                         pct(st.max_missing_share, 1) + ")");
      f.values.push_back({"missing_samples", static_cast<double>(q.missing_samples)});
      f.values.push_back({"missing_share", missing_share});
      if (missing_share > st.unusable_missing_share) unusable = true;
    }
    if (invalid_share > st.max_invalid_share) {
      issues.push_back("invalid strides");
      evidence.push_back(std::to_string(strides.size() - valid) + " of " + std::to_string(strides.size()) +
                         " strides (" + pct(invalid_share, 1) + ") without a clean IC/TC (rule: > " +
                         pct(st.max_invalid_share, 0) + ")");
      f.values.push_back({"invalid_share", invalid_share});
      if (invalid_share > st.unusable_invalid_share) unusable = true;
    }
    const bool too_little = static_cast<double>(valid) < st.min_valid_strides || summary.duration_s < st.min_duration_s;
    if (too_little) {
      issues.push_back("too little data");
      evidence.push_back(std::to_string(valid) + " valid strides over " + fixed(summary.duration_s, 0) +
                         " s: the gait flags need at least " + fixed(st.min_valid_strides, 0) + " valid strides and " +
                         fixed(st.min_duration_s, 0) + " s, so none was evaluated");
    }
    if (unusable && !too_little)
      evidence.push_back("the data cannot support the other flags: none was evaluated");
    f.values.push_back({"valid_strides", static_cast<double>(valid)});
    f.values.push_back({"duration_s", summary.duration_s});
    if (!issues.empty()) {
      f.severity = unusable ? Flag::warn : Flag::info;
      f.title = "Data quality: ";
      for (std::size_t i = 0; i < issues.size(); ++i) f.title += (i ? ", " : "") + issues[i];
      for (std::size_t i = 0; i < evidence.size(); ++i) f.evidence += (i ? "; " : "") + evidence[i];
      f.evidence += ".";
      f.strides = strides.size();
      f.from_s = first_s;
      f.to_s = last_s;
      f.rule = "clipping (any), jitter > " + pct(st.max_jitter_share) + " of the interval, dropped samples > " +
               pct(st.max_missing_share, 1) + ", invalid strides > " + pct(st.max_invalid_share) +
               "; fewer than " + fixed(st.min_valid_strides, 0) + " valid strides or " + fixed(st.min_duration_s, 0) +
               " s: no gait flag; invalid > " + pct(st.unusable_invalid_share) + " or dropped > " +
               pct(st.unusable_missing_share) + ": no gait flag";
      f.why = "Every other flag rests on these numbers; this says how far they can be trusted.";
      f.what_to_try = too_little || unusable
                          ? "Record a longer steady run (several minutes) with the sensor strapped firmly."
                          : "Check the strap and the board's range and rate settings (a 16 g range clips heel strikes; "
                            "32 g does not).";
      f.trust = "Measured directly from the samples.";
      flags.push_back(std::move(f));
    }
    if (too_little || unusable) return flags;
  }

  // ---------------------------------------------------------------- the context: baseline and matched speed
  Context c;
  c.speed_match_rel = st.speed_match_rel;
  for (const auto& s : strides)
    if (s.valid) c.v.push_back(s);
  std::sort(c.v.begin(), c.v.end(), [](const Stride& a, const Stride& b) { return a.ic_s < b.ic_s; });
  c.baseline_n = std::min(c.v.size(), static_cast<std::size_t>(std::max(
                                          st.min_baseline_strides, std::ceil(st.baseline_share * static_cast<double>(c.v.size())))));
  {
    std::vector<double> sp;
    for (std::size_t i = 0; i < c.baseline_n; ++i)
      if (std::isfinite(c.v[i].speed_mps)) sp.push_back(c.v[i].speed_mps);
    c.speed_known = sp.size() * 2 >= c.baseline_n && !sp.empty();
    c.baseline_speed = c.speed_known ? median(sp) : Stride::kNaN;
  }
  const std::string base_words = baseline_words(c);
  const std::string trust = trust_words(c, summary, placement, false);
  const std::string trust_cad = trust_words(c, summary, placement, true);

  // ---------------------------------------------------------------- low_cadence
  bool low_cadence = false;
  {
    std::vector<const Stride*> run;
    std::vector<double> sp;
    for (const auto& s : c.v)
      if (s.duty_factor < st.running_max_duty_factor && !(std::isfinite(s.speed_mps) && s.speed_mps <= st.running_min_speed_mps)) {
        run.push_back(&s);
        if (std::isfinite(s.speed_mps)) sp.push_back(s.speed_mps);
      }
    const double run_speed = median(sp);
    std::vector<double> cad, duty;
    double from = 0, to = 0;
    for (const Stride* s : run) {
      if (std::isfinite(run_speed) && std::isfinite(s->speed_mps) &&
          std::abs(s->speed_mps - run_speed) > st.speed_match_rel * run_speed)
        continue;  // steady running: near the typical running speed
      if (cad.empty()) from = s->ic_s;
      to = s->next_ic_s;
      cad.push_back(s->cadence_spm);
      duty.push_back(s->duty_factor);
    }
    const double m = median(cad);
    if (static_cast<double>(cad.size()) >= st.min_valid_strides && m < st.low_cadence_spm) {
      low_cadence = true;
      Flag f;
      f.id = "low_cadence";
      f.title = "Low step rate: " + fixed(m, 0) + " steps/min";
      f.evidence = "median step rate " + fixed(m, 1) + " steps/min over " + std::to_string(cad.size()) +
                   " steady running strides" + (std::isfinite(run_speed) ? " at " + fixed(run_speed, 2) + " m/s" : "") +
                   " (duty factor " + fixed(median(duty), 2) + "), below " + fixed(st.low_cadence_spm, 0) + ".";
      f.values = {{"cadence_spm", m}, {"threshold_spm", st.low_cadence_spm}, {"duty_factor", median(duty)}};
      if (std::isfinite(run_speed)) f.values.push_back({"speed_mps", run_speed});
      f.strides = cad.size();
      f.from_s = from;
      f.to_s = to;
      f.rule = "median step rate (both feet) < " + fixed(st.low_cadence_spm, 0) +
               " steps/min at steady running (duty factor < " + fixed(st.running_max_duty_factor, 2) + ", speed > " +
               fixed(st.running_min_speed_mps, 1) + " m/s, within +-" + pct(st.speed_match_rel) +
               " of the typical running speed)";
      f.why = "A low step rate is associated with higher knee loads; a step rate at or below 166 steps/min was "
              "associated with higher tibiofemoral forces." + std::string(kWords);
      f.source = "Heiderscheit 2011 MSSE 43:296; Lenhart 2014 MSSE 46:557; Thakkar 2019 MSSE 51:1444";
      f.what_to_try = "Try a step rate " + pct(st.cadence_step_rel) + " higher (about " +
                      fixed(m * (1 + st.cadence_step_rel), 0) + " steps/min, e.g. with a metronome), then up to +10 % (" +
                      fixed(m * 1.10, 0) + ") over a few weeks.";
      f.trust = trust_cad;
      flags.push_back(std::move(f));
    }
  }

  // ---------------------------------------------------------------- overstride
  bool overstride = false;
  {
    const auto base = c.baseline_values(get_fsa);
    const double p90 = quantile(base, 1.0 - st.overstride_top_share);
    if (base.size() >= 5) {
      const Drift d = find_drift(c, st, get_fsa, +1, st.overstride_min_rise_deg, false);
      if (d.held) {
        std::size_t above = 0, rear = 0;
        std::vector<double> cad;
        for (std::size_t i : d.idx) {
          above += c.v[i].fsa_deg > p90;
          rear += c.v[i].fsa_deg > kRearfootDeg;
          cad.push_back(c.v[i].cadence_spm);
        }
        const double share = static_cast<double>(above) / static_cast<double>(d.idx.size());
        const double rear_share = static_cast<double>(rear) / static_cast<double>(d.idx.size());
        if (share >= st.overstride_min_share && rear_share >= 0.5) {
          overstride = true;
          const double cad_base = c.baseline(get_cadence);
          const double cad_change = median(cad) / cad_base - 1.0;
          Flag f;
          f.id = "overstride";
          f.title = "Foot-strike angle up " + signed_fixed(d.change, 1) + " deg vs the start of the run";
          f.evidence = "median foot-strike angle " + fixed(d.value, 1) + " deg vs " + fixed(d.baseline, 1) +
                       " deg at the start; " + pct(share) + " of these strides above the start's top-" +
                       pct(st.overstride_top_share) + " angle (" + fixed(p90, 1) + " deg), " + pct(rear_share) +
                       " rearfoot; cadence " + spct(cad_change, 1) + " vs the start; " + held_words(d, st) + ".";
          f.values = {{"fsa_deg", d.value}, {"baseline_fsa_deg", d.baseline}, {"baseline_p90_fsa_deg", p90},
                      {"share_above_p90", share}, {"rearfoot_share", rear_share}, {"cadence_change_rel", cad_change}};
          f.strides = d.strides;
          f.from_s = d.from_s;
          f.to_s = d.to_s;
          f.rule = "rearfoot strikes with a foot-strike angle in the runner's own top " + pct(st.overstride_top_share) +
                   " (vs " + base_words + "): median rise >= " + fixed(st.overstride_min_rise_deg, 1) + " deg and >= " +
                   pct(st.overstride_min_share) + " of strides above the baseline's P" +
                   fixed(100 * (1 - st.overstride_top_share), 0) + ", held; no absolute cut-off exists" +
                   (cad_change < 0 ? "; with cadence below the start (stronger sign)" : "");
          f.why = "Overstriding with a heel strike is associated with higher patellofemoral stress in runners with "
                  "knee pain." + std::string(kWords);
          f.source = "Souza 2016 (no absolute cut-off); Baker 2024 Sci Rep (IMU segment angles and overstride); "
                     "Vannatta 2015 MSSE 47:1001";
          f.what_to_try = "Land with the foot closer under the body; a slightly higher step rate often does this by "
                          "itself.";
          f.trust = trust + " Foot-strike angle from the shoe sensor's trajectory (pitch at IC).";
          flags.push_back(std::move(f));
        }
      }
    }
  }

  // ---------------------------------------------------------------- heel_strike (only with low_cadence or overstride)
  if (low_cadence || overstride) {
    std::size_t n[4] = {0, 0, 0, 0};
    for (const auto& s : c.v) ++n[static_cast<int>(s.strike_pattern)];
    const std::size_t known = n[1] + n[2] + n[3];
    if (known >= static_cast<std::size_t>(st.min_valid_strides)) {
      const double rear = static_cast<double>(n[1]) / static_cast<double>(known);
      const double mid = static_cast<double>(n[2]) / static_cast<double>(known);
      const double fore = static_cast<double>(n[3]) / static_cast<double>(known);
      if (rear >= st.heel_strike_min_share) {
        Flag f;
        f.id = "heel_strike";
        f.title = "Heel strike " + pct(rear) + " of strides, with " +
                  (low_cadence && overstride ? "a low step rate and overstriding"
                                             : low_cadence ? "a low step rate" : "overstriding");
        f.evidence = "rearfoot " + pct(rear) + ", midfoot " + pct(mid) + ", forefoot " + pct(fore) + " of " +
                     std::to_string(known) + " strides with a known pattern.";
        f.values = {{"rearfoot_share", rear}, {"midfoot_share", mid}, {"forefoot_share", fore}};
        f.strides = known;
        f.from_s = c.v.front().ic_s;
        f.to_s = c.v.back().next_ic_s;
        f.rule = "rearfoot share >= " + pct(st.heel_strike_min_share) +
                 " (foot-strike angle > 8 deg, Altman & Davis 2012), only together with low_cadence or overstride";
        f.why = "Most distance runners heel-strike, which alone is not a problem; with long, slow steps it is "
                "associated with higher knee loads." + std::string(kWords);
        f.source = "Vannatta 2015 MSSE 47:1001 (rearfoot to forefoot: -27 % patellofemoral stress, more calf load); "
                   "Souza 2016";
        f.what_to_try = "Work on step rate and landing under the body first; a switch to forefoot striking moves load "
                        "to the calf and Achilles, so change gradually if at all.";
        f.trust = trust + " Strike pattern from the foot-strike angle of the shoe sensor.";
        flags.push_back(std::move(f));
      }
    }
  }

  // ---------------------------------------------------------------- high_impact
  const bool impacts_usable = clipped_share <= st.max_clipped_impact_share;
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

  // ---------------------------------------------------------------- pronation_change
  {
    const Drift de = find_drift(c, st, get_pron_exc, +1, st.pronation_rise_rel, true);
    const Drift dv = find_drift(c, st, get_pron_vel, +1, st.pronation_rise_rel, true);
    if (de.held || dv.held) {
      const Drift& d = de.held ? de : dv;
      Flag f;
      f.id = "pronation_change";
      f.title = std::string("Pronation ") + (de.held ? "excursion " + spct(de.change) : "") +
                (de.held && dv.held ? ", " : "") + (dv.held ? "velocity " + spct(dv.change) : "") +
                " vs the start of the run";
      if (de.held) {
        f.evidence = "eversion excursion " + fixed(de.value, 1) + " deg vs " + fixed(de.baseline, 1) + " deg, " +
                     held_words(de, st);
        f.values.push_back({"pronation_excursion_deg", de.value});
        f.values.push_back({"baseline_pronation_excursion_deg", de.baseline});
      }
      if (dv.held) {
        f.evidence += std::string(de.held ? "; " : "") + "peak eversion velocity " + fixed(dv.value, 0) +
                      " deg/s vs " + fixed(dv.baseline, 0) + " deg/s, " + held_words(dv, st);
        f.values.push_back({"pronation_velocity_dps", dv.value});
        f.values.push_back({"baseline_pronation_velocity_dps", dv.baseline});
      }
      f.evidence += ".";
      f.strides = d.strides;
      f.from_s = d.from_s;
      f.to_s = d.to_s;
      f.rule = "pronation excursion or peak velocity +" + pct(st.pronation_rise_rel) + " vs " + base_words + ", held";
      f.why = "A change in rearfoot motion within a run is worth checking; the evidence linking pronation to knee "
              "pain is very limited and the effects small." + std::string(kWords);
      f.source = "Neal 2014 J Foot Ankle Res 7:55; Dowling 2014; Koldenhoven 2018 (device agreement only fair)";
      f.what_to_try = "Notice whether it comes with tiredness or a surface change; compare with other runs in the "
                      "same shoe.";
      f.trust = trust + " Eversion sign needs the right --side; sensor agreement with motion capture is only fair, "
                        "so only the change vs the runner's own start is used.";
      flags.push_back(std::move(f));
    }
  }

  // ---------------------------------------------------------------- fatigue_drift
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

  // ---------------------------------------------------------------- fall_or_knock
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
                   (s.valid ? "is off the usual stride time" : "is invalid (" + s.invalid_reason + ")") + ".";
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

  order_flags(flags);
  return flags;
}

std::vector<Flag> evaluate_asymmetry(const std::vector<Stride>& left, const std::vector<Stride>& right,
                                     const FlagSettings& st) {
  st.validate();
  std::vector<Flag> flags;
  std::vector<Stride> l, r;
  for (const auto& s : left)
    if (s.valid) l.push_back(s);
  for (const auto& s : right)
    if (s.valid) r.push_back(s);
  const auto by_time = [](const Stride& a, const Stride& b) { return a.ic_s < b.ic_s; };
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
    const bool flight_measured = std::all_of(l.begin(), l.end(), [](const Stride& s) { return !s.flight_from_one_foot; });
    f.trust = std::string("Two sensors, one per foot; per-foot medians are compared.") +
              (m.key != std::string("flight_ms") ? ""
               : flight_measured ? " Flight time is measured from both feet (toe-off to the other foot's contact)."
                                 : " Flight time is inferred per foot (half the stride minus contact).");
    flags.push_back(std::move(f));
  }
  return flags;
}

void order_flags(std::vector<Flag>& flags) {
  const auto rank = [](const Flag& f) { return f.id == "data_quality" ? 0 : f.severity == Flag::warn ? 1 : 2; };
  std::stable_sort(flags.begin(), flags.end(), [&](const Flag& a, const Flag& b) { return rank(a) < rank(b); });
}

}  // namespace stride
