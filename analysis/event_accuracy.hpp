// Scoring detected events against reference events: one-to-one matching within a tolerance, then
// bias, SD, mean absolute error, detection and spurious rates. Used by the accuracy tests and reports.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace stride {

struct EventAccuracy {
  std::size_t reference = 0;   // reference events
  std::size_t detected = 0;    // detected events
  std::size_t matched = 0;     // pairs within the tolerance
  double bias_ms = 0;          // mean of detected - reference
  double sd_ms = 0;
  double mae_ms = 0;           // mean |detected - reference|
  double max_abs_ms = 0;
  std::vector<double> errors_ms;  // detected - reference of every matched pair, in matching order
  double p95_abs_ms() const;      // 95th percentile of |error| (nearest rank); 0 with no pair
  double detection_rate() const { return reference ? double(matched) / double(reference) : 0.0; }
  double spurious_rate() const { return detected ? double(detected - matched) / double(detected) : 0.0; }
  void add(const EventAccuracy& other);  // pools two scores (weighted by matched pairs)
};

// Both spans sorted ascending (seconds). Each reference event takes the nearest unused detection within tolerance.
EventAccuracy score_events(std::span<const double> reference_s, std::span<const double> detected_s,
                           double tolerance_s);

}  // namespace stride
