// The events table of issue 12 (item 1): IC and TC bias, SD, MAE, P95 and detection per real reference set and
// per simulator condition, for the detector before (IC = the impact's first large specific-force jump) and after
// (docs/events.md). Run: build/tests/stride_tests --gtest_filter='EventsTable.*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <map>
#include <string>

#include "analysis/event_accuracy.hpp"
#include "event_references.hpp"
#include "sim_grid.hpp"

namespace stride {
namespace {

struct Row {
  std::string set, event;
  EventAccuracy before, after, kinematic;  // old default, new default, IcFeature::dorsiflexion_end
};

ImpactPitchDetector::Settings kinematic_settings() {
  ImpactPitchDetector::Settings s;
  s.ic_feature = ImpactPitchDetector::IcFeature::dorsiflexion_end;
  return s;
}

ImpactPitchDetector::Settings before_settings() {
  ImpactPitchDetector::Settings s;
  s.ic_feature = ImpactPitchDetector::IcFeature::impact_jump;
  s.ic_interpolate = false;
  s.ic_first_jump_share = 0.5;
  return s;
}

void print(const std::vector<Row>& rows) {
  std::printf("%-40s %-3s | %-37s | %-37s | %-37s\n", "set", "ev", "before: bias   SD  MAE   P95  det %",
              "after (default)", "dorsiflexion_end");
  auto cell = [](const EventAccuracy& a) {
    char b[96];
    std::snprintf(b, sizeof b, "%+6.1f %5.1f %5.1f %5.1f %5.1f (n=%zu)", a.bias_ms, a.sd_ms, a.mae_ms,
                  a.p95_abs_ms(), 100 * a.detection_rate(), a.reference);
    return std::string(b);
  };
  for (const auto& r : rows)
    std::printf("%-40s %-3s | %-37s | %-37s | %-37s\n", r.set.c_str(), r.event.c_str(), cell(r.before).c_str(),
                cell(r.after).c_str(), cell(r.kinematic).c_str());
}

// Each detection set against a reference, one score per column.
struct Detected {
  test::DetectedEvents before, after, kinematic;
};

Detected detect_all(const Recording& rec) {
  return {test::detect_events(rec, before_settings()), test::detect_events(rec, ImpactPitchDetector::Settings{}),
          test::detect_events(rec, kinematic_settings())};
}

std::vector<Row> real_rows() {
  std::map<std::string, Row> rows;
  auto add = [&](const std::string& set, const std::string& ev, const std::vector<double>& ref, const Detected& d) {
    auto& r = rows[set + ev];
    r.set = set, r.event = ev;
    const bool ic = ev == "IC";
    r.before.add(score_events(ref, ic ? d.before.ic_s : d.before.tc_s, 0.15));
    r.after.add(score_events(ref, ic ? d.after.ic_s : d.after.tc_s, 0.15));
    r.kinematic.add(score_events(ref, ic ? d.kinematic.ic_s : d.kinematic.tc_s, 0.15));
  };
  // The straight or the turn part of a reference (each part is scored against all detections).
  auto part = [](const std::vector<double>& ref, const std::vector<bool>& turn, bool want) {
    std::vector<double> out;
    for (std::size_t i = 0; i < ref.size(); ++i)
      if (turn[i] == want) out.push_back(ref[i]);
    return out;
  };
  for (const std::string foot : {"left", "right"}) {
    const auto ref = test::gaitmap_events(foot);
    const auto full = test::gaitmap_recording("imu_sample.csv", foot, 204.8);
    for (std::size_t factor : {1, 2}) {
      const Detected d = detect_all(factor == 1 ? full : test::decimated(full, factor));
      const std::string rate = factor == 1 ? " 204.8 Hz" : " 102.4 Hz";
      for (bool turn : {false, true}) {
        const std::string where = turn ? " turn" : " straight";
        add("gaitmap Zeni" + rate + where, "IC", part(ref.ic_s, ref.ic_turn, turn), d);
        add("gaitmap Zeni" + rate + where, "TC", part(ref.tc_s, ref.tc_turn, turn), d);
        add("gaitmap Hreljac" + rate + where, "IC", part(ref.hm_ic_s, ref.ic_turn, turn), d);
        add("gaitmap Hreljac" + rate + where, "TC", part(ref.hm_tc_s, ref.tc_turn, turn), d);
      }
    }
    add("gaitmap ic_stride mocap 102.4 Hz", "IC", test::gaitmap_ic_stride_ics(foot),
        detect_all(test::gaitmap_recording("imu_sample_ic_stride.csv", foot, 102.4)));
  }
  std::vector<Row> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

std::vector<Row> simulated_rows() {
  std::map<std::string, Row> rows;
  const char* strikes[] = {"rear", "mid", "fore"};
  for (const auto& c : test::simulator_grid({100, 200, 500, 1000})) {
    const auto sim = sim::simulate(c.settings);
    const Detected d = detect_all(sim.recording);
    char key[64];
    std::snprintf(key, sizeof key, "sim %4d Hz %s %s", int(c.settings.rate_hz), c.settings.speed_mps < 2 ? "walk" : "run ",
                  strikes[static_cast<int>(c.settings.strike)]);
    for (const char* ev : {"IC", "TC"}) {
      const bool ic = ev[0] == 'I';
      auto& r = rows[std::string(key) + ev];
      r.set = key, r.event = ev;
      const auto& ref = ic ? sim.truth.ic_s : sim.truth.tc_s;
      r.before.add(score_events(ref, ic ? d.before.ic_s : d.before.tc_s, 0.05));
      r.after.add(score_events(ref, ic ? d.after.ic_s : d.after.tc_s, 0.05));
      r.kinematic.add(score_events(ref, ic ? d.kinematic.ic_s : d.kinematic.tc_s, 0.05));
    }
  }
  std::vector<Row> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

const Row& find(const std::vector<Row>& rows, const std::string& set, const std::string& event) {
  for (const auto& r : rows)
    if (r.set == set && r.event == event) return r;
  throw std::runtime_error("no row " + set + " " + event);
}

// The limits sit a little above what the detector reaches (docs/events.md), so that a regression fails here.
// "before" differs from "after" in the IC only: TC is the same code in every column (its interpolation changed
// from a parabola to a cubic after this table was first made; docs/events.md has both).
TEST(EventsTable, BeforeAfter) {
  const auto real = real_rows();
  print(real);
  const auto simulated = simulated_rows();
  print(simulated);

  // Real, force-onset convention: the default IC against the marker heel strike of Hreljac & Marshall (whose own
  // 100 Hz peaks put a few strides 20-35 ms late: hence the P95), the kinematic IC against Zeni's, TC against Zeni.
  struct RealLimit {
    std::string set;
    double ic_bias, ic_mae, ic_p95, kin_bias, kin_mae, kin_p95;
  };
  for (const auto& l : {RealLimit{" 204.8 Hz straight", 3.0, 7.5, 28, 4.5, 7.5, 14.5},
                        RealLimit{" 102.4 Hz straight", 3.0, 9.5, 28, 4.5, 7.5, 15.5}}) {
    SCOPED_TRACE(l.set);
    const auto& hm = find(real, "gaitmap Hreljac" + l.set, "IC");
    EXPECT_LE(std::abs(hm.after.bias_ms), l.ic_bias);
    EXPECT_LE(hm.after.mae_ms, l.ic_mae);
    EXPECT_LE(hm.after.p95_abs_ms(), l.ic_p95);
    EXPECT_GE(hm.after.detection_rate(), 0.98);
    const auto& zeni = find(real, "gaitmap Zeni" + l.set, "IC");
    EXPECT_LE(std::abs(zeni.kinematic.bias_ms), l.kin_bias);
    EXPECT_LE(zeni.kinematic.mae_ms, l.kin_mae);
    EXPECT_LE(zeni.kinematic.p95_abs_ms(), l.kin_p95);
    // The two conventions differ by the 15-25 ms between the end of dorsiflexion and the force onset.
    EXPECT_GT(zeni.after.bias_ms - zeni.kinematic.bias_ms, 12.0);
  }
  const auto& tc = find(real, "gaitmap Zeni 204.8 Hz straight", "TC");
  EXPECT_LT(std::abs(tc.after.bias_ms), 5.5);
  EXPECT_LT(tc.after.sd_ms, 4.5);
  EXPECT_LT(tc.after.p95_abs_ms(), 11.5);
  EXPECT_GE(tc.after.detection_rate(), 0.98);
  const auto& tc100 = find(real, "gaitmap Zeni 102.4 Hz straight", "TC");
  EXPECT_LT(std::abs(tc100.after.bias_ms), 8.5);
  EXPECT_LT(tc100.after.sd_ms, 5.5);

  // Simulator, per condition (rate x walk/run x strike): the true force onset and toe-off.
  struct SimLimit {
    int rate;
    double ic_bias, ic_sd, ic_p95, tc_bias, tc_sd, tc_p95;
  };
  const SimLimit limits[] = {{100, 4.0, 8.5, 21.0, 5.0, 1.2, 6.0},
                             {200, 1.5, 3.0, 7.0, 2.8, 1.2, 4.5},
                             {500, 0.5, 0.4, 1.0, 2.0, 1.6, 4.2},
                             {1000, 0.3, 0.3, 0.5, 2.0, 1.8, 4.5}};
  for (const auto& r : simulated) {
    SCOPED_TRACE(r.set + " " + r.event);
    const int rate = std::stoi(r.set.substr(4, 4));
    const SimLimit& l = *std::find_if(std::begin(limits), std::end(limits), [&](const SimLimit& x) { return x.rate == rate; });
    const bool ic = r.event == "IC";
    EXPECT_GE(r.after.detection_rate(), 0.995);
    EXPECT_LE(r.after.spurious_rate(), 0.005);
    EXPECT_LE(std::abs(r.after.bias_ms), ic ? l.ic_bias : l.tc_bias);
    EXPECT_LE(r.after.sd_ms, ic ? l.ic_sd : l.tc_sd);
    EXPECT_LE(r.after.p95_abs_ms(), ic ? l.ic_p95 : l.tc_p95);
    // Never worse than before (100 Hz rearfoot running: 5.8 -> 6.0 ms, the one row where the sub-sample
    // placement does not help: there the first-jump rule sometimes takes the second sample of the impact).
    EXPECT_LE(r.after.mae_ms, r.before.mae_ms + 0.25);
    // The kinematic convention is no force onset: on the simulator it comes 15-50 ms early for heel and midfoot
    // strikes (a forefoot lands dorsiflexing: no crossing, the impact itself).
    if (ic && r.set.find("fore") == std::string::npos) {
      EXPECT_LT(r.kinematic.bias_ms, -12.0);
    }
  }
}

}  // namespace
}  // namespace stride
