// Which strides the trust view offers for a flag (tools/session/trust_evidence): the flag's per-stride metric and
// the direction that is worse, read from the flag's own values, and the worst, typical and mildest valid strides
// inside its range. Hand-made flags and strides, so every answer is known.
#include <gtest/gtest.h>

#include <cmath>

#include "tools/session/trust_evidence.hpp"

namespace stride::test {
namespace {

using session::evidence_metric;
using session::evidence_strides;

Flag flag_with(std::vector<std::pair<std::string, double>> values) {
  Flag f;
  f.values = std::move(values);
  return f;
}

TEST(TrustEvidence, TheMetricAndItsWorseDirectionComeFromTheFlagsValues) {
  // Against its baseline: impact up is worse, a foot-strike angle that fell is worse lower.
  auto m = evidence_metric(flag_with({{"peak_impact_g", 12}, {"baseline_peak_impact_g", 9}, {"change_rel", .3}}), "right");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->key, "peak_impact_g");
  EXPECT_EQ(m->worse, +1);
  m = evidence_metric(flag_with({{"fsa_deg", 5}, {"baseline_fsa_deg", 9}}), "unknown");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->worse, -1);
  // A flag of both feet: each foot's own value against its own baseline, not the other foot's value.
  const Flag both = flag_with({{"left_baseline_peak_impact_g", 11}, {"left_peak_impact_g", 16},
                               {"right_baseline_peak_impact_g", 9}, {"right_peak_impact_g", 12.5}});
  EXPECT_EQ(evidence_metric(both, "left")->worse, +1);
  EXPECT_EQ(evidence_metric(both, "right")->worse, +1);
  // An asymmetry: the foot with the larger value is worse high, the other worse low.
  const Flag asym = flag_with({{"left_gct_ms", 245}, {"right_gct_ms", 282}, {"symmetry_index", .14}});
  EXPECT_EQ(evidence_metric(asym, "left")->key, "gct_ms");
  EXPECT_EQ(evidence_metric(asym, "left")->worse, -1);
  EXPECT_EQ(evidence_metric(asym, "right")->worse, +1);
  // Names that mean a stride field; cadence is worse low by default.
  EXPECT_EQ(evidence_metric(flag_with({{"peak_g", 30}, {"median_peak_g", 10}}), "left")->key, "peak_impact_g");
  EXPECT_EQ(evidence_metric(flag_with({{"rearfoot_share", 1}}), "left")->key, "fsa_deg");
  m = evidence_metric(flag_with({{"cadence_spm", 157}, {"threshold_spm", 166}}), "right");
  EXPECT_EQ(m->key, "cadence_spm");
  EXPECT_EQ(m->worse, -1);
  // A data-quality flag rests on no stride metric.
  EXPECT_FALSE(evidence_metric(flag_with({{"clipped_acc_samples", 4}, {"valid_strides", 300}}), "left"));
}

TEST(TrustEvidence, WorstTypicalAndMildestAmongTheValidStridesInTheRange) {
  std::vector<Stride> strides;
  const double impacts[] = {9, 14, 11, 30, 12, 10, 13, 8, 15};
  for (int i = 0; i < 9; ++i) {
    Stride s;
    s.ic_s = 10.0 + 0.7 * i;
    s.next_ic_s = s.ic_s + 0.7;
    s.peak_impact_g = impacts[i];
    strides.push_back(s);
  }
  strides[3].valid = false;  // the 30 g knock: invalid strides are never offered
  const session::EvidenceMetric impact{"peak_impact_g", +1};
  // Strides 1..7 lie in [10.7, 15.6]: 14, 11, (30), 12, 10, 13, 8.
  auto e = evidence_strides(strides, impact, 10.7, 15.6, 2.0);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].index, 1u);  // 14 g
  EXPECT_EQ(e[0].label, "worst");
  EXPECT_EQ(e[1].index, 2u);  // 11 g: of 8, 10, 11, 12, 13, 14 the lower of the middle two
  EXPECT_EQ(e[1].label, "typical");
  EXPECT_EQ(e[2].index, 7u);  // 8 g
  EXPECT_DOUBLE_EQ(e[2].value, 8.0);
  // Lower is worse: the order turns round.
  e = evidence_strides(strides, {"peak_impact_g", -1}, 10.7, 15.6, 2.0);
  EXPECT_EQ(e.front().index, 7u);
  EXPECT_EQ(e.back().index, 1u);
  // One stride: offered once, as the worst. A stride longer than max_stride_s (a pause) is not offered.
  e = evidence_strides(strides, impact, 10.0, 10.7, 2.0);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].label, "worst");
  EXPECT_TRUE(evidence_strides(strides, impact, 10.0, 10.7, 0.5).empty());
  // A metric the strides do not have.
  EXPECT_TRUE(evidence_strides(strides, {"fsa_deg", +1}, 0, 100, 2.0).empty());
}

}  // namespace
}  // namespace stride::test
