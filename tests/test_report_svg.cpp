// The SVG helper of the HTML report (tools/svg_plot): escaping, axis ranges (flat, NaN, empty), ticks, and that
// a chart with nothing to show is left out rather than drawn empty.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tools/report/svg_plot.hpp"

namespace stride::test {
namespace {

using namespace stride::report;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Every number in the markup is finite (no "nan", "inf" leaked into coordinates).
void expect_finite_numbers(const std::string& svg) {
  EXPECT_EQ(svg.find("nan"), std::string::npos) << svg.substr(0, 400);
  EXPECT_EQ(svg.find("inf"), std::string::npos) << svg.substr(0, 400);
}

TEST(ReportSvg, EscapesTextAndAttributes) {
  EXPECT_EQ(svg::escape(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(svg::escape("plain"), "plain");
  svg::LineChart chart{"<x>", "<script>y</script>", {{"</title><script>", "c0\" onload=\"x", {0, 1}, {1, 2}, {}, {}}},
                       {{1.5, "<guide>"}}, false};
  const std::string out = svg::line_chart(chart);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.find("<script"), std::string::npos) << out;
  EXPECT_EQ(out.find("<guide>"), std::string::npos);
  EXPECT_EQ(out.find("onload=\""), std::string::npos) << "a class must not break out of its attribute";
  EXPECT_NE(out.find("&lt;/title&gt;&lt;script&gt;"), std::string::npos);
}

TEST(ReportSvg, RangesIgnoreNaNAndPadFlatSeries) {
  bool found = false;
  svg::Range r = svg::finite_range({NAN, 3.0, INFINITY, 1.0, NAN}, &found);
  EXPECT_TRUE(found);
  EXPECT_DOUBLE_EQ(r.lo, 1.0);
  EXPECT_DOUBLE_EQ(r.hi, 3.0);
  r = svg::finite_range({5.0, 5.0, 5.0});
  EXPECT_LT(r.lo, 5.0);
  EXPECT_GT(r.hi, 5.0);
  r = svg::finite_range({0.0, 0.0});
  EXPECT_LT(r.lo, 0.0);
  EXPECT_GT(r.hi, 0.0);
  r = svg::finite_range({NAN, NAN}, &found);
  EXPECT_FALSE(found);
  EXPECT_LT(r.lo, r.hi);
}

TEST(ReportSvg, NiceTicksCoverTheRange) {
  auto t = svg::nice_ticks({0.3, 9.7}, 5);
  ASSERT_GE(t.size(), 3u);
  EXPECT_LE(t.front(), 0.3);
  EXPECT_GE(t.back(), 9.7);
  EXPECT_DOUBLE_EQ(t[1] - t[0], 2.0);
  t = svg::nice_ticks({248.7, 251.2}, 5);
  EXPECT_LE(t.front(), 248.7);
  EXPECT_GE(t.back(), 251.2);
  EXPECT_LE(t.size(), 12u);
  t = svg::nice_ticks({7.0, 7.0}, 5);  // flat: still at least two ticks around the value
  ASSERT_GE(t.size(), 2u);
  EXPECT_LE(t.front(), 7.0);
  EXPECT_GE(t.back(), 7.0);
  t = svg::nice_ticks({NAN, 1.0}, 5);  // nonsense in: a sane axis out
  EXPECT_GE(t.size(), 2u);
  EXPECT_EQ(svg::tick_label(0.5, 0.5), "0.5");
  EXPECT_EQ(svg::tick_label(250.0, 10.0), "250");
  EXPECT_EQ(svg::tick_label(-1e-12, 0.2), "0.0");
  EXPECT_EQ(svg::tick_label(0.05, 0.05), "0.05");
}

TEST(ReportSvg, FlatSeriesIsDrawnMidFrame) {
  const std::string out = svg::line_chart({"min", "ms", {{"flat", "c0", {0, 1, 2, 3}, {250, 250, 250, 250}, {}, {}}}, {}, false});
  ASSERT_FALSE(out.empty());
  expect_finite_numbers(out);
  // The frame is y 12..200 in the viewBox: a flat line sits strictly inside, not on an edge.
  const auto d = out.find(R"(d="M)");
  ASSERT_NE(d, std::string::npos) << out;
  const auto space = out.find(' ', d);  // d="M<x> <y>L...
  const double y = std::stod(out.substr(space + 1, out.find('L', space) - space - 1));
  EXPECT_GT(y, 30.0);
  EXPECT_LT(y, 180.0);
}

TEST(ReportSvg, NaNBreaksTheLineAndNeverReachesTheMarkup) {
  svg::Series s{"gct", "c0", {0, 1, 2, 3, 4, 5}, {250, 251, NAN, NAN, 252, 253}, {}, {}};
  const std::string out = svg::line_chart({"min", "ms", {s}, {}, false});
  ASSERT_FALSE(out.empty());
  expect_finite_numbers(out);
  const auto path_at = out.find("<path");
  ASSERT_NE(path_at, std::string::npos);
  const std::string path = out.substr(path_at, out.find("</path>", path_at) - path_at);
  EXPECT_EQ(count(path, "M"), 2u) << "two runs of points, not a line drawn through the gap: " << path;
  EXPECT_EQ(count(path, "L"), 2u) << path;
}

TEST(ReportSvg, NothingToPlotGivesNoChart) {
  EXPECT_EQ(svg::line_chart({"min", "ms", {}, {}, false}), "");
  EXPECT_EQ(svg::line_chart({"min", "ms", {{"empty", "c0", {}, {}, {}, {}}}, {}, false}), "");
  EXPECT_EQ(svg::line_chart({"min", "ms", {{"null", "c0", {1, 2}, {NAN, NAN}, {}, {}}}, {{5.0, "guide"}}, false}), "")
      << "a guide alone is not data";
  EXPECT_EQ(svg::histogram({"ms", {{"none", "c0", {}}}, 24}), "");
  EXPECT_EQ(svg::histogram({"ms", {{"null", "c0", {NAN, NAN}}}, 24}), "");
  EXPECT_EQ(svg::paired_bars_chart({{"gct", NAN, 250, 0}}, 10.0), "");
}

TEST(ReportSvg, BandIsDrawnWhereBothEdgesAreKnown) {
  svg::Series s{"gct", "left", {0, 1, 2, 3}, {250, 252, 251, 253}, {245, 246, NAN, 247}, {255, 257, NAN, 259}};
  const std::string out = svg::line_chart({"min", "ms", {s}, {}, false});
  expect_finite_numbers(out);
  EXPECT_EQ(count(out, "<polygon"), 2u) << "the band breaks where its edges are unknown";
  EXPECT_NE(out.find(R"(class="band left")"), std::string::npos);
}

TEST(ReportSvg, HistogramSharesAndOutliers) {
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back(250 + (i % 20));
  values.push_back(1e6);  // one stray value must not stretch the axis
  values.push_back(NAN);
  const std::string out = svg::histogram({"ms", {{"left", "left", values}, {"right", "right", {255, 256, 257}}}, 10});
  ASSERT_FALSE(out.empty());
  expect_finite_numbers(out);
  EXPECT_EQ(out.find("1000000"), std::string::npos);
  EXPECT_NE(out.find(R"(class="bar left")"), std::string::npos);
  EXPECT_NE(out.find(R"(class="bar right")"), std::string::npos);
  EXPECT_NE(out.find("% of strides"), std::string::npos);
  // All values equal: one visible bar, no division by zero.
  const std::string flat = svg::histogram({"g", {{"x", "c0", {9, 9, 9}}}, 8});
  ASSERT_FALSE(flat.empty());
  expect_finite_numbers(flat);
}

// Left vs right: per metric two bars from zero, lengths in proportion to the values, the symmetry index computed
// from the pair (200|L-R|/(L+R)) and red past the threshold; text escaped; rows without a pair left out.
TEST(ReportSvg, PairedBarsShowLeftRightAndTheSymmetryIndex) {
  const std::string out = svg::paired_bars_chart(
      {{"Contact time (ms)", 250, 287.5, 0}, {"Flight <time>", 100, 103, 0}, {"nothing", NAN, 3, 1}}, 10.0);
  ASSERT_FALSE(out.empty());
  expect_finite_numbers(out);
  EXPECT_EQ(count(out, R"(class="bar left")"), 2u);
  EXPECT_EQ(count(out, R"(class="bar right")"), 2u);
  EXPECT_EQ(count(out, R"(class="si-v over")"), 1u);
  EXPECT_EQ(count(out, R"(class="si-v")"), 1u);
  EXPECT_NE(out.find(">14.0</text>"), std::string::npos) << "200*37.5/537.5 = 13.95";
  EXPECT_NE(out.find(">3.0</text>"), std::string::npos) << "200*3/203 = 2.96";
  EXPECT_NE(out.find(">288</text>"), std::string::npos) << "the value on its bar, 0 decimals";
  EXPECT_NE(out.find("Flight &lt;time&gt;"), std::string::npos);
  EXPECT_EQ(out.find("nothing"), std::string::npos);
  // Bars from zero: the longer of a pair spans the bar area (322 units), the shorter in proportion (250/287.5).
  EXPECT_NE(out.find(R"(width="322.0")"), std::string::npos);
  EXPECT_NE(out.find(R"(width="280.0")"), std::string::npos);
}

// Weekly load bars (the history report): one bar per finite value, the limit drawn as a mark, a bar past it
// "over", labels thinned so they never overlap, text escaped, nothing drawn when nothing is measured.
TEST(ReportSvg, ColumnChartBarsLimitsAndLabels) {
  svg::ColumnChart chart{"week", "km", {{"W01", 10, NAN, ""}, {"W02", 14, 13, ""}, {"W03", NAN, 18.2, ""},
                                        {"<W04>", 12, 13, "W04 & more"}}};
  const std::string out = svg::column_chart(chart);
  ASSERT_FALSE(out.empty());
  expect_finite_numbers(out);
  EXPECT_EQ(count(out, "<rect class=\"col"), 3u) << out;       // W03 has no value: no bar
  EXPECT_EQ(count(out, "<rect class=\"col over\""), 1u) << out;  // 14 > 13; 12 < 13 is not over
  EXPECT_EQ(count(out, "class=\"guide\""), 3u) << out;          // every finite limit, with or without a bar
  EXPECT_NE(out.find("&lt;W04&gt;"), std::string::npos);
  EXPECT_NE(out.find("<title>W04 &amp; more</title>"), std::string::npos);
  EXPECT_NE(out.find("<title>W01: 10.0</title>"), std::string::npos) << out;
  // 52 weeks: labels thinned (a 3-character label needs ~37 units, a column has 8: every 5th).
  svg::ColumnChart year{"week", "km", {}};
  for (int w = 1; w <= 52; ++w) {
    std::string label = "W";  // (appended: g++ 12 warns falsely on "x" + string)
    label += std::to_string(w);
    year.columns.push_back({label, 20.0 + w % 5, NAN, ""});
  }
  const std::string y = svg::column_chart(year);
  EXPECT_EQ(count(y, "<rect class=\"col"), 52u);
  EXPECT_EQ(count(y, "text-anchor=\"middle\">W"), 11u);
  EXPECT_EQ(svg::column_chart({"week", "km", {{"W01", NAN, NAN, ""}}}), "");
  EXPECT_EQ(svg::column_chart({"week", "km", {}}), "");
}

}  // namespace
}  // namespace stride::test
