// The HTML report: the renderer on small hand-made documents (flags explained, null metrics not plotted, hostile
// names escaped, self-contained), and `stride report` end to end (inputs, errors, several sessions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "tools/report/html_report.hpp"
#include "report_fixtures.hpp"
#include "test_support.hpp"

namespace stride::test {
namespace {

using nlohmann::json;
using stride::report::render_html_report;
using stride::report::ReportOptions;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Nothing in the page may reach outside it: no URL scheme, no protocol-relative reference, no CSS url().
void expect_self_contained(const std::string& html) {
  for (const char* bad : {"http:", "https:", "ws:", "wss:", "//cdn", "src=\"/", "src=\"http", "href=\"http", "url(",
                          "@import", "<link", "<iframe", "<img"})
    EXPECT_EQ(html.find(bad), std::string::npos) << "found '" << bad << "'";
  EXPECT_NE(html.find(R"(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">)"),
            std::string::npos);
}

TEST(ReportHtml, FlagsComeFirstWithEverythingThatExplainsThem) {
  const json doc = small_session();
  const std::string html = render_html_report({doc}, {});
  for (const auto& f : doc["flags"])
    for (const char* key : {"title", "evidence", "why", "what_to_try", "rule", "source", "trust"}) {
      const std::string text = f[key].get<std::string>();
      // The page escapes what it shows; compare against the escaped text.
      std::string escaped;
      for (char c : text) escaped += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '\'' ? "&#39;" : c == '"' ? "&quot;" : c == '&' ? "&amp;" : std::string(1, c);
      EXPECT_NE(html.find(escaped), std::string::npos) << key << ": " << text;
    }
  EXPECT_NE(html.find("not a diagnosis"), std::string::npos);
  EXPECT_NE(html.find(R"(class="flag warn")"), std::string::npos);
  EXPECT_NE(html.find(R"(class="flag info")"), std::string::npos);
  // Order: flags before the summary and the plots; the warning before the note.
  // (The summary tables follow the plots: the scorecard already has the medians.)
  EXPECT_LT(html.find("class=\"flag"), html.find(">Along the run<"));
  EXPECT_LT(html.find(">Along the run<"), html.find(">Summary<"));
  EXPECT_LT(html.find("A 30.0 g jolt"), html.find("Low step rate"));
  EXPECT_LT(html.find(">Summary<"), html.find(">Data quality<"));
}

TEST(ReportHtml, NullMetricsAreNotPlottedOrTabulated) {
  const std::string html = render_html_report({small_session()}, {});
  EXPECT_EQ(html.find("Tibial shock"), std::string::npos) << "pta_g is null throughout";
  EXPECT_EQ(html.find("Shank angle"), std::string::npos);
  EXPECT_NE(html.find("<b>Stride length (m)</b>"), std::string::npos) << "measured: plotted";
  EXPECT_NE(html.find("<b>Ground contact time (ms)</b>"), std::string::npos);
  // Every figure holds a drawing; no empty chart frames.
  EXPECT_EQ(count(html, "<figure>"), count(html, "<svg "));
  EXPECT_GE(count(html, "<svg "), 10u);
  EXPECT_EQ(html.find("nan"), std::string::npos);
}

TEST(ReportHtml, HostileNamesAreEscapedAndThePageIsSelfContained) {
  const std::string html = render_html_report({small_session()}, {"Report for <img src=x onerror=alert(1)>", false});
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no script at all in the report a coach gets";
  EXPECT_EQ(html.find("<b>evil</b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bo&quot;"), std::string::npos);
  EXPECT_NE(html.find("runs/&lt;b&gt;evil&lt;/b&gt;.csv"), std::string::npos);
  EXPECT_NE(html.find("<title>Report for &lt;img src=x onerror=alert(1)&gt;</title>"), std::string::npos);
  expect_self_contained(html);
  // The default title names the athlete, escaped.
  const std::string titled = render_html_report({small_session(80, "Ana <Q>")}, {});
  EXPECT_NE(titled.find("<title>Gait report: Ana &lt;Q&gt;</title>"), std::string::npos);
}

TEST(ReportHtml, SelfCheckAddsOnlyItsScriptAndTheCspAllowsIt) {
  const std::string html = render_html_report({small_session()}, {"", true});
  EXPECT_EQ(count(html, "<script>"), 1u);
  EXPECT_NE(html.find("script-src 'unsafe-inline'"), std::string::npos);
  EXPECT_EQ(html.find("http:"), std::string::npos);
}

TEST(ReportHtml, TwoFeetShowLeftAgainstRightWithTheSymmetryIndex) {
  const json left = small_session(120);
  const json right = slower_right(left, 1.15);
  json flags = json::array({left["flags"][0]});
  flags[0]["side"] = "both";
  const std::string html = render_html_report({two_feet(left, right, flags)}, {});
  EXPECT_NE(html.find(">Left and right<"), std::string::npos);
  EXPECT_NE(html.find(R"(class="ln left")"), std::string::npos);
  EXPECT_NE(html.find(R"(class="ln right")"), std::string::npos);
  EXPECT_NE(html.find(R"(class="bar right")"), std::string::npos);
  // One compact figure: paired left/right bars per metric with the symmetry index, red past the 10 % line.
  EXPECT_NE(html.find("Left vs right: medians and symmetry index (%)"), std::string::npos);
  EXPECT_EQ(count(html, R"(class="bar left")"), count(html, R"(class="bar right")"));
  EXPECT_EQ(count(html, R"(class="si-v over")"), 1u) << "contact time +15 % is over the 10 % line, nothing else";
  EXPECT_NE(html.find(">Contact time (ms)</text>"), std::string::npos);
  EXPECT_NE(html.find("both feet"), std::string::npos);
  EXPECT_NE(html.find("<h4>Left foot</h4>"), std::string::npos);
  EXPECT_NE(html.find("<h4>Right foot</h4>"), std::string::npos);
  EXPECT_NE(html.find("assumed_same_start"), std::string::npos);
  expect_self_contained(html);
}

TEST(ReportHtml, LongRunsArePooledIntoWindows) {
  // 3000 strides (> 600): medians per 30 s with an IQR band, not one point per stride.
  const json doc = small_session(3000);
  const std::string html = render_html_report({doc}, {});
  EXPECT_NE(html.find("median of the valid strides in 30 s"), std::string::npos);
  EXPECT_NE(html.find("<polygon class=\"band c0\""), std::string::npos);
  const std::string first_path = html.substr(html.find("<path class=\"ln c0\""));
  EXPECT_LT(count(first_path.substr(0, first_path.find("</path>")), "L"), 100u);
}

TEST(ReportHtml, OddDocumentsStillRender) {
  json doc = small_session(40);
  json& foot = only_foot(doc);
  foot["strides"][0]["ic_s"] = 1e300;           // absurd time
  foot["strides"][1]["gct_ms"] = 1e308;         // absurd value
  foot["strides"][2]["gct_ms"] = "fast";        // wrong type
  foot["strides"][3].erase("cadence_spm");      // missing
  doc["flags"][0]["strides"] = nullptr;
  doc["flags"][1].erase("why");
  foot.erase("data_quality");
  foot["summary"]["metrics"]["gct_ms"]["sd"] = nullptr;
  json bare = {{"schema", "stride.session/2"}, {"feet", {{"unknown", json::object()}}}};  // the least a document can be
  json bare_v1 = {{"summary", json::object()}};  // the least an earlier stride's document could be
  json one_foot = {{"session", "two_feet"}, {"feet", {{"left", only_foot(small_session(30))}}}};  // earlier layout
  const std::string html = render_html_report({doc, bare, one_foot, bare_v1}, {});
  EXPECT_NE(html.find("<section id=\"s4\">"), std::string::npos);
  EXPECT_NE(html.find("No metric was measured"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  EXPECT_EQ(html.find("inf<"), std::string::npos);
  EXPECT_TRUE(stride::report::is_session_document(bare));
  EXPECT_TRUE(stride::report::is_session_document(bare_v1));
  EXPECT_FALSE(stride::report::is_session_document(json::array()));
  EXPECT_FALSE(stride::report::is_session_document({{"session", "two_feet"}}));
  EXPECT_FALSE(stride::report::is_session_document({{"schema", "stride.session/2"}}));  // no feet
  EXPECT_FALSE(stride::report::is_session_document({{"schema", "stride.session/9"}, {"feet", bare["feet"]}}));
}

// ---- the first screen ----

// The texts of the one-line flags (<span class="fl-text">…</span>), as the page shows them (still escaped).
std::vector<std::string> flag_lines(const std::string& html) {
  std::vector<std::string> lines;
  const std::string open = "<span class=\"fl-text\">";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto from = at + open.size();
    lines.push_back(html.substr(from, html.find("</span>", from) - from));
  }
  return lines;
}

// Words as a reader counts them: whitespace-separated pieces with a letter or a digit ("%" and "·" are not words).
std::size_t words(const std::string& line) {
  std::size_t n = 0;
  std::istringstream in(line);
  for (std::string w; in >> w;)
    if (std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isalnum(c); })) ++n;
  return n;
}

void expect_plain_flag_lines(const std::string& html, std::size_t expected) {
  const auto lines = flag_lines(html);
  EXPECT_EQ(lines.size(), expected);
  for (const auto& line : lines) {
    EXPECT_LE(words(line), 20u) << line;
    EXPECT_EQ(line.find('_'), std::string::npos) << "a variable name in a flag line: " << line;
    EXPECT_GE(words(line), 3u) << line;
  }
}

TEST(ReportHtml, FirstScreenHoldsWhoScorecardAndFlagLinesBeforeAnyPlot) {
  const json doc = small_session();
  const std::string html = render_html_report({doc}, {});
  const auto first = html.find("<div class=\"first\">");
  const auto who = html.find("<p class=\"who\">");
  const auto score = html.find("<div class=\"score\">");
  const auto lines = html.find("<ol class=\"flines\">");
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(first, who);
  EXPECT_LT(who, score);
  EXPECT_LT(score, lines);
  EXPECT_LT(lines, html.find("<figure>")) << "scorecard and flag lines before any plot";
  EXPECT_LT(lines, html.find("<svg "));
  EXPECT_LT(lines, html.find("<details")) << "the full flags come after the lines";
  // Who, when, what: athlete (escaped), date, duration, distance, placement and side.
  const std::string who_line = html.substr(who, html.find("</p>", who) - who);
  for (const char* part : {"&lt;script&gt;", "2025-05-01 07:30", "1:02 min", "0.19 km", "shoe sensor, right foot only"})
    EXPECT_NE(who_line.find(part), std::string::npos) << part << " in " << who_line;
  // 8 key metrics of a shoe sensor; cadence 160 steps/min at 3.2 m/s is below the 166 band (Thakkar 2019), and
  // flagged; contact time, impact, pronation are compared with the runner's own start.
  EXPECT_EQ(count(html, "<div class=\"sc "), 8u);
  EXPECT_NE(html.find("<div class=\"sc out\" title=\"Cadence: 166 steps/min or more at running pace. Thakkar 2019"),
            std::string::npos);
  EXPECT_NE(html.find("≥ 166 running"), std::string::npos);
  EXPECT_GE(count(html, "<div class=\"sc in\""), 2u) << "steady contact time, foot-strike angle, pronation";
  EXPECT_NE(html.find(" /km</span>"), std::string::npos) << "speed 3.2 m/s also as a pace";
  // Every footnote mark points at a footnote that exists, with its source.
  EXPECT_NE(html.find("<li id=\"s1-n1\">"), std::string::npos);
  for (std::size_t at = html.find("href=\"#s1-n"); at != std::string::npos; at = html.find("href=\"#s1-n", at + 1)) {
    const std::string id = html.substr(at + 7, html.find('"', at + 7) - at - 7);
    EXPECT_NE(html.find("<li id=\"" + id + "\">"), std::string::npos) << id;
  }
  // Flags: one line each, warning first, each linking to its card in full.
  expect_plain_flag_lines(html, 2);
  EXPECT_LT(html.find("<li class=\"fl warn\">"), html.find("<li class=\"fl info\">"));
  EXPECT_NE(html.find("href=\"#s1-f2\""), std::string::npos);
  EXPECT_NE(html.find("<details class=\"flag warn\" id=\"s1-f2\">"), std::string::npos);
  EXPECT_NE(html.find("<details class=\"flag info\" id=\"s1-f1\">"), std::string::npos);
  // Printed, the cards are open (no script: the print stylesheet shows the closed content).
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("details.flag:not([open])::details-content{content-visibility:visible"), std::string::npos);
}

TEST(ReportHtml, FlagLinesAreShortPlainSentences) {
  json doc = small_session();
  // A title written for engineers: variable names and far too many words.
  doc["flags"][0]["title"] = "left_change_rel = 0.41 and right_baseline_peak_impact_g = 9.53 over the strides of the "
                             "second half of the run at matched speed, held for the rest of the run as the rule asks";
  doc["flags"][0]["id"] = "high_impact";
  doc["flags"][1]["title"] = "";
  const std::string html = render_html_report({doc}, {});
  expect_plain_flag_lines(html, 2);
  EXPECT_NE(html.find("…</span>"), std::string::npos) << "a cut line says it was cut";
  // The two-feet session's real titles (as analyze writes them) with their plain-language tails.
  const json left = small_session(120);
  json flags = json::array();
  for (const char* t : {"Left/right contact time differs by 13.1 %", "Form drifted during the run: cadence -4.1 %, impact +41.4 %"}) {
    json f = left["flags"][0];
    f["id"] = std::string(t).rfind("Left", 0) == 0 ? "asymmetry" : "fatigue_drift";
    f["title"] = t;
    flags.push_back(f);
  }
  const std::string two = render_html_report({two_feet(left, slower_right(left, 1.15), flags)}, {});
  expect_plain_flag_lines(two, 2);
  EXPECT_NE(two.find("Left/right contact time differs by 13.1 %; worth checking, not a risk on its own"), std::string::npos);
}

TEST(ReportHtml, TwoFeetScorecardShowsLeftAndRightAgainstTheSymmetryBand) {
  const json left = small_session(120);
  const std::string html = render_html_report({two_feet(left, slower_right(left, 1.15))}, {});
  EXPECT_NE(html.find("shoe sensor, both feet"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"lr\">L</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"lr\">R</span>"), std::string::npos);
  EXPECT_NE(html.find("L/R 14 % (≤ 10 %)"), std::string::npos) << "contact time +15 % on the right";
  EXPECT_NE(html.find("Cartón-Llorente 2024"), std::string::npos);
}

TEST(ReportHtml, RenderingBugsOfIssue16) {
  // "right clock = left + — s": the clock as analyze writes it (shifts and drift), and a clock not recorded.
  const json left = small_session(60);
  json two = two_feet(left, slower_right(left, 1.0));
  two["bilateral"]["clock"] = {{"source", "host_clock_marks"}, {"left_shift_s", 0.0}, {"right_shift_s", 0.25},
                               {"right_scale", 1.00002}, {"drift_ppm", 20.0}};
  std::string html = render_html_report({two}, {});
  EXPECT_NE(html.find("right clock shifted by +0.250 s to match the left, drift +20 ppm (host_clock_marks)"),
            std::string::npos);
  two["bilateral"]["clock"] = json::object();
  html = render_html_report({two}, {});
  EXPECT_NE(html.find("the clock alignment is not recorded"), std::string::npos);
  EXPECT_EQ(html.find("+ — s"), std::string::npos);
  // The symmetry label: "Pronation", not cut to "(eversion in stance)" at the chart's left edge.
  two["bilateral"]["symmetry"]["pronation_excursion_deg"] = {{"left", 8.0}, {"right", 8.4}, {"si_pct", 4.9}};
  html = render_html_report({two}, {});
  EXPECT_NE(html.find(">Pronation (deg)</text>"), std::string::npos);
  EXPECT_EQ(html.find(">Pronation (eversion in stance) (deg)</text>"), std::string::npos);
  // 204.8 Hz is not "205".
  json doc = small_session(60);
  only_foot(doc)["metadata"]["rate_hz"] = 204.8;
  only_foot(doc)["data_quality"]["declared_rate_hz"] = 204.8;
  only_foot(doc)["data_quality"]["nominal_rate_hz"] = 204.8;
  html = render_html_report({doc}, {});
  EXPECT_NE(html.find("(declared 204.8)"), std::string::npos);
  EXPECT_NE(html.find("204.8 Hz"), std::string::npos);
  EXPECT_EQ(html.find("declared 205"), std::string::npos);
  EXPECT_EQ(html.find("205 Hz"), std::string::npos);
  // A walk: flight time 0 for every stride is said in words, not drawn as a flat line from -0.6 to 0.6 ms.
  json walk = small_session(60);
  for (auto& st : only_foot(walk)["strides"]) st["flight_ms"] = 0.0;
  only_foot(walk)["summary"]["metrics"] = summary_metrics(only_foot(walk)["strides"]);
  html = render_html_report({walk}, {});
  EXPECT_EQ(html.find("<b>Flight time (ms)</b>"), std::string::npos);
  EXPECT_NE(html.find("Flight time: 0 ms for every stride (no flight phase"), std::string::npos);
  EXPECT_NE(html.find("no flight: walking"), std::string::npos) << "and on the scorecard";
}

// ---- the command ----

TEST(ReportCli, WritesOneReportForSeveralSessions) {
  ScratchDir dir;
  write_text(dir / "a.json", small_session(60).dump());
  write_text(dir / "b.json", two_feet(small_session(90), slower_right(small_session(90), 1.1)).dump(2));
  auto r = run_stride({"report", (dir / "a.json").string(), (dir / "b.json").string(), "--html", (dir / "r.html").string(),
                       "--title", "Two runs"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string html = read_text(dir / "r.html");
  EXPECT_NE(html.find("<title>Two runs</title>"), std::string::npos);
  EXPECT_NE(html.find(">Across sessions<"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"s1\">"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"s2\">"), std::string::npos);
  EXPECT_NE(r.err.find("2 sessions"), std::string::npos) << r.err;
  // One session: no across-sessions table; '-' writes to stdout.
  r = run_stride({"report", (dir / "a.json").string(), "--html", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out.find(">Across sessions<"), std::string::npos);
  EXPECT_EQ(r.out.rfind("<!DOCTYPE html>", 0), 0u);
}

TEST(ReportCli, ExplainsInputsItCannotUse) {
  ScratchDir dir;
  // A recording that cannot be analysed (one acceleration axis): the importer's message, naming the file; no report.
  write_text(dir / "run.csv", "# board: x\nt_s,acc_x_mps2\n0,1\n");
  auto r = run_stride({"report", (dir / "run.csv").string(), "--html", (dir / "r.html").string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("run.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r.html")) << "no half report";
  // Broken JSON: the file and the byte offset (counted from 1, as nlohmann does: the second comma is byte 31).
  write_text(dir / "bad.json", "{\"summary\": {\"duration_s\": 12,,}}");
  r = run_stride({"report", (dir / "bad.json").string(), "--html", (dir / "r.html").string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("bad.json' is not valid JSON at byte 31"), std::string::npos) << r.err;
  // JSON, but not a session.
  write_text(dir / "other.json", R"({"low_cadence_spm": 170})");
  r = run_stride({"report", (dir / "other.json").string(), "--html", (dir / "r.html").string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("not a session document"), std::string::npos) << r.err;
  // Arguments: --html is required; a missing file is a bad argument.
  write_text(dir / "ok.json", small_session(40).dump());
  r = run_stride({"report", (dir / "ok.json").string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  r = run_stride({"report", (dir / "missing.json").string(), "--html", (dir / "r.html").string()}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  // An output that cannot be written: a system failure.
  r = run_stride({"report", (dir / "ok.json").string(), "--html", (dir / "no" / "such" / "r.html").string()}, dir);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
}

TEST(ReportCli, ReportsOnWhatAnalyzeWrote) {
  ScratchDir dir;
  const auto rec = dir / "slow.csv";
  auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "260", "--rate", "200", "--cadence", "150",
                       "--seed", "11"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", rec.string(), "--json", (dir / "slow.json").string(), "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"report", (dir / "slow.json").string(), "--html", (dir / "slow.html").string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string html = read_text(dir / "slow.html");
  const json doc = json::parse(read_text(dir / "slow.json"));
  ASSERT_FALSE(doc["flags"].empty());
  for (const auto& f : doc["flags"]) {
    EXPECT_NE(html.find("<code>" + f["id"].get<std::string>() + "</code>"), std::string::npos) << f["id"];
  }
  EXPECT_NE(html.find("Low step rate"), std::string::npos);
  EXPECT_NE(html.find("<b>Foot-strike angle (deg, toe up +)</b>"), std::string::npos);
  EXPECT_EQ(html.find("Tibial shock"), std::string::npos) << "a shoe sensor has no PTA";
  expect_self_contained(html);
}

TEST(ReportCli, ShinSensorShowsTibialShockAndNoSpatialMetric) {
  ScratchDir dir;
  const auto rec = dir / "shin.csv";
  auto r = run_stride({"simulate", "--out", rec.string(), "--placement", "shin", "--strides", "120", "--rate", "200"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", rec.string(), "--json", (dir / "shin.json").string(), "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"report", (dir / "shin.json").string(), "--html", (dir / "shin.html").string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string html = read_text(dir / "shin.html");
  EXPECT_NE(html.find("<b>Tibial shock (PTA) (g)</b>"), std::string::npos);
  EXPECT_NE(html.find("<b>Shank angle at contact"), std::string::npos);
  for (const char* spatial : {"Stride length", "Speed (m/s)", "Foot-strike angle", "Pronation"})
    EXPECT_EQ(html.find(spatial), std::string::npos) << spatial << ": not measured by a shin sensor";
  EXPECT_NE(html.find("<dt>Distance</dt><dd>not measured</dd>"), std::string::npos);
}

// Recordings straight in: the bundled two-feet run (two files recorded together) becomes one two-feet report.
TEST(ReportCli, RecordingsAreAnalysedAndPaired) {
  ScratchDir dir;
  const fs::path base = source_dir() / "recordings";
  const auto r = run_stride({"report", (base / "sim_two_feet_overstride_left.csv").string(),
                             (base / "sim_two_feet_overstride_right.csv").string(), "--html",
                             (dir / "r.html").string()},
                            dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string html = read_text(dir / "r.html");
  for (const char* text : {"overstride", "asymmetry", "Left", "Right", "sim_two_feet_overstride_right.csv"})
    EXPECT_NE(html.find(text), std::string::npos) << text;
  // The flags as analyze writes them: one plain line each on the first screen, before any plot.
  const auto lines = flag_lines(html);
  EXPECT_GE(lines.size(), 3u);
  expect_plain_flag_lines(html, lines.size());
  EXPECT_LT(html.find("<div class=\"score\">"), html.find("<figure>"));
  EXPECT_LT(html.find("<ol class=\"flines\">"), html.find("<figure>"));
  EXPECT_NE(r.err.find("1 session "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stride::test
