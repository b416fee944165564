// Gait events and strides, as the analysis produces them.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stride/recording.hpp"

namespace stride {

enum class EventKind { initial_contact, terminal_contact };

// Foot-strike pattern from the foot-strike angle (Altman & Davis 2012, Gait Posture 35:298): rearfoot > 8 deg,
// forefoot < -1.6 deg, midfoot between.
enum class StrikePattern { unknown, rearfoot, midfoot, forefoot };
std::string_view to_string(StrikePattern p);

struct GaitEvent {
  EventKind kind = EventKind::initial_contact;
  double t_s = 0.0;          // sub-sample time, seconds from the recording's start
  std::size_t sample = 0;    // index of the nearest sample
  // How far t_s may be off (one SD, ms), from the detector's evidence: the sample interval, whether the instant
  // was placed inside it or fell back to a coarser rule, and how far the feature stood above the noise
  // (analysis/stride_uncertainty.hpp). NaN when the detector states none.
  double sd_ms = std::numeric_limits<double>::quiet_NaN();
};

// The words of a stride that nearly every stride lacks: why it is invalid (words and codes) and why its spatial
// metrics are missing. Held behind one pointer, so that a valid stride carries 8 bytes for them instead of three
// empty strings and a vector (120 bytes): a day of running at 1 kHz keeps ~122 000 strides in memory.
struct StrideNotes {
  std::string invalid_reason;             // empty when valid (may also note a clipped impact on a valid stride)
  std::vector<std::string> invalid_codes; // one code per failed rule, in the order found (docs/plausibility.md)
  std::string spatial_issue;              // why the spatial metrics are missing (e.g. the gyroscope saturated)
};

// A StrideNotes with value semantics: copying a stride copies its notes; no notes until something is written.
class StrideNotesBox {
 public:
  StrideNotesBox() = default;
  StrideNotesBox(const StrideNotesBox& o) : p_(o.p_ ? std::make_unique<StrideNotes>(*o.p_) : nullptr) {}
  StrideNotesBox& operator=(const StrideNotesBox& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<StrideNotes>(*o.p_) : nullptr;
    return *this;
  }
  StrideNotesBox(StrideNotesBox&&) noexcept = default;
  StrideNotesBox& operator=(StrideNotesBox&&) noexcept = default;
  ~StrideNotesBox() = default;

  const StrideNotes& get() const {
    static const StrideNotes none;
    return p_ ? *p_ : none;
  }
  StrideNotes& edit() {
    if (!p_) p_ = std::make_unique<StrideNotes>();
    return *p_;
  }

 private:
  std::unique_ptr<StrideNotes> p_;
};

// One stride of one foot: from an initial contact (IC) to the next IC of the same foot. A value that was not
// measured (no toe-off found, no trajectory) is NaN, never 0: the JSON writes it as null, the CSV as an empty cell.
struct Stride {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Side foot = Side::unknown;
  double ic_s = 0.0;
  double tc_s = kNaN;              // NaN: no toe-off found between the two contacts
  double next_ic_s = 0.0;
  double stride_time_s = 0.0;
  // One SD of the timing error of ic_s and tc_s (the events' sd_ms; NaN when not known), and of the stride length
  // (ZUPT filter covariance over the swing, widened for rebuilt gyro peaks; NaN when there is no length).
  // docs/uncertainty.md says where each comes from and how it was calibrated.
  double ic_sd_ms = kNaN;
  double tc_sd_ms = kNaN;
  double gct_ms = kNaN;            // ground contact time: tc - ic
  double swing_ms = kNaN;          // next_ic - tc
  double flight_ms = kNaN;         // time with neither foot down; from one foot: max(0, stride_time/2 - gct)
  double duty_factor = kNaN;       // gct / stride time
  double cadence_spm = 0.0;        // steps per minute, both feet (from one foot: 2 steps per stride)
  double peak_impact_g = kNaN;     // peak |specific force| within 60 ms after IC, in g
  bool impact_clipped = false;     // the peak hit the sensor's range: a lower bound only
  bool valid = true;
  bool flight_from_one_foot = true;  // flight_ms estimated from this foot alone (see flight_ms)
  // Why it is invalid, and why its spatial metrics are missing (read them through the accessors below).
  StrideNotesBox notes;
  // Words: empty when valid (may also note a clipped impact on a valid stride).
  const std::string& invalid_reason() const { return notes.get().invalid_reason; }
  // Machine-readable: one code per failed rule, in the order found (docs/plausibility.md lists them), e.g.
  // "no_toe_off", "stride_time_out_of_range", "rest_inside", "speed_above_limit". Empty when valid.
  const std::vector<std::string>& invalid_codes() const { return notes.get().invalid_codes; }
  bool has_invalid_code(std::string_view code) const {
    for (const auto& c : invalid_codes())
      if (c == code) return true;
    return false;
  }
  // Marks the stride invalid for one rule: its code, and its words appended to invalid_reason.
  void invalidate(std::string_view code, const std::string& why) {
    valid = false;
    notes.edit().invalid_codes.emplace_back(code);
    add_reason(why);
  }
  // Words appended to invalid_reason without a code or a change of validity (a clipped impact on a valid stride).
  void add_reason(std::string_view why) { append_clause(notes.edit().invalid_reason, why); }

  // Spatial metrics from the foot's trajectory (NaN where they could not be computed).
  double stride_length_m = kNaN;        // horizontal distance between the footprints of this stance and the next
  double speed_mps = kNaN;              // stride length / stride time
  double fsa_deg = kNaN;                // foot pitch at IC relative to the flat foot in this stance, toe-up positive
  StrikePattern strike_pattern = StrikePattern::unknown;
  bool spatial_rebuilt = false;         // measured through rebuilt gyro peaks (analysis/clip_repair.hpp): estimates
  double toe_off_angle_deg = kNaN;      // foot pitch at TC relative to the flat foot, toe-down negative
  double pronation_excursion_deg = kNaN;  // rearfoot eversion from IC to its peak in stance (both feet: + = eversion)
  double pronation_velocity_dps = kNaN;   // peak eversion rate in stance
  double max_clearance_m = kNaN;        // highest point of the sensor in the swing, above its stance height
  double turning_angle_deg = kNaN;      // heading change from this stance to the next, left positive
  double pos_x_m = kNaN;                // footprint at the end of the stride, walk frame (first footprint at 0, 0;
  double pos_y_m = kNaN;                // x along the first heading, y to the left)
  // Why the spatial metrics are missing (e.g. the gyroscope saturated); empty when they are not.
  const std::string& spatial_issue() const { return notes.get().spatial_issue; }
  void set_spatial_issue(std::string why) {
    if (why.empty() && spatial_issue().empty()) return;  // no notes made for nothing
    notes.edit().spatial_issue = std::move(why);
  }
  void add_spatial_issue(std::string_view why) { append_clause(notes.edit().spatial_issue, why); }
  double length_sd_m = kNaN;            // one SD of stride_length_m (see ic_sd_ms above)

  // Shin placement (NaN for a shoe sensor).
  double pta_g = kNaN;                  // peak axial tibial acceleration within 60 ms after IC (NaN if clipped)
  double pta_rise_g_per_s = kNaN;       // from the value at IC to that peak, per second
  double shank_angle_ic_deg = kNaN;     // tibia from vertical at IC, ankle ahead of the knee positive

 private:
  // The words of one more finding: "a; b" (the notes read as one sentence of clauses).
  static void append_clause(std::string& words, std::string_view clause) {
    if (!words.empty()) words += "; ";
    words += clause;
  }
};

}  // namespace stride
