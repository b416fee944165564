#include "analysis/streaming_strides.hpp"

#include <algorithm>
#include <stdexcept>

namespace stride {

StreamingStrideBuilder::StreamingStrideBuilder(const StrideBuilder::Settings& strides, Side foot,
                                               const Saturation& saturation, double rate_hz)
    : StreamingStrideBuilder(strides, foot, saturation, rate_hz, Settings{}) {}

StreamingStrideBuilder::StreamingStrideBuilder(const StrideBuilder::Settings& strides, Side foot,
                                               const Saturation& saturation, double rate_hz, const Settings& live)
    : builder_(strides), live_(live), foot_(foot), saturation_(saturation) {
  if (!(rate_hz > 0)) throw std::invalid_argument("StreamingStrideBuilder: rate_hz must be > 0");
  if (!(live.keep_s > strides.impact_window_s)) throw std::invalid_argument("StreamingStrideBuilder: keep_s too short");
  keep_ = static_cast<std::size_t>(live.keep_s * rate_hz) + 1;
  samples_.reserve(2 * keep_ + 1);
  events_.reserve(8);
  scratch_.reserve(live.median_of);
}

void StreamingStrideBuilder::push_sample(const ImuSample& s) {
  samples_.push_back(s);
  if (samples_.size() > 2 * keep_)
    samples_.erase(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(samples_.size() - keep_));
}

void StreamingStrideBuilder::push_event(const GaitEvent& e, std::span<const Gap> gaps, std::vector<Stride>& out) {
  // In time order (the detector emits them so; this only guards against a late one).
  auto at = std::upper_bound(events_.begin(), events_.end(), e.t_s,
                             [](double t, const GaitEvent& x) { return t < x.t_s; });
  if (e.kind == EventKind::terminal_contact) {
    if (!events_.empty()) events_.insert(at, e);  // a TC before the first IC belongs to no stride
    return;
  }
  if (events_.empty() || at != events_.end()) {  // the first IC, or (never seen) one older than what we hold
    events_.insert(at, e);
    if (events_.front().kind != EventKind::initial_contact) events_.erase(events_.begin());
    return;
  }
  events_.push_back(e);
  const double ic = events_.front().t_s;
  // The gaps that touch this stride: from the back, while they end after its IC.
  std::size_t g0 = gaps.size();
  while (g0 > 0 && gaps[g0 - 1].end_s > ic) --g0;
  auto from = std::lower_bound(samples_.begin(), samples_.end(), ic,
                               [](const ImuSample& s, double t) { return s.t_s < t; });
  const std::span<const ImuSample> x(from, samples_.end());
  auto built = builder_.build(events_, x, gaps.subspan(g0), foot_, saturation_);
  events_.erase(events_.begin(), events_.end() - 1);  // the new IC starts the next stride
  for (auto& s : built) {
    if (s.valid) {
      recent_.push_back(s.stride_time_s);
      if (recent_.size() > live_.median_of) recent_.pop_front();
    }
    if (recent_.size() >= 3) {
      scratch_.assign(recent_.begin(), recent_.end());
      auto mid = scratch_.begin() + static_cast<std::ptrdiff_t>(scratch_.size() / 2);
      std::nth_element(scratch_.begin(), mid, scratch_.end());
      builder_.check_against_median(s, *mid);
    }
    out.push_back(std::move(s));
  }
}

}  // namespace stride
