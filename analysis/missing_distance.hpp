// The distance a session covered, counting every valid stride: a stride without a measured length (its gyroscope
// saturated beyond what could be rebuilt, or its trajectory was lost) still covered ground. It is counted at the
// speed of its nearest measured neighbours times its own duration, and the total says how much was estimated.
#pragma once

#include <cstddef>
#include <span>

#include "analysis/rest_steps.hpp"
#include "analysis/stride_uncertainty.hpp"
#include "stride/gait.hpp"

namespace stride {

struct MissingDistance {
  double metres = 0;          // estimated, for the strides below
  std::size_t strides = 0;    // valid strides without a measured length that got an estimate
};

// Speed of up to `neighbours` measured valid strides on each side (the nearest, within 10 strides), median; no
// estimate for a stride with no measured neighbour or no duration. Invalid strides are never counted.
MissingDistance estimate_missing_distance(std::span<const Stride> strides, std::size_t neighbours = 2);

// One SD of a session's distance (measured valid strides plus `estimated_m` from the estimate above): the measured
// strides' length_sd_m add in quadrature (their errors are the filter's, swing by swing); a measured stride with no
// SD, and the estimated metres as one block (one neighbour speed serves several of them), count with
// estimated_stride_relative of their length. The steps out of rest (`rest`, counted in the distance too) add their
// variance and their metres to the shared term. NaN when nothing was measured or estimated.
double distance_sd_m(std::span<const Stride> strides, double estimated_m, const LengthUncertaintySettings& settings,
                     const RestSteps& rest = {});

// A stride measured through rebuilt gyro peaks whose speed is more than `tolerance` (a share) off the median speed
// of its nearest measured valid neighbours (up to 2 each side, within 10 strides; rebuilt ones count too: in a jog
// every stride is rebuilt, and the walking strides around it are a third slower) is not trusted: its spatial values
// are withheld (NaN, spatial_issue says why) and the distance estimate above counts it instead. Before the
// trajectory re-levelled after rebuilt swings, rebuilt running strides came out 0.6-0.9 m short; now the worst on the
// footprint walks is 0.23 m long, and the guard is for gross failures only (docs/clipping.md).
// Returns how many were withheld. Strides with no such neighbour keep their values.
std::size_t withhold_inconsistent_rebuilt(std::span<Stride> strides, double tolerance = 0.35);

}  // namespace stride
