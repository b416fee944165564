#include "analysis/butterworth.hpp"

#include "analysis/biquad_steps.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace stride {

using namespace biquad_steps;

ButterworthLowpass::ButterworthLowpass(const Settings& st) {
  if (st.order < 2 || st.order > 8 || st.order % 2 != 0)
    throw std::invalid_argument("ButterworthLowpass: order = " + std::to_string(st.order) +
                                " not allowed (even, 2..8)");
  if (!(st.rate_hz > 0.0))
    throw std::invalid_argument("ButterworthLowpass: rate_hz = " + std::to_string(st.rate_hz) + " must be > 0");
  if (!(st.cutoff_hz > 0.0 && st.cutoff_hz < 0.5 * st.rate_hz))
    throw std::invalid_argument("ButterworthLowpass: cutoff_hz = " + std::to_string(st.cutoff_hz) +
                                " outside (0, rate_hz/2 = " + std::to_string(0.5 * st.rate_hz) + ")");
  // Bilinear transform with pre-warping; each conjugate pole pair of the analog prototype becomes one biquad.
  const double k = std::tan(std::numbers::pi * st.cutoff_hz / st.rate_hz);
  const int pairs = st.order / 2;
  for (int i = 0; i < pairs; ++i) {
    const double theta = std::numbers::pi * (2.0 * i + 1.0) / (2.0 * st.order);
    const double q = 1.0 / (2.0 * std::sin(theta));
    const double norm = 1.0 / (1.0 + k / q + k * k);
    Biquad b;
    b.b0 = k * k * norm;
    b.b1 = 2.0 * b.b0;
    b.b2 = b.b0;
    b.a1 = 2.0 * (k * k - 1.0) * norm;
    b.a2 = (1.0 - k / q + k * k) * norm;
    sections_.push_back(b);
  }
  state_.assign(sections_.size(), {0.0, 0.0});
}

double ButterworthLowpass::step(double x) {
  for (std::size_t i = 0; i < sections_.size(); ++i) x = run(sections_[i], state_[i], x);
  return x;
}

void ButterworthLowpass::reset_to(double x) {
  for (std::size_t i = 0; i < sections_.size(); ++i) state_[i] = steady_state(sections_[i], x);
}

void ButterworthLowpass::filtfilt(std::span<const double> in, std::span<double> out) const {
  if (out.size() != in.size()) throw std::invalid_argument("filtfilt: output size differs from input size");
  const std::size_t n = in.size();
  if (n == 0) return;
  const std::size_t pad = std::min(pad_length(), n - 1);
  std::vector<double> buf(n + 2 * pad);
  for (std::size_t i = 0; i < pad; ++i) buf[i] = 2.0 * in[0] - in[pad - i];
  for (std::size_t i = 0; i < n; ++i) buf[pad + i] = in[i];
  for (std::size_t i = 0; i < pad; ++i) buf[pad + n + i] = 2.0 * in[n - 1] - in[n - 2 - i];
  pass(sections_, buf);
  std::reverse(buf.begin(), buf.end());
  pass(sections_, buf);
  for (std::size_t i = 0; i < n; ++i) out[i] = buf[buf.size() - 1 - pad - i];
}

}  // namespace stride
