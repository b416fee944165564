// The history page renderer (tools/report/history_report) on documents made here: the weekly-load window, names
// escaped, and lenience: any JSON renders to a page without a script and without throwing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tools/report/history_report.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HistoryReport, LastYearOfWeeksAndEscapedNames) {
  json weeks = json::array();
  for (int w = 0; w < 60; ++w) {
    std::string week = "2024-W";  // (appended: g++ 12 warns falsely on "x" + string)
    week += std::to_string(w % 52 + 1);
    weeks.push_back({{"week", week}, {"distance_km", 20 + w % 3}, {"sessions", 3},
                     {"jump_limit_km", w ? json(26.0) : json(nullptr)}, {"acwr", 1.0 + 0.01 * w}});
  }
  const json doc = {{"athlete", "<script>alert(1)</script>"}, {"weeks", weeks}, {"settings", {{"weekly_jump_rel", 0.3}}}};
  const std::string html = report::render_history_report({doc}, {});
  EXPECT_NE(html.find("The last 52 of 60 weeks"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<rect class=\"col"), 52u);
  EXPECT_EQ(occurrences(html, "<rect class=\"col over\""), 0u);  // 20-22 km under the 26 km line
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>"), std::string::npos);
  EXPECT_NE(html.find("Acute:chronic load at the end of each week"), std::string::npos);  // 52 finite ratios
}

// A long history: the newest 100 sessions in the table, charts as lines without a dot per session.
TEST(HistoryReport, LongHistoryKeepsThePageSmall) {
  json sessions = json::array();
  for (int i = 0; i < 150; ++i) {
    std::string id = i < 10 ? "s00" : i < 100 ? "s0" : "s";
    id += std::to_string(i);
    sessions.push_back({{"start_time", id}, {"start_day", 20000 + 2 * i}, {"metrics", {{"cadence_spm", 170 + i % 4}}}});
  }
  const std::string html = report::render_history_report({{{"athlete", "ana"}, {"sessions", sessions}}}, {});
  EXPECT_NE(html.find("The newest 100 of 150 sessions"), std::string::npos);
  EXPECT_NE(html.find("<td>s149</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>s050</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td>s049</td>"), std::string::npos);
  EXPECT_NE(html.find("Cadence (steps/min)"), std::string::npos);
  EXPECT_EQ(html.find("<circle"), std::string::npos);
  sessions.erase(sessions.begin() + 2, sessions.end());  // two sessions: every one shown, each a dot
  const std::string two = report::render_history_report({{{"athlete", "ana"}, {"sessions", sessions}}}, {});
  EXPECT_EQ(two.find("The newest"), std::string::npos);
  EXPECT_EQ(occurrences(two, "<circle"), 2u);
}

TEST(HistoryReport, AnyJsonRendersWithoutThrowing) {
  for (const char* text : {"null", "[]", "{}", R"({"weeks": {"a": 1}, "sessions": "x", "shoes": 3})",
                           R"({"sessions": [1, null, {"metrics": []}], "load": {"flags": {"id": 1}}})",
                           R"({"weeks": [null, {"week": 5, "distance_km": -3}], "athlete": 7})"}) {
    SCOPED_TRACE(text);
    std::string html;
    EXPECT_NO_THROW(html = report::render_history_report({json::parse(text)}, {}));
    EXPECT_NE(html.find("</html>"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("nan"), std::string::npos);
  }
  EXPECT_NE(report::render_history_report({}, {}).find("No athlete to show"), std::string::npos);
}

}  // namespace
}  // namespace stride::test
