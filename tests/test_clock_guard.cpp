// The clock guard (firmware_iface/protocol/clock_guard.hpp): which device time stamps to believe. Plain stamps
// here; the decoders and the importer that use it are tested in test_wire_protocol.cpp and test_csv_import.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware_iface/protocol/clock_guard.hpp"

namespace stride::io::detail {
namespace {

struct Judged {
  std::vector<Verdict> verdicts;  // per stamp pushed, in order
  std::vector<double> t;          // the unwrapped stamp of each kept / gap / restart one (NaN for the others)
  std::size_t count(Verdict v) const {
    return static_cast<std::size_t>(std::count(verdicts.begin(), verdicts.end(), v));
  }
};

// Pushes stamps (slot = index unless given) one by one, deciding after each, then the rest at the end.
Judged judge(const std::vector<double>& stamps, ClockGuardSettings s = {}, double nominal = 0.0,
             std::vector<double> slots = {}) {
  ClockGuard<std::size_t> g(s);
  g.rule().set_nominal_step(nominal);
  Judged j;
  j.verdicts.resize(stamps.size());
  j.t.assign(stamps.size(), std::nan(""));
  ClockGuard<std::size_t>::Out o;
  auto take = [&](bool final) {
    while (g.pop(o, final)) {
      j.verdicts[o.item] = o.d.verdict;
      if (o.d.verdict == Verdict::keep || o.d.verdict == Verdict::gap || o.d.verdict == Verdict::restart)
        j.t[o.item] = o.d.t;
    }
  };
  for (std::size_t i = 0; i < stamps.size(); ++i) {
    g.push(stamps[i], slots.empty() ? static_cast<double>(i) : slots[i], i);
    EXPECT_LE(g.held(), s.window);
    take(false);
  }
  take(true);
  EXPECT_EQ(g.held(), 0u);
  return j;
}

std::vector<double> steady(std::size_t n, double step = 2000.0, double from = 1'000'000.0) {
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(from + static_cast<double>(i) * step);
  return v;
}

TEST(ClockGuard, ASteadyStreamIsKeptWhole) {
  const auto v = steady(200);
  for (double nominal : {0.0, 2000.0}) {
    const auto j = judge(v, {}, nominal);
    EXPECT_EQ(j.count(Verdict::keep), v.size());
    for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(j.t[i], v[i]);
  }
}

TEST(ClockGuard, OneStampTimesAHundredIsAnOutlierNotARestart) {
  auto v = steady(200);
  v[100] *= 100;  // the corrupted digit of issue 14
  for (double nominal : {0.0, 2000.0}) {
    const auto j = judge(v, {}, nominal);
    EXPECT_EQ(j.verdicts[100], Verdict::outlier);
    EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
    EXPECT_EQ(j.count(Verdict::restart), 0u);
  }
}

TEST(ClockGuard, OneStampBehindIsAnOutlier) {
  auto v = steady(100);
  v[50] -= 500'000;
  const auto j = judge(v);
  EXPECT_EQ(j.verdicts[50], Verdict::outlier);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
}

TEST(ClockGuard, ASmallGlitchAheadOfItsNeighboursIsDropped) {
  auto v = steady(100);
  v[40] += 3.5 * 2000;  // still "forward by less than jump_steps", but ahead of the next ones
  const auto j = judge(v, {}, 2000.0);
  EXPECT_EQ(j.verdicts[40], Verdict::outlier);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
}

TEST(ClockGuard, TheFirstStampMayBeTheCorruptOne) {
  auto v = steady(50);
  v[0] = 9e9;
  const auto j = judge(v);
  EXPECT_EQ(j.verdicts[0], Verdict::outlier);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
}

TEST(ClockGuard, ARestartNeedsSeveralConsistentStamps) {
  auto v = steady(100);
  const auto after = steady(100, 2000.0, 500.0);  // the board restarted: its clock begins again near 0
  v.insert(v.end(), after.begin(), after.end());
  const auto j = judge(v);
  EXPECT_EQ(j.verdicts[100], Verdict::restart);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
  // A lone stamp near 0 is not a restart.
  auto w = steady(100);
  w[60] = 500.0;
  EXPECT_EQ(judge(w).verdicts[60], Verdict::outlier);
  // Nor two in a row.
  w[61] = 2500.0;
  const auto j2 = judge(w);
  EXPECT_EQ(j2.verdicts[60], Verdict::outlier);
  EXPECT_EQ(j2.verdicts[61], Verdict::outlier);
  EXPECT_EQ(j2.count(Verdict::restart), 0u);
}

TEST(ClockGuard, ALongLossIsAGapOnceTheNextStampsAgree) {
  auto v = steady(100);
  const auto later = steady(100, 2000.0, v.back() + 3e6);  // 3 s of lines lost
  v.insert(v.end(), later.begin(), later.end());
  const auto j = judge(v);
  EXPECT_EQ(j.verdicts[100], Verdict::gap);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
  EXPECT_EQ(j.t[100], v[100]);
  // A short loss (a few lines) is just kept.
  auto w = steady(100);
  for (std::size_t i = 50; i < w.size(); ++i) w[i] += 6 * 2000;
  EXPECT_EQ(judge(w).count(Verdict::keep), w.size());
}

TEST(ClockGuard, ABurstOfCorruptStampsIsDroppedAndTheRestKept) {
  std::mt19937 rng(14);
  for (int trial = 0; trial < 20; ++trial) {
    auto v = steady(300);
    for (std::size_t i = 150; i < 160; ++i) v[i] = std::uniform_real_distribution<double>(0, 4e9)(rng);
    const auto j = judge(v);
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i < 150 || i >= 160) {
        ASSERT_EQ(j.verdicts[i], Verdict::keep) << "trial " << trial << " stamp " << i;
      }
    }
    EXPECT_EQ(j.count(Verdict::restart) + j.count(Verdict::gap), 0u) << trial;
  }
}

TEST(ClockGuard, AnIrregularStreamThatOnlyGoesForwardIsKept) {
  // Irregular stamps (phones, host-stamped bridges) only go forward: nothing says any of them is off.
  std::mt19937_64 rng(3);
  for (int kind = 0; kind < 3; ++kind) {
    std::vector<double> v;
    double t = 0;
    for (int i = 0; i < 5000; ++i) {
      if (kind == 0) t += std::uniform_real_distribution<double>(1e-6, 1e-2)(rng);       // steps 1 us .. 10 ms
      if (kind == 1) t += 0.01 * std::uniform_real_distribution<double>(0.5, 1.5)(rng);  // +-50 % jitter
      if (kind == 2) t += 0.01 * (rng() % 100 == 0 ? 30.0 + static_cast<double>(rng() % 100) : 1.0);  // dropouts
      v.push_back(t);
    }
    const auto j = judge(v);
    EXPECT_EQ(j.count(Verdict::outlier) + j.count(Verdict::duplicate), 0u) << kind;
    EXPECT_EQ(j.count(Verdict::restart), 0u) << kind;
  }
}

TEST(ClockGuard, ARateChangeIsFollowedAfterAFreshStart) {
  // The board switches from 500 Hz to 5 Hz: at first every step looks like a jump; after `window` outliers in a
  // row the rule starts afresh and learns the new rate from the stamps.
  auto v = steady(200);
  for (int i = 1; i <= 200; ++i) v.push_back(v[199] + i * 200'000.0);
  ClockGuardSettings s;
  const auto j = judge(v, s, 2000.0);
  EXPECT_GE(j.count(Verdict::keep) + j.count(Verdict::gap), v.size() - s.window - 1);
  EXPECT_EQ(j.count(Verdict::restart), 0u);
  EXPECT_EQ(j.verdicts.back(), Verdict::keep);
}

TEST(ClockGuard, RepeatsAreDuplicates) {
  auto v = steady(20);
  v.insert(v.begin() + 10, v[9]);
  const auto j = judge(v);
  EXPECT_EQ(j.verdicts[10], Verdict::duplicate);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
}

TEST(ClockGuard, AThirtyTwoBitCounterIsUnwrapped) {
  ClockGuardSettings s;
  s.wrap = 4294967296.0;
  std::vector<double> v;
  for (int i = 0; i < 100; ++i) v.push_back(std::fmod(4294967296.0 - 100'000 + i * 2000.0, 4294967296.0));
  const auto j = judge(v, s);
  EXPECT_EQ(j.count(Verdict::keep), v.size());
  for (std::size_t i = 1; i < v.size(); ++i) EXPECT_EQ(j.t[i] - j.t[i - 1], 2000.0) << i;
  // A corrupt stamp above 2^31 must not pass for a wrap either.
  auto w = steady(100, 2000.0, 30'000'000.0);
  w[50] *= 100;  // 3.1e9: a step "back" of more than 2^31 after it
  const auto jw = judge(w, s);
  EXPECT_EQ(jw.verdicts[50], Verdict::outlier);
  EXPECT_EQ(jw.count(Verdict::keep), w.size() - 1);
  EXPECT_EQ(jw.t.back(), w.back());
}

TEST(ClockGuard, WithSequenceNumbersAStampMustSitWhereItsNumberSays) {
  ClockGuardSettings s;
  s.sequenced = true;
  s.window = 8;
  auto v = steady(60, 16000.0);
  std::vector<double> slots;
  for (std::size_t i = 0; i < v.size(); ++i) slots.push_back(static_cast<double>(i));
  // Frames 20..22 lost: the numbers jump, the clock agrees: kept, no evidence needed.
  v.erase(v.begin() + 20, v.begin() + 23);
  slots.erase(slots.begin() + 20, slots.begin() + 23);
  v[40] += 5 * 16000.0;  // one frame's stamp off by 5 frames: an outlier although it moves forward
  const auto j = judge(v, s, 16000.0, slots);
  EXPECT_EQ(j.verdicts[20], Verdict::keep);
  EXPECT_EQ(j.verdicts[40], Verdict::outlier);
  EXPECT_EQ(j.count(Verdict::keep), v.size() - 1);
  // The numbers and the clock both start again: a restart (after confirmation).
  auto r = steady(30, 16000.0);
  std::vector<double> rs;
  for (std::size_t i = 0; i < 30; ++i) rs.push_back(static_cast<double>(i));
  for (std::size_t i = 0; i < 30; ++i) {
    r.push_back(1000.0 + static_cast<double>(i) * 16000.0);
    rs.push_back(static_cast<double>(i));  // the numbers went back (unwrapped as the decoder does)
  }
  const auto jr = judge(r, s, 16000.0, rs);
  EXPECT_EQ(jr.verdicts[30], Verdict::restart);
  EXPECT_EQ(jr.count(Verdict::keep), r.size() - 1);
}

TEST(ClockGuard, SettingsAreCheckedNamingTheField) {
  auto expect_throw = [](ClockGuardSettings s, const std::string& field) {
    try {
      ClockRule r(s);
      ADD_FAILURE() << field << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  ClockGuardSettings s;
  s.confirm = 0;
  expect_throw(s, "confirm");
  s = {};
  s.window = s.confirm;
  expect_throw(s, "window");
  s = {};
  s.jump_steps = 0.5;
  expect_throw(s, "jump_steps");
  s = {};
  s.wrap = -1;
  expect_throw(s, "wrap");
}

// ---- SequenceReorder ----

using Reorder = SequenceReorder<int>;
using Released = std::vector<std::pair<std::uint16_t, int>>;

TEST(SequenceReorder, PutsShuffledFramesBackInOrder) {
  Reorder r(8);
  Released out;
  const std::vector<std::uint16_t> arrival = {1, 0, 2, 3, 5, 4, 6, 9, 7, 8, 10, 13, 11, 12, 14, 15};
  for (auto s : arrival) r.push(s, s * 10u, s, out);
  r.flush(out);
  ASSERT_EQ(out.size(), arrival.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].first, i);
  EXPECT_EQ(r.counts().given_up, 0u);
  EXPECT_GE(r.counts().reordered, 4u);
}

TEST(SequenceReorder, DuplicatesLateFramesAndGivingUp) {
  Reorder r(4);
  Released out;
  for (std::uint16_t s = 0; s < 10; ++s) r.push(s, s, s, out);
  EXPECT_EQ(r.push(9, 9, 9, out), Reorder::Arrival::duplicate);
  EXPECT_EQ(r.push(7, 7, 7, out), Reorder::Arrival::duplicate);
  // 10 is lost: 11..14 wait, then 10 is given up.
  for (std::uint16_t s = 11; s < 15; ++s) r.push(s, s, s, out);
  EXPECT_EQ(r.counts().given_up, 1u);
  EXPECT_EQ(out.back().first, 14);
  EXPECT_EQ(r.push(10, 10, 10, out), Reorder::Arrival::late);
  // A jump back by more than 4 windows is a new sequence (the board restarted).
  for (std::uint16_t s = 15; s < 30; ++s) r.push(s, s, s, out);
  EXPECT_EQ(r.push(0, 1000, 0, out), Reorder::Arrival::released);
  EXPECT_EQ(out.back().first, 0);
  EXPECT_EQ(r.counts().duplicates, 2u);
  EXPECT_EQ(r.counts().late, 1u);
}

TEST(SequenceReorder, WrapsAt65536) {
  Reorder r(8);
  Released out;
  for (std::uint32_t i = 65530; i < 65550; ++i) {
    const auto s = static_cast<std::uint16_t>(i);
    r.push(s, i, static_cast<int>(i), out);
  }
  r.flush(out);
  ASSERT_EQ(out.size(), 20u);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].second, static_cast<int>(65530 + i));
}

// ---- PeriodCheck ----

TEST(PeriodCheck, ImplausiblePeriodsAreRefused) {
  PeriodCheck p;
  EXPECT_NE(p.check(4294967295e-9), "");  // period_ns = 0xFFFFFFFF of issue 14: 8 samples over 34 s
  EXPECT_NE(p.check(1e-9), "");
  EXPECT_EQ(p.check(2403846e-9), "");
  EXPECT_EQ(p.check(2403846e-9), "");
  EXPECT_NE(p.check(2 * 2403846e-9), "");  // twice the stream's period
  EXPECT_NE(p.check(4294967295e-9).find("outside"), std::string::npos);
  // A board reconfigured: the new period is taken once 3 frames in a row agree.
  PeriodCheck q;
  EXPECT_EQ(q.check(0.002), "");
  EXPECT_NE(q.check(0.01), "");
  EXPECT_NE(q.check(0.01), "");
  EXPECT_EQ(q.check(0.01), "");
  EXPECT_EQ(q.check(0.01), "");
}

}  // namespace
}  // namespace stride::io::detail
