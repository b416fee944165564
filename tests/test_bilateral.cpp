// Two feet on one clock (analysis/bilateral.*): measured flight and step times against the simulator's truth,
// symmetry indices against the asymmetry built into a run, and a warning when the clocks cannot be one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "analysis/pipeline.hpp"
#include "error_stats.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

sim::Settings two_feet_run(std::uint64_t seed) {
  sim::Settings s;
  s.strides = 80;
  s.rate_hz = 500;
  s.variability_cv = 0.03;
  s.seed = seed;
  return s;
}

// The truth's flight after each stride's toe-off: the other foot's next contact minus this TC.
std::vector<double> true_flights_ms(const sim::Truth& self, const sim::Truth& other) {
  std::vector<double> out;
  for (const auto& st : self.strides) {
    const auto it = std::upper_bound(other.ic_s.begin(), other.ic_s.end(), st.ic_s);
    out.push_back(it == other.ic_s.end() || *it >= st.next_ic_s ? NAN : std::max(0.0, (*it - st.tc_s) * 1e3));
  }
  return out;
}

// Matches a detected stride to the true one by its IC (within 20 ms) and collects (measured - true).
void collect(const std::vector<Stride>& strides, const sim::Truth& truth, const std::vector<double>& true_flight,
             test::ErrorStats& flight) {
  for (const auto& s : strides) {
    if (!s.valid || s.flight_from_one_foot) continue;
    for (std::size_t k = 0; k < truth.strides.size(); ++k)
      if (std::abs(truth.strides[k].ic_s - s.ic_s) < 0.02 && std::isfinite(true_flight[k]))
        flight.add(s.flight_ms - true_flight[k]);
  }
}

const MetricSummary& metric(const BilateralResult& b, const std::string& name) {
  for (const auto& m : b.metrics)
    if (m.name == name) return m;
  throw std::runtime_error("no metric " + name);
}

const SymmetryRow& symmetry(const BilateralResult& b, const std::string& name) {
  for (const auto& r : b.symmetry)
    if (r.metric == name) return r;
  throw std::runtime_error("no symmetry row " + name);
}

TEST(Bilateral, MeasuredFlightAndStepTimeMatchTheTruth) {
  test::ErrorStats flight, cadence;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto feet = sim::simulate_two_feet(two_feet_run(seed), two_feet_run(seed));
    const auto r = analyze_two_feet(feet.left.recording, feet.right.recording, PipelineSettings{});
    EXPECT_DOUBLE_EQ(r.bilateral.alternation_share, 1.0);
    EXPECT_NEAR(r.bilateral.right_phase, 0.5, 0.02);
    EXPECT_TRUE(r.bilateral.warnings.empty()) << r.bilateral.warnings.front();
    EXPECT_GE(r.bilateral.steps, 2u * 78);
    EXPECT_FALSE(r.left.summary.one_foot);
    collect(r.left.strides, feet.left.truth, true_flights_ms(feet.left.truth, feet.right.truth), flight);
    collect(r.right.strides, feet.right.truth, true_flights_ms(feet.right.truth, feet.left.truth), flight);
    // Mean cadence over the steps against the truth's: 60 / mean step time of the merged true contacts.
    std::vector<double> ics = feet.left.truth.ic_s;
    ics.insert(ics.end(), feet.right.truth.ic_s.begin(), feet.right.truth.ic_s.end());
    std::sort(ics.begin(), ics.end());
    double sum = 0;
    for (std::size_t i = 1; i < ics.size(); ++i) sum += 60.0 / (ics[i] - ics[i - 1]);
    cadence.add(metric(r.bilateral, "cadence_spm").mean - sum / static_cast<double>(ics.size() - 1));
  }
  std::printf("  two feet, 500 Hz, 3 runs: measured flight %+.2f +- %.2f ms over %.0f strides; mean cadence "
              "%+.3f +- %.3f steps/min\n", flight.bias(), flight.sd(), flight.n, cadence.bias(), cadence.sd());
  EXPECT_GE(flight.n, 3 * 150);
  EXPECT_LT(std::abs(flight.bias()), 1.5);  // IC and TC are each within ~1 ms at 500 Hz
  EXPECT_LT(flight.sd(), 1.5);
  EXPECT_LT(std::abs(cadence.bias()) + 2 * cadence.sd(), 0.5);
}

TEST(Bilateral, SymmetryIndexFollowsABuiltInAsymmetry) {
  const auto left = two_feet_run(7);
  auto right = left;
  right.duty_factor = left.duty_factor * 1.15;  // right contact time +15 %
  const auto feet = sim::simulate_two_feet(left, right);
  const auto r = analyze_two_feet(feet.left.recording, feet.right.recording, PipelineSettings{});
  const auto& gct = symmetry(r.bilateral, "gct_ms");
  std::vector<double> tl, tr;
  for (const auto& s : feet.left.truth.strides) tl.push_back((s.tc_s - s.ic_s) * 1e3);
  for (const auto& s : feet.right.truth.strides) tr.push_back((s.tc_s - s.ic_s) * 1e3);
  std::sort(tl.begin(), tl.end());
  std::sort(tr.begin(), tr.end());
  const double ml = tl[tl.size() / 2], mr = tr[tr.size() / 2];
  const double true_si = 200 * std::abs(ml - mr) / (ml + mr);
  std::printf("  contact time +15 %% on the right: SI %.1f %% (truth %.1f %%), flight SI %.1f %%\n", gct.si_pct,
              true_si, symmetry(r.bilateral, "flight_ms").si_pct);
  for (const auto& row : r.bilateral.symmetry)
    std::printf("    %-24s L %8.2f  R %8.2f  SI %5.1f %%\n", row.metric.c_str(), row.left, row.right, row.si_pct);
  EXPECT_NEAR(gct.si_pct, true_si, 1.0);
  EXPECT_GT(gct.right, gct.left);
  // Longer contact on the right leaves less flight after the right toe-off.
  EXPECT_GT(symmetry(r.bilateral, "flight_ms").si_pct, 10.0);
  // The same settings on both feet: every symmetry index within healthy asymmetry (< 5 %).
  const auto same = sim::simulate_two_feet(left, left);
  const auto q = analyze_two_feet(same.left.recording, same.right.recording, PipelineSettings{});
  for (const auto& row : q.bilateral.symmetry) {
    if (row.metric == "pta_g") continue;
    EXPECT_LT(row.si_pct, 5.0) << row.metric;
  }
}

TEST(Bilateral, ClocksHalfAStepApartAreNoticed) {
  const auto feet = sim::simulate_two_feet(two_feet_run(11), two_feet_run(11));
  Recording right = feet.right.recording;
  const double half_step = 60.0 / 170.0;  // a whole step: the right contacts land on the left ones
  for (auto& s : right.samples) s.t_s += half_step;
  const auto r = analyze_two_feet(feet.left.recording, right, PipelineSettings{});
  std::printf("  right clock off by %.0f ms: alternation %.0f %%, right lands at %.0f %% of the left stride\n",
              half_step * 1e3, 100 * r.bilateral.alternation_share, 100 * r.bilateral.right_phase);
  EXPECT_TRUE(r.bilateral.right_phase < 0.1 || r.bilateral.right_phase > 0.9) << r.bilateral.right_phase;
  ASSERT_FALSE(r.bilateral.warnings.empty());
  EXPECT_NE(r.bilateral.warnings.front().find("clocks"), std::string::npos);
}

}  // namespace
}  // namespace stride

namespace stride {
namespace {

bool same_number(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// The right foot runs on a second thread: each foot's result must be exactly the one-after-the-other result
// (nothing shared between the feet changes it), and a failure comes out as it did.
TEST(TwoFeetThreads, EachFootAsAnalysedAloneAndErrorsAsBefore) {
  const auto feet = sim::simulate_two_feet(two_feet_run(5), two_feet_run(6));
  const auto r = analyze_two_feet(feet.left.recording, feet.right.recording, PipelineSettings{});
  const SessionResult alone[2] = {analyze(feet.left.recording, PipelineSettings{}),
                                  analyze(feet.right.recording, PipelineSettings{})};
  const SessionResult* both[2] = {&r.left, &r.right};
  for (int f = 0; f < 2; ++f) {
    ASSERT_EQ(both[f]->strides.size(), alone[f].strides.size()) << "foot " << f;
    ASSERT_GE(alone[f].strides.size(), 70u);
    EXPECT_EQ(both[f]->warnings, alone[f].warnings);
    EXPECT_EQ(both[f]->events.events.size(), alone[f].events.events.size());
    EXPECT_TRUE(same_number(both[f]->spatial.distance_m, alone[f].spatial.distance_m));
    for (std::size_t i = 0; i < alone[f].strides.size(); ++i) {
      const Stride &a = both[f]->strides[i], &b = alone[f].strides[i];
      EXPECT_TRUE(same_number(a.ic_s, b.ic_s) && same_number(a.tc_s, b.tc_s) && same_number(a.gct_ms, b.gct_ms) &&
                  same_number(a.stride_length_m, b.stride_length_m) && same_number(a.speed_mps, b.speed_mps) &&
                  same_number(a.fsa_deg, b.fsa_deg) && same_number(a.pronation_excursion_deg, b.pronation_excursion_deg) &&
                  a.valid == b.valid)
          << "foot " << f << " stride " << i;
    }
  }
  PipelineSettings bad;
  bad.strides.min_stride_s = -1;  // refused by the StrideBuilder both feet build: the message is the same as alone
  std::string alone_error, two_feet_error;
  try { analyze(feet.left.recording, bad); } catch (const std::invalid_argument& e) { alone_error = e.what(); }
  try { analyze_two_feet(feet.left.recording, feet.right.recording, bad); } catch (const std::invalid_argument& e) { two_feet_error = e.what(); }
  EXPECT_FALSE(alone_error.empty());
  EXPECT_EQ(two_feet_error, alone_error);
}

}  // namespace
}  // namespace stride
