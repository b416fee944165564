#include "analysis/zero_velocity_in_ranges.hpp"

#include <algorithm>
#include <limits>

#include "analysis/butterworth.hpp"

namespace stride {

ZeroVelocityInRanges::ZeroVelocityInRanges(const FootTrajectory& trajectory, std::span<const GaitEvent> events,
                                           std::size_t samples, double rate_hz, std::span<const TimeRange> ranges,
                                           double pad_s)
    : trajectory_(trajectory), n_(samples), rate_hz_(rate_hz) {
  if (n_ < 8 || rate_hz_ <= 0 || ranges.empty()) return;  // zero_velocity_windows finds none either
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // A stance's time span from its events (the recording's ends are open: before the first and after the last
  // event the times are not known without the samples, and a range there reaches the stance anyway).
  const auto time_of = [&](std::size_t sample, double outside) {
    if (sample == 0 || sample >= n_) return outside;
    const auto e = std::lower_bound(events.begin(), events.end(), sample,
                                    [](const GaitEvent& g, std::size_t s) { return g.sample < s; });
    return e != events.end() && e->sample == sample ? e->t_s : outside;
  };
  const auto pad = static_cast<std::size_t>(pad_s * rate_hz_);
  for (const auto& [a, b] : FootTrajectory::stances(events, n_)) {
    const double from = time_of(a, -kInf), to = time_of(b, kInf);
    const bool reached = std::any_of(ranges.begin(), ranges.end(),
                                     [&](const TimeRange& r) { return from <= r.to_s && to >= r.from_s; });
    if (!reached) continue;
    const auto [lo, hi] = trajectory_.stance_search(a, b, n_, rate_hz_);
    Held h;
    h.a = a, h.b = b;
    h.first = lo > pad ? lo - pad : 0;
    h.last = std::min(n_, hi + pad);
    if (h.last > h.first + 2) held_.push_back(std::move(h));
  }
  std::sort(held_.begin(), held_.end(), [](const Held& x, const Held& y) { return x.first < y.first; });
}

void ZeroVelocityInRanges::add(std::span<const ImuSample> block) {
  const std::size_t begin = next_, end = next_ + block.size();
  next_ = end;
  for (auto& h : held_) {
    if (h.first >= end) break;  // sorted by first: none later starts in this block
    for (std::size_t i = std::max(begin, h.first); i < std::min(end, h.last); ++i) {
      h.rate.push_back(block[i - begin].gyr_rad_s.norm());
      h.t_s.push_back(block[i - begin].t_s);
    }
  }
}

std::vector<ZeroVelocityInRanges::Window> ZeroVelocityInRanges::windows() const {
  std::vector<Window> out;
  const ButterworthLowpass smoother(FootTrajectory::rate_smoothing(rate_hz_));
  std::vector<double> smooth;
  for (const auto& h : held_) {
    if (h.rate.size() != h.last - h.first) continue;  // the pass ended early
    smooth.resize(h.rate.size());
    smoother.filtfilt(h.rate, smooth);
    ZeroVelocityWindow w;
    if (trajectory_.stance_window(smooth, h.first, h.a, h.b, n_, rate_hz_, w))
      out.push_back({h.t_s[w.first - h.first], h.t_s[w.last - h.first]});
  }
  std::sort(out.begin(), out.end(), [](const Window& x, const Window& y) { return x.first_t_s < y.first_t_s; });
  return out;
}

}  // namespace stride
