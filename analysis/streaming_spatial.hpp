// The foot trajectory and its per-stride spatial metrics in their causal form: samples and the events of
// StreamingEventDetector go in as they come; each stride's spatial values (stride length, speed, foot-strike and
// toe-off angles, strike pattern, pronation, clearance, turning, footprint) come out as soon as they are
// determinable: when the TC of the *next* stance arrives (its zero-velocity window gives the stride's far
// footprint, and the same update closes the swing for the smoother, so smoothing costs no extra latency).
//
// It is the offline code fed causally, not a second implementation: the window of each stance is found by
// FootTrajectory::stance_window, every sample goes through TrajectoryStepper (FootTrajectory::run's step), and the
// records and per-stride values are SpatialSteps (add_spatial_metrics's steps). What differs from offline: |w| is
// smoothed (zero-phase) over each stance and pad_s either side instead of over the whole recording (the low-pass's
// memory is ~15 ms: on the simulator grid no window edge moves and the values equal analyze's to 1e-13,
// tests/test_streaming_spatial.cpp).
//
// Memory: a window of samples (the open stance, the stride not yet finished, at most max_hold_s), one swing of
// filter states (TrajectoryStepper), a few stance records. Nothing grows with the session; once warm, nothing is
// allocated per sample (per stance: the smoothing scratch is reused, the filtfilt pads one small buffer).
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

#include "analysis/foot_trajectory.hpp"
#include "analysis/plausibility.hpp"
#include "analysis/spatial_metrics.hpp"
#include "stride/gait.hpp"

namespace stride {

class StreamingSpatial {
 public:
  struct Settings {
    double pad_s = 0.25;       // |w| context either side of a stance for the zero-phase smoothing, s (what is held)
    double max_hold_s = 12.0;  // samples held at most, s: a stance longer than this (standing still) gets its
                               // window from its last max_hold_s only (offline: from all of it)
  };

  StreamingSpatial(const FootTrajectory::Settings& trajectory, const MountingCalibration::Result& mounting,
                   Side foot, const Saturation& saturation, double rate_hz);
  StreamingSpatial(const FootTrajectory::Settings& trajectory, const MountingCalibration::Result& mounting,
                   Side foot, const Saturation& saturation, double rate_hz, const Settings& live);
  // With physical limits other than the defaults (the pipeline's PipelineSettings::plausibility).
  StreamingSpatial(const FootTrajectory::Settings& trajectory, const MountingCalibration::Result& mounting,
                   Side foot, const Saturation& saturation, double rate_hz,
                   const StridePlausibility::Settings& limits);
  StreamingSpatial(const FootTrajectory::Settings& trajectory, const MountingCalibration::Result& mounting,
                   Side foot, const Saturation& saturation, double rate_hz,
                   const StridePlausibility::Settings& limits, const Settings& live);
  StreamingSpatial(const StreamingSpatial&) = delete;  // the stepper's sink points at this object
  StreamingSpatial& operator=(const StreamingSpatial&) = delete;

  // Every sample, in order (global index = samples pushed so far).
  void push_sample(const ImuSample& sample);
  // Every event as the detector emitted it (in time order). Appends the strides whose spatial values became
  // known: a Stride with foot, ic_s, next_ic_s, stride_time_s and the spatial fields set (the rest default), and
  // valid / invalid_reason / invalid_codes from the physical limits (StridePlausibility: per stride, and against
  // the median length of the last few strides that passed; offline the neighbours lie on both sides).
  void push_event(const GaitEvent& event, std::vector<Stride>& out);
  // End of the stream: the last stance runs to the end; appends what that completes.
  void finish(std::vector<Stride>& out);

  // Every pose, in time order, as it is final (e.g. to compare with the offline trajectory).
  void set_pose_sink(TrajectoryStepper::Sink sink) { pose_sink_ = std::move(sink); }

  std::size_t samples_held() const { return buf_.size(); }
  std::size_t records_held() const { return records_.size(); }
  std::size_t swing_states_held() const { return stepper_.held(); }
  std::size_t windows_found() const { return windows_found_; }
  // Strides whose spatial values were withheld because the gyroscope saturated (add_spatial_metrics's count).
  std::size_t saturated_strides() const { return saturated_strides_; }
  // Horizontal distance from the first zero-velocity window's centre to the latest footprint.
  double distance_from_start_m() const;
  // The step out of the standing start (add_spatial_metrics's SpatialResult::start_step): known once the first
  // stride is out (or at finish()); none when the first window is no rest before the first IC.
  const StepFromRest& start_step() const { return start_step_; }

 private:
  void close_stance(std::size_t a, std::size_t b, std::size_t end);
  void advance(std::size_t frontier);
  void emit_ready(std::vector<Stride>& out);
  void compact();
  std::span<const ImuSample> held(std::size_t first, std::size_t last) const;  // samples first..last, clamped
  void on_pose(std::size_t i, const FootPose& pose);
  void measure_start_step(const StanceRecord& first);  // once, from the first stance (posed)

  FootTrajectory trajectory_;
  Settings live_;
  Side foot_;
  Saturation saturation_;
  double rate_hz_;
  SpatialSteps steps_;
  StridePlausibility limits_;
  std::deque<double> recent_lengths_;  // lengths of the last strides that passed the limits (the neighbours)
  std::vector<double> scratch_;
  ButterworthLowpass smoother_;
  TrajectoryStepper stepper_;
  TrajectoryStepper::Sink pose_sink_;

  std::size_t base_ = 0;              // buf_[k] is global sample base_ + k
  std::vector<ImuSample> buf_;
  std::size_t hold_ = 0, pad_ = 0, margin_ = 0;
  std::vector<double> rate_, smooth_;  // scratch for one stance's |w|

  // The stances, as zero_velocity_windows sees them.
  bool any_event_ = false, in_stance_ = true, finished_ = false;
  std::size_t open_ = 0;
  std::vector<ZeroVelocityWindow> windows_;  // known windows the stepper has not passed yet
  std::size_t windows_found_ = 0;
  std::size_t saturated_strides_ = 0;
  std::size_t next_ = 0;                     // next sample for the stepper
  std::size_t start_ = 0;                    // the first window's first sample (no prediction into it)
  std::size_t wi_ = 0;

  std::vector<StanceRecord> records_;        // from the oldest stride not yet out
  std::size_t first_open_ = 0;
  bool have_origin_ = false;
  std::size_t origin_centre_ = 0;
  Eigen::Vector3d origin_ = Eigen::Vector3d::Zero(), last_footprint_ = Eigen::Vector3d::Zero();
  // The standing start: the first window is a rest before any IC. Its samples after the window are held until the
  // first IC counts their clipping (start_swing_); the step is measured once the first stance's footprint is posed.
  bool standing_start_ = false, start_swing_open_ = false, start_step_done_ = false;
  std::size_t start_window_last_ = 0;
  StanceRecord start_swing_;
  StepFromRest start_step_;
};

}  // namespace stride
