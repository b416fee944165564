#include "tools/report/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace stride::report::svg {
namespace {

// The drawing area in viewBox units. 480 wide keeps 12-unit text legible when a phone shows it ~350 px wide.
constexpr double kWidth = 480, kHeight = 240;
constexpr double kLeft = 52, kRight = 12, kTop = 12, kBottom = 40;

// Coordinates with one decimal: sub-pixel precision at any screen size, and half the bytes of the default.
std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string open_svg(double height, std::string_view role_label) {
  return fmt::format(R"(<svg viewBox="0 0 {} {}" font-size="14" role="img" aria-label="{}">)", num(kWidth),
                     num(height), escape(role_label));
}

struct Axis {
  Range r;
  double px0, px1;  // screen coordinates of r.lo and r.hi
  double operator()(double v) const { return px0 + (v - r.lo) / (r.hi - r.lo) * (px1 - px0); }
};

double tick_step(const std::vector<double>& ticks) { return ticks.size() > 1 ? ticks[1] - ticks[0] : 1.0; }

// Horizontal grid lines with labels on the left; the axis range is widened to the outer ticks.
std::string y_grid(Axis& y, const std::vector<double>& ticks, double x0, double x1) {
  y.r = {ticks.front(), ticks.back()};
  std::string out;
  const double step = tick_step(ticks);
  for (double t : ticks) {
    out += fmt::format(R"(<line class="g" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(x0), num(x1), num(y(t)), num(y(t)));
    out += fmt::format(R"(<text class="t" x="{}" y="{}" text-anchor="end">{}</text>)", num(x0 - 4), num(y(t) + 4),
                       escape(tick_label(t, step)));
  }
  return out;
}

// Tick labels under the frame; only ticks inside the axis range are drawn (the range is not widened).
std::string x_ticks(const Axis& x, const std::vector<double>& ticks, double y0) {
  std::string out;
  const double step = tick_step(ticks);
  const double lo = std::min(x.r.lo, x.r.hi), hi = std::max(x.r.lo, x.r.hi), eps = (hi - lo) * 1e-9;
  for (double t : ticks) {
    if (t < lo - eps || t > hi + eps) continue;
    out += fmt::format(R"(<line class="a" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(x(t)), num(x(t)), num(y0), num(y0 + 4));
    out += fmt::format(R"(<text class="t" x="{}" y="{}" text-anchor="middle">{}</text>)", num(x(t)), num(y0 + 16),
                       escape(tick_label(t, step)));
  }
  return out;
}

std::string axis_labels(std::string_view x_label, std::string_view y_label, double height) {
  std::string out;
  if (!x_label.empty())
    out += fmt::format(R"(<text class="t" x="{}" y="{}" text-anchor="middle">{}</text>)", num((kLeft + kWidth - kRight) / 2),
                       num(height - 6), escape(x_label));
  if (!y_label.empty())
    out += fmt::format(R"~(<text class="t" transform="translate(12 {}) rotate(-90)" text-anchor="middle">{}</text>)~",
                       num((kTop + height - kBottom) / 2), escape(y_label));
  return out;
}

// A length in tenths of a unit, as short as SVG reads it: 23 -> "2.3", 7 -> ".7", -15 -> "-1.5", 30 -> "3".
std::string tenths(long v) {
  const long a = std::labs(v);
  std::string out = v < 0 ? "-" : "";
  if (a >= 10 || a == 0) out += std::to_string(a / 10);
  if (a % 10 != 0) out += "." + std::to_string(a % 10);
  return out;
}

// Appends a number to a path: a space only where SVG needs one to tell two numbers apart (not before a "-", nor
// before a ".5" that follows a number that already has its ".").
void append_number(std::string& d, const std::string& n) {
  if (!d.empty() && std::isdigit(static_cast<unsigned char>(d.back())) && n.front() != '-') {
    const auto start = d.find_last_not_of("0123456789.");  // the number d ends with starts after this
    const bool has_point = d.find('.', start == std::string::npos ? 0 : start + 1) != std::string::npos;
    if (!(n.front() == '.' && has_point)) d += ' ';
  }
  d += n;
}

}  // namespace

std::string relative_path(const std::vector<std::pair<double, double>>& points) {
  std::string d;
  bool pen = false;
  long px = 0, py = 0;  // the pen, in tenths
  for (const auto& [xf, yf] : points) {
    if (!std::isfinite(xf) || !std::isfinite(yf)) {
      pen = false;
      continue;
    }
    const long tx = std::lround(xf * 10), ty = std::lround(yf * 10);
    if (!pen) {
      d += 'M';
      append_number(d, tenths(tx));
      append_number(d, tenths(ty));
      d += 'l';
    } else {
      append_number(d, tenths(tx - px));
      append_number(d, tenths(ty - py));
    }
    px = tx;
    py = ty;
    pen = true;
  }
  // A line that ended right after its M has an "l" with no numbers: drop it (and leave the lone point, as before).
  for (auto at = d.find("lM"); at != std::string::npos; at = d.find("lM", at)) d.erase(at, 1);
  if (!d.empty() && d.back() == 'l') d.pop_back();
  return d;
}

namespace {

double percentile_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return NAN;
  const double at = p * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(at);
  const double frac = at - static_cast<double>(i);
  return i + 1 < sorted.size() ? sorted[i] * (1 - frac) + sorted[i + 1] * frac : sorted[i];
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Range finite_range(const std::vector<double>& values, bool* found) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (found) *found = lo <= hi;
  if (!(lo <= hi)) return {0.0, 1.0};
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
    // Flat: give it a height of 10 % of its value (or 1 around zero), centred, so the line sits mid-frame.
    const double pad = lo == 0.0 ? 0.5 : std::abs(lo) * 0.05;
    return {lo - pad, hi + pad};
  }
  return {lo, hi};
}

Range merge(Range a, Range b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

std::vector<double> nice_ticks(Range r, int target) {
  if (!std::isfinite(r.lo) || !std::isfinite(r.hi)) r = {0.0, 1.0};
  if (r.hi < r.lo) std::swap(r.lo, r.hi);
  if (r.hi - r.lo <= 0) r = finite_range({r.lo});
  const double raw = (r.hi - r.lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag * 1.0000001) {
      step = m * mag;
      break;
    }
  const double first = std::floor(r.lo / step + 1e-9) * step, last = std::ceil(r.hi / step - 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0; first + i * step <= last + step * 1e-6 && i < 100; ++i) ticks.push_back(first + i * step);
  if (ticks.size() < 2) ticks.push_back(ticks.empty() ? first : ticks.back() + step);
  return ticks;
}

std::string tick_label(double value, double step) {
  const int decimals = step > 0 && step < 1 ? static_cast<int>(std::ceil(-std::log10(step) - 1e-9)) : 0;
  if (std::abs(value) < step * 1e-6) value = 0.0;  // no "-0"
  std::string s = fmt::format("{:.{}f}", value, std::clamp(decimals, 0, 6));
  if (s == "-0") s = "0";
  return s;
}

std::string line_chart(const LineChart& chart) {
  std::vector<double> xs, ys;
  for (const auto& s : chart.series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      const bool band = i < s.lo.size() && i < s.hi.size() && std::isfinite(s.lo[i]) && std::isfinite(s.hi[i]);
      if (!std::isfinite(s.x[i]) || (!std::isfinite(s.y[i]) && !band)) continue;
      xs.push_back(s.x[i]);
      ys.push_back(s.y[i]);
      if (band) {
        ys.push_back(s.lo[i]);
        ys.push_back(s.hi[i]);
      }
    }
  bool any = false;
  Range yr = finite_range(ys, &any);
  if (!any) return {};
  for (const auto& g : chart.guides)
    if (std::isfinite(g.y)) yr = merge(yr, {g.y, g.y});
  const Range xr = finite_range(xs);
  Axis x{xr, kLeft, kWidth - kRight};
  Axis y{yr, kHeight - kBottom, kTop};
  std::string out = open_svg(kHeight, chart.y_label);
  out += y_grid(y, nice_ticks(yr, 5), kLeft, kWidth - kRight);
  out += x_ticks(x, nice_ticks(xr, 6), kHeight - kBottom);
  out += fmt::format(R"(<rect class="f" x="{}" y="{}" width="{}" height="{}"/>)", num(kLeft), num(kTop),
                     num(kWidth - kRight - kLeft), num(kHeight - kBottom - kTop));
  for (const auto& s : chart.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    // The band: one polygon per run of points where both edges are known.
    if (s.lo.size() >= n && s.hi.size() >= n) {
      std::size_t i = 0;
      while (i < n) {
        while (i < n && !(std::isfinite(s.x[i]) && std::isfinite(s.lo[i]) && std::isfinite(s.hi[i]))) ++i;
        std::size_t j = i;
        while (j < n && std::isfinite(s.x[j]) && std::isfinite(s.lo[j]) && std::isfinite(s.hi[j])) ++j;
        if (j > i) {
          std::string pts;
          for (std::size_t k = i; k < j; ++k) pts += num(x(s.x[k])) + "," + num(y(s.hi[k])) + " ";
          for (std::size_t k = j; k-- > i;) pts += num(x(s.x[k])) + "," + num(y(s.lo[k])) + " ";
          pts.pop_back();
          out += fmt::format(R"(<polygon class="band {}" points="{}"/>)", escape(s.css_class), pts);
        }
        i = j;
      }
    }
    std::string d;
    bool pen_down = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        pen_down = false;  // not measured: a gap, not a line drawn through it
        continue;
      }
      d += fmt::format("{}{} {}", pen_down ? 'L' : 'M', num(x(s.x[i])), num(y(s.y[i])));
      pen_down = true;
    }
    if (!d.empty())
      out += fmt::format(R"(<path class="ln {}" d="{}"><title>{}</title></path>)", escape(s.css_class), d,
                         escape(s.label));
    if (chart.dots)
      for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
          out += fmt::format(R"(<circle class="dot {}" cx="{}" cy="{}" r="2.5"/>)", escape(s.css_class),
                             num(x(s.x[i])), num(y(s.y[i])));
  }
  for (const auto& g : chart.guides) {
    if (!std::isfinite(g.y)) continue;
    out += fmt::format(R"(<line class="guide" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(kLeft), num(kWidth - kRight),
                       num(y(g.y)), num(y(g.y)));
    if (!g.label.empty())
      out += fmt::format(R"(<text class="t gl" x="{}" y="{}" text-anchor="end">{}</text>)", num(kWidth - kRight - 4),
                         num(y(g.y) - 4), escape(g.label));
  }
  out += axis_labels(chart.x_label, chart.y_label, kHeight);
  out += "</svg>";
  return out;
}

std::string histogram(const Histogram& chart) {
  std::vector<double> all;
  for (const auto& s : chart.series)
    for (double v : s.values)
      if (std::isfinite(v)) all.push_back(v);
  if (all.empty()) return {};
  std::sort(all.begin(), all.end());
  Range xr{percentile_sorted(all, 0.01), percentile_sorted(all, 0.99)};
  if (!(xr.hi > xr.lo)) xr = finite_range({xr.lo});
  const int bins = std::max(1, chart.bins);
  const double width = (xr.hi - xr.lo) / bins;
  std::vector<std::vector<double>> share(chart.series.size(), std::vector<double>(static_cast<std::size_t>(bins), 0.0));
  double top = 0.0;
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    std::size_t n = 0;
    for (double v : chart.series[k].values) {
      if (!std::isfinite(v)) continue;
      // Clamp before the cast: a stray 1e300 must land in the edge bin, not overflow an int.
      const int b = static_cast<int>(std::clamp(std::floor((v - xr.lo) / width), 0.0, static_cast<double>(bins - 1)));
      share[k][static_cast<std::size_t>(b)] += 1.0;
      ++n;
    }
    for (double& c : share[k]) {
      c = n ? 100.0 * c / static_cast<double>(n) : 0.0;
      top = std::max(top, c);
    }
  }
  Axis x{xr, kLeft, kWidth - kRight};
  Axis y{{0.0, std::max(top, 1.0)}, kHeight - kBottom, kTop};
  std::string out = open_svg(kHeight, chart.x_label);
  out += y_grid(y, nice_ticks(y.r, 4), kLeft, kWidth - kRight);
  out += x_ticks(x, nice_ticks(xr, 6), kHeight - kBottom);
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const auto& s = chart.series[k];
    std::string bars;
    for (int b = 0; b < bins; ++b) {
      const double v = share[k][static_cast<std::size_t>(b)];
      if (v <= 0) continue;
      const double x0 = x(xr.lo + b * width), x1 = x(xr.lo + (b + 1) * width);
      bars += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}"/>)", num(x0 + 0.5), num(y(v)),
                          num(std::max(0.5, x1 - x0 - 1.0)), num(y(0.0) - y(v)));
    }
    out += fmt::format(R"(<g class="bar {}"><title>{}</title>{}</g>)", escape(s.css_class), escape(s.label), bars);
  }
  out += axis_labels(chart.x_label, "% of strides", kHeight);
  out += "</svg>";
  return out;
}

std::string paired_bars_chart(const std::vector<PairedRow>& rows, double threshold_pct) {
  std::vector<PairedRow> shown;
  for (const auto& r : rows)
    if (std::isfinite(r.left) && std::isfinite(r.right) && r.left >= 0 && r.right >= 0 && r.left + r.right > 0)
      shown.push_back(r);
  if (shown.empty()) return {};
  // A label row above each pair (long labels need the width), the bars under it, the SI on the right.
  constexpr double kHead = 20, kRow = 50, kBar0 = 28, kBar1 = 350, kSi = 474;
  const double height = kHead + kRow * static_cast<double>(shown.size()) + 4;
  std::string out = open_svg(height, "left and right medians per metric, with the symmetry index");
  out += fmt::format(R"(<text class="t" x="4" y="14">L / R median</text><text class="t" x="{}" y="14" text-anchor="end">SI %</text>)",
                     num(kSi));
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto& r = shown[i];
    const double y0 = kHead + kRow * static_cast<double>(i);
    const double top = std::max(r.left, r.right);
    const double si = 200.0 * std::abs(r.left - r.right) / (r.left + r.right);
    const bool over = std::isfinite(threshold_pct) && si > threshold_pct;
    out += fmt::format(R"(<line class="g" x1="0" x2="{}" y1="{}" y2="{}"/>)", num(kWidth), num(y0), num(y0));
    out += fmt::format(R"(<text x="4" y="{}">{}</text>)", num(y0 + 15), escape(r.label));
    const struct {
      const char* side;
      const char* css;
      double v, y;
    } bars[] = {{"L", "left", r.left, y0 + 20}, {"R", "right", r.right, y0 + 34}};
    for (const auto& b : bars) {
      const double w = std::max(1.0, (kBar1 - kBar0) * b.v / top);
      out += fmt::format(R"(<text class="t" x="4" y="{}">{}</text>)", num(b.y + 10), b.side);
      out += fmt::format(R"(<rect class="bar {}" x="{}" y="{}" width="{}" height="12"><title>{}</title></rect>)", b.css,
                         num(kBar0), num(b.y), num(w), escape(fmt::format("{} {:.{}f}", b.side, b.v, r.decimals)));
      out += fmt::format(R"(<text class="t" x="{}" y="{}">{}</text>)", num(kBar0 + w + 4), num(b.y + 10),
                         escape(fmt::format("{:.{}f}", b.v, r.decimals)));
    }
    out += fmt::format(R"(<text class="si-v{}" x="{}" y="{}" text-anchor="end" font-weight="700">{}</text>)",
                       over ? " over" : "", num(kSi), num(y0 + 36), escape(fmt::format("{:.1f}", si)));
  }
  return out + "</svg>";
}

std::string signal_chart(const SignalWindow& whole) {
  if (whole.acc_g.size() != whole.t_s.size()) return {};
  const bool gyro = whole.gyr_dps.size() == whole.t_s.size();
  // The samples in the view (all of them without one).
  const bool viewed = std::isfinite(whole.view_from_s) && std::isfinite(whole.view_to_s) &&
                      whole.view_to_s > whole.view_from_s;
  SignalWindow w{whole.x_label, {}, {}, {}, whole.ic_s, whole.tc_s, whole.still_s};
  for (std::size_t i = 0; i < whole.t_s.size(); ++i) {
    if (viewed && !(whole.t_s[i] >= whole.view_from_s && whole.t_s[i] <= whole.view_to_s)) continue;
    w.t_s.push_back(whole.t_s[i]);
    w.acc_g.push_back(whole.acc_g[i]);
    if (gyro) w.gyr_dps.push_back(whole.gyr_dps[i]);
  }
  bool any = false;
  const Range samples = finite_range(w.t_s, &any);
  if (!any) return {};
  const Range tr = viewed ? Range{whole.view_from_s, whole.view_to_s} : samples;
  constexpr double kPanel = 100, kGap = 22;
  const double top0 = kTop, top1 = kTop + kPanel + kGap;
  const double height = (gyro ? top1 + kPanel : top0 + kPanel) + kBottom;
  const double bottom = height - kBottom;
  Axis x{tr, kLeft, kWidth - kRight};
  std::string out = open_svg(height, "raw signal with the detected events");
  // Zero-velocity windows behind everything, across both panels.
  for (auto [a, b] : w.still_s) {
    a = std::max(a, tr.lo);
    b = std::min(b, tr.hi);
    if (std::isfinite(a) && std::isfinite(b) && b >= a)
      out += fmt::format(R"(<rect class="zv" x="{}" y="{}" width="{}" height="{}"/>)", num(x(a)), num(top0),
                         num(std::max(1.0, x(b) - x(a))), num(bottom - top0));
  }
  const auto panel = [&](const std::vector<double>& v, double top, const char* label, const char* css) {
    Axis y{finite_range(v), top + kPanel, top};
    y.r.lo = std::min(0.0, y.r.lo);
    out += y_grid(y, nice_ticks(y.r, 3), kLeft, kWidth - kRight);
    std::vector<std::pair<double, double>> points;
    for (std::size_t i = 0; i < v.size(); ++i) points.emplace_back(x(w.t_s[i]), y(v[i]));
    out += fmt::format(R"(<path class="ln {}" d="{}"/>)", css, relative_path(points));
    out += fmt::format(R"(<text class="t" x="{}" y="{}">{}</text>)", num(kLeft + 4), num(top + 11), escape(label));
  };
  panel(w.acc_g, top0, "|acc| (g)", "c0");
  if (gyro) panel(w.gyr_dps, top1, "|gyro| (deg/s)", "right");
  const auto marks = [&](const std::vector<double>& at, const char* css, const char* label) {
    for (double t : at) {
      if (!std::isfinite(t) || t < tr.lo || t > tr.hi) continue;
      out += fmt::format(R"(<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>)", css, num(x(t)), num(x(t)), num(top0),
                         num(bottom));
      out += fmt::format(R"(<text class="t {}l" x="{}" y="{}" text-anchor="middle">{}</text>)", css, num(x(t)),
                         num(top0 - 2), label);
    }
  };
  marks(w.ic_s, "ic", "IC");
  marks(w.tc_s, "tc", "TC");
  const double s0 = std::max(whole.span_from_s, tr.lo), s1 = std::min(whole.span_to_s, tr.hi);
  if (std::isfinite(s0) && std::isfinite(s1) && s1 > s0)
    out += fmt::format(R"(<rect class="zr" x="{}" y="{}" width="{}" height="5"><title>{}</title></rect>)", num(x(s0)),
                       num(bottom - 2.5), num(x(s1) - x(s0)), escape(whole.span_label));
  out += x_ticks(x, nice_ticks(tr, 6), bottom);
  out += axis_labels(w.x_label, "", height);
  return out + "</svg>";
}

std::string context_chart(const ContextStrip& c) {
  bool any = false;
  const Range xr = finite_range(c.x, &any);
  if (!any || c.x.size() != c.y.size()) return {};
  constexpr double kPlot = 70, kMarkRoom = 12;  // a short strip: context, not a second plot of the metric
  const double top = kTop + kMarkRoom, bottom = top + kPlot, height = bottom + kBottom;
  Axis x{xr, kLeft, kWidth - kRight};
  Range yr = finite_range(c.y);
  if (std::isfinite(c.guide.y)) yr = merge(yr, {c.guide.y, c.guide.y});
  Axis y{yr, bottom, top};
  std::string out = open_svg(height, c.y_label + " over the session");
  const auto clamp_x = [&](double v) { return std::clamp(v, xr.lo, xr.hi); };
  if (std::isfinite(c.band_from) && std::isfinite(c.band_to) && c.band_to >= c.band_from)
    out += fmt::format(R"(<rect class="fr" x="{}" y="{}" width="{}" height="{}"/>)", num(x(clamp_x(c.band_from))),
                       num(top), num(std::max(1.0, x(clamp_x(c.band_to)) - x(clamp_x(c.band_from)))), num(kPlot));
  out += y_grid(y, nice_ticks(y.r, 2), kLeft, kWidth - kRight);
  if (std::isfinite(c.guide.y))
    out += fmt::format(R"(<line class="guide" x1="{}" x2="{}" y1="{}" y2="{}"><title>{}</title></line>)", num(kLeft),
                       num(kWidth - kRight), num(y(c.guide.y)), num(y(c.guide.y)), escape(c.guide.label));
  std::vector<std::pair<double, double>> points;
  for (std::size_t i = 0; i < c.x.size(); ++i) points.emplace_back(x(c.x[i]), y(c.y[i]));
  out += fmt::format(R"(<path class="ln c0" d="{}"/>)", relative_path(points));
  // Each stride's line; its number above unless it would overlap one already written (10-unit type: ~6 a digit).
  std::vector<double> written;
  for (const auto& m : c.marks) {
    if (!std::isfinite(m.x)) continue;
    const double at = x(clamp_x(m.x)), room = 6.0 * static_cast<double>(m.label.size()) + 4;
    out += fmt::format(R"(<line class="ev" x1="{0}" x2="{0}" y1="{1}" y2="{2}"><title>{3}</title></line>)", num(at),
                       num(top), num(bottom), escape(m.title));
    if (std::none_of(written.begin(), written.end(), [&](double w) { return std::abs(w - at) < room; })) {
      out += fmt::format(R"(<text class="t evl" x="{}" y="{}" text-anchor="middle">{}</text>)", num(at), num(top - 2),
                         escape(m.label));
      written.push_back(at);
    }
  }
  const double s0 = std::max(c.span_from, xr.lo), s1 = std::min(c.span_to, xr.hi);
  if (std::isfinite(s0) && std::isfinite(s1) && s1 >= s0)
    out += fmt::format(R"(<rect class="zr" x="{}" y="{}" width="{}" height="5"><title>{}</title></rect>)", num(x(s0)),
                       num(bottom - 2.5), num(std::max(2.0, x(s1) - x(s0))), escape(c.span_label));
  out += x_ticks(x, nice_ticks(xr, 6), bottom);
  out += axis_labels(c.x_label, "", height);
  out += fmt::format(R"(<text class="t" x="{}" y="{}">{}</text>)", num(kLeft + 4), num(top + 11), escape(c.y_label));
  return out + "</svg>";
}

std::string column_chart(const ColumnChart& chart) {
  double top = 0.0;
  bool any = false;
  for (const auto& c : chart.columns) {
    if (std::isfinite(c.value)) {
      any = true;
      top = std::max(top, c.value);
    }
    if (std::isfinite(c.limit)) top = std::max(top, c.limit);
  }
  if (!any) return {};
  Axis y{{0.0, std::max(top, 1e-9)}, kHeight - kBottom, kTop};
  std::string out = open_svg(kHeight, chart.y_label);
  out += y_grid(y, nice_ticks(y.r, 4), kLeft, kWidth - kRight);
  const double n = static_cast<double>(chart.columns.size());
  const double slot = (kWidth - kRight - kLeft) / n, bar = std::clamp(slot * 0.7, 1.0, 48.0);
  // A label at font-size 14 takes up to 9 units per character, plus a gap; show every k-th so that none overlap.
  std::size_t longest = 1;
  for (const auto& c : chart.columns) longest = std::max(longest, c.label.size());
  const auto every = static_cast<std::size_t>(std::max(1.0, std::ceil((9.0 * static_cast<double>(longest) + 10) / slot)));
  for (std::size_t i = 0; i < chart.columns.size(); ++i) {
    const Column& c = chart.columns[i];
    const double cx = kLeft + slot * (static_cast<double>(i) + 0.5);
    if (std::isfinite(c.value)) {
      const bool over = std::isfinite(c.limit) && c.value > c.limit;
      const std::string title = c.title.empty() ? c.label + ": " + tick_label(c.value, 0.1) : c.title;
      out += fmt::format(R"(<rect class="col{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>)",
                         over ? " over" : "", num(cx - bar / 2), num(y(c.value)), num(bar),
                         num(std::max(0.0, y(0.0) - y(c.value))), escape(title));
    }
    if (std::isfinite(c.limit))
      out += fmt::format(R"(<line class="guide" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(cx - slot / 2),
                         num(cx + slot / 2), num(y(c.limit)), num(y(c.limit)));
    if (i % every == 0)
      out += fmt::format(R"(<text class="t" x="{}" y="{}" text-anchor="middle">{}</text>)", num(cx),
                         num(kHeight - kBottom + 16), escape(c.label));
  }
  out += fmt::format(R"(<line class="a" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(kLeft), num(kWidth - kRight),
                     num(y(0.0)), num(y(0.0)));
  out += axis_labels(chart.x_label, chart.y_label, kHeight);
  out += "</svg>";
  return out;
}

}  // namespace stride::report::svg
