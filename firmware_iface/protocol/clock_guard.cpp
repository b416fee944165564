#include "clock_guard.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace stride::io::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void bad_setting(const char* field, double value, const char* allowed) {
  char b[160];
  std::snprintf(b, sizeof b, "ClockGuardSettings.%s = %g; expected %s", field, value, allowed);
  throw std::invalid_argument(b);
}

// The median of n values, reordering them (n >= 1).
double median_of(double* v, std::size_t n) {
  std::nth_element(v, v + n / 2, v + n);
  return v[n / 2];
}

}  // namespace

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::keep: return "keep";
    case Verdict::gap: return "gap";
    case Verdict::restart: return "restart";
    case Verdict::outlier: return "outlier";
    default: return "duplicate";
  }
}

ClockRule::ClockRule(ClockGuardSettings settings) : s_(settings) {
  if (s_.confirm < 1 || s_.confirm > 64) bad_setting("confirm", static_cast<double>(s_.confirm), "1..64");
  if (s_.window < s_.confirm + 1 || s_.window > 1024)
    bad_setting("window", static_cast<double>(s_.window), "confirm + 1 .. 1024");
  if (!(s_.jump_steps >= 1.0 && s_.jump_steps <= 1e6)) bad_setting("jump_steps", s_.jump_steps, "1..1e6");
  if (!(s_.wrap >= 0.0 && std::isfinite(s_.wrap))) bad_setting("wrap", s_.wrap, "0 (none) or a positive modulus");
  if (!(s_.min_restart_steps >= 0.0 && s_.min_restart_steps <= 1e9))
    bad_setting("min_restart_steps", s_.min_restart_steps, "0..1e9");
  if (!(s_.slot_tolerance > 0.0 && s_.slot_tolerance <= 10.0))
    bad_setting("slot_tolerance", s_.slot_tolerance, "(0, 10] intervals");
  ring_.resize(s_.window + 1);
  steps_.reserve(kStepHistory);
}

void ClockRule::push(Stamp s) {
  if (size_ == ring_.size()) throw std::logic_error("ClockRule::push: more than window + 1 stamps held");
  ring_[(head_ + size_++) % ring_.size()] = s;
}

double ClockRule::diff(double a, double b) const {
  double d = b - a;
  const auto counter = [&](double v) { return v >= 0.0 && v < s_.wrap && v == std::floor(v); };
  if (s_.wrap > 0.0 && counter(a) && counter(b)) {
    if (d >= s_.wrap / 2) d -= s_.wrap;
    else if (d < -s_.wrap / 2) d += s_.wrap;
  }
  return d;
}

double ClockRule::held_step(std::size_t at_least) const {
  std::vector<double> v(steps_);  // only at the start (or after a reset): the kept steps and the held ones
  for (std::size_t i = 0; i + 1 < size_; ++i) {
    const double n = at(i + 1).slot - at(i).slot, d = diff(at(i).raw, at(i + 1).raw);
    if (n >= 0.5 && d > 0) v.push_back(d / n);
  }
  return v.size() < std::max<std::size_t>(at_least, 1) ? 0.0 : median_of(v.data(), v.size());
}

double ClockRule::step() const {
  if (steps_.size() >= kStepHistory) return median_;
  if (const double own = held_step(5); own > 0) return own;  // the stamps' own rate, once a few steps tell it
  if (nominal_ > 0) return nominal_;
  return held_step(1);
}

bool ClockRule::continues(const Stamp& a, const Stamp& b) const {
  const double n = b.slot - a.slot;
  if (n < 0.5) return false;
  const double d = diff(a.raw, b.raw);
  if (!(d > 0)) return false;
  const double dt = step();
  if (!(dt > 0)) return true;
  if (s_.sequenced) return std::abs(d - n * dt) <= s_.slot_tolerance * dt + 0.1 * n * dt;
  return d <= (n + s_.jump_steps) * dt;  // the rows between, and up to jump_steps lines lost
}

double ClockRule::error(const Stamp& a, const Stamp& b) const {
  const double d = diff(a.raw, b.raw), dt = step(), n = b.slot - a.slot;
  if (!(dt > 0)) return std::abs(d);
  if (s_.sequenced) return std::abs(d - n * dt);
  // Rows between the two may have been no samples at all (repeats, corrupt lines inserted): any whole number of
  // intervals from 1 to n fits; beyond n, lines were lost.
  const double m = std::clamp(std::round(d / dt), 1.0, std::max(1.0, n));
  return std::abs(d - m * dt);
}

ClockRule::Decision ClockRule::take(Verdict v) {
  const Stamp h = at(0);
  head_ = (head_ + 1) % ring_.size();
  --size_;
  Decision out;
  out.verdict = v;
  out.anchor = anchored_ ? anchor_.raw : kNaN;
  out.next = size_ > 0 ? at(0).raw : kNaN;
  // A long run of outliers means the anchor or the rate is wrong (the board changed its rate, say): start afresh.
  if (v == Verdict::outlier && ++outlier_run_ >= s_.window) {
    anchored_ = false;
    steps_.clear();
    steps_at_ = 0;
    nominal_ = 0.0;  // the declared rate too: the stamps will tell
    outlier_run_ = 0;
    ++resets_;
  }
  if (v == Verdict::keep || v == Verdict::gap || v == Verdict::restart) {
    outlier_run_ = 0;
    const double d = ever_ ? diff(anchor_.raw, h.raw) : 0.0;
    const double t = ever_ ? anchor_t_ + d : h.raw;
    const double n = h.slot - anchor_.slot;
    if (v != Verdict::restart && anchored_ && n >= 0.5 && d > 0) {  // gaps too: else the rate drifts down
      if (steps_.size() < kStepHistory) steps_.push_back(d / n);
      else steps_[steps_at_] = d / n;
      steps_at_ = (steps_at_ + 1) % kStepHistory;
      // The median: every time while the history fills, then every 8th step (it moves slowly).
      if (steps_.size() < kStepHistory || steps_at_ % 8 == 0) {
        std::copy(steps_.begin(), steps_.end(), scratch_.begin());
        median_ = median_of(scratch_.data(), steps_.size());
      }
    }
    anchor_ = h;
    anchor_t_ = t;
    anchored_ = ever_ = true;
    out.t = t;
  }
  return out;
}

std::optional<ClockRule::Decision> ClockRule::decide(bool final) {
  if (size_ == 0) return std::nullopt;
  const bool force = final || size_ >= s_.window;
  const Stamp& h = at(0);
  const std::size_t k = size_ - 1;  // successors held
  // While the rate is not known yet (nothing declared, few steps kept), decide only with `confirm` successors.
  if (!force && k < s_.confirm && steps_.size() < kStepHistory && !(nominal_ > 0)) return std::nullopt;

  const std::size_t m = std::min(k, s_.confirm);
  const auto behind_h = [&] {  // successors that lie behind h: the stream comes back
    std::size_t n = 0;
    for (std::size_t i = 1; i <= m; ++i) n += diff(h.raw, at(i).raw) < 0;
    return n;
  };

  if (!anchored_) {  // the first stamp (of the stream, or after a break): dropped when most next ones are behind it
    if (k == 0) return force ? std::optional(take(Verdict::keep)) : std::nullopt;
    if (continues(h, at(1))) return take(Verdict::keep);
    if (k < s_.confirm && !force) return std::nullopt;
    return take(behind_h() * 2 > m ? Verdict::outlier : Verdict::keep);
  }

  const double d = diff(anchor_.raw, h.raw);
  if (d == 0) return take(Verdict::duplicate);

  // The next stamps vote: for the anchor (they continue from it and not from h; when h continues from the anchor
  // itself, only those behind h) or for h (they continue from it and not from the anchor, or repeat it). One that
  // continues from both votes for h when h continues from the anchor (nothing says it is off: the stream is just
  // irregular), else for the one it fits clearly better in whole intervals (by a quarter interval; a tie for the
  // anchor).
  const auto votes = [&](bool h_continues) {
    std::pair<std::size_t, std::size_t> v{0, 0};  // anchor, h
    const double margin = 0.25 * step();
    for (std::size_t i = 1; i <= m; ++i) {
      const Stamp& s = at(i);
      if (diff(h.raw, s.raw) == 0) {
        ++v.second;
        continue;
      }
      const bool fa = continues(anchor_, s), fh = continues(h, s);
      if (fa && fh) ++(h_continues || error(h, s) + margin < error(anchor_, s) ? v.second : v.first);
      else if (fa && (!h_continues || diff(h.raw, s.raw) < 0)) ++v.first;  // behind h: the stream came back
      else if (fh) ++v.second;
    }
    return v;
  };

  if (continues(anchor_, h)) {
    // A sequence number pins the frame's place; a text stamp may still be a glitch ahead of the next ones.
    if (s_.sequenced || (k == 0 && force)) return take(Verdict::keep);
    // Where the rate puts it (within half an interval, no line lost): kept at once. Even if it were corrupt, it
    // could not be ahead of the next stamp.
    const double dt = step();
    if (dt > 0 && std::abs(d - (h.slot - anchor_.slot) * dt) <= 0.5 * dt) return take(Verdict::keep);
    if (k == 0) return std::nullopt;
    // The steady state: on the rate grid after the anchor, and the next stamp follows.
    const bool off_grid = error(anchor_, h) > 0.5 * step();
    if (!off_grid && (continues(h, at(1)) || diff(h.raw, at(1).raw) == 0)) return take(Verdict::keep);
    if (k < s_.confirm && !force) return std::nullopt;
    const auto [for_anchor, for_h] = votes(true);
    // A tie (the stamps around are corrupt too): kept only when it sits on the grid.
    return take(for_anchor > for_h || (for_anchor == for_h && for_anchor > 0 && off_grid) ? Verdict::outlier
                                                                                          : Verdict::keep);
  }

  // A jump: believed when the next stamps continue from it rather than from the anchor.
  if (k >= 1 && continues(anchor_, at(1)) && !continues(h, at(1)))
    return take(Verdict::outlier);  // the stream goes on from the anchor
  if (k < s_.confirm && !force) return std::nullopt;
  // Forward: a gap when the next stamps go on from it, each ahead of the one before (an irregular stream jumps
  // too); an outlier when the stream comes back behind it or the next ones are corrupt as well.
  if (d > 0) {
    std::size_t rising = 0, steady = 0;  // steps after it that go forward; that continue (another gap may follow)
    for (std::size_t i = 1; i <= m; ++i) {
      rising += diff(at(i - 1).raw, at(i).raw) > 0;
      steady += continues(at(i - 1), at(i));
    }
    return take(rising == m && steady + 1 >= m ? Verdict::gap : Verdict::outlier);
  }
  const auto [for_anchor, for_h] = votes(false);
  if (for_h == m && m > 0) {
    // Back by a little is the stream coming back behind a stamp kept too far ahead, not a restart; with sequence
    // numbers, the numbers going back too is a restart however short.
    const double dt = step();
    const bool restart = (s_.sequenced && h.slot <= anchor_.slot) || !(dt > 0) || -d >= s_.min_restart_steps * dt;
    return take(restart ? Verdict::restart : Verdict::outlier);
  }
  return take(Verdict::outlier);
}

std::string PeriodCheck::check(double period_s) {
  char b[200];
  if (!(period_s >= s_.min_s && period_s <= s_.max_s)) {
    std::snprintf(b, sizeof b, "period %.0f ns (%.3g Hz) is outside %.0f ns .. %.0f ns (%.3g .. %.3g Hz)",
                  period_s * 1e9, 1.0 / period_s, s_.min_s * 1e9, s_.max_s * 1e9, 1.0 / s_.max_s, 1.0 / s_.min_s);
    return b;
  }
  if (established_ <= 0) {
    established_ = period_s;
    return {};
  }
  if (std::abs(period_s - established_) <= s_.tolerance * established_) {
    agree_ = 0;
    candidate_ = 0;
    return {};
  }
  if (candidate_ > 0 && std::abs(period_s - candidate_) <= 0.01 * candidate_) ++agree_;
  else candidate_ = period_s, agree_ = 1;
  if (agree_ >= s_.confirm) {
    established_ = period_s;
    agree_ = 0;
    candidate_ = 0;
    return {};
  }
  std::snprintf(b, sizeof b, "period %.0f ns differs from the stream's %.0f ns by more than %.0f %%",
                period_s * 1e9, established_ * 1e9, s_.tolerance * 100);
  return b;
}

}  // namespace stride::io::detail
