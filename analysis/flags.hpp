// The single-session knee-pain flags (FLAGS.md "Default rules"): what one recording can show. Load-based flags
// (load_spike, weekly_jump, shoe_wear) need the history: analysis/load_flags.hpp (their thresholds are here too). Pure: no I/O.
//
// Baseline = the first `baseline_share` of the valid strides (at least `min_baseline_strides`). "Matched speed" =
// strides whose speed is within +-`speed_match_rel` of the baseline's median speed (all strides when the speed
// is not measured: the trust text then says so). A drift is "held" when the rolling median over
// `window_strides` strides stays past the threshold for `hold_distance_m`, or from its onset to the end of the run
// when that is shorter (at least `min_hold_strides`).
#pragma once

#include <vector>

#include "stride/flag.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"
#include "stride/session.hpp"

namespace stride {

struct FlagSettings {
  // --- enough data ---
  double min_valid_strides = 30;          // strides; fewer: no gait flag, a data_quality info says so
  double min_duration_s = 180;            // s; shorter recordings: idem
  // --- baseline and matching ---
  double baseline_share = 0.15;           // share of the valid strides at the start of the run (0.10-0.15 in FLAGS.md)
  double min_baseline_strides = 20;       // strides; the baseline is at least this long
  double speed_match_rel = 0.10;          // strides within +-10 % of the baseline speed are compared
  // --- per-stride uncertainty (docs/uncertainty.md): what the gait rules leave out ---
  double max_event_sd_ms = 20;            // ms; a stride whose IC SD is above this is left out of the gait rules,
                                          // one whose TC SD (with its IC's) is, keeps all but its contact time,
                                          // duty factor and flight. A foot sensor states 0.2-8 ms at 100-1000 Hz
                                          // on the simulator; a shin TC (75 ms) and weak impacts below 100 Hz are above.
  double max_length_sd_share = 0.10;      // a stride length whose SD is above this share of it: its length and
                                          // speed are unknown to the rules (no speed match, no low-cadence speed)
  double window_strides = 15;             // strides in the rolling median of the drift rules
  double hold_distance_m = 2000;          // m a drift must be held (or to the end of the run, if shorter)
  double min_hold_strides = 20;           // strides; the shortest held drift that counts
  // --- running ---
  double running_max_duty_factor = 0.5;   // running: duty factor below this
  double running_min_speed_mps = 2.2;     // and speed above this (when measured)
  // --- low_cadence ---
  double low_cadence_spm = 166;           // steps/min (both feet), Thakkar 2019
  double cadence_step_rel = 0.05;         // suggest +5 % (then up to +10 %), Heiderscheit 2011
  // --- overstride / heel_strike ---
  double overstride_top_share = 0.10;     // the runner's top 10 % of foot-strike angles in the baseline (its P90)
  double overstride_min_share = 0.5;      // share of later matched-speed strides above the baseline P90
  double overstride_min_rise_deg = 3.0;   // deg; median foot-strike angle rise vs baseline
  double heel_strike_min_share = 0.5;     // rearfoot share reported with low_cadence or overstride
  // --- high_impact ---
  double impact_rise_rel = 0.15;          // +15 % vs baseline at matched speed (shoe)
  double impact_warn_rel = 0.30;          // +30 %: severity warn
  double shin_impact_g = 8.0;             // g; shin: axial peak tibial acceleration at easy pace (Crowell & Davis 2011)
  double shin_min_rate_hz = 200;          // Hz; the shin absolute rule needs at least this rate
  // --- pronation_change ---
  double pronation_rise_rel = 0.20;       // +20 % excursion or peak velocity vs baseline
  // --- fatigue_drift ---
  double fatigue_gct_rel = 0.05;          // contact time +5 %
  double fatigue_cadence_rel = 0.03;      // cadence -3 %
  double fatigue_impact_rel = 0.15;       // impact +15 %
  double fatigue_fsa_deg = 5.0;           // deg; change of foot-strike angle
  // --- fall_or_knock ---
  double knock_ratio = 2.5;               // peak > 2.5x the median stance peak
  double knock_min_g = 12.0;              // g; and above this
  double knock_rhythm_rel = 0.20;         // stride time this far from the median, or an invalid stride: rhythm broken
  // --- asymmetry ---
  double asymmetry_si = 0.10;             // symmetry index 2|L-R|/(L+R) above 10 %
  double asymmetry_cv_factor = 2.0;       // and above 2x the stride-to-stride CV
  double asymmetry_hold_s = 300;          // s; sustained 5 min (or the whole session, if shorter)
  double asymmetry_window_s = 60;         // s; windows the symmetry index is computed in
  // --- data_quality ---
  double max_invalid_share = 0.02;        // more invalid strides than 2 %: reported
  double unusable_invalid_share = 0.20;   // more than 20 %: the other flags are withheld
  double max_missing_share = 0.01;        // dropped samples above 1 % of the samples: reported
  double unusable_missing_share = 0.10;   // above 10 %: the other flags are withheld
  double max_jitter_share = 0.10;         // interval SD above 10 % of the nominal interval: reported
  double max_clipped_impact_share = 0.5;  // more clipped impacts than this: impact rules withheld
  double max_clipped_acc_share = 0.01;    // clipped accelerometer samples above 1 % of the samples: reported (a
                                          // few clipped heel strikes are shown in the data line, not flagged)
  // --- history: load_spike, weekly_jump, shoe_wear (analysis/load_flags.hpp) ---
  double load_window_days = 30;           // days; the longest run in this many days before the session (Frandsen 2025)
  double load_spike_rel = 0.10;           // session distance > 110 % of that longest run
  double load_spike_strong_rel = 0.30;    // > 130 %: the stronger band
  double load_spike_large_rel = 1.00;     // > 200 %: the largest band
  double load_min_sessions = 3;           // sessions with a distance in the window; fewer: load_spike not evaluated
  double load_min_history_days = 14;      // days; the history must reach this far back before the session
  double weekly_jump_rel = 0.30;          // this week's distance (Mon-Sun, so far) > +30 % vs the previous week
  double weekly_min_prev_km = 5;          // km; the previous week must have at least this, else not evaluated
  double shoe_reminder_km = 600;          // km on a shoe: a reminder (a convention, not evidence)
  double shoe_wear_rel = 0.10;            // impact at matched speed +10 % vs the shoe's first km
  double shoe_baseline_km = 50;           // km; the shoe's first km are its baseline
  double shoe_min_baseline_sessions = 2;  // sessions at matched speed (+-speed_match_rel) in that baseline

  void validate() const;                  // throws std::invalid_argument naming the field, value and range
};

// Every single-session flag except asymmetry (which needs both feet). Flags come in a stable order: data quality
// first, then warn before info.
std::vector<Flag> evaluate_flags(const std::vector<Stride>& strides, const DataQuality& quality,
                                 const SessionSummary& summary, Placement placement, const FlagSettings& settings);

// The order flags are shown in: data quality first, then warn before info; stable otherwise.
void order_flags(std::vector<Flag>& flags);

// Left vs right: symmetry index of contact time, flight time, peak impact and pronation velocity.
std::vector<Flag> evaluate_asymmetry(const std::vector<Stride>& left, const std::vector<Stride>& right,
                                     const FlagSettings& settings);

}  // namespace stride
