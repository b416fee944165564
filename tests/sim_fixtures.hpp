// Simulated inputs several test files share.
#pragma once

#include <cmath>

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
