// analyze() over a recording that is read in blocks, as often as needed, instead of held whole: memory stays flat
// however long the recording (docs/measuring.md). The same stages as analyze(), fed the way the live path feeds
// them:
//   pass 1: count, time span, the median interval (the rate), the gyroscope's presence, each axis's peak;
//   without declared sensor ranges, a pass for find_saturation's flat tops (FlatTopSearch); then clipping;
//   passes 2-4 (or 5): the data quality's jitter and the mounting calibration (MountingCalibrationPasses);
//   last pass: StreamingEventDetector (the detector analyze() runs), StreamingStrideBuilder (StrideBuilder on each
//   stride's span) and StreamingSpatial (the trajectory's steps) per sample; only events and strides are kept (not
//   the detector's per-event diagnostics: EventResult's midswings, ic_jerk_mps3, tc_rate_rad_s stay empty); then
//   the session-wide steps analyze() ends with (the stride-time median check, the physical limits, distance,
//   summary: pipeline_steps).
// Covered: one foot on a shoe, with a gyroscope, nothing the clip repair would rebuild, a regular interval. Anything else says why in `not_covered` and the caller runs analyze() on the whole
// recording (the result is then the batch one, as before).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/pipeline.hpp"
#include "analysis/saturation.hpp"
#include "stride/interval_counts.hpp"

namespace stride {

// A recording read block by block: each call of `replay` gives every sample once, in order, to `sink` in blocks
// of any size (a file reader reads the file again). What the reader knows up front comes with it.
struct RecordingPasses {
  RecordingMeta meta;
  std::vector<Gap> gaps;               // as find_gaps over all samples gives them (the importer's)
  std::function<void(const std::function<void(std::span<const ImuSample>)>& sink)> replay;
};

// Pass 1's statistics, sample by sample: the count, the time span, the exact median interval, whether a gyroscope
// is there and how far each axis reached (clipping, against the declared or inferred range once it is known). A reader
// that reads the recording anyway (the import's first read) can gather them and hand them to analyze_streamed,
// which then skips its own pass 1.
class RecordingScan {
 public:
  explicit RecordingScan(std::size_t max_distinct_intervals = std::size_t{1} << 16);
  void add(std::span<const ImuSample> block);

  std::size_t samples() const { return samples_; }
  double duration_s() const { return last_t_s_ - first_t_s_; }
  double first_t_s() const { return first_t_s_; }
  double last_t_s() const { return last_t_s_; }
  bool any_gyro() const { return any_gyro_; }
  const Eigen::Vector3d& acc_peak() const { return acc_peak_; }  // max |a| per axis, m/s² (add_axis_peaks)
  const Eigen::Vector3d& gyro_peak() const { return gyro_peak_; }  // max |w| per axis, rad/s
  const IntervalCounts& intervals() const { return intervals_; }
  // Saturation::gyr_clipped for any sample (the flags the reader set, or an axis at its limit).
  bool gyro_clipped(const Saturation& saturation) const;

 private:
  std::size_t samples_ = 0;
  double first_t_s_ = 0, last_t_s_ = 0;
  bool any_gyro_ = false, gyro_flagged_ = false;
  Eigen::Vector3d acc_peak_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d gyro_peak_ = Eigen::Vector3d::Zero();
  IntervalCounts intervals_;
};

struct StreamedSettings {
  // Held at most, s: a stride longer than this (a stop) has its rest test and impact over its last keep_s only, and
  // a stance longer than this its zero-velocity window from its last keep_s (analyze: all of it). 100 s at 1 kHz
  // is ~13 MB for the stride builder and ~6 MB for the trajectory.
  double keep_s = 100.0;
  std::size_t max_distinct_intervals = 1 << 16;  // the exact median interval counts distinct intervals; more: batch
};

struct StreamedAnalysis {
  std::optional<SessionResult> result;  // empty: not covered (see not_covered), run analyze() instead
  std::string not_covered;              // why, in words
  int passes = 0;                       // how often the recording was read
};

// Why the streaming path cannot take a recording with this metadata ("" when it may: the samples can still say
// no), so that a reader can stop before reading the samples.
std::string streamed_not_covered(const RecordingMeta& meta);

// `scanned`: pass 1 already gathered over every sample of the recording (nullptr: analyze_streamed reads it).
StreamedAnalysis analyze_streamed(const RecordingPasses& recording, const PipelineSettings& settings,
                                  const std::function<void(std::size_t, const FootPose&)>& trajectory_sink = {},
                                  const StreamedSettings& streamed = {}, const RecordingScan* scanned = nullptr);

}  // namespace stride
