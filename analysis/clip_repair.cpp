#include "analysis/clip_repair.hpp"

#include <Eigen/Dense>
#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>

namespace stride {
namespace {

// Axis a of x's gyro at its range: a clip bit from the importer/decoder, or at the (declared or inferred) limit.
bool axis_clipped(const ImuSample& x, int a, const Saturation& sat) {
  if (x.clipped & (kClipGyrX << a)) return true;
  const double limit = sat.gyr_limit_rad_s[a];
  return limit > 0 && std::abs(x.gyr_rad_s[a]) >= limit;
}

// Least-squares quadratic through the flank samples (time centred on `centre`), evaluated at each run sample.
// False when there are too few flank samples on either side or the fit is not a peak beyond the clipped level.
bool fit_peak(std::span<const ImuSample> x, int a, std::size_t first, std::size_t last, std::size_t flank,
              const Saturation& sat, std::vector<double>& out) {
  const double centre = 0.5 * (x[first].t_s + x[last].t_s);
  std::vector<std::size_t> idx;
  for (std::size_t k = 1; k <= flank && k <= first; ++k) {
    if (axis_clipped(x[first - k], a, sat)) break;
    idx.push_back(first - k);
  }
  const std::size_t left = idx.size();
  for (std::size_t k = 1; k <= flank && last + k < x.size(); ++k) {
    if (axis_clipped(x[last + k], a, sat)) break;
    idx.push_back(last + k);
  }
  if (left < 3 || idx.size() - left < 3) return false;
  Eigen::MatrixXd A(idx.size(), 3);
  Eigen::VectorXd b(idx.size());
  for (std::size_t r = 0; r < idx.size(); ++r) {
    const double tau = x[idx[r]].t_s - centre;
    A.row(static_cast<Eigen::Index>(r)) << 1.0, tau, tau * tau;
    b[static_cast<Eigen::Index>(r)] = x[idx[r]].gyr_rad_s[a];
  }
  const Eigen::Vector3d c = A.colPivHouseholderQr().solve(b);
  const double level = x[first].gyr_rad_s[a];  // the flat top (signed)
  const double sign = level >= 0 ? 1.0 : -1.0;
  if (!(sign * c[2] < 0)) return false;  // a peak bends back towards zero
  out.clear();
  for (std::size_t i = first; i <= last; ++i) {
    const double tau = x[i].t_s - centre;
    const double v = c[0] + c[1] * tau + c[2] * tau * tau;
    out.push_back(sign * v > sign * x[i].gyr_rad_s[a] ? v : x[i].gyr_rad_s[a]);  // never below what was measured
  }
  // The rebuilt top must rise above the clipped level somewhere, or the fit says nothing about the peak.
  return std::any_of(out.begin(), out.end(), [&](double v) { return sign * v > sign * level; });
}

// A run of one axis left clipped by the flank fit: samples first..last.
struct Run {
  int axis = 0;
  std::size_t first = 0, last = 0;
};

// The cycles' ends: in each stance (an IC and the TC after it), the instant the foot turns slowest (|w| smoothed over
// ~25 ms), where its attitude repeats best from stride to stride. Halfway from IC to TC served a walk, but in a jog
// the foot still turns at 70-110 deg/s there, and the cycles' attitude changes spread by -15..+3 deg (docs/clipping.md).
std::vector<double> mid_stances(std::span<const ImuSample> x, std::span<const GaitEvent> events) {
  std::vector<double> mids;
  const auto index_at = [&x](double t) {
    return static_cast<std::size_t>(
        std::lower_bound(x.begin(), x.end(), t, [](const ImuSample& s, double v) { return s.t_s < v; }) - x.begin());
  };
  for (std::size_t k = 0; k + 1 < events.size(); ++k) {
    if (events[k].kind != EventKind::initial_contact || events[k + 1].kind != EventKind::terminal_contact) continue;
    const std::size_t first = index_at(events[k].t_s), last = std::min(index_at(events[k + 1].t_s), x.size());
    double best = std::numeric_limits<double>::infinity();
    std::size_t at = first;
    for (std::size_t i = first + 2; i + 2 < last; ++i) {
      double w = 0;
      for (std::size_t j = i - 2; j <= i + 2; ++j) w += x[j].gyr_rad_s.norm();
      if (w < best) best = w, at = i;
    }
    mids.push_back(std::isfinite(best) ? x[at].t_s : 0.5 * (events[k].t_s + events[k + 1].t_s));
  }
  return mids;
}

// The parabolic cap's shape at sample k of a run of n samples: 0 at the run's ends, 1 in its middle.
double cap(std::size_t k, std::size_t n) {
  const double u = (static_cast<double>(k) + 0.5) / static_cast<double>(n);
  return 4.0 * u * (1.0 - u);
}

// The height a parabolic peak reaches above the range, from the slopes at which the signal enters and leaves the
// run: a parabola crossing the range with slope s and staying above it for T rises s T / 4 above it. NaN when
// neither flank has two unclipped samples.
double height_from_slopes(std::span<const ImuSample> x, const Run& r, const Saturation& sat) {
  const int a = r.axis;
  double sum = 0;
  int n = 0;
  if (r.first >= 2 && !axis_clipped(x[r.first - 1], a, sat) && !axis_clipped(x[r.first - 2], a, sat)) {
    sum += std::abs((x[r.first - 1].gyr_rad_s[a] - x[r.first - 2].gyr_rad_s[a]) /
                    (x[r.first - 1].t_s - x[r.first - 2].t_s));
    ++n;
  }
  if (r.last + 2 < x.size() && !axis_clipped(x[r.last + 1], a, sat) && !axis_clipped(x[r.last + 2], a, sat)) {
    sum += std::abs((x[r.last + 2].gyr_rad_s[a] - x[r.last + 1].gyr_rad_s[a]) / (x[r.last + 2].t_s - x[r.last + 1].t_s));
    ++n;
  }
  // T, how long the signal stays above the range: each crossing lies between a clipped sample and its unclipped
  // neighbour, on average half an interval out, so T is the run's n samples times the interval around it
  // ((n - 1) intervals between its first and last sample, plus two halves). A one-sample run is one interval.
  const std::size_t before = r.first > 0 ? r.first - 1 : r.first;
  const std::size_t after = std::min(r.last + 1, x.size() - 1);
  const double interval_s = after > before ? (x[after].t_s - x[before].t_s) / static_cast<double>(after - before) : 0.0;
  const double run_s = static_cast<double>(r.last - r.first + 1) * interval_s;
  return n > 0 ? sum / n * run_s / 4.0 : std::numeric_limits<double>::quiet_NaN();
}

// The attitude change over samples [from, to) (the rotation vector, rad, in the frame of the cycle's start) when
// `scale` times `added` is added to axis a's rate.
Eigen::Vector3d attitude_change(std::span<const ImuSample> x, std::size_t from, std::span<const double> added, int a,
                                double scale, double dt) {
  Eigen::Quaterniond q = Eigen::Quaterniond::Identity();
  for (std::size_t k = 0; k < added.size(); ++k) {
    Eigen::Vector3d w = x[from + k].gyr_rad_s;
    w[a] += scale * added[k];
    const double angle = w.norm() * dt;
    if (angle > 0) q = q * Eigen::Quaterniond(Eigen::AngleAxisd(angle, w / w.norm()));
  }
  const Eigen::AngleAxisd r(q.normalized());
  return r.angle() * r.axis();
}

// The runs of one axis inside one cycle [from, to) (samples), rebuilt from the foot's return: each run gets a
// parabolic cap as high as its flanks' slopes say, all scaled by the one factor that brings the foot back to its
// attitude about that axis over the cycle (found by bisection on the integrated attitude: the body rates of a 3-D
// swing do not integrate to zero axis by axis, their rotation does). False: left as they are (a gap in the cycle, a
// slope missing, no factor within [1/max_slope_disagreement, max_slope_disagreement], or a cap beyond belief).
bool rebuild_from_return(std::vector<ImuSample>& x, std::span<const Run> runs, std::size_t from, std::size_t to,
                         double rate_hz, const Saturation& sat, const ClipRepairSettings& settings, ReturnCycle& seen) {
  const int a = runs.front().axis;
  const double dt = 1.0 / rate_hz;
  seen.axis = a;
  seen.runs = runs.size();
  for (const Run& r : runs) seen.clipped_s += static_cast<double>(r.last - r.first + 1) * dt;
  for (std::size_t k = from; k < to; ++k) {
    if (!x[k].gyr_rad_s.allFinite()) return seen.outcome = "a sample is not finite", false;
    if (k > from && x[k].t_s - x[k - 1].t_s > 1.5 * dt)  // a gap: the cycle's attitude is unknown
      return seen.outcome = "a gap in the cycle", false;
  }
  std::vector<double> added(to - from, 0.0);  // the caps at scale 1, per sample of the cycle
  const double limit = sat.gyr_limit_rad_s[a] > 0 ? sat.gyr_limit_rad_s[a] : std::abs(x[runs.front().first].gyr_rad_s[a]);
  double highest = 0;
  for (const Run& r : runs) {
    const double h = height_from_slopes(x, r, sat);
    if (!std::isfinite(h)) return seen.outcome = "a flank slope is missing", false;
    highest = std::max(highest, h);
    const double sign = x[r.first].gyr_rad_s[a] >= 0 ? 1.0 : -1.0;
    const std::size_t n = r.last - r.first + 1;
    for (std::size_t k = 0; k < n; ++k) added[r.first - from + k] = sign * h * cap(k, n);
  }
  const auto residual = [&](double scale) { return attitude_change(x, from, added, a, scale, dt)[a]; };
  double lo = 1.0 / settings.max_slope_disagreement, hi = settings.max_slope_disagreement;
  double f_lo = residual(lo);
  seen.rotation_rad = residual(0.0);
  seen.closing_at_low_rad = f_lo;
  seen.closing_at_high_rad = residual(hi);
  if (!(f_lo * seen.closing_at_high_rad <= 0)) {
    // No factor closes the cycle: on the MicroStrain jog the attitude the cycle lacks is mostly at the impacts, where
    // the rail is touched for 5-30 ms and the rotation it hides is unknowable (docs/clipping.md). The swing's flat top
    // then gets caps at a fixed share of the slopes' heights; the trajectory re-levels at the next stance, so the cap
    // only has to carry the swing.
    if (!(settings.unclosed_factor > 0)) return seen.outcome = "no factor within the bounds closes the cycle", false;
    seen.factor = settings.unclosed_factor;
    if (seen.factor * highest > settings.max_cap_over_range * limit)
      return seen.outcome = "a cap beyond the range's bound", false;
    for (std::size_t k = 0; k < added.size(); ++k) x[from + k].gyr_rad_s[a] += seen.factor * added[k];
    seen.outcome = "rebuilt at the fixed share (the cycle does not close)";
    return true;
  }
  for (int i = 0; i < 40 && hi - lo > 1e-4; ++i) {
    const double mid = 0.5 * (lo + hi), f_mid = residual(mid);
    if (f_lo * f_mid <= 0) {
      hi = mid;
    } else {
      lo = mid;
      f_lo = f_mid;
    }
  }
  const double scale = 0.5 * (lo + hi);
  seen.factor = scale;
  seen.closed = true;
  if (scale * highest > settings.max_cap_over_range * limit) return seen.outcome = "a cap beyond the range's bound", false;
  seen.outcome = "rebuilt";
  for (std::size_t k = 0; k < added.size(); ++k) x[from + k].gyr_rad_s[a] += scale * added[k];
  return true;
}

}  // namespace

bool any_gyro_clipped(std::span<const ImuSample> x, const Saturation& saturation) {
  return std::any_of(x.begin(), x.end(), [&](const ImuSample& s) { return saturation.gyr_clipped(s); });
}

ClipRepairResult rebuild_clipped_gyro(std::vector<ImuSample>& x, const Saturation& saturation, double rate_hz,
                                      const ClipRepairSettings& settings, std::span<const GaitEvent> events) {
  ClipRepairResult result;
  if (x.empty() || !(rate_hz > 0)) return result;
  const auto flank = std::max<std::size_t>(3, static_cast<std::size_t>(std::lround(settings.flank_s * rate_hz)));
  std::vector<std::uint8_t> still_clipped(x.size(), 0);  // per sample: gyro axes left clipped
  std::vector<std::uint8_t> rebuilt(x.size(), 0);        // per sample: gyro axes rebuilt
  std::vector<std::uint8_t> fitted(x.size(), 0);         // ... of those, by the fit to the flanks
  std::vector<double> fit;
  std::vector<Run> left;  // runs the flank fit could not bridge, axis by axis in time order
  for (int a = 0; a < 3; ++a) {
    for (std::size_t i = 0; i < x.size();) {
      if (!axis_clipped(x[i], a, saturation)) {
        ++i;
        continue;
      }
      // One flat top, even where noise dips a sample or two below the range inside it.
      std::size_t j = i;
      for (std::size_t k = i + 1; k < x.size() && x[k].t_s - x[j].t_s <= settings.touch_s + 1e-9; ++k)
        if (axis_clipped(x[k], a, saturation)) j = k;
      ++result.runs;
      const double run_s = x[j].t_s - x[i].t_s;
      const bool short_enough = run_s <= settings.max_run_s + 1e-9;
      // The widest flanks first (a broad swing peak); a narrow spike is only fitted by the samples next to it.
      bool ok = false;
      for (std::size_t f = flank; short_enough && !ok; f = f > 3 ? std::max<std::size_t>(3, f / 2) : 0) {
        ok = fit_peak(x, a, i, j, f, saturation, fit);
        if (f == 3) break;
      }
      if (!ok && short_enough && run_s <= settings.touch_s + 1e-9) {
        // A peak that only touched the range (a sample or two): what was measured is within a few deg/s of it.
        fit.clear();
        for (std::size_t k = i; k <= j; ++k) fit.push_back(x[k].gyr_rad_s[a]);
        ok = true;
      }
      if (ok) {
        ++result.rebuilt;
        for (std::size_t k = i; k <= j; ++k) {
          x[k].gyr_rad_s[a] = fit[k - i];
          x[k].clipped = static_cast<std::uint8_t>(x[k].clipped & ~(kClipGyrX << a));
          rebuilt[k] |= static_cast<std::uint8_t>(1u << a);
          fitted[k] |= static_cast<std::uint8_t>(1u << a);
        }
      } else {
        left.push_back({a, i, j});
      }
      i = j + 1;
    }
  }
  // The runs left, cycle by cycle (mid-stance to mid-stance) and axis by axis, from the foot's return.
  const std::vector<double> mids = mid_stances(x, events);
  const auto index_at = [&x](double t) {
    return static_cast<std::size_t>(
        std::lower_bound(x.begin(), x.end(), t, [](const ImuSample& s, double v) { return s.t_s < v; }) - x.begin());
  };
  for (std::size_t r = 0; r < left.size();) {
    // The cycle around this run, and the runs of the same axis inside it.
    const double t = x[left[r].first].t_s;
    const auto after = std::upper_bound(mids.begin(), mids.end(), t);
    std::size_t end = r + 1;
    bool ok = after != mids.begin() && after != mids.end() && *after - *(after - 1) <= settings.max_cycle_s;
    if (ok) {
      const std::size_t from = index_at(*(after - 1)), to = index_at(*after);
      while (end < left.size() && left[end].axis == left[r].axis && left[end].first < to) ++end;
      ReturnCycle seen;
      seen.from_s = *(after - 1);
      seen.to_s = *after;
      seen.axis = left[r].axis;
      seen.runs = end - r;
      seen.outcome = "a flat top runs past the cycle's end";
      ok = left[end - 1].last < to &&
           rebuild_from_return(x, std::span(left).subspan(r, end - r), from, to, rate_hz, saturation, settings, seen);
      result.cycles.push_back(seen);
    }
    for (std::size_t q = r; q < end; ++q)
      for (std::size_t k = left[q].first; k <= left[q].last; ++k) {
        if (ok) {
          x[k].clipped = static_cast<std::uint8_t>(x[k].clipped & ~(kClipGyrX << left[q].axis));
          rebuilt[k] |= static_cast<std::uint8_t>(1u << left[q].axis);
        } else {
          still_clipped[k] |= static_cast<std::uint8_t>(1u << left[q].axis);
        }
      }
    if (ok) {
      result.rebuilt += end - r, result.rebuilt_by_return += end - r;
      if (!result.cycles.back().closed) result.rebuilt_unclosed += end - r;
    }
    r = end;
  }
  // Mark what was rebuilt only where no gyro axis of the sample is still clipped: such a sample is an estimate;
  // one with an axis left clipped stays clipped (its clip bits are restored, so gyr_clipped keeps counting it).
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!rebuilt[k]) continue;
    if (still_clipped[k]) {
      for (int a = 0; a < 3; ++a)
        if (rebuilt[k] & (1u << a)) x[k].clipped |= static_cast<std::uint8_t>(kClipGyrX << a);
      continue;
    }
    x[k].clipped |= kGyrRebuilt;
    if (!fitted[k]) x[k].clipped |= kGyrRebuiltByReturn;
    ++result.samples_rebuilt;
  }
  return result;
}

}  // namespace stride
