// Shared by the accelerometer-only tests: a recording with its gyroscope removed (NaN rates, as the importer
// gives a file without gyro columns), and a detector's events split by kind.
#pragma once

#include <limits>
#include <vector>

#include "analysis/event_detection.hpp"
#include "stride/recording.hpp"

namespace stride {

inline Recording without_gyro(Recording rec) {
  for (auto& s : rec.samples) s.gyr_rad_s.setConstant(std::numeric_limits<double>::quiet_NaN());
  return rec;
}

inline void split_events(const EventResult& r, std::vector<double>& ic, std::vector<double>& tc) {
  for (const auto& e : r.events) (e.kind == EventKind::initial_contact ? ic : tc).push_back(e.t_s);
}

}  // namespace stride
