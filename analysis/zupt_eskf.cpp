#include "analysis/zupt_eskf.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace stride {

Eigen::Matrix3d skew(const Eigen::Vector3d& v) {
  Eigen::Matrix3d m;
  m << 0, -v.z(), v.y(), v.z(), 0, -v.x(), -v.y(), v.x(), 0;
  return m;
}

Eigen::Quaterniond rotation_vector_to_quaternion(const Eigen::Vector3d& v) {
  const double a2 = v.squaredNorm();
  // One IMU step turns by well under 0.1 rad: there the series (cos, sin of a/2 to 6th order; error < 1e-11) is
  // exact in double and needs no sin, cos or square root, which took a fifth of the trajectory stage's time.
  // The coefficients are reciprocals multiplied, not divisions: the compiler may not turn x / 48 into a product
  // (it rounds differently), and six dependent divisions were a third of this function's time.
  if (a2 < 0.01) {
    constexpr double c8 = 1.0 / 8, c48 = 1.0 / 48, c120 = 1.0 / 120, c24 = 1.0 / 24, c80 = 1.0 / 80, c168 = 1.0 / 168;
    const double w = 1 - a2 * c8 * (1 - a2 * c48 * (1 - a2 * c120));
    const double k = 0.5 * (1 - a2 * c24 * (1 - a2 * c80 * (1 - a2 * c168)));
    return Eigen::Quaterniond(w, k * v.x(), k * v.y(), k * v.z());
  }
  const double angle = std::sqrt(a2);
  return Eigen::Quaterniond(Eigen::AngleAxisd(angle, v / angle));
}

ZuptEskf::ZuptEskf() : ZuptEskf(Settings{}) {}

ZuptEskf::ZuptEskf(const Settings& s) : s_(s) {
  const auto positive = [](double v, const char* name) {
    if (!(v > 0)) throw std::invalid_argument(std::string("ZuptEskf: ") + name + " = " + std::to_string(v) + " must be > 0");
  };
  positive(s.gravity_mps2, "gravity_mps2");
  positive(s.acc_noise_mps2, "acc_noise_mps2");
  positive(s.gyr_noise_rad_s, "gyr_noise_rad_s");
  positive(s.acc_bias_walk_mps2_s, "acc_bias_walk_mps2_s");
  positive(s.gyr_bias_walk_rad_s_s, "gyr_bias_walk_rad_s_s");
  positive(s.initial_attitude_sd_rad, "initial_attitude_sd_rad");
  positive(s.initial_acc_bias_sd_mps2, "initial_acc_bias_sd_mps2");
  positive(s.initial_gyr_bias_sd_rad_s, "initial_gyr_bias_sd_rad_s");
}

void ZuptEskf::initialise(const Eigen::Vector3d& acc, const Eigen::Vector3d& forward_sensor,
                          const Eigen::Vector3d& gyr_bias) {
  // Level: the rotation taking measured "up" onto nav z; then turn about z so the forward axis points along x.
  Eigen::Quaterniond level = Eigen::Quaterniond::FromTwoVectors(acc.normalized(), Eigen::Vector3d::UnitZ());
  Eigen::Vector3d fwd = level * forward_sensor;
  const double yaw = std::atan2(fwd.y(), fwd.x());
  x_ = State{};
  x_.q = (Eigen::AngleAxisd(-yaw, Eigen::Vector3d::UnitZ()) * level).normalized();
  x_.gyr_bias = gyr_bias;
  P_.setZero();
  P_.block<3, 3>(0, 0) = Eigen::Matrix3d::Identity() * 1e-6;
  // Roll and pitch are uncertain, yaw is defined (not estimated). That is a statement in the nav frame; the error
  // state is a body-frame rotation, so rotate the covariance into the sensor's axes.
  const Eigen::Vector3d nav_sd(s_.initial_attitude_sd_rad, s_.initial_attitude_sd_rad, 1e-4);
  const Eigen::Matrix3d R = x_.q.toRotationMatrix();
  P_.block<3, 3>(3, 3) = R.transpose() * nav_sd.cwiseAbs2().asDiagonal() * R;
  P_.block<3, 3>(6, 6) = Eigen::Matrix3d::Identity() * s_.initial_acc_bias_sd_mps2 * s_.initial_acc_bias_sd_mps2;
  P_.block<3, 3>(9, 9) = Eigen::Matrix3d::Identity() * s_.initial_gyr_bias_sd_rad_s * s_.initial_gyr_bias_sd_rad_s;
}

void ZuptEskf::relevel(const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr_bias) {
  const Eigen::Vector3d p = x_.p;
  // The heading of the sensor's current forward (its x axis projected on the horizontal) is kept.
  const Eigen::Vector3d fwd_nav = x_.q * Eigen::Vector3d::UnitX();
  const Eigen::Quaterniond level = Eigen::Quaterniond::FromTwoVectors(acc.normalized(), Eigen::Vector3d::UnitZ());
  const Eigen::Vector3d fwd_level = level * Eigen::Vector3d::UnitX();
  const double yaw = std::atan2(fwd_nav.y(), fwd_nav.x()) - std::atan2(fwd_level.y(), fwd_level.x());
  initialise(acc, level.inverse() * Eigen::Vector3d::UnitX(), gyr_bias);
  x_.q = (Eigen::AngleAxisd(yaw, Eigen::Vector3d::UnitZ()) * level).normalized();
  x_.p = p;
  const Eigen::Vector3d nav_sd(s_.initial_attitude_sd_rad, s_.initial_attitude_sd_rad, 1e-4);
  const Eigen::Matrix3d R = x_.q.toRotationMatrix();
  P_.block<3, 3>(3, 3) = R.transpose() * nav_sd.cwiseAbs2().asDiagonal() * R;
}

ZuptEskf::ImuStep ZuptEskf::imu_step(const State& x, const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr,
                                     double dt) {
  // `acc` is the step's mean specific force (the caller averages the step's two samples), so it is rotated by the
  // mid-step attitude. With the start-of-step attitude the force lags the rotation by dt/2: a swinging foot turns at
  // up to 10 rad/s, which tilts it by ~1.4 deg at 200 Hz and leaks gravity into the horizontal every swing. Measured
  // (stride length bias, this change alone): simulator grid 200 Hz -1.4 -> 0.0 cm, 500 Hz -0.9 -> -0.2 cm;
  // MicroStrain walks 31-36 -3.9 -> -2.9 cm; gaitmap walk -1.9 -> -0.9 cm. It grows with 1/rate (100 Hz was -3.1).
  ImuStep s;
  s.half = rotation_vector_to_quaternion((gyr - x.gyr_bias) * (0.5 * dt));
  s.mid = x.q * s.half;
  s.force_nav = s.mid * (acc - x.acc_bias);
  s.dt = dt;
  return s;
}

ZuptEskf::State ZuptEskf::propagate(const State& x, const ImuStep& step, double gravity) {
  State n = x;
  const double dt = step.dt;
  const Eigen::Vector3d a = step.force_nav + Eigen::Vector3d(0, 0, -gravity);
  n.p = x.p + x.v * dt + 0.5 * a * dt * dt;
  n.v = x.v + a * dt;
  n.q = (step.mid * step.half).normalized();
  return n;
}

ZuptEskf::Transition ZuptEskf::transition_blocks(const State& x, const ImuStep& step) {
  // Velocity uses the mid-step attitude q h (h = half of dq, see imu_step): a start-of-step error q Exp(dth) turns
  // q h f into q h f - R [h f]x dth, and a bias error moves f by -dba. R [u]x = [R u]x R, and R h f is the nav
  // force the nominal step already has, so C needs one 3x3 product; R H is the mid-step attitude's matrix and
  // (H H)^T that of the whole step's rotation, inverted: no product of rotation matrices.
  Transition t;
  t.dt = step.dt;
  t.C = (-step.dt * skew(step.force_nav)).lazyProduct(x.q.toRotationMatrix());
  t.D = -step.dt * step.mid.toRotationMatrix();
  t.E = (step.half * step.half).conjugate().toRotationMatrix();
  return t;
}

ZuptEskf::MatrixN ZuptEskf::Transition::dense() const {
  MatrixN F = MatrixN::Identity();
  F.block<3, 3>(0, 3) = C;
  F.block<3, 3>(0, 6) = D;
  F.block<3, 3>(0, 9) = -0.5 * dt * C;
  F.block<3, 3>(3, 3) = E;
  F.block<3, 3>(3, 9) = -Eigen::Matrix3d::Identity() * dt;
  return F;
}

ZuptEskf::VectorN ZuptEskf::Transition::transpose_times(const VectorN& v) const {
  VectorN r;
  const auto v0 = v.segment<3>(0), v1 = v.segment<3>(3);
  const Eigen::Vector3d Ct_v0 = C.transpose() * v0;
  r.segment<3>(0) = v0;
  r.segment<3>(3) = Ct_v0 + E.transpose() * v1;
  r.segment<3>(6) = D.transpose() * v0 + v.segment<3>(6);
  r.segment<3>(9) = -dt * (v1 + 0.5 * Ct_v0) + v.segment<3>(9);
  return r;
}

void ZuptEskf::Transition::propagate(MatrixN& P) const {
  // P is symmetric and F's bias rows are identity, so of F P F^T only two parts are new: the velocity/attitude
  // rows against the biases (rows 0..5, columns 6..11: G = F P there, F^T being identity in those columns; their
  // mirror is the transpose) and the 6x6 velocity/attitude block (G F^T, one triangle of 3x3 blocks). The bias
  // block (6..11, 6..11) is unchanged. That is 4 block products fewer than F P F^T by rows and columns, and the
  // result is exactly symmetric.
  // G = rows 0..5 of F P.
  Eigen::Matrix<double, 6, kN> G;
  G.middleRows<3>(0) = P.middleRows<3>(0) + C.lazyProduct(P.middleRows<3>(3) - 0.5 * dt * P.middleRows<3>(9)) +
                       D.lazyProduct(P.middleRows<3>(6));
  G.middleRows<3>(3) = E.lazyProduct(P.middleRows<3>(3)) - dt * P.middleRows<3>(9);
  // The 6x6 block G F^T: its upper 3x3 blocks (vv, vt, tt); (tv) is vt transposed.
  const auto Gv = G.topRows<3>();
  const Eigen::Matrix3d vv = Gv.middleCols<3>(0) +
                             (Gv.middleCols<3>(3) - 0.5 * dt * Gv.middleCols<3>(9)).lazyProduct(C.transpose()) +
                             Gv.middleCols<3>(6).lazyProduct(D.transpose());
  const Eigen::Matrix3d vt = Gv.middleCols<3>(3).lazyProduct(E.transpose()) - dt * Gv.middleCols<3>(9);
  const Eigen::Matrix3d tt = G.block<3, 3>(3, 3).lazyProduct(E.transpose()) - dt * G.block<3, 3>(3, 9);
  P.topRightCorner<6, 6>() = G.rightCols<6>();
  P.bottomLeftCorner<6, 6>() = G.rightCols<6>().transpose();
  P.block<3, 3>(0, 3) = vt;
  P.block<3, 3>(3, 0) = vt.transpose();
  // vv and tt are symmetric up to rounding: keep their upper triangles so that P stays exactly symmetric.
  P.block<3, 3>(0, 0).triangularView<Eigen::Upper>() = vv;
  P.block<3, 3>(0, 0).triangularView<Eigen::StrictlyLower>() = vv.transpose();
  P.block<3, 3>(3, 3).triangularView<Eigen::Upper>() = tt;
  P.block<3, 3>(3, 3).triangularView<Eigen::StrictlyLower>() = tt.transpose();
}

ZuptEskf::State ZuptEskf::inject(const State& x, const VectorN& dx) {
  State n = x;
  n.v += dx.segment<3>(0);
  n.q = (x.q * rotation_vector_to_quaternion(dx.segment<3>(3))).normalized();
  n.acc_bias += dx.segment<3>(6);
  n.gyr_bias += dx.segment<3>(9);
  return n;
}

const ZuptEskf::Transition& ZuptEskf::predict(const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr, double dt) {
  const ImuStep step = imu_step(x_, acc, gyr, dt);
  F_ = transition_blocks(x_, step);
  x_ = propagate(x_, step, s_.gravity_mps2);
  F_.propagate(P_);
  const double qa = s_.acc_noise_mps2 * dt, qg = s_.gyr_noise_rad_s * dt;
  for (int i = 0; i < 3; ++i) {
    P_(i, i) += qa * qa;
    P_(3 + i, 3 + i) += qg * qg;
    P_(6 + i, 6 + i) += s_.acc_bias_walk_mps2_s * s_.acc_bias_walk_mps2_s * dt;
    P_(9 + i, 9 + i) += s_.gyr_bias_walk_rad_s_s * s_.gyr_bias_walk_rad_s_s * dt;
  }
  return F_;
}

template <int O>
ZuptEskf::VectorN ZuptEskf::update_block(const Eigen::Vector3d& residual, double sd) {
  // H = [0 .. I .. 0] with the identity at columns O..O+2, so H P = B (three rows of P), H P H^T is a 3x3 block
  // of P and the gain is 12x3: no product with H is ever formed and nothing larger than 3x3 is inverted.
  const Eigen::Matrix<double, 3, kN> B = P_.middleRows<3>(O);
  const Eigen::Matrix3d S = P_.block<3, 3>(O, O) + Eigen::Matrix3d::Identity() * (sd * sd);
  const Eigen::Matrix3d S_inv = S.inverse();
  const Eigen::Vector3d innovation = S_inv * residual;
  information_.setZero();
  information_.segment<3>(O) = innovation;  // H^T S^-1 r
  Eigen::Matrix<double, kN, 3> K = B.transpose().lazyProduct(S_inv);  // P H^T S^-1 (P is symmetric)
  if (!s_.heading_from_updates) {
    const Eigen::Vector3d up = x_.q.conjugate() * Eigen::Vector3d::UnitZ();  // nav "up" in the body frame
    K.middleRows<3>(3) -= up * (up.transpose() * K.middleRows<3>(3));
  }
  const VectorN dx = K * residual;
  // Joseph form, (I - KH) P (I - KH)^T + K R K^T, which holds for any gain (this one is not optimal once its
  // heading rows are removed). With H P = B and H P H^T + R = S it expands to P - K B - B^T K^T + K S K^T
  // = P + M + M^T with M = (K S / 2 - B^T) K^T: one 12x3 by 3x12 product, and P stays exactly symmetric.
  const Eigen::Matrix<double, kN, 3> U = 0.5 * K.lazyProduct(S) - B.transpose();
  const MatrixN M = U.lazyProduct(K.transpose());
  P_ += M + M.transpose();
  x_ = inject(x_, dx);
  return dx;
}

ZuptEskf::VectorN ZuptEskf::update_zero_velocity(double sd_mps) { return update_block<0>(-x_.v, sd_mps); }

ZuptEskf::VectorN ZuptEskf::update_velocity(const Eigen::Vector3d& v_nav, double sd_mps) {
  return update_block<0>(v_nav - x_.v, sd_mps);
}

ZuptEskf::VectorN ZuptEskf::update_zero_rate(const Eigen::Vector3d& gyr, double sd_rad_s) {
  return update_block<9>(gyr - x_.gyr_bias, sd_rad_s);
}

}  // namespace stride
