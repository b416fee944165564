// The running/walking simulator: a rigid foot moving through strides with known events and angles, and the
// shoe-IMU signals derived from that motion (plus sensor effects). It is the ground truth for running.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>
#include <cstdint>
#include <limits>
#include <vector>

#include "stride/recording.hpp"

namespace stride::sim {

enum class StrikePattern { rearfoot, midfoot, forefoot };

struct Settings {
  // --- gait ---
  double speed_mps = 3.5;               // mean forward speed
  double cadence_spm = 170.0;           // steps per minute, both feet (stride time = 120 / cadence)
  double duty_factor = 0.35;            // ground contact time / stride time (running 0.25-0.45, walking 0.58-0.65)
  StrikePattern strike = StrikePattern::rearfoot;
  double fsa_deg = 15.0;                // foot-strike angle at IC, toe-up positive (rearfoot ~ 8..25, mid ~ -2..5, fore < -5)
  double toe_off_angle_deg = -35.0;     // foot pitch at TC, toe-down negative
  double pronation_excursion_deg = 8.0; // rearfoot eversion from IC to its peak in stance
  double impact_velocity_mps = -1.0;    // vertical velocity of the contact point at IC (negative = down); <0 gives the
                                        // impact transient; default scaled from speed when NaN
  // The impact's onset: 0 = a step (the force jumps to its peak at IC: the sampled peak then depends on where IC
  // falls between samples, up to 38 % lower at 200 Hz); > 0 = a smooth raised-cosine rise over this many seconds
  // to the peak, then the same fall (heel-strike transients rise over ~5-15 ms: simulator/impact_pulse.hpp).
  // IC is the start of the force either way. 0 stays the default until the IC detector is fitted to a smooth onset.
  double impact_rise_s = 0.0;
  Side side = Side::right;
  Placement placement = Placement::shoe;  // shoe: sensor on the foot; shin: on the tibia, 15 cm above the ankle
  double shank_angle_ic_deg = 6.0;      // shin: the tibia's angle from vertical at IC, ankle ahead of the knee
                                        // positive (the overstriding surrogate; ~0-15 deg in runners)
  int strides = 30;                     // strides of gait between the rests
  double rest_before_s = 3.0;           // standing still (foot flat) before and after the gait
  double rest_after_s = 3.0;
  // Stop-and-go: in `pauses` stances spread evenly over the gait (stance round(j * strides / (pauses + 1)),
  // j = 1..pauses), the foot stands still (flat, after its eversion peak) for pause_s longer before it pushes off
  // again; the stride keeps its length and its swing. The interval from that stance's IC to the next IC holds a
  // rest: it is no stride (Truth::strides leaves it out, Truth::rests lists the rest). Shoe placement only.
  int pauses = 0;
  double pause_s = 3.0;
  // U-turns: in `turns` places spread evenly over the gait (turn j starts at stride round(j * strides / (turns + 1))
  // - turn_strides / 2), the walking direction turns by turn_deg (positive: to the left) over turn_strides strides of
  // this foot: a 180 deg U-turn in 2-4 steps of both feet is 1-2 strides of one foot, so the foot yaws 90-180 deg in
  // a stride. The yaw runs from heel-off (a pivot on the toe) through the swing to the next IC; stance before
  // heel-off keeps its heading. Turning steps are short and flat: a turn stride's length, its toe-off angle and the
  // foot-strike angle it lands with are turn_step_share of the drawn ones. Truth::strides carry each stride's yaw.
  // Shoe placement only.
  int turns = 0;
  double turn_deg = 180.0;
  int turn_strides = 2;
  double turn_step_share = 0.5;
  double variability_cv = 0.02;         // stride-to-stride coefficient of variation of stride time, length, angles
  // A change of form part-way through the run (an overstride, fatigue): strides from index
  // change_from_share * strides on use these values (NaN = unchanged). Speed stays: a lower cadence means longer
  // strides.
  double change_from_share = 1.0;
  double changed_fsa_deg = std::numeric_limits<double>::quiet_NaN();
  double changed_cadence_spm = std::numeric_limits<double>::quiet_NaN();
  // Two feet: simulate each foot with the same timing_seed (one shared rhythm of stride times; 0 = stride times
  // drawn with everything else from `seed`) and half_stride_later on the second foot.
  std::uint64_t timing_seed = 0;
  bool half_stride_later = false;
  double first_ic_s = std::numeric_limits<double>::quiet_NaN();  // set: the first IC is here (plus the half
                                        // stride), whatever the contact time; the rest before gives way
  // --- sensor ---
  double rate_hz = 500.0;               // 100..1000
  int antialias_oversample = 8;         // each sample is the mean of this many points spread over its interval
                                        // (centred): an ideal anti-aliasing filter without delay, as a MEMS
                                        // sensor's digital filter does (with a delay, a per-board constant).
                                        // 1 = point samples of the exact signals.
  Eigen::Vector3d sensor_offset_m{0.12, 0.0, 0.06};  // shoe: sensor position in the foot frame, from the heel's sole
                                                     // point; shin: in the shank frame, from the ankle (see below)
  bool random_mounting = true;          // a random rotation of the sensor on the foot (uniform over SO(3))
  Eigen::Quaterniond mounting = Eigen::Quaterniond::Identity();  // used when random_mounting is false: sensor->foot
  double acc_noise_mps2 = 0.03;         // white noise, rms per sample
  double gyr_noise_rad_s = 0.004;
  double gyr_bias_rad_s = 0.01;         // each axis drawn uniformly in +-this
  double acc_scale_error = 0.01;        // each axis scale drawn uniformly in 1 +- this
  double acc_range_g = 16.0;            // clipping; <= 0 for none
  double gyr_range_dps = 2000.0;
  double drop_probability = 0.0;        // chance that a sample is lost (a gap in the recording)
  double acc_resolution_mps2 = 0.0;     // output resolution: values rounded to multiples of this (0 = exact);
  double gyr_resolution_rad_s = 0.0;    // a 16-bit sensor at 16 g / 2000 dps: 0.0048 m/s^2, 0.0011 rad/s
  std::uint64_t seed = 1;
};

// What truly happened in one stride (IC to next IC of the same foot).
struct StrideTruth {
  double ic_s = 0.0;
  double tc_s = 0.0;
  double next_ic_s = 0.0;
  double length_m = 0.0;                // horizontal displacement of the foot from this IC to the next (straight
                                        // line, also in a turn)
  double speed_mps = 0.0;               // length / stride time
  double fsa_deg = 0.0;                 // foot pitch at IC, toe-up positive
  double toe_off_angle_deg = 0.0;       // foot pitch at TC
  double pronation_excursion_deg = 0.0; // eversion from IC to its peak in stance
  double peak_impact_g = 0.0;           // peak |specific force| at the sensor within 60 ms after IC, noise-free
  double pta_g = 0.0;                   // shin: peak axial (along the tibia) specific force within 60 ms after IC
  double shank_angle_ic_deg = 0.0;      // shin: tibia angle from vertical at IC, ankle ahead of the knee positive
  double foot_flat_s = 0.0;             // the foot reaches flat (pitch 0) after loading
  double heel_off_s = 0.0;              // the heel starts to rise (push-off about the toe until tc_s)
  double turn_deg = 0.0;                // change of the foot's heading from ic_s to next_ic_s (left positive)
};

// The noise-free state of the foot at one sample (foot frame: x forward, y left, z up; world: x the first walking
// direction, z up).
struct FootState {
  double t_s = 0.0;
  Eigen::Vector3d pos_m = Eigen::Vector3d::Zero();     // sensor position, world frame
  Eigen::Vector3d vel_mps = Eigen::Vector3d::Zero();   // sensor velocity, world frame
  Eigen::Quaterniond q_world_sensor = Eigen::Quaterniond::Identity();  // sensor -> world
};

// A stretch in which the foot stands completely still (the gyroscope reads bias and noise only).
struct RestTruth {
  double start_s = 0.0, end_s = 0.0;
};

// The step out of a rest (the standing start, or a pause): from where the foot stood to where it stands after the
// next IC. It is in no stride (Truth::strides), but the foot covered it: a session's true distance is the strides'
// lengths plus these.
struct RestStepTruth {
  double from_s = 0.0;    // a moment of the rest (the foot flat and still)
  double ic_s = 0.0;      // the IC that ends the step
  double length_m = 0.0;  // horizontal displacement of the sensor between the two stances (still moments of each)
};

struct Truth {
  std::vector<double> ic_s;             // every initial contact
  std::vector<double> tc_s;             // every terminal contact
  std::vector<StrideTruth> strides;     // complete strides (IC to next IC) with no rest inside: an interval that
                                        // holds a pause is no stride and is not listed
  std::vector<RestTruth> rests;         // the standing start, every pause, the standing stop (in time order)
  std::vector<RestStepTruth> rest_steps;  // the step out of the standing start and out of every pause
  Eigen::Quaterniond mounting = Eigen::Quaterniond::Identity();  // sensor -> foot, as drawn
  Eigen::Vector3d gyr_bias_rad_s = Eigen::Vector3d::Zero();
  Eigen::Vector3d acc_scale = Eigen::Vector3d::Ones();
  std::vector<FootState> trajectory;    // one per sample in the recording (dropped samples excluded)
};

struct Result {
  Recording recording;                  // meta filled: board "stride simulator", placement shoe, side, rate, ranges
  Truth truth;
};

Result simulate(const Settings& settings);  // throws std::invalid_argument naming a bad setting

// Both feet of one run on one clock: `left` and `right` are each foot's settings (make `right` a copy of `left`
// and change what should differ: an asymmetry). The feet share one rhythm of stride times (timing_seed, drawn
// from left.seed if unset) and the right foot lands half a stride after the left; each foot keeps its own
// mounting, noise and jitter (right.seed is moved off left.seed if they are equal).
struct TwoFeet {
  Result left, right;
};
TwoFeet simulate_two_feet(Settings left, Settings right);

}  // namespace stride::sim
