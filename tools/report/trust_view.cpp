#include "tools/report/trust_view.hpp"

#include <fmt/format.h>

#include <cmath>
#include <algorithm>
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

// A button: a label for the input `input` (e.g. "e2", "s"), marked when that input is checked (trust_view_css).
std::string button(const std::string& id, const std::string& input, const std::string& words) {
  return fmt::format("<label class=\"b-{1}\" for=\"{0}-{1}\">{2}</label>", id, input, svg::escape(words));
}

// One flag's part of a window: its evidence strides (in the document's order), each a button for the input that
// shows it: "s" for the zoom's stride, "eK" for the K-th stride view of the window.
struct FlagPart {
  const json* group;  // the window itself (its own flag) or an entry of its "other_flags"
  std::vector<std::pair<long, std::string>> offered;  // stride number, button words
  std::vector<std::string> inputs;                    // the input each button chooses
};

}  // namespace

std::string trust_view_css() {
  std::string show, hide, mark, focus;
  for (std::size_t k = 1; k <= kMaxEvidenceViews; ++k) {
    show += fmt::format(",.tz-e{0}:checked~.tz-ve{0}", k);
    mark += fmt::format(",.tz-e{0}:checked~* .b-e{0}", k);
    focus += fmt::format(",.tz-e{0}:focus-visible~* .b-e{0}", k);
  }
  return ".tz-vs,.tz-ve{display:none}.tz-s:checked~.tz-vs" + show +
         "{display:block}\n.tz-s:checked~.tz-vc,.tz-e:checked~.tz-vc{display:none}\n"
         ".tz-c:checked~* .b-c,.tz-s:checked~* .b-s" + mark +
         "{background:#1d232a;border-color:#1d232a;color:#fff}\n.tz-c:focus-visible~* .b-c,.tz-s:focus-visible~* .b-s" +
         focus + "{outline:2px solid #1f6fb2;outline-offset:1px}\n";
}

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
  const std::string id = svg::escape(figure.id);
  const std::string caption = "<p class=\"tz-cap\">" + svg::escape(look_for(!signal.still_s.empty())) + "</p>";
  std::string out = "<figure class=\"tz\" id=\"" + id + "\"><figcaption><b>" + svg::escape(figure.title) +
                    "</b></figcaption>";
  if (!zoom) return out + context + caption + "</figure>\n";
  const double zoom_n = number(window, "zoom_stride_n");
  const long zoom_stride = std::isfinite(zoom_n) ? std::lround(zoom_n) : -1;
  static const TrustContext kNoContext;
  const auto context_of = [&](std::size_t g) -> const TrustContext& {
    return g < figure.flags.size() ? figure.flags[g] : kNoContext;
  };

  // Each flag's evidence strides: one view per stride (the first flag to offer it draws it, from the entry that
  // carries its samples), a button in each flag's part that offers it.
  std::vector<const json*> groups{&window};
  for (const auto& g : field(window, "other_flags"))
    if (g.is_object()) groups.push_back(&g);
  std::vector<FlagPart> parts;
  struct View {
    long n;
    const json* part;
    std::size_t flag;  // whose words its values line gives
    std::vector<std::string> labels;
  };
  std::vector<View> views;
  std::vector<std::string> zoom_labels;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    FlagPart part{groups[g], {}, {}};
    for (const auto& e : field(*groups[g], "evidence_strides")) {
      const double n = number(e, "n");
      if (!std::isfinite(n)) continue;
      const long k = std::lround(n);
      const std::string label = text(e, "label");
      if (k == zoom_stride) {
        if (g == 0) zoom_labels.push_back(label);
        part.offered.emplace_back(k, stride_button(k, {label, "mid-window"}));
        part.inputs.push_back("s");
        continue;
      }
      auto v = std::find_if(views.begin(), views.end(), [&](const View& x) { return x.n == k; });
      if (v == views.end() && field(e, "t_s").is_array() && views.size() < kMaxEvidenceViews) {
        views.push_back({k, &e, g, {}});
        v = views.end() - 1;
      }
      if (v == views.end()) continue;  // its samples are nowhere in the window (or past the views' room)
      if (std::find(v->labels.begin(), v->labels.end(), label) == v->labels.end()) v->labels.push_back(label);
      part.offered.emplace_back(k, stride_button(k, {label}));
      part.inputs.push_back(fmt::format("e{}", v - views.begin() + 1));
    }
    parts.push_back(std::move(part));
  }
  if (zoom_stride >= 0) zoom_labels.push_back("mid-window");
  const std::string zoom_button = zoom_stride >= 0 ? stride_button(zoom_stride, zoom_labels) : "Zoom: " + zoom_words;

  // The inputs first: CSS sibling selectors show the view (and mark the buttons) of the checked one.
  out += fmt::format(
      "<input type=\"radio\" class=\"tz-c\" name=\"{0}\" id=\"{0}-c\" checked>"
      "<input type=\"radio\" class=\"tz-s\" name=\"{0}\" id=\"{0}-s\">",
      id);
  for (std::size_t k = 1; k <= views.size(); ++k)
    out += fmt::format("<input type=\"radio\" class=\"tz-e tz-e{1}\" name=\"{0}\" id=\"{0}-e{1}\">", id, k);
  // Each flag's part: its name when the window has several, its metric over the session, its strides' buttons.
  const double from_min = number(window, "from_s") / 60, to_min = number(window, "to_s") / 60;
  for (std::size_t g = 0; g < parts.size(); ++g) {
    const TrustContext& c = context_of(g);
    std::vector<std::pair<long, std::string>> marked = parts[g].offered;
    if (zoom_stride >= 0 && std::none_of(marked.begin(), marked.end(), [&](const auto& m) { return m.first == zoom_stride; }))
      marked.insert(marked.begin(), {zoom_stride, stride_button(zoom_stride, {"mid-window"})});
    std::string buttons;
    for (std::size_t b = 0; b < parts[g].offered.size(); ++b)
      buttons += button(id, parts[g].inputs[b], parts[g].offered[b].second);
    out += fmt::format("<div class=\"tz-g\" id=\"{}-g{}\">", id, g + 1);
    if (parts.size() > 1 && !c.flag_title.empty())
      out += "<p class=\"tz-gh\">" + svg::escape("“" + c.flag_title + "”" +
                                                  (c.metric_label.empty() ? "" : ": " + c.metric_label)) + "</p>";
    out += context_view(c, from_min, to_min, marked);
    if (!buttons.empty()) out += "<p class=\"tz-b\">" + buttons + "</p>";
    if (!c.offered_words.empty()) out += "<p class=\"tz-why\">" + svg::escape(c.offered_words) + "</p>";
    out += "</div>";
  }
  out += "<p class=\"tz-b\">" + button(id, "c", "3 s, " + rate_words(number(window, "rate_hz"))) +
         button(id, "s", zoom_button) + "</p>";

  // The views: the 3 s, the stride at its middle, each evidence stride.
  svg::SignalWindow close = signal;
  close.x_label = fmt::format("seconds from {} ({}: every sample)", figure.time_origin, zoom_words);
  close.view_from_s = zoom_from;
  close.view_to_s = zoom_to;
  close.span_from_s = close.span_to_s = std::nan("");
  std::string stride_view = svg::signal_chart(close);
  if (zoom_stride >= 0) stride_view += stride_line(context_of(0), zoom_stride, zoom_button);
  out += "<div class=\"tz-vc\">" + context + "</div><div class=\"tz-vs\">" + stride_view + "</div>";
  for (std::size_t k = 0; k < views.size(); ++k) {
    const json& e = *views[k].part;
    const double e_from = number(e, "from_s");
    const std::string origin = figure.clock ? figure.clock(e_from) : fmt::format("{:.1f} s", e_from);
    const std::string chart = svg::signal_chart(signal_of(
        e, fmt::format("seconds from {} (stride {}, {}: every sample)", origin, views[k].n,
                       rate_words(number(e, "rate_hz")))));
    out += fmt::format("<div class=\"tz-ve tz-ve{}\">", k + 1) + chart +
           stride_line(context_of(views[k].flag), views[k].n, stride_button(views[k].n, views[k].labels)) + "</div>";
  }
  return out + caption + "</figure>\n";
}

}  // namespace stride::report
