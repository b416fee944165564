// Comparing an imported recording with the one that was written (samples within a tolerance, and the analysis).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "analysis/pipeline.hpp"
#include "stride/recording.hpp"

namespace stride::test {

struct Tolerance {
  double t_s = 1e-6;
  double acc_mps2 = 1e-9;
  double gyr_rad_s = 1e-9;
};

// Sample by sample (same count), skipping samples the writer had to clip (beyond +-range).
inline void expect_same_samples(const Recording& got, const Recording& want, Tolerance tol, double acc_clip_mps2 = 1e9,
                                double gyr_clip_rad_s = 1e9) {
  ASSERT_EQ(got.samples.size(), want.samples.size());
  const double t0 = want.samples.front().t_s;
  for (std::size_t i = 0; i < want.samples.size(); ++i) {
    const auto& g = got.samples[i];
    const auto& w = want.samples[i];
    ASSERT_NEAR(g.t_s, w.t_s - t0, tol.t_s) << "sample " << i;
    for (int a = 0; a < 3; ++a) {
      if (std::abs(w.acc_mps2[a]) < acc_clip_mps2) {
        ASSERT_NEAR(g.acc_mps2[a], w.acc_mps2[a], tol.acc_mps2) << i;
      }
      if (std::abs(w.gyr_rad_s[a]) < gyr_clip_rad_s) {
        ASSERT_NEAR(g.gyr_rad_s[a], w.gyr_rad_s[a], tol.gyr_rad_s) << i;
      }
    }
  }
}

inline double median_of(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return std::nan("");
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

struct GaitNumbers {
  std::size_t strides = 0;
  double cadence_spm = 0, gct_ms = 0, stride_length_m = 0;
};

inline GaitNumbers gait_numbers(const Recording& rec) {
  const auto r = analyze(rec);
  GaitNumbers n;
  std::vector<double> c, g, l;
  for (const auto& s : r.strides) {
    if (!s.valid) continue;
    ++n.strides;
    c.push_back(s.cadence_spm);
    g.push_back(s.gct_ms);
    l.push_back(s.stride_length_m);
  }
  n.cadence_spm = median_of(c);
  n.gct_ms = median_of(g);
  n.stride_length_m = median_of(l);
  return n;
}

// The analysis of an imported recording equals that of the native one of the same motion, within what the
// format's quantisation can move: cadence 0.5 spm, contact time 3 ms, stride length 2 cm.
inline void expect_same_gait(const Recording& imported, const Recording& native) {
  const auto a = gait_numbers(imported), b = gait_numbers(native);
  std::printf("imported vs native: strides %zu / %zu, cadence %.2f / %.2f spm, contact %.1f / %.1f ms, stride length "
              "%.3f / %.3f m\n", a.strides, b.strides, a.cadence_spm, b.cadence_spm, a.gct_ms, b.gct_ms,
              a.stride_length_m, b.stride_length_m);
  ASSERT_GT(b.strides, 0u);
  EXPECT_NEAR(static_cast<double>(a.strides), static_cast<double>(b.strides), 1.0);
  EXPECT_NEAR(a.cadence_spm, b.cadence_spm, 0.5);
  EXPECT_NEAR(a.gct_ms, b.gct_ms, 3.0);
  EXPECT_NEAR(a.stride_length_m, b.stride_length_m, 0.02);
}

}  // namespace stride::test
