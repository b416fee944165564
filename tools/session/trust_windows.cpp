#include "tools/session/trust_windows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/zero_velocity_in_ranges.hpp"

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

// One window to draw: the flag, the foot, the time range [from_s, to_s) of its samples, the foot's rate.
struct Planned {
  std::size_t flag = 0, foot = 0;
  double from_s = 0, to_s = 0, rate_hz = 0;
};

// The windows, in the flags' order: a flag of one foot gets that foot's window; a flag of both feet (or of none
// named) the first foot's, and the other foot's while fewer than kMaxTrustWindows are taken; the same window is not
// repeated; a flag with no time range, or a foot without samples, gets none.
std::vector<Planned> plan_windows(const std::vector<Flag>& flags, const std::vector<FootSpan>& feet) {
  std::vector<double> rates(feet.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<Planned> chosen;
  const auto add = [&](std::size_t f, std::size_t k) {
    const Flag& flag = flags[f];
    const FootSpan& foot = feet[k];
    if (chosen.size() >= kMaxTrustWindows || !(flag.to_s >= flag.from_s) || !std::isfinite(flag.from_s)) return;
    if (!foot.result || foot.samples < 16) return;
    if (std::isnan(rates[k])) rates[k] = foot.rate_hz();  // once per foot, only when a flag needs it
    if (!(rates[k] > 0)) return;
    // Centred on the middle of the flag's range, kept inside the recording.
    double from = 0.5 * (flag.from_s + flag.to_s) - kTrustWindowS / 2;
    from = std::clamp(from, foot.first_t_s, std::max(foot.first_t_s, foot.last_t_s - kTrustWindowS));
    const double to = std::min(foot.last_t_s, from + kTrustWindowS);
    // Two flags over the same strides (asymmetry of two metrics) would show the same window twice (the document
    // gives the times to the ms).
    const bool seen = std::any_of(chosen.begin(), chosen.end(), [&](const Planned& o) {
      return feet[o.foot].side == foot.side && rounded(o.from_s, 1000) == rounded(from, 1000) &&
             rounded(o.to_s, 1000) == rounded(to, 1000);
    });
    if (!seen) chosen.push_back({f, k, from, to, rates[k]});
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
  std::stable_sort(chosen.begin(), chosen.end(), [](const Planned& a, const Planned& b) { return a.flag < b.flag; });
  return chosen;
}

// `x`: the foot's samples of the window, those from w.from_s up to (not including) w.to_s; `zv`: the foot's
// zero-velocity windows (any that overlap).
json window_json(const Flag& flag, const FootSpan& foot, const Planned& w, std::span<const ImuSample> x,
                 const std::vector<ZvWindow>& zv) {
  const double from = w.from_s, to = w.to_s;
  const std::size_t block =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(w.rate_hz / kTrustRateHz - 1e-6)));
  const bool gyro = foot.result->has_gyro;
  json t = json::array(), acc = json::array(), gyr = json::array();
  for (std::size_t b = 0; b < x.size(); b += block) {
    double a = 0, r = 0;
    for (std::size_t i = b; i < std::min(x.size(), b + block); ++i) {
      a = std::max(a, x[i].acc_mps2.norm() / kG);
      r = std::max(r, x[i].gyr_rad_s.norm() * kDegPerRad);
    }
    t.push_back(rounded(x[b].t_s - from, 1000));
    acc.push_back(rounded(a, 100));
    if (gyro) gyr.push_back(rounded(r, 10));
  }
  json ic = json::array(), tc = json::array(), still = json::array();
  for (const auto& e : foot.result->events.events)
    if (e.t_s >= from && e.t_s <= to)
      (e.kind == EventKind::initial_contact ? ic : tc).push_back(rounded(e.t_s - from, 1000));
  for (const auto& z : zv) {
    if (z.last_t_s < from || z.first_t_s > to) continue;
    still.push_back({rounded(std::max(from, z.first_t_s) - from, 1000), rounded(std::min(to, z.last_t_s) - from, 1000)});
  }
  return {{"flag", flag.id},
          {"title", flag.title},
          {"foot", foot.side},
          {"from_s", rounded(from, 1000)},
          {"to_s", rounded(to, 1000)},
          {"rate_hz", rounded(w.rate_hz / static_cast<double>(block), 100)},
          {"t_s", t},
          {"acc_g", acc},
          {"gyr_dps", gyro ? gyr : json(nullptr)},
          {"ic_s", ic},
          {"tc_s", tc},
          {"zero_velocity_s", still}};
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
    out.push_back(window_json(flags[w.flag], spans[w.foot], w, std::span<const ImuSample>(at(w.from_s), at(w.to_s)),
                              zv[w.foot]));
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
    // One pass: the samples inside the foot's windows, and the stances their zero-velocity windows come from.
    std::vector<std::vector<ImuSample>> inside(mine.size());
    std::vector<ZeroVelocityInRanges::TimeRange> ranges;
    if (has_zero_velocity(*foot.result))  // else no stance is searched
      for (const std::size_t k : mine) ranges.push_back({plan[k].from_s, plan[k].to_s});
    ZeroVelocityInRanges zv(trajectory_steps, foot.result->events.events, foot.samples, foot.rate_hz, ranges);
    foot.replay([&](std::span<const ImuSample> block) {
      zv.add(block);
      if (block.empty()) return;
      for (std::size_t m = 0; m < mine.size(); ++m) {
        const Planned& w = plan[mine[m]];
        if (block.back().t_s < w.from_s || block.front().t_s >= w.to_s) continue;
        for (const auto& s : block)
          if (s.t_s >= w.from_s && s.t_s < w.to_s) inside[m].push_back(s);
      }
    });
    const std::vector<ZvWindow> still = zv.windows();
    for (std::size_t m = 0; m < mine.size(); ++m)
      windows[mine[m]] = window_json(flags[plan[mine[m]].flag], spans[f], plan[mine[m]], inside[m], still);
  }
  json out = json::array();
  for (auto& w : windows) out.push_back(std::move(w));
  return out;
}

}  // namespace stride::session
