// Per-stride metrics of a shin-mounted sensor: peak axial tibial acceleration (PTA) and its rise rate, and the
// shank's angle at initial contact (the overstriding surrogate).
#pragma once

#include <span>
#include <vector>

#include "analysis/mounting_calibration.hpp"
#include "analysis/saturation.hpp"
#include "stride/gait.hpp"

namespace stride {

struct ShinSettings {
  double pta_window_s = 0.06;   // the PTA is searched this long after IC
};

// PTA: the tibia's axis is the segment's "up" found at rest (standing, the tibia is about vertical). A clipped
// peak is never reported as a value: the stride gets NaN and a note.
// Shank angle at IC: the pitch rate is integrated over the stride from IC (its drift removed so the stride ends
// where it began), and the one unknown, the angle at IC, is the rotation that turns the stride's summed specific
// force onto "up": over a whole stride at steady pace the accelerations average out and only gravity remains.
void add_shin_metrics(std::vector<Stride>& strides, std::span<const ImuSample> samples,
                      const MountingCalibration::Result& mounting, const Saturation& saturation,
                      const ShinSettings& settings = {});

}  // namespace stride
