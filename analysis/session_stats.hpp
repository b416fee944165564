// Session statistics (mean, SD, median...) over valid strides, and the data-quality numbers of a recording.
#pragma once

#include <span>

#include "analysis/saturation.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"
#include "stride/session.hpp"

namespace stride {

SessionSummary summarize(std::span<const Stride> strides, double duration_s);
DataQuality assess_quality(const Recording& recording, const Saturation& saturation);

}  // namespace stride
