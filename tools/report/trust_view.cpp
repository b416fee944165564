#include "tools/report/trust_view.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "tools/report/lenient_json.hpp"
#include "tools/report/svg_plot.hpp"

namespace stride::report {
namespace {

using nlohmann::json;

std::vector<double> numbers(const json& a) {
  std::vector<double> v;
  if (a.is_array())
    for (const auto& x : a) v.push_back(x.is_number() ? x.get<double>() : std::nan(""));
  return v;
}

// [from, to] of a two-number array; NaNs when it is not one (null: no stride found, or an older document).
std::pair<double, double> span(const json& a) {
  if (a.is_array() && a.size() == 2 && a[0].is_number() && a[1].is_number())
    return {a[0].get<double>(), a[1].get<double>()};
  return {std::nan(""), std::nan("")};
}

std::string rate_words(double hz) { return std::isfinite(hz) ? fmt::format("{:.0f} Hz", hz) : std::string("?"); }

// One line: what a coach checks to believe the detector. The still bands only where the trajectory found them (a
// shoe sensor with a gyroscope). TC is put where the quiet stance ends, not at a feature of |gyro|: that differs
// between shoes, mountings and the simulator.
std::string look_for(bool still) {
  return std::string("Look for: red IC lines at the sharp rises of |acc| (the strikes), dashed TC lines where the "
                     "quiet stance ends") +
         (still ? ", a green band inside each stance." : ".");
}

}  // namespace

std::string trust_window_figure(const json& window, const TrustFigure& figure) {
  svg::SignalWindow signal{"seconds from " + figure.time_origin,
                           numbers(field(window, "t_s")),
                           numbers(field(window, "acc_g")),
                           numbers(field(window, "gyr_dps")),
                           numbers(field(window, "ic_s")),
                           numbers(field(window, "tc_s")),
                           {}};
  for (const auto& z : field(window, "zero_velocity_s")) {
    const auto [a, b] = span(z);
    if (std::isfinite(a) && std::isfinite(b)) signal.still_s.emplace_back(a, b);
  }
  const auto [zoom_from, zoom_to] = span(field(window, "zoom_s"));
  const bool stride = std::isfinite(span(field(window, "zoom_stride_s")).first);
  const bool zoom = std::isfinite(zoom_from) && std::isfinite(zoom_to) && zoom_to > zoom_from;
  const std::string zoom_words = (stride ? "1 stride, " : "1 s, ") + rate_words(number(window, "zoom_rate_hz"));
  if (zoom) {
    signal.span_from_s = zoom_from;
    signal.span_to_s = zoom_to;
    signal.span_label = "the part the “" + zoom_words + "” view shows";
  }
  const std::string context = svg::signal_chart(signal);
  if (context.empty()) return {};
  std::string stride_view;
  if (zoom) {
    svg::SignalWindow close = signal;
    close.x_label = fmt::format("seconds from {} ({}: every sample)", figure.time_origin, zoom_words);
    close.view_from_s = zoom_from;
    close.view_to_s = zoom_to;
    close.span_from_s = close.span_to_s = std::nan("");
    stride_view = svg::signal_chart(close);
  }
  const std::string caption =
      "<p class=\"tz-cap\">" + svg::escape(look_for(!signal.still_s.empty())) +
      "</p>";
  std::string out = "<figure class=\"tz\" id=\"" + svg::escape(figure.id) + "\"><figcaption><b>" + svg::escape(figure.title) + "</b></figcaption>";
  if (stride_view.empty()) return out + context + caption + "</figure>\n";
  // The inputs come before the views they choose (CSS sibling selectors); the 3 s view is checked by default.
  const std::string id = svg::escape(figure.id);
  out += fmt::format(
      "<input type=\"radio\" class=\"tz-c\" name=\"{0}\" id=\"{0}-c\" checked><label for=\"{0}-c\">3 s, {1}</label>"
      "<input type=\"radio\" class=\"tz-s\" name=\"{0}\" id=\"{0}-s\"><label for=\"{0}-s\">Zoom: {2}</label>",
      id, rate_words(number(window, "rate_hz")), svg::escape(zoom_words));
  return out + "<div class=\"tz-vc\">" + context + "</div><div class=\"tz-vs\">" + stride_view + "</div>" + caption +
         "</figure>\n";
}

}  // namespace stride::report
