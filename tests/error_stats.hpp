// Running bias and SD of errors, for the accuracy tests.
#pragma once

#include <algorithm>
#include <cmath>

namespace stride::test {

struct ErrorStats {
  double n = 0, sum = 0, sq = 0;
  void add(double e) { n += 1, sum += e, sq += e * e; }
  double bias() const { return sum / n; }
  double sd() const { return std::sqrt(std::max(0.0, sq / n - bias() * bias())); }
};

// Errors against the SDs stated for them: how many lie within 2 SD (a Gaussian gives 95 %), and the rms of both.
struct SdCoverage {
  double n = 0, within_2sd = 0, error_sq = 0, sd_sq = 0, missing_sd = 0;
  void add(double error, double sd) {
    if (!std::isfinite(error)) return;
    if (!std::isfinite(sd)) {
      missing_sd += 1;
      return;
    }
    n += 1;
    within_2sd += std::abs(error) <= 2 * sd ? 1 : 0;
    error_sq += error * error;
    sd_sq += sd * sd;
  }
  double coverage() const { return n > 0 ? within_2sd / n : 0; }
  double actual_rms() const { return n > 0 ? std::sqrt(error_sq / n) : 0; }
  double stated_rms() const { return n > 0 ? std::sqrt(sd_sq / n) : 0; }
};

}  // namespace stride::test
