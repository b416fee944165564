// Rebuilding clipped gyroscope peaks. A gyroscope at its range holds a flat top where the true rate went on rising
// and fell back; the samples either side of the flat top follow the smooth peak, so a quadratic fitted to them
// (least squares, a few samples each side) gives the missing top. With the peak rebuilt, the attitude the foot
// trajectory integrates through the swing is close to the truth again and the stride keeps its length, marked as
// rebuilt (kGyrRebuilt) so that it is reported as less certain. Runs too long to bridge, or whose fit does not rise
// above the range (not a peak), are left clipped: their strides get no length, as before.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "analysis/saturation.hpp"

namespace stride {

struct ClipRepairSettings {
  bool enabled = true;
  double max_run_s = 0.07;    // a longer flat top is not rebuilt (the parabola is extrapolated too far)
  double touch_s = 0.01;      // a run this short whose fit finds no peak above the range only touched it: kept
  double flank_s = 0.02;      // samples fitted each side (at least 3)
};

struct ClipRepairResult {
  std::size_t runs = 0;       // clipped runs found (per axis)
  std::size_t rebuilt = 0;    // of those, rebuilt
  std::size_t samples_rebuilt = 0;
};

// Rebuilds the clipped gyroscope runs of `x` in place (samples whose every clipped gyro axis was rebuilt get
// kGyrRebuilt and lose their gyro clip bits, so Saturation::gyr_clipped no longer counts them).
ClipRepairResult rebuild_clipped_gyro(std::vector<ImuSample>& x, const Saturation& saturation, double rate_hz,
                                      const ClipRepairSettings& settings = {});

// True when a sample of x has a clipped gyroscope axis (nothing to rebuild otherwise: no copy needed).
bool any_gyro_clipped(std::span<const ImuSample> x, const Saturation& saturation);

}  // namespace stride
