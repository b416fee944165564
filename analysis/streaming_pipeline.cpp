#include "analysis/streaming_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include "analysis/chunked_list.hpp"
#include "analysis/clip_repair.hpp"
#include "analysis/mounting_calibration_passes.hpp"
#include "analysis/pipeline_steps.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_spatial.hpp"
#include "analysis/streaming_strides.hpp"
#include "analysis/quality_scan.hpp"
#include "stride/interval_counts.hpp"

namespace stride {
namespace {

// The spatial values StreamingSpatial gives a stride (add_spatial_metrics's SpatialSteps::fill).
void take_spatial(const Stride& from, Stride& to) {
  to.stride_length_m = from.stride_length_m;
  to.length_sd_m = from.length_sd_m;
  to.speed_mps = from.speed_mps;
  to.fsa_deg = from.fsa_deg;
  to.strike_pattern = from.strike_pattern;
  to.toe_off_angle_deg = from.toe_off_angle_deg;
  to.pronation_excursion_deg = from.pronation_excursion_deg;
  to.pronation_velocity_dps = from.pronation_velocity_dps;
  to.max_clearance_m = from.max_clearance_m;
  to.turning_angle_deg = from.turning_angle_deg;
  to.pos_x_m = from.pos_x_m;
  to.pos_y_m = from.pos_y_m;
  to.set_spatial_issue(from.spatial_issue());
  to.spatial_rebuilt = from.spatial_rebuilt;
}

// Gives each stride the spatial values of the spatial stride with its IC (add_spatial_metrics's tolerance) as both
// come, so that neither list is held for the session: the strides of StreamingStrideBuilder and of
// StreamingSpatial arrive in their own time, in IC order each. Matches as one walk over both lists at the end would:
// for each stride in order, skip the spatial strides whose IC is more than the tolerance before its IC, and take
// the next one if its IC is within the tolerance. A stride is decided once a spatial stride at or after its IC
// (less the tolerance) is known, or the spatial stage has finished; what waits is a stride or two.
class SpatialMatch {
 public:
  explicit SpatialMatch(double tolerance_s) : tolerance_s_(tolerance_s) {}

  // `fresh`: spatial strides just out (emptied); `strides`: every stride so far (those from next_ on are open).
  void match(std::vector<Stride>& fresh, std::vector<Stride>& strides, bool spatial_finished) {
    for (auto& x : fresh) pending_.push_back(std::move(x));
    fresh.clear();
    while (next_ < strides.size()) {
      Stride& s = strides[next_];
      while (!pending_.empty() && pending_.front().ic_s < s.ic_s - tolerance_s_) pending_.pop_front();
      if (pending_.empty()) {
        if (!spatial_finished) return;  // the spatial stride for this one may still come
        next_ = strides.size();         // none will: the walk's end (no values for the rest)
        return;
      }
      if (std::abs(pending_.front().ic_s - s.ic_s) < tolerance_s_) take_spatial(pending_.front(), s);
      ++next_;
    }
  }

  // The decided strides (the first of `strides`) moved to `decided`, in order; `strides` keeps the open ones.
  void settle(std::vector<Stride>& strides, ChunkedList<Stride>& decided) {
    for (std::size_t i = 0; i < next_; ++i) decided.push_back(std::move(strides[i]));
    strides.erase(strides.begin(), strides.begin() + static_cast<std::ptrdiff_t>(next_));
    next_ = 0;
  }

 private:
  double tolerance_s_;
  std::deque<Stride> pending_;  // spatial strides not yet passed by the walk
  std::size_t next_ = 0;        // the first stride not yet decided
};

void clear(EventResult& e) {
  e.events.clear();
  e.midswings.clear();
  e.ic_jerk_mps3.clear();
  e.tc_rate_rad_s.clear();
}

// The last pass: events, strides and their spatial values, sample by sample.
void per_sample_stages(const RecordingPasses& rec, const PipelineSettings& placed, const Saturation& saturation,
                       double rate, const StreamedSettings& streamed,
                       const std::function<void(std::size_t, const FootPose&)>& trajectory_sink, SessionResult& r) {
  const Side side = rec.meta.side;
  StreamingEventDetector detector(placed.events, r.mounting, rate);
  // No running median: the session's median is applied below, as StrideBuilder::build does.
  StreamingStrideBuilder strides(placed.strides, side, saturation, rate, {streamed.keep_s, 0});
  StreamingSpatial spatial(placed.trajectory, r.mounting, side, saturation, rate, placed.plausibility,
                           {StreamingSpatial::Settings{}.pad_s, streamed.keep_s});
  if (trajectory_sink) spatial.set_pose_sink(trajectory_sink);
  const std::span<const Gap> gaps = rec.gaps;
  std::size_t gaps_known = 0;  // the gaps that began before the newest sample
  EventResult fresh;
  std::vector<Stride> spatial_out;  // the spatial strides just out, matched to the strides at once
  // The spatial values, matched by IC (add_spatial_metrics's tolerance: 0.6 samples).
  SpatialMatch spatial_match(0.6 / rate + 1e-9);
  // Held in chunks to the end of the pass, then moved into vectors of their exact size: no doubling's 3x moment
  // (docs/measuring.md). The detector's per-event diagnostics (midswings, IC jerks, TC rates) are not kept: nothing
  // after the analysis reads them, and they would grow with the recording.
  std::vector<Stride> open;  // strides out of the builder whose spatial stride may still come
  ChunkedList<Stride> decided;
  ChunkedList<GaitEvent> events;
  const auto take = [&] {
    for (const auto& e : fresh.events) {
      strides.push_event(e, gaps.first(gaps_known), open);
      spatial.push_event(e, spatial_out);
      events.push_back(e);
    }
    spatial_match.match(spatial_out, open, false);
    spatial_match.settle(open, decided);
    clear(fresh);
  };
  rec.replay([&](std::span<const ImuSample> block) {
    for (const auto& s : block) {
      while (gaps_known < gaps.size() && gaps[gaps_known].start_s < s.t_s) ++gaps_known;
      strides.push_sample(s);
      spatial.push_sample(s);
      detector.push(s, fresh);
      if (!fresh.events.empty() || !fresh.midswings.empty()) take();
    }
  });
  detector.finish(fresh);
  take();
  spatial.finish(spatial_out);
  spatial_match.match(spatial_out, open, true);
  spatial_match.settle(open, decided);
  decided.move_into(r.strides);
  events.move_into(r.events.events);
  // The detector emits its events in time order: sort only when they are not (stable_sort's buffer is the size of
  // the list, 7.8 MB at 24 h of running, and it was the pass's memory peak).
  const auto by_time = [](const GaitEvent& a, const GaitEvent& b) { return a.t_s < b.t_s; };
  if (!std::is_sorted(r.events.events.begin(), r.events.events.end(), by_time))
    std::stable_sort(r.events.events.begin(), r.events.events.end(), by_time);

  // StrideBuilder::build's session median check.
  std::vector<double> times;
  for (const auto& s : r.strides)
    if (s.valid) times.push_back(s.stride_time_s);
  if (times.size() >= 3) {
    auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), mid, times.end());
    const StrideBuilder builder(placed.strides);
    for (auto& s : r.strides) builder.check_against_median(s, *mid);
  }

  r.spatial.zero_velocity_windows = spatial.windows_found();
  r.spatial.ok = spatial.windows_found() > 0;
  r.spatial.saturated_strides = spatial.saturated_strides();
  r.spatial.loop_closure_m = spatial.distance_from_start_m();
  r.spatial.start_step = spatial.start_step();
}

}  // namespace

std::string streamed_not_covered(const RecordingMeta& meta) {
  if (meta.placement == Placement::shin) return "shin placement";
  return {};
}

RecordingScan::RecordingScan(std::size_t max_distinct_intervals) : intervals_(max_distinct_intervals) {}

void RecordingScan::add(std::span<const ImuSample> block) {
  for (const auto& s : block) {
    if (samples_++ == 0) first_t_s_ = s.t_s;
    last_t_s_ = s.t_s;
    any_gyro_ = any_gyro_ || s.gyr_rad_s.allFinite();
    gyro_flagged_ = gyro_flagged_ || (s.clipped & (kClipGyrX | kClipGyrY | kClipGyrZ));
    intervals_.add(s.t_s);
  }
  add_axis_peaks(block, acc_peak_, gyro_peak_);
}

bool RecordingScan::gyro_clipped(const Saturation& saturation) const {
  if (gyro_flagged_) return true;
  for (int a = 0; a < 3; ++a)
    if (saturation.gyr_limit_rad_s[a] > 0 && gyro_peak_[a] >= saturation.gyr_limit_rad_s[a]) return true;
  return false;
}

StreamedAnalysis analyze_streamed(const RecordingPasses& rec, const PipelineSettings& settings,
                                  const std::function<void(std::size_t, const FootPose&)>& trajectory_sink,
                                  const StreamedSettings& streamed, const RecordingScan* scanned) {
  StreamedAnalysis out;
  const auto not_covered = [&](std::string why) {
    out.not_covered = std::move(why);
    return out;
  };
  if (std::string why = streamed_not_covered(rec.meta); !why.empty()) return not_covered(std::move(why));
  const pipeline_steps::Stages stages(settings, rec.meta.placement);  // the settings checked
  const PipelineSettings& placed = stages.placed;

  RecordingScan own(streamed.max_distinct_intervals);
  if (!scanned) {
    rec.replay([&](std::span<const ImuSample> block) { own.add(block); });
    ++out.passes;
  }
  const RecordingScan& first = scanned ? *scanned : own;
  if (first.samples() > 0 && !first.any_gyro()) return not_covered("no gyroscope");
  if (first.intervals().full()) return not_covered("too many distinct sample intervals for the exact median");

  SessionResult r;
  const double interval = first.intervals().median_s();
  const double rate = interval > 0 ? 1.0 / interval : 0.0;
  if (!pipeline_steps::rate_usable(r, rate, first.samples(), first.duration_s(), settings)) {
    out.result = std::move(r);
    return out;
  }
  // The declared ranges, else the flat tops near each axis's peak (one pass, only for an undeclared range).
  FlatTopSearch flat_tops(first.acc_peak(), first.gyro_peak(), rate, rec.meta);
  if (flat_tops.needed()) {
    rec.replay([&](std::span<const ImuSample> block) { flat_tops.add(block); });
    ++out.passes;
  }
  const Saturation saturation = flat_tops.result();
  if (settings.clip_repair.enabled && first.gyro_clipped(saturation))
    return not_covered("the gyroscope clipped (clip repair)");
  // Pass 2 (the data quality) rides on the calibration's first pass when there is one.
  QualityScan quality(rec.meta, interval, saturation);
  const bool enough = first.samples() >= 16 && rate > 0;
  MountingCalibrationPasses calibration(placed.calibration, enough ? rate : 0.0, first.samples());
  bool quality_done = false;
  while (!quality_done || (enough && !calibration.done())) {
    rec.replay([&](std::span<const ImuSample> block) {
      if (!quality_done)
        for (const auto& s : block) quality.add(s);
      if (enough) calibration.push(block);
    });
    ++out.passes;
    quality_done = true;
    if (enough) calibration.end_pass();
  }
  r.quality = quality.finish(rec.gaps);
  r.summary.duration_s = first.duration_s();  // (finish_session sets it again; said also when a step gives up)
  if (!pipeline_steps::enough_samples(r, saturation, first.samples(), rate, rec.meta.placement)) {
    out.result = std::move(r);
    return out;
  }
  r.mounting = calibration.result();
  if (!pipeline_steps::mounting_usable(r)) {
    out.result = std::move(r);
    return out;
  }
  per_sample_stages(rec, placed, saturation, rate, streamed, trajectory_sink, r);
  ++out.passes;
  pipeline_steps::spatial_warnings(r, rec.meta.side);
  pipeline_steps::finish_session(r, settings, stages.plausibility, first.duration_s());
  out.result = std::move(r);
  return out;
}

}  // namespace stride
