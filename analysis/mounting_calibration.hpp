// Finds, from the data alone, how the sensor sits on the segment: gyro bias and gravity from rest, the
// medio-lateral (pitch) axis as the dominant swing rotation, and its sign from the toe-off: the foot's largest pitch
// excursion from a flat stance is toe-down, in every gait.
#pragma once

#include <Eigen/Core>
#include <span>
#include <string>

#include "stride/imu_sample.hpp"

namespace stride {

class MountingCalibration {
 public:
  struct Settings {
    double rest_window_s = 0.25;         // length of the windows tested for rest
    double rest_gyr_dev_rad_s = 0.10;    // max deviation of any gyro axis from its window mean
    double rest_acc_std_mps2 = 0.20;     // max standard deviation of |a| in the window
    double min_rest_for_bias_s = 0.5;    // rest needed before the gyro bias is estimated from it
    double moving_gyr_rad_s = 1.0;       // |w| above this counts as swing motion for the axis search
    bool shank = false;                  // the sensor is on the shin: the pitch sign comes from the leg's swing
  };

  struct Result {
    Eigen::Matrix3d segment_from_sensor = Eigen::Matrix3d::Identity();  // rows: forward, left, up (sensor coords)
    Eigen::Vector3d gyr_bias_rad_s = Eigen::Vector3d::Zero();
    Eigen::Vector3d up_sensor = Eigen::Vector3d::UnitZ();
    double gravity_mps2 = 9.80665;       // |a| at rest, as measured
    double rest_s = 0.0;                 // total rest found
    bool bias_from_rest = false;
    double pitch_share = 0.0;            // share of swing gyro variance about the found pitch axis (0..1)
    double sign_vote = 0.0;              // share of stance->swing transitions that agreed on the pitch sign (0.5..1)
    double pitch_axis_tilt_deg = 0.0;    // how far the principal axis was from horizontal before projection
    bool ok = false;
    std::string message;                 // why not ok, or what was assumed
  };

  MountingCalibration();
  explicit MountingCalibration(const Settings& settings);
  Result run(std::span<const ImuSample> samples, double rate_hz) const;

 private:
  Settings s_;
};

}  // namespace stride
