// Session documents for the report tests, in the layout of docs/session-json.md ("schema": "stride.session/2"): a
// small hand-made one-sensor document (hostile names, a null metric, two flags), and a two-feet document assembled
// from two one-sensor ones, as `stride analyze` writes them.
#pragma once

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "session_doc.hpp"

namespace stride::test {

using nlohmann::json;

inline json metric_summary(std::vector<double> v) {
  if (v.empty()) return {{"n", 0}, {"mean", nullptr}, {"sd", nullptr}, {"median", nullptr}, {"min", nullptr}, {"max", nullptr}};
  std::sort(v.begin(), v.end());
  double mean = 0, ss = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  return {{"n", v.size()},
          {"mean", mean},
          {"sd", v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0},
          {"median", v[v.size() / 2]},
          {"min", v.front()},
          {"max", v.back()}};
}

// Summary metrics recomputed from the valid strides (null fields are not measured and give n = 0).
inline json summary_metrics(const json& strides) {
  json metrics = json::object();
  for (const char* key : {"cadence_spm", "gct_ms", "flight_ms", "peak_impact_g", "stride_length_m", "speed_mps", "fsa_deg",
                          "pronation_excursion_deg", "pta_g"}) {
    std::vector<double> v;
    for (const auto& s : strides)
      if (s["valid"].get<bool>() && s[key].is_number()) v.push_back(s[key].get<double>());
    metrics[key] = metric_summary(v);
  }
  return metrics;
}

// A shoe sensor, `n` strides of 0.75 s; no shin metric (pta_g is null throughout). Athlete and file names are
// hostile on purpose: the page must escape them.
inline json small_session(int n = 80, const std::string& athlete = "<script>alert('x')</script> & \"Bo\"") {
  json strides = json::array();
  for (int i = 0; i < n; ++i) {
    const double t = 2.0 + 0.75 * i, wobble = std::sin(i * 0.7);
    strides.push_back({{"foot", "right"}, {"ic_s", t}, {"tc_s", t + 0.25}, {"valid", i != 5},
                       {"gct_ms", 250 + 5 * wobble + 0.2 * i}, {"flight_ms", 120 - 3 * wobble},
                       {"cadence_spm", 160 + 2 * wobble}, {"peak_impact_g", 9 + wobble},
                       {"stride_length_m", 2.4 + 0.05 * wobble}, {"speed_mps", 3.2 + 0.05 * wobble},
                       {"fsa_deg", 12 + wobble}, {"strike_pattern", "rearfoot"}, {"pronation_excursion_deg", 8 + 0.3 * wobble},
                       {"pta_g", nullptr}, {"shank_angle_ic_deg", nullptr}});
  }
  json flags = json::array();
  flags.push_back({{"id", "low_cadence"}, {"severity", "info"}, {"title", "Low step rate: 160 steps/min"},
                   {"evidence", "median step rate 160.0 steps/min over 79 strides, below 166."},
                   {"values", {{"cadence_spm", 160.0}}}, {"strides", 79}, {"from_s", 2.0}, {"to_s", 61.25},
                   {"rule", "median step rate < 166 steps/min at steady running"},
                   {"why", "A low step rate is associated with higher knee loads."},
                   {"source", "Heiderscheit 2011 MSSE 43:296"},
                   {"what_to_try", "Try a step rate 5 % higher."},
                   {"trust", "Cadence is from one foot."}, {"side", "right"}});
  flags.push_back({{"id", "fall_or_knock"}, {"severity", "warn"}, {"title", "A 30.0 g jolt at 40.0 s"},
                   {"evidence", "peak 30.0 g, 3.3x the median stance peak <9 g>"},
                   {"values", {{"peak_impact_g", 30.0}}}, {"strides", 1}, {"from_s", 40.0}, {"to_s", 40.8},
                   {"rule", "peak > 2.5x the median stance peak and > 12 g"},
                   {"why", "The runner's-knee article names direct blows and falls."},
                   {"source", "the runner's-knee article (blows, falls)"},
                   {"what_to_try", "Ask whether the runner fell or knocked the sensor."},
                   {"trust", "Threshold is our default, to be validated."}, {"side", "right"}});
  const json tool = {{"name", "stride"}, {"version", "0.1.0"}};
  json foot = {{"tool", tool},
          {"input", {{"file", "runs/<b>evil</b>.csv"}, {"fnv1a64", "0123456789abcdef"}}},
          {"settings", {{"flags", {{"fatigue_gct_rel", 0.05}, {"fatigue_cadence_rel", 0.03}, {"asymmetry_si", 0.10}}}}},
          {"metadata", {{"board", "test board"}, {"sensor", "ideal"}, {"placement", "shoe"}, {"side", "right"},
                        {"rate_hz", 200.0}, {"acc_range_g", 16.0}, {"gyr_range_dps", 2000.0}, {"athlete", athlete},
                        {"shoe", "Pegasus 40"}, {"start_time", "2025-05-01T07:30:00Z"}, {"extra", json::object()}}},
          {"import", {{"skipped_lines", 3}, {"duplicate_stamps", 0}, {"acc_unit", "g"}, {"acc_unit_reason", "declared"},
                      {"gyr_unit", "deg/s"}, {"gyr_unit_reason", "declared"}}},
          {"data_quality", {{"samples", 12000}, {"nominal_rate_hz", 200.0}, {"declared_rate_hz", 200.0},
                            {"interval_jitter_ms", 0.12}, {"gap_count", 1}, {"missing_samples", 7},
                            {"gap_longest_s", 0.035}, {"clipped_acc_samples", 0}, {"clipped_gyr_samples", 0},
                            {"gaps", json::array()}}},
          {"mounting", {{"ok", true}, {"pitch_axis_tilt_deg", 2.0}, {"message", ""}}},
          {"summary", {{"duration_s", 2.0 + 0.75 * n}, {"strides_total", n}, {"strides_valid", n - 1},
                       {"cadence_from_one_foot", true}, {"metrics", summary_metrics(strides)}}},
          {"spatial", {{"ok", true}, {"distance_m", 2.4 * n}, {"strike_patterns", {{"rearfoot", n - 1}, {"midfoot", 0}, {"forefoot", 0}}}}},
          {"strides", strides},
          {"warnings", json::array({"a note from the analysis"})}};
  return {{"schema", "stride.session/2"}, {"tool", tool}, {"feet", {{"right", foot}}}, {"bilateral", nullptr},
          {"flags", flags}};
}

// A two-feet document from two one-sensor documents: each one's foot goes under its side, the flags go to the
// top, and "bilateral" holds the left/right medians and their symmetry index 200|L-R|/(L+R).
inline json two_feet(const json& left_doc, const json& right_doc, json flags = json::array()) {
  json left = only_foot(left_doc), right = only_foot(right_doc);
  left["metadata"]["side"] = "left";
  right["metadata"]["side"] = "right";
  for (auto* foot : {&left, &right})
    for (auto& s : (*foot)["strides"]) s["foot"] = (*foot)["metadata"]["side"];
  json symmetry = json::object();
  for (const char* key : {"gct_ms", "flight_ms", "peak_impact_g", "stride_length_m"}) {
    const json& l = left["summary"]["metrics"][key];
    const json& r = right["summary"]["metrics"][key];
    if (!l["median"].is_number() || !r["median"].is_number()) continue;
    const double L = l["median"].get<double>(), R = r["median"].get<double>();
    symmetry[key] = {{"left", L}, {"right", R}, {"si_pct", 200.0 * std::abs(L - R) / (L + R)}};
  }
  const json& lc = left["summary"]["metrics"]["cadence_spm"];
  return {{"schema", "stride.session/2"},
          {"tool", left_doc["tool"]},
          {"feet", {{"left", left}, {"right", right}}},
          {"bilateral", {{"clock", {{"offset_s", 0.012}, {"source", "assumed_same_start"}}},
                         {"steps", left["strides"].size() + right["strides"].size()},
                         {"alternation_share", 0.98},
                         {"metrics", {{"cadence_spm", lc}}},
                         {"symmetry", symmetry}}},
          {"flags", flags}};
}

// The right foot of a two-feet test: the same run (a one-sensor document) with longer contacts (an asymmetry).
inline json slower_right(json session, double gct_factor) {
  json& doc = only_foot(session);
  for (auto& s : doc["strides"]) {
    if (s["gct_ms"].is_number()) s["gct_ms"] = s["gct_ms"].get<double>() * gct_factor;
    if (s["ic_s"].is_number()) s["ic_s"] = s["ic_s"].get<double>() + 0.37;
  }
  doc["summary"]["metrics"]["gct_ms"] = [&] {
    std::vector<double> v;
    for (const auto& s : doc["strides"])
      if (s["valid"].get<bool>() && s["gct_ms"].is_number()) v.push_back(s["gct_ms"].get<double>());
    return metric_summary(v);
  }();
  return session;
}

}  // namespace stride::test
