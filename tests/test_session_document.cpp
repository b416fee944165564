// The session document's layouts (tools/document, docs/session-json.md): "schema": "stride.session/2" with the feet
// by side, and the documents earlier versions wrote (tests/data/session_v1/), which the report and the history must
// keep reading exactly as before: the same page, the same history row. An unknown schema is an error that names the
// file and the schema found.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_support.hpp"
#include "tools/document/session_document.hpp"
#include "tools/history/history_save.hpp"
#include "tools/history/history_store.hpp"
#include "tools/report/html_report.hpp"

namespace stride::test {
namespace {

using nlohmann::json;
namespace doc = stride::document;

json old_document(const char* name) {
  return json::parse(read_text(source_dir() / "tests" / "data" / "session_v1" / name));
}

// The same session in the current layout, built by hand from an earlier one: what the readers must treat alike.
json as_current(const json& old) {
  if (old.contains("session")) {  // two feet: the same, "session" gives way to "schema"
    json now = old;
    now.erase("session");
    now["schema"] = doc::kSchema;
    return now;
  }
  json foot = old;  // one sensor: its content goes under its side, the flags stay at the top
  foot.erase("flags");
  return {{"schema", doc::kSchema},
          {"tool", old["tool"]},
          {"feet", {{old["metadata"]["side"].get<std::string>(), foot}}},
          {"bilateral", nullptr},
          {"flags", old["flags"]}};
}

TEST(SessionDocument, LayoutsAndFeet) {
  const json one = old_document("one_foot.json"), two = old_document("two_feet.json");
  EXPECT_EQ(doc::layout_of(one), doc::Layout::one_sensor_v1);
  EXPECT_EQ(doc::layout_of(two), doc::Layout::two_feet_v1);
  EXPECT_EQ(doc::layout_of(as_current(one)), doc::Layout::current);
  EXPECT_EQ(doc::layout_of(json::array()), doc::Layout::not_a_session);
  EXPECT_EQ(doc::layout_of({{"schema", "stride.session/9"}, {"feet", json::object()}}), doc::Layout::unknown_schema);
  EXPECT_EQ(doc::layout_of({{"schema", 2}}), doc::Layout::unknown_schema);

  const auto f1 = doc::feet(one);
  ASSERT_EQ(f1.size(), 1u);
  EXPECT_EQ(f1[0].side, "right");
  EXPECT_EQ(f1[0].doc, &one) << "an earlier one-sensor document is its own foot";
  EXPECT_FALSE(doc::is_two_feet(one));
  const auto f2 = doc::feet(two);
  ASSERT_EQ(f2.size(), 2u);
  EXPECT_EQ(f2[0].side, "left");
  EXPECT_EQ(f2[1].side, "right");
  EXPECT_TRUE(doc::is_two_feet(two));
  // Current layout: left, right, unknown in that order, whatever the keys' order; anything else is not a foot.
  const json current = {{"schema", doc::kSchema},
                        {"feet", {{"unknown", json::object()}, {"middle", json::object()}, {"right", 3}}}};
  const auto f3 = doc::feet(current);
  ASSERT_EQ(f3.size(), 1u);
  EXPECT_EQ(f3[0].side, "unknown");
  EXPECT_EQ(doc::foot_key("left"), "left");
  EXPECT_EQ(doc::foot_key(""), "unknown");
  EXPECT_EQ(doc::foot_key("unknown"), "unknown");
}

std::string readable_error(const json& j, const std::string& source) {
  try {
    doc::check_readable(j, source);
  } catch (const doc::DocumentError& e) {
    return e.what();
  }
  return {};
}

TEST(SessionDocument, UnknownSchemaIsNamedWithTheFile) {
  EXPECT_EQ(readable_error(old_document("one_foot.json"), "a.json"), "");
  EXPECT_EQ(readable_error(old_document("two_feet.json"), "a.json"), "");
  EXPECT_EQ(readable_error(as_current(old_document("one_foot.json")), "a.json"), "");
  const std::string newer = readable_error({{"schema", "stride.session/9"}, {"feet", json::object()}}, "run.json");
  EXPECT_NE(newer.find("run.json: schema 'stride.session/9' is not one this stride reads (it reads stride.session/2"),
            std::string::npos) << newer;
  const std::string other = readable_error({{"schema", "https://example.org/other"}}, "x.json");
  EXPECT_NE(other.find("x.json: schema 'https://example.org/other' is not a stride session document"),
            std::string::npos) << other;
  EXPECT_NE(readable_error({{"schema", 2}}, "y.json").find("y.json: \"schema\" is 2; expected the string"),
            std::string::npos);
  EXPECT_NE(readable_error({{"schema", doc::kSchema}}, "z.json").find("z.json: a stride.session/2 document without"),
            std::string::npos);
  EXPECT_NE(readable_error(json::array(), "w.json").find("w.json: not a session document: a JSON array"),
            std::string::npos);
  // A hostile schema string is cut short in the message.
  EXPECT_LT(readable_error({{"schema", std::string(10000, 'x')}}, "v.json").size(), 300u);
}

// Earlier documents give the same page and the same history row as the same session in the current layout.
TEST(SessionDocument, EarlierDocumentsReadAsBefore) {
  for (const char* name : {"one_foot.json", "two_feet.json"}) {
    SCOPED_TRACE(name);
    const json old = old_document(name);
    const json now = as_current(old);
    ASSERT_TRUE(report::is_session_document(old));
    const std::string html = report::render_html_report({old}, {});
    EXPECT_EQ(html, report::render_html_report({now}, {}));
    EXPECT_NE(html.find("valid of"), std::string::npos);
    EXPECT_EQ(html.find("No session to show"), std::string::npos);
    for (const auto& f : old["flags"]) EXPECT_NE(html.find(f["id"].get<std::string>()), std::string::npos) << f["id"];

    history::SaveOptions options;
    options.date = "2025-03-02";
    const history::SessionRow a = history::session_row_from_document(old, options);
    const history::SessionRow b = history::session_row_from_document(now, options);
    EXPECT_EQ(a.input_file, b.input_file);
    EXPECT_EQ(a.input_hash, b.input_hash);
    EXPECT_EQ(a.two_feet, b.two_feet);
    EXPECT_EQ(a.strides_valid, b.strides_valid);
    EXPECT_EQ(a.metrics.size(), b.metrics.size());
    EXPECT_EQ(a.flags.size(), b.flags.size());
    const auto inputs = history::document_inputs(old);
    EXPECT_EQ(inputs.file, a.input_file);
    EXPECT_EQ(inputs.valid_strides, static_cast<double>(a.strides_valid));
  }
  const auto one = history::session_row_from_document(old_document("one_foot.json"), {});
  EXPECT_FALSE(one.two_feet);
  EXPECT_EQ(one.input_file, "run_25s.csv");
  EXPECT_EQ(one.strides_valid, old_document("one_foot.json")["summary"]["strides_valid"].get<int>());
  EXPECT_GE(one.strides_valid, 8);
  const auto two = history::session_row_from_document(old_document("two_feet.json"), {});
  EXPECT_TRUE(two.two_feet);
  EXPECT_EQ(two.input_file, "pair_left.csv + pair_right.csv");
  EXPECT_NEAR(two.metric_median("cadence_spm"), 170, 10) << "the bilateral cadence, both feet";
}

TEST(SessionDocument, HistoryRefusesAnUnknownSchema) {
  json future = as_current(old_document("one_foot.json"));
  future["schema"] = "stride.session/9";
  try {
    (void)history::session_row_from_document(future, {});
    ADD_FAILURE() << "an unknown schema was read";
  } catch (const history::HistoryError& e) {
    EXPECT_NE(std::string(e.what()).find("schema 'stride.session/9'"), std::string::npos) << e.what();
  }
}

TEST(SessionDocumentCli, ReportOpensEarlierDocumentsAndNamesAnUnknownSchema) {
  ScratchDir dir;
  const auto data = source_dir() / "tests" / "data" / "session_v1";
  auto r = run_stride({"report", (data / "one_foot.json").string(), (data / "two_feet.json").string(), "--html",
                       (dir / "old.html").string()},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(read_text(dir / "old.html").find("<h4>Left foot</h4>"), std::string::npos);

  json future = old_document("two_feet.json");
  future.erase("session");
  future["schema"] = "stride.session/9";
  write_text(dir / "future.json", future.dump());
  r = run_stride({"report", (dir / "future.json").string(), "--html", (dir / "new.html").string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find((dir / "future.json").string() + ": schema 'stride.session/9' is not one this stride reads"),
            std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "new.html"));
}

}  // namespace
}  // namespace stride::test
