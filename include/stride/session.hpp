// What a session amounts to: per-metric statistics over the valid strides, and the data quality behind them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace stride {

struct MetricSummary {
  std::string name;        // machine name with unit, e.g. "gct_ms"
  std::size_t n = 0;       // valid strides that had a value
  double mean = 0, sd = 0, median = 0, min = 0, max = 0;
};

struct SessionSummary {
  double duration_s = 0;
  std::size_t strides_total = 0;
  std::size_t strides_valid = 0;
  bool one_foot = true;    // cadence and flight time were inferred from one foot (assumes symmetry)
  std::vector<MetricSummary> metrics;
};

struct DataQuality {
  std::size_t samples = 0;
  double nominal_rate_hz = 0;       // 1 / median interval
  double declared_rate_hz = 0;      // from the metadata, 0 if none
  double interval_jitter_ms = 0;    // SD of the sample intervals, gaps excluded
  double max_interval_ms = 0;
  std::size_t gaps = 0;
  std::size_t missing_samples = 0;
  double gap_total_s = 0;
  double gap_longest_s = 0;
  std::size_t clipped_acc_samples = 0;   // at (or beyond) the declared range, or on an inferred flat top
  std::size_t clipped_gyr_samples = 0;
  double acc_limit_mps2 = 0;             // the range used for that (0 = none known or found)
  double gyr_limit_rad_s = 0;
  bool acc_limit_inferred = false;       // found from flat tops in the data, not declared
  bool gyr_limit_inferred = false;
};

}  // namespace stride
