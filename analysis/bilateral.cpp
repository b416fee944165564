#include "analysis/bilateral.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "analysis/session_stats.hpp"
#include "analysis/text.hpp"

namespace stride {
namespace {

struct Contact {
  double t_s;
  Side side;
};

// Medians of each foot's values and the symmetry index 200 |L-R| / (L+R).
SymmetryRow symmetry_row(std::string metric, std::vector<double> left, std::vector<double> right) {
  SymmetryRow x;
  x.metric = std::move(metric);
  x.n_left = left.size();
  x.n_right = right.size();
  x.left = median(std::move(left));
  x.right = median(std::move(right));
  if (std::isfinite(x.left) && std::isfinite(x.right) && std::abs(x.left + x.right) > 0)
    x.si_pct = 200.0 * std::abs(x.left - x.right) / std::abs(x.left + x.right);
  return x;
}

// The first initial contact of `other` strictly after `after_s` (strides sorted by ic_s), or NaN.
double next_contact(const std::vector<Stride>& other, double after_s) {
  const auto it = std::upper_bound(other.begin(), other.end(), after_s,
                                   [](double t, const Stride& s) { return t < s.ic_s; });
  return it == other.end() ? Stride::kNaN : it->ic_s;
}

void measure_flight(std::vector<Stride>& strides, const std::vector<Stride>& other) {
  for (auto& s : strides) {
    // The other foot's contact that ends this foot's step: after this IC, before this foot's next IC.
    const double c = next_contact(other, s.ic_s);
    if (!std::isfinite(c) || c >= s.next_ic_s) continue;
    s.flight_ms = std::isfinite(s.tc_s) ? std::max(0.0, (c - s.tc_s) * 1e3) : Stride::kNaN;  // no toe-off: unknown
    s.flight_from_one_foot = false;
  }
}

}  // namespace

BilateralResult combine_feet(std::vector<Stride>& left, std::vector<Stride>& right) {
  BilateralResult out;
  const auto by_ic = [](const Stride& a, const Stride& b) { return a.ic_s < b.ic_s; };
  std::sort(left.begin(), left.end(), by_ic);
  std::sort(right.begin(), right.end(), by_ic);
  measure_flight(left, right);
  measure_flight(right, left);

  // Steps: consecutive contacts of the merged sequence. A pause longer than a stride (a stop, a gap in one
  // recording) ends a bout; only the contacts of valid strides count.
  std::vector<Contact> contacts;
  std::vector<double> stride_times;
  for (const auto* foot : {&left, &right})
    for (const auto& s : *foot)
      if (s.valid) {
        contacts.push_back({s.ic_s, s.foot});
        stride_times.push_back(s.stride_time_s);
      }
  std::sort(contacts.begin(), contacts.end(), [](const Contact& a, const Contact& b) { return a.t_s < b.t_s; });
  const double typical_stride_s = median(stride_times);
  std::vector<double> step_times, cadences;
  std::vector<double> step_left, step_right;  // a foot's step ends at its own contact
  std::size_t pairs = 0, alternating = 0;
  for (std::size_t i = 1; i < contacts.size(); ++i) {
    const double dt = contacts[i].t_s - contacts[i - 1].t_s;
    if (!(dt > 0) || dt > typical_stride_s) continue;
    ++pairs;
    if (contacts[i].side == contacts[i - 1].side) continue;
    ++alternating;
    step_times.push_back(dt);
    cadences.push_back(60.0 / dt);
    (contacts[i].side == Side::left ? step_left : step_right).push_back(dt);
  }
  out.steps = step_times.size();
  out.alternation_share = pairs ? static_cast<double>(alternating) / static_cast<double>(pairs) : 0.0;
  std::vector<double> phases;
  for (const auto& s : left) {
    const double c = next_contact(right, s.ic_s - 1e-9);
    if (s.valid && std::isfinite(c) && c < s.next_ic_s) phases.push_back((c - s.ic_s) / s.stride_time_s);
  }
  out.right_phase = median(phases);
  if (pairs == 0)
    out.warnings.push_back("no steps: the two feet's strides do not overlap in time (are the files of one session?)");
  else if (out.alternation_share < 0.9 || !(std::abs(out.right_phase - 0.5) < 0.15))
    out.warnings.push_back("the right foot lands at " + fixed(100 * out.right_phase, 0) +
                           " % of the left stride (about 50 % expected) and the feet alternate in " +
                           fixed(100 * out.alternation_share, 0) +
                           " % of the steps: the two clocks may not be aligned, or the files are not of one session");

  std::vector<double> flights;
  for (const auto* foot : {&left, &right})
    for (const auto& s : *foot)
      if (s.valid && !s.flight_from_one_foot) flights.push_back(s.flight_ms);
  out.metrics.push_back(summarize_values("cadence_spm", cadences));
  out.metrics.push_back(summarize_values("step_time_s", step_times));
  out.metrics.push_back(summarize_values("flight_ms", flights));

  const auto row = [&](std::string name, const std::function<double(const Stride&)>& get) {
    std::vector<double> a, b;
    for (const auto& s : left)
      if (s.valid && std::isfinite(get(s))) a.push_back(get(s));
    for (const auto& s : right)
      if (s.valid && std::isfinite(get(s))) b.push_back(get(s));
    return symmetry_row(std::move(name), std::move(a), std::move(b));
  };
  const auto measured_flight = [](const Stride& s) { return s.flight_from_one_foot ? Stride::kNaN : s.flight_ms; };
  const auto unclipped_impact = [](const Stride& s) { return s.impact_clipped ? Stride::kNaN : s.peak_impact_g; };
  out.symmetry.push_back(row("gct_ms", [](const Stride& s) { return s.gct_ms; }));
  out.symmetry.push_back(row("flight_ms", measured_flight));
  out.symmetry.push_back(symmetry_row("step_time_s", step_left, step_right));
  out.symmetry.push_back(row("peak_impact_g", unclipped_impact));
  out.symmetry.push_back(row("pta_g", [](const Stride& s) { return s.pta_g; }));
  out.symmetry.push_back(row("pronation_velocity_dps", [](const Stride& s) { return s.pronation_velocity_dps; }));
  out.symmetry.push_back(row("pronation_excursion_deg", [](const Stride& s) { return s.pronation_excursion_deg; }));
  out.symmetry.push_back(row("stride_length_m", [](const Stride& s) { return s.stride_length_m; }));
  std::erase_if(out.symmetry, [](const SymmetryRow& r) { return r.n_left == 0 && r.n_right == 0; });
  return out;
}

}  // namespace stride
