// The data-quality numbers (assess_quality, analysis/session_stats.hpp) gathered sample by sample.
#pragma once

#include <vector>

#include "analysis/saturation.hpp"
#include "stride/recording.hpp"
#include "stride/session.hpp"

namespace stride {

// assess_quality sample by sample, for a recording read in blocks: the samples in order, then the gaps. `nominal_s`
// = median_interval_s of all the samples (a first pass finds it).
class QualityScan {
 public:
  QualityScan(const RecordingMeta& meta, double nominal_s, const Saturation& saturation);
  void add(const ImuSample& s);
  DataQuality finish(const std::vector<Gap>& gaps) const;

 private:
  DataQuality q_;
  double nominal_;
  Saturation saturation_;
  bool first_ = true;
  double last_t_ = 0, sum_ = 0, sq_ = 0;
  std::size_t count_ = 0;
};

}  // namespace stride
