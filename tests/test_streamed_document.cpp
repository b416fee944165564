// The session document written one stride at a time (tools/session/streamed_document.hpp): the same bytes as the
// whole document's dump(), indented and compact, for one foot, two feet and several sessions; and the session's
// memory grows by a few hundred bytes a stride, not by the kilobytes a stride's JSON object costs.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "alloc_counter.hpp"
#include "cli_runner.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"
#include "tools/session/analyze_session.hpp"
#include "tools/session/streamed_document.hpp"

namespace stride::session {
namespace {

using nlohmann::json;

struct Written {
  std::string text;
  std::size_t pieces = 0, largest_piece = 0;
};

Written written(const StreamedDocument& doc, int indent) {
  Written w;
  doc.write(
      [&](std::string_view piece) {
        w.text += piece;
        ++w.pieces;
        w.largest_piece = std::max(w.largest_piece, piece.size());
      },
      indent);
  return w;
}

// Both layouts the command writes: indent 2 (a file, or one session on stdout) and compact (several on stdout).
void expect_written_as_dumped(const StreamedDocument& doc, const std::string& what) {
  const json whole = doc.materialise();
  EXPECT_EQ(written(doc, 2).text, whole.dump(2)) << what << ", indent 2";
  EXPECT_EQ(written(doc, -1).text, whole.dump()) << what << ", compact";
}

std::size_t strides_in(const json& doc, const char* foot) { return doc["feet"][foot]["strides"].size(); }

std::string recording(const char* name) { return (test::source_dir() / "recordings" / name).string(); }

TEST(StreamedDocument, OneFootIsWrittenAsTheWholeDocumentDumps) {
  AnalyzeRequest q;
  q.stream_above_samples = 0;  // the streaming path, as a long file takes it
  const SessionOutcome out = analyse_session({recording("sim_run_rearfoot_3.5mps.csv"), "", ""}, q);
  ASSERT_TRUE(out.analysed()) << out.error;
  ASSERT_GE(strides_in(out.doc.materialise(), "right"), 20u);
  EXPECT_EQ(strides_in(out.doc.without_strides(), "right"), 0u) << "the strides are not held as JSON";
  expect_written_as_dumped(out.doc, "one foot");
}

TEST(StreamedDocument, TwoFeetAreWrittenAsTheWholeDocumentDumps) {
  const SessionOutcome out = analyse_session(
      {recording("sim_two_feet_overstride_left.csv"), recording("sim_two_feet_overstride_right.csv"), ""}, {});
  ASSERT_TRUE(out.analysed()) << out.error;
  const json whole = out.doc.materialise();
  ASSERT_GE(strides_in(whole, "left"), 20u);
  ASSERT_GE(strides_in(whole, "right"), 20u);
  ASSERT_TRUE(whole["bilateral"].is_object());
  expect_written_as_dumped(out.doc, "two feet");
}

// Everything json's serializer does that the writer lays out itself or must indent: empty containers on and off the
// way to the strides, a foot with no strides, keys and strings to escape (quotes, control characters, non-ASCII,
// bytes that are not UTF-8, in the document and in a stride), nested arrays, a foot key with no foot (ignored), and
// enough strides for several pieces.
TEST(StreamedDocument, EscapesEmptiesAndNestingAsTheSerializerDoes) {
  json doc = {{"schema", "stride.session/2"},
              {"a \"quoted\"\nkey\t\u00e9", {{"x", json::array()}, {"y", json::object()}, {"z", {1, {2, {3}}}}}},
              {"feet",
               {{"left", {{"input", {{"file", "l\u00e4uft \\ \"1\".csv"}}}, {"strides", json::array()}, {"w", {}}}},
                {"right", {{"strides", {"placeholder"}}, {"zz", json::object()}}},
                {"unknown", {{"strides", json::array()}}}}},
              {"flags", json::array()},
              {"n", 1.0 / 3.0}};
  StreamedDocument streamed(doc);
  std::vector<Stride> right(400);
  for (std::size_t k = 0; k < right.size(); ++k) {
    right[k].ic_s = 0.7 * static_cast<double>(k);
    right[k].notes.edit() = {k % 2 ? "a \"reason\"\n\x01" : "caf\xe9 \xff not UTF-8", {"x", "\xc3"}, "\u00b0"};
  }
  streamed.add_strides("right", right);
  streamed.add_strides("left", {});
  streamed.add_strides("nobody", right);  // no such foot: ignored
  EXPECT_FALSE(streamed.materialise()["feet"].contains("nobody"));
  ASSERT_EQ(strides_in(streamed.materialise(), "right"), 400u);
  EXPECT_EQ(streamed.materialise()["feet"]["right"]["strides"][1]["invalid_codes"][1], "\u00c3")
      << "a stride's strings are made valid UTF-8 as the document's are";
  expect_written_as_dumped(streamed, "made by hand");

  const Written w = written(streamed, 2);
  EXPECT_GE(w.pieces, 3u) << "~450 KB of text comes in 64 KiB pieces, not as one string";
  EXPECT_LT(w.largest_piece, (std::size_t{64} << 10) + 4096);
  EXPECT_EQ(written(StreamedDocument(doc), 2).text, doc.dump(2)) << "no strides added: the document as it is";
  EXPECT_EQ(written(StreamedDocument(), 2).text, "null");
}

// `stride analyze A B --json -`: one compact document a line, each the session's whole document.
TEST(StreamedDocument, SeveralSessionsOnStdoutAreOneCompactDocumentALine) {
  const test::ScratchDir dir;
  const std::string a = recording("sim_run_rearfoot_3.5mps.csv"), b = recording("sim_walk_1.4mps.csv");
  const auto r = test::run_stride({"analyze", a, b, "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const auto lines = test::split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out.substr(0, 300);
  EXPECT_EQ(lines[0], analyse_session({a, "", ""}, {}).doc.materialise().dump());
  EXPECT_EQ(lines[1], analyse_session({b, "", ""}, {}).doc.materialise().dump());
  const auto one = test::run_stride({"analyze", a, "--json", "-"}, dir);  // one session: indented
  ASSERT_EQ(one.exit_code, 0) << one.describe();
  EXPECT_EQ(one.out, analyse_session({a, "", ""}, {}).doc.materialise().dump(2) + "\n");
}

// What a session keeps per stride, measured as the heap's peak over analysing a file and writing its document:
// 10 and 40 minutes of running at 200 Hz, streamed. A stride's JSON object alone is ~2.7 KB (and the document used
// to hold it twice while it was built, plus ~1.4 KB of text: ~7-9 KB a stride). The growth was ~710 B a stride
// while the strides' and events' vectors doubled and the flag rules copied every valid Stride, then 512 B (~530 B
// measured) with the strides and events in exact vectors and a 112-B rule record per valid stride. Now a Stride is
// 240 B (its words behind one pointer), its two events 64 B, and the rules hold a 4-B index: ~310 B (309 B
// measured; 354 B before the chunks of the pass's lists were sized to go back to the system when moved). Below that needs the Strides out of memory
// (docs/measuring.md).
TEST(StreamedDocument, SessionPeakGrowsByAStrideAndItsEvents) {
  const test::ScratchDir dir;
  const auto peak_of = [&](int minutes, std::size_t& strides) {
    sim::Settings s;
    s.strides = minutes * 85;
    s.rate_hz = 200;
    s.seed = 41;
    const std::string path = (dir / (std::to_string(minutes) + ".csv")).string();
    {
      std::ofstream out(path);
      io::write_native(out, sim::simulate(s).recording);
    }
    AnalyzeRequest q;
    q.stream_above_samples = 0;
    const test::PeakMeter meter;
    {
      const SessionOutcome out = analyse_session({path, "", ""}, q);
      out.doc.write([](std::string_view) {}, 2);
      strides = out.doc.without_strides()["feet"]["right"]["summary"]["strides_total"].get<std::size_t>();
    }
    const std::size_t peak = meter.peak_bytes();
    return peak;
  };
  std::size_t strides10 = 0, strides40 = 0;
  const std::size_t peak10 = peak_of(10, strides10), peak40 = peak_of(40, strides40);
  ASSERT_GT(strides40, 3 * strides10);
  const double per_stride =
      static_cast<double>(peak40 - std::min(peak40, peak10)) / static_cast<double>(strides40 - strides10);
  std::printf("  peak %zu B (%zu strides) -> %zu B (%zu strides): %.0f B a stride\n", peak10, strides10, peak40,
              strides40, per_stride);
  EXPECT_LT(per_stride, 380.0);
}

}  // namespace
}  // namespace stride::session
