// Where the sensor hit its range. Declared ranges (metadata) are used when present; otherwise a range is inferred
// from flat tops: an axis that sits at its largest magnitude (within 1 %) for 15 ms and at least 3 samples, at
// least twice, with that magnitude within 10 % of a range IMUs are sold with (±2..400 g, ±125..4000 deg/s), is
// taken as saturated there. A smooth peak of real motion stays that close to its maximum for a few ms only (2-3
// samples at a phone's 100 Hz, which is not a clip).
#pragma once

#include <Eigen/Core>
#include <span>

#include "stride/recording.hpp"

namespace stride {

struct Saturation {
  Eigen::Vector3d acc_limit_mps2 = Eigen::Vector3d::Zero();   // per axis; 0 = never saturated
  Eigen::Vector3d gyr_limit_rad_s = Eigen::Vector3d::Zero();
  bool acc_inferred = false;                                  // limits found from flat tops, not declared
  bool gyr_inferred = false;

  bool acc_clipped(const ImuSample& s) const;
  bool gyr_clipped(const ImuSample& s) const;
};

Saturation find_saturation(std::span<const ImuSample> samples, double rate_hz, const RecordingMeta& meta);

}  // namespace stride
