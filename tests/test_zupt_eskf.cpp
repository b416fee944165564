// The error-state filter's transition matrix against numerical differentiation of the strapdown step, and the
// zero-velocity update's basic behaviour.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <random>

#include "analysis/zupt_eskf.hpp"

namespace stride {
namespace {

// x_b (-) x_a as an error-state vector (the inverse of inject).
ZuptEskf::VectorN difference(const ZuptEskf::State& b, const ZuptEskf::State& a) {
  ZuptEskf::VectorN d;
  d.segment<3>(0) = b.v - a.v;
  const Eigen::AngleAxisd r(a.q.inverse() * b.q);
  d.segment<3>(3) = r.axis() * r.angle();
  d.segment<3>(6) = b.acc_bias - a.acc_bias;
  d.segment<3>(9) = b.gyr_bias - a.gyr_bias;
  return d;
}

TEST(ZuptEskf, TransitionMatchesNumericalJacobian) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n(0.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    ZuptEskf::State x;
    x.p = {n(rng), n(rng), n(rng)};
    x.v = {n(rng), n(rng), n(rng)};
    x.q = Eigen::Quaterniond(n(rng), n(rng), n(rng), n(rng)).normalized();
    x.acc_bias = 0.1 * Eigen::Vector3d(n(rng), n(rng), n(rng));
    x.gyr_bias = 0.01 * Eigen::Vector3d(n(rng), n(rng), n(rng));
    const Eigen::Vector3d acc(20 * n(rng), 20 * n(rng), 9.8 + 20 * n(rng)), gyr(5 * n(rng), 5 * n(rng), 5 * n(rng));
    const double dt = 0.002;
    const auto F = ZuptEskf::transition(x, acc, gyr, dt);
    const auto base = ZuptEskf::propagate(x, acc, gyr, dt, 9.80665);
    ZuptEskf::MatrixN numeric;
    const double h = 1e-6;
    for (int j = 0; j < ZuptEskf::kN; ++j) {
      ZuptEskf::VectorN dx = ZuptEskf::VectorN::Zero();
      dx[j] = h;
      const auto plus = ZuptEskf::propagate(ZuptEskf::inject(x, dx), acc, gyr, dt, 9.80665);
      dx[j] = -h;
      const auto minus = ZuptEskf::propagate(ZuptEskf::inject(x, dx), acc, gyr, dt, 9.80665);
      numeric.col(j) = (difference(plus, base) - difference(minus, base)) / (2 * h);
    }
    // F is first order in dt (it drops the right Jacobian of the rotation, ~ |w| dt^2 / 2 = 2e-5 here); its
    // entries are ~dt = 2e-3 and ~|a| dt = 4e-2, so a wrong block or sign is far above this limit.
    EXPECT_LT((numeric - F).cwiseAbs().maxCoeff(), 5e-5) << "trial " << trial << "\nF=\n" << F << "\nnumeric=\n"
                                                         << numeric;
  }
}

TEST(ZuptEskf, ZeroVelocityUpdateRemovesVelocityAndLevelsTheFilter) {
  ZuptEskf f;
  const Eigen::Vector3d up(0.3, -0.2, 9.7);
  f.initialise(up, Eigen::Vector3d::UnitX(), Eigen::Vector3d::Zero());
  // Level: the measured specific force maps onto +z.
  EXPECT_LT(((f.state().q * up).normalized() - Eigen::Vector3d::UnitZ()).norm(), 1e-9);
  // A still sensor with a small tilt error: velocity grows from gravity leaking; ZUPTs bring it back.
  const Eigen::Vector3d tilted = Eigen::AngleAxisd(0.02, Eigen::Vector3d::UnitX()) * up;
  for (int i = 0; i < 2000; ++i) {
    f.predict(tilted, Eigen::Vector3d::Zero(), 0.005);
    f.update_zero_velocity(0.01);
  }
  EXPECT_LT(f.state().v.norm(), 1e-3);
  // At one orientation tilt and accelerometer bias cannot be told apart: the filter splits the error between them,
  // and what must vanish is the acceleration they leave after removing gravity.
  const Eigen::Vector3d residual = f.state().q * (tilted - f.state().acc_bias) - Eigen::Vector3d(0, 0, 9.80665);
  EXPECT_LT(residual.norm(), 0.01);
  // Covariance stays symmetric and positive.
  const auto& P = f.covariance();
  EXPECT_LT((P - P.transpose()).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_GT(Eigen::SelfAdjointEigenSolver<ZuptEskf::MatrixN>(P).eigenvalues().minCoeff(), 0.0);
}

TEST(ZuptEskf, RejectsBadSettings) {
  ZuptEskf::Settings s;
  s.acc_noise_mps2 = 0;
  EXPECT_THROW(ZuptEskf{s}, std::invalid_argument);
}


// The structured covariance step and F^T v equal their dense forms.
TEST(ZuptEskf, StructuredTransitionEqualsDense) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> n(0.0, 1.0);
  ZuptEskf::State x;
  x.q = Eigen::Quaterniond(n(rng), n(rng), n(rng), n(rng)).normalized();
  x.acc_bias = {0.1, -0.2, 0.05};
  const auto t = ZuptEskf::transition_blocks(x, {3, -4, 12}, {2, -1, 5}, 0.004);
  ZuptEskf::MatrixN L = ZuptEskf::MatrixN::Random();
  ZuptEskf::MatrixN P = L * L.transpose();
  const ZuptEskf::MatrixN dense = t.dense() * P * t.dense().transpose();
  t.propagate(P);
  EXPECT_LT((P - dense).cwiseAbs().maxCoeff(), 1e-12);
  const ZuptEskf::VectorN v = ZuptEskf::VectorN::Random();
  EXPECT_LT((t.transpose_times(v) - t.dense().transpose() * v).cwiseAbs().maxCoeff(), 1e-14);
}


// The structured zero-velocity and zero-rate updates (H P as rows of P, Joseph form as P + M + M^T) equal the dense
// Joseph form (I - KH) P (I - KH)^T + K R K^T with the same gain, heading rows removed as the filter does.
TEST(ZuptEskf, StructuredUpdatesEqualDenseJosephForm) {
  ZuptEskf f;
  f.initialise({0.4, -0.3, 9.7}, Eigen::Vector3d::UnitX(), Eigen::Vector3d::Zero());
  for (int i = 0; i < 300; ++i)  // a swing: P gets correlations between every block
    f.predict(f.state().q.conjugate() * Eigen::Vector3d(i < 150 ? 12.0 : -12.0, 2.0, 9.80665),
              Eigen::Vector3d(0.3, 2.0, -0.4), 0.002);
  for (int block : {0, 9}) {
    const ZuptEskf::MatrixN P = f.covariance();
    const Eigen::Vector3d gyr(0.01, -0.02, 0.005);
    const Eigen::Vector3d residual = block == 0 ? Eigen::Vector3d(-f.state().v) : Eigen::Vector3d(gyr - f.state().gyr_bias);
    const double sd = block == 0 ? 0.01 : 0.1;
    Eigen::Matrix<double, 3, ZuptEskf::kN> H = Eigen::Matrix<double, 3, ZuptEskf::kN>::Zero();
    H.block<3, 3>(0, block) = Eigen::Matrix3d::Identity();
    const Eigen::Matrix3d S = H * P * H.transpose() + Eigen::Matrix3d::Identity() * sd * sd;
    Eigen::Matrix<double, ZuptEskf::kN, 3> K = P * H.transpose() * S.inverse();
    const Eigen::Vector3d up = f.state().q.conjugate() * Eigen::Vector3d::UnitZ();
    K.middleRows<3>(3) -= up * (up.transpose() * K.middleRows<3>(3));
    const ZuptEskf::MatrixN IKH = ZuptEskf::MatrixN::Identity() - K * H;
    const ZuptEskf::MatrixN want = IKH * P * IKH.transpose() + sd * sd * K * K.transpose();
    const ZuptEskf::VectorN dx = block == 0 ? f.update_zero_velocity(sd) : f.update_zero_rate(gyr, sd);
    EXPECT_LT((dx - K * residual).cwiseAbs().maxCoeff(), 1e-12 * (1 + residual.norm())) << "block " << block;
    // Relative to P's largest entry: the update removes most of the measured block's variance, so a wrong term
    // (a sign, a missing K S K^T) is of the order of P itself.
    EXPECT_LT((f.covariance() - want).cwiseAbs().maxCoeff(), 1e-12 * P.cwiseAbs().maxCoeff()) << "block " << block;
    EXPECT_TRUE(f.covariance() == f.covariance().transpose()) << "block " << block;  // exactly symmetric
  }
}

// The turn about nav "up" that takes `before` to `after` (both sensor -> nav).
double turn_about_up(const Eigen::Quaterniond& before, const Eigen::Quaterniond& after) {
  const Eigen::AngleAxisd d(after * before.conjugate());
  return d.angle() * d.axis().z();
}

// After a swing with horizontal acceleration, velocity and heading errors are correlated; a zero-velocity update
// may then level the foot but must not turn it (unless asked to).
TEST(ZuptEskf, VelocityUpdatesDoNotTurnTheHeading) {
  for (bool heading_from_updates : {false, true}) {
    ZuptEskf::Settings s;
    s.heading_from_updates = heading_from_updates;
    ZuptEskf f(s);
    const Eigen::Vector3d up(0.5, -0.3, 9.78);
    f.initialise(up, Eigen::Vector3d::UnitX(), Eigen::Vector3d::Zero());
    // A swing: forward then backward acceleration with some rotation, and a small gyro error so velocity drifts.
    for (int i = 0; i < 200; ++i) {
      const double a = i < 100 ? 15.0 : -15.0;
      f.predict(f.state().q.conjugate() * Eigen::Vector3d(a, 3.0, 9.80665), Eigen::Vector3d(0.2, 0.5, 0.3), 0.002);
    }
    const Eigen::Quaterniond before = f.state().q;
    f.update_zero_velocity(0.01);
    const double turned = std::abs(turn_about_up(before, f.state().q));
    EXPECT_GT(Eigen::AngleAxisd(f.state().q * before.conjugate()).angle(), 1e-3);  // it did level the foot
    if (heading_from_updates)
      EXPECT_GT(turned, 1e-4);  // the correlation is there: the unrestricted update does turn it
    else
      EXPECT_LT(turned, 1e-9);
  }
}


// The small-angle series and the trigonometric form agree on both sides of the switch between them.
TEST(ZuptEskf, RotationVectorSeriesMatchesAngleAxis) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> n(0.0, 1.0);
  for (double angle : {0.0, 1e-9, 1e-4, 0.01, 0.05, 0.0999, 0.1001, 0.5, 3.0}) {
    Eigen::Vector3d axis(n(rng), n(rng), n(rng));
    axis.normalize();
    const Eigen::Quaterniond got = rotation_vector_to_quaternion(angle * axis);
    const Eigen::Quaterniond want(Eigen::AngleAxisd(angle, axis));
    EXPECT_LT((got.coeffs() - want.coeffs()).cwiseAbs().maxCoeff(), 1e-12) << "angle " << angle;
    EXPECT_NEAR(got.norm(), 1.0, 1e-12) << "angle " << angle;
  }
}

}  // namespace
}  // namespace stride
