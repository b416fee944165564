// `stride simulate`: a shoe-IMU recording with known truth (events, stride lengths, angles) beside it.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/output_file.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"

namespace stride::cli {
namespace {

struct SimulateOptions {
  sim::Settings s;
  std::string out;
  std::string truth;
  std::string strike = "rearfoot";
  std::string side = "right";
  std::string placement = "shoe";
  double fsa_deg = std::numeric_limits<double>::quiet_NaN();
  bool ideal = false;
  bool walk = false;
  bool slow = false;
  bool two_feet = false;
  double right_duty = std::numeric_limits<double>::quiet_NaN();
  double right_impact_mps = std::numeric_limits<double>::quiet_NaN();
  double change_at = 1.0;
  double impact_rise_ms = 0.0;
  double change_fsa_deg = std::numeric_limits<double>::quiet_NaN();
  double change_cadence_spm = std::numeric_limits<double>::quiet_NaN();
};

std::string truth_path_for(const std::string& out) {
  const auto dot = out.rfind('.');
  return (dot == std::string::npos ? out : out.substr(0, dot)) + ".truth.json";
}

nlohmann::json truth_json(const sim::Settings& s, const sim::Truth& t) {
  nlohmann::json strides = nlohmann::json::array();
  for (const auto& st : t.strides)
    strides.push_back({{"ic_s", st.ic_s}, {"tc_s", st.tc_s}, {"next_ic_s", st.next_ic_s}, {"length_m", st.length_m},
                       {"speed_mps", st.speed_mps}, {"fsa_deg", st.fsa_deg}, {"toe_off_angle_deg", st.toe_off_angle_deg},
                       {"pronation_excursion_deg", st.pronation_excursion_deg}, {"peak_impact_g", st.peak_impact_g},
                       {"pta_g", st.pta_g}, {"shank_angle_ic_deg", st.shank_angle_ic_deg},
                       {"turn_deg", st.turn_deg}});
  nlohmann::json rests = nlohmann::json::array();
  for (const auto& r : t.rests) rests.push_back({{"start_s", r.start_s}, {"end_s", r.end_s}});
  nlohmann::json rest_steps = nlohmann::json::array();
  for (const auto& r : t.rest_steps)
    rest_steps.push_back({{"from_s", r.from_s}, {"ic_s", r.ic_s}, {"length_m", r.length_m}});
  const auto& q = t.mounting;
  return {{"generator", {{"name", "stride simulate"}, {"version", STRIDE_VERSION}}},
          {"settings",
           {{"speed_mps", s.speed_mps}, {"cadence_spm", s.cadence_spm}, {"duty_factor", s.duty_factor},
            {"fsa_deg", s.fsa_deg}, {"toe_off_angle_deg", s.toe_off_angle_deg},
            {"pronation_excursion_deg", s.pronation_excursion_deg}, {"strides", s.strides}, {"rate_hz", s.rate_hz},
            {"variability_cv", s.variability_cv}, {"acc_noise_mps2", s.acc_noise_mps2},
            {"gyr_noise_rad_s", s.gyr_noise_rad_s}, {"gyr_bias_rad_s", s.gyr_bias_rad_s},
            {"acc_scale_error", s.acc_scale_error}, {"acc_range_g", s.acc_range_g}, {"gyr_range_dps", s.gyr_range_dps},
            {"drop_probability", s.drop_probability}, {"seed", s.seed}, {"side", to_string(s.side)},
            {"change_from_share", s.change_from_share}, {"changed_fsa_deg", s.changed_fsa_deg},
            {"changed_cadence_spm", s.changed_cadence_spm}, {"pauses", s.pauses}, {"pause_s", s.pause_s},
            {"turns", s.turns}, {"turn_deg", s.turn_deg}, {"turn_strides", s.turn_strides},
            {"turn_step_share", s.turn_step_share}, {"impact_rise_s", s.impact_rise_s}}},
          {"mounting_sensor_to_foot_wxyz", {q.w(), q.x(), q.y(), q.z()}},
          {"gyr_bias_rad_s", {t.gyr_bias_rad_s.x(), t.gyr_bias_rad_s.y(), t.gyr_bias_rad_s.z()}},
          {"acc_scale", {t.acc_scale.x(), t.acc_scale.y(), t.acc_scale.z()}},
          {"ic_s", t.ic_s},
          {"tc_s", t.tc_s},
          {"strides", strides},
          {"rests", rests},
          {"rest_steps", rest_steps}};
}

int write(const sim::Settings& s, const sim::Result& r, const std::string& path, const std::string& truth) {
  session::OutputFile out(path);
  io::write_native(out.stream(), r.recording);
  out.commit();
  session::write_file(truth, truth_json(s, r.truth).dump(2) + "\n");
  fmt::print(stderr, "stride simulate: {} samples ({} strides) -> {}, truth -> {}\n", r.recording.samples.size(),
             r.truth.strides.size(), path, truth);
  return kOk;
}

int run(SimulateOptions& o) {
  auto& s = o.s;
  s.strike = o.strike == "forefoot" ? sim::StrikePattern::forefoot
             : o.strike == "midfoot" ? sim::StrikePattern::midfoot
                                     : sim::StrikePattern::rearfoot;
  if (o.slow) {
    // Slow, short steps (frail or cautious walking): 0.5 m strides, long double support, flat feet. Unless set.
    if (s.speed_mps == 3.5) s.speed_mps = 0.35;
    if (s.cadence_spm == 170) s.cadence_spm = 80;
    if (s.duty_factor == 0.35) s.duty_factor = 0.68;
    if (s.toe_off_angle_deg == -35) s.toe_off_angle_deg = -25;
    if (s.impact_velocity_mps == -1.0) s.impact_velocity_mps = -0.4;
    if (std::isnan(o.fsa_deg) && o.strike == "rearfoot") o.fsa_deg = 8.0;
  }
  if (o.walk) {
    // A typical walk, unless the user set these explicitly (CLI11 leaves untouched values at their defaults).
    if (s.speed_mps == 3.5) s.speed_mps = 1.4;
    if (s.cadence_spm == 170) s.cadence_spm = 112;
    if (s.duty_factor == 0.35) s.duty_factor = 0.62;
    if (s.toe_off_angle_deg == -35) s.toe_off_angle_deg = -55;
  }
  s.fsa_deg = std::isnan(o.fsa_deg) ? (s.strike == sim::StrikePattern::forefoot  ? -8.0
                                       : s.strike == sim::StrikePattern::midfoot ? 2.0
                                       : o.walk                                  ? 22.0
                                                                                 : 15.0)
                                    : o.fsa_deg;
  s.side = o.side == "left" ? Side::left : Side::right;
  s.placement = o.placement == "shin" ? Placement::shin : Placement::shoe;
  if (o.ideal) {
    s.acc_noise_mps2 = s.gyr_noise_rad_s = s.gyr_bias_rad_s = s.acc_scale_error = 0;
    s.random_mounting = false;
  }
  s.change_from_share = o.change_at;
  s.impact_rise_s = o.impact_rise_ms / 1000.0;
  s.changed_fsa_deg = o.change_fsa_deg;
  s.changed_cadence_spm = o.change_cadence_spm;
  if (!o.two_feet) {
    sim::Result r;
    try {
      r = sim::simulate(s);
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "stride simulate: {}\n", e.what());
      return kBadArguments;
    }
    return write(s, r, o.out, o.truth.empty() ? truth_path_for(o.out) : o.truth);
  }
  // Two feet: one rhythm, the right foot half a stride later, its own mounting and noise; the right foot's
  // contact time and impact may differ (an asymmetry). Both files name one session and one clock.
  sim::Settings right = s;
  if (!std::isnan(o.right_duty)) right.duty_factor = o.right_duty;
  if (!std::isnan(o.right_impact_mps)) right.impact_velocity_mps = o.right_impact_mps;
  sim::TwoFeet feet;
  try {
    feet = sim::simulate_two_feet(s, right);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "stride simulate: {}\n", e.what());
    return kBadArguments;
  }
  const auto dot = o.out.rfind('.');
  const std::string stem = dot == std::string::npos ? o.out : o.out.substr(0, dot);
  const std::string ext = dot == std::string::npos ? ".csv" : o.out.substr(dot);
  for (auto* r : {&feet.left, &feet.right}) {
    r->recording.meta.extra["session_id"] = fmt::format("sim-{}", s.seed);
    r->recording.meta.extra["host_t0_unix_s"] = "1767225600";  // one clock: both files start at this instant
  }
  const std::string left_path = stem + "_left" + ext, right_path = stem + "_right" + ext;
  s.side = Side::left;
  right.side = Side::right;
  if (const int rc = write(s, feet.left, left_path, truth_path_for(left_path)); rc != kOk) return rc;
  return write(right, feet.right, right_path, truth_path_for(right_path));
}

}  // namespace

Action add_simulate(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  auto* cmd = app.add_subcommand("simulate", "Write a simulated shoe-IMU recording and its ground truth (JSON)");
  cmd->add_option("--out,-o", o->out, "Recording to write (stride native CSV)")->required();
  cmd->add_option("--truth", o->truth, "Ground-truth JSON (default: beside --out, .truth.json)");
  cmd->add_flag("--walk", o->walk, "Walking defaults (1.4 m/s, 112 steps/min, duty 0.62)");
  cmd->add_flag("--slow", o->slow,
                "Slow short-step walking defaults (0.35 m/s, 80 steps/min: 0.5 m strides, duty 0.68, toe-off -25 deg, "
                "foot strike 8 deg, soft landings)")
      ->excludes("--walk");
  cmd->add_option("--pauses", o->s.pauses, "Stop-and-go: stand still this many times mid-walk (spread evenly)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--pause", o->s.pause_s, "Stop-and-go: seconds each pause lasts")->capture_default_str()
      ->check(between(0.0, 3600.0));
  cmd->add_option("--turns", o->s.turns, "U-turns spread evenly over the walk (shoe only)")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--turn-deg", o->s.turn_deg, "Heading change of each turn in degrees (left positive)")
      ->capture_default_str()->check(between(-360.0, 360.0));
  cmd->add_option("--turn-strides", o->s.turn_strides,
                  "Strides of this foot a turn takes (1-4; a U-turn in 2-4 steps is 1-2 strides)")
      ->capture_default_str()->check(between(1.0, 4.0));
  cmd->add_option("--turn-step", o->s.turn_step_share,
                  "Turning strides' length and foot angles as a share of the straight ones")
      ->capture_default_str()->check(between(0.2, 1.0));
  cmd->add_option("--speed", o->s.speed_mps, "Speed in m/s")->capture_default_str()
      ->check(positive());
  cmd->add_option("--cadence", o->s.cadence_spm, "Steps per minute, both feet")->capture_default_str()
      ->check(positive());
  cmd->add_option("--duty", o->s.duty_factor, "Contact time / stride time")->capture_default_str()
      ->check(between(0.05, 0.95));
  cmd->add_option("--strike", o->strike, "rearfoot | midfoot | forefoot")
      ->check(CLI::IsMember({"rearfoot", "midfoot", "forefoot"}))
      ->capture_default_str();
  cmd->add_option("--fsa", o->fsa_deg, "Foot-strike angle in degrees, toe-up positive (default by strike)");
  cmd->add_option("--toe-off", o->s.toe_off_angle_deg, "Foot pitch at toe-off in degrees")->capture_default_str();
  cmd->add_option("--pronation", o->s.pronation_excursion_deg, "Pronation excursion in degrees")->capture_default_str();
  cmd->add_option("--side", o->side, "left | right")->check(CLI::IsMember({"left", "right"}))->capture_default_str();
  cmd->add_option("--placement", o->placement, "shoe | shin (tibia, 15 cm above the ankle)")
      ->check(CLI::IsMember({"shoe", "shin"}))
      ->capture_default_str();
  cmd->add_option("--shank-angle", o->s.shank_angle_ic_deg, "Shin: tibia angle at IC, ankle ahead of knee positive")
      ->capture_default_str();
  cmd->add_option("--strides", o->s.strides, "Complete strides")->capture_default_str()
      ->check(positive());
  cmd->add_option("--rate", o->s.rate_hz, "Sample rate in Hz")->capture_default_str()
      ->check(positive());
  cmd->add_option("--variability", o->s.variability_cv, "Stride-to-stride CV")->capture_default_str()
      ->check(between(0.0, 0.5));
  cmd->add_option("--drop", o->s.drop_probability, "Probability that a sample is lost")->capture_default_str()
      ->check(between(0.0, 0.99));
  cmd->add_option("--acc-range", o->s.acc_range_g, "Accelerometer range in g (clipping)")->capture_default_str()
      ->check(positive());
  cmd->add_option("--gyr-range", o->s.gyr_range_dps, "Gyroscope range in deg/s")->capture_default_str()
      ->check(positive());
  cmd->add_option("--seed", o->s.seed, "Random seed")->capture_default_str();
  cmd->add_option("--acc-resolution", o->s.acc_resolution_mps2,
                  "Round the accelerometer to multiples of this (m/s^2; also makes files smaller)");
  cmd->add_option("--gyr-resolution", o->s.gyr_resolution_rad_s, "Round the gyroscope to multiples of this (rad/s)");
  cmd->add_flag("--ideal", o->ideal, "No noise, bias, scale error or mounting rotation");
  cmd->add_flag("--two-feet", o->two_feet,
                "Both feet of one run: OUT_left.csv and OUT_right.csv (one session, one clock), each with its truth");
  cmd->add_option("--right-duty", o->right_duty, "Two feet: the right foot's duty factor (an asymmetry)");
  cmd->add_option("--right-impact", o->right_impact_mps,
                  "Two feet: the right foot's impact velocity in m/s, e.g. -1.4 (harder landings)");
  cmd->add_option("--impact-rise-ms", o->impact_rise_ms,
                  "The impact's rise time in ms: 0 = a step at contact; e.g. 10 = a smooth onset as real heel strikes "
                  "have (simulator/impact_pulse.hpp)")
      ->capture_default_str()->check(between(0.0, 30.0));
  cmd->add_option("--change-at", o->change_at,
                  "A change of form from this share of the strides on (0..1), with --change-fsa / --change-cadence")
      ->check(between(0.0, 1.0));
  cmd->add_option("--change-fsa", o->change_fsa_deg, "Foot-strike angle (deg) after --change-at (e.g. an overstride)");
  cmd->add_option("--change-cadence", o->change_cadence_spm, "Cadence (steps/min) after --change-at, same speed");
  return [o] { return run(*o); };
}

}  // namespace stride::cli
