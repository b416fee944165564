#include "analysis/event_accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace stride {

EventAccuracy score_events(std::span<const double> ref, std::span<const double> det, double tol) {
  EventAccuracy a;
  a.reference = ref.size();
  a.detected = det.size();
  std::vector<bool> used(det.size(), false);
  double sum = 0, sq = 0, abs_sum = 0;
  for (double r : ref) {
    auto it = std::lower_bound(det.begin(), det.end(), r);
    std::ptrdiff_t best = -1;
    double best_err = tol;
    for (auto j : {it - det.begin() - 1, it - det.begin()}) {
      if (j < 0 || j >= static_cast<std::ptrdiff_t>(det.size()) || used[static_cast<std::size_t>(j)]) continue;
      const double e = std::abs(det[static_cast<std::size_t>(j)] - r);
      if (e <= best_err) best_err = e, best = j;
    }
    if (best < 0) continue;
    used[static_cast<std::size_t>(best)] = true;
    const double e_ms = (det[static_cast<std::size_t>(best)] - r) * 1e3;
    ++a.matched;
    a.errors_ms.push_back(e_ms);
    sum += e_ms;
    sq += e_ms * e_ms;
    abs_sum += std::abs(e_ms);
    a.max_abs_ms = std::max(a.max_abs_ms, std::abs(e_ms));
  }
  if (a.matched) {
    const double n = static_cast<double>(a.matched);
    a.bias_ms = sum / n;
    a.sd_ms = a.matched > 1 ? std::sqrt(std::max(0.0, (sq - n * a.bias_ms * a.bias_ms) / (n - 1))) : 0.0;
    a.mae_ms = abs_sum / n;
  }
  return a;
}

double EventAccuracy::p95_abs_ms() const {
  if (errors_ms.empty()) return 0.0;
  std::vector<double> a(errors_ms.size());
  std::transform(errors_ms.begin(), errors_ms.end(), a.begin(), [](double e) { return std::abs(e); });
  std::sort(a.begin(), a.end());
  const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(a.size())));
  return a[std::max<std::size_t>(rank, 1) - 1];
}

void EventAccuracy::add(const EventAccuracy& o) {
  const double n1 = static_cast<double>(matched), n2 = static_cast<double>(o.matched), n = n1 + n2;
  if (n > 0) {
    const double mean = (n1 * bias_ms + n2 * o.bias_ms) / n;
    // Pool the second moments, then re-centre on the pooled mean.
    const double m2 = (n1 > 1 ? (n1 - 1) * sd_ms * sd_ms : 0) + n1 * bias_ms * bias_ms +
                      (n2 > 1 ? (n2 - 1) * o.sd_ms * o.sd_ms : 0) + n2 * o.bias_ms * o.bias_ms;
    sd_ms = n > 1 ? std::sqrt(std::max(0.0, (m2 - n * mean * mean) / (n - 1))) : 0.0;
    mae_ms = (n1 * mae_ms + n2 * o.mae_ms) / n;
    bias_ms = mean;
  }
  reference += o.reference;
  detected += o.detected;
  matched += o.matched;
  max_abs_ms = std::max(max_abs_ms, o.max_abs_ms);
  errors_ms.insert(errors_ms.end(), o.errors_ms.begin(), o.errors_ms.end());
}

}  // namespace stride
