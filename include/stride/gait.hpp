// Gait events and strides, as the analysis produces them.
#pragma once

#include <string>
#include <vector>

#include "stride/recording.hpp"

namespace stride {

enum class EventKind { initial_contact, terminal_contact };

struct GaitEvent {
  EventKind kind = EventKind::initial_contact;
  double t_s = 0.0;          // sub-sample time, seconds from the recording's start
  std::size_t sample = 0;    // index of the nearest sample
};

// One stride of one foot: from an initial contact (IC) to the next IC of the same foot.
struct Stride {
  Side foot = Side::unknown;
  double ic_s = 0.0;
  double tc_s = 0.0;
  double next_ic_s = 0.0;
  double stride_time_s = 0.0;
  double gct_ms = 0.0;             // ground contact time: tc - ic
  double swing_ms = 0.0;           // next_ic - tc
  double flight_ms = 0.0;          // time with neither foot down; from one foot: max(0, stride_time/2 - gct)
  bool flight_from_one_foot = true;
  double duty_factor = 0.0;        // gct / stride time
  double cadence_spm = 0.0;        // steps per minute, both feet (from one foot: 2 steps per stride)
  double peak_impact_g = 0.0;      // peak |specific force| within 60 ms after IC, in g
  bool impact_clipped = false;     // the peak hit the sensor's range: a lower bound only
  bool valid = true;
  std::string invalid_reason;      // empty when valid
};

}  // namespace stride
