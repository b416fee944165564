// Two feet of one session, on one clock: the strides of both feet merged into steps. What one foot can only
// infer (flight time, step time, each foot's share of the cadence) is measured here, and the two feet are
// compared. Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "stride/gait.hpp"
#include "stride/session.hpp"

namespace stride {

// One metric on both feet: medians over each foot's valid strides, and the symmetry index 200 |L-R| / (L+R).
struct SymmetryRow {
  std::string metric;          // e.g. "gct_ms"
  double left = Stride::kNaN;
  double right = Stride::kNaN;
  double si_pct = Stride::kNaN;
  std::size_t n_left = 0, n_right = 0;
};

struct BilateralResult {
  std::size_t steps = 0;                   // initial contacts of both feet in time order, within a running bout
  double alternation_share = 0.0;          // of consecutive contacts, the share from opposite feet (1: L R L R)
  double right_phase = Stride::kNaN;       // where the right foot lands within the left stride, median (0.5 =
                                           // midway; far from it: the clocks are not one, or not one session)
  std::vector<MetricSummary> metrics;      // cadence_spm, step_time_s, flight_ms: measured from both feet
  std::vector<SymmetryRow> symmetry;       // gct_ms, flight_ms, step_time_s, peak_impact_g, pta_g,
                                           // pronation_velocity_dps, pronation_excursion_deg, stride_length_m
  std::vector<std::string> warnings;       // e.g. the feet do not alternate: clocks misaligned or wrong files
};

// `left` and `right` are each foot's strides with every time on the same clock. Each stride whose toe-off is
// followed by the other foot's contact within the stride gets its measured flight (that contact - its toe-off,
// 0 when the other foot landed first) and flight_from_one_foot = false; the others keep the one-foot estimate.
BilateralResult combine_feet(std::vector<Stride>& left, std::vector<Stride>& right);

}  // namespace stride
