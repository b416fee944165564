// Checks simulator settings once, before any work: a bad value throws std::invalid_argument naming the field,
// the value and the allowed range.
#pragma once

#include "stride/simulate.hpp"

namespace stride::sim::detail {

void validate(const Settings& s);

// The impact velocity actually used: the setting, or -(0.25 + 0.12 speed) m/s when it is NaN.
double effective_impact_velocity_mps(const Settings& s);

}  // namespace stride::sim::detail
