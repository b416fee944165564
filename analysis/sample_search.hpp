// Finding samples by time in a time-ordered recording.
#pragma once

#include <algorithm>
#include <span>

#include "stride/imu_sample.hpp"

namespace stride {

// Index of the first sample at or after t (samples.size() when none).
inline std::size_t first_at_or_after(std::span<const ImuSample> x, double t) {
  return static_cast<std::size_t>(
      std::lower_bound(x.begin(), x.end(), t, [](const ImuSample& s, double v) { return s.t_s < v; }) - x.begin());
}

}  // namespace stride
