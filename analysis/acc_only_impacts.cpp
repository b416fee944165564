#include "analysis/acc_only_impacts.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/acc_only_events.hpp"

namespace stride {
namespace {

void check(bool ok, const char* field, double value, const char* range) {
  if (!ok)
    throw std::invalid_argument(std::string("ImpactAnchoredDetector: ") + field + " = " + std::to_string(value) +
                                " outside " + range);
}

// The stride period (in bins) of env[b0, b1): the shortest lag, among the local maxima of the normalised
// autocorrelation, within near_best_share of the best one; 0 when the best is below min_periodicity.
double block_period(const std::vector<double>& env, std::size_t b0, std::size_t b1, std::size_t lag_lo,
                    std::size_t lag_hi, const ImpactAnchoredDetector::Settings& s, std::vector<double>& r) {
  if (b1 <= b0 + 2 * lag_hi) return 0.0;  // too short to see two strides at the longest period
  const double mean = std::accumulate(env.begin() + static_cast<std::ptrdiff_t>(b0),
                                      env.begin() + static_cast<std::ptrdiff_t>(b1), 0.0) /
                      static_cast<double>(b1 - b0);
  double var = 0;
  for (std::size_t b = b0; b < b1; ++b) var += (env[b] - mean) * (env[b] - mean);
  if (var <= 0) return 0.0;
  r.assign(lag_hi + 2, 0.0);
  for (std::size_t lag = lag_lo > 0 ? lag_lo - 1 : 0; lag <= lag_hi + 1; ++lag) {
    double c = 0;
    for (std::size_t b = b0; b + lag < b1; ++b) c += (env[b] - mean) * (env[b + lag] - mean);
    // Normalised by the overlap, so long lags are not penalised for their shorter sum.
    r[lag] = c / var * static_cast<double>(b1 - b0) / static_cast<double>(b1 - b0 - lag);
  }
  double best = 0;
  for (std::size_t lag = lag_lo; lag <= lag_hi; ++lag) best = std::max(best, r[lag]);
  if (best < s.min_periodicity) return 0.0;
  for (std::size_t lag = lag_lo; lag <= lag_hi; ++lag)
    if (r[lag] >= s.near_best_share * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
      // Refine between bins with a parabola through the peak and its neighbours.
      const double denom = r[lag - 1] - 2.0 * r[lag] + r[lag + 1];
      const double offset = denom < 0 ? std::clamp(0.5 * (r[lag - 1] - r[lag + 1]) / denom, -0.5, 0.5) : 0.0;
      return static_cast<double>(lag) + offset;
    }
  return 0.0;
}

}  // namespace

ImpactAnchoredDetector::ImpactAnchoredDetector() : ImpactAnchoredDetector(Settings{}) {}

ImpactAnchoredDetector::ImpactAnchoredDetector(const Settings& s) : s_(s) {
  check(s.block_s >= 5 && s.block_s <= 600, "block_s", s.block_s, "[5, 600] s");
  check(s.bin_s > 0 && s.bin_s <= 0.05, "bin_s", s.bin_s, "(0, 0.05] s");
  check(s.min_cycle_s >= 0.2 && s.min_cycle_s < s.max_cycle_s, "min_cycle_s", s.min_cycle_s, "[0.2 s, max_cycle_s)");
  check(s.max_cycle_s <= 0.25 * s.block_s, "max_cycle_s", s.max_cycle_s, "(min_cycle_s, block_s / 4]");
  check(s.min_periodicity > 0 && s.min_periodicity < 1, "min_periodicity", s.min_periodicity, "(0, 1)");
  check(s.near_best_share > 0 && s.near_best_share <= 1, "near_best_share", s.near_best_share, "(0, 1]");
  check(s.separation_share > 0.3 && s.separation_share < 1, "separation_share", s.separation_share, "(0.3, 1)");
  check(s.min_impact_share >= 0 && s.min_impact_share < 1, "min_impact_share", s.min_impact_share, "[0, 1)");
  check(s.ic_first_jump_share > 0 && s.ic_first_jump_share <= 1, "ic_first_jump_share", s.ic_first_jump_share,
        "(0, 1]");
  check(s.ic_lookback_s >= 0 && s.ic_lookback_s <= 0.1, "ic_lookback_s", s.ic_lookback_s, "[0, 0.1] s");
  check(s.tc_skip_s >= 0 && s.tc_skip_s < 0.2, "tc_skip_s", s.tc_skip_s, "[0, 0.2) s");
  check(s.tc_max_share > 0.2 && s.tc_max_share < 1, "tc_max_share", s.tc_max_share, "(0.2, 1)");
  check(s.tc_surge_share > 0 && s.tc_surge_share <= 1, "tc_surge_share", s.tc_surge_share, "(0, 1]");
  check(s.tc_min_depth_mps2 >= 0, "tc_min_depth_mps2", s.tc_min_depth_mps2, "[0, inf) m/s^2");
  s.uncertainty.validate();
}

EventResult ImpactAnchoredDetector::detect(std::span<const ImuSample> x, const MountingCalibration::Result&,
                                           double rate_hz) const {
  EventResult out;
  const std::size_t n = x.size();
  if (n < 16 || rate_hz <= 0) return out;
  auto samples_for = [rate_hz](double sec) { return static_cast<std::size_t>(std::lround(sec * rate_hz)); };

  std::vector<double> norm(n), jump(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) norm[i] = x[i].acc_mps2.norm();
  for (std::size_t i = 1; i < n; ++i) jump[i] = (x[i].acc_mps2 - x[i - 1].acc_mps2).norm();

  // 1. The stride period per block, from the |a| envelope.
  const std::size_t per_bin = std::max<std::size_t>(1, samples_for(s_.bin_s));
  const double bin_s = static_cast<double>(per_bin) / rate_hz;
  std::vector<double> env(n / per_bin);
  for (std::size_t b = 0; b < env.size(); ++b)
    env[b] = std::accumulate(norm.begin() + static_cast<std::ptrdiff_t>(b * per_bin),
                             norm.begin() + static_cast<std::ptrdiff_t>((b + 1) * per_bin), 0.0) /
             static_cast<double>(per_bin);
  const auto lag_lo = static_cast<std::size_t>(std::max(2.0, std::floor(s_.min_cycle_s / bin_s)));
  const auto lag_hi = static_cast<std::size_t>(std::ceil(s_.max_cycle_s / bin_s));
  const auto block_bins = static_cast<std::size_t>(s_.block_s / bin_s);
  std::vector<double> period_s;  // per block; 0 = no gait
  std::vector<double> r;
  for (std::size_t b0 = 0; b0 < env.size(); b0 += block_bins) {
    // The last block takes the remainder when that is too short on its own.
    std::size_t b1 = std::min(env.size(), b0 + block_bins);
    if (env.size() - b1 < block_bins / 2) b1 = env.size();
    period_s.push_back(block_period(env, b0, b1, lag_lo, lag_hi, s_, r) * bin_s);
    if (b1 == env.size()) break;
  }
  const std::size_t block_samples = block_bins * per_bin;
  auto period_at = [&](std::size_t i) {
    return period_s.empty() ? 0.0 : period_s[std::min(period_s.size() - 1, i / std::max<std::size_t>(1, block_samples))];
  };

  // 2. ICs: the largest jumps, one per neighbourhood of +-separation_share of the period.
  std::vector<std::size_t> candidates;
  for (std::size_t i = 2; i + 1 < n; ++i)
    if (jump[i] > 0 && jump[i] >= jump[i - 1] && jump[i] > jump[i + 1] && period_at(i) > 0) candidates.push_back(i);
  std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) { return jump[a] > jump[b]; });
  std::set<std::size_t> won;
  for (std::size_t i : candidates) {
    const std::size_t sep = samples_for(s_.separation_share * period_at(i));
    const auto next = won.lower_bound(i);
    if (next != won.end() && *next - i < sep) continue;
    if (next != won.begin() && i - *std::prev(next) < sep) continue;
    won.insert(i);
  }
  std::vector<std::size_t> peaks(won.begin(), won.end());
  if (peaks.empty()) return out;
  std::vector<double> sizes;
  for (std::size_t p : peaks) sizes.push_back(jump[p]);
  auto mid = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2);
  std::nth_element(sizes.begin(), mid, sizes.end());
  const double floor = s_.min_impact_share * *mid;
  std::erase_if(peaks, [&](std::size_t p) { return jump[p] < floor; });

  std::vector<std::size_t> ic_at;
  const std::size_t lookback = samples_for(s_.ic_lookback_s);
  for (std::size_t p : peaks) {
    std::size_t at = p > lookback + 1 ? p - lookback : 1;
    while (at < p && jump[at] < s_.ic_first_jump_share * jump[p]) ++at;
    ic_at.push_back(at);
    const double dt = x[at].t_s - x[at - 1].t_s;
    out.events.push_back({EventKind::initial_contact, 0.5 * (x[at - 1].t_s + x[at].t_s), at,
                          ic_sd_ms(s_.uncertainty, dt, false, impact_noise_ratio(x, at > 4 ? at - 4 : 0, at))});
    out.ic_jerk_mps3.push_back(dt > 0 ? jump[at] / dt : 0.0);
  }

  // 3. TC between each IC and the next one of a plausible cycle.
  std::vector<double> before, after;
  const std::size_t skip = samples_for(s_.tc_skip_s);
  const std::size_t longest = samples_for(s_.max_cycle_s);
  for (std::size_t k = 0; k + 1 < ic_at.size(); ++k) {
    const std::size_t a = ic_at[k], b = ic_at[k + 1];
    if (b - a > longest || b - a < 2 * skip) continue;
    const std::size_t lo = a + skip;
    std::size_t last = a + static_cast<std::size_t>(s_.tc_max_share * static_cast<double>(b - a));
    const std::size_t hi = b > 1 ? b - 1 : b;
    // The swing's first surge (the leg swinging through) ends the search: the valleys between the swing's own
    // peaks are often deeper than the push-off's.
    const double surge = s_.tc_surge_share * *std::max_element(norm.begin() + static_cast<std::ptrdiff_t>(lo),
                                                               norm.begin() + static_cast<std::ptrdiff_t>(hi) + 1);
    for (std::size_t i = lo; i < last; ++i)
      if (norm[i] >= surge) {
        last = i;
        break;
      }
    if (last <= lo + 1 || hi <= last) continue;
    const AccValley v = deepest_acc_valley(x, norm, lo, last, hi, before, after);
    if (v.depth < s_.tc_min_depth_mps2) continue;
    out.events.push_back({EventKind::terminal_contact, v.t_s, v.at,
                          s_.shin ? s_.uncertainty.shin_tc_sd_ms
                                  : acc_tc_sd_ms(s_.uncertainty, 0.5 * (x[v.at + 1].t_s - x[v.at - 1].t_s))});
    out.tc_rate_rad_s.push_back(v.depth);
    out.midswings.push_back((v.at + b) / 2);
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const GaitEvent& a, const GaitEvent& b) { return a.t_s < b.t_s; });
  return out;
}

}  // namespace stride
