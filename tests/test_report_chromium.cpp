// The HTML report in a real browser (headless Chromium): screenshots at phone and desktop width decoded and
// checked, no console error, no network request, no sideways scrolling on a phone, and a 2-hour run's report
// under 2 MB that opens in under 2 s. Skipped when /usr/bin/chromium is missing (scripts/setup.sh installs it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "report_chromium.hpp"
#include "history_fixtures.hpp"
#include "report_fixtures.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

#define SKIP_WITHOUT_CHROMIUM()                                                                                   \
  if (!chromium_available())                                                                                    \
  GTEST_SKIP() << kChromium << " is missing: apt-get install chromium (scripts/setup.sh does) to run this test"

// Colours of the page's stylesheet (tools/report/html_report.cpp) that a screenshot must show.
constexpr int kInfoFlagBorder[3] = {0xe0, 0xa1, 0x00};
constexpr int kSeriesBlue[3] = {0x1f, 0x6f, 0xb2};
constexpr int kOutEdge[3] = {0xc6, 0x28, 0x28};

// A simulated 3.5 min run at 150 steps/min: it raises low_cadence and heel_strike, so flag cards are on the page.
fs::path analysed_slow_run(const ScratchDir& dir) {
  const auto rec = dir / "slow.csv";
  auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "260", "--rate", "200", "--cadence", "150",
                       "--seed", "7"},
                      dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", rec.string(), "--json", (dir / "slow.json").string(), "-q"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return dir / "slow.json";
}

// A number the self-check wrote, or -1 when absent.
int attribute_int(const std::string& dom, const std::string& name) {
  const std::string v = html_attribute(dom, name);
  return v.empty() ? -1 : std::atoi(v.c_str());
}

void expect_clean_load(const BrowserRun& run, const std::string& what) {
  ASSERT_TRUE(run.started) << what << ": chromium did not start";
  ASSERT_FALSE(run.timed_out) << what << ": chromium did not finish within its time limit";
  EXPECT_EQ(run.exit_code, 0) << what << "\n" << run.log.substr(0, 3000);
  EXPECT_TRUE(console_lines(run.log).empty()) << what << ": console messages:\n" << join_lines(console_lines(run.log));
  const auto requests = page_network_requests(run.netlog);
  EXPECT_TRUE(requests.empty()) << what << ": the page asked the network for:\n" << join_lines(requests);
}

void expect_self_check_passed(const BrowserRun& run, const std::string& what, int layout_width) {
  ASSERT_EQ(html_attribute(run.dom, "data-checked"), "yes") << what << ": the self-check did not run\n"
                                                            << run.dom.substr(0, 400);
  EXPECT_EQ(html_attribute(run.dom, "data-errors"), "") << what;
  EXPECT_EQ(html_attribute(run.dom, "data-overflow"), "no")
      << what << ": scroll width " << html_attribute(run.dom, "data-scroll-width") << " > layout width "
      << html_attribute(run.dom, "data-layout-width");
  if (layout_width > 0) {
    EXPECT_EQ(html_attribute(run.dom, "data-layout-width"), std::to_string(layout_width)) << what;
  }
}

TEST(ReportChromium, PhoneAndDesktopScreenshotsShowFlagsAndPlots) {
  SKIP_WITHOUT_CHROMIUM();
  ScratchDir dir;
  const fs::path json_path = analysed_slow_run(dir);
  auto r = run_stride({"report", json_path.string(), "--html", (dir / "check.html").string(), "--self-check"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  // The no-sideways-scroll check below covers the wide parts too: the splits table, the raw-signal windows.
  const std::string page = read_text(dir / "check.html");
  EXPECT_NE(page.find("class=\"p-splits\""), std::string::npos);
  EXPECT_NE(page.find("Per minute ("), std::string::npos) << "a short run's splits are per minute (not 'per 1 minutes')";
  EXPECT_NE(page.find("class=\"p-trust\""), std::string::npos);

  struct View {
    const char* name;
    int width, height;
    std::string fragment;
    int layout_width;
    bool first_screen;   // the window is one screen: the scorecard and the flag lines must fit in it
  } views[] = {
      // Headless Chromium keeps a window at least 500 px wide: the phone layout width comes from the fragment
      // (the page's narrow-screen CSS applies below 600 px); the screenshot itself is 390 px wide.
      {"phone", 390, 844, "#width=390", 390, true},
      {"desktop", 1280, 800, "", 0, true},
      {"desktop-long", 1280, 3000, "", 0, false},
  };
  for (const auto& v : views) {
    SCOPED_TRACE(v.name);
    BrowserPage page{dir / "check.html", v.fragment, v.width, v.height, dir / (std::string(v.name) + ".png"), 60};
    const BrowserRun run = run_chromium(page, dir, v.name);
    expect_clean_load(run, v.name);
    expect_self_check_passed(run, v.name, v.layout_width);
    const Image img = read_png(page.screenshot);
    ASSERT_TRUE(img.ok()) << "no readable screenshot at " << page.screenshot;
    EXPECT_EQ(img.width, v.width);
    EXPECT_EQ(img.height, v.height);
    const double sd = luminance_sd(img);
    EXPECT_GT(sd, 15.0) << "the screenshot looks blank";
    // The flag lines' amber badges and edges, and the scorecard's red "out" edge (150 steps/min is below the
    // 166 band) are in the first screen, on a phone too.
    const ColourHits flag = find_colour(img, kInfoFlagBorder[0], kInfoFlagBorder[1], kInfoFlagBorder[2]);
    EXPECT_GT(flag.count, 1000u) << "no flag line colour in the first screen";
    EXPECT_LT(flag.max_x, v.width);
    const ColourHits out = find_colour(img, kOutEdge[0], kOutEdge[1], kOutEdge[2]);
    EXPECT_GT(out.count, 150u) << "no scorecard 'out' edge in the first screen";
    const int first_bottom = attribute_int(run.dom, "data-first-bottom");
    const int viewport = attribute_int(run.dom, "data-viewport-height");
    const int plot_top = attribute_int(run.dom, "data-first-plot-top");
    const int page_height = attribute_int(run.dom, "data-page-height");
    if (v.first_screen) {
      // The browser's inner height (the window less its simulated bars: 701 of 844 px, 657 of 800): what a reader
      // sees without scrolling.
      EXPECT_GT(viewport, v.height / 2);
      EXPECT_LE(viewport, v.height);
      EXPECT_GT(first_bottom, 200);
      EXPECT_LE(first_bottom, viewport) << "who/what, the scorecard and the flag lines do not fit in one screen";
    }
    EXPECT_GE(plot_top, first_bottom) << "a plot before the end of the first screen's block";
    std::cout << "[ report ] " << v.name << " " << img.width << "x" << img.height << ": luminance SD " << sd
              << ", flag pixels " << flag.count << ", first screen ends at " << first_bottom << " of " << viewport
              << " px, page " << page_height << " px, load " << html_attribute(run.dom, "data-load-ms") << " ms\n";
    if (std::string(v.name) == "desktop-long") {
      // Plots drawn (the series colour), not just the frames.
      const ColourHits series = find_colour(img, kSeriesBlue[0], kSeriesBlue[1], kSeriesBlue[2], 10);
      EXPECT_GT(series.count, 2000u) << "no plotted series in the desktop screenshot";
    }
  }

  // The report a coach gets (no script): the same page loads without a console message or a request.
  r = run_stride({"report", json_path.string(), "--html", (dir / "plain.html").string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const BrowserRun plain = run_chromium({dir / "plain.html", "", 1280, 800, dir / "plain.png", 60}, dir, "plain");
  expect_clean_load(plain, "plain report");
  const Image img = read_png(dir / "plain.png");
  ASSERT_TRUE(img.ok());
  EXPECT_GT(luminance_sd(img), 15.0);
}

// Printed (Chromium's --print-to-pdf, A4): the bundled demo recordings, one foot and two feet, fit on at most 3
// pages; the print stylesheet is what makes them fit (the same page printed with the screen layout takes more), and
// the printed page keeps the flag lines, the flags in full and the splits, but not the along-run plots.
TEST(ReportChromium, DemoRunsPrintOnAtMostThreeA4Pages) {
  SKIP_WITHOUT_CHROMIUM();
  ScratchDir dir;
  const fs::path base = fs::path(STRIDE_SOURCE_DIR) / "recordings";
  struct Case {
    const char* name;
    std::vector<std::string> recordings;
  } cases[] = {{"one-foot", {(base / "sim_run_low_cadence_3.2mps.csv").string()}},  // the README's demo run
               {"two-feet", {(base / "sim_two_feet_overstride_left.csv").string(),
                             (base / "sim_two_feet_overstride_right.csv").string()}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path html = dir / (std::string(c.name) + ".html"), pdf = dir / (std::string(c.name) + ".pdf");
    std::vector<std::string> args = {"report"};
    args.insert(args.end(), c.recordings.begin(), c.recordings.end());
    args.insert(args.end(), {"--html", html.string()});
    const auto r = run_stride(args, dir);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const BrowserRun run = run_chromium({html, "", 1280, 800, {}, 90}, dir, c.name, pdf);
    expect_clean_load(run, c.name);
    const int pages = pdf_page_count(pdf);
    const auto [w, h] = pdf_first_page_size(pdf);
    std::cout << "[ report ] " << c.name << " printed: " << pages << " A4 pages (" << w << " x " << h << " pt), "
              << fs::file_size(pdf) / 1024 << " KB\n";
    EXPECT_GE(pages, 1) << "no page in " << pdf;
    EXPECT_LE(pages, 3) << "a normal run must print on at most 3 A4 pages";
    EXPECT_NEAR(w, 595.3, 1.5) << "not A4";
    EXPECT_NEAR(h, 841.9, 1.5) << "not A4";
    if (std::string(c.name) == "two-feet") {
      // The check can fail: the same page with its print stylesheet switched off prints on more pages.
      std::string screen = read_text(html);
      const auto at = screen.find("@media print{");
      ASSERT_NE(at, std::string::npos);
      screen.replace(at, 13, "@media not all{");
      write_text(dir / "screen-layout.html", screen);
      const BrowserRun unstyled = run_chromium({dir / "screen-layout.html", "", 1280, 800, {}, 90}, dir, "screen-layout",
                                               dir / "screen-layout.pdf");
      ASSERT_FALSE(unstyled.timed_out);
      const int screen_pages = pdf_page_count(dir / "screen-layout.pdf");
      std::cout << "[ report ] two-feet printed without the print stylesheet: " << screen_pages << " pages\n";
      EXPECT_GT(screen_pages, 3);
      // What the printed page keeps: splits, left vs right, the flags in full (open); what it drops is hidden by
      // class, so the markup is there for the screen.
      const std::string page = read_text(html);
      EXPECT_NE(page.find("class=\"p-splits\""), std::string::npos);
      EXPECT_NE(page.find("class=\"p-lr\""), std::string::npos);
      EXPECT_NE(page.find(".p-dist,.p-refs,.p-along"), std::string::npos);
    }
  }
}

// A box of a screenshot (clipped to it).
Image crop(const Image& img, int x0, int y0, int w, int h) {
  Image out;
  x0 = std::clamp(x0, 0, img.width);
  y0 = std::clamp(y0, 0, img.height);
  out.width = std::min(w, img.width - x0);
  out.height = std::min(h, img.height - y0);
  for (int y = y0; y < y0 + out.height; ++y) {
    const auto row = img.rgb.begin() + 3 * (static_cast<std::ptrdiff_t>(y) * img.width + x0);
    out.rgb.insert(out.rgb.end(), row, row + 3 * out.width);
  }
  return out;
}

// Red vertical lines (the trust view's IC marks, #c62828, anti-aliased): the x of each, a line being adjacent columns with at
// least `min_run` such pixels (the lines cross both panels, ~250 px; the orange |gyro| trace is another colour and
// never that tall).
std::vector<int> red_vertical_lines(const Image& img, int min_run = 150) {
  std::vector<int> lines;
  int last = -10;
  for (int x = 0; x < img.width; ++x) {
    int n = 0;
    for (int y = 0; y < img.height; ++y) {
      const auto* p = &img.rgb[3 * (static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x))];
      // Red, or red blended with the background where a 1.5 px line falls across two pixels: green and blue alike
      // and well below red (the orange trace has far less blue than green).
      n += p[0] > 150 && p[0] - p[1] > 60 && std::abs(p[1] - p[2]) < 25;
    }
    if (n < min_run) continue;
    if (x - last > 3) lines.push_back(x);
    last = x;
  }
  return lines;
}

// The trust view zooms without script: each window's views are chosen by radio inputs and CSS alone. The same page is
// loaded as it comes (the 3 s view chosen), with every mid-window stride's input checked and with every worst
// stride's (what a click on its label does); the self-check only measures which views are displayed and where the
// first window is, and the screenshot of that window must show the view chosen: several strikes in 3 s, the two
// that bound the stride when one is chosen.
TEST(ReportChromium, TrustViewZoomsIntoAStrideWithoutScript) {
  SKIP_WITHOUT_CHROMIUM();
  ScratchDir dir;
  const fs::path base = fs::path(STRIDE_SOURCE_DIR) / "recordings";
  auto r = run_stride({"report", (base / "sim_two_feet_overstride_left.csv").string(),
                       (base / "sim_two_feet_overstride_right.csv").string(), "--html", (dir / "three.html").string(),
                       "--self-check"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string page = read_text(dir / "three.html");
  // Every input of one kind checked ("tz-s": the stride at the window's middle; "tz-e tz-e1": each window's worst
  // stride) and no "3 s" one: the markup a click on that label would leave.
  const auto choose = [&](const std::string& kind) {
    std::string chosen = page;
    const std::string input = "<input type=\"radio\" class=\"";
    for (auto at = chosen.find(input); at != std::string::npos; at = chosen.find(input, at + 1)) {
      const auto end = chosen.find('>', at);
      const auto checked = chosen.find(" checked", at);
      if (chosen.compare(at + input.size(), 5, "tz-c\"") == 0 && checked < end) chosen.erase(checked, 8);
      if (chosen.compare(at + input.size(), kind.size() + 1, kind + "\"") == 0) chosen.insert(chosen.find('>', at), " checked");
    }
    return chosen;
  };
  const std::string zoomed = choose("tz-s"), worst = choose("tz-e tz-e1");
  ASSERT_NE(zoomed, page);
  ASSERT_NE(worst, page);
  write_text(dir / "zoom.html", zoomed);
  write_text(dir / "worst.html", worst);
  struct Case {
    const char* name;
    fs::path html;
    bool zoom;
    const char* views;  // "windows, 3 s views shown, zoom views shown, evidence-stride views shown"
  } cases[] = {{"three-seconds", dir / "three.html", false, "6 6 0 0"},
               {"zoomed", dir / "zoom.html", true, "6 0 6 0"},
               {"worst-stride", dir / "worst.html", true, "6 0 0 6"}};
  std::vector<Image> crops;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    BrowserPage browser{c.html, "", 1280, 4200, dir / (std::string(c.name) + ".png"), 90};
    const BrowserRun run = run_chromium(browser, dir, c.name);
    expect_clean_load(run, c.name);
    expect_self_check_passed(run, c.name, 0);
    // The two-feet demo has 6 windows, each with its evidence strides.
    EXPECT_EQ(html_attribute(run.dom, "data-trust-views"), c.views);
    int x = 0, y = 0, w = 0, h = 0;
    ASSERT_EQ(std::sscanf(html_attribute(run.dom, "data-trust-box").c_str(), "%d %d %d %d", &x, &y, &w, &h), 4)
        << html_attribute(run.dom, "data-trust-box");
    const Image page_img = read_png(browser.screenshot);
    ASSERT_TRUE(page_img.ok());
    ASSERT_LE(y + h, page_img.height) << "the first window is below the screenshot";
    const Image img = crop(page_img, x, y, w, h);
    const std::vector<int> ic = red_vertical_lines(img);
    std::cout << "[ report ] trust view " << c.name << ": first window at " << x << "," << y << " (" << w << "x" << h
              << " px), " << ic.size() << " IC lines\n";
    if (c.zoom) {
      // One stride from 80 ms before its IC to 80 ms after the next: two strikes, most of the width apart.
      ASSERT_EQ(ic.size(), 2u);
      EXPECT_GT(ic[1] - ic[0], w / 2);
    } else {
      // 3 s of a 172 steps/min run: 4 or 5 strikes of this foot, a quarter of the width apart or less.
      ASSERT_GE(ic.size(), 3u);
      EXPECT_LE(ic.size(), 5u);
      EXPECT_LT(ic[1] - ic[0], w / 3);
    }
    // The zero-velocity bands (green at 14 % over white) in the view shown.
    EXPECT_GT(find_colour(img, 0xe2, 0xed, 0xe2, 8).count, 500u) << "no zero-velocity band";
    crops.push_back(img);
  }
  // The worst stride is another stride than the mid-window one (stride 229 against 222 of the left foot): its
  // curves, not the same picture under another button. Compared over the chart's rows only (between the buttons
  // and the values line: 45-80 % of the figure's height), so the highlighted button does not count.
  ASSERT_EQ(crops.size(), 3u);
  const Image &mid = crops[1], &worst_img = crops[2];
  ASSERT_EQ(mid.rgb.size(), worst_img.rgb.size()) << "the two stride views take the same room";
  std::size_t differing = 0;
  const auto row = [&](std::size_t i) { return static_cast<int>(i / 3 / static_cast<std::size_t>(mid.width)); };
  for (std::size_t i = 0; i + 2 < mid.rgb.size(); i += 3)
    differing += row(i) >= mid.height * 45 / 100 && row(i) < mid.height * 80 / 100 &&
                 std::abs(mid.rgb[i] - worst_img.rgb[i]) + std::abs(mid.rgb[i + 1] - worst_img.rgb[i + 1]) +
                         std::abs(mid.rgb[i + 2] - worst_img.rgb[i + 2]) > 60;
  std::cout << "[ report ] trust view: " << differing << " pixels differ between the mid-window and the worst stride\n";
  EXPECT_GT(differing, 2000u);
}

// The history page (`stride report --history`, three athletes, tables and charts) at phone and desktop width:
// it loads without a console message or a request, never scrolls sideways, and shows its red weekly-jump bar.
TEST(ReportChromium, HistoryPageOnPhoneAndDesktop) {
  SKIP_WITHOUT_CHROMIUM();
  ScratchDir dir;
  const std::string db = coach_db(dir);
  auto r = run_stride({"report", "--history", "--db", db, "--html", (dir / "squad.html").string(), "--self-check"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  struct View {
    const char* name;
    const char* fragment;
    int width, height, layout_width;
  } views[] = {{"phone", "#width=390", 500, 3000, 390}, {"desktop", "", 1280, 3000, 0}};
  for (const auto& v : views) {
    SCOPED_TRACE(v.name);
    BrowserPage page{dir / "squad.html", v.fragment, v.width, v.height, dir / (std::string(v.name) + ".png"), 60};
    const BrowserRun run = run_chromium(page, dir, v.name);
    expect_clean_load(run, v.name);
    expect_self_check_passed(run, v.name, v.layout_width);
    const Image img = read_png(page.screenshot);
    ASSERT_TRUE(img.ok());
    EXPECT_GT(luminance_sd(img), 15.0) << "the screenshot looks blank";
    EXPECT_GT(find_colour(img, kSeriesBlue[0], kSeriesBlue[1], kSeriesBlue[2], 30).count, 500u) << "no chart drawn in the series colour";
  }
}

// The checks above can fail: a page that overflows, loads from the network and errs is caught by each of them.
TEST(ReportChromium, TheChecksCatchALeakyPage) {
  SKIP_WITHOUT_CHROMIUM();
  ScratchDir dir;
  write_text(dir / "doc.json", small_session(60).dump());
  auto r = run_stride({"report", (dir / "doc.json").string(), "--html", (dir / "check.html").string(), "--self-check"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::string html = read_text(dir / "check.html");
  // Without the CSP, with a 900 px wide block and an image from the network (a closed port on this machine).
  const auto csp = html.find("<meta http-equiv=\"Content-Security-Policy\"");
  ASSERT_NE(csp, std::string::npos);
  html.erase(csp, html.find('>', csp) + 1 - csp);
  html.replace(html.find("</main>"), 7, R"(<div style="width:900px">wide</div><img src="http://127.0.0.1:9/x.png"></main>)");
  write_text(dir / "leaky.html", html);
  const BrowserRun run = run_chromium({dir / "leaky.html", "#width=390", 390, 844, {}, 60}, dir, "leaky");
  ASSERT_TRUE(run.started && !run.timed_out);
  EXPECT_EQ(html_attribute(run.dom, "data-overflow"), "yes");
  EXPECT_NE(html_attribute(run.dom, "data-errors"), "") << "the image's load error";
  EXPECT_FALSE(page_network_requests(run.netlog).empty());
}

// A 2-hour run (10,000 strides, ~118 min at 200 Hz) through simulate and analyze, as one sensor and as two feet
// (the worst case: 20,000 strides), must give a report under 2 MB that Chromium opens in under 2 s.
TEST(ReportChromium, TwoHourReportIsSmallAndOpensFast) {
  ScratchDir dir;
  const auto rec = dir / "run2h.csv";
  auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "10000", "--rate", "200", "--seed", "3"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", rec.string(), "--json", (dir / "run2h.json").string(), "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  fs::remove(rec);  // 170 MB: not needed any more
  const json one = json::parse(read_text(dir / "run2h.json"));
  ASSERT_GT(only_foot(one)["summary"]["duration_s"].get<double>(), 6900.0) << "not a 2-hour run";
  ASSERT_GE(only_foot(one)["summary"]["strides_valid"].get<int>(), 9000);
  write_text(dir / "two.json", two_feet(one, slower_right(one, 1.04), one["flags"]).dump());

  struct Case {
    const char* name;
    fs::path json;
  } cases[] = {{"one-sensor", dir / "run2h.json"}, {"two-feet", dir / "two.json"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path html = dir / (std::string(c.name) + ".html");
    r = run_stride({"report", c.json.string(), "--html", html.string(), "--self-check"}, dir);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto bytes = fs::file_size(html);
    std::cout << "[ report ] 2-hour " << c.name << ": " << (bytes + 512) / 1024 << " KB (input JSON "
              << fs::file_size(c.json) / 1024 << " KB)\n";
    EXPECT_LT(bytes, 2u * 1024 * 1024);
    if (!chromium_available()) continue;
    const BrowserRun run = run_chromium({html, "", 1280, 800, {}, 60}, dir, c.name);
    expect_clean_load(run, c.name);
    expect_self_check_passed(run, c.name, 0);
    const std::string load = html_attribute(run.dom, "data-load-ms");
    ASSERT_FALSE(load.empty());
    std::cout << "[ report ] 2-hour " << c.name << ": opened in " << load
              << " ms (navigation start to load event, layout done); browser process " << static_cast<int>(run.wall_ms)
              << " ms\n";
    EXPECT_LT(std::stod(load), 2000.0);
  }
  if (!chromium_available()) GTEST_SKIP() << "sizes checked; " << kChromium << " is missing for the open time";
}

}  // namespace
}  // namespace stride::test
