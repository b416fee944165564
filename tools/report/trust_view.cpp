#include "tools/report/trust_view.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
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

// The page's stylesheet shows the views of the inputs tz-e1..tz-e3 (html_report.cpp): the document's most.
constexpr std::size_t kEvidenceViews = 3;

// The signal arrays and marks of a window or of an evidence stride (the same field names), x axis labelled.
svg::SignalWindow signal_of(const json& part, std::string x_label) {
  svg::SignalWindow signal{std::move(x_label),
                           numbers(field(part, "t_s")),
                           numbers(field(part, "acc_g")),
                           numbers(field(part, "gyr_dps")),
                           numbers(field(part, "ic_s")),
                           numbers(field(part, "tc_s")),
                           {}};
  for (const auto& z : field(part, "zero_velocity_s")) {
    const auto [a, b] = span(z);
    if (std::isfinite(a) && std::isfinite(b)) signal.still_s.emplace_back(a, b);
  }
  return signal;
}

// "Stride 229 (worst)": a stride's button, with every label it carries.
std::string stride_button(long n, const std::vector<std::string>& labels) {
  std::string words;
  for (const auto& l : labels) words += (words.empty() ? "" : ", ") + l;
  return fmt::format("Stride {}{}", n, words.empty() ? "" : " (" + words + ")");
}

// The key values of stride `n` in words, under its view ("" when the page has none).
std::string stride_line(const TrustContext& c, long n, const std::string& button) {
  const auto at = c.stride_words.find(n);
  if (at == c.stride_words.end()) return {};
  return "<p class=\"tz-kv\">" + svg::escape(button + ": " + at->second) + "</p>";
}

// The wider view: the flag's metric over the session, the flag's range, the 3 s window and the strides offered.
std::string context_view(const TrustContext& c, double window_from_min, double window_to_min,
                         const std::vector<std::pair<long, std::string>>& strides) {
  if (c.metric_label.empty()) return {};
  svg::ContextStrip strip{"minutes",
                          c.metric_label, c.t_min, c.value, c.flag_from_min, c.flag_to_min, window_from_min,
                          window_to_min, "the 3 s view", {}, c.baseline};
  for (const auto& [n, button] : strides) {
    const auto t = c.stride_t_min.find(n);
    if (t != c.stride_t_min.end()) strip.marks.push_back({t->second, std::to_string(n), button});
  }
  const std::string chart = svg::context_chart(strip);
  return chart.empty() ? std::string() : "<div class=\"tz-ctx\">" + chart + "</div>";
}

}  // namespace

std::string trust_window_figure(const json& window, const TrustFigure& figure) {
  svg::SignalWindow signal = signal_of(window, "seconds from " + figure.time_origin);
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
  // The strides offered: the zoom's (numbered in documents that have evidence strides) and each evidence stride; an
  // evidence stride the zoom shows adds its label to the zoom's button.
  const double zoom_n = number(window, "zoom_stride_n");
  std::vector<std::string> zoom_labels;
  struct Offered {
    long n;
    std::string label;
    const json* part;
  };
  std::vector<Offered> evidence;
  for (const auto& e : field(window, "evidence_strides")) {
    const double n = number(e, "n");
    if (!std::isfinite(n)) continue;
    if (std::isfinite(zoom_n) && n == zoom_n) zoom_labels.push_back(text(e, "label"));
    else if (field(e, "t_s").is_array() && evidence.size() < kEvidenceViews)
      evidence.push_back({std::lround(n), text(e, "label"), &e});
  }
  if (std::isfinite(zoom_n)) zoom_labels.push_back("mid-window");
  const std::string zoom_button =
      std::isfinite(zoom_n) ? stride_button(std::lround(zoom_n), zoom_labels) : "Zoom: " + zoom_words;
  std::string stride_view;
  if (zoom) {
    svg::SignalWindow close = signal;
    close.x_label = fmt::format("seconds from {} ({}: every sample)", figure.time_origin, zoom_words);
    close.view_from_s = zoom_from;
    close.view_to_s = zoom_to;
    close.span_from_s = close.span_to_s = std::nan("");
    stride_view = svg::signal_chart(close);
    if (std::isfinite(zoom_n)) stride_view += stride_line(figure.context, std::lround(zoom_n), zoom_button);
  }
  const std::string caption =
      "<p class=\"tz-cap\">" + svg::escape(look_for(!signal.still_s.empty())) +
      "</p>";
  std::string out = "<figure class=\"tz\" id=\"" + svg::escape(figure.id) + "\"><figcaption><b>" + svg::escape(figure.title) + "</b></figcaption>";
  if (stride_view.empty()) return out + context + caption + "</figure>\n";
  std::vector<std::pair<long, std::string>> offered;
  if (std::isfinite(zoom_n)) offered.emplace_back(std::lround(zoom_n), zoom_button);
  for (const auto& e : evidence) offered.emplace_back(e.n, stride_button(e.n, {e.label}));
  const double from_s = number(window, "from_s");
  out += context_view(figure.context, from_s / 60, number(window, "to_s") / 60, offered);
  // The inputs come before the views they choose (CSS sibling selectors); the 3 s view is checked by default.
  const std::string id = svg::escape(figure.id);
  out += fmt::format(
      "<input type=\"radio\" class=\"tz-c\" name=\"{0}\" id=\"{0}-c\" checked><label for=\"{0}-c\">3 s, {1}</label>"
      "<input type=\"radio\" class=\"tz-s\" name=\"{0}\" id=\"{0}-s\"><label for=\"{0}-s\">{2}</label>",
      id, rate_words(number(window, "rate_hz")), svg::escape(zoom_button));
  std::string evidence_views;
  for (std::size_t k = 0; k < evidence.size(); ++k) {
    const json& e = *evidence[k].part;
    const double e_from = number(e, "from_s");
    const std::string origin = figure.clock ? figure.clock(e_from) : fmt::format("{:.1f} s", e_from);
    const std::string button = offered[offered.size() - evidence.size() + k].second;
    const std::string chart = svg::signal_chart(signal_of(
        e, fmt::format("seconds from {} (stride {}, {}: every sample)", origin, evidence[k].n,
                       rate_words(number(e, "rate_hz")))));
    if (chart.empty()) continue;
    out += fmt::format("<input type=\"radio\" class=\"tz-e tz-e{1}\" name=\"{0}\" id=\"{0}-e{1}\"><label for=\"{0}-e{1}\">{2}</label>",
                       id, k + 1, svg::escape(button));
    evidence_views += fmt::format("<div class=\"tz-ve tz-ve{}\">", k + 1) + chart +
                      stride_line(figure.context, evidence[k].n, button) + "</div>";
  }
  return out + "<div class=\"tz-vc\">" + context + "</div><div class=\"tz-vs\">" + stride_view + "</div>" +
         evidence_views + caption + "</figure>\n";
}

}  // namespace stride::report
