#include "tools/report/splits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stride::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  const auto mid = v.begin() + static_cast<long>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2) return *mid;
  return (*mid + *std::max_element(v.begin(), mid)) / 2;
}

// Cumulative distance at each stride's end (IC + its length), scaled so the total is the document's distance.
struct Course {
  std::vector<double> t_s, at_m;   // after stride i, the foot has covered at_m[i] metres
  double total_m = 0;
};

Course course(const SplitFoot& foot) {
  Course c;
  double sum = 0;
  for (const auto& s : foot.strides)
    if (std::isfinite(s.length_m) && s.length_m > 0 && std::isfinite(s.ic_s)) sum += s.length_m;
  // The stride lengths may not add up to the document's distance exactly (strides the trajectory did not keep);
  // the document's distance is the one the report shows, so the km marks are put on its scale.
  const double scale = std::isfinite(foot.distance_m) && foot.distance_m > 0 && sum > 0 ? foot.distance_m / sum : 1.0;
  double at = 0;
  for (const auto& s : foot.strides) {
    if (!(std::isfinite(s.length_m) && s.length_m > 0 && std::isfinite(s.ic_s))) continue;
    at += s.length_m * scale;
    c.t_s.push_back(s.ic_s);
    c.at_m.push_back(at);
  }
  c.total_m = at;
  return c;
}

// The time the course reaches `metres` (between the stride ICs, linearly), or NaN past its end. `from` is where the
// search starts and is left at the stride reached: the km marks are asked for in increasing order, so the whole
// course is walked once.
double time_at(const Course& c, double metres, std::size_t& from) {
  for (; from < c.at_m.size(); ++from) {
    const std::size_t i = from;
    if (c.at_m[i] < metres) continue;
    if (i == 0) return c.t_s[0];
    const double f = (metres - c.at_m[i - 1]) / (c.at_m[i] - c.at_m[i - 1]);
    return c.t_s[i - 1] + f * (c.t_s[i] - c.t_s[i - 1]);
  }
  return kNaN;
}

double metres_between(const Course& c, double from_s, double to_s) {
  double before = 0, until = 0;
  for (std::size_t i = 0; i < c.t_s.size(); ++i) {
    if (c.t_s[i] < from_s) before = c.at_m[i];
    if (c.t_s[i] < to_s) until = c.at_m[i];
  }
  return until - before;
}

std::string minutes_label(double from_min, double to_min) {
  return fmt::format("{:g}–{:g} min", from_min, std::round(to_min * 10) / 10);
}

}  // namespace

SplitPlan plan_splits(double distance_m, double duration_s, double min_km_for_km_splits, int max_splits) {
  if (std::isfinite(distance_m) && distance_m >= 1000.0 * min_km_for_km_splits) return {true, 0};
  const double minutes = std::isfinite(duration_s) ? duration_s / 60.0 : 0.0;
  for (const double n : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0})
    if (minutes / n <= max_splits) return {false, n};
  return {false, std::ceil(minutes / max_splits / 60.0) * 60.0};
}

std::vector<Split> compute_splits(const std::vector<SplitFoot>& feet, double duration_s, const SplitPlan& plan,
                                  int min_strides) {
  // The foot that covered the most ground sets the distance (two feet's totals differ by their errors).
  Course ref;
  for (const auto& f : feet) {
    Course c = course(f);
    if (c.total_m > ref.total_m) ref = std::move(c);
  }
  const bool spatial = ref.total_m > 0;
  double end_s = std::isfinite(duration_s) ? duration_s : 0.0;
  for (const auto& f : feet)
    if (!f.strides.empty()) end_s = std::max(end_s, f.strides.back().ic_s);

  struct Bounds {
    double from_s, to_s, metres;
    std::string label;
    bool partial;
  };
  std::vector<Bounds> bounds;
  // A run's splits number tens (a 24-hour race: a few hundred km); a document whose distance or times are not a
  // run's (1e300 m, a stride at 1e300 s) would ask for endless rows, so the rows stop at kMaxSplitRows.
  if (plan.by_km && spatial) {
    double from = 0;
    std::size_t cursor = 0;
    for (int k = 1; k <= kMaxSplitRows; ++k) {
      const double t = time_at(ref, 1000.0 * k, cursor);
      if (!std::isfinite(t)) {
        const double rest = ref.total_m - 1000.0 * (k - 1);
        if (rest > 0) bounds.push_back({from, end_s, rest, fmt::format("last {:.2f} km", rest / 1000.0), true});
        break;
      }
      bounds.push_back({from, t, 1000.0, fmt::format("km {}", k), false});
      from = t;
    }
  } else if (plan.minutes > 0) {
    const double step = 60.0 * plan.minutes;
    int rows = 0;
    for (double from = 0; from < end_s && rows < kMaxSplitRows; from += step, ++rows) {
      const double to = std::min(from + step, end_s);
      const bool partial = to - from < step - 1e-6;
      bounds.push_back({from, to, spatial ? metres_between(ref, from, to) : kNaN,
                        minutes_label(from / 60.0, to / 60.0), partial});
    }
  }

  std::vector<Split> out;
  for (const auto& b : bounds) {
    Split s;
    s.label = b.label;
    s.from_s = b.from_s;
    s.to_s = b.to_s;
    s.partial = b.partial;
    s.distance_m = b.metres;
    std::vector<double> cadence, gct, length, impact;
    for (const auto& f : feet)
      for (const auto& st : f.strides) {
        if (!st.valid || st.ic_s < b.from_s || st.ic_s >= b.to_s) continue;
        ++s.strides;
        if (std::isfinite(st.cadence_spm)) cadence.push_back(st.cadence_spm);
        if (std::isfinite(st.gct_ms)) gct.push_back(st.gct_ms);
        if (std::isfinite(st.length_m)) length.push_back(st.length_m);
        if (std::isfinite(st.impact_g)) impact.push_back(st.impact_g);
      }
    if (b.partial && s.strides < min_strides) continue;  // a few steps at the end say nothing
    s.cadence_spm = median(cadence);
    s.gct_ms = median(gct);
    s.stride_length_m = median(length);
    s.impact_g = median(impact);
    if (std::isfinite(s.distance_m) && s.distance_m > 1.0) s.pace_s_per_km = (b.to_s - b.from_s) / (s.distance_m / 1000.0);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace stride::report
