// The steps out of rest (analysis/rest_steps.hpp): which intervals give one, the standing start's limit, and their
// share of the distance's SD. End to end (simulator, real footprints, streamed): test_stop_and_go.cpp,
// test_trajectory_real.cpp, test_streaming_pipeline.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/missing_distance.hpp"
#include "analysis/rest_steps.hpp"

namespace stride {
namespace {

Stride interval(double length_m, std::vector<const char*> codes) {
  Stride s;
  s.stride_time_s = 4.0;
  s.stride_length_m = length_m;
  s.length_sd_m = 0.03;
  for (const char* c : codes) s.invalidate(c, c);
  return s;
}

TEST(RestSteps, OnlyAMeasuredRestIntervalWhoseTrajectoryHeldIsAStep) {
  EXPECT_TRUE(is_step_from_rest(interval(1.2, {"rest_inside"})));
  // What the rest itself breaks does not matter ...
  EXPECT_TRUE(is_step_from_rest(interval(1.2, {"rest_inside", "stride_time_out_of_range", "stride_time_off_median",
                                                "length_above_walking_limit", "length_off_neighbours"})));
  // ... what says the trajectory is wrong does, and so does a length that was withheld or never measured.
  for (const char* wrong : {"length_above_limit", "speed_above_limit", "clearance_out_of_range",
                            "turn_rate_above_limit", "samples_missing"})
    EXPECT_FALSE(is_step_from_rest(interval(1.2, {"rest_inside", wrong}))) << wrong;
  EXPECT_FALSE(is_step_from_rest(interval(std::nan(""), {"rest_inside"})));
  EXPECT_FALSE(is_step_from_rest(interval(1.2, {})));                          // a valid stride: no rest
  EXPECT_FALSE(is_step_from_rest(interval(1.2, {"stride_time_out_of_range"})));  // invalid, but no rest
}

TEST(RestSteps, StandingStartAndStopsAreSummedWithTheirSd) {
  const std::vector<Stride> strides = {interval(1.4, {}), interval(1.1, {"rest_inside"}), interval(1.4, {}),
                                       interval(0.9, {"rest_inside", "stride_time_out_of_range"})};
  const LengthUncertaintySettings u;
  const RestSteps none = steps_from_rest({}, StepFromRest{}, 5.5, u);
  EXPECT_EQ(none.count, 0u);
  EXPECT_EQ(none.metres, 0.0);
  const RestSteps r = steps_from_rest(strides, StepFromRest{0.7, 0.02}, 5.5, u);
  EXPECT_EQ(r.count, 3u);
  EXPECT_NEAR(r.metres, 0.7 + 1.1 + 0.9, 1e-12);
  EXPECT_NEAR(r.variance_m2, 0.02 * 0.02 + 2 * 0.03 * 0.03, 1e-15);
  // A start step without an SD is counted as wide as an estimated stride; one beyond the human limit not at all.
  const RestSteps no_sd = steps_from_rest({}, StepFromRest{0.7, std::nan("")}, 5.5, u);
  EXPECT_NEAR(no_sd.variance_m2, std::pow(u.estimated_stride_relative * 0.7, 2), 1e-15);
  EXPECT_EQ(steps_from_rest({}, StepFromRest{6.0, 0.02}, 5.5, u).count, 0u);
  // The distance's SD takes their variance and their metres (the shared scale term).
  LengthUncertaintySettings plain = u;
  plain.distance_systematic_relative = 0;
  EXPECT_NEAR(distance_sd_m({}, 0.0, plain, r), std::sqrt(r.variance_m2), 1e-12);
  EXPECT_GT(distance_sd_m({}, 0.0, u, r), distance_sd_m({}, 0.0, plain, r));
  EXPECT_TRUE(std::isnan(distance_sd_m({}, 0.0, u)));  // nothing measured, no rest step: no SD
}

}  // namespace
}  // namespace stride
