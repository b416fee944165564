// A coach's history database for the tests (test_history_coach_cli.cpp, test_report_chromium.cpp): sessions saved
// in-process with known distances and medians, so that what `stride history` and `stride report --history` show
// can be checked to the number.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"
#include "tools/history/history_save.hpp"

namespace stride::test {

inline nlohmann::json coach_medians(double cadence, double gct, double stride_m, double impact) {
  using nlohmann::json;
  const auto m = [](double v) { return json{{"n", 200}, {"mean", v}, {"sd", 0.04 * v}, {"median", v}}; };
  return {{"cadence_spm", m(cadence)}, {"gct_ms", m(gct)}, {"stride_length_m", m(stride_m)},
          {"peak_impact_g", m(impact)}, {"speed_mps", m(3.2)}};
}

inline nlohmann::json coach_foot_doc(const std::string& hash, const std::string& side, const std::string& athlete,
                                     const std::string& date, double km, double gct) {
  return nlohmann::json{
          {"input", {{"file", hash + ".csv"}, {"fnv1a64", hash}}},
          {"metadata", {{"placement", "shoe"}, {"side", side}, {"athlete", athlete}, {"shoe", "Pegasus 40"},
                        {"start_time", date + "T07:00:00"}}},
          {"summary", {{"duration_s", km * 330}, {"strides_total", 420}, {"strides_valid", 400},
                       {"metrics", coach_medians(168, gct, 2.3, 9.5)}}},
          {"spatial", {{"ok", true}, {"distance_m", km * 1000}}}};
}

// Saves one run (one foot, or two feet with contact times 250 / 270 ms) and returns nothing: a failure throws.
inline void save_coach_run(const std::string& db, const std::string& athlete, const std::string& date, double km,
                           bool two_feet = false, const nlohmann::json& flags = nlohmann::json::array()) {
  using nlohmann::json;
  const std::string hash = athlete + date;
  json doc = coach_foot_doc(hash, "right", athlete, date, km, 250);
  if (two_feet)
    doc = {{"session", "two_feet"},
           {"feet", {{"left", coach_foot_doc(hash + "L", "left", athlete, date, km, 250)},
                     {"right", coach_foot_doc(hash + "R", "right", athlete, date, km, 270)}}},
           {"bilateral", {{"metrics", {{"cadence_spm", {{"n", 400}, {"median", 170}}}}}}}};
  doc["tool"] = {{"name", "stride"}, {"version", "test"}};
  doc["flags"] = flags;
  history::save_session(db, doc, {});
}

// ana: 3 weeks of 10 km, then 16 km (a weekly jump), the last two runs two feet. bo: two runs. An unnamed athlete: one.
inline std::string coach_db(const ScratchDir& dir) {
  using nlohmann::json;
  const std::string db = (dir / "coach.sqlite").string();
  for (const char* d : {"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13", "2025-03-17", "2025-03-20"})
    save_coach_run(db, "ana", d, 5);
  save_coach_run(db, "ana", "2025-03-24", 8, true);
  save_coach_run(db, "ana", "2025-03-26", 8, true,
           json::array({{{"id", "asymmetry"}, {"severity", "warn"}, {"title", "Left and right differ"}, {"side", "both"}}}));
  save_coach_run(db, "bo", "2025-03-01", 12);
  save_coach_run(db, "bo", "2025-03-25", 6.5);
  save_coach_run(db, "", "2025-02-01", 3);
  return db;
}

}  // namespace stride::test
