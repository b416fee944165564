// Session statistics (mean, SD, median...) over valid strides, and the data-quality numbers of a recording.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "analysis/saturation.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"
#include "stride/session.hpp"

namespace stride {

// The median (the mean of the middle two for an even count); NaN for no values.
double median(std::vector<double> values);

// n, mean, SD, median, min, max of a list of values (all of them: filter before).
MetricSummary summarize_values(std::string name, std::vector<double> values);
SessionSummary summarize(std::span<const Stride> strides, double duration_s);
DataQuality assess_quality(const Recording& recording, const Saturation& saturation);

}  // namespace stride
