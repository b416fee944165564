// The pieces every single-session flag rule shares (FLAGS.md "Default rules"): the valid strides in time order
// with their baseline and matched speed, the drift finder, and the sentences the flags repeat. Internal to the
// flag families in this folder; the public entry points are in analysis/flags.hpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "analysis/flags/rule_stride.hpp"
#include "analysis/session_stats.hpp"
#include "stride/flag.hpp"
#include "stride/gait.hpp"

namespace stride::flag_rules {

constexpr double kRearfootDeg = 8.0;  // Altman & Davis 2012, as StrikePattern
constexpr const char* kWords = " Worth checking, not a diagnosis.";

double quantile(std::vector<double> v, double q);
// Robust stride-to-stride coefficient of variation: 1.4826 MAD / median.
double robust_cv(const std::vector<double>& v);

using Getter = double (*)(const RuleStride&);

inline double get_gct(const RuleStride& s) { return s.gct_ms; }
inline double get_cadence(const RuleStride& s) { return s.cadence_spm; }
inline double get_impact(const RuleStride& s) { return s.impact_clipped ? Stride::kNaN : s.peak_impact_g; }
inline double get_fsa(const RuleStride& s) { return s.fsa_deg; }
inline double get_pron_exc(const RuleStride& s) { return s.pronation_excursion_deg; }
inline double get_pron_vel(const RuleStride& s) { return s.pronation_velocity_dps; }
inline double get_flight(const RuleStride& s) { return s.flight_ms; }

// What one session offers the drift rules: the valid strides in time order, the baseline and matched speed.
struct Context {
  RuleStrides v;                  // valid strides, by IC time (what the rules read of each)
  std::size_t baseline_n = 0;     // the first baseline_n of v
  double baseline_speed = Stride::kNaN;
  bool speed_known = false;
  double speed_match_rel = 0.1;

  bool matched(const RuleStride& s) const {
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
                 bool relative);
std::string held_words(const Drift& d, const FlagSettings& st);
std::string baseline_words(const Context& c);
std::string trust_words(const Context& c, const SessionSummary& summary, Placement placement, bool cadence);

// What data_quality leaves for the other rules.
struct QualityVerdict {
  bool gait_flags = true;             // false: too little data, or data that cannot support them
  std::size_t clipped_impacts = 0;    // valid strides whose peak impact is clipped
  double clipped_impact_share = 0;    // of the valid strides
};

// What every rule after data_quality reads: the session, its valid strides with their baseline, and the
// baseline and trust sentences the flags share.
struct RuleInput {
  const std::vector<Stride>& strides;  // all strides, valid or not
  const DataQuality& q;
  Placement placement;
  const FlagSettings& st;
  QualityVerdict quality;
  Context c;
  std::string base_words, trust, trust_cad;
};
RuleInput rule_input(const std::vector<Stride>& strides, const DataQuality& q, const SessionSummary& summary,
                     Placement placement, const FlagSettings& st, const QualityVerdict& quality);

// The families (one file each). Each appends its flags; the registry (analysis/flags.cpp) orders the calls.
// quality.cpp
QualityVerdict data_quality_flag(const std::vector<Stride>& strides, const DataQuality& q,
                                 const SessionSummary& summary, const FlagSettings& st, std::vector<Flag>& flags);
// form.cpp: step rate, foot strike and rearfoot motion
bool low_cadence_flag(const RuleInput& in, std::vector<Flag>& flags);
bool overstride_flag(const RuleInput& in, std::vector<Flag>& flags);
void heel_strike_flag(const RuleInput& in, bool low_cadence, bool overstride, std::vector<Flag>& flags);
void pronation_change_flag(const RuleInput& in, std::vector<Flag>& flags);
// impact.cpp
void high_impact_flags(const RuleInput& in, std::vector<Flag>& flags);
void fall_or_knock_flags(const RuleInput& in, std::vector<Flag>& flags);
// fatigue.cpp
void fatigue_drift_flag(const RuleInput& in, std::vector<Flag>& flags);

}  // namespace stride::flag_rules
