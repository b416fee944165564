// Physical limits every stride passes before it counts: stride length, speed, the length a walking cadence
// allows, swing clearance, turning rate, and consistency with the neighbouring strides. A stride that fails is
// kept, marked invalid with a code (Stride::invalid_codes) and its words (Stride::invalid_reason); no session
// total (distance, medians, cadence) counts it. The temporal rules (stride time, contact share, gaps, a rest
// inside, distance from the median stride time) are StrideBuilder's. docs/plausibility.md lists all rules.
//
// Offline the neighbours lie on both sides of a stride; live (StreamingSpatial) only the strides before it.
#pragma once

#include <cstddef>
#include <deque>
#include <span>
#include <vector>

#include "stride/gait.hpp"

namespace stride {

class StridePlausibility {
 public:
  struct Settings {
    double max_stride_length_m = 5.5;   // the longest human strides: elite sprinters at top speed, ~2.7 m per
                                        // step (Bolt, Berlin 2009: 2.44-2.77 m steps), so ~5.4 m per stride
    double max_speed_mps = 12.5;        // the fastest human speed measured, 12.4 m/s (Bolt, 60-80 m of the 2009
                                        // 100 m final)
    double walking_stride_s = 1.0;      // a stride this long or longer (<= 120 steps/min) is walking: running
                                        // cadences stay above ~140 steps/min even at a slow jog
    double max_walking_stride_length_m = 2.5;  // ... and then no longer than this: fast walking reaches ~2 m
                                        // strides, race walkers ~2.4 m (at 190+ steps/min)
    double max_clearance_m = 1.0;       // highest point of the swing above the stance it left: a sprinter's heel
                                        // recovery lifts the foot to ~0.6-0.8 m; two stair steps at once ~0.5 m
    double min_clearance_m = -0.1;      // the foot leaves the ground upward: a swing top below its own stance is
                                        // integration error (10 cm of slack for stairs down and drift)
    double max_turn_rate_dps = 300.0;   // |heading change| / stride time: a U-turn turns the foot 90-180 deg in a
                                        // step, i.e. at most ~180 deg in a stride of >= 0.6 s
    double max_neighbour_ratio = 2.0;   // a stride this many times longer than the median of its neighbours is a
                                        // trajectory error (accelerating from a standstill grows strides by at
                                        // most ~1.4x each; turns and stops shorten them, so there is no lower bound)
    std::size_t neighbours = 3;         // valid strides each side (offline) or before (live) that make the median
    std::size_t min_neighbours = 2;     // fewer than this: no neighbour check
  };

  StridePlausibility();
  explicit StridePlausibility(const Settings& settings);  // throws std::invalid_argument naming a bad field

  // The per-stride limits (length, speed, walking length, clearance, turning rate). Values that are NaN are not
  // checked (a stride without a trajectory is judged on its timing alone).
  void check(Stride& stride) const;
  // Every stride's limits, then each valid stride against the median length of its valid neighbours (both
  // sides). Strides are in time order. Returns how many strides failed at least one of these rules.
  std::size_t check_session(std::span<Stride> strides) const;
  // The neighbour rule for one stride against the lengths of the valid strides before it (live). Does not add
  // the stride to `previous`: the caller does, if it stayed valid and has a length.
  void check_against(Stride& stride, std::span<const double> neighbour_lengths_m) const;

  const Settings& settings() const { return s_; }

 private:
  Settings s_;
};

// The session's distance: the sum of the lengths of the valid strides (those with a length).
double valid_distance_m(std::span<const Stride> strides);

}  // namespace stride
