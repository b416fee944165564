// The input hash of a session document (input.fnv1a64) is computed while the reader reads the file: it must equal
// the hash of the file's bytes read on their own (session::hash_files, how it was computed before), for every kind
// of input import_input reads in one pass; and the CSV reader's number parser must read every number bit for bit as
// std::from_chars does.
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "firmware_iface/import/content_hash.hpp"
#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/protocol/parse_number.hpp"
#include "test_paths.hpp"
#include "tools/session/session_json.hpp"

namespace stride {
namespace {

namespace fs = std::filesystem;

std::string recording(const std::string& rel) { return (fs::path(test_paths::source_dir) / rel).string(); }

TEST(ContentHash, Fnv1a64KnownVectors) {
  io::Fnv1a64 h;
  EXPECT_EQ(h.hex(), "cbf29ce484222325");  // the offset basis: no bytes
  h.update("a", 1);
  EXPECT_EQ(h.hex(), "af63dc4c8601ec8c");  // the published FNV-1a 64 vector for "a"
  io::Fnv1a64 split;                       // carried over: "foo" then "bar" hashes as "foobar"
  split.update("foo", 3);
  split.update("bar", 3);
  io::Fnv1a64 whole;
  whole.update("foobar", 6);
  EXPECT_EQ(split.hex(), whole.hex());
  EXPECT_EQ(whole.hex(), "85944171f73967e8");
}

// Every byte handed out is hashed once, whatever mix of small gets, large reads and unread tail the reader leaves.
TEST(ContentHash, StreambufHashesEveryByteOnceWhateverTheReads) {
  std::string text(300'000, '\0');
  std::mt19937 rng(3);
  for (char& c : text) c = static_cast<char>(rng());
  io::Fnv1a64 expected;
  expected.update(text.data(), text.size());
  for (const std::size_t stop : {std::size_t{0}, std::size_t{1}, std::size_t{70'000}, text.size()}) {
    std::stringbuf source(text);
    io::HashingStreambuf hashing(source, {});
    std::istream in(&hashing);
    std::string got;
    std::vector<char> block(100'000);
    while (got.size() < stop) {  // single characters, then a large block, then a few more characters
      if (got.size() % 3 == 0) {
        const int c = in.get();
        if (c == EOF) break;
        got += static_cast<char>(c);
      } else {
        in.read(block.data(), static_cast<std::streamsize>(std::min(block.size(), stop - got.size())));
        got.append(block.data(), static_cast<std::size_t>(in.gcount()));
      }
    }
    EXPECT_EQ(got, text.substr(0, got.size()));
    hashing.drain();
    EXPECT_EQ(hashing.hash().hex(), expected.hex()) << "stopped after " << stop << " bytes";
  }
}

void expect_hash_while_reading(const std::vector<std::string>& parts, const std::vector<std::string>& in_order) {
  const io::Imported imported = io::import_input(parts);
  ASSERT_TRUE(imported.report.fnv1a64.has_value()) << parts.front();
  EXPECT_EQ(io::Fnv1a64{*imported.report.fnv1a64}.hex(), session::hash_files(in_order)) << parts.front();
  EXPECT_EQ(session::input_hash(imported, parts), session::hash_files(in_order)) << parts.front();
}

TEST(ContentHash, EqualsTheFilesBytesForEveryKindReadInOnePass) {
  for (const char* rel : {"recordings/sim_walk_1.4mps.csv",                                  // native CSV
                          "recordings/reference/gaitmap_example/imu_sample.csv",            // gaitmap layout
                          "recordings/reference/formats/utf16/unicode_text.txt",            // UTF-16, transcoded
                          "recordings/reference/formats/witmotion/bwt901ble_frames.bin",    // binary
                          "recordings/reference/formats/movesense/imu6_104hz_lines.json",   // JSON lines
                          "recordings/reference/formats/movesense/logbook_imu6_104hz.json"}) {  // one JSON document
    const std::string path = recording(rel);
    expect_hash_while_reading({path}, {path});
  }
}

// An app's accelerometer file and gyroscope file: the document hashes them accelerometer first (report.files),
// in whichever order they were given.
TEST(ContentHash, TwoPartsHashAccelerometerThenGyroscopeInEitherOrder) {
  const std::string acc = recording("recordings/reference/formats/phyphox/Accelerometer.csv");
  const std::string gyr = recording("recordings/reference/formats/phyphox/Gyroscope.csv");
  expect_hash_while_reading({acc, gyr}, {acc, gyr});
  expect_hash_while_reading({gyr, acc}, {acc, gyr});
  EXPECT_NE(session::hash_files({acc, gyr}), session::hash_files({gyr, acc}));  // the order matters
}

// A folder or zip export is hashed as before (the reader sees only some members' bytes): from report.files.
TEST(ContentHash, FolderExportFallsBackToItsFiles) {
  const std::string folder = recording("recordings/reference/formats/phyphox");
  const io::Imported imported = io::import_input({folder});
  EXPECT_FALSE(imported.report.fnv1a64.has_value());
  EXPECT_EQ(session::input_hash(imported, {folder}), session::hash_files({folder}));
}

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// fast_float against std::from_chars: the same value, bit for bit, and the same end and error, on the numbers
// recordings hold (shortest round-trip doubles, fixed decimals, exponents, integers) and on text that is not one.
TEST(ContentHash, NumberParserReadsAsStdFromChars) {
  std::mt19937_64 rng(7);
  std::vector<std::string> cells = {"0",     "-0",   "1e400", "-1e400", "1e-400", "nan",   "inf",   "-inf", "infinity",
                                    "1.5x",  "1e",   "1e+",   ".5",     "5.",     "0x1p3", "",      "-",    "abc",
                                    "1,5",   "9007199254740993", "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308",
                                    "0.1000000000000000055511151231257827021181583404541015625"};
  std::uniform_real_distribution<double> uniform(-50.0, 50.0);
  std::uniform_int_distribution<int> exponent(-320, 308);
  char buf[64];
  for (int i = 0; i < 200'000; ++i) {
    const double v = i % 2 ? uniform(rng) : std::ldexp(uniform(rng), exponent(rng) / 4);
    cells.emplace_back(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);  // shortest form (the native format)
    cells.emplace_back(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.9g", v)));
    cells.emplace_back(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.6f", v)));
    cells.emplace_back(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.20e", v)));
    cells.push_back(std::to_string(static_cast<long long>(rng() >> (rng() % 64))));
  }
  std::size_t differing = 0;
  for (const auto& c : cells) {
    double a = 12345.0, b = 12345.0;
    const auto ra = io::detail::parse_double(c.data(), c.data() + c.size(), a);
    const auto rb = std::from_chars(c.data(), c.data() + c.size(), b);
    const bool same = ra.ec == rb.ec && ra.ptr == rb.ptr && (bits(a) == bits(b) || (std::isnan(a) && std::isnan(b)));
    differing += same ? 0 : 1;
    EXPECT_TRUE(same) << "'" << c << "': " << a << " vs " << b;
    if (differing > 5) break;
  }
  EXPECT_EQ(differing, 0u);
}

}  // namespace
}  // namespace stride
