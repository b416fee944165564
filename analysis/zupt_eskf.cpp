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
  const double angle = v.norm();
  if (angle < 1e-12) return Eigen::Quaterniond(1, 0.5 * v.x(), 0.5 * v.y(), 0.5 * v.z()).normalized();
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
  P_.block<3, 3>(0, 0) = Eigen::Matrix3d::Identity() * 1e-8;
  P_.block<3, 3>(3, 3) = Eigen::Matrix3d::Identity() * 1e-6;
  // Roll and pitch are uncertain, yaw is defined (not estimated). That is a statement in the nav frame; the error
  // state is a body-frame rotation, so rotate the covariance into the sensor's axes.
  const Eigen::Vector3d nav_sd(s_.initial_attitude_sd_rad, s_.initial_attitude_sd_rad, 1e-4);
  const Eigen::Matrix3d R = x_.q.toRotationMatrix();
  P_.block<3, 3>(6, 6) = R.transpose() * nav_sd.cwiseAbs2().asDiagonal() * R;
  P_.block<3, 3>(9, 9) = Eigen::Matrix3d::Identity() * s_.initial_acc_bias_sd_mps2 * s_.initial_acc_bias_sd_mps2;
  P_.block<3, 3>(12, 12) = Eigen::Matrix3d::Identity() * s_.initial_gyr_bias_sd_rad_s * s_.initial_gyr_bias_sd_rad_s;
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
  P_.block<3, 3>(6, 6) = R.transpose() * nav_sd.cwiseAbs2().asDiagonal() * R;
}

ZuptEskf::State ZuptEskf::propagate(const State& x, const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr, double dt,
                                    double gravity) {
  State n = x;
  const Eigen::Vector3d a = x.q * (acc - x.acc_bias) + Eigen::Vector3d(0, 0, -gravity);
  n.p = x.p + x.v * dt + 0.5 * a * dt * dt;
  n.v = x.v + a * dt;
  n.q = (x.q * rotation_vector_to_quaternion((gyr - x.gyr_bias) * dt)).normalized();
  return n;
}

ZuptEskf::Transition ZuptEskf::transition_blocks(const State& x, const Eigen::Vector3d& acc,
                                                 const Eigen::Vector3d& gyr, double dt) {
  const Eigen::Matrix3d R = x.q.toRotationMatrix();
  Transition t;
  t.dt = dt;
  t.C = -R * skew(acc - x.acc_bias) * dt;
  t.D = -R * dt;
  t.A = 0.5 * t.C * dt;
  t.B = 0.5 * t.D * dt;
  t.E = rotation_vector_to_quaternion((gyr - x.gyr_bias) * dt).toRotationMatrix().transpose();
  return t;
}

Eigen::Matrix<double, 15, 15> ZuptEskf::Transition::dense() const {
  Matrix15 F = Matrix15::Identity();
  F.block<3, 3>(0, 3) = Eigen::Matrix3d::Identity() * dt;
  F.block<3, 3>(0, 6) = A;
  F.block<3, 3>(0, 9) = B;
  F.block<3, 3>(3, 6) = C;
  F.block<3, 3>(3, 9) = D;
  F.block<3, 3>(6, 6) = E;
  F.block<3, 3>(6, 12) = -Eigen::Matrix3d::Identity() * dt;
  return F;
}

Eigen::Matrix<double, 15, 1> ZuptEskf::Transition::transpose_times(const Eigen::Matrix<double, 15, 1>& v) const {
  Vector15 r;
  const auto v0 = v.segment<3>(0), v1 = v.segment<3>(3), v2 = v.segment<3>(6);
  r.segment<3>(0) = v0;
  r.segment<3>(3) = dt * v0 + v1;
  r.segment<3>(6) = A.transpose() * v0 + C.transpose() * v1 + E.transpose() * v2;
  r.segment<3>(9) = B.transpose() * v0 + D.transpose() * v1 + v.segment<3>(9);
  r.segment<3>(12) = -dt * v2 + v.segment<3>(12);
  return r;
}

void ZuptEskf::Transition::propagate(Eigen::Matrix<double, 15, 15>& P) const {
  // G = F P, row blocks (rows 9..14 are unchanged).
  Eigen::Matrix<double, 9, 15> G;
  G.middleRows<3>(0) = P.middleRows<3>(0) + dt * P.middleRows<3>(3) + A.lazyProduct(P.middleRows<3>(6)) +
                       B.lazyProduct(P.middleRows<3>(9));
  G.middleRows<3>(3) = P.middleRows<3>(3) + C.lazyProduct(P.middleRows<3>(6)) + D.lazyProduct(P.middleRows<3>(9));
  G.middleRows<3>(6) = E.lazyProduct(P.middleRows<3>(6)) - dt * P.middleRows<3>(12);
  P.topRows<9>() = G;
  // P = (F P) F^T, column blocks (columns 9..14 are unchanged).
  Eigen::Matrix<double, 15, 9> H;
  H.middleCols<3>(0) = P.middleCols<3>(0) + dt * P.middleCols<3>(3) + P.middleCols<3>(6).lazyProduct(A.transpose()) +
                       P.middleCols<3>(9).lazyProduct(B.transpose());
  H.middleCols<3>(3) = P.middleCols<3>(3) + P.middleCols<3>(6).lazyProduct(C.transpose()) +
                       P.middleCols<3>(9).lazyProduct(D.transpose());
  H.middleCols<3>(6) = P.middleCols<3>(6).lazyProduct(E.transpose()) - dt * P.middleCols<3>(12);
  P.leftCols<9>() = H;
}

ZuptEskf::State ZuptEskf::inject(const State& x, const Vector15& dx) {
  State n = x;
  n.p += dx.segment<3>(0);
  n.v += dx.segment<3>(3);
  n.q = (x.q * rotation_vector_to_quaternion(dx.segment<3>(6))).normalized();
  n.acc_bias += dx.segment<3>(9);
  n.gyr_bias += dx.segment<3>(12);
  return n;
}

const ZuptEskf::Transition& ZuptEskf::predict(const Eigen::Vector3d& acc, const Eigen::Vector3d& gyr, double dt) {
  F_ = transition_blocks(x_, acc, gyr, dt);
  x_ = propagate(x_, acc, gyr, dt, s_.gravity_mps2);
  F_.propagate(P_);
  const double qa = s_.acc_noise_mps2 * dt, qg = s_.gyr_noise_rad_s * dt;
  for (int i = 0; i < 3; ++i) {
    P_(3 + i, 3 + i) += qa * qa;
    P_(6 + i, 6 + i) += qg * qg;
    P_(9 + i, 9 + i) += s_.acc_bias_walk_mps2_s * s_.acc_bias_walk_mps2_s * dt;
    P_(12 + i, 12 + i) += s_.gyr_bias_walk_rad_s_s * s_.gyr_bias_walk_rad_s_s * dt;
  }
  return F_;
}

template <int M>
ZuptEskf::Vector15 ZuptEskf::update(const Eigen::Matrix<double, M, 1>& residual,
                                    const Eigen::Matrix<double, M, kN>& H, double sd) {
  const Eigen::Matrix<double, M, kN> HP = H.lazyProduct(P_);
  const Eigen::Matrix<double, M, M> S = HP.lazyProduct(H.transpose()) + Eigen::Matrix<double, M, M>::Identity() * sd * sd;
  const Eigen::Matrix<double, M, M> S_inv = S.inverse();
  information_ = H.transpose() * (S_inv * residual);
  Eigen::Matrix<double, kN, M> K = HP.transpose().lazyProduct(S_inv);  // P H^T S^-1 (P is symmetric)
  if (!s_.correct_position) K.template topRows<3>().setZero();
  const Vector15 dx = K * residual;
  // Joseph form, (I - KH) P (I - KH)^T + K R K^T, in two steps that use H's few columns: it stays valid for the
  // gain with its position rows removed, keeps P positive, and costs a fraction of two dense 15x15 products.
  const Matrix15 A = P_ - K.lazyProduct(HP);                                       // (I - KH) P
  const Eigen::Matrix<double, kN, M> AHt = A.lazyProduct(H.transpose());           // (I - KH) P H^T
  P_ = A - AHt.lazyProduct(K.transpose()) + (sd * sd) * K.lazyProduct(K.transpose());
  P_ = 0.5 * (P_ + P_.transpose()).eval();
  x_ = inject(x_, dx);
  return dx;
}

ZuptEskf::Vector15 ZuptEskf::update_zero_velocity(double sd_mps) {
  Eigen::Matrix<double, 3, kN> H = Eigen::Matrix<double, 3, kN>::Zero();
  H.block<3, 3>(0, 3) = Eigen::Matrix3d::Identity();
  return update<3>(-x_.v, H, sd_mps);
}

ZuptEskf::Vector15 ZuptEskf::update_zero_rate(const Eigen::Vector3d& gyr, double sd_rad_s) {
  Eigen::Matrix<double, 3, kN> H = Eigen::Matrix<double, 3, kN>::Zero();
  H.block<3, 3>(0, 12) = Eigen::Matrix3d::Identity();
  return update<3>(gyr - x_.gyr_bias, H, sd_rad_s);
}

}  // namespace stride
