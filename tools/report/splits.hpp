// Splits of one session for the report: per km when the distance is known and long enough, else per N minutes
// (an accelerometer-only or shin sensor, or a short run). Pure: per-stride values in, one row per split out.
// Computed from the per-stride data every session document already carries, so no document field is added.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace stride::report {

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

// One stride of one foot, as the session document holds it (NaN: not measured).
struct SplitStride {
  double ic_s = 0.0;
  bool valid = false;
  double length_m = kNotMeasured;     // counted towards distance even when the stride is not valid
  double cadence_spm = kNotMeasured;
  double gct_ms = kNotMeasured;
  double impact_g = kNotMeasured;     // peak impact (shoe) or tibial shock (shin)
};

struct SplitFoot {
  std::vector<SplitStride> strides;  // in time order
  double distance_m = kNotMeasured;     // the document's spatial distance: stride lengths are scaled to add up to it
};

struct Split {
  std::string label;                 // "km 1", "0–2 min"; a partial last split says its length
  double from_s = 0, to_s = 0;
  bool partial = false;              // the last, shorter split
  double distance_m = kNotMeasured;     // NaN without spatial metrics
  double pace_s_per_km = kNotMeasured;
  double cadence_spm = kNotMeasured, gct_ms = kNotMeasured, stride_length_m = kNotMeasured, impact_g = kNotMeasured;
  int strides = 0;                   // valid strides in it, all feet together
};

struct SplitPlan {
  bool by_km = false;
  double minutes = 0;                // by time: the split length
};

// Per km when the distance is at least `min_km_for_km_splits` (so there are at least two), else per 1, 2, 5, 10,
// 15, 30 or 60 minutes: the shortest that gives at most `max_splits` splits.
SplitPlan plan_splits(double distance_m, double duration_s, double min_km_for_km_splits = 2.0, int max_splits = 12);

// At most this many split rows, whatever a document says (its distance and times are input like any other).
inline constexpr int kMaxSplitRows = 500;

// The splits of a session: metrics are medians of the valid strides of every foot whose IC falls in the split;
// distance (and pace) from the foot that covered the most ground (two feet run the same course). A last split with
// fewer than `min_strides` valid strides is dropped.
std::vector<Split> compute_splits(const std::vector<SplitFoot>& feet, double duration_s, const SplitPlan& plan,
                                  int min_strides = 5);

}  // namespace stride::report
