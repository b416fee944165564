// The steps out of rest. The distance is otherwise the sum of IC-to-IC strides, and the step that leaves a rest
// belongs to none of them: the standing start's (from where the foot stood to the first IC) and the one after each
// stop (the interval marked rest_inside: the foot stood at its IC's footprint, so the interval's footprint-to-
// footprint length is the step out). They are no strides (no cadence, no stride time, no medians) but the foot
// covered them, so the distance counts them (docs/plausibility.md, "Steps out of rest").
#pragma once

#include <cstddef>
#include <limits>
#include <span>

#include "analysis/stride_uncertainty.hpp"
#include "stride/gait.hpp"

namespace stride {

// One step out of rest as the trajectory measured it; NaN length when there is none or it could not be measured.
struct StepFromRest {
  double length_m = std::numeric_limits<double>::quiet_NaN();
  double sd_m = std::numeric_limits<double>::quiet_NaN();  // from the filter's covariance (length_sd_m)
};

struct RestSteps {
  std::size_t count = 0;
  double metres = 0;
  double variance_m2 = 0;  // their length SDs squared, summed (a step without an SD: estimated_stride_relative of it)
};

// Whether `s`, an interval marked rest_inside, gives a step out of rest: its length was measured (not withheld for a
// saturated gyroscope) and it broke no rule that says its trajectory is wrong (length_above_limit,
// speed_above_limit, clearance_out_of_range, turn_rate_above_limit, samples_missing). The rules a rest itself
// breaks (stride time, contact share, the median stride time, the walking length at that "cadence", the
// neighbours' length: a step out of rest is shorter or longer than the strides around it) do not count.
bool is_step_from_rest(const Stride& s);

// The standing start `start` (counted when measured and no longer than max_length_m, the longest human stride)
// and every interval of `strides` that is_step_from_rest.
RestSteps steps_from_rest(std::span<const Stride> strides, const StepFromRest& start, double max_length_m,
                          const LengthUncertaintySettings& uncertainty);

}  // namespace stride
