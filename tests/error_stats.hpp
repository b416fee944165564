// Running bias and SD of errors, for the accuracy tests.
#pragma once

#include <algorithm>
#include <cmath>

namespace stride::test {

struct ErrorStats {
  double n = 0, sum = 0, sq = 0;
  void add(double e) { n += 1, sum += e, sq += e * e; }
  double bias() const { return sum / n; }
  double sd() const { return std::sqrt(std::max(0.0, sq / n - bias() * bias())); }
};

}  // namespace stride::test
