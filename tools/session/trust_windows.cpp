#include "tools/session/trust_windows.hpp"

#include <algorithm>
#include <cmath>

namespace stride::session {
namespace {

using nlohmann::json;

constexpr double kG = 9.80665;
constexpr double kDegPerRad = 57.29577951308232;

// Rounded to `per_unit` steps per unit (1000: ms), dividing by an integer so the JSON prints the short decimal.
double rounded(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

json window_json(const Flag& flag, const TrustFoot& foot, const std::vector<ZeroVelocityWindow>& zv, double rate) {
  const auto& x = foot.recording->samples;
  // Centred on the middle of the flag's range, kept inside the recording.
  const double first_t = x.front().t_s, last_t = x.back().t_s;
  double from = 0.5 * (flag.from_s + flag.to_s) - kTrustWindowS / 2;
  from = std::clamp(from, first_t, std::max(first_t, last_t - kTrustWindowS));
  const double to = std::min(last_t, from + kTrustWindowS);
  const auto at = [&](double t) {
    return static_cast<std::size_t>(
        std::lower_bound(x.begin(), x.end(), t, [](const ImuSample& s, double v) { return s.t_s < v; }) - x.begin());
  };
  const std::size_t i0 = at(from), i1 = at(to);
  const std::size_t block = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(rate / kTrustRateHz - 1e-6)));
  const bool gyro = foot.result->has_gyro;
  json t = json::array(), acc = json::array(), gyr = json::array();
  for (std::size_t b = i0; b < i1; b += block) {
    double a = 0, w = 0;
    for (std::size_t i = b; i < std::min(i1, b + block); ++i) {
      a = std::max(a, x[i].acc_mps2.norm() / kG);
      w = std::max(w, x[i].gyr_rad_s.norm() * kDegPerRad);
    }
    t.push_back(rounded(x[b].t_s - from, 1000));
    acc.push_back(rounded(a, 100));
    if (gyro) gyr.push_back(rounded(w, 10));
  }
  json ic = json::array(), tc = json::array(), still = json::array();
  for (const auto& e : foot.result->events.events)
    if (e.t_s >= from && e.t_s <= to)
      (e.kind == EventKind::initial_contact ? ic : tc).push_back(rounded(e.t_s - from, 1000));
  for (const auto& z : zv) {
    if (z.last >= x.size() || x[z.last].t_s < from || x[z.first].t_s > to) continue;
    still.push_back({rounded(std::max(from, x[z.first].t_s) - from, 1000), rounded(std::min(to, x[z.last].t_s) - from, 1000)});
  }
  return {{"flag", flag.id},
          {"title", flag.title},
          {"foot", foot.side},
          {"from_s", rounded(from, 1000)},
          {"to_s", rounded(to, 1000)},
          {"rate_hz", rounded(rate / static_cast<double>(block), 100)},
          {"t_s", t},
          {"acc_g", acc},
          {"gyr_dps", gyro ? gyr : json(nullptr)},
          {"ic_s", ic},
          {"tc_s", tc},
          {"zero_velocity_s", still}};
}

}  // namespace

json trust_windows_json(const std::vector<Flag>& flags, const std::vector<TrustFoot>& feet,
                        const FootTrajectory::Settings& trajectory) {
  std::vector<std::vector<ZeroVelocityWindow>> zv(feet.size());
  std::vector<double> rates(feet.size(), 0.0);
  std::vector<bool> ready(feet.size(), false);
  std::vector<std::pair<std::size_t, json>> chosen;  // (the flag's place, the window): drawn in the flags' order
  const auto add = [&](std::size_t f, std::size_t k) {
    const Flag& flag = flags[f];
    const TrustFoot& foot = feet[k];
    if (chosen.size() >= kMaxTrustWindows || !(flag.to_s >= flag.from_s) || !std::isfinite(flag.from_s)) return;
    if (!foot.recording || !foot.result || foot.recording->samples.size() < 16) return;
    if (!ready[k]) {  // computed once per foot, only when a flag needs it
      const double interval = median_interval_s(foot.recording->samples);
      rates[k] = interval > 0 ? 1.0 / interval : 0.0;
      // Zero-velocity windows as the trajectory found them (a shoe sensor with a gyroscope; a shin never rests).
      if (foot.result->has_gyro && foot.result->spatial.ok)
        zv[k] = FootTrajectory(trajectory).zero_velocity_windows(foot.recording->samples, foot.result->events.events,
                                                                 rates[k]);
      ready[k] = true;
    }
    if (rates[k] <= 0) return;
    json w = window_json(flag, foot, zv[k], rates[k]);
    // Two flags over the same strides (asymmetry of two metrics) would show the same window twice.
    const bool seen = std::any_of(chosen.begin(), chosen.end(), [&](const auto& o) {
      return o.second["foot"] == w["foot"] && o.second["from_s"] == w["from_s"] && o.second["to_s"] == w["to_s"];
    });
    if (!seen) chosen.emplace_back(f, std::move(w));
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
  std::stable_sort(chosen.begin(), chosen.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json out = json::array();
  for (auto& c : chosen) out.push_back(std::move(c.second));
  return out;
}

}  // namespace stride::session
