// The report's trust view: `analyze` writes a few seconds of raw signal around each flag ("trust_windows", written
// by tools/session/trust_windows), and the page draws them with the detected events. Checked on the bundled
// two-feet demo (flags fire on it) against what the signal must show if the detector did right, and on hand-made
// documents for the rendering.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "report_fixtures.hpp"
#include "tools/report/html_report.hpp"
#include "tools/report/svg_plot.hpp"

namespace stride::test {
namespace {

using nlohmann::json;
using namespace stride::report;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

json analysed_two_feet_demo(const ScratchDir& dir) {
  const fs::path base = fs::path(STRIDE_SOURCE_DIR) / "recordings";
  const auto r = run_stride({"analyze", (base / "sim_two_feet_overstride_left.csv").string(),
                             (base / "sim_two_feet_overstride_right.csv").string(), "--json",
                             (dir / "two.json").string(), "-q"},
                            dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return json::parse(read_text(dir / "two.json"));
}

TEST(ReportTrust, AnalyzeWritesSmallWindowsWhereTheEventsSitOnTheSignal) {
  ScratchDir dir;
  const json doc = analysed_two_feet_demo(dir);
  ASSERT_FALSE(doc["flags"].empty()) << "the demo raises flags";
  const json& windows = doc["trust_windows"];
  ASSERT_TRUE(windows.is_array());
  ASSERT_GE(windows.size(), 1u);
  EXPECT_LE(windows.size(), 6u);
  EXPECT_LT(windows.dump().size(), 48u * 1024) << "the windows keep the document small (6 x 3 s x 100 Hz)";
  for (const auto& w : windows) {
    SCOPED_TRACE(w["flag"].get<std::string>());
    const auto t = w["t_s"].get<std::vector<double>>(), acc = w["acc_g"].get<std::vector<double>>();
    const auto gyr = w["gyr_dps"].get<std::vector<double>>();
    ASSERT_EQ(t.size(), acc.size());
    ASSERT_EQ(t.size(), gyr.size());
    EXPECT_LE(w["rate_hz"].get<double>(), 100.5);
    EXPECT_GE(t.size(), 200u) << "3 s at 66-100 Hz";
    EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
    EXPECT_NEAR(w["to_s"].get<double>() - w["from_s"].get<double>(), 3.0, 0.01);
    // The flag's own time range holds the window's middle.
    bool found = false;
    for (const auto& f : doc["flags"])
      if (f["id"] == w["flag"]) {
        const double mid = 0.5 * (w["from_s"].get<double>() + w["to_s"].get<double>());
        found = found || (mid >= f["from_s"].get<double>() - 1e-3 && mid <= f["to_s"].get<double>() + 1e-3);
      }
    EXPECT_TRUE(found) << "the window lies in its flag's range";
    // A running foot: 3 s hold about four strides. Each IC is at the impact: within 50 ms after it |acc| passes
    // 3 g (the swing's own acceleration stays below ~2 g just before it).
    const auto ic = w["ic_s"].get<std::vector<double>>(), tc = w["tc_s"].get<std::vector<double>>();
    EXPECT_GE(ic.size(), 3u);
    EXPECT_GE(tc.size(), 3u);
    for (double at : ic) {
      double peak = 0;
      for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i] >= at - 0.011 && t[i] <= at + 0.05) peak = std::max(peak, acc[i]);
      EXPECT_GT(peak, 3.0) << "no impact after the IC at " << at << " s";
    }
    // Each zero-velocity window lies inside a stance: after an IC and before the next TC, and the foot is nearly
    // still there (|gyro| well below the swing's peak).
    const auto zv = w["zero_velocity_s"];
    EXPECT_GE(zv.size(), 3u);
    const double swing_peak = *std::max_element(gyr.begin(), gyr.end());
    for (const auto& z : zv) {
      const double a = z[0].get<double>(), b = z[1].get<double>();
      EXPECT_LE(a, b);
      const auto ic_before = std::find_if(ic.rbegin(), ic.rend(), [&](double x) { return x <= a; });
      const auto tc_after = std::find_if(tc.begin(), tc.end(), [&](double x) { return x >= b; });
      if (ic_before != ic.rend() && tc_after != tc.end()) {
        EXPECT_LT(*tc_after - *ic_before, 0.4) << "zero velocity [" << a << ", " << b << "] is not inside one stance";
      }
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] > a + 0.011 && t[i] < b - 0.011) {
          EXPECT_LT(gyr[i], 0.25 * swing_peak) << "at " << t[i] << " s";
        }
      }
    }
  }
}

TEST(ReportTrust, SignalChartDrawsBothPanelsEventsAndStillWindows) {
  svg::SignalWindow w{"seconds from 2:39", {}, {}, {}, {0.5, 1.2}, {0.8}, {{0.6, 0.65}, {1.3, 1.32}}};
  for (int i = 0; i < 300; ++i) {
    w.t_s.push_back(0.01 * i);
    w.acc_g.push_back(1 + std::abs(std::sin(0.05 * i)));
    w.gyr_dps.push_back(400 * std::abs(std::cos(0.05 * i)));
  }
  const std::string two = svg::signal_chart(w);
  ASSERT_FALSE(two.empty());
  EXPECT_EQ(two.find("nan"), std::string::npos);
  EXPECT_EQ(count(two, R"(<line class="ic")"), 2u);
  EXPECT_EQ(count(two, R"(<line class="tc")"), 1u);
  EXPECT_EQ(count(two, R"(class="zv")"), 2u);
  EXPECT_EQ(count(two, R"(<path class="ln)"), 2u);
  EXPECT_NE(two.find("|acc| (g)"), std::string::npos);
  EXPECT_NE(two.find("|gyro| (deg/s)"), std::string::npos);
  EXPECT_NE(two.find("seconds from 2:39"), std::string::npos);
  // No gyroscope: one panel; nothing to draw: no chart.
  w.gyr_dps.clear();
  const std::string one = svg::signal_chart(w);
  EXPECT_EQ(count(one, R"(<path class="ln)"), 1u);
  EXPECT_EQ(one.find("|gyro|"), std::string::npos);
  EXPECT_EQ(svg::signal_chart({"s", {}, {}, {}, {}, {}, {}}), "");
}

TEST(ReportTrust, PageShowsAWindowPerEntryOnScreenAndLeavesItOutOfPrint) {
  json doc = small_session(80);
  json t = json::array(), acc = json::array(), gyr = json::array();
  for (int i = 0; i < 300; ++i) {
    t.push_back(0.01 * i);
    acc.push_back(1.0 + (i % 70 == 5 ? 9.0 : 0.0));
    gyr.push_back(200.0);
  }
  doc["trust_windows"] = json::array({{{"flag", "low_cadence"}, {"title", "Low step <rate>"}, {"foot", "right"},
                                       {"from_s", 30.0}, {"to_s", 33.0}, {"rate_hz", 100.0}, {"t_s", t}, {"acc_g", acc},
                                       {"gyr_dps", gyr}, {"ic_s", {0.05, 0.75}}, {"tc_s", {0.3}},
                                       {"zero_velocity_s", {{0.12, 0.16}}}}});
  const std::string html = render_html_report({doc}, {});
  EXPECT_NE(html.find("Can the detection be trusted?"), std::string::npos);
  EXPECT_NE(html.find("Raw signal behind “Low step &lt;rate&gt;”, right foot, 0:30–0:33"), std::string::npos);
  EXPECT_EQ(count(html, R"(<line class="ic")"), 2u);
  EXPECT_NE(html.find(".p-trust"), std::string::npos) << "named in the print stylesheet's hidden parts";
  EXPECT_LT(html.find("class=\"p-flags\""), html.find("class=\"p-trust\""));
  // An older document (no trust_windows): no section, no empty heading.
  doc.erase("trust_windows");
  EXPECT_EQ(render_html_report({doc}, {}).find("Can the detection be trusted?"), std::string::npos);
}

}  // namespace
}  // namespace stride::test
