// Where the sensor hit its range. Declared ranges (metadata) are used when present; otherwise a range is inferred
// from flat tops: an axis that sits at its largest magnitude (within 1 %) for 15 ms and at least 3 samples, at
// least twice, with that magnitude within 10 % of a range IMUs are sold with (±2..400 g, ±125..4000 deg/s), is
// taken as saturated there. A smooth peak of real motion stays that close to its maximum for a few ms only (2-3
// samples at a phone's 100 Hz, which is not a clip).
#pragma once

#include <Eigen/Core>
#include <span>

#include "stride/recording.hpp"

namespace stride {

struct Saturation {
  Eigen::Vector3d acc_limit_mps2 = Eigen::Vector3d::Zero();   // per axis; 0 = never saturated
  Eigen::Vector3d gyr_limit_rad_s = Eigen::Vector3d::Zero();
  bool acc_inferred = false;                                  // limits found from flat tops, not declared
  bool gyr_inferred = false;

  bool acc_clipped(const ImuSample& s) const;
  bool gyr_clipped(const ImuSample& s) const;
};

Saturation find_saturation(std::span<const ImuSample> samples, double rate_hz, const RecordingMeta& meta);

// The largest |value| per axis over the samples, folded into acc_peak and gyr_peak (NaN values leave them as they
// were): what the flat-top search below starts from.
void add_axis_peaks(std::span<const ImuSample> samples, Eigen::Vector3d& acc_peak, Eigen::Vector3d& gyr_peak);

// find_saturation over a recording read in blocks (the streaming path): constructed with each axis's peak over the
// whole recording (add_axis_peaks on a first pass), given every sample once in order by add(), then result() is
// find_saturation's over all the samples. needed() is false when both ranges are declared: no pass at all then.
class FlatTopSearch {
 public:
  FlatTopSearch(const Eigen::Vector3d& acc_peak, const Eigen::Vector3d& gyr_peak, double rate_hz,
                const RecordingMeta& meta);
  static bool needed(const RecordingMeta& meta);  // before the peaks are known (find_saturation's first pass)
  bool needed() const { return needed(meta_); }
  void add(std::span<const ImuSample> block);
  Saturation result() const;

 private:
  struct Axis {  // one axis whose limit is inferred: its flat-top level and runs
    double level = 0;
    std::size_t run = 0, long_runs = 0;
  };
  RecordingMeta meta_;
  std::size_t min_run_;
  Axis acc_[3], gyr_[3];
};

}  // namespace stride
