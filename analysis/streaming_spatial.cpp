#include "analysis/streaming_spatial.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace stride {

StreamingSpatial::StreamingSpatial(const FootTrajectory::Settings& trajectory,
                                   const MountingCalibration::Result& mounting, Side foot,
                                   const Saturation& saturation, double rate_hz)
    : StreamingSpatial(trajectory, mounting, foot, saturation, rate_hz, Settings{}) {}

StreamingSpatial::StreamingSpatial(const FootTrajectory::Settings& trajectory,
                                   const MountingCalibration::Result& mounting, Side foot,
                                   const Saturation& saturation, double rate_hz, const Settings& live)
    : StreamingSpatial(trajectory, mounting, foot, saturation, rate_hz, StridePlausibility::Settings{}, live) {}

StreamingSpatial::StreamingSpatial(const FootTrajectory::Settings& trajectory,
                                   const MountingCalibration::Result& mounting, Side foot,
                                   const Saturation& saturation, double rate_hz,
                                   const StridePlausibility::Settings& limits)
    : StreamingSpatial(trajectory, mounting, foot, saturation, rate_hz, limits, Settings{}) {}

StreamingSpatial::StreamingSpatial(const FootTrajectory::Settings& trajectory,
                                   const MountingCalibration::Result& mounting, Side foot,
                                   const Saturation& saturation, double rate_hz,
                                   const StridePlausibility::Settings& limits, const Settings& live)
    : trajectory_(trajectory),
      live_(live),
      foot_(foot),
      saturation_(saturation),
      rate_hz_(rate_hz),
      steps_(mounting, foot, trajectory.uncertainty),
      limits_(limits),
      smoother_(FootTrajectory::rate_smoothing(rate_hz > 0 ? rate_hz : 1.0)),
      stepper_(trajectory, mounting, saturation, [this](std::size_t i, const FootPose& p) { on_pose(i, p); }) {
  if (!(rate_hz > 0)) throw std::invalid_argument("StreamingSpatial: rate_hz = " + std::to_string(rate_hz) + " must be > 0");
  if (!(live.pad_s >= 0)) throw std::invalid_argument("StreamingSpatial: pad_s = " + std::to_string(live.pad_s) + " must be >= 0");
  if (!(live.max_hold_s >= 2 * trajectory.max_swing_s))
    throw std::invalid_argument("StreamingSpatial: max_hold_s = " + std::to_string(live.max_hold_s) +
                                " must be >= 2 * max_swing_s");
  hold_ = static_cast<std::size_t>(live.max_hold_s * rate_hz) + 1;
  pad_ = static_cast<std::size_t>(live.pad_s * rate_hz);
  margin_ = static_cast<std::size_t>(trajectory.stance_margin_s * rate_hz);
  buf_.reserve(2 * hold_ + 1);
  rate_.reserve(hold_);
  smooth_.reserve(hold_);
  windows_.reserve(8);
  records_.reserve(16);
  scratch_.reserve(limits.neighbours);
}

std::span<const ImuSample> StreamingSpatial::held(std::size_t first, std::size_t last) const {
  const std::size_t end = base_ + buf_.size();
  first = std::max(first, base_);
  last = std::min(last, end == 0 ? 0 : end - 1);
  if (buf_.empty() || first > last) return {};
  return std::span<const ImuSample>(buf_).subspan(first - base_, last - first + 1);
}

void StreamingSpatial::push_sample(const ImuSample& s) {
  buf_.push_back(s);
  compact();
}

void StreamingSpatial::compact() {
  // The oldest sample still needed: the stepper's previous one, the open stance and its smoothing context, the
  // latest record's stride (clipping counted at the next IC), the next window's samples (re-levelling).
  std::size_t need = base_ + buf_.size();
  need = std::min(need, next_ > 0 ? next_ - 1 : 0);
  if (in_stance_) {
    const std::size_t lo = open_ == 0 ? 0 : open_ + margin_;
    need = std::min(need, lo > pad_ ? lo - pad_ : 0);
  }
  if (!records_.empty() && records_.back().next_ic == StanceRecord::kUnknown) need = std::min(need, records_.back().ic);
  if (wi_ < windows_.size()) need = std::min(need, windows_[wi_].first);
  if (start_swing_open_) need = std::min(need, start_window_last_ + 1);
  const std::size_t drop = need > base_ ? need - base_ : 0;
  if (drop > 0 && drop >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(drop));
    base_ += drop;
  } else if (buf_.size() >= 2 * hold_) {
    // A stance longer than max_hold_s (standing still): its start goes through the filter without its window.
    const std::size_t forced = buf_.size() - hold_;
    advance(base_ + forced);
    next_ = std::max(next_, base_ + forced);
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(forced));
    base_ += forced;
  }
}

void StreamingSpatial::close_stance(std::size_t a, std::size_t b, std::size_t end) {
  const auto [lo, hi] = trajectory_.stance_search(a, b, end, rate_hz_);
  const std::size_t held_end = base_ + buf_.size();
  const std::size_t first = std::max(base_, lo > pad_ ? lo - pad_ : 0);
  const std::size_t last = std::min(held_end, hi + pad_);  // exclusive
  if (last <= first + 2) return;
  rate_.resize(last - first);
  smooth_.resize(last - first);
  for (std::size_t i = first; i < last; ++i) rate_[i - first] = buf_[i - base_].gyr_rad_s.norm();
  smoother_.filtfilt(rate_, smooth_);
  ZeroVelocityWindow w;
  if (!trajectory_.stance_window(smooth_, first, a, b, end, rate_hz_, w)) return;
  windows_.push_back(w);
  ++windows_found_;
  for (auto& r : records_)
    if (!r.has_centre && w.centre >= r.ic && w.centre <= (r.has_tc ? r.tc : r.next_ic)) {
      r.centre = w.centre;
      r.has_centre = true;
      break;
    }
  if (!stepper_.started()) {
    have_origin_ = true;
    origin_centre_ = w.centre;
    standing_start_ = start_swing_open_ = records_.empty() && is_rest(trajectory_.settings(), w, held(w.first, w.last));
    start_window_last_ = w.last;
    stepper_.start(held(w.first, w.last));
    for (std::size_t i = std::max(next_, base_); i < w.first; ++i) stepper_.initial(i, buf_[i - base_].t_s);
    next_ = w.first;
    start_ = w.first;
  }
}

void StreamingSpatial::advance(std::size_t frontier) {
  if (!stepper_.started()) return;
  frontier = std::min(frontier, base_ + buf_.size());
  for (std::size_t i = next_; i < frontier; ++i) {
    while (wi_ < windows_.size() && windows_[wi_].last < i) ++wi_;
    const ZeroVelocityWindow* w = wi_ < windows_.size() ? &windows_[wi_] : nullptr;
    const ImuSample* previous = i > start_ && i > base_ ? &buf_[i - 1 - base_] : nullptr;
    stepper_.step(i, previous, buf_[i - base_], w, w ? held(w->first, w->last) : std::span<const ImuSample>{});
  }
  next_ = std::max(next_, frontier);
  if (wi_ > 0) {
    windows_.erase(windows_.begin(), windows_.begin() + static_cast<std::ptrdiff_t>(wi_));
    wi_ = 0;
  }
}

void StreamingSpatial::on_pose(std::size_t i, const FootPose& pose) {
  if (pose_sink_) pose_sink_(i, pose);
  if (have_origin_ && i == origin_centre_) origin_ = pose.pos_m;
  steps_.add_pose(i, pose, records_, first_open_);
}

void StreamingSpatial::push_event(const GaitEvent& e, std::vector<Stride>& out) {
  if (finished_) return;
  const std::size_t unknown = StanceRecord::kUnknown;
  if (!any_event_) {
    any_event_ = true;
    // The rest before a first IC is a stance of its own (as zero_velocity_windows has it).
    if (e.kind == EventKind::initial_contact) close_stance(0, e.sample, unknown);
  }
  std::size_t frontier = next_;
  if (e.kind == EventKind::terminal_contact) {
    if (!records_.empty() && records_.back().next_ic == unknown && !records_.back().has_tc) {
      auto& r = records_.back();
      r.tc = e.sample;
      r.has_tc = true;
      steps_.stance_rates(r, held(r.ic, r.tc));
    }
    if (in_stance_) {
      close_stance(open_, e.sample, unknown);
      in_stance_ = false;
      // Up to the TC every sample's window is known; after it, the swing until an IC not yet seen.
      frontier = e.sample + 1;
    }
  } else {
    if (!records_.empty() && records_.back().next_ic == unknown) {
      auto& r = records_.back();
      r.next_ic = e.sample;
      SpatialSteps::clipping(r, held(r.ic, r.next_ic), saturation_);
    }
    if (start_swing_open_) {
      SpatialSteps::clipping(start_swing_, held(start_window_last_ + 1, e.sample), saturation_);
      start_swing_open_ = false;
    }
    StanceRecord r;
    r.ic = r.tc = e.sample;
    r.ic_t_s = e.t_s;
    records_.push_back(r);
    open_ = e.sample;
    in_stance_ = true;
    frontier = e.sample;  // whether this IC starts a window is known at its TC
  }
  if (frontier > next_) advance(frontier);
  emit_ready(out);
}

void StreamingSpatial::finish(std::vector<Stride>& out) {
  if (finished_) return;
  const std::size_t n = base_ + buf_.size();
  if (in_stance_ && n > 0) close_stance(open_, n, n);
  if (!records_.empty() && records_.back().next_ic == StanceRecord::kUnknown) records_.back().next_ic = n > 0 ? n - 1 : 0;
  finished_ = true;
  advance(n);
  stepper_.finish();
  emit_ready(out);
  if (!records_.empty()) measure_start_step(records_.front());  // a single stance: no stride came out
}

void StreamingSpatial::measure_start_step(const StanceRecord& first) {
  if (!standing_start_ || start_step_done_) return;
  start_step_done_ = true;
  start_step_ = steps_.step_from_rest(origin_, first, start_swing_);
}

void StreamingSpatial::emit_ready(std::vector<Stride>& out) {
  while (records_.size() >= 2) {
    const StanceRecord& a = records_[0];
    const StanceRecord& b = records_[1];
    // b's footprint is decided once its stance closed (its TC, its next IC, or the end).
    const bool decided = b.has_centre || b.has_tc || b.next_ic != StanceRecord::kUnknown || finished_;
    const std::size_t need = std::max(a.next_ic, b.has_centre ? b.centre : 0);
    const bool posed = stepper_.started() && stepper_.oldest_held(next_) > need;
    if (!decided || !(posed || finished_)) {
      if (records_.size() > 16) {  // no window for many strides (no stepper): let the oldest go without values
        records_.erase(records_.begin());
        first_open_ = first_open_ > 0 ? first_open_ - 1 : 0;
        continue;
      }
      return;
    }
    Stride s;
    s.foot = foot_;
    s.ic_s = a.ic_t_s;
    s.next_ic_s = b.ic_t_s;
    s.stride_time_s = s.next_ic_s - s.ic_s;
    if (posed) {
      measure_start_step(a);
      if (steps_.fill(a, b, origin_, s)) ++saturated_strides_;
      if (b.has_centre) last_footprint_ = b.footprint;
      limits_.check(s);
      scratch_.assign(recent_lengths_.begin(), recent_lengths_.end());
      limits_.check_against(s, scratch_);
      if (s.valid && std::isfinite(s.stride_length_m)) {
        recent_lengths_.push_back(s.stride_length_m);
        if (recent_lengths_.size() > limits_.settings().neighbours) recent_lengths_.pop_front();
      }
    }
    out.push_back(std::move(s));
    records_.erase(records_.begin());
    first_open_ = first_open_ > 0 ? first_open_ - 1 : 0;
  }
}

double StreamingSpatial::distance_from_start_m() const { return (last_footprint_ - origin_).head<2>().norm(); }

}  // namespace stride
