// The report's trust view: `analyze` writes a few seconds of raw signal around each flag ("trust_windows", written
// by tools/session/trust_windows), and the page draws them with the detected events. Checked on the bundled
// two-feet demo (flags fire on it) against what the signal must show if the detector did right, and on hand-made
// documents for the rendering.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <cctype>
#include <utility>
#include <vector>

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

// The flags a window is drawn for: its own (the window's "flag", "title", "evidence_strides"), then "other_flags".
std::vector<const json*> flag_parts(const json& w) {
  std::vector<const json*> out{&w};
  if (w.contains("other_flags"))
    for (const auto& g : w["other_flags"]) out.push_back(&g);
  return out;
}

// The document's flag a window part is for: its id and title (two asymmetry flags share an id).
const json* flag_of(const json& doc, const json& part) {
  for (const auto& f : doc["flags"])
    if (f["id"] == part["flag"] && f["title"] == part["title"]) return &f;
  return nullptr;
}

TEST(ReportTrust, AnalyzeWritesSmallWindowsWhereTheEventsSitOnTheSignal) {
  ScratchDir dir;
  const json doc = analysed_two_feet_demo(dir);
  ASSERT_FALSE(doc["flags"].empty()) << "the demo raises flags";
  const json& windows = doc["trust_windows"];
  ASSERT_TRUE(windows.is_array());
  ASSERT_GE(windows.size(), 1u);
  EXPECT_LE(windows.size(), 6u);
  // The windows keep the document small: 6 x 3 s x 100 Hz with one stride at full rate, plus the evidence strides
  // of each flag (up to 3 a flag of ~1 s at 200 Hz, 3 numbers a sample: ~3.1 KB), each stride's samples once a
  // window however many of its flags offer it.
  json thinned = windows, evidence = json::array();
  std::size_t drawn = 0;
  for (auto& w : thinned) {
    evidence.push_back(w["evidence_strides"]);
    for (const auto& g : w.value("other_flags", json::array())) evidence.push_back(g["evidence_strides"]);
    w.erase("evidence_strides");
    w.erase("other_flags");
  }
  for (const auto& ev : evidence)
    for (const auto& e : ev) drawn += e.contains("t_s");
  EXPECT_LT(thinned.dump().size(), 48u * 1024) << "the 3 s windows";
  EXPECT_LT(evidence.dump().size(), drawn * 3500) << "the evidence strides: " << drawn << " with samples";
  EXPECT_LT(evidence.dump().size(), 160u * 1024) << "the evidence strides";
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

// The zoom: one stride of each window kept at the recording's rate (every sample), the rest thinned as before, so
// the document grows by at most half of what the windows took (the issue's budget). The stride is a valid stride of
// the window's foot near the flag's middle, shown from 80 ms before its IC to 80 ms after the next; at full rate
// each of its two ICs sits on the sharp rise of |acc|.
TEST(ReportTrust, AnalyzeKeepsOneStrideOfEachWindowAtFullRate) {
  ScratchDir dir;
  const json doc = analysed_two_feet_demo(dir);
  const json& windows = doc["trust_windows"];
  ASSERT_FALSE(windows.empty());
  for (const auto& w : windows) {
    SCOPED_TRACE(w["flag"].get<std::string>() + " " + w["foot"].get<std::string>());
    const json& foot = doc["feet"][w["foot"].get<std::string>()];
    const double rate = foot["metadata"]["rate_hz"].get<double>(), dt = 1 / rate;
    ASSERT_GT(rate, 150.0) << "the demo is recorded at 200 Hz: full rate differs from the thinned 100 Hz";
    EXPECT_DOUBLE_EQ(w["zoom_rate_hz"].get<double>(), rate);
    const double from = w["from_s"].get<double>(), length = w["to_s"].get<double>() - from;
    const double z0 = w["zoom_s"][0].get<double>(), z1 = w["zoom_s"][1].get<double>();
    ASSERT_TRUE(w["zoom_stride_s"].is_array()) << "a running window always holds a whole stride";
    const double ic0 = w["zoom_stride_s"][0].get<double>(), ic1 = w["zoom_stride_s"][1].get<double>();
    EXPECT_NEAR(z0, ic0 - 0.08, 1.5e-3);
    EXPECT_NEAR(z1, ic1 + 0.08, 1.5e-3);
    EXPECT_GE(z0, 0.0);
    EXPECT_LE(z1, length + 1e-3);
    // Its middle is the window's (the flag's), within a stride.
    EXPECT_NEAR(0.5 * (ic0 + ic1), 0.5 * length, ic1 - ic0);
    // A valid stride of that foot, and both ends are detected ICs of the window.
    const auto ics = w["ic_s"].get<std::vector<double>>();
    const auto near_one = [](const std::vector<double>& v, double x) {
      return std::any_of(v.begin(), v.end(), [&](double y) { return std::abs(x - y) < 1.5e-3; });
    };
    EXPECT_TRUE(near_one(ics, ic0) && near_one(ics, ic1));
    bool valid = false;
    for (const auto& st : foot["strides"])
      valid = valid || (std::abs(st["ic_s"].get<double>() - (from + ic0)) < 1.5e-3 && st["valid"].get<bool>() &&
                        std::abs(st["next_ic_s"].get<double>() - (from + ic1)) < 1.5e-3);
    EXPECT_TRUE(valid) << "not a valid stride of the " << w["foot"] << " foot";
    // Every sample inside the zoom (one interval apart, as many as its length holds); outside, 100 Hz at most.
    const auto t = w["t_s"].get<std::vector<double>>(), acc = w["acc_g"].get<std::vector<double>>();
    std::vector<std::size_t> inside;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t[i] >= z0 && t[i] < z1) inside.push_back(i);
    EXPECT_NEAR(static_cast<double>(inside.size()), (z1 - z0) * rate, 1.5);
    for (std::size_t k = 1; k < inside.size(); ++k) EXPECT_NEAR(t[inside[k]] - t[inside[k - 1]], dt, 1.1e-3);
    for (std::size_t i = 1; i < t.size(); ++i)
      if (t[i - 1] < z0 - 1e-9 || t[i - 1] >= z1) {
        EXPECT_GE(t[i] - t[i - 1], (t[i] >= z0 && t[i - 1] < z0 ? dt : 0.01) - 1.1e-3) << "at " << t[i] << " s";
      }
    // The budget: at most +50 % of the samples a thinned 3 s window has (300 at 100 Hz).
    EXPECT_LE(t.size(), 450u);
    EXPECT_GT(t.size(), 300u + inside.size() / 3) << "the zoom adds its extra samples";
    // At full rate each IC is where |acc| first rises past 4 g (the swing stays below ~3 g), within two samples.
    for (const double ic : {ic0, ic1}) {
      std::size_t first = t.size();
      for (const std::size_t i : inside)
        if (t[i] >= ic - 0.03 && acc[i] > 4.0) {
          first = i;
          break;
        }
      ASSERT_LT(first, t.size()) << "no impact at the IC at " << ic << " s";
      EXPECT_NEAR(t[first], ic, 2 * dt + 1e-3) << "the IC at " << ic << " s is not at the rise of |acc|";
    }
  }
}

// Above 250 Hz the zoom is thinned too (the largest magnitude of each block), so a window stays within the budget
// whatever the rate: a 4-minute run at 1 kHz (150 steps/min raises low_cadence) keeps 250 Hz in its zoom.
TEST(ReportTrust, AboveTwoHundredFiftyHertzTheZoomIsThinnedWithinTheBudget) {
  ScratchDir dir;
  auto r = run_stride({"simulate", "--out", (dir / "fast.csv").string(), "--strides", "240", "--rate", "1000",
                       "--cadence", "150", "--seed", "4"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", (dir / "fast.csv").string(), "--json", (dir / "fast.json").string(), "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = json::parse(read_text(dir / "fast.json"));
  ASSERT_FALSE(doc["trust_windows"].empty());
  for (const auto& w : doc["trust_windows"]) {
    EXPECT_DOUBLE_EQ(w["zoom_rate_hz"].get<double>(), 250.0);
    const auto t = w["t_s"].get<std::vector<double>>(), acc = w["acc_g"].get<std::vector<double>>();
    EXPECT_LE(t.size(), 450u) << "1.5 times the 300 samples of a thinned 3 s window";
    const double z0 = w["zoom_s"][0].get<double>(), z1 = w["zoom_s"][1].get<double>();
    std::vector<double> inside;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t[i] >= z0 && t[i] < z1) inside.push_back(t[i]);
    EXPECT_NEAR(static_cast<double>(inside.size()), (z1 - z0) * 250, 1.5);
    for (std::size_t k = 1; k < inside.size(); ++k) EXPECT_NEAR(inside[k] - inside[k - 1], 0.004, 1.1e-3);
    // The impact peak survives the thinning: the zoom's largest |acc| is a strike's (above 4 g).
    double peak = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t[i] >= z0 && t[i] < z1) peak = std::max(peak, acc[i]);
    EXPECT_GT(peak, 4.0);
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

// SVG path data back to absolute points (M and l commands, numbers as relative_path writes them: an optional "-",
// digits, at most one "."). Read by hand: std::regex trips GCC 12's -Wmaybe-uninitialized under the sanitizers.
std::vector<std::pair<double, double>> decode_path(const std::string& d) {
  std::vector<std::pair<double, double>> points;
  char command = 0;
  std::vector<double> numbers;
  double x = 0, y = 0;
  for (std::size_t i = 0; i < d.size();) {
    if (d[i] == 'M' || d[i] == 'l') {
      command = d[i++];
      continue;
    }
    if (d[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t end = i + (d[i] == '-' ? 1 : 0);
    bool point = false;
    while (end < d.size() && (std::isdigit(static_cast<unsigned char>(d[end])) || (d[end] == '.' && !point))) {
      point = point || d[end] == '.';
      ++end;
    }
    if (end == i) return {};  // not a number: the test fails on the count
    numbers.push_back(std::stod(d.substr(i, end - i)));
    i = end;
    if (numbers.size() < 2) continue;
    if (command == 'M') {
      x = numbers[0];
      y = numbers[1];
    } else {
      x += numbers[0];
      y += numbers[1];
    }
    points.emplace_back(x, y);
    numbers.clear();
  }
  return points;
}

// The wider view: the metric over the session with the flag's range, the 3 s window, a dashed baseline and a line per
// stride offered; a number that would overlap one already written is left out (its line stays), and nothing to
// draw gives no chart.
TEST(ReportTrust, ContextStripMarksTheFlagsRangeTheWindowAndTheStrides) {
  svg::ContextStrip c{"minutes", "Peak impact (g)", {0, 1, 2, 3, 4}, {9, 10, 12, 15, 16}, 2.0, 4.0, 2.5, 2.55,
                      "the 3 s view", {}, {9.5, "start"}};
  c.marks = {{3.0, "229", "Stride 229 (worst)"}, {3.01, "263", "Stride 263 (typical)"}, {1.0, "45", "Stride 45 <x>"}};
  const std::string svg = svg::context_chart(c);
  EXPECT_EQ(count(svg, "<line class=\"ev\""), 3u);
  EXPECT_EQ(count(svg, "class=\"t evl\""), 2u) << "263 would overlap 229";
  EXPECT_NE(svg.find(">229</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">263</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Stride 45 &lt;x&gt;</title>"), std::string::npos);
  EXPECT_EQ(count(svg, "class=\"fr\""), 1u);
  EXPECT_EQ(count(svg, "class=\"zr\""), 1u);
  EXPECT_EQ(count(svg, "class=\"guide\""), 1u);
  // The flag's range from 2 to 4 min spans half the plotted width (0-4 min over 52..468 units).
  const auto fr = svg.find("class=\"fr\" x=\"");
  ASSERT_NE(fr, std::string::npos);
  double x = 0, w = 0;
  ASSERT_EQ(std::sscanf(svg.c_str() + fr, "class=\"fr\" x=\"%lf\" y=\"%*[^\"]\" width=\"%lf\"", &x, &w), 2);
  EXPECT_NEAR(x, 52 + 416 * 0.5, 0.1);
  EXPECT_NEAR(w, 416 * 0.5, 0.1);
  EXPECT_EQ(svg::context_chart({"minutes", "x", {}, {}}), "");
  EXPECT_EQ(svg::context_chart({"minutes", "x", {1, 2}, {NAN}}), "") << "sizes differ";
}

TEST(ReportTrust, RelativePathsAddUpExactlyInFewerBytes) {
  std::vector<std::pair<double, double>> points;
  std::string absolute;
  for (int i = 0; i < 400; ++i) {
    const double x = 52 + 1.04 * i, y = 110 - 90 * std::abs(std::sin(0.07 * i)) - (i % 37 == 0 ? 40 : 0);
    points.emplace_back(x, y);
    absolute += fmt::format("{}{:.1f} {:.1f}", i ? 'L' : 'M', x, y);
  }
  const std::string d = svg::relative_path(points);
  const auto back = decode_path(d);
  ASSERT_EQ(back.size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    // The rounding to 0.1 is done once, on the absolute positions: no drift after 400 steps.
    EXPECT_NEAR(back[i].first, std::round(points[i].first * 10) / 10, 1e-6) << i;
    EXPECT_NEAR(back[i].second, std::round(points[i].second * 10) / 10, 1e-6) << i;
  }
  EXPECT_LT(d.size(), absolute.size() * 7 / 10) << d.substr(0, 200);
  // A NaN breaks the line: a new M; a lone point before a break keeps its M.
  const std::string broken = svg::relative_path({{1, 2}, {2, 3}, {NAN, 1}, {5, 5}, {NAN, NAN}, {7.5, -0.2}, {8, 0.3}});
  EXPECT_EQ(broken, "M1 2l1 1M5 5M7.5-.2l.5.5");
  EXPECT_EQ(svg::relative_path({}), "");
}

// The evidence strides: for each flag of each window (its own and "other_flags") that names a per-stride metric, its
// worst, typical and mildest valid strides inside the flag's range on the window's foot, each with the value the
// document's stride has, in that order of badness, kept at the recording's rate from 80 ms before its IC to 80 ms
// after the next, with its two ICs marked on the sharp rise of |acc|. One the zoom already shows carries only its
// number and "in_zoom", one an earlier flag of the window offers already "in_window": no stride's samples twice.
TEST(ReportTrust, AnalyzeOffersEachFlagsWorstTypicalAndMildestStrides) {
  ScratchDir dir;
  const json doc = analysed_two_feet_demo(dir);
  std::size_t offered = 0;
  for (const auto& w : doc["trust_windows"]) {
    std::vector<std::size_t> with_samples;  // stride numbers whose samples this window holds
    for (const json* part : flag_parts(w)) {
      const json& g = *part;
      SCOPED_TRACE(g["title"].get<std::string>() + ", " + w["foot"].get<std::string>() + " foot");
      ASSERT_TRUE(g["evidence_metric"].is_string()) << "every flag of the demo rests on a per-stride metric";
      const std::string metric = g["evidence_metric"].get<std::string>();
      const json& strides = doc["feet"][w["foot"].get<std::string>()]["strides"];
      const json* flag = flag_of(doc, g);
      ASSERT_NE(flag, nullptr);
      const double from = (*flag)["from_s"].get<double>(), to = (*flag)["to_s"].get<double>();
      // The candidates: valid strides of this foot inside the flag's range.
      double lo = INFINITY, hi = -INFINITY;
      for (const auto& st : strides)
        if (st["valid"].get<bool>() && st[metric].is_number() && st["ic_s"].get<double>() >= from - 1e-6 &&
            st["next_ic_s"].get<double>() <= to + 1e-6) {
          lo = std::min(lo, st[metric].get<double>());
          hi = std::max(hi, st[metric].get<double>());
        }
      const json& ev = g["evidence_strides"];
      ASSERT_EQ(ev.size(), 3u);
      EXPECT_EQ(ev[0]["label"], "worst");
      EXPECT_EQ(ev[1]["label"], "typical");
      EXPECT_EQ(ev[2]["label"], "mildest");
      const double worst = ev[0]["value"].get<double>(), typical = ev[1]["value"].get<double>(),
                   mildest = ev[2]["value"].get<double>();
      // Worst and mildest are the extremes, one way round or the other (a low cadence's worst is its lowest).
      EXPECT_TRUE((std::abs(worst - hi) < 1e-3 && std::abs(mildest - lo) < 1e-3) ||
                  (std::abs(worst - lo) < 1e-3 && std::abs(mildest - hi) < 1e-3))
          << worst << " " << mildest << " of [" << lo << ", " << hi << "]";
      EXPECT_GT(std::abs(worst - mildest), 0.5) << "the demo's strides differ";
      EXPECT_TRUE((worst >= typical && typical >= mildest) || (worst <= typical && typical <= mildest));
      const double rate = doc["feet"][w["foot"].get<std::string>()]["metadata"]["rate_hz"].get<double>();
      for (const auto& e : ev) {
        const auto n = e["n"].get<std::size_t>();
        ASSERT_GE(n, 1u);
        ASSERT_LE(n, strides.size());
        const json& st = strides[n - 1];
        EXPECT_TRUE(st["valid"].get<bool>());
        EXPECT_NEAR(e["value"].get<double>(), st[metric].get<double>(), 1e-3);
        if (e.contains("in_zoom")) {
          EXPECT_EQ(e["n"], w["zoom_stride_n"]) << "only the zoom's stride is left without samples";
          continue;
        }
        if (e.contains("in_window")) {
          EXPECT_NE(std::find(with_samples.begin(), with_samples.end(), n), with_samples.end())
              << "an earlier flag of the window holds its samples";
          continue;
        }
        EXPECT_EQ(std::find(with_samples.begin(), with_samples.end(), n), with_samples.end()) << "samples twice";
        with_samples.push_back(n);
        ++offered;
        EXPECT_DOUBLE_EQ(e["rate_hz"].get<double>(), rate);
        const double e0 = e["from_s"].get<double>();
        EXPECT_NEAR(e0, st["ic_s"].get<double>() - 0.08, 1e-3);
        EXPECT_NEAR(e["to_s"].get<double>(), st["next_ic_s"].get<double>() + 0.08, 1e-3);
        const auto t = e["t_s"].get<std::vector<double>>(), acc = e["acc_g"].get<std::vector<double>>();
        ASSERT_EQ(t.size(), acc.size());
        ASSERT_EQ(e["gyr_dps"].size(), t.size());
        for (std::size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], 1 / rate, 0.6e-3) << "every sample";
        // Its two strikes, marked, each on the rise of |acc| past 4 g within two samples after it.
        const auto ic = e["ic_s"].get<std::vector<double>>();
        EXPECT_EQ(ic.size(), 2u);
        EXPECT_NEAR(e["stride_s"][0].get<double>(), st["ic_s"].get<double>() - e0, 1e-3);
        for (double at : ic) {
          const auto rise = std::find_if(t.begin(), t.end(), [&](double x) { return x >= at - 1e-9; });
          bool past = false;
          for (auto it = rise; it != t.end() && *it <= at + 2.5 / rate + 0.05; ++it)
            past = past || acc[it - t.begin()] > 4.0;
          EXPECT_TRUE(past) << "no impact right after the IC at " << at;
        }
        EXPECT_GE(e["zero_velocity_s"].size(), 1u) << "the stance is still";
      }
    }
  }
  EXPECT_GE(offered, 12u) << "most evidence strides lie outside the 3 s window";
}

// Two flags over one time range share the raw signal, each with its own evidence (the gap issue 16's trust view had:
// the first flag's strides only). The one-foot demo raises low_cadence and heel_strike over the same strides: one
// window of 3 s, low_cadence's strides chosen by cadence (the worst the lowest), heel_strike's by foot-strike angle
// (the worst the highest toe-up angle), so their worst strides differ; on the page each flag's card links to its own
// part, which names the flag, draws its metric and offers its strides, each stride drawn once.
TEST(ReportTrust, FlagsOverOneRangeShareTheSignalEachWithItsOwnStrides) {
  ScratchDir dir;
  const fs::path csv = fs::path(STRIDE_SOURCE_DIR) / "recordings" / "sim_run_low_cadence_3.2mps.csv";
  const auto r = run_stride({"analyze", csv.string(), "--json", (dir / "demo.json").string(), "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = json::parse(read_text(dir / "demo.json"));
  const json& strides = doc["feet"]["right"]["strides"];
  ASSERT_EQ(doc["trust_windows"].size(), 1u) << "one range, one window: the raw signal once";
  const json& w = doc["trust_windows"][0];
  const auto parts = flag_parts(w);
  ASSERT_EQ(parts.size(), 2u);
  struct Expected {
    const char* flag;
    const char* metric;
    int worse;  // +1: the worst is the highest value
  } expected[] = {{"low_cadence", "cadence_spm", -1}, {"heel_strike", "fsa_deg", +1}};
  std::vector<int> worst_of;
  for (std::size_t k = 0; k < 2; ++k) {
    const json& g = *parts[k];
    SCOPED_TRACE(expected[k].flag);
    ASSERT_EQ(g["flag"], expected[k].flag);
    ASSERT_EQ(g["evidence_metric"], expected[k].metric);
    const json* flag = flag_of(doc, g);
    ASSERT_NE(flag, nullptr);
    // The extremes of its own metric over the valid strides in its own range.
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& st : strides)
      if (st["valid"].get<bool>() && st[expected[k].metric].is_number() &&
          st["ic_s"].get<double>() >= (*flag)["from_s"].get<double>() - 1e-6 &&
          st["next_ic_s"].get<double>() <= (*flag)["to_s"].get<double>() + 1e-6) {
        lo = std::min(lo, st[expected[k].metric].get<double>());
        hi = std::max(hi, st[expected[k].metric].get<double>());
      }
    const json& ev = g["evidence_strides"];
    ASSERT_EQ(ev.size(), 3u);
    EXPECT_EQ(ev[0]["label"], "worst");
    const int n = ev[0]["n"].get<int>();
    EXPECT_NEAR(strides[n - 1][expected[k].metric].get<double>(), expected[k].worse > 0 ? hi : lo, 1e-3);
    EXPECT_NEAR(ev[2]["value"].get<double>(), expected[k].worse > 0 ? lo : hi, 1e-3);
    EXPECT_GT(hi - lo, 1.0) << "the strides differ in " << expected[k].metric;
    worst_of.push_back(n);
  }
  EXPECT_NE(worst_of[0], worst_of[1]) << "each flag's worst from its own metric";

  const std::string html = render_html_report({doc}, {});
  const std::string figure = html.substr(html.find("<figure class=\"tz\""),
                                         html.find("</figure>") - html.find("<figure class=\"tz\""));
  EXPECT_EQ(count(figure, "<div class=\"tz-vc\">"), 1u) << "the 3 s signal once";
  for (std::size_t k = 0; k < 2; ++k) {
    SCOPED_TRACE(expected[k].flag);
    const std::string id = fmt::format("s1-tw1-g{}", k + 1);
    EXPECT_NE(html.find(fmt::format(R"(<a class="raw" href="#{}">)", id)), std::string::npos) << "its card's link";
    const auto at = figure.find("<div class=\"tz-g\" id=\"" + id + "\">");
    ASSERT_NE(at, std::string::npos);
    const std::string part = figure.substr(at, figure.find("<div class=\"tz-g\"", at + 1) - at);
    EXPECT_NE(part.find("<p class=\"tz-gh\">“" + svg::escape((*parts[k])["title"].get<std::string>())),
              std::string::npos)
        << "the part names its flag";
    EXPECT_NE(part.find(k == 0 ? "Cadence (steps/min) over the session" : "Foot-strike angle"), std::string::npos);
    EXPECT_NE(part.find(fmt::format(">Stride {} (worst)</label>", worst_of[k])), std::string::npos);
    EXPECT_NE(part.find(k == 0 ? "by cadence: the lowest (worst), the median (typical), the highest (mildest)."
                               : "by foot-strike angle: the highest (worst), the median (typical), the lowest (mildest)."),
              std::string::npos)
        << "why these strides";
    EXPECT_EQ(count(figure, fmt::format("(stride {}, 200 Hz: every sample)", worst_of[k])), 1u) << "drawn once";
  }
}

// On the page: each evidence stride is a radio choice, its button labelled with its number and why it was chosen,
// its own view with its two strikes, its values in words, and a numbered line on the flag's wider view; the choices
// are one group, their inputs before the views they show (CSS sibling selectors), the buttons in the flag's part.
TEST(ReportTrust, EachEvidenceStrideIsAChoiceWithItsMarksAndValues) {
  ScratchDir dir;
  const json doc = analysed_two_feet_demo(dir);
  const std::string html = render_html_report({doc}, {});
  const json& w = doc["trust_windows"][0];
  const std::string fig = html.substr(html.find("<figure class=\"tz\" id=\"s1-tw1\">"));
  const std::string figure = fig.substr(0, fig.find("</figure>"));
  const auto part = figure.find("<div class=\"tz-g\" id=\"s1-tw1-g1\">");
  ASSERT_NE(part, std::string::npos) << "the window's own flag's part";
  const auto ctx = figure.find("<div class=\"tz-ctx\">", part);
  ASSERT_NE(ctx, std::string::npos) << "the wider view";
  const std::string strip = figure.substr(ctx, figure.find("</svg>", ctx) - ctx);
  EXPECT_LT(figure.rfind("<input"), part) << "the inputs first";
  EXPECT_LT(ctx, figure.find("<label", part)) << "the wider view above the buttons";
  std::size_t k = 0, lines = 1;  // the zoom's stride has its line too
  for (const auto& e : w["evidence_strides"]) {
    if (!e.contains("t_s")) continue;
    ++k;
    ++lines;
    const int n = e["n"].get<int>();
    const std::string label = e["label"].get<std::string>();
    SCOPED_TRACE(label);
    EXPECT_NE(figure.find(fmt::format(R"(<input type="radio" class="tz-e tz-e{0}" name="s1-tw1" id="s1-tw1-e{0}">)", k)),
              std::string::npos);
    const auto button = figure.find(fmt::format(R"(<label class="b-e{0}" for="s1-tw1-e{0}">Stride {1} ({2})</label>)", k,
                                                n, label));
    EXPECT_NE(button, std::string::npos);
    EXPECT_LT(button, figure.find("<div class=\"tz-g\" id=\"s1-tw1-g2\">")) << "in its flag's part";
    const auto view = figure.find(fmt::format("<div class=\"tz-ve tz-ve{}\">", k));
    ASSERT_NE(view, std::string::npos);
    const std::string v = figure.substr(view, figure.find("</div>", view) - view);
    EXPECT_EQ(count(v, "<line class=\"ic\""), 2u);
    EXPECT_GE(count(v, "class=\"zv\""), 1u);
    EXPECT_NE(v.find(fmt::format("(stride {}, 200 Hz: every sample)", n)), std::string::npos);
    EXPECT_NE(v.find(fmt::format("<p class=\"tz-kv\">Stride {} ({}): peak impact ", n, label)), std::string::npos)
        << "the flag's metric first";
    EXPECT_NE(v.find("(the flag&#39;s median "), std::string::npos);
  }
  EXPECT_GE(k, 2u);
  EXPECT_EQ(count(strip, "<line class=\"ev\""), lines);
  EXPECT_EQ(count(strip, "class=\"fr\""), 1u) << "the flag's range";
  EXPECT_EQ(count(strip, "class=\"zr\""), 1u) << "the 3 s view";
  EXPECT_EQ(count(strip, "class=\"guide\""), 1u) << "the flag's start (baseline)";
  // Chosen by CSS alone: each evidence input shows its view, hides the 3 s one and marks its buttons.
  EXPECT_NE(html.find(".tz-s:checked~.tz-vs,.tz-e1:checked~.tz-ve1,.tz-e2:checked~.tz-ve2,"), std::string::npos);
  EXPECT_NE(html.find(",.tz-e12:checked~.tz-ve12{display:block}"), std::string::npos);
  EXPECT_NE(html.find(".tz-e:checked~.tz-vc{display:none}"), std::string::npos);
  EXPECT_NE(html.find(",.tz-e1:checked~* .b-e1,"), std::string::npos);
}

// Each window of the page has both views, with the same IC, TC and zero-velocity marks where their time ranges
// overlap, two radio inputs of one group (the 3 s one checked), and the line saying what to look for.
TEST(ReportTrust, EveryWindowHasBothViewsWithTheSameMarks) {
  ScratchDir dir;
  const json doc = analysed_two_feet_demo(dir);
  const std::string html = render_html_report({doc}, {});
  const json& windows = doc["trust_windows"];
  std::size_t at = 0;
  for (std::size_t k = 0; k < windows.size(); ++k) {
    SCOPED_TRACE(k);
    const json& w = windows[k];
    const std::string id = "s1-tw" + std::to_string(k + 1);
    at = html.find("<figure class=\"tz\" id=\"" + id + "\">", at);
    ASSERT_NE(at, std::string::npos);
    const std::string fig = html.substr(at, html.find("</figure>", at) - at);
    // The 3 s view, the stride at its middle, and each evidence stride of its flags that the zoom does not show
    // already, once however many flags offer it; a part per flag.
    std::size_t own = 0;
    for (const json* part : flag_parts(w))
      for (const auto& e : (*part)["evidence_strides"]) own += e.contains("t_s");
    EXPECT_EQ(count(fig, "<input type=\"radio\""), 2u + own);
    EXPECT_EQ(count(fig, "name=\"" + id + "\""), 2u + own);
    EXPECT_EQ(count(fig, "<div class=\"tz-ve "), own);
    EXPECT_EQ(count(fig, "<div class=\"tz-g\""), flag_parts(w).size());
    EXPECT_NE(fig.find("class=\"tz-c\" name=\"" + id + "\" id=\"" + id + "-c\" checked>"), std::string::npos);
    EXPECT_NE(fig.find(fmt::format("<label class=\"b-s\" for=\"{}-s\">Stride {}", id, w["zoom_stride_n"].get<int>())),
              std::string::npos);
    EXPECT_NE(fig.find("mid-window)</label>"), std::string::npos);
    EXPECT_NE(fig.find("Look for: red IC lines at the sharp rises of |acc|"), std::string::npos);
    const auto three = fig.find("<div class=\"tz-vc\">"), zoom = fig.find("<div class=\"tz-vs\">");
    ASSERT_NE(three, std::string::npos);
    ASSERT_NE(zoom, std::string::npos);
    const std::string a = fig.substr(three, zoom - three), b = fig.substr(zoom, fig.find("<div class=\"tz-ve", zoom) - zoom);
    EXPECT_EQ(count(a, "<svg"), 1u);
    EXPECT_EQ(count(b, "<svg"), 1u);
    EXPECT_NE(b.find("(1 stride, 200 Hz: every sample)"), std::string::npos);
    EXPECT_EQ(count(a, "class=\"zr\""), 1u) << "the zoomed stride marked on the 3 s view";
    const double z0 = w["zoom_s"][0].get<double>(), z1 = w["zoom_s"][1].get<double>();
    // The 3 s view spans its samples.
    const double first = w["t_s"].front().get<double>(), length = w["t_s"].back().get<double>();
    const auto in = [](const json& times, double lo, double hi) {
      std::size_t n = 0;
      for (const auto& x : times) n += x.get<double>() >= lo && x.get<double>() <= hi;
      return n;
    };
    const auto overlapping = [&](double lo, double hi) {
      std::size_t n = 0;
      for (const auto& z : w["zero_velocity_s"]) n += z[1].get<double>() >= lo && z[0].get<double>() <= hi;
      return n;
    };
    EXPECT_EQ(count(a, "<line class=\"ic\""), in(w["ic_s"], first, length));
    EXPECT_EQ(count(b, "<line class=\"ic\""), in(w["ic_s"], z0, z1));
    EXPECT_EQ(count(b, "<line class=\"ic\""), 2u) << "the stride's own two strikes";
    EXPECT_EQ(count(a, "<line class=\"tc\""), in(w["tc_s"], first, length));
    EXPECT_EQ(count(b, "<line class=\"tc\""), in(w["tc_s"], z0, z1));
    EXPECT_GE(count(b, "<line class=\"tc\""), 1u);
    EXPECT_EQ(count(a, "class=\"zv\""), overlapping(first, length));
    EXPECT_EQ(count(b, "class=\"zv\""), overlapping(z0, z1));
    EXPECT_GE(count(b, "class=\"zv\""), 1u);
    at += fig.size();
  }
  // Each flag with a window links from its card ("see the raw signal") to its own part of a window, which names it.
  std::vector<std::string> targets;
  const std::string link = "<a class=\"raw\" href=\"#";
  for (auto a = html.find(link); a != std::string::npos; a = html.find(link, a + 1)) {
    const std::string target = html.substr(a + link.size(), html.find('"', a + link.size()) - a - link.size());
    EXPECT_EQ(target.rfind("s1-tw", 0), 0u) << target;
    EXPECT_NE(html.find("<div class=\"tz-g\" id=\"" + target + "\">"), std::string::npos) << target;
    EXPECT_EQ(std::count(targets.begin(), targets.end(), target), 0) << "two flags link to one part: " << target;
    targets.push_back(target);
  }
  std::size_t flags_with_window = 0;
  for (const auto& f : doc["flags"])
    flags_with_window += std::any_of(windows.begin(), windows.end(), [&](const json& w) {
      const auto parts = flag_parts(w);
      return std::any_of(parts.begin(), parts.end(), [&](const json* g) { return flag_of(doc, *g) == &f; });
    });
  EXPECT_EQ(targets.size(), flags_with_window);
  EXPECT_EQ(targets.size(), doc["flags"].size()) << "every flag of the demo has a time range and its own strides";
  // Printed: the 3 s view only, without the inputs' labels.
  EXPECT_NE(html.find(".tz label,.tz-vs,.tz-ve,.tz-ctx,.tz-g{display:none!important}.tz-vc{display:block!important}"),
            std::string::npos);
  // A document from before the evidence strides: the zoom alone, under its former name.
  json zoom_only = doc;
  for (auto& w : zoom_only["trust_windows"])
    for (const char* key : {"zoom_stride_n", "evidence_metric", "evidence_strides", "other_flags"}) w.erase(key);
  const std::string earlier = render_html_report({zoom_only}, {});
  EXPECT_EQ(count(earlier, "<input"), 2 * windows.size());
  EXPECT_EQ(count(earlier, ">Zoom: 1 stride, 200 Hz</label>"), windows.size());
  EXPECT_EQ(count(earlier, "<div class=\"tz-ve"), 0u);
  EXPECT_EQ(count(earlier, "<div class=\"tz-ctx\">"), 0u);
  // An older document's window (no zoom): the 3 s view alone, nothing to choose.
  json old = zoom_only;
  for (auto& w : old["trust_windows"])
    for (const char* key : {"zoom_s", "zoom_rate_hz", "zoom_stride_s"}) w.erase(key);
  const std::string before = render_html_report({old}, {});
  EXPECT_EQ(count(before, "<figure class=\"tz\""), windows.size());
  EXPECT_EQ(count(before, "<input"), 0u);
  EXPECT_EQ(count(before, "<div class=\"tz-vs\">"), 0u);
  EXPECT_EQ(count(before, "<div class=\"tz-vc\">"), 0u);
  EXPECT_EQ(count(before, "class=\"zr\""), 0u);
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
