// The history-based knee-pain flags (FLAGS.md "Default rules"): load_spike, weekly_jump, shoe_wear. They compare
// one session with the earlier sessions of the same athlete. Pure: plain structs in, flags out; no I/O (the store
// is tools/history/history_store.hpp). Thresholds live in FlagSettings (analysis/flags.hpp), so one settings file sets them.
//
// Days are days since 1970-01-01 of the session's start in the runner's local calendar (fractional: 0.5 = noon);
// weeks are Monday to Sunday. A distance that was not measured is NaN: that session counts for nothing in a sum
// or a maximum, and the evidence says how many sessions were left out that way.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "stride/flag.hpp"
#include "stride/recording.hpp"

namespace stride {

struct LoadSession {
  double day = 0;                          // days since 1970-01-01 (local calendar), fractional
  std::string label;                       // how the evidence names the session, e.g. "2025-03-02"
  double distance_m = std::nan("");        // NaN: not measured
  double duration_s = 0;
  std::string shoe;                        // "" = not named
  Placement placement = Placement::shoe;   // impacts are compared only between sessions of the same placement
  double speed_mps = std::nan("");         // median speed of the valid strides (NaN: not measured)
  double impact_g = std::nan("");          // median peak impact (shoe) or axial PTA (shin) of the valid strides
  double strides = 0;                      // valid strides (both feet for two-feet sessions)
  std::string side;                        // "" (one sensor, foot not declared), "left", "right", "both"
};

// Training load around one session: context for `stride history`, never a flag by itself.
struct LoadContext {
  double week_km = 0;                      // this calendar week (Mon-Sun) up to and including the session
  double previous_week_km = 0;
  int week_sessions = 0, previous_week_sessions = 0;
  double longest_window_km = std::nan(""); // the longest run in the load_window_days before the session
  int window_sessions = 0;                 // earlier sessions with a distance in that window
  double acute_7d_km = 0;                  // the 7 days up to and including the session
  double chronic_28d_weekly_km = 0;        // the mean weekly distance over the 28 days up to and including it
  double acwr = std::nan("");              // acute / chronic, once the history reaches 21 days back: context only,
                                           // never a flag (Impellizzeri 2021, Frandsen 2025)
  double shoe_km = 0;                      // on the session's shoe, including the session
  int unmeasured_sessions = 0;             // earlier sessions without a distance (counted as 0 km)
};

// Monday-start week index of a day (1970-01-01 was a Thursday, in week 0).
inline long week_of_day(double day) { return static_cast<long>(std::floor((day + 3.0) / 7.0)); }

LoadContext load_context(const LoadSession& current, const std::vector<LoadSession>& earlier,
                         const FlagSettings& settings);

// `earlier` = the athlete's sessions that started before `current` (any order; later ones are ignored). Flags in a
// stable order: data_quality (when a rule could not be evaluated for too little history), then warn before info.
std::vector<Flag> evaluate_load_flags(const LoadSession& current, const std::vector<LoadSession>& earlier,
                                      const FlagSettings& settings);

}  // namespace stride
