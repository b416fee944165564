// The history-based knee-pain flags (load_spike, weekly_jump, shoe_wear), pure: each fires on a history built to
// show it, a grid of steady training stays silent (the false-positive count is printed and must be zero), and the
// thresholds come from FlagSettings.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <stdexcept>

#include "analysis/load_flags.hpp"

namespace stride {
namespace {

// A Monday (week_of_day(d) changes between Sunday and Monday): 2025-03-03 is 20150 days after 1970-01-01.
constexpr double kMonday = 20150;

LoadSession session(double day, double km, const std::string& shoe = "peg", double speed = 3.0, double impact = 10.0) {
  LoadSession s;
  s.day = day;
  s.label = "day " + std::to_string(static_cast<int>(day));
  s.distance_m = km * 1000.0;
  s.duration_s = km * 1000.0 / speed;
  s.shoe = shoe;
  s.speed_mps = speed;
  s.impact_g = impact;
  s.strides = km * 1000.0 / (2 * speed * 0.7);
  return s;
}

const Flag* find(const std::vector<Flag>& flags, const std::string& id) {
  for (const auto& f : flags)
    if (f.id == id) return &f;
  return nullptr;
}

double value(const Flag& f, const std::string& name) {
  for (const auto& [k, v] : f.values)
    if (k == name) return v;
  throw std::runtime_error("no value " + name + " in " + f.id);
}

// Every field a flag carries is filled (as the single-session flags do).
void expect_complete(const Flag& f) {
  EXPECT_FALSE(f.title.empty()) << f.id;
  EXPECT_FALSE(f.evidence.empty()) << f.id;
  EXPECT_FALSE(f.values.empty()) << f.id;
  EXPECT_FALSE(f.rule.empty()) << f.id;
  EXPECT_FALSE(f.why.empty()) << f.id;
  EXPECT_FALSE(f.source.empty()) << f.id;
  EXPECT_FALSE(f.what_to_try.empty()) << f.id;
  EXPECT_FALSE(f.trust.empty()) << f.id;
  EXPECT_GT(f.strides, 0u) << f.id;
}

// Four weeks of 8 km every 3 days before day kMonday + 28, with a 10 km longest run on day kMonday + 20.
std::vector<LoadSession> month_with_longest_10km() {
  std::vector<LoadSession> h;
  for (double d = 0; d < 27; d += 3) h.push_back(session(kMonday + d, d == 21 ? 10.0 : 8.0));
  return h;
}

TEST(LoadFlags, LoadSpikeBands) {
  const auto h = month_with_longest_10km();
  const FlagSettings st;
  struct Case {
    double km;
    double band_lower;
    const char* band;
  };
  for (const Case c : {Case{12, 1.1, "110 %-130 %"}, Case{15, 1.3, "130 %-200 %"}, Case{25, 2.0, "above 200 %"}}) {
    const auto flags = evaluate_load_flags(session(kMonday + 28, c.km), h, st);
    const Flag* f = find(flags, "load_spike");
    ASSERT_NE(f, nullptr) << c.km << " km";
    std::printf("  load_spike %.0f km: %s | %s\n", c.km, f->title.c_str(), f->evidence.c_str());
    EXPECT_EQ(f->severity, Flag::warn);
    EXPECT_NEAR(value(*f, "ratio"), c.km / 10.0, 1e-9);
    EXPECT_NEAR(value(*f, "longest_window_km"), 10.0, 1e-9);
    EXPECT_NEAR(value(*f, "band_lower_ratio"), c.band_lower, 1e-9);
    EXPECT_NE(f->title.find(c.band), std::string::npos) << f->title;
    EXPECT_NE(f->source.find("Frandsen 2025"), std::string::npos);
    expect_complete(*f);
  }
  // At or under 110 %: silent.
  for (double km : {8.0, 10.0, 10.9, 11.0})
    EXPECT_EQ(find(evaluate_load_flags(session(kMonday + 28, km), h, st), "load_spike"), nullptr) << km;
  // The longest run (day 21) fell out of the 30-day window: the next longest (8 km) counts.
  auto longer = h;
  for (double d = 27; d < 52; d += 3) longer.push_back(session(kMonday + d, 8.0));
  const auto later = evaluate_load_flags(session(kMonday + 21 + 31, 9.5), longer, st);
  const Flag* f = find(later, "load_spike");
  ASSERT_NE(f, nullptr);
  EXPECT_NEAR(value(*f, "longest_window_km"), 8.0, 1e-9);
}

TEST(LoadFlags, WeeklyJump30To40Km) {
  std::vector<LoadSession> h;
  // Two weeks of 3 x 10 km (Tue, Thu, Sat), then this week 4 x 10 km (Mon, Tue, Thu, Sat).
  for (int w = 0; w < 2; ++w)
    for (int d : {1, 3, 5}) h.push_back(session(kMonday + 7 * w + d, 10));
  const FlagSettings st;
  const double week3 = kMonday + 14;
  for (int d : {0, 1, 3}) {
    const auto flags = evaluate_load_flags(session(week3 + d, 10), h, st);
    EXPECT_EQ(find(flags, "weekly_jump"), nullptr) << "day " << d;  // 10, 20, 30 km so far: not above 39 km
    h.push_back(session(week3 + d, 10));
  }
  const auto flags = evaluate_load_flags(session(week3 + 5, 10), h, st);
  const Flag* f = find(flags, "weekly_jump");
  ASSERT_NE(f, nullptr);
  std::printf("  weekly_jump: %s | %s\n", f->title.c_str(), f->evidence.c_str());
  EXPECT_EQ(f->severity, Flag::info);
  EXPECT_NEAR(value(*f, "week_km"), 40, 1e-9);
  EXPECT_NEAR(value(*f, "previous_week_km"), 30, 1e-9);
  EXPECT_NEAR(value(*f, "change_rel"), 1.0 / 3.0, 1e-9);
  EXPECT_NE(f->source.find("Nielsen 2014"), std::string::npos);
  expect_complete(*f);
  EXPECT_EQ(find(flags, "load_spike"), nullptr);  // the runs themselves are not longer
}

TEST(LoadFlags, ShoeReminderAt600Km) {
  std::vector<LoadSession> h;
  for (int i = 0; i < 59; ++i) h.push_back(session(kMonday + 2 * i, 10));  // 590 km
  h.push_back(session(kMonday + 1, 20, "other"));                            // another shoe: not counted
  const FlagSettings st;
  const Flag* f = nullptr;
  const auto below = evaluate_load_flags(session(kMonday + 120, 8), h, st);  // 598 km
  EXPECT_EQ(find(below, "shoe_wear"), nullptr);
  const auto above = evaluate_load_flags(session(kMonday + 120, 12), h, st);  // 602 km
  f = find(above, "shoe_wear");
  ASSERT_NE(f, nullptr);
  std::printf("  shoe_wear reminder: %s | %s\n", f->title.c_str(), f->evidence.c_str());
  EXPECT_NEAR(value(*f, "shoe_km"), 602, 1e-9);
  EXPECT_NE(f->title.find("602 km"), std::string::npos) << f->title;
  expect_complete(*f);
}

// Five 10 km sessions at 3.0 m/s with 10 g in the shoe's first 50 km, then 20 more at mixed speeds.
std::vector<LoadSession> shoe_life() {
  std::vector<LoadSession> h;
  for (int i = 0; i < 5; ++i) h.push_back(session(kMonday + 2 * i, 10, "peg", 3.0 + 0.02 * (i % 2), 10.0 + 0.1 * (i % 3)));
  for (int i = 5; i < 25; ++i) h.push_back(session(kMonday + 2 * i, 10, "peg", i % 2 ? 3.6 : 3.0, i % 2 ? 12.5 : 10.4));
  return h;
}

TEST(LoadFlags, ShoeWearImpactAtMatchedSpeed) {
  const auto h = shoe_life();
  const FlagSettings st;
  const auto flags = evaluate_load_flags(session(kMonday + 52, 10, "peg", 3.05, 11.2), h, st);
  const Flag* f = find(flags, "shoe_wear");
  ASSERT_NE(f, nullptr);
  std::printf("  shoe_wear impact: %s | %s\n", f->title.c_str(), f->evidence.c_str());
  EXPECT_NEAR(value(*f, "baseline_impact_g"), 10.1, 1e-9);  // median of 10.0, 10.1, 10.2, 10.0, 10.1
  EXPECT_NEAR(value(*f, "change_rel"), 11.2 / 10.1 - 1, 1e-9);
  EXPECT_NEAR(value(*f, "baseline_sessions"), 5, 1e-9);
  EXPECT_NE(f->source.find("Malisoux 2015"), std::string::npos);
  expect_complete(*f);
  // +7 %: silent. The later 3.6 m/s sessions (12.5 g) are neither baseline nor matched.
  EXPECT_EQ(find(evaluate_load_flags(session(kMonday + 52, 10, "peg", 3.05, 10.8), h, st), "shoe_wear"), nullptr);
  // At 3.6 m/s there is no baseline at matched speed: not evaluated, and the note says why.
  const auto fast = evaluate_load_flags(session(kMonday + 52, 10, "peg", 3.6, 13.5), h, st);
  EXPECT_EQ(find(fast, "shoe_wear"), nullptr);
  const Flag* note = find(fast, "data_quality");
  ASSERT_NE(note, nullptr);
  EXPECT_NE(note->evidence.find("shoe_wear (impact): 0 of the 5 sessions"), std::string::npos) << note->evidence;
  // A shin session is not compared with shoe sessions.
  LoadSession shin = session(kMonday + 52, 10, "peg", 3.05, 11.2);
  shin.placement = Placement::shin;
  EXPECT_EQ(find(evaluate_load_flags(shin, h, st), "shoe_wear"), nullptr);
}

TEST(LoadFlags, TooLittleHistoryIsSaidNotFlagged) {
  const FlagSettings st;
  // Two earlier runs in 10 days, then a run three times as long: no load_spike, the note says why.
  const std::vector<LoadSession> h = {session(kMonday, 5), session(kMonday + 4, 5)};
  const auto flags = evaluate_load_flags(session(kMonday + 10, 15), h, st);
  EXPECT_EQ(find(flags, "load_spike"), nullptr);
  EXPECT_EQ(find(flags, "weekly_jump"), nullptr);
  ASSERT_FALSE(flags.empty());
  EXPECT_EQ(flags.front().id, "data_quality");
  EXPECT_EQ(flags.front().severity, Flag::info);
  EXPECT_NE(flags.front().evidence.find("load_spike: the history reaches 10 days back (needs 14)"), std::string::npos)
      << flags.front().evidence;
  std::printf("  too little history: %s | %s\n", flags.front().title.c_str(), flags.front().evidence.c_str());
  // No history at all, no shoe, no distance: still only the note.
  LoadSession lone = session(kMonday, 5, "");
  lone.distance_m = std::nan("");
  const auto only = evaluate_load_flags(lone, {}, st);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_NE(only[0].evidence.find("distance was not measured"), std::string::npos);
  EXPECT_NE(only[0].evidence.find("no shoe named"), std::string::npos);
  // Later sessions in `earlier` are ignored (a re-saved old file is judged as of its own date).
  auto with_future = month_with_longest_10km();
  with_future.push_back(session(kMonday + 40, 30));
  EXPECT_NE(find(evaluate_load_flags(session(kMonday + 28, 12), with_future, st), "load_spike"), nullptr);
}

TEST(LoadFlags, ThresholdsComeFromSettings) {
  FlagSettings st;
  st.load_spike_rel = 0.25;
  EXPECT_EQ(find(evaluate_load_flags(session(kMonday + 28, 12), month_with_longest_10km(), st), "load_spike"), nullptr);
  const auto spiked = evaluate_load_flags(session(kMonday + 28, 13), month_with_longest_10km(), st);
  const Flag* f = find(spiked, "load_spike");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->rule.find("> 125 %"), std::string::npos) << f->rule;

  st = FlagSettings{};
  st.shoe_reminder_km = 700;
  std::vector<LoadSession> h;
  for (int i = 0; i < 60; ++i) h.push_back(session(kMonday + 2 * i, 10));
  EXPECT_EQ(find(evaluate_load_flags(session(kMonday + 121, 10), h, st), "shoe_wear"), nullptr);
  st.shoe_reminder_km = 600;
  EXPECT_NE(find(evaluate_load_flags(session(kMonday + 121, 10), h, st), "shoe_wear"), nullptr);

  st = FlagSettings{};
  st.shoe_wear_rel = 0.15;
  EXPECT_EQ(find(evaluate_load_flags(session(kMonday + 52, 10, "peg", 3.05, 11.2), shoe_life(), st), "shoe_wear"), nullptr);

  st = FlagSettings{};
  st.weekly_jump_rel = 0.40;
  std::vector<LoadSession> w;
  for (int k = 0; k < 2; ++k)
    for (int d : {1, 3, 5}) w.push_back(session(kMonday + 7 * k + d, 10));
  for (int d : {0, 1, 3}) w.push_back(session(kMonday + 14 + d, 10));
  EXPECT_EQ(find(evaluate_load_flags(session(kMonday + 19, 10), w, st), "weekly_jump"), nullptr);
  st.weekly_jump_rel = 0.30;
  EXPECT_NE(find(evaluate_load_flags(session(kMonday + 19, 10), w, st), "weekly_jump"), nullptr);

  st = FlagSettings{};
  st.load_spike_strong_rel = 0.05;  // below load_spike_rel
  EXPECT_THROW(st.validate(), std::invalid_argument);
  st = FlagSettings{};
  st.weekly_jump_rel = 0;
  try {
    st.validate();
    ADD_FAILURE() << "weekly_jump_rel = 0 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("weekly_jump_rel"), std::string::npos) << e.what();
  }
}

TEST(LoadFlags, AcuteChronicRatioIsContextOnly) {
  // A doubled last week: the ratio is high, but no flag is named after it.
  std::vector<LoadSession> h;
  for (int w = 0; w < 3; ++w)
    for (int d : {1, 3, 5}) h.push_back(session(kMonday + 7 * w + d, 8));
  for (int d : {0, 1, 3}) h.push_back(session(kMonday + 21 + d, 8));
  const LoadSession cur = session(kMonday + 26, 8);
  const LoadContext x = load_context(cur, h, FlagSettings{});
  EXPECT_NEAR(x.acute_7d_km, 32, 1e-9);
  EXPECT_NEAR(x.chronic_28d_weekly_km, 13 * 8 / 4.0, 1e-9);  // every session from day 1 on, / 4 weeks
  EXPECT_GT(x.acwr, 1.0);
  for (const auto& f : evaluate_load_flags(cur, h, FlagSettings{})) EXPECT_EQ(f.id.find("acwr"), std::string::npos);
}

// Plausible steady training: a fixed weekly schedule (3-5 runs, one long run 1.6x the others), 20-60 km/week,
// each run's distance within +-noise, 16 weeks, one shoe, impact within +-3 % at each of two paces. Also a gradual
// build (+5 % a week, no noise). Every session is judged against the ones before it. Zero flags expected, except
// the 600 km shoe reminder, which is counted apart and must fire only past 600 km.
TEST(LoadFlags, SteadyTrainingGridHasNoFalsePositives) {
  const FlagSettings st;
  int athletes = 0, sessions = 0, evaluated_spike = 0, evaluated_weekly = 0, evaluated_shoe = 0;
  int false_positives = 0, reminders = 0;
  const std::vector<std::vector<int>> schedules = {{1, 3, 6}, {0, 2, 4, 6}, {0, 1, 3, 4, 6}};
  for (double weekly_km : {20.0, 40.0, 60.0})
    for (const auto& days : schedules)
      for (double noise : {0.0, 0.05})
        for (double build : {0.0, 0.05})
          for (std::uint64_t seed : {1u, 2u}) {
            if (build > 0 && noise > 0) continue;
            ++athletes;
            std::mt19937_64 rng(seed * 7919 + static_cast<std::uint64_t>(weekly_km) * 31 + days.size());
            std::uniform_real_distribution<double> u(-1.0, 1.0);
            std::vector<LoadSession> h;
            double shoe_km = 0;
            for (int w = 0; w < 16; ++w) {
              const double week_km = weekly_km * std::pow(1.0 + build, w);
              const double base = week_km / (static_cast<double>(days.size()) - 1 + 1.6);
              for (std::size_t k = 0; k < days.size(); ++k) {
                const bool long_run = k + 1 == days.size();
                const double km = (long_run ? 1.6 : 1.0) * base * (1 + noise * u(rng));
                const double speed = long_run ? 2.8 : 3.3;
                const double impact = (long_run ? 9.5 : 10.5) * (1 + 0.03 * u(rng));
                const LoadSession cur = session(kMonday + 7 * w + days[k] + 0.3, km, "peg", speed, impact);
                const auto flags = evaluate_load_flags(cur, h, st);
                shoe_km += km;
                ++sessions;
                bool spike_ok = true, weekly_ok = true, shoe_ok = true;
                for (const auto& f : flags) {
                  if (f.id == "data_quality") {
                    spike_ok = f.evidence.find("load_spike:") == std::string::npos;
                    weekly_ok = f.evidence.find("weekly_jump:") == std::string::npos;
                    shoe_ok = f.evidence.find("shoe_wear (impact):") == std::string::npos;
                    continue;
                  }
                  const bool reminder_only = f.id == "shoe_wear" && f.title.find("impact") == std::string::npos;
                  if (reminder_only) {
                    ++reminders;
                    EXPECT_GE(shoe_km, st.shoe_reminder_km - 1e-6) << "reminder before 600 km";
                    continue;
                  }
                  ++false_positives;
                  std::printf("  FALSE POSITIVE (weekly %.0f km, %zu runs, noise %.2f, build %.2f, seed %llu, week "
                              "%d): %s | %s\n",
                              weekly_km, days.size(), noise, build, static_cast<unsigned long long>(seed), w,
                              f.title.c_str(), f.evidence.c_str());
                }
                evaluated_spike += spike_ok;
                evaluated_weekly += weekly_ok;
                evaluated_shoe += shoe_ok;
                h.push_back(cur);
              }
            }
          }
  std::printf("  steady grid: %d athletes x 16 weeks, %d sessions; rules evaluated: load_spike %d, weekly_jump %d, "
              "shoe_wear impact %d; false positives: %d; shoe reminders past 600 km: %d\n",
              athletes, sessions, evaluated_spike, evaluated_weekly, evaluated_shoe, false_positives, reminders);
  EXPECT_EQ(false_positives, 0);
  EXPECT_GT(evaluated_spike, sessions / 2);  // the rules did run on most sessions
  EXPECT_GT(evaluated_weekly, sessions / 2);
  EXPECT_GT(evaluated_shoe, sessions / 3);
  EXPECT_GT(reminders, 0);
}

// Not asserted, printed: the rule as written counts a normal week after a week with a missed run as a jump.
TEST(LoadFlags, MissedRunThenNormalWeekIsCounted) {
  const FlagSettings st;
  std::vector<LoadSession> h;
  int weekly = 0, weeks_after_a_miss = 0;
  std::mt19937_64 rng(3);
  std::bernoulli_distribution miss(0.15);
  bool missed_last_week = false;
  for (int w = 0; w < 40; ++w) {
    bool missed = false, flagged = false;
    for (int d : {0, 2, 4, 6}) {
      if (d == 2 && miss(rng)) {
        missed = true;
        continue;
      }
      const LoadSession cur = session(kMonday + 7 * w + d, 10);
      for (const auto& f : evaluate_load_flags(cur, h, st)) flagged |= f.id == "weekly_jump";
      h.push_back(cur);
    }
    weekly += flagged;
    weeks_after_a_miss += missed_last_week;
    if (flagged) {
      EXPECT_TRUE(missed_last_week) << "week " << w << " flagged without a short week before";
    }
    missed_last_week = missed;
  }
  std::printf("  4 x 10 km a week, a run missed with p = 0.15: %d weeks after a short week, %d weekly_jump flags "
              "(the rule: 30 -> 40 km is +33 %%)\n",
              weeks_after_a_miss, weekly);
}

}  // namespace
}  // namespace stride
