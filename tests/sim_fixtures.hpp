// Simulated inputs several test files share.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "stride/gait.hpp"
#include "stride/simulate.hpp"

namespace stride::test {

// Exact signals: no noise, bias, scale error or clipping, point samples at 1 kHz, short rests, 20 strides.
// Running (the simulator's defaults) or walking.
inline sim::Settings noise_free_settings(bool running = true) {
  sim::Settings s;
  s.acc_noise_mps2 = 0.0;
  s.gyr_noise_rad_s = 0.0;
  s.gyr_bias_rad_s = 0.0;
  s.acc_scale_error = 0.0;
  s.acc_range_g = 0.0;
  s.gyr_range_dps = 0.0;
  s.rate_hz = 1000.0;
  s.antialias_oversample = 1;  // exact point samples: these tests check the signals themselves
  s.rest_before_s = 1.0;
  s.rest_after_s = 1.0;
  s.strides = 20;
  s.impact_velocity_mps = std::nan("");
  if (!running) {
    s.speed_mps = 1.4;
    s.cadence_spm = 110.0;
    s.duty_factor = 0.62;
    s.fsa_deg = 20.0;
  }
  return s;
}

// A typical walk's gait at a given speed and cadence: stance 62 % of the cycle, toe-off at -55 deg and the foot
// striking at 20 deg (the simulator's defaults are a run's); the rest as the simulator's defaults.
inline sim::Settings walking_gait(double speed_mps, double cadence_spm) {
  sim::Settings s;
  s.speed_mps = speed_mps;
  s.cadence_spm = cadence_spm;
  s.duty_factor = 0.62;
  s.toe_off_angle_deg = -55;
  s.fsa_deg = 20;
  return s;
}

// The stride was found invalid for the reason `code` (among others).
inline bool has_code(const Stride& s, std::string_view code) { return s.has_invalid_code(code); }

// A detected stride is the simulator's true one when its IC and its next IC each lie within `within_s` of the truth's.
inline bool matches_truth(const Stride& s, const sim::StrideTruth& t, double within_s = 0.05) {
  return std::abs(s.ic_s - t.ic_s) < within_s && std::abs(s.next_ic_s - t.next_ic_s) < within_s;
}

// A run of `strides` strides between 2 s rests with the usual sensor effects (the simulator's defaults otherwise):
// what the import tests write in each vendor's layout and analyse beside the native recording.
inline sim::Result run_between_rests(int strides, double rate_hz, std::uint64_t seed) {
  sim::Settings s;
  s.strides = strides;
  s.rate_hz = rate_hz;
  s.rest_before_s = 2.0;
  s.rest_after_s = 2.0;
  s.seed = seed;
  return sim::simulate(s);
}

// A short run (3 strides, 500 Hz, 1 s rests) for the wire and recording tests; simulated once.
inline const Recording& short_simulated_run() {
  static const Recording rec = [] {
    sim::Settings s;
    s.strides = 3;
    s.rest_before_s = 1.0;
    s.rest_after_s = 1.0;
    s.rate_hz = 500;
    return sim::simulate(s).recording;
  }();
  return rec;
}

}  // namespace stride::test
