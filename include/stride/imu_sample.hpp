// One timestamped inertial sample, in SI units, in the sensor's own axes.
#pragma once

#include <Eigen/Core>
#include <cstdint>

namespace stride {

// Bits of ImuSample::clipped: an axis that read at (or beyond) its declared range.
enum ClipBits : std::uint8_t {
  kClipAccX = 1u << 0, kClipAccY = 1u << 1, kClipAccZ = 1u << 2,
  kClipGyrX = 1u << 3, kClipGyrY = 1u << 4, kClipGyrZ = 1u << 5,
  kGyrRebuilt = 1u << 6,  // the gyro was clipped here and its peak rebuilt (analysis/clip_repair.hpp): an estimate
  kGyrRebuiltByReturn = 1u << 7,  // with kGyrRebuilt: every rebuilt axis from the foot's return over its cycle, none
                                  // by a fit to the flanks
};

struct ImuSample {
  double t_s = 0.0;                                       // seconds from the recording's start (device clock)
  Eigen::Vector3d acc_mps2 = Eigen::Vector3d::Zero();     // specific force incl. gravity: +9.81 on an up axis at rest
  Eigen::Vector3d gyr_rad_s = Eigen::Vector3d::Zero();    // body angular rate, right-hand rule
  std::uint8_t clipped = 0;                               // ClipBits
};

}  // namespace stride
