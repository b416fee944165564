// Initial and terminal contact from a shoe IMU. Detectors share one interface so they can be swapped and compared.
#pragma once

#include <span>
#include <vector>

#include "analysis/mounting_calibration.hpp"
#include "analysis/stride_uncertainty.hpp"
#include "stride/gait.hpp"

namespace stride {

struct EventResult {
  std::vector<GaitEvent> events;         // ICs and TCs, in time order
  std::vector<std::size_t> midswings;    // sample of each mid-swing (cycle border)
  std::vector<double> ic_jerk_mps3;      // per IC: the jump in specific force that marked it (test statistic)
  std::vector<double> tc_rate_rad_s;     // per TC: the peak plantarflexion rate that marked it
};

class EventDetector {
 public:
  virtual ~EventDetector() = default;
  virtual EventResult detect(std::span<const ImuSample> samples, const MountingCalibration::Result& mounting,
                             double rate_hz) const = 0;
};

// Cycles run mid-swing to mid-swing (the deepest dorsiflexion rate of the swing, Falbriard 2018's cycle).
// IC: the ground's force starts abruptly, so IC is the first large sample-to-sample jump of the specific-force
//     vector after mid-swing (placed inside the sample interval, see ic_interpolate). Works for every strike
//     pattern: it looks at the impact itself, not at a foot angle, and the swing's large but smooth accelerations
//     do not compete with it.
// TC: the peak plantarflexion rate between mid-stance and the next mid-swing: the foot rolls over the toe fastest
//     as it leaves the ground (Falbriard 2018 found the pitch-rate extreme of the second half-cycle the most
//     precise TC feature, 4 +- 2 ms against force plates).
class ImpactPitchDetector final : public EventDetector {
 public:
  // Which instant is reported as IC (docs/events.md: the conventions, their sources, how each reference is matched).
  // impact_jump (default): the onset of the ground reaction force, the impact's first large specific-force jump
  //   above, placed inside its sample interval from the jumps either side (ic_interpolate). On the gaitmap walk it
  //   lands a median +2 ms from the heel strike of Hreljac & Marshall 2000's marker method (validated against force
  //   plates); on the simulator it is the true force onset.
  // dorsiflexion_end: the end of late-swing dorsiflexion, the upward zero crossing of the pitch rate before that
  //   impact (linear between samples). A kinematic convention, 15-25 ms before the force onset in walking (on the
  //   simulator 17-45 ms); it is what motion-capture events by Zeni 2008's coordinate method (the heel's largest
  //   forward distance from the sacrum) mark, e.g. the gaitmap reference: use it only to compare with such events.
  //   No crossing within ic_dorsiflexion_lookback_s before the impact (forefoot strikes land dorsiflexing): the
  //   impact is the IC.
  enum class IcFeature { impact_jump, dorsiflexion_end };
  struct Settings {
    IcFeature ic_feature = IcFeature::impact_jump;
    double ic_dorsiflexion_lookback_s = 0.08;  // dorsiflexion_end: search back this far from the impact
    bool ic_interpolate = true;             // impact_jump: sub-sample onset from the jumps either side (else the
                                            // middle between the two samples of the largest jump)
    double midswing_lowpass_hz = 3.0;       // smoothing of the pitch rate used to find mid-swing
    double stance_lowpass_hz = 15.0;        // smoothing of |w| used to find the quiet point of stance (little lag)
    // A mid-swing needs at least this dorsiflexion rate (3 Hz-smoothed) and this share of the recent swing peak.
    // Turning steps and shuffles dorsiflex at 20-40 % of a straight stride's rate (0.6-1.5 rad/s smoothed on the
    // simulator with 10-15 deg toe-offs); 1.5 rad/s and 35 % (until issue 12) merged those steps into 3-15 s strides.
    double midswing_min_rate_rad_s = 0.5;
    double midswing_relative = 0.15;
    // ... and the foot must move: within +-midswing_motion_window_s of it the specific-force vector spans at least
    // this much (the diagonal of its per-axis range). A swing spans 5-40 m/s^2 (the foot tilts 10-60 deg and
    // accelerates); a foot that rocks 6 deg on the ground while its wearer stands spans 2 m/s^2 and is no step.
    double midswing_min_acc_span_mps2 = 3.0;
    double midswing_motion_window_s = 0.15;
    double min_cycle_s = 0.4;               // shortest stride accepted (240 steps/min)
    double max_cycle_s = 2.5;               // longest stride (walking slowly)
    double ic_window_share = 0.45;          // IC is searched in this first share of the cycle after mid-swing
                                            // (ICs fall at 0.06-0.18 of it in all our data; the window also sets
                                            // how late a live stride comes out, so it is no longer than needed)
    double ic_first_jump_share = 0.5;       // the first jump at least this share of the largest one is the IC
    // The TC feature. Foot: the plantarflexion peak after the quiet mid-stance. Shin (running): the shank never
    // rests in stance; its forward rotation rate slows towards TC and surges after it as the knee flexes in early
    // swing, so TC is the dip of the rate before that surge (found walking back from the mid-swing, not before
    // IC + shin_tc_delay_s: past the impact), on the rate averaged over +-shin_tc_smoothing_s; turns smaller than
    // shin_tc_hysteresis_rad_s are ignored. Shank TC methods are far less precise than foot ones:
    // limits of agreement of about +-150 ms against force plates for the best of 18 (Sensors 2023;23:5022), vs
    // 4 +- 2 ms for the foot (Falbriard 2018). shin_tc_at_rate_dip = false: the earlier feature, the surge's peak
    // (tens of ms after TC), kept for comparison. docs/shin.md has the sources and what is assumed.
    bool shin = false;
    double shin_tc_delay_s = 0.04;
    bool shin_tc_at_rate_dip = true;
    double shin_tc_smoothing_s = 0.005;
    double shin_tc_hysteresis_rad_s = 0.5;
    double tc_window_share = 0.6;           // with no IC before it (leaving rest), TC is searched this far back
    EventUncertaintySettings uncertainty;   // each event's sd_ms from the evidence that placed it
  };

  ImpactPitchDetector();
  explicit ImpactPitchDetector(const Settings& settings);
  EventResult detect(std::span<const ImuSample> samples, const MountingCalibration::Result& mounting,
                     double rate_hz) const override;

 private:
  Settings s_;
};

}  // namespace stride
