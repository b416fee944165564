#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "stride/recording.hpp"
#include "stride/text.hpp"
#include "test_support.hpp"

namespace stride {
namespace {

std::vector<ImuSample> samples_at(std::initializer_list<double> times) {
  std::vector<ImuSample> out;
  for (double t : times) { ImuSample s; s.t_s = t; out.push_back(s); }
  return out;
}

TEST(Recording, MedianIntervalIgnoresRepeatedStampsAndGaps) {
  auto s = samples_at({0.0, 0.01, 0.01, 0.02, 0.03, 0.07, 0.08});
  EXPECT_NEAR(median_interval_s(s), 0.01, 1e-12);
}

TEST(Recording, FindsGapsWithMissingCount) {
  auto s = samples_at({0.0, 0.01, 0.02, 0.05, 0.06});
  auto gaps = find_gaps(s, 0.01);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_DOUBLE_EQ(gaps[0].start_s, 0.02);
  EXPECT_DOUBLE_EQ(gaps[0].end_s, 0.05);
  EXPECT_EQ(gaps[0].missing_samples, 2u);
}

// Issue 14: a gap of absurd length (a garbage stamp) gave "113 gaps (500000000000006943 samples)": llround of a
// ratio beyond 2^63 is unspecified. The count is now clamped before any conversion.
TEST(Recording, AbsurdGapsGiveABoundedMissingCount) {
  auto s = samples_at({0.0, 0.01, 1e300});
  auto gaps = find_gaps(s, 0.01);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].missing_samples, kMaxMissingSamples);
  EXPECT_EQ(missing_samples(1e120, 0.002), kMaxMissingSamples);
  EXPECT_EQ(missing_samples(std::numeric_limits<double>::infinity(), 0.01), kMaxMissingSamples);
  EXPECT_EQ(missing_samples(std::nan(""), 0.01), kMaxMissingSamples);
  EXPECT_EQ(missing_samples(0.05, 0.01), 4u);
  EXPECT_EQ(missing_samples(0.016, 0.01), 1u);
  EXPECT_EQ(missing_samples(0.02, 0.0), kMaxMissingSamples);
}

TEST(Recording, SideAndPlacementNamesRoundTrip) {
  for (auto s : {Side::left, Side::right, Side::unknown}) EXPECT_EQ(side_from_string(to_string(s)), s);
  for (auto p : {Placement::shoe, Placement::shin, Placement::unknown})
    EXPECT_EQ(placement_from_string(to_string(p)), p);
  EXPECT_FALSE(side_from_string("middle").has_value());
}

// ---- excerpt: input quoted in a message ----

TEST(Excerpt, ShortTextIsUnchanged) {
  EXPECT_EQ(excerpt("gyr_x (deg/s)"), "gyr_x (deg/s)");
  EXPECT_EQ(excerpt("acc (m/s\u00B2) \u00B5s \u00B0"), "acc (m/s\u00B2) \u00B5s \u00B0");
  EXPECT_EQ(excerpt(""), "");
}

TEST(Excerpt, CutsOnCodePointsNeverInsideMicroOrDegree) {
  // 79 ASCII characters, then micro signs (2 bytes each): a byte cut at 80 would split the first one.
  const std::string in = std::string(79, 'a') + "\u00B5\u00B5\u00B5\u00B0\u00B0";
  const std::string out = excerpt(in, 80);
  EXPECT_EQ(out, std::string(79, 'a') + "\u00B5...");
  EXPECT_TRUE(test::valid_utf8(out));
  for (std::size_t max = 0; max < 20; ++max) {
    const std::string cut = excerpt("\u00B0\u00B5\u20AC\U0001F3C3x\u00B0", max);
    EXPECT_TRUE(test::valid_utf8(cut)) << max;
  }
}

TEST(Excerpt, EscapesControlsAndBytesThatAreNotUtf8) {
  EXPECT_EQ(excerpt("a\tb\nc\r"), "a\\tb\\nc\\r");
  EXPECT_EQ(excerpt("\x1B[31mred\x1B[0m"), "\\x1B[31mred\\x1B[0m");
  EXPECT_EQ(excerpt("x\x7F"), "x\\x7F");
  EXPECT_EQ(excerpt("\xC2\x9B" "2J"), "\\u009B2J");          // C1 control (CSI)
  EXPECT_EQ(excerpt("caf\xE9 \xFF\xFE"), "caf\\xE9 \\xFF\\xFE");  // Latin-1 and junk
  EXPECT_EQ(excerpt("\xE2\x82"), "\\xE2\\x82");              // a cut 3-byte sequence
  EXPECT_EQ(excerpt("\xED\xA0\x80"), "\\xED\\xA0\\x80");      // a surrogate is not UTF-8
  EXPECT_EQ(excerpt("\xC0\xAF"), "\\xC0\\xAF");              // nor an overlong form
}

TEST(Excerpt, OutputIsBoundedWhateverTheInput) {
  const std::string junk(10'000'000, '\x01');
  const std::string out = excerpt(junk);
  EXPECT_LE(out.size(), 4 * kExcerptChars + 3);
  EXPECT_TRUE(test::valid_utf8(out));
  std::string mixed;
  for (int i = 0; i < 100000; ++i) mixed += static_cast<char>(i * 37 % 256);
  EXPECT_TRUE(test::valid_utf8(excerpt(mixed, 200)));
  EXPECT_LE(excerpt(mixed, 200).size(), 4 * 200 + 3);
}

}  // namespace
}  // namespace stride
