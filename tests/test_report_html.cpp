// The HTML report: the renderer on small hand-made documents (flags explained, null metrics not plotted, hostile
// names escaped, self-contained), and `stride report` end to end (inputs, errors, several sessions).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
  EXPECT_LT(html.find("class=\"flag"), html.find(">Summary<"));
  EXPECT_LT(html.find(">Summary<"), html.find(">Along the run<"));
  EXPECT_LT(html.find("A 30.0 g jolt"), html.find("Low step rate"));
  EXPECT_LT(html.find(">Along the run<"), html.find(">Data quality<"));
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
  EXPECT_NE(html.find("Symmetry index"), std::string::npos);
  EXPECT_EQ(count(html, R"(class="si over")"), 1u) << "contact time +15 % is over the 10 % line, nothing else";
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
  doc["strides"][0]["ic_s"] = 1e300;           // absurd time
  doc["strides"][1]["gct_ms"] = 1e308;         // absurd value
  doc["strides"][2]["gct_ms"] = "fast";        // wrong type
  doc["strides"][3].erase("cadence_spm");      // missing
  doc["flags"][0]["strides"] = nullptr;
  doc["flags"][1].erase("why");
  doc.erase("data_quality");
  doc["summary"]["metrics"]["gct_ms"]["sd"] = nullptr;
  json bare = {{"summary", json::object()}};   // the least a document can be
  json one_foot = {{"session", "two_feet"}, {"feet", {{"left", small_session(30)}}}};
  const std::string html = render_html_report({doc, bare, one_foot}, {});
  EXPECT_NE(html.find("<section id=\"s3\">"), std::string::npos);
  EXPECT_NE(html.find("No metric was measured"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  EXPECT_EQ(html.find("inf<"), std::string::npos);
  EXPECT_TRUE(stride::report::is_session_document(bare));
  EXPECT_FALSE(stride::report::is_session_document(json::array()));
  EXPECT_FALSE(stride::report::is_session_document({{"session", "two_feet"}}));
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
  EXPECT_NE(r.err.find("1 session "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stride::test
