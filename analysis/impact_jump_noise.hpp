// The noise an impact's onset is placed against: the typical sample-to-sample change of the specific force just
// before the impact's jump. Noise and swing motion move the onset an interpolation finds by about this much, so
// its share of the jump's own size is the input of ic_sd_ms (analysis/stride_uncertainty.hpp). One rule for the
// foot detector (a ring of samples) and the accelerometer-only detectors (a span).
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>

namespace stride {

// The rms of up to `count` jumps |a(m) - a(m - 1)|, m = from, from - 1, ... down to max(lo, 1); nullopt when there
// is none. `acc_at(i)` gives sample i's specific-force vector (anything with squaredNorm()).
template <class AccAt>
std::optional<double> rms_jump_before(AccAt&& acc_at, std::size_t from, std::size_t lo, std::size_t count = 4) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t m = from; m >= lo && m > 0 && n < count; --m, ++n) sum += (acc_at(m) - acc_at(m - 1)).squaredNorm();
  if (n == 0) return std::nullopt;
  return std::sqrt(sum / static_cast<double>(n));
}

}  // namespace stride
