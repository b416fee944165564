// The single-session knee-pain flags on simulated runs: each flag fires on a run built to show it, and a grid of
// clean runs with realistic variability stays silent (the false-positive count is printed and must be zero).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "analysis/flags.hpp"
#include "analysis/pipeline.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

// Short simulated runs (a minute or two at 200 Hz, to keep the tests fast) are below the default 3 min: the
// tests lower that floor and keep every other default.
FlagSettings short_run_settings() {
  FlagSettings s;
  s.min_duration_s = 20;
  return s;
}

sim::Settings run_settings(double speed, sim::StrikePattern strike, int strides, std::uint64_t seed) {
  sim::Settings s;
  s.speed_mps = speed;
  s.cadence_spm = 165 + 5 * speed;  // above 166: a clean run is not a low step rate
  s.duty_factor = 0.42 - 0.03 * (speed - 2.5);
  s.strike = strike;
  s.fsa_deg = strike == sim::StrikePattern::rearfoot ? 14 : strike == sim::StrikePattern::midfoot ? 2 : -9;
  s.rate_hz = 200;
  s.strides = strides;
  s.seed = seed;
  s.variability_cv = 0.03;
  return s;
}

// Two runs glued in time (the second shifted to start one interval after the first ends); the same mounting for
// both, so the pipeline sees one recording whose second half differs.
Recording concatenate(sim::Settings a, sim::Settings b) {
  a.random_mounting = b.random_mounting = false;
  a.rest_after_s = 1.0;
  b.rest_before_s = 1.0;
  b.seed = a.seed + 1000;
  Recording r = sim::simulate(a).recording;
  const Recording second = sim::simulate(b).recording;
  const double shift = r.samples.back().t_s + 1.0 / a.rate_hz;
  for (ImuSample s : second.samples) {
    s.t_s += shift;
    r.samples.push_back(s);
  }
  r.gaps = find_gaps(r.samples, median_interval_s(r.samples));
  return r;
}

struct Evaluated {
  SessionResult result;
  std::vector<Flag> flags;
};

Evaluated evaluate(const Recording& rec, const FlagSettings& fs = short_run_settings()) {
  Evaluated e{analyze(rec), {}};
  e.flags = evaluate_flags(e.result.strides, e.result.quality, e.result.summary, rec.meta.placement, fs);
  return e;
}

const Flag* find(const std::vector<Flag>& flags, const std::string& id) {
  for (const auto& f : flags)
    if (f.id == id) return &f;
  return nullptr;
}

std::string ids(const std::vector<Flag>& flags) {
  std::string s;
  for (const auto& f : flags) s += f.id + " [" + f.title + "] " + f.evidence + "\n";
  return s.empty() ? "(none)" : s;
}

void expect_complete(const Flag& f) {
  EXPECT_FALSE(f.title.empty());
  EXPECT_FALSE(f.evidence.empty());
  EXPECT_FALSE(f.values.empty());
  EXPECT_GT(f.strides, 0u);
  EXPECT_LE(f.from_s, f.to_s);
  EXPECT_FALSE(f.rule.empty());
  EXPECT_FALSE(f.why.empty());
  EXPECT_FALSE(f.source.empty());
  EXPECT_FALSE(f.what_to_try.empty());
  EXPECT_FALSE(f.trust.empty());
  for (const std::string* text : {&f.title, &f.evidence, &f.why, &f.what_to_try, &f.trust}) {
    EXPECT_EQ(text->find("causes"), std::string::npos) << *text;
    EXPECT_EQ(text->find("risk of"), std::string::npos) << *text;
    EXPECT_EQ(text->find("you have"), std::string::npos) << *text;
  }
}

TEST(FlagsSettings, BadValueThrowsNamingTheField) {
  FlagSettings s;
  EXPECT_NO_THROW(s.validate());
  s.low_cadence_spm = -1;
  try {
    s.validate();
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("low_cadence_spm"), std::string::npos) << e.what();
  }
  FlagSettings t;
  t.impact_warn_rel = 0.1;  // below impact_rise_rel
  EXPECT_THROW(t.validate(), std::invalid_argument);
}

TEST(FlagsSingle, TooLittleDataSaysSoAndFlagsNothingElse) {
  auto s = run_settings(3.5, sim::StrikePattern::rearfoot, 40, 5);
  s.cadence_spm = 150;  // would be low_cadence with enough data
  const auto e = evaluate(sim::simulate(s).recording, FlagSettings{});  // defaults: 3 min
  ASSERT_EQ(e.flags.size(), 1u) << ids(e.flags);
  EXPECT_EQ(e.flags[0].id, "data_quality");
  EXPECT_EQ(e.flags[0].severity, Flag::info);
  EXPECT_NE(e.flags[0].evidence.find("none was evaluated"), std::string::npos) << e.flags[0].evidence;
}

TEST(FlagsSingle, LowCadenceAndHeelStrike) {
  auto s = run_settings(3.5, sim::StrikePattern::rearfoot, 80, 7);
  s.cadence_spm = 150;
  s.fsa_deg = 18;
  const auto e = evaluate(sim::simulate(s).recording);
  const Flag* f = find(e.flags, "low_cadence");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  EXPECT_NEAR(f->values[0].second, 150, 3);
  std::printf("  low_cadence: %s\n", f->evidence.c_str());
  const Flag* h = find(e.flags, "heel_strike");
  ASSERT_NE(h, nullptr) << ids(e.flags);
  expect_complete(*h);
  EXPECT_EQ(find(e.flags, "fatigue_drift"), nullptr) << ids(e.flags);
}

TEST(FlagsSingle, LowCadenceNotWhenWalking) {
  sim::Settings s = run_settings(1.4, sim::StrikePattern::rearfoot, 60, 9);
  s.cadence_spm = 112;
  s.duty_factor = 0.62;
  s.toe_off_angle_deg = -55;
  s.fsa_deg = 20;
  const auto e = evaluate(sim::simulate(s).recording);
  EXPECT_EQ(find(e.flags, "low_cadence"), nullptr) << ids(e.flags);
}

TEST(FlagsSingle, OverstrideWhenFootStrikeAngleRises) {
  auto a = run_settings(3.5, sim::StrikePattern::rearfoot, 60, 21);
  auto b = a;
  b.fsa_deg = 24;          // 14 -> 24 deg at the same speed
  b.cadence_spm = 162;     // and a little lower cadence
  const auto e = evaluate(concatenate(a, b));
  const Flag* f = find(e.flags, "overstride");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  std::printf("  overstride: %s\n", f->evidence.c_str());
}

TEST(FlagsSingle, HighImpactAndFatigueDriftWhenImpactsRise) {
  auto a = run_settings(3.5, sim::StrikePattern::rearfoot, 60, 31);
  a.acc_range_g = 32;
  auto b = a;
  b.impact_velocity_mps = -1.5;  // harder landings in the second half
  const auto e = evaluate(concatenate(a, b));
  const Flag* f = find(e.flags, "high_impact");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  std::printf("  high_impact: %s\n", f->evidence.c_str());
  const Flag* d = find(e.flags, "fatigue_drift");
  ASSERT_NE(d, nullptr) << ids(e.flags);
  EXPECT_NE(d->title.find("impact"), std::string::npos) << d->title;
}

TEST(FlagsSingle, FatigueDriftWhenContactLengthens) {
  auto a = run_settings(3.5, sim::StrikePattern::rearfoot, 60, 41);
  auto b = a;
  b.duty_factor = a.duty_factor * 1.12;  // +12 % contact time
  b.cadence_spm = a.cadence_spm * 0.96;  // -4 % cadence
  b.speed_mps = a.speed_mps;
  const auto e = evaluate(concatenate(a, b));
  const Flag* f = find(e.flags, "fatigue_drift");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  EXPECT_NE(f->title.find("contact time"), std::string::npos) << f->title;
  EXPECT_NE(f->evidence.find("rest of the run"), std::string::npos) << f->evidence;
  std::printf("  fatigue_drift: %s\n", f->evidence.c_str());
}

TEST(FlagsSingle, PronationChange) {
  auto a = run_settings(3.5, sim::StrikePattern::rearfoot, 60, 51);
  auto b = a;
  b.pronation_excursion_deg = 12;  // 8 -> 12 deg
  const auto e = evaluate(concatenate(a, b));
  const Flag* f = find(e.flags, "pronation_change");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  std::printf("  pronation_change: %s\n", f->evidence.c_str());
}

TEST(FlagsSingle, DataQualityOnClippedAndGappyRecordings) {
  auto s = run_settings(4.5, sim::StrikePattern::rearfoot, 60, 61);
  s.acc_range_g = 8;  // heel strikes clip
  s.drop_probability = 0.03;
  const auto e = evaluate(sim::simulate(s).recording);
  const Flag* f = find(e.flags, "data_quality");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  EXPECT_NE(f->title.find("clipping"), std::string::npos) << f->title;
  EXPECT_NE(f->title.find("dropped samples"), std::string::npos) << f->title;
  EXPECT_EQ(find(e.flags, "high_impact"), nullptr) << ids(e.flags);
  std::printf("  data_quality: %s\n", f->evidence.c_str());
}

// A range that clips a few heel strikes (about one in ten) is no data-quality problem: the clipped samples are
// counted, their impacts are left out of the impact rules, and no flag says "clipping".
TEST(FlagsSingle, AFewClippedHeelStrikesAreCountedNotFlagged) {
  auto s = run_settings(3.5, sim::StrikePattern::rearfoot, 60, 61);
  s.acc_range_g = 0;  // first unclipped: the peaks as the samples hold them
  std::vector<double> peaks;
  for (const auto& st : evaluate(sim::simulate(s).recording).result.strides) peaks.push_back(st.peak_impact_g);
  std::sort(peaks.begin(), peaks.end());
  s.acc_range_g = peaks[peaks.size() * 9 / 10];  // the top tenth of the heel strikes reach the range
  const auto e = evaluate(sim::simulate(s).recording);
  ASSERT_GT(e.result.quality.clipped_acc_samples, 0u);
  const Flag* f = find(e.flags, "data_quality");
  if (f) {
    EXPECT_EQ(f->title.find("clipping"), std::string::npos) << f->title << ": " << f->evidence;
  }
  // The same run on a range that clips most heel strikes is reported, and its impact rules are withheld.
  s.acc_range_g = 0.5 * peaks[peaks.size() / 2];
  const auto most = evaluate(sim::simulate(s).recording);
  const Flag* g = find(most.flags, "data_quality");
  ASSERT_NE(g, nullptr) << ids(most.flags) << " " << most.result.quality.clipped_acc_samples << " of "
                        << most.result.quality.samples << " range " << s.acc_range_g;
  EXPECT_NE(g->title.find("clipping"), std::string::npos) << g->title;
  EXPECT_NE(g->evidence.find("no impact rule was evaluated"), std::string::npos) << g->evidence;
}

// A fall: a 40 g jolt right at a foot contact, then the runner stops (a 2 s standstill) and runs on. The flag sees
// per-stride peaks only (within 60 ms after a detected contact): a knock in mid-swing is not seen, and the
// second half of this test shows that limitation rather than hiding it.
TEST(FlagsSingle, FallOrKnock) {
  auto s = run_settings(3.5, sim::StrikePattern::rearfoot, 40, 71);
  s.acc_range_g = 64;
  Recording rec = concatenate(s, s);
  const auto clean = analyze(rec);
  const auto stop = std::max_element(clean.strides.begin(), clean.strides.end(),
                                     [](const Stride& a, const Stride& b) { return a.stride_time_s < b.stride_time_s; });
  const double t_knock = stop->ic_s + 0.01;
  Recording fall = rec;
  for (auto& x : fall.samples)
    if (x.t_s >= t_knock && x.t_s < t_knock + 0.03) x.acc_mps2 += Eigen::Vector3d(1, -1, 1).normalized() * 40 * 9.80665;
  const auto e = evaluate(fall);
  const Flag* f = find(e.flags, "fall_or_knock");
  ASSERT_NE(f, nullptr) << ids(e.flags);
  expect_complete(*f);
  EXPECT_EQ(f->severity, Flag::warn);
  EXPECT_NEAR(f->from_s, t_knock, 0.1);
  std::printf("  fall_or_knock: %s\n", f->evidence.c_str());
  EXPECT_EQ(find(evaluate(rec).flags, "fall_or_knock"), nullptr) << "the stop alone is not a fall";

  // The same jolt in mid-swing of a steady stride: not seen (a known limitation, said in the flag's trust text).
  Recording swing = rec;
  const Stride& mid = clean.strides[clean.strides.size() / 4];
  const double t_swing = mid.tc_s + 0.4 * (mid.next_ic_s - mid.tc_s);
  for (auto& x : swing.samples)
    if (x.t_s >= t_swing && x.t_s < t_swing + 0.03) x.acc_mps2 += Eigen::Vector3d(1, -1, 1).normalized() * 40 * 9.80665;
  std::printf("  fall_or_knock, a jolt in mid-swing: %s\n",
              find(evaluate(swing).flags, "fall_or_knock") ? "flagged" : "not seen (known limitation)");
}

TEST(FlagsAsymmetry, FiresOnLongerContactOnOneSide) {
  auto l = run_settings(3.5, sim::StrikePattern::rearfoot, 80, 81);
  l.side = Side::left;
  auto r = l;
  r.side = Side::right;
  r.seed = 82;
  r.duty_factor = l.duty_factor * 1.2;  // right foot +20 % contact time
  const auto el = analyze(sim::simulate(l).recording), er = analyze(sim::simulate(r).recording);
  const auto flags = evaluate_asymmetry(el.strides, er.strides, short_run_settings());
  const Flag* f = find(flags, "asymmetry");
  ASSERT_NE(f, nullptr) << ids(flags);
  expect_complete(*f);
  EXPECT_NE(f->evidence.find("whole session"), std::string::npos) << f->evidence;
  std::printf("  asymmetry: %s\n", f->evidence.c_str());
  // Same settings on both feet: silent.
  auto r2 = l;
  r2.side = Side::right;
  r2.seed = 83;
  const auto quiet = evaluate_asymmetry(el.strides, analyze(sim::simulate(r2).recording).strides, short_run_settings());
  EXPECT_EQ(find(quiet, "asymmetry"), nullptr) << ids(quiet);
}

// One foot rolling in more than the other (two feet on one clock): pronation_asymmetry, not asymmetry.
TEST(FlagsAsymmetry, PronationAsymmetryOnOneFootRollingInMore) {
  auto l = run_settings(3.5, sim::StrikePattern::rearfoot, 80, 91);
  auto r = l;
  r.pronation_excursion_deg = 13;  // 8 deg on the left
  const auto feet = sim::simulate_two_feet(l, r);
  const auto both = analyze_two_feet(feet.left.recording, feet.right.recording, PipelineSettings{});
  const auto flags = evaluate_asymmetry(both.left.strides, both.right.strides, short_run_settings());
  const Flag* f = find(flags, "pronation_asymmetry");
  ASSERT_NE(f, nullptr) << ids(flags);
  expect_complete(*f);
  EXPECT_EQ(find(flags, "asymmetry"), nullptr) << ids(flags);
  std::printf("  pronation_asymmetry: %s\n", f->evidence.c_str());
  const auto same = sim::simulate_two_feet(l, l);
  const auto quiet = analyze_two_feet(same.left.recording, same.right.recording, PipelineSettings{});
  EXPECT_TRUE(evaluate_asymmetry(quiet.left.strides, quiet.right.strides, short_run_settings()).empty())
      << ids(evaluate_asymmetry(quiet.left.strides, quiet.right.strides, short_run_settings()));
}

// Clean runs over speeds and strike patterns, with 3 % stride-to-stride variability and a random mounting each:
// no gait flag may fire. data_quality infos (e.g. heel strikes clipping a 16 g range at speed) are true statements
// about the data and counted apart.
TEST(FlagsSingle, CleanGridIsSilent) {
  int runs = 0, false_positives = 0, quality_notes = 0;
  std::uint64_t seed = 101;
  for (int repeat = 0; repeat < 2; ++repeat) {
    for (double speed : {2.5, 3.5, 4.5, 6.0}) {
      for (auto strike : {sim::StrikePattern::rearfoot, sim::StrikePattern::midfoot, sim::StrikePattern::forefoot}) {
        const auto s = run_settings(speed, strike, 100, seed++);
        const auto e = evaluate(sim::simulate(s).recording);
        ++runs;
        for (const auto& f : e.flags) {
          if (f.id == "data_quality") {
            ++quality_notes;
            EXPECT_EQ(f.title.find("too little"), std::string::npos) << "the rules were not exercised";
            continue;
          }
          ++false_positives;
          ADD_FAILURE() << speed << " m/s strike " << static_cast<int>(strike) << ": " << f.id << " " << f.title
                        << " / " << f.evidence;
        }
      }
    }
  }
  std::printf("  clean grid: %d runs (2.5-6 m/s x rear/mid/fore, x 2 seeds, 100 strides, 200 Hz, CV 3 %%): %d false positives, "
              "%d data_quality notes\n",
              runs, false_positives, quality_notes);
  EXPECT_EQ(false_positives, 0);
}

}  // namespace
}  // namespace stride
