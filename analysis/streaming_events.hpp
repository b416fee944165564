// The IC/TC detector in its causal form: samples go in one at a time, events come out as soon as they are
// certain (a TC at the next mid-swing, an IC once the impact window after a mid-swing has passed).
// Memory is a bounded window of the last few strides; nothing is allocated per sample once it is warm.
#pragma once

#include <vector>

#include "analysis/butterworth.hpp"
#include "analysis/event_detection.hpp"

namespace stride {

class StreamingEventDetector {
 public:
  StreamingEventDetector(const ImpactPitchDetector::Settings& settings, const MountingCalibration::Result& mounting,
                         double rate_hz);

  // Appends to `out` whatever became certain with this sample (events, mid-swings, statistics).
  void push(const ImuSample& sample, EventResult& out);
  // End of the recording: emits the IC of a last mid-swing whose window was cut short.
  void finish(EventResult& out);

  std::size_t samples_seen() const { return base_ + buf_.size(); }

 private:
  std::size_t local(std::size_t global) const { return global - base_; }
  std::size_t samples_for(double seconds) const { return static_cast<std::size_t>(seconds * rate_hz_); }
  void on_midswing(std::size_t ms_global, EventResult& out);
  bool foot_moved_around(std::size_t ms_global) const;
  void emit_tc(std::size_t ms_global, EventResult& out);
  void emit_shin_tc(std::size_t lo, std::size_t hi, EventResult& out);
  void smooth_pitch(std::size_t first, std::size_t last, std::size_t half);
  std::size_t back_to_extreme(std::size_t k, double sign) const;
  void emit_ic(std::size_t ms_global, std::size_t hi_global, EventResult& out);
  double impact_onset_time(std::size_t j, std::size_t hi, bool& interpolated) const;
  double jump_noise(std::size_t lo, std::size_t j) const;
  double tc_sd(std::size_t quiet, std::size_t peak, bool cubic) const;
  void compact();

  ImpactPitchDetector::Settings s_;
  Eigen::Vector3d axis_, bias_;
  double rate_hz_;
  ButterworthLowpass pitch_lp_, energy_lp_;
  bool started_ = false;

  // The window: buf_[i] is global sample base_ + i.
  std::size_t base_ = 0;
  std::vector<ImuSample> buf_;
  std::vector<double> pitch_;      // bias-removed pitch rate (foot: plantarflexion +; shin: forward rotation +), rad/s
  std::vector<double> energy_;     // smoothed |w|, rad/s
  std::vector<double> smooth_;     // shin TC: the averaged rate over the dip's search range (reused)
  std::size_t keep_;               // samples kept behind the newest

  // Mid-swing tracking: below -threshold, follow the minimum; confirmed when the rate comes back up.
  double swing_peak_ = 0;          // decaying memory of recent swing depth (rad/s)
  bool in_swing_ = false;
  std::size_t swing_min_ = 0;
  double swing_min_value_ = 0;
  bool have_last_ms_ = false;
  std::size_t last_ms_ = 0;
  double cycle_s_ = 1.0;           // latest mid-swing to mid-swing time
  bool ic_pending_ = false;        // an IC window is open after last_ms_
  std::size_t ic_hi_ = 0;          // ... and closes at this global sample
  bool have_last_ic_ = false;
  std::size_t last_ic_ = 0;        // global sample of the latest IC
};

}  // namespace stride
