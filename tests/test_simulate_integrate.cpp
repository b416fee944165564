// The simulator's signals integrate back to its own trajectory: gyro -> orientation, specific force -> position.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <cstdio>
#include <vector>

#include "sim_fixtures.hpp"
#include "stride/simulate.hpp"

namespace stride::sim {
namespace {

constexpr double kG = 9.80665;

Settings noise_free(bool running) { return test::noise_free_settings(running); }

struct IntegrationErrors {
  double max_pos_at_ic_m = 0.0;    // after each stride (at every IC)
  double max_pos_m = 0.0;          // anywhere
  double max_angle_deg = 0.0;
  double max_vel_mps = 0.0;
};

// Strapdown integration from the true initial state: RK4 for the quaternion, and for velocity and position the
// exact integral of a cubic through the nearest samples. Across a true IC or TC (the contact force starts, the
// toe lifts: the acceleration jumps) and the stance joints (the jerk jumps) each side uses only its own samples,
// so a known discontinuity is not smeared over a sample interval. Without that, one 1 ms interval straddling an
// impact (~100 m/s^2 jump) alone gives up to 5 cm/s of velocity error.
IntegrationErrors integrate_back(const Result& r) {
  const auto& x = r.truth.trajectory;
  const auto& smp = r.recording.samples;
  const std::size_t n = smp.size();
  std::vector<Eigen::Quaterniond> q(n);
  q[0] = x[0].q_world_sensor;
  // RK4 on q' = q (0, w/2), with w at the interval's middle from a cubic through the four nearest samples.
  auto rate = [&](const Eigen::Quaterniond& qq, const Eigen::Vector3d& w) {
    return Eigen::Vector4d((qq * Eigen::Quaterniond(0.0, 0.5 * w.x(), 0.5 * w.y(), 0.5 * w.z())).coeffs());
  };
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double dt = smp[k + 1].t_s - smp[k].t_s;
    const Eigen::Vector3d& w0 = smp[k].gyr_rad_s;
    const Eigen::Vector3d& w1 = smp[k + 1].gyr_rad_s;
    Eigen::Vector3d wm = 0.5 * (w0 + w1);
    if (k >= 1 && k + 2 < n) wm = (9.0 * (w0 + w1) - smp[k - 1].gyr_rad_s - smp[k + 2].gyr_rad_s) / 16.0;
    const Eigen::Vector4d q0 = q[k].coeffs();
    auto at = [](const Eigen::Vector4d& c) { return Eigen::Quaterniond(c); };
    const Eigen::Vector4d k1 = rate(q[k], w0);
    const Eigen::Vector4d k2 = rate(at(q0 + 0.5 * dt * k1), wm);
    const Eigen::Vector4d k3 = rate(at(q0 + 0.5 * dt * k2), wm);
    const Eigen::Vector4d k4 = rate(at(q0 + dt * k3), w1);
    q[k + 1] = at(q0 + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)).normalized();
  }
  std::vector<Eigen::Vector3d> a(n);
  for (std::size_t k = 0; k < n; ++k) a[k] = q[k] * smp[k].acc_mps2 + Eigen::Vector3d(0.0, 0.0, -kG);

  std::vector<double> events(r.truth.ic_s);
  events.insert(events.end(), r.truth.tc_s.begin(), r.truth.tc_s.end());
  for (const auto& st : r.truth.strides) {  // joints where the jerk jumps (end of loading, start of push-off)
    events.push_back(st.foot_flat_s);
    events.push_back(st.heel_off_s);
  }
  events.push_back(-1e300);
  events.push_back(1e300);
  std::sort(events.begin(), events.end());

  IntegrationErrors e;
  Eigen::Vector3d p = x[0].pos_m, v = x[0].vel_mps;
  // Integrates over [ta, tb] the polynomial through the (up to 4) samples nearest to it that lie on the same side
  // of every event, i.e. in [lo, hi): velocity and position exactly for that polynomial (3-point Gauss).
  auto piece = [&](std::size_t k, double ta, double tb, double lo, double hi) {
    std::vector<std::size_t> idx;
    const double mid = 0.5 * (ta + tb);
    for (std::size_t j = k >= 3 ? k - 3 : 0; j <= k + 4 && j < n; ++j)
      if (smp[j].t_s >= lo && smp[j].t_s < hi) idx.push_back(j);
    std::sort(idx.begin(), idx.end(), [&](std::size_t i, std::size_t j) {
      return std::abs(smp[i].t_s - mid) < std::abs(smp[j].t_s - mid);
    });
    const int m = static_cast<int>(std::min<std::size_t>(idx.size(), 4));
    auto acc_at = [&](double t) {
      Eigen::Vector3d sum = Eigen::Vector3d::Zero();
      for (int i = 0; i < m; ++i) {
        double w = 1.0;
        for (int j = 0; j < m; ++j)
          if (j != i) w *= (t - smp[idx[j]].t_s) / (smp[idx[i]].t_s - smp[idx[j]].t_s);
        sum += w * a[idx[i]];
      }
      return sum;
    };
    const double d = tb - ta;
    const double gx[3] = {-std::sqrt(0.6), 0.0, std::sqrt(0.6)}, gw[3] = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};
    Eigen::Vector3d dv = Eigen::Vector3d::Zero(), dp = Eigen::Vector3d::Zero();
    for (int g = 0; g < 3; ++g) {
      const double t = mid + 0.5 * d * gx[g];
      const Eigen::Vector3d at = acc_at(t);
      dv += 0.5 * d * gw[g] * at;
      dp += 0.5 * d * gw[g] * (tb - t) * at;
    }
    p += v * d + dp;
    v += dv;
  };
  std::size_t ev = 0, ic_index = 0;
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double t0 = smp[k].t_s, t1 = smp[k + 1].t_s;
    while (events[ev + 1] <= t0) ++ev;  // events[ev] <= t0 < events[ev + 1]
    if (events[ev + 1] <= t1) {
      const double te = events[ev + 1];
      piece(k, t0, te, events[ev], te);
      piece(k, te, t1, te, events[ev + 2]);
    } else {
      piece(k, t0, t1, events[ev], events[ev + 1]);
    }
    const double pos_err = (p - x[k + 1].pos_m).norm();
    e.max_pos_m = std::max(e.max_pos_m, pos_err);
    e.max_vel_mps = std::max(e.max_vel_mps, (v - x[k + 1].vel_mps).norm());
    e.max_angle_deg =
        std::max(e.max_angle_deg, q[k + 1].angularDistance(x[k + 1].q_world_sensor) * 180.0 / std::numbers::pi);
    while (ic_index < r.truth.ic_s.size() && r.truth.ic_s[ic_index] <= t1) {
      e.max_pos_at_ic_m = std::max(e.max_pos_at_ic_m, pos_err);
      ++ic_index;
    }
  }
  return e;
}

void print_errors(const char* what, const IntegrationErrors& e) {
  std::printf("%s: pos err at ICs %.3f mm, anywhere %.3f mm, vel %.4f m/s, angle %.5f deg\n", what,
              e.max_pos_at_ic_m * 1e3, e.max_pos_m * 1e3, e.max_vel_mps, e.max_angle_deg);
}

// The running recording both running tests integrate back (seed 7, 20 strides, 17 s, mounted at random), with the
// impact's onset as given: 0 is a step in the deceleration, else its rise time.
IntegrationErrors running_errors(const char* what, double impact_rise_s) {
  Settings s = noise_free(true);
  s.random_mounting = true;
  s.seed = 7;
  s.impact_rise_s = impact_rise_s;
  const IntegrationErrors e = integrate_back(simulate(s));
  print_errors(what, e);
  return e;
}

TEST(SimulateIntegrate, RunningSignalsIntegrateBackToTheTrajectory) {
  const IntegrationErrors e = running_errors("running", 0.0);
  // Measured: 17.6 mm at the last IC (the error grows ~quadratically from ~1e-4 m/s of velocity error per impact:
  // the step's jump falls between samples), 0.0004 deg.
  EXPECT_LT(e.max_pos_at_ic_m, 0.020);
  EXPECT_LT(e.max_pos_m, 0.020);
  EXPECT_LT(e.max_angle_deg, 0.002);
}

// The smooth impact onset (impact_rise_s): its deceleration, velocity and sink are three closed-form integrals of
// one another (simulator/impact_pulse.hpp); integrating the samples back checks that they agree.
TEST(SimulateIntegrate, SmoothImpactOnsetIntegratesBackToTheTrajectory) {
  const IntegrationErrors e = running_errors("running, 10 ms impact rise", 0.010);
  // Measured: 2.66 mm at the ICs, 2.80 mm anywhere, 0.0004 deg (the same rotation as the step's): the bounds sit
  // just above, so a pulse whose sink disagreed with its deceleration by a fraction of a millimetre shows.
  EXPECT_LT(e.max_pos_at_ic_m, 0.003);
  EXPECT_LT(e.max_pos_m, 0.003);
  EXPECT_LT(e.max_angle_deg, 0.0005);
}

TEST(SimulateIntegrate, WalkingSignalsIntegrateBackToTheTrajectory) {
  Settings s = noise_free(false);
  s.random_mounting = false;
  const IntegrationErrors e = integrate_back(simulate(s));
  print_errors("walking", e);
  // Measured (20 strides, 24 s): 2.3 mm, 0.00004 deg.
  EXPECT_LT(e.max_pos_at_ic_m, 0.005);
  EXPECT_LT(e.max_pos_m, 0.005);
  EXPECT_LT(e.max_angle_deg, 0.001);
}

}  // namespace
}  // namespace stride::sim
