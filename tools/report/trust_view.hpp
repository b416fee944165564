// The report's trust view: one window of the document's "trust_windows" (docs/session-json.md) as a figure a coach
// zooms by choice, without script: radio inputs and CSS (:checked) pick between the 3 s around the flag and one of
// its strides at the recording's rate (the window's "zoom"), both with the same IC, TC and zero-velocity marks, and
// one line under them saying what to look for. Pure: a window in, markup out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace stride::report {

struct TrustFigure {
  std::string title;        // e.g. "Raw signal behind “High impact”, left foot, 2:39–2:42" (escaped here)
  std::string time_origin;  // the window's start as the page writes times, e.g. "2:39": the x axes count from it
  std::string id;           // unique in the page, e.g. "s1-tw2": names the radio group and its inputs
};

// The figure of one window. A window with a zoom ("zoom_s") gets both views, the 3 s one chosen first (and the only
// one the print stylesheet keeps); an older document's window only the 3 s view, as before. "" when there is no
// sample to draw. The classes (tz, tz-c, tz-s, tz-vc, tz-vs, tz-cap; svg: zv, ic, tc, zr) are styled by the page.
std::string trust_window_figure(const nlohmann::json& window, const TrustFigure& figure);

}  // namespace stride::report
