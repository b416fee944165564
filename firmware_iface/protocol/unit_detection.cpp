#include "unit_detection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <tuple>

namespace stride::io::detail {

namespace {
constexpr double kG = 9.80665;

double median_of(std::vector<double>& v) {
  if (v.empty()) return 0.0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}
}  // namespace

std::string format_number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

double to_si(Unit u) {
  switch (u) {
    case Unit::ms: return 1e-3;
    case Unit::us: return 1e-6;
    case Unit::ns: return 1e-9;
    case Unit::g: return kG;
    case Unit::mg: return kG * 1e-3;
    case Unit::dps: return std::numbers::pi / 180.0;
    case Unit::mdps: return std::numbers::pi / 180.0 * 1e-3;
    default: return 1.0;
  }
}

namespace {
// The median positive step of the raw time values, and how it reads in a message.
struct TimeSteps {
  bool any = false;
  double step = 0.0;
  bool integers = true;
  std::string what;
};

TimeSteps time_steps(const std::vector<RawRow>& rows) {
  std::vector<double> steps;
  TimeSteps st;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    st.integers = st.integers && rows[i].t == std::floor(rows[i].t);
    if (i > 0 && rows[i].t > rows[i - 1].t) steps.push_back(rows[i].t - rows[i - 1].t);
  }
  st.any = !steps.empty();
  st.step = median_of(steps);
  st.what = "median step " + format_number(st.step, st.step < 1 ? 6 : 1) +
            (st.integers ? ", integer stamps" : ", fractional stamps");
  return st;
}
}  // namespace

UnitChoice detect_time_unit(const std::vector<RawRow>& rows) {
  const TimeSteps st = time_steps(rows);
  if (!st.any) return {Unit::s, "assumed s: too few rows to tell"};
  const double step = st.step;
  const std::string& what = st.what;
  // IMU rates are 5 Hz .. 5 kHz: seconds step < 0.2, milliseconds 0.2 .. 200, microseconds 200 .. 2e5, ns above.
  if (step < 0.2 && !st.integers) return {Unit::s, "detected: " + what + " -> s"};
  if (step < 200.0) return {Unit::ms, "detected: " + what + " -> ms"};
  if (step < 5e5) return {Unit::us, "detected: " + what + " -> us"};
  return {Unit::ns, "detected: " + what + " -> ns"};
}

UnitChoice detect_time_unit_at_imu_rates(const std::vector<RawRow>& rows) {
  const TimeSteps st = time_steps(rows);
  if (!st.any) return {Unit::s, "assumed s: too few rows to tell"};  // no recording either way: as the generic rule
  // A step of 0.25-100 ms (4 kHz .. 10 Hz), 20 % either side: each unit a range of its own, the next 1000 times on.
  constexpr double kShortest_s = 2.5e-4 / 1.25, kLongest_s = 0.1 * 1.25;
  for (const auto& [unit, per_s, name] : {std::tuple{Unit::s, 1.0, "s"}, std::tuple{Unit::ms, 1e3, "ms"},
                                          std::tuple{Unit::us, 1e6, "us"}, std::tuple{Unit::ns, 1e9, "ns"}})
    if (st.step >= kShortest_s * per_s && st.step <= kLongest_s * per_s)
      return {unit, "detected: " + st.what + " -> " + name + " (an IMU rate of 10 Hz-4 kHz)"};
  return {Unit::none, st.what + ": no IMU rate of 10 Hz-4 kHz in s, ms, us or ns"};
}

RestStats rest_stats(const std::vector<RawRow>& rows, std::size_t window) {
  RestStats st;
  if (rows.empty()) return st;
  window = std::clamp<std::size_t>(window, 1, rows.size());
  std::vector<double> norm(rows.size());
  std::vector<double> w(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    norm[i] = std::sqrt(r.acc[0] * r.acc[0] + r.acc[1] * r.acc[1] + r.acc[2] * r.acc[2]);
    w[i] = std::sqrt(r.gyr[0] * r.gyr[0] + r.gyr[1] * r.gyr[1] + r.gyr[2] * r.gyr[2]);
  }
  // Sliding windows (step window/4) over prefix sums: pick the lowest variance of |a| relative to its mean.
  std::vector<double> s1(rows.size() + 1, 0.0), s2(rows.size() + 1, 0.0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s1[i + 1] = s1[i] + norm[i];
    s2[i + 1] = s2[i] + norm[i] * norm[i];
  }
  const std::size_t step = std::max<std::size_t>(1, window / 4);
  std::size_t best = 0;
  double best_score = INFINITY;
  for (std::size_t b = 0; b + window <= rows.size(); b += step) {
    const double n = static_cast<double>(window);
    const double mean = (s1[b + window] - s1[b]) / n;
    const double var = std::max(0.0, (s2[b + window] - s2[b]) / n - mean * mean);
    const double score = mean > 0 ? var / (mean * mean) : INFINITY;
    if (score < best_score) {
      best_score = score;
      best = b;
    }
  }
  std::vector<double> quiet(norm.begin() + static_cast<std::ptrdiff_t>(best),
                            norm.begin() + static_cast<std::ptrdiff_t>(best + window));
  st.acc_norm_median = median_of(quiet);
  st.first_line = rows[best].line;
  st.last_line = rows[best + window - 1].line;
  double noise = 0.0;
  for (int a = 0; a < 3; ++a) {
    double m1 = 0.0, m2 = 0.0;
    for (std::size_t i = best; i < best + window; ++i) {
      m1 += rows[i].gyr[a];
      m2 += rows[i].gyr[a] * rows[i].gyr[a];
    }
    const double n = static_cast<double>(window);
    noise += std::sqrt(std::max(0.0, m2 / n - (m1 / n) * (m1 / n))) / 3.0;
  }
  st.gyr_noise = noise;
  auto p = w.begin() + static_cast<std::ptrdiff_t>(std::min(w.size() - 1, w.size() * 99 / 100));
  std::nth_element(w.begin(), p, w.end());
  st.gyr_p99 = *p;
  return st;
}

UnitChoice detect_acc_unit(const RestStats& rest) {
  const double a = rest.acc_norm_median;
  const std::string what = "median |a| at rest (lines " + std::to_string(rest.first_line) + "-" +
                           std::to_string(rest.last_line) + ") = " + format_number(a, 2);
  if (a >= 0.5 && a <= 2.0) return {Unit::g, "detected: " + what + " -> g"};
  if (a >= 0.5 * kG && a <= 2.0 * kG) return {Unit::mps2, "detected: " + what + " -> m/s^2"};
  // Not guessed: raw counts at 1024 LSB/g look the same. Said, so the user can declare it.
  if (a >= 500 && a <= 2000) return {Unit::none, what + ", neither near 1 (g) nor near 9.81 (m/s^2); if the values "
                                     "are milli-g, give --acc-unit mg; raw counts, --acc-range"};
  return {Unit::none, what + ", neither near 1 (g) nor near 9.81 (m/s^2)"};
}

UnitChoice detect_gyr_unit(const RestStats& rest) {
  const std::string p99 = "99th percentile |w| = " + format_number(rest.gyr_p99, 2);
  if (rest.gyr_p99 > 50.0) return {Unit::dps, "detected: " + p99 + " > 50 -> deg/s"};
  if (rest.gyr_p99 < 35.0 && rest.gyr_p99 > 3.0) return {Unit::rad_s, "detected: " + p99 + " < 35 -> rad/s"};
  // Little motion (or 35..50): judge by the noise at rest; MEMS gyro noise is ~0.05-0.5 deg/s, ~0.001-0.01 rad/s.
  const std::string noise = p99 + ", noise at rest = " + format_number(rest.gyr_noise, 4);
  if (rest.gyr_noise > 0.02) return {Unit::dps, "detected: " + noise + " > 0.02 -> deg/s"};
  return {Unit::rad_s, "detected: " + noise + " <= 0.02 -> rad/s"};
}

UnitChoice detect_gyr_unit_from_motion(const RestStats& rest) {
  constexpr double kMinRadS = 1.5, kMaxRadS = 30.0, kMinDps = 50.0;
  const double p99 = rest.gyr_p99;
  const std::string what = "99th percentile |w| = " + format_number(p99, 2);
  if (p99 >= kMinDps) return {Unit::dps, "detected: " + what + " >= 50 (a gait in deg/s) -> deg/s"};
  if (p99 >= kMinRadS && p99 <= kMaxRadS)
    return {Unit::rad_s, "detected: " + what + " in 1.5-30 (a gait in rad/s) -> rad/s"};
  return {Unit::none, what + (p99 < kMinRadS ? ", too little motion to tell rad/s from deg/s (at rest?)"
                                             : ", between a gait in rad/s (<= 30) and one in deg/s (>= 50)")};
}

}  // namespace stride::io::detail
