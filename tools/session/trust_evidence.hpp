// Which of a flag's strides a coach should look at in the report's trust view: the flag's metric (the per-stride
// value its rule rests on, read from the flag's own `values`) and up to kMaxEvidenceStrides of the foot's valid
// strides inside the flag's time range: the worst (furthest in the direction the flag is about), a typical one
// (nearest the median) and the mildest. Pure: a flag and strides in, indices out.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "stride/flag.hpp"
#include "stride/gait.hpp"

namespace stride::session {

inline constexpr std::size_t kMaxEvidenceStrides = 3;

// The per-stride field a flag rests on, as the stride JSON names it (e.g. "peak_impact_g"), and which way is worse:
// +1 higher values, -1 lower (a low cadence).
struct EvidenceMetric {
  std::string key;
  int worse = +1;
};

// The flag's metric for the strides of `side` ("left", "right", or the one sensor's key): the first of its values
// that names a stride field (for both feet, "left_gct_ms" of the left foot; "peak_g" is the peak impact,
// "rearfoot_share" the foot-strike angle). The direction: the value against its baseline ("baseline_" or
// "left_baseline_" ...), else against the other foot's (an asymmetry); else lower for cadence, higher for the rest. None for a flag without one (data quality).
std::optional<EvidenceMetric> evidence_metric(const Flag& flag, const std::string& side);

// A stride's value of a metric key that evidence_metric gives (NaN when not measured or not a known key).
double stride_value(const Stride& s, const std::string& key);

struct EvidenceStride {
  std::size_t index = 0;  // into the foot's strides (the document numbers them from 1)
  std::string label;      // "worst", "typical", "mildest"
  double value = 0;       // the metric's value on that stride
};

// Valid strides with `ic_s` and `next_ic_s` inside [from_s, to_s], at most max_stride_s long, with a finite value;
// worst first, each stride once. Empty when there is none.
std::vector<EvidenceStride> evidence_strides(const std::vector<Stride>& strides, const EvidenceMetric& metric,
                                             double from_s, double to_s, double max_stride_s);

}  // namespace stride::session
