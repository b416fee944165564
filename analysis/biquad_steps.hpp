// One biquad section's steps (transposed direct form II), shared by ButterworthLowpass and ZeroPhaseStream so that
// both filter with the same arithmetic. Internal to analysis/.
#pragma once

#include <array>
#include <vector>

#include "analysis/butterworth.hpp"

namespace stride::biquad_steps {

// Steady state of one transposed-DF2 section for a constant input x (the DC gain of a low-pass section is 1).
inline std::array<double, 2> steady_state(const Biquad& s, double x) {
  const double y = x;
  const double z2 = s.b2 * x - s.a2 * y;
  const double z1 = s.b1 * x - s.a1 * y + z2;
  return {z1, z2};
}

inline double run(const Biquad& s, std::array<double, 2>& z, double x) {
  const double y = s.b0 * x + z[0];
  z[0] = s.b1 * x - s.a1 * y + z[1];
  z[1] = s.b2 * x - s.a2 * y;
  return y;
}

// One causal pass of the whole cascade over a buffer, in place, started in steady state on buf[0].
inline void pass(const std::vector<Biquad>& sections, std::vector<double>& buf) {
  for (const auto& s : sections) {
    auto z = steady_state(s, buf.front());
    for (double& v : buf) v = run(s, z, v);
  }
}

}  // namespace stride::biquad_steps
