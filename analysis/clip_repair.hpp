// Rebuilding clipped gyroscope peaks. A gyroscope at its range holds a flat top where the true rate went on rising
// and fell back; the samples either side of the flat top follow the smooth peak, so a quadratic fitted to them
// (least squares, a few samples each side) gives the missing top. With the peak rebuilt, the attitude the foot
// trajectory integrates through the swing is close to the truth again and the stride keeps its length, marked as
// rebuilt (kGyrRebuilt) so that it is reported as less certain.
// Runs too long to bridge, or whose fit does not rise above the range (not a peak), are rebuilt from the foot's
// return when the gait events are given: from one mid-stance to the next the foot comes back to the same attitude,
// so each gyro axis integrates to about zero over the cycle (a rotation that returns; gyro bias and turning leave
// ~0.01-0.05 rad against the 0.2-1 rad that a long flat top hides). The area the cycle's runs on an axis are missing
// is minus the cycle's measured integral of that axis; it is laid over the runs as parabolic caps, each as high as
// its flanks' slopes say (a parabola crossing the range with slope s stays above it for T and rises s T / 4), all
// scaled by the one factor that closes the cycle (so a swing peak and a push-off trough of one cycle both work).
// What neither rebuilds stays clipped: its strides get no length, as before.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "analysis/saturation.hpp"
#include "stride/gait.hpp"

namespace stride {

struct ClipRepairSettings {
  bool enabled = true;
  double max_run_s = 0.07;    // a longer flat top is not rebuilt (the parabola is extrapolated too far)
  double touch_s = 0.01;      // a run this short whose fit finds no peak above the range only touched it: kept
  double flank_s = 0.02;      // samples fitted each side (at least 3)
  // The foot's return: a cap whose height would pass this multiple of the range is not believed (the cycle's
  // integral then holds more than the missing top: a turn, a stumble, a bias); cycles longer than this are not used.
  double max_cap_over_range = 1.5;
  double max_cycle_s = 2.5;
  double max_slope_disagreement = 2.0;  // the closing factor must lie within [1/this, this] of the slopes' heights
  // A cycle that no factor within those bounds closes gets its caps at this share of the slopes' heights (0: it
  // stays clipped). On the MicroStrain jog (walk 35), factor 0 / 0.5 / 1 gave the six jogging strides -4 / +6 /
  // +17 cm mean error against the footprints (docs/clipping.md).
  double unclosed_factor = 0.5;
};

// One cycle (mid-stance to mid-stance) whose flat tops on one axis were left to the foot's return: what the closing
// search saw, so that a cycle that does not close can be told apart (a diagnostic; nothing reads it to decide).
struct ReturnCycle {
  double from_s = 0, to_s = 0;   // the cycle's mid-stances
  int axis = 0;
  std::size_t runs = 0;          // flat tops of the axis inside the cycle
  double clipped_s = 0;          // their total duration
  double rotation_rad = 0;       // the cycle's measured attitude change about the axis, flat tops as recorded
  double closing_at_low_rad = 0, closing_at_high_rad = 0;  // the same with the caps scaled by the factor's bounds
  double factor = 0;             // the factor used (0: none)
  bool closed = false;           // the factor closes the cycle (false: none did; unclosed_factor was used, or nothing)
  const char* outcome = "";      // "rebuilt", or why not
};

struct ClipRepairResult {
  std::size_t runs = 0;       // clipped runs found (per axis)
  std::size_t rebuilt = 0;    // of those, rebuilt (by either way)
  std::size_t rebuilt_by_return = 0;  // of those, from the foot's return over its cycle
  std::size_t rebuilt_unclosed = 0;   // of those, at the fixed share of their caps (their cycle did not close)
  std::size_t samples_rebuilt = 0;
  std::vector<ReturnCycle> cycles;  // every cycle the foot's return was tried on, in time order per axis
};

// Rebuilds the clipped gyroscope runs of `x` in place (samples whose every clipped gyro axis was rebuilt get
// kGyrRebuilt and lose their gyro clip bits, so Saturation::gyr_clipped no longer counts them).
// `events` (IC and TC in time order, optional): the cycles for the runs the flank fit cannot bridge.
ClipRepairResult rebuild_clipped_gyro(std::vector<ImuSample>& x, const Saturation& saturation, double rate_hz,
                                      const ClipRepairSettings& settings = {},
                                      std::span<const GaitEvent> events = {});

// True when a sample of x has a clipped gyroscope axis (nothing to rebuild otherwise: no copy needed).
bool any_gyro_clipped(std::span<const ImuSample> x, const Saturation& saturation);

}  // namespace stride
