// The input hash of a session document (input.fnv1a64) is computed while the reader reads the file: it must equal
// the hash of the file's bytes read on their own (session::hash_files, how it was computed before), for every kind
// of input import_input reads in one pass.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "firmware_iface/import/content_hash.hpp"
#include "firmware_iface/import/import_input.hpp"
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
  std::string text(3'500'000, '\0');  // several of the hashing thread's 1 MiB blocks, more than it queues
  std::mt19937 rng(3);
  for (char& c : text) c = static_cast<char>(rng());
  io::Fnv1a64 expected;
  expected.update(text.data(), text.size());
  for (const std::size_t stop : {std::size_t{0}, std::size_t{1}, std::size_t{70'000}, std::size_t{2'100'000}, text.size()}) {
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
    EXPECT_EQ(hashing.finish().hex(), expected.hex()) << "stopped after " << stop << " bytes";
  }
}

// A reader that gives up (an import error) destroys the buffer without finish(): the hashing thread stops.
TEST(ContentHash, StreambufStopsItsThreadWhenAbandoned) {
  const std::string text(5'000'000, 'x');
  for (const std::streamsize read : {std::streamsize{0}, std::streamsize{10}, std::streamsize{4'999'999}}) {
    std::stringbuf source(text);
    io::HashingStreambuf hashing(source, {});
    std::istream in(&hashing);
    std::string got(static_cast<std::size_t>(read), '\0');
    in.read(got.data(), read);
    EXPECT_EQ(in.gcount(), read);
  }  // (a hang here is the failure)
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

// A folder export is hashed by the member files it was read from (the folder itself has no bytes: every folder
// hashed alike, and the history, keyed by the hash, took a second export for the first).
TEST(ContentHash, FolderExportIsHashedByTheFilesItWasReadFrom) {
  const std::string folder = recording("recordings/reference/formats/phyphox");
  const io::Imported imported = io::import_input({folder});
  EXPECT_FALSE(imported.report.fnv1a64.has_value());
  ASSERT_FALSE(imported.report.files.empty());
  for (const auto& f : imported.report.files) EXPECT_EQ(f.rfind(folder, 0), 0u) << f;
  const std::string hash = session::input_hash(imported, {folder});
  EXPECT_EQ(hash, session::hash_files(imported.report.files));
  EXPECT_NE(hash, io::Fnv1a64{}.hex()) << "the hash of no bytes";
}

}  // namespace
}  // namespace stride
