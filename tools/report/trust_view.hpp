// The report's trust view: one window of the document's "trust_windows" (docs/session-json.md) as a figure a coach
// zooms by choice, without script: radio inputs and CSS (:checked) pick between the 3 s around the flag, the stride
// at its middle and the flag's evidence strides (worst, typical, mildest: "evidence_strides"), each at the
// recording's rate with the same IC, TC and zero-velocity marks and its key values in words; above them a wider view
// (the flag's metric over the whole session with the flag's range, the 3 s window and the strides marked), and one
// line under them saying what to look for. Several flags over the same range share the window's raw signal, each with
// its own wider view and evidence strides. Pure: a window and its context in, markup out.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/report/svg_plot.hpp"

namespace stride::report {

// What the page knows around a window for one of its flags: the flag's metric on this foot over the session (the
// wider view) and, per stride number (from 1, as the document's strides), its IC time and its key values in words.
struct TrustContext {
  std::string flag_title;                // the flag's title as the page writes it (names its part of the window)
  std::string metric_label;              // e.g. "Peak impact (g)"; "": no wider view
  std::vector<double> t_min, value;      // the metric of the foot's valid strides (pooled on a long run), minutes
  double flag_from_min = NAN, flag_to_min = NAN;
  svg::Guide baseline{NAN, {}};          // the flag's baseline of the metric, dashed
  std::map<long, double> stride_t_min;   // stride number -> its IC, minutes
  std::map<long, std::string> stride_words;  // stride number -> e.g. "peak impact 18.6 g, contact 231 ms"
  std::string offered_words{};           // "Offered: …": which strides and why, under the flag's choices ("": none)
};

struct TrustFigure {
  std::string title;        // e.g. "Raw signal behind “High impact”, left foot, 2:39–2:42" (escaped here)
  std::string time_origin;  // the window's start as the page writes times, e.g. "2:39": the x axes count from it
  std::string id;           // unique in the page, e.g. "s1-tw2": names the radio group and its inputs; each flag's
                            // part of the window is id-gK (K from 1: the window's own flag, then "other_flags")
  std::vector<TrustContext> flags{};  // one per flag of the window, in that order (missing ones: no wider view)
  std::function<std::string(double)> clock{};  // seconds from the recording's start as the page writes them
};

// The most stride views a window draws (the page's stylesheet has a rule for each: trust_view_css).
inline constexpr std::size_t kMaxEvidenceViews = 12;

// The figure of one window. A window with a zoom ("zoom_s") gets the 3 s view (chosen first, the only one the print
// stylesheet would keep), the zoomed stride and, per flag of the window (its own and "other_flags"), a part with the
// flag's wider view and a button for each of its evidence strides; a stride is drawn once a window, however many
// flags offer it. An older document's window gets only the 3 s view, as before. "" when there is no sample to draw.
// The classes (tz, tz-c, tz-s, tz-e, tz-eK, tz-g, tz-gh, tz-b, tz-vc, tz-vs, tz-ve, tz-veK, tz-ctx, tz-kv, tz-why,
// tz-cap; labels b-c, b-s, b-eK; svg: zv, ic, tc, zr, fr, ev) are styled by the page.
std::string trust_window_figure(const nlohmann::json& window, const TrustFigure& figure);

// The rules that show the view a checked input chooses and mark its buttons (one per kMaxEvidenceViews).
std::string trust_view_css();

}  // namespace stride::report
