#include "tools/session/trust_windows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "analysis/zero_velocity_in_ranges.hpp"
#include "tools/session/trust_evidence.hpp"

namespace stride::session {
namespace {

using nlohmann::json;
using ZvWindow = ZeroVelocityInRanges::Window;

constexpr double kG = 9.80665;
constexpr double kDegPerRad = 57.29577951308232;

// Rounded to `per_unit` steps per unit (1000: ms), dividing by an integer so the JSON prints the short decimal.
double rounded(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

// What choosing the windows needs of a foot, without its samples.
struct FootSpan {
  std::string side;
  const SessionResult* result = nullptr;
  std::size_t samples = 0;
  double first_t_s = 0, last_t_s = 0;
  std::function<double()> rate_hz;  // asked only when a flag needs the foot (batch: a median over the samples)
};

// The zoom, in the recording's time: [from_s, to_s) is kept at full rate; the stride it shows (NaN without one) and
// its index in the foot's strides (npos without one).
struct Zoom {
  double from_s = 0, to_s = 0;
  double ic_s = std::numeric_limits<double>::quiet_NaN(), next_ic_s = std::numeric_limits<double>::quiet_NaN();
  std::size_t stride = std::string::npos;
};

// One of the flag's evidence strides (tools/session/trust_evidence) and the samples it is drawn from, [from_s, to_s)
// at full rate; none (from_s = to_s) when it is the zoom's stride, whose samples the window holds already.
struct Segment {
  EvidenceStride stride;
  double from_s = 0, to_s = 0;
};

// One flag's evidence in a window: the flag, its metric on the window's foot and its evidence strides (chosen from the
// flag's own range).
struct FlagEvidence {
  std::size_t flag = 0;
  std::optional<EvidenceMetric> metric{};
  std::vector<Segment> evidence{};
};

// One window to draw: the foot, the time range [from_s, to_s) of its samples, the foot's rate, its zoom, and the
// evidence of every flag whose window this is (several flags over the same range share the raw signal), in the
// flags' order: the first is the window's own flag ("flag", "evidence_strides"), the others "other_flags".
struct Planned {
  std::size_t foot = 0;
  double from_s = 0, to_s = 0, rate_hz = 0;
  Zoom zoom{};
  std::vector<FlagEvidence> flags{};
};

// The stride whose middle is nearest the window's (the middle of the flag's range, unless the window was clamped to
// the recording), a valid one before an invalid one, among those inside the window; else kZoomFallbackS around the
// middle.
Zoom choose_zoom(const SessionResult& result, double from, double to) {
  const double middle = 0.5 * (from + to);
  const auto rank = [&](const Stride& s) {
    return std::pair{!s.valid, std::abs(0.5 * (s.ic_s + s.next_ic_s) - middle)};
  };
  std::size_t best = std::string::npos;
  for (std::size_t i = 0; i < result.strides.size(); ++i) {
    const Stride& s = result.strides[i];
    const bool inside = s.ic_s >= from && s.next_ic_s <= to;
    if (inside && s.next_ic_s > s.ic_s && s.next_ic_s - s.ic_s <= kZoomMaxStrideS &&
        (best == std::string::npos || rank(s) < rank(result.strides[best])))
      best = i;
  }
  if (best != std::string::npos) {
    const Stride& s = result.strides[best];
    return {std::max(from, s.ic_s - kZoomPadS), std::min(to, s.next_ic_s + kZoomPadS), s.ic_s, s.next_ic_s, best};
  }
  const double a = std::clamp(middle - kZoomFallbackS / 2, from, std::max(from, to - kZoomFallbackS));
  return {a, std::min(to, a + kZoomFallbackS)};
}

// The flag's metric on the foot and its evidence strides (from its own range); their segments are set by
// place_segments once the window's flags are known.
FlagEvidence flag_evidence(std::size_t f, const Flag& flag, const FootSpan& foot) {
  FlagEvidence out{f, evidence_metric(flag, foot.side), {}};
  if (out.metric)
    for (const auto& e : evidence_strides(foot.result->strides, *out.metric, flag.from_s, flag.to_s, kZoomMaxStrideS))
      out.evidence.push_back({e, 0, 0});
  return out;
}

// Each evidence stride's samples, from kZoomPadS before its IC to kZoomPadS after the next (inside the recording; its
// last sample included), kept once per window: none (an empty segment) for the zoom's stride or one an earlier flag
// of the window offers already.
void place_segments(Planned& w, const FootSpan& foot) {
  std::vector<std::size_t> kept{w.zoom.stride};
  for (auto& g : w.flags)
    for (auto& e : g.evidence) {
      if (std::find(kept.begin(), kept.end(), e.stride.index) != kept.end()) continue;
      kept.push_back(e.stride.index);
      const Stride& s = foot.result->strides[e.stride.index];
      e.from_s = std::max(foot.first_t_s, s.ic_s - kZoomPadS);
      e.to_s = std::min(std::nextafter(foot.last_t_s, foot.last_t_s + 1), s.next_ic_s + kZoomPadS);
    }
}

// The windows, in the flags' order: a flag of one foot gets that foot's window; a flag of both feet (or of none
// named) the first foot's, and the other foot's while fewer than kMaxTrustWindows are taken; a flag whose window is
// one already taken (the same foot and times) joins it with its own evidence; a flag with no time range, or a foot
// without samples, gets none.
std::vector<Planned> plan_windows(const std::vector<Flag>& flags, const std::vector<FootSpan>& feet) {
  std::vector<double> rates(feet.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<Planned> chosen;
  const auto add = [&](std::size_t f, std::size_t k) {
    const Flag& flag = flags[f];
    const FootSpan& foot = feet[k];
    if (!(flag.to_s >= flag.from_s) || !std::isfinite(flag.from_s)) return;
    if (!foot.result || foot.samples < 16) return;
    // Centred on the middle of the flag's range, kept inside the recording.
    double from = 0.5 * (flag.from_s + flag.to_s) - kTrustWindowS / 2;
    from = std::clamp(from, foot.first_t_s, std::max(foot.first_t_s, foot.last_t_s - kTrustWindowS));
    const double to = std::min(foot.last_t_s, from + kTrustWindowS);
    // Two flags over the same range (asymmetry of two metrics, a low cadence and its heel strike) share the raw
    // signal: the window is stored once (the document gives the times to the ms), each flag with its own evidence.
    const auto same = std::find_if(chosen.begin(), chosen.end(), [&](const Planned& o) {
      return feet[o.foot].side == foot.side && rounded(o.from_s, 1000) == rounded(from, 1000) &&
             rounded(o.to_s, 1000) == rounded(to, 1000);
    });
    if (same != chosen.end()) {
      same->flags.push_back(flag_evidence(f, flag, foot));
      return;
    }
    if (chosen.size() >= kMaxTrustWindows) return;
    if (std::isnan(rates[k])) rates[k] = foot.rate_hz();  // once per foot, only when a flag needs it
    if (!(rates[k] > 0)) return;
    chosen.push_back({k, from, to, rates[k]});
    chosen.back().zoom = choose_zoom(*foot.result, from, to);
    chosen.back().flags.push_back(flag_evidence(f, flag, foot));
  };
  const auto of_both = [&](const Flag& flag) { return flag.side != "left" && flag.side != "right"; };
  // First every flag once: its own foot's signal, or the first foot's for a flag of both feet (or of none named),
  // so the few windows cover as many flags as they can; then, while there is room, the other foot of those.
  for (std::size_t f = 0; f < flags.size(); ++f)
    for (std::size_t k = 0; k < feet.size(); ++k)
      if (feet.size() == 1 || flags[f].side == feet[k].side || (k == 0 && of_both(flags[f]))) add(f, k);
  for (std::size_t f = 0; f < flags.size(); ++f)
    for (std::size_t k = 1; k < feet.size(); ++k)
      if (of_both(flags[f])) add(f, k);
  // A window's flags, and the windows, in the flags' order (the second pass may add an earlier flag to a window).
  for (auto& w : chosen) {
    std::stable_sort(w.flags.begin(), w.flags.end(),
                     [](const FlagEvidence& a, const FlagEvidence& b) { return a.flag < b.flag; });
    place_segments(w, feet[w.foot]);
  }
  std::stable_sort(chosen.begin(), chosen.end(),
                   [](const Planned& a, const Planned& b) { return a.flags.front().flag < b.flags.front().flag; });
  return chosen;
}

// Every time range whose samples a window needs: the window's own first, then each evidence segment's, flag by flag
// (empty for an evidence stride the zoom or an earlier flag's segment shows).
std::vector<ZeroVelocityInRanges::TimeRange> sample_ranges(const Planned& w) {
  std::vector<ZeroVelocityInRanges::TimeRange> out{{w.from_s, w.to_s}};
  for (const auto& g : w.flags)
    for (const auto& e : g.evidence) out.push_back({e.from_s, e.to_s});
  return out;
}

// How many samples make one thinned point at `rate_hz` for at most `max_hz` (1: every sample).
std::size_t block_for(double rate_hz, double max_hz) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(rate_hz / max_hz - 1e-6)));
}

// |acc| (g) and |gyro| (deg/s) of the samples `x`, times from `origin`: blocks of `block` samples (the largest
// magnitude of each), of `zoom_block` inside [zoom_from, zoom_to); a block never straddles the zoom's edges, so the
// zoom holds every sample (up to kZoomMaxRateHz) and nothing else.
struct Signal {
  json t = json::array(), acc = json::array(), gyr = json::array();
};
Signal signal_json(std::span<const ImuSample> x, double origin, bool gyro, std::size_t block, std::size_t zoom_block,
                   double zoom_from, double zoom_to) {
  const auto in_zoom = [&](const ImuSample& s) { return s.t_s >= zoom_from && s.t_s < zoom_to; };
  Signal out;
  for (std::size_t b = 0; b < x.size();) {
    const bool zoomed = in_zoom(x[b]);
    const std::size_t n = zoomed ? zoom_block : block;
    double a = 0, r = 0;
    std::size_t i = b;
    for (; i < x.size() && i - b < n && in_zoom(x[i]) == zoomed; ++i) {
      a = std::max(a, x[i].acc_mps2.norm() / kG);
      r = std::max(r, x[i].gyr_rad_s.norm() * kDegPerRad);
    }
    out.t.push_back(rounded(x[b].t_s - origin, 1000));
    out.acc.push_back(rounded(a, 100));
    if (gyro) out.gyr.push_back(rounded(r, 10));
    b = i;
  }
  return out;
}

// The detected IC and TC and the zero-velocity windows within [from, to], times from `from`.
void add_marks(json& out, const SessionResult& result, const std::vector<ZvWindow>& zv, double from, double to) {
  json ic = json::array(), tc = json::array(), still = json::array();
  for (const auto& e : result.events.events)
    if (e.t_s >= from && e.t_s <= to)
      (e.kind == EventKind::initial_contact ? ic : tc).push_back(rounded(e.t_s - from, 1000));
  for (const auto& z : zv) {
    if (z.last_t_s < from || z.first_t_s > to) continue;
    still.push_back({rounded(std::max(from, z.first_t_s) - from, 1000), rounded(std::min(to, z.last_t_s) - from, 1000)});
  }
  out["ic_s"] = std::move(ic);
  out["tc_s"] = std::move(tc);
  out["zero_velocity_s"] = std::move(still);
}

// One evidence stride: its number (from 1), label and value; its own samples at full rate (up to kZoomMaxRateHz)
// unless the window holds them already: "in_zoom" (the zoom's stride) or "in_window" (an earlier flag's evidence
// stride of this window). `x`: the samples of its segment.
json evidence_json(const Segment& e, const Planned& w, const SessionResult& result, std::span<const ImuSample> x,
                   const std::vector<ZvWindow>& zv) {
  json out = {{"n", e.stride.index + 1}, {"label", e.stride.label}, {"value", rounded(e.stride.value, 1000)}};
  if (e.stride.index == w.zoom.stride) {
    out["in_zoom"] = true;
    return out;
  }
  if (!(e.to_s > e.from_s)) {
    out["in_window"] = true;
    return out;
  }
  const Stride& s = result.strides[e.stride.index];
  const std::size_t block = block_for(w.rate_hz, kZoomMaxRateHz);
  Signal sig = signal_json(x, e.from_s, result.has_gyro, block, block, e.from_s, e.to_s);
  out["from_s"] = rounded(e.from_s, 1000);
  out["to_s"] = rounded(e.to_s, 1000);
  out["rate_hz"] = rounded(w.rate_hz / static_cast<double>(block), 100);
  out["t_s"] = std::move(sig.t);
  out["acc_g"] = std::move(sig.acc);
  out["gyr_dps"] = result.has_gyro ? std::move(sig.gyr) : json(nullptr);
  add_marks(out, result, zv, e.from_s, e.to_s);
  out["stride_s"] = {rounded(s.ic_s - e.from_s, 1000), rounded(s.next_ic_s - e.from_s, 1000)};
  return out;
}

// `x`: the samples of each of sample_ranges(w) (the window's, those from w.from_s up to, not including, w.to_s,
// first); `zv`: the foot's zero-velocity windows (any that overlap).
json window_json(const std::vector<Flag>& flags, const FootSpan& foot, const Planned& w,
                 const std::vector<std::span<const ImuSample>>& x, const std::vector<ZvWindow>& zv) {
  const double from = w.from_s, to = w.to_s;
  const std::size_t block = block_for(w.rate_hz, kTrustRateHz), zoom_block = block_for(w.rate_hz, kZoomMaxRateHz);
  const Zoom& zoom = w.zoom;
  const bool gyro = foot.result->has_gyro;
  const Flag& flag = flags[w.flags.front().flag];
  Signal sig = signal_json(x[0], from, gyro, block, zoom_block, zoom.from_s, zoom.to_s);
  const auto relative = [&](double a, double b) {
    return json::array({rounded(a - from, 1000), rounded(b - from, 1000)});
  };
  json out = {{"flag", flag.id},
              {"title", flag.title},
              {"foot", foot.side},
              {"from_s", rounded(from, 1000)},
              {"to_s", rounded(to, 1000)},
              {"rate_hz", rounded(w.rate_hz / static_cast<double>(block), 100)},
              {"t_s", std::move(sig.t)},
              {"acc_g", std::move(sig.acc)},
              {"gyr_dps", gyro ? std::move(sig.gyr) : json(nullptr)}};
  add_marks(out, *foot.result, zv, from, to);
  out["zoom_s"] = relative(zoom.from_s, zoom.to_s);
  out["zoom_rate_hz"] = rounded(w.rate_hz / static_cast<double>(zoom_block), 100);
  out["zoom_stride_s"] = std::isnan(zoom.ic_s) ? json(nullptr) : relative(zoom.ic_s, zoom.next_ic_s);
  out["zoom_stride_n"] = zoom.stride == std::string::npos ? json(nullptr) : json(zoom.stride + 1);
  // Each flag's metric and evidence strides: the window's own flag at the top, the others (same window) in
  // "other_flags", each under its id and title (two asymmetry flags share an id).
  std::size_t part = 1;
  const auto evidence_of = [&](const FlagEvidence& g, json& into) {
    into["evidence_metric"] = g.metric ? json(g.metric->key) : json(nullptr);
    json evidence = json::array();
    for (const auto& e : g.evidence) evidence.push_back(evidence_json(e, w, *foot.result, x[part++], zv));
    into["evidence_strides"] = std::move(evidence);
  };
  evidence_of(w.flags.front(), out);
  if (w.flags.size() > 1) {
    json others = json::array();
    for (std::size_t k = 1; k < w.flags.size(); ++k) {
      const Flag& other = flags[w.flags[k].flag];
      json g = {{"flag", other.id}, {"title", other.title}};
      evidence_of(w.flags[k], g);
      others.push_back(std::move(g));
    }
    out["other_flags"] = std::move(others);
  }
  return out;
}

// Zero-velocity windows as the trajectory found them: a shoe sensor with a gyroscope (a shin never rests).
bool has_zero_velocity(const SessionResult& r) { return r.has_gyro && r.spatial.ok; }

}  // namespace

json trust_windows_json(const std::vector<Flag>& flags, const std::vector<TrustFoot>& feet,
                        const FootTrajectory::Settings& trajectory) {
  std::vector<FootSpan> spans;
  for (const auto& foot : feet) {
    FootSpan s{foot.side, foot.result, foot.recording ? foot.recording->samples.size() : 0, 0, 0, {}};
    if (s.samples > 0) {
      s.first_t_s = foot.recording->samples.front().t_s;
      s.last_t_s = foot.recording->samples.back().t_s;
    }
    s.rate_hz = [r = foot.recording] {
      const double interval = median_interval_s(r->samples);
      return interval > 0 ? 1.0 / interval : 0.0;
    };
    spans.push_back(std::move(s));
  }
  const std::vector<Planned> plan = plan_windows(flags, spans);
  std::vector<std::vector<ZvWindow>> zv(feet.size());
  std::vector<bool> ready(feet.size(), false);
  json out = json::array();
  for (const auto& w : plan) {
    const auto& x = feet[w.foot].recording->samples;
    if (!ready[w.foot] && has_zero_velocity(*feet[w.foot].result)) {  // once per foot
      for (const auto& z : FootTrajectory(trajectory).zero_velocity_windows(x, feet[w.foot].result->events.events,
                                                                             w.rate_hz))
        if (z.last < x.size()) zv[w.foot].push_back({x[z.first].t_s, x[z.last].t_s});
    }
    ready[w.foot] = true;
    const auto at = [&](double t) {
      return std::lower_bound(x.begin(), x.end(), t, [](const ImuSample& s, double v) { return s.t_s < v; });
    };
    std::vector<std::span<const ImuSample>> parts;
    for (const auto& r : sample_ranges(w)) parts.emplace_back(at(r.from_s), std::max(at(r.from_s), at(r.to_s)));
    out.push_back(window_json(flags, spans[w.foot], w, parts, zv[w.foot]));
  }
  return out;
}

json trust_windows_json(const std::vector<Flag>& flags, const std::vector<StreamedTrustFoot>& feet,
                        const FootTrajectory::Settings& trajectory) {
  std::vector<FootSpan> spans;
  for (const auto& foot : feet)
    spans.push_back({foot.side, foot.result, foot.samples, foot.first_t_s, foot.last_t_s,
                     [rate = foot.rate_hz] { return rate; }});
  const std::vector<Planned> plan = plan_windows(flags, spans);
  std::vector<json> windows(plan.size());
  const FootTrajectory trajectory_steps(trajectory);
  for (std::size_t f = 0; f < feet.size(); ++f) {
    std::vector<std::size_t> mine;  // the plan's windows on this foot
    for (std::size_t k = 0; k < plan.size(); ++k)
      if (plan[k].foot == f) mine.push_back(k);
    if (mine.empty()) continue;
    const StreamedTrustFoot& foot = feet[f];
    // One pass: the samples inside the foot's windows and their evidence strides, and the stances their
    // zero-velocity windows come from.
    std::vector<std::vector<ZeroVelocityInRanges::TimeRange>> wanted(mine.size());
    std::vector<std::vector<std::vector<ImuSample>>> inside(mine.size());
    std::vector<ZeroVelocityInRanges::TimeRange> ranges;
    for (std::size_t m = 0; m < mine.size(); ++m) {
      wanted[m] = sample_ranges(plan[mine[m]]);
      inside[m].resize(wanted[m].size());
      if (has_zero_velocity(*foot.result))  // else no stance is searched
        for (const auto& r : wanted[m])
          if (r.to_s > r.from_s) ranges.push_back(r);
    }
    ZeroVelocityInRanges zv(trajectory_steps, foot.result->events.events, foot.samples, foot.rate_hz, ranges);
    foot.replay([&](std::span<const ImuSample> block) {
      zv.add(block);
      if (block.empty()) return;
      for (std::size_t m = 0; m < mine.size(); ++m)
        for (std::size_t r = 0; r < wanted[m].size(); ++r) {
          const auto& range = wanted[m][r];
          if (block.back().t_s < range.from_s || block.front().t_s >= range.to_s) continue;
          for (const auto& s : block)
            if (s.t_s >= range.from_s && s.t_s < range.to_s) inside[m][r].push_back(s);
        }
    });
    const std::vector<ZvWindow> still = zv.windows();
    for (std::size_t m = 0; m < mine.size(); ++m) {
      const std::vector<std::span<const ImuSample>> parts(inside[m].begin(), inside[m].end());
      windows[mine[m]] = window_json(flags, spans[f], plan[mine[m]], parts, still);
    }
  }
  json out = json::array();
  for (auto& w : windows) out.push_back(std::move(w));
  return out;
}

}  // namespace stride::session
