// Butterworth low-pass as a cascade of biquads: causal (live) and zero-phase forward-backward (offline).
// One design, two uses, so the live and offline pipelines filter with the same coefficients.
#pragma once

#include <array>
#include <span>
#include <vector>

namespace stride {

struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;  // a0 = 1; transposed direct form II
};

class ButterworthLowpass {
 public:
  struct Settings {
    int order = 4;             // even, 2..8
    double cutoff_hz = 10.0;   // -3 dB frequency, 0 < cutoff < rate/2
    double rate_hz = 200.0;    // sample rate
  };

  explicit ButterworthLowpass(const Settings& settings);  // throws std::invalid_argument naming the field

  const std::vector<Biquad>& sections() const { return sections_; }

  // Live use: one sample in, one out; state persists between calls. No allocation.
  double step(double x);
  void reset_to(double x);  // steady state for a constant input x (no start-up transient)

  // Offline: zero-phase (forward then backward), odd-reflection padding of pad_length() samples at both ends,
  // each pass started in steady state on its first padded value (the scipy.signal.sosfiltfilt convention).
  // `in` and `out` may be the same buffer (all of `in` is read before `out` is written).
  void filtfilt(std::span<const double> in, std::span<double> out) const;
  std::size_t pad_length() const { return 3 * (2 * sections_.size() + 1); }

 private:
  std::vector<Biquad> sections_;
  std::vector<std::array<double, 2>> state_;
};

}  // namespace stride
