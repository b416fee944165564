// The simulator's random numbers: std::mt19937_64 with portable uniform and normal draws (the same seed gives the
// same values with any standard library, unlike std::normal_distribution).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace stride::sim::detail {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  double normal() {  // Box-Muller, both values used
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * std::numbers::pi * u2);
  }

  double truncated_normal(double limit = 3.0) {
    for (;;) {
      const double z = normal();
      if (std::abs(z) <= limit) return z;
    }
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace stride::sim::detail
