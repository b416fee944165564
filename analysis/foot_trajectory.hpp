// The foot's path: zero-velocity windows found inside each stance (between the detected IC and TC), a ZUPT-aided
// error-state Kalman filter, and, offline, a Rauch-Tung-Striebel smoother over each swing (between two
// zero-velocity windows), so memory stays bounded by one stride however long the recording is.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>
#include <functional>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "analysis/butterworth.hpp"
#include "analysis/mounting_calibration.hpp"
#include "analysis/saturation.hpp"
#include "analysis/stride_uncertainty.hpp"
#include "analysis/zupt_eskf.hpp"
#include "stride/gait.hpp"

namespace stride {

struct FootPose {
  double t_s = 0;
  Eigen::Vector3d pos_m = Eigen::Vector3d::Zero();    // sensor position, nav frame (x: initial heading, z up)
  Eigen::Vector3d vel_mps = Eigen::Vector3d::Zero();
  Eigen::Quaterniond q_nav_sensor = Eigen::Quaterniond::Identity();
  bool zero_velocity = false;                         // a ZUPT was applied at this sample
  // At the update that ends a swing: the filter's horizontal position SD over that swing
  // (swing_position_sd_m: its velocity SD just before the update, times the swing's duration / sqrt(12)); NaN
  // at every other sample. What the stride length's SD starts from (analysis/stride_uncertainty.hpp).
  double swing_position_sd_m = std::numeric_limits<double>::quiet_NaN();
};

// A stretch of samples [first, last] taken as standing still, and how still it was.
struct ZeroVelocityWindow {
  std::size_t stance_start = 0;  // the IC that began this stance (0 for the rest before the first TC)
  std::size_t first = 0, last = 0;
  std::size_t centre = 0;     // the stillest sample
  double min_rate_rad_s = 0;  // smallest smoothed |w| in the window (0 for a resting foot; larger when running)
};

class FootTrajectory {
 public:
  struct Settings {
    ZuptEskf::Settings filter;
    double stance_margin_s = 0.01;      // zero velocity is looked for inside [IC + margin, TC - margin]
    double zv_min_window_s = 0.02;      // shortest zero-velocity window per stance
    double zv_margin_rad_s = 0.15;      // the window grows while smoothed |w| <= min + max(margin, relative * min):
    double zv_relative = 0.5;           // the threshold adapts to how still this stance gets (running vs walking)
                                        // A wider window reaches into the heel and toe rockers, where the instep
                                        // still moves, and the ZUPT takes that motion out of the stride: 0.35 rad/s
                                        // left the MicroStrain footprint walks 1.0 cm shorter than 0.15 (-2.9 vs
                                        // -1.9 cm), mostly from the window's end (heel lifting); 0.05 gains 0.25 cm
                                        // more there but costs the gaitmap walk 0.5 cm and SD. Simulator length bias
                                        // moves by +0.2 cm at 200 and 500 Hz (to +0.2 and +0.1 cm).
    double zv_update_interval_s = 0.0;  // zero-velocity updates at most this often (the first of a window always);
                                        // 0.005 s is ~10 % faster but cost the x-io loops 0.5 % of closure
    double zv_lever_m = 0.06;           // the sensor's height above the foot's rolling contact: a stance that still
                                        // pitches at w moves the sensor forward at w x this (TrajectoryStepper::
                                        // rolling_velocity). 0 = plain zero velocity. 0.06 m (an instep sensor over
                                        // a sole) of 0.03/0.06/0.09 tried on the real sets: MicroStrain footprints
                                        // -1.6 -> +0.1 cm (the fast walk 34: -3.4 -> +0.5 cm), distance -2.2 ->
                                        // -1.1 %; gaitmap -0.8 -> -0.2 cm; x-io long loop 1.03 -> 0.90 %, short
                                        // 0.25 -> 0.61 %; the simulator (still mid-stance) moves by <= 0.1 cm
    double zv_sd_mps = 0.01;            // ZUPT measurement SD at a still foot ...
    double zv_sd_per_rad_s = 0.03;      // ... plus this per rad/s of residual rotation
    double rest_rad_s = 0.1;            // a window stiller than this ...
    double rest_min_s = 0.5;            // ... and at least this long is a rest: it also gets zero-rate updates (gyro
                                        // bias). Not mid-stance: a walking foot still turns at 0.05-0.1 rad/s there.
    double max_swing_s = 4.0;           // a longer stretch without zero velocity is emitted unsmoothed
    double impact_velocity_sd_mps = 0.03;  // velocity uncertainty added at each IC: sampling and the sensor's own
                                          // filtering lose part of the impact's velocity change
    bool smooth = true;                 // offline RTS smoothing; false = the causal filter only (live)
    LengthUncertaintySettings uncertainty;  // the stride length's SD from this filter's covariance
  };

  FootTrajectory();
  explicit FootTrajectory(const Settings& settings);

  // Zero-velocity windows: one per stance (IC..TC), plus the rests before the first TC and after the last IC.
  std::vector<ZeroVelocityWindow> zero_velocity_windows(std::span<const ImuSample> samples,
                                                        std::span<const GaitEvent> events, double rate_hz) const;
  // The stances zero_velocity_windows searches, as sample ranges [a, b) of a recording of n samples: [IC, first TC
  // after it); the rest before the first TC (from 0) and after the last IC (to n) count as stances too.
  static std::vector<std::pair<std::size_t, std::size_t>> stances(std::span<const GaitEvent> events, std::size_t n);

  // The window of one stance [a, b) (b >= end: the stance lasted to the end of the recording) from the smoothed |w|,
  // `smooth_rate[k]` being sample `base + k` (the span must cover the stance; where it does not, the search is
  // limited to what it covers). The per-stance step of zero_velocity_windows, shared with StreamingSpatial.
  // Returns false when the stance is too short to hold one.
  bool stance_window(std::span<const double> smooth_rate, std::size_t base, std::size_t a, std::size_t b,
                     std::size_t end, double rate_hz, ZeroVelocityWindow& out) const;
  // Where stance_window searches the stance [a, b) of a recording of n samples (b >= n: to its end): [lo, hi), the
  // stance less stance_margin_s at each contact.
  std::pair<std::size_t, std::size_t> stance_search(std::size_t a, std::size_t b, std::size_t n, double rate_hz) const;
  // The zero-phase low-pass applied to |w| before the window search.
  static ButterworthLowpass::Settings rate_smoothing(double rate_hz);

  const Settings& settings() const { return s_; }

  // Runs filter (and smoother) over all samples; `sink(i, pose)` receives every sample's pose in time order.
  // Samples before the first zero-velocity window get the initial pose. Returns false when no window exists.
  // After a swing in which the gyroscope saturated, the filter is re-levelled at the next zero-velocity window.
  bool run(std::span<const ImuSample> samples, const MountingCalibration::Result& mounting,
           std::span<const ZeroVelocityWindow> windows, const Saturation& saturation,
           const std::function<void(std::size_t, const FootPose&)>& sink) const;

 private:
  Settings s_;
};

// Whether a zero-velocity window is a rest (stiller than rest_rad_s for at least rest_min_s): the filter also takes
// the gyro bias there, and a rest before the first IC is a standing start (its step out is counted in the distance,
// analysis/rest_steps.hpp). `window_samples` = the window's samples.
bool is_rest(const FootTrajectory::Settings& settings, const ZeroVelocityWindow& window,
             std::span<const ImuSample> window_samples);

// The per-sample step of FootTrajectory::run, shared by the offline run (all windows known beforehand) and
// StreamingSpatial (windows learnt as the stances close): samples go in one at a time with the zero-velocity window
// they are in or the next one (nullptr when none is known: then the sample is in none and starts none); poses come
// out in time order through the sink, a swing's held back until the update that closes it has smoothed them.
// Memory: one swing (at most max_swing_s) of filter states; nothing is allocated per sample once that has been seen.
class TrajectoryStepper {
 public:
  using Sink = std::function<void(std::size_t, const FootPose&)>;
  TrajectoryStepper(const FootTrajectory::Settings& settings, const MountingCalibration::Result& mounting,
                    const Saturation& saturation, Sink sink);

  // Levels the filter on the first window's samples (mean specific force) and the mounting's forward axis.
  void start(std::span<const ImuSample> first_window);
  bool started() const { return started_; }
  // A sample before the first window: the initial pose.
  void initial(std::size_t i, double t_s);
  // Sample i; `previous` is sample i - 1 (nullptr for the first sample of the first window: no prediction);
  // `window_samples` are the samples of *window (read only to re-level after a saturation).
  void step(std::size_t i, const ImuSample* previous, const ImuSample& sample, const ZeroVelocityWindow* window,
            std::span<const ImuSample> window_samples);
  // Emits what is still held, unsmoothed (the end of the recording).
  void finish() { flush(); }

  // The oldest sample whose pose has not been emitted yet (or `next` when all have).
  std::size_t oldest_held(std::size_t next) const { return pending_.empty() ? next : pending_.front().index; }
  std::size_t held() const { return pending_.size(); }

 private:
  struct Pending {  // what a held sample's pose and its smoothing need (position is integrated at emission)
    // A constructor (not an aggregate) so that emplace_back builds it in place without zero-filling it first.
    Pending(std::size_t i, double t, const Eigen::Vector3d& vel, const Eigen::Quaterniond& att,
            const Eigen::Matrix<double, 6, ZuptEskf::kN>& cov)
        : index(i), t_s(t), v(vel), q(att), P_vt(cov) {}
    std::size_t index;
    double t_s;
    Eigen::Vector3d v;
    Eigen::Quaterniond q;
    Eigen::Matrix<double, 6, ZuptEskf::kN> P_vt;  // velocity and attitude rows of the covariance after predicting
                                                  // to here: all the smoother needs, as only velocity (the path)
                                                  // and attitude are emitted
    ZuptEskf::Transition F_next;                  // transition from this sample to the next
  };
  void emit(std::size_t i, FootPose pose);
  void flush();
  // The sensor's velocity (nav frame) in a zero-velocity window at sample x: its roll over the ground contact.
  Eigen::Vector3d rolling_velocity(const ImuSample& x) const;
  // Levels the filter again on a window's mean specific force (after a swing whose attitude is not trusted).
  void relevel_on(std::span<const ImuSample> window);

  FootTrajectory::Settings s_;
  MountingCalibration::Result m_;
  Saturation saturation_;
  Sink sink_;
  ZuptEskf filter_;
  bool started_ = false, emitted_ = false;
  std::vector<Pending> pending_;
  bool saturated_ = false;  // the gyroscope saturated since the last zero-velocity window
  double last_update_s_ = -1e9;
  // Positions are the trapezoidal integral of the emitted (smoothed) velocities, so the path never jumps.
  Eigen::Vector3d pos_ = Eigen::Vector3d::Zero(), last_vel_ = Eigen::Vector3d::Zero();
  double last_t_ = 0;
};

}  // namespace stride
