// Strapdown navigation of one IMU with an error-state Kalman filter (12 states: velocity, attitude, accelerometer
// bias, gyro bias) corrected by zero-velocity (ZUPT) and zero-angular-rate (ZARU) updates. Position is integrated
// in the nominal state but is not an error state: nothing measures it, and a position error feeds back into no
// other state, so carrying it would only add rows to every covariance step (it was 15 states; 12 is ~2x faster).
// Conventions follow Sola (2017), "Quaternion kinematics for the error-state Kalman filter": attitude error is a
// local (body-frame) rotation vector; nav frame z up, gravity (0, 0, -g); the accelerometer measures specific force.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>

namespace stride {

class ZuptEskf {
 public:
  static constexpr int kN = 12;  // error state: dv(0..2) dtheta(3..5) dba(6..8) dbg(9..11)
  using MatrixN = Eigen::Matrix<double, kN, kN>;
  using VectorN = Eigen::Matrix<double, kN, 1>;

  struct Settings {
    double gravity_mps2 = 9.80665;
    double acc_noise_mps2 = 0.08;          // white noise of the accelerometer, rms per sample (process noise)
    double gyr_noise_rad_s = 0.01;         // white noise of the gyroscope, rms per sample
    double acc_bias_walk_mps2_s = 1e-4;    // bias random walks (per sqrt(s))
    double gyr_bias_walk_rad_s_s = 1e-5;
    double initial_attitude_sd_rad = 0.02; // roll/pitch uncertainty after levelling (yaw is defined as 0)
    double initial_acc_bias_sd_mps2 = 0.1;
    double initial_gyr_bias_sd_rad_s = 0.01;
    // Whether velocity and rate updates may turn the heading. Off: nothing measures heading, and the little a
    // swing's horizontal acceleration makes it observable is swamped by what the model leaves out (each impact's
    // velocity change), so the corrections steered it wrong: on the x-io short walk the heading went 10 deg away
    // from plain gyro integration, and the loop closed at 2.7 % of the distance instead of 1.1 %. The gain's
    // rows for the attitude lose their component along nav "up"; the Joseph update keeps P consistent with that.
    bool heading_from_updates = false;
  };
  // Why position is not corrected (and so not an error state): a foot's velocity error appears mostly at the
  // impact, late in the stride, while the model assumes it grew all along, so correcting position from a
  // zero-velocity update moved footprints by tens of centimetres on real walks. The path is the integral of the
  // (smoothed) velocity instead.

  // The error-state transition F of one step. Most of F is identity or zero; only these 3x3 blocks vary:
  //   dv' = dv + C dth + D dba - C dbg dt/2     dth' = E dth - dt dbg     dba' = dba, dbg' = dbg
  // (a gyro bias error tilts the mid-step attitude that rotates the specific force by -dbg dt/2: the last term)
  // Keeping the blocks (not the 12x12 matrix) makes the covariance step several times cheaper and the smoother's
  // memory small.
  struct Transition {
    Eigen::Matrix3d C = Eigen::Matrix3d::Zero(), D = Eigen::Matrix3d::Zero(), E = Eigen::Matrix3d::Identity();
    double dt = 0;
    MatrixN dense() const;
    VectorN transpose_times(const VectorN& v) const;  // F^T v
    void propagate(MatrixN& P) const;                 // P <- F P F^T
  };

  struct State {
    Eigen::Vector3d p = Eigen::Vector3d::Zero();
    Eigen::Vector3d v = Eigen::Vector3d::Zero();
    Eigen::Quaterniond q = Eigen::Quaterniond::Identity();  // sensor -> nav
    Eigen::Vector3d acc_bias = Eigen::Vector3d::Zero();
    Eigen::Vector3d gyr_bias = Eigen::Vector3d::Zero();
  };

  ZuptEskf();
  explicit ZuptEskf(const Settings& settings);

  // Levels the filter from specific force at rest (roll, pitch); yaw is chosen so that `forward_sensor` (a sensor-
  // frame direction, e.g. the foot's forward axis) points along nav +x. Position 0, velocity 0.
  void initialise(const Eigen::Vector3d& acc_at_rest, const Eigen::Vector3d& forward_sensor,
                  const Eigen::Vector3d& gyr_bias);

  // Starts over from gravity at a standstill, keeping position and heading: after the gyroscope saturated, the
  // attitude and the bias estimate are wrong in ways no zero-velocity update can undo quickly.
  void relevel(const Eigen::Vector3d& acc_at_rest, const Eigen::Vector3d& gyr_bias);

  // An unmodelled velocity change of about this size may have happened now (an impact): lets the smoother put a
  // velocity error found at the next zero-velocity update where it arose instead of spreading it over the swing.
  void add_velocity_uncertainty(double sd_mps) { P_.block<3, 3>(0, 0) += Eigen::Matrix3d::Identity() * sd_mps * sd_mps; }

  // Strapdown step over dt with the measured specific force and rate; returns the transition F used (for smoothing).
  const Transition& predict(const Eigen::Vector3d& acc_mps2, const Eigen::Vector3d& gyr_rad_s, double dt);

  // Measurement updates. Each returns the error-state correction it applied (before injection and reset).
  VectorN update_zero_velocity(double sd_mps);
  // The same with a known velocity (nav frame) instead of zero: a foot that rolls over its contact in stance.
  VectorN update_velocity(const Eigen::Vector3d& v_nav, double sd_mps);
  VectorN update_zero_rate(const Eigen::Vector3d& gyr_rad_s, double sd_rad_s);

  // H^T S^-1 (innovation) of the latest update: what a Bryson-Frazier smoother carries backwards in time.
  const VectorN& last_information() const { return information_; }

  const State& state() const { return x_; }
  const MatrixN& covariance() const { return P_; }

  // The error-state transition for a nominal state and one IMU step (exposed for the numerical Jacobian test).
  static Transition transition_blocks(const State& x, const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr,
                                      double dt) {
    return transition_blocks(x, imu_step(x, acc, gyr, dt));
  }
  static MatrixN transition(const State& x, const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr, double dt) {
    return transition_blocks(x, acc, gyr, dt).dense();
  }
  // The nominal strapdown step alone.
  static State propagate(const State& x, const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr, double dt,
                         double gravity) {
    return propagate(x, imu_step(x, acc, gyr, dt), gravity);
  }
  // x (+) dx: the error injection.
  static State inject(const State& x, const VectorN& dx);

 private:
  // What the nominal step and F share, computed once per step by predict(): the body rotation over half a step
  // (the mid-step attitude is q * half, the end of the step q * half * half) and the specific force rotated into
  // the nav frame by the mid-step attitude.
  struct ImuStep {
    Eigen::Quaterniond half, mid;
    Eigen::Vector3d force_nav;
    double dt;
  };
  static ImuStep imu_step(const State& x, const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr, double dt);
  static Transition transition_blocks(const State& x, const ImuStep& step);
  static State propagate(const State& x, const ImuStep& step, double gravity);

  // The update of a measurement of error states O..O+2 (H = [0 .. I .. 0]) with noise SD `sd` per axis.
  template <int O>
  VectorN update_block(const Eigen::Vector3d& residual, double sd);

  Settings s_;
  State x_;
  MatrixN P_ = MatrixN::Identity();
  Transition F_;
  VectorN information_ = VectorN::Zero();
};

Eigen::Matrix3d skew(const Eigen::Vector3d& v);
Eigen::Quaterniond rotation_vector_to_quaternion(const Eigen::Vector3d& v);

}  // namespace stride
