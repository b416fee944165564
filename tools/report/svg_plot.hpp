// Small inline-SVG charts for the HTML report: a series along the run (with an optional band), a histogram, a
// left-vs-right paired-bar chart and a column chart. Pure functions: numbers in, markup out. No script, no external reference, every
// text escaped, so a chart can be pasted into a page with a strict Content-Security-Policy.
//
// Charts are drawn in a fixed viewBox and scale with their container (width:100%), so one drawing serves a phone
// and a desktop. Colours come from CSS classes (`css_class`) that the page defines once, which keeps each chart small.
// NaN (a JSON null: not measured) is a gap in a line and is left out of ranges and histograms.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stride::report::svg {

// Escapes & < > " ' for HTML/SVG text and attribute values (file and athlete names come from users).
std::string escape(std::string_view text);

struct Range {
  double lo = 0.0, hi = 1.0;
};

// The range of the finite values. A flat series (all equal) is padded so that it still has a height;
// no finite value at all gives {0, 1}. `found` (optional) says whether any finite value was seen.
Range finite_range(const std::vector<double>& values, bool* found = nullptr);
Range merge(Range a, Range b);

// "Nice" ticks (steps of 1, 2 or 5 × 10^k), about `target` of them, covering `r`. The first and last tick are at or
// outside r, so the caller can widen its axis to them and every value sits inside the frame.
std::vector<double> nice_ticks(Range r, int target = 5);
// A tick label with just enough decimals for the step between ticks (no "-0").
std::string tick_label(double value, double step);

struct Series {
  std::string label;                 // for the hover title
  std::string css_class;             // colour class, e.g. "c0", "left", "right"
  std::vector<double> x, y;          // same size; a NaN y breaks the line
  std::vector<double> lo, hi;        // optional band (e.g. the inter-quartile range), same size as x, or empty
};

struct Guide {
  double y = 0.0;                    // a horizontal reference line (a threshold, a baseline)
  std::string label;
};

struct LineChart {
  std::string x_label, y_label;
  std::vector<Series> series;
  std::vector<Guide> guides;
  bool dots = false;                 // also mark each point (few points)
};

// "" when no series has a finite point: the caller then leaves the chart out.
std::string line_chart(const LineChart& chart);

struct HistogramSeries {
  std::string label, css_class;
  std::vector<double> values;
};

struct Histogram {
  std::string x_label;
  std::vector<HistogramSeries> series;  // several series are overlaid, as a share of each series' count
  int bins = 24;
};

// Bins span the 1st–99th percentile of all series together; values beyond fall into the edge bins, so one
// stray stride does not squash the picture. "" when no finite value.
std::string histogram(const Histogram& chart);

// Left vs right in one compact figure: per metric a left and a right bar (from zero, so their lengths compare
// honestly), each with its value, and the symmetry index 200|L-R|/(L+R) beside them, red past `threshold_pct`.
struct PairedRow {
  std::string label;                 // e.g. "Contact time (ms)"
  double left = NAN, right = NAN;    // the medians, in the metric's unit
  int decimals = 1;                  // for the values written on the bars
};

// Rows without a finite, positive pair are left out; "" when none is left.
std::string paired_bars_chart(const std::vector<PairedRow>& rows, double threshold_pct);

// The raw signal around a flag (the report's "trust" view): |acc| on top, |gyro| below, on one time axis, with
// the zero-velocity windows shaded (class "zv") and the detected IC (class "ic", solid) and TC (class "tc",
// dashed) drawn across both panels, so a reader can check the detector against the signal.
struct SignalWindow {
  std::string x_label;                        // e.g. "seconds from 2:39"
  std::vector<double> t_s, acc_g, gyr_dps;    // gyr_dps empty: no gyroscope, one panel
  std::vector<double> ic_s, tc_s;
  std::vector<std::pair<double, double>> still_s;  // zero-velocity windows [from, to]
  // The time range drawn: samples, marks and bands outside it are left out, the y axes fit what is inside (the
  // report's stride-level view). NaN: the samples' own range.
  double view_from_s = NAN, view_to_s = NAN;
  // A span marked on the time axis (class "zr", with `span_label` as its hover title): where the stride-level view
  // is, drawn in the wider view. NaN: none.
  double span_from_s = NAN, span_to_s = NAN;
  std::string span_label{};
};

// A polyline as an SVG path: each point relative to the one before ("l"), in tenths of a unit, rounded once on the
// absolute positions so that the steps add up exactly (no drift) in ~60 % of the bytes of absolute coordinates.
// A NaN coordinate breaks the line (the next point starts with "M").
std::string relative_path(const std::vector<std::pair<double, double>>& points);

// "" when there is no finite sample (in the view).
std::string signal_chart(const SignalWindow& w);

// The trust view's wider view: one metric per stride over the whole session, short, with the flag's time range
// shaded (class "fr"), the 3 s window as a dark bar on the time axis (class "zr") and a few strides marked by a
// vertical line with their number above it (class "ev"), so a reader sees where in the run the strides shown lie.
struct MarkedStride {
  double x = NAN;
  std::string label;                 // e.g. "229"
  std::string title;                 // hover text
};
struct ContextStrip {
  std::string x_label, y_label;
  std::vector<double> x, y;          // a NaN y breaks the line
  double band_from = NAN, band_to = NAN;   // the flag's range
  double span_from = NAN, span_to = NAN;   // the 3 s window
  std::string span_label{};
  std::vector<MarkedStride> marks{};
  Guide guide{NAN, {}};              // a baseline, dashed; NaN: none
};

// "" when there is no finite point.
std::string context_chart(const ContextStrip& c);

struct Column {
  std::string label;                 // under the bar (e.g. "W09"); every label when they fit, else every k-th
  double value = 0.0;                // NaN: no bar
  double limit = NAN;                // optional: a dashed mark across the bar (e.g. weekly_jump's line); a bar above
                                     // it gets the class "over"
  std::string title;                 // hover text; default "label: value"
};

struct ColumnChart {
  std::string x_label, y_label;
  std::vector<Column> columns;       // in order, left to right
};

// Vertical bars from zero, one per column. "" when no column has a finite value.
std::string column_chart(const ColumnChart& chart);

}  // namespace stride::report::svg
