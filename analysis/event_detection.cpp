#include "analysis/event_detection.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "analysis/streaming_events.hpp"

namespace stride {
namespace {

void check(bool ok, const char* field, double value, const char* range) {
  if (!ok)
    throw std::invalid_argument(std::string("ImpactPitchDetector: ") + field + " = " + std::to_string(value) +
                                " outside " + range);
}

}  // namespace

ImpactPitchDetector::ImpactPitchDetector() : ImpactPitchDetector(Settings{}) {}

ImpactPitchDetector::ImpactPitchDetector(const Settings& s) : s_(s) {
  check(s.midswing_lowpass_hz > 0.5 && s.midswing_lowpass_hz < 30, "midswing_lowpass_hz", s.midswing_lowpass_hz,
        "(0.5, 30) Hz");
  check(s.stance_lowpass_hz > 1 && s.stance_lowpass_hz < 60, "stance_lowpass_hz", s.stance_lowpass_hz, "(1, 60) Hz");
  check(s.midswing_min_rate_rad_s > 0, "midswing_min_rate_rad_s", s.midswing_min_rate_rad_s, "(0, inf) rad/s");
  check(s.midswing_relative > 0 && s.midswing_relative < 1, "midswing_relative", s.midswing_relative, "(0, 1)");
  check(s.midswing_min_acc_span_mps2 >= 0, "midswing_min_acc_span_mps2", s.midswing_min_acc_span_mps2,
        "[0, inf) m/s^2");
  check(s.midswing_motion_window_s > 0 && s.midswing_motion_window_s <= 0.5, "midswing_motion_window_s",
        s.midswing_motion_window_s, "(0, 0.5] s");
  check(s.min_cycle_s > 0.1 && s.min_cycle_s < s.max_cycle_s, "min_cycle_s", s.min_cycle_s, "(0.1 s, max_cycle_s)");
  check(s.ic_window_share > 0.2 && s.ic_window_share <= 1, "ic_window_share", s.ic_window_share, "(0.2, 1]");
  check(s.ic_first_jump_share > 0 && s.ic_first_jump_share <= 1, "ic_first_jump_share", s.ic_first_jump_share,
        "(0, 1]");
  check(s.ic_dorsiflexion_lookback_s > 0 && s.ic_dorsiflexion_lookback_s <= 0.2, "ic_dorsiflexion_lookback_s",
        s.ic_dorsiflexion_lookback_s, "(0, 0.2] s");
  s.uncertainty.validate();
  check(s.tc_window_share > 0.2 && s.tc_window_share <= 1, "tc_window_share", s.tc_window_share, "(0.2, 1]");
  check(s.shin_tc_delay_s >= 0 && s.shin_tc_delay_s < 0.2, "shin_tc_delay_s", s.shin_tc_delay_s, "[0, 0.2) s");
  check(s.shin_tc_smoothing_s >= 0 && s.shin_tc_smoothing_s <= 0.05, "shin_tc_smoothing_s", s.shin_tc_smoothing_s,
        "[0, 0.05] s");
  check(s.shin_tc_hysteresis_rad_s > 0, "shin_tc_hysteresis_rad_s", s.shin_tc_hysteresis_rad_s, "(0, inf) rad/s");
}

// Offline is the live detector fed the whole recording: one implementation, so live and offline events agree.
EventResult ImpactPitchDetector::detect(std::span<const ImuSample> x, const MountingCalibration::Result& m,
                                        double rate_hz) const {
  EventResult out;
  if (!m.ok || x.size() < 16 || rate_hz <= 0) return out;
  StreamingEventDetector live(s_, m, rate_hz);
  for (const auto& s : x) live.push(s, out);
  live.finish(out);
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const GaitEvent& a, const GaitEvent& b) { return a.t_s < b.t_s; });
  return out;
}

}  // namespace stride
