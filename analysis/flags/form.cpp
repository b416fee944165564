// Form: low_cadence, overstride, heel_strike (step rate and foot strike) and pronation_change (rearfoot motion).
#include "analysis/flags/rules.hpp"

#include <algorithm>

#include "analysis/text.hpp"

namespace stride::flag_rules {

bool low_cadence_flag(const RuleInput& in, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::string& trust_cad = in.trust_cad;
  bool low_cadence = false;
  {
    std::vector<std::size_t> run;  // indices into c.v
    std::vector<double> sp;
    for (std::size_t i = 0; i < c.v.size(); ++i)
      if (const RuleStride s = c.v[i];
          s.duty_factor < st.running_max_duty_factor && !(std::isfinite(s.speed_mps) && s.speed_mps <= st.running_min_speed_mps)) {
        run.push_back(i);
        if (std::isfinite(s.speed_mps)) sp.push_back(s.speed_mps);
      }
    const double run_speed = median(sp);
    std::vector<double> cad, duty;
    double from = 0, to = 0;
    for (const std::size_t i : run) {
      const RuleStride s = c.v[i];
      if (std::isfinite(run_speed) && std::isfinite(s.speed_mps) &&
          std::abs(s.speed_mps - run_speed) > st.speed_match_rel * run_speed)
        continue;  // steady running: near the typical running speed
      if (cad.empty()) from = s.ic_s;
      to = s.next_ic_s;
      cad.push_back(s.cadence_spm);
      duty.push_back(s.duty_factor);
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
  return low_cadence;
}

bool overstride_flag(const RuleInput& in, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::string& base_words = in.base_words;
  const std::string& trust = in.trust;
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
  return overstride;
}

// Only together with low_cadence or overstride: heel striking alone is not a problem.
void heel_strike_flag(const RuleInput& in, bool low_cadence, bool overstride, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::string& trust = in.trust;
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
}

void pronation_change_flag(const RuleInput& in, std::vector<Flag>& flags) {
  const FlagSettings& st = in.st;
  const Context& c = in.c;
  const std::string& base_words = in.base_words;
  const std::string& trust = in.trust;
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
}

}  // namespace stride::flag_rules
