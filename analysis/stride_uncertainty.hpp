// How uncertain each event time and each stride length is, from the evidence the detectors and the foot filter
// already hold. Each SD is a root-sum-square of independent terms; the gains are calibrated on the simulator
// (tests/test_stride_uncertainty.cpp: across rates, gaits, noise and clipping, 85-99 % of the errors lie within
// 2 SD) and docs/uncertainty.md gives the terms, their reasons and the calibration table.
#pragma once

namespace stride {

struct EventUncertaintySettings {
  // IC (the impact's specific-force jump, placed inside its sample interval):
  double ic_interpolated_share = 0.12;  // SD, in sample intervals, of an onset placed from the jumps either side
  double ic_midpoint_share = 0.29;      // ... of one put in the middle of the interval (no jump either side to
                                        // place it: uniform over the interval, 1/sqrt(12))
  double ic_noise_gain = 5.0;           // times dt * (typical jump just before the impact) / (impact jump): noise
                                        // and swing motion in the samples that place the onset
  double ic_floor_ms = 0.2;             // what the model of a sampled step leaves out (the force's rise time)
  // TC (the plantarflexion-rate peak, placed by a cubic through four samples):
  double tc_cubic_share = 0.35;         // SD in sample intervals of a cubic-placed peak (the peak is asymmetric:
                                        // 4.3 ms at 100 Hz is the cubic's remaining bias on simulated walking)
  double tc_parabola_share = 0.5;       // ... of a parabola-placed one (the fallback)
  double tc_noise_gain = 1.0;           // times dt * (gyro noise) / (peak curvature per sample^2)
  double tc_floor_ms = 2.0;             // the simulator's walking TC lies 2-3 ms from the rate peak at every rate
  double tc_clipped_share = 0.5;        // times the gyro's flat top (s) when the peak sample clipped: the true peak
                                        // lies somewhere under it and the detector takes its first sample (on the
                                        // simulator at 400 deg/s, 30-34 ms early under a 60-70 ms flat top)
  double shin_tc_sd_ms = 75.0;          // shin TC: limits of agreement of about +-150 ms against force plates
                                        // (Sensors 2023;23:5022), so 75 ms; not from the simulator
  // TC without a gyroscope (the |a| valley after the push-off, placed by a parabola; analysis/acc_only_events.hpp):
  double acc_tc_share = 0.7;            // SD in sample intervals: on the simulator the valley lies 0.8-1.2 sample
                                        // intervals before the toe-off at every rate
  double acc_tc_floor_ms = 10.0;        // the real walk's spread that the simulator's push-off does not have (gaitmap
                                        // motion capture: the valley is 10-14 ms rms from the toe-off)
  void validate() const;  // throws std::invalid_argument naming a negative or non-finite field
};

struct LengthUncertaintySettings {
  // Stride length: the ZUPT filter's horizontal velocity SD just before the update that ends the swing, sd_v, over
  // a swing of T seconds. Smoothed between two zero-velocity updates the velocity error is a bridge, whose
  // integral has SD sd_v * T / sqrt(12) for a random walk; the gain scales that for what the filter's model leaves
  // out (the impact's velocity change, the window edges).
  double length_covariance_gain = 0.6;
  double length_relative_floor = 0.005; // share of the length: footprint placement within the zero-velocity window
  double length_rebuilt_relative = 0.012; // share of the length added for a stride measured through rebuilt gyro
                                          // peaks (analysis/clip_repair.hpp): the fitted top's error
  double length_returned_relative = 0.005; // ... when every rebuilt peak of the stride came from the foot's return
                                           // over its cycle, which closes the swing's attitude by construction (on
                                           // the simulator at 500 Hz, 350 deg/s: 2.2 cm rms off on 2.8 m strides)
  // The distance: measured strides' SDs add in quadrature; a stride counted at its neighbours' speed (no
  // measured length) gets this share of its estimated length as SD, and those add linearly (one speed estimate
  // serves neighbouring strides, so their errors go together).
  double estimated_stride_relative = 0.10;
  // A share of the whole distance that all strides share: a scale error of the runner's own form, mounting and
  // shoe, which no per-stride SD sees (a 0.2 m SD over 735 m of the simulator was 23 SD from the truth before it).
  // 2 %: the repository's real walks put their distance 0.3-1.1 % (x-io loops), -0.7 % (gaitmap stride lengths)
  // and -1.6 to -4.8 % (MicroStrain footprint walks) off. Added in quadrature.
  double distance_systematic_relative = 0.02;
  void validate() const;  // throws std::invalid_argument naming a negative or non-finite field
};

// One SD (ms) of an IC time. dt_s: the sample interval at the impact; interpolated: the onset was placed from the
// jumps either side; noise_ratio: typical sample-to-sample change before the impact / the impact's jump.
double ic_sd_ms(const EventUncertaintySettings& s, double dt_s, bool interpolated, double noise_ratio);
// One SD (ms) of a foot TC time. cubic: placed by the cubic (else the parabola); noise_samples: the rate's noise
// over the peak's curvature (rad/s per rad/s per sample^2), i.e. how many samples noise can move the vertex.
// clipped_s: the duration of the gyro's flat top the peak sample lies in (0: not clipped).
double tc_sd_ms(const EventUncertaintySettings& s, double dt_s, bool cubic, double noise_samples, double clipped_s);
// One SD (ms) of a TC found without a gyroscope, from the |a| valley after the push-off.
double acc_tc_sd_ms(const EventUncertaintySettings& s, double dt_s);
// sd_v * T / sqrt(12): the filter's position SD over a swing (see length_covariance_gain).
double swing_position_sd_m(double swing_velocity_sd_mps, double swing_s);
// How a stride's gyro peaks were rebuilt (analysis/clip_repair.hpp), if any: most of its rebuilt samples by a fit
// to a peak's flanks, or from the foot's return over the cycle (a long flat top; short ones beside it are fitted).
enum class GyroRebuilt { none, fitted, by_return };
// One SD (m) of a stride length from its swing's swing_position_sd_m, the length and how gyro peaks in it were
// rebuilt.
double length_sd_m(const LengthUncertaintySettings& s, double swing_position_sd, double length_m, GyroRebuilt rebuilt);

}  // namespace stride
