// Quintic Hermite pieces and a C2 spline of them: position, velocity and acceleration matched at every knot.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace stride::sim::detail {

struct Jet {  // a scalar and its first two time derivatives
  double y = 0.0, d = 0.0, dd = 0.0;
};

struct Knot {
  double t_s = 0.0;
  Jet value;
};

// p(tau) = sum c[i] tau^i on [0, duration]: the quintic with the given value, rate and acceleration at both ends.
struct Quintic {
  double c[6] = {0, 0, 0, 0, 0, 0};

  static Quintic between(const Jet& a, const Jet& b, double duration_s) {
    const double D = duration_s, D2 = D * D, D3 = D2 * D;
    Quintic q;
    q.c[0] = a.y;
    q.c[1] = a.d;
    q.c[2] = 0.5 * a.dd;
    q.c[3] = (20.0 * (b.y - a.y) - (8.0 * b.d + 12.0 * a.d) * D - (3.0 * a.dd - b.dd) * D2) / (2.0 * D3);
    q.c[4] = (30.0 * (a.y - b.y) + (14.0 * b.d + 16.0 * a.d) * D + (3.0 * a.dd - 2.0 * b.dd) * D2) / (2.0 * D3 * D);
    q.c[5] = (12.0 * (b.y - a.y) - 6.0 * (b.d + a.d) * D + (b.dd - a.dd) * D2) / (2.0 * D3 * D2);
    return q;
  }

  Jet at(double tau) const {
    Jet j;
    j.y = c[0] + tau * (c[1] + tau * (c[2] + tau * (c[3] + tau * (c[4] + tau * c[5]))));
    j.d = c[1] + tau * (2.0 * c[2] + tau * (3.0 * c[3] + tau * (4.0 * c[4] + tau * 5.0 * c[5])));
    j.dd = 2.0 * c[2] + tau * (6.0 * c[3] + tau * (12.0 * c[4] + tau * 20.0 * c[5]));
    return j;
  }
};

// A C2 curve through knots (strictly increasing times); holds the end values (zero rate) outside the knots.
class Spline {
 public:
  void add(double t_s, Jet value) {
    if (!knots_.empty()) pieces_.push_back(Quintic::between(knots_.back().value, value, t_s - knots_.back().t_s));
    knots_.push_back({t_s, value});
  }
  const std::vector<Knot>& knots() const { return knots_; }

  // hint: the piece used last time (speeds up sequential evaluation); updated.
  Jet at(double t_s, std::size_t& hint) const {
    if (knots_.empty()) return {};
    if (t_s <= knots_.front().t_s) return {knots_.front().value.y, 0.0, 0.0};
    if (t_s >= knots_.back().t_s) return {knots_.back().value.y, 0.0, 0.0};
    if (hint >= pieces_.size() || t_s < knots_[hint].t_s || t_s >= knots_[hint + 1].t_s) {
      if (hint < pieces_.size() && t_s >= knots_[hint + 1].t_s && hint + 2 < knots_.size() &&
          t_s < knots_[hint + 2].t_s) {
        ++hint;
      } else {
        auto it = std::upper_bound(knots_.begin(), knots_.end(), t_s,
                                   [](double t, const Knot& k) { return t < k.t_s; });
        hint = static_cast<std::size_t>(it - knots_.begin()) - 1;
      }
    }
    return pieces_[hint].at(t_s - knots_[hint].t_s);
  }

 private:
  std::vector<Knot> knots_;
  std::vector<Quintic> pieces_;
};

}  // namespace stride::sim::detail
