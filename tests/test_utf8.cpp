// Text leaves the program as valid UTF-8 (include/stride/utf8.hpp), and names on a terminal cannot drive it. End to
// end: a recording whose metadata is Latin-1, whose skipped row holds a glitched byte, and whose athlete name holds
// an escape sequence, through analyze --json, --save and history.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "session_doc.hpp"
#include "stride/utf8.hpp"
#include "test_support.hpp"

namespace stride::test {
namespace {

TEST(Utf8, ValidTextIsKeptAndOtherBytesAreDecodedAsWindows1252) {
  EXPECT_EQ(utf8::to_valid("J\xC3\xB6rg 25 \xC2\xB5s"), "J\xC3\xB6rg 25 \xC2\xB5s");        // already UTF-8
  EXPECT_EQ(utf8::to_valid("J\xF6rg"), "J\xC3\xB6rg");                                        // Latin-1 ö
  EXPECT_EQ(utf8::to_valid("\x80 \x93quoted\x94"), "\xE2\x82\xAC \xE2\x80\x9Cquoted\xE2\x80\x9D");  // cp1252 € “ ”
  EXPECT_EQ(utf8::to_valid("\x81"), "\xEF\xBF\xBD");                                          // a hole: U+FFFD
  EXPECT_EQ(utf8::to_valid("a\xC3"), "a\xC3\x83");                 // a sequence cut at the end: its byte decoded
  EXPECT_EQ(utf8::to_valid("\xED\xA0\x80"), "\xC3\xAD\xC2\xA0\xE2\x82\xAC");  // a surrogate is not valid UTF-8
  EXPECT_EQ(utf8::to_valid("\xC0\xAF"), "\xC3\x80\xC2\xAF");       // nor an overlong '/'
  for (const char* s : {"J\xF6rg", "\xFF\xFE", "a\xC3", "\xE2\x82"}) EXPECT_TRUE(utf8::is_valid(utf8::to_valid(s))) << s;
}

TEST(Utf8, CutNeverSplitsASequence) {
  const std::string mu = "ab\xC2\xB5" "cd";        // "abµcd": µ is bytes 2-3
  EXPECT_EQ(utf8::cut(mu, 3), "ab");
  EXPECT_EQ(utf8::cut(mu, 4), "ab\xC2\xB5");
  EXPECT_EQ(utf8::cut(mu, 99), mu);
  EXPECT_EQ(utf8::cut("\xE2\x82\xAC", 2), "");
}

TEST(Utf8, ExcerptCutsBetweenCharactersNeverInsideMicroOrDegree) {
  // 79 ASCII characters, then micro signs (2 bytes each): a byte cut at 80 would split the first one.
  const std::string in = std::string(79, 'a') + "\xC2\xB5\xC2\xB5\xC2\xB5\xC2\xB0";
  EXPECT_EQ(utf8::excerpt(in), std::string(79, 'a') + "\xC2\xB5...");
  EXPECT_EQ(utf8::excerpt("gyr_x (deg/s) 25 \xC2\xB5s \xC2\xB0"), "gyr_x (deg/s) 25 \xC2\xB5s \xC2\xB0");
  EXPECT_EQ(utf8::excerpt(""), "");
  for (std::size_t max = 0; max < 20; ++max)
    EXPECT_TRUE(utf8::is_valid(utf8::excerpt("\xC2\xB0\xC2\xB5\xE2\x82\xAC\xF0\x9F\x8F\x83x\xC2\xB0", max))) << max;
}

TEST(Utf8, ExcerptEscapesControlsAndDecodesOtherBytesAsPrintable) {
  EXPECT_EQ(utf8::excerpt("\x1B]0;pwned\x07\x1B[2J"), "\\x1B]0;pwned\\x07\\x1B[2J");
  EXPECT_EQ(utf8::excerpt("a\tb\nc\x7F"), "a\\x09b\\x0Ac\\x7F");
  EXPECT_EQ(utf8::excerpt("\xC2\x9B" "2J"), "\\x9B2J");  // C1 CSI
  EXPECT_EQ(utf8::excerpt("caf\xE9"), utf8::to_valid("caf\xE9"));
  // An escape counts as the 4 characters it prints, and is never cut.
  EXPECT_EQ(utf8::excerpt("ab\x1B", 5), "ab...");
  EXPECT_EQ(utf8::excerpt("ab\x1B", 6), "ab\\x1B");
}

TEST(Utf8, ExcerptIsBoundedWhateverTheInput) {
  const std::string junk(10'000'000, '\x01');
  const std::string out = utf8::excerpt(junk);
  EXPECT_LE(out.size(), 4 * utf8::kExcerptChars + 3);
  EXPECT_TRUE(utf8::is_valid(out));
  std::string mixed;
  for (int i = 0; i < 100000; ++i) mixed += static_cast<char>(i * 37 % 256);
  EXPECT_TRUE(utf8::is_valid(utf8::excerpt(mixed, 200)));
  EXPECT_LE(utf8::excerpt(mixed, 200).size(), 4 * 200 + 3);
  EXPECT_TRUE(utf8::is_valid(utf8::excerpt(mixed, 200)));
}

TEST(Utf8, PrintableEscapesControlCharacters) {
  EXPECT_EQ(utf8::printable("\x1B[31mEvil\x1B]0;title\x07"), "\\x1B[31mEvil\\x1B]0;title\\x07");
  EXPECT_EQ(utf8::printable("tab\there\x7F"), "tab\\x09here\\x7F");
  EXPECT_EQ(utf8::printable("\xC2\x9B" "2J"), "\\x9B2J");          // C1 CSI, as UTF-8
  EXPECT_EQ(utf8::printable("J\xF6rg"), "J\xC3\xB6rg");
}

// A native recording with the given athlete line and one glitched row, from the bundled run.
std::string recording_with(const std::string& athlete) {
  std::string text = read_text(source_dir() / "recordings/sim_run_rearfoot_3.5mps.csv");
  const auto at = text.find("# athlete: ");
  text.replace(at, text.find('\n', at) - at, "# athlete: " + athlete);
  const auto row = text.find('\n', text.find("t_s,") + 100) + 1;  // a data row: one cell gets a glitched byte
  text.insert(text.find(',', row) + 1, 1, '\xFF');  // (count, char): g++ 12 warns -Wrestrict on the char* form
  return text;
}

TEST(Utf8Cli, LatinOneAndGlitchedBytesGiveValidJsonAndAHistoryThatReadsBack) {
  ScratchDir dir;
  write_text(dir / "run.csv", recording_with("J\xF6rg \x1B[31mR\x1B[0m"));
  const auto db = (dir / "h.sqlite").string();
  const RunResult r =
      run_stride({"analyze", (dir / "run.csv").string(), "--json", (dir / "a.json").string(), "--save", "--db", db,
                  "--date", "2026-01-01"},
                 dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string text = read_text(dir / "a.json");
  EXPECT_TRUE(utf8::is_valid(text));
  const auto doc = only_foot(nlohmann::json::parse(text));  // throws on invalid UTF-8
  EXPECT_EQ(doc["metadata"]["athlete"], "J\xC3\xB6rg \x1B[31mR\x1B[0m");   // decoded, nothing dropped
  EXPECT_GE(doc["import"]["skipped_lines"].get<int>(), 1);
  EXPECT_TRUE(doc["import"]["issues"].dump().find("\xC3\xBF") != std::string::npos) << doc["import"]["issues"];  // the glitched 0xFF, as ÿ
  for (int k = 0; k < 2; ++k) {  // the history gives it back, every time
    const RunResult h = run_stride({"history", "--db", db, "--json"}, dir);
    ASSERT_EQ(h.exit_code, 0) << h.describe();
    EXPECT_TRUE(utf8::is_valid(h.out));
    EXPECT_NE(h.out.find("J\xC3\xB6rg"), std::string::npos);
  }
  const RunResult t = run_stride({"history", "--db", db}, dir);
  ASSERT_EQ(t.exit_code, 0) << t.describe();
  EXPECT_EQ(t.out.find('\x1B'), std::string::npos) << "an escape sequence reached the terminal";
  EXPECT_NE(t.out.find("J\xC3\xB6rg \\x1B[31mR"), std::string::npos) << t.out;
}

}  // namespace
}  // namespace stride::test
