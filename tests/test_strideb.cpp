// The binary native recording (.strideb, docs/strideb.md): exact round trips, block-wise reading in any chunk size,
// a cut file read up to its last whole block, a damaged block skipped and named by its byte offset, refused headers.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "cli_runner.hpp"
#include "firmware_iface/protocol/strideb.hpp"

namespace stride::io {
namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void expect_identical(const std::vector<ImuSample>& a, const std::vector<ImuSample>& b, std::size_t b_from = 0) {
  ASSERT_GE(a.size(), b_from + b.size());
  for (std::size_t i = 0; i < b.size(); ++i) {
    const ImuSample& x = a[b_from + i];
    const ImuSample& y = b[i];
    ASSERT_TRUE(same_bits(x.t_s, y.t_s)) << "sample " << i << " t " << x.t_s << " vs " << y.t_s;
    for (int k = 0; k < 3; ++k) {
      ASSERT_TRUE(same_bits(x.acc_mps2[k], y.acc_mps2[k])) << "sample " << i << " acc " << k;
      ASSERT_TRUE(same_bits(x.gyr_rad_s[k], y.gyr_rad_s[k])) << "sample " << i << " gyr " << k;
    }
    ASSERT_EQ(x.clipped, y.clipped) << "sample " << i;
  }
}

// Random samples at 500 Hz with the awkward values a file must keep: NaN (no gyro), infinities, -0, subnormals,
// the extremes of double, and every clip bit.
Recording awkward_recording(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> v(0.0, 20.0);
  Recording rec;
  rec.meta.board = "ESP32-C3 + LSM6DSO \xC3\xA9\xE2\x9C\x93";  // UTF-8 kept
  rec.meta.sensor = "LSM6DSO";
  rec.meta.placement = Placement::shin;
  rec.meta.side = Side::right;
  rec.meta.rate_hz = 500;
  rec.meta.acc_range_g = 16;
  rec.meta.gyr_range_dps = 2000;
  rec.meta.athlete = "Ana \"quoted\"\nnew line";
  rec.meta.shoe = "Kinvara 14";
  rec.meta.start_time = "2026-12-07T05:00:00Z";
  rec.meta.extra = {{"session_id", "20261207T050000Z-42"}, {"calibration.acc_bias", "0.01 -0.02 0.03"}, {"k", ""}};
  const double odd[] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), -0.0,
                        std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                        -std::numeric_limits<double>::lowest()};
  for (std::size_t i = 0; i < n; ++i) {
    ImuSample s;
    s.t_s = static_cast<double>(i) / 500.0;
    s.acc_mps2 = Eigen::Vector3d(v(rng), v(rng), v(rng));
    s.gyr_rad_s = Eigen::Vector3d(v(rng), v(rng), v(rng));
    s.clipped = static_cast<std::uint8_t>(i % 128);
    if (i % 97 == 5) s.gyr_rad_s[static_cast<int>(i % 3)] = odd[i % 6];
    rec.samples.push_back(s);
  }
  rec.clock_marks = {{0.5, 1.8e9 + 0.123456789}, {1.5, 1.8e9 + 1.1234}, {1e9, 2e9}};  // the last after every sample
  return rec;
}

std::string bytes_of(const Recording& rec, std::size_t block_samples) {
  std::ostringstream out;
  write_strideb(out, rec, block_samples);
  return out.str();
}

Imported read_bytes(const std::string& bytes) {
  std::istringstream in(bytes);
  return import_strideb(in, "mem.strideb");
}

std::size_t header_bytes(const RecordingMeta& meta) {
  Recording empty;
  empty.meta = meta;
  return bytes_of(empty, 1).size();
}

// A recording without clock marks in blocks of `per` samples: block k starts at header + k * block bytes.
struct Blocks {
  Recording rec;
  std::string bytes;
  std::size_t header = 0, per = 0, block = 0;
  std::size_t at(std::size_t k) const { return header + k * block; }
};

Blocks plain_blocks(std::size_t n, std::size_t per) {
  Blocks b;
  b.rec = awkward_recording(n, 7);
  b.rec.clock_marks.clear();
  b.bytes = bytes_of(b.rec, per);
  b.header = header_bytes(b.rec.meta);
  b.per = per;
  b.block = strideb::kBlockHeaderBytes + per * strideb::kSampleBytes;
  return b;
}

TEST(Strideb, RoundTripIsExactForSamplesMetadataAndClockMarks) {
  const Recording rec = awkward_recording(2500, 1);
  for (std::size_t per : {std::size_t{1}, std::size_t{333}, std::size_t{4096}}) {
    const Imported got = read_bytes(bytes_of(rec, per));
    expect_identical(rec.samples, got.recording.samples);
    ASSERT_EQ(got.recording.samples.size(), rec.samples.size());
    const auto& m = got.recording.meta;
    EXPECT_EQ(m.board, rec.meta.board);
    EXPECT_EQ(m.sensor, rec.meta.sensor);
    EXPECT_EQ(m.placement, Placement::shin);
    EXPECT_EQ(m.side, Side::right);
    EXPECT_EQ(m.rate_hz, 500.0);
    EXPECT_EQ(m.acc_range_g, 16.0);
    EXPECT_EQ(m.gyr_range_dps, 2000.0);
    EXPECT_EQ(m.athlete, rec.meta.athlete);
    EXPECT_EQ(m.shoe, rec.meta.shoe);
    EXPECT_EQ(m.start_time, rec.meta.start_time);
    EXPECT_EQ(m.extra, rec.meta.extra);
    ASSERT_EQ(got.recording.clock_marks.size(), rec.clock_marks.size());
    for (std::size_t k = 0; k < rec.clock_marks.size(); ++k) {
      EXPECT_TRUE(same_bits(got.recording.clock_marks[k].t_s, rec.clock_marks[k].t_s));
      EXPECT_TRUE(same_bits(got.recording.clock_marks[k].unix_s, rec.clock_marks[k].unix_s));
    }
    EXPECT_EQ(got.report.format, "strideb");
    EXPECT_EQ(got.report.skipped, 0u);
    EXPECT_TRUE(got.report.issues.empty());
    EXPECT_TRUE(got.report.notes.empty());
    EXPECT_EQ(got.report.samples, rec.samples.size());
  }
}

TEST(Strideb, SizeIsTheLayoutsAndFarBelowTheCsvs) {
  const Blocks b = plain_blocks(4096 * 3, 4096);
  EXPECT_EQ(b.bytes.size(), b.header + 3 * b.block);
  std::ostringstream csv;
  write_native(csv, b.rec);
  EXPECT_LT(b.bytes.size(), csv.str().size() * 6 / 10) << "57 bytes a sample vs the CSV's shortest decimals";
}

TEST(Strideb, BlockWiseReadsInAnyChunkSizeGiveTheWholeFile) {
  Recording rec = awkward_recording(5000, 2);
  rec.samples.erase(rec.samples.begin() + 1000, rec.samples.begin() + 1050);  // a gap of 50 samples
  const std::string bytes = bytes_of(rec, 700);
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::size_t> size(1, 1500);
  std::istringstream in(bytes);
  StridebReader reader(in, "mem.strideb");
  EXPECT_EQ(reader.version(), 1);
  EXPECT_EQ(reader.meta().side, Side::right);  // known before any sample is read
  std::vector<ImuSample> all, chunk;
  for (;;) {
    chunk.resize(size(rng));
    const std::size_t got = reader.read(chunk);
    if (got == 0) break;
    all.insert(all.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
  }
  ASSERT_EQ(all.size(), rec.samples.size());
  expect_identical(rec.samples, all);
  EXPECT_EQ(reader.clock_marks().size(), rec.clock_marks.size());
  EXPECT_EQ(reader.read(chunk), 0u) << "the end stays the end";
  // Gaps as find_gaps finds them over the whole recording, found across the chunks.
  ASSERT_EQ(reader.gaps().size(), 1u);
  EXPECT_EQ(reader.gaps()[0].start_s, rec.samples[999].t_s);
  EXPECT_EQ(reader.gaps()[0].end_s, rec.samples[1000].t_s);
  EXPECT_EQ(reader.gaps()[0].missing_samples, 50u);
}

TEST(Strideb, CutFileGivesEveryWholeBlockAndSaysWhereItEnds) {
  const Blocks b = plain_blocks(1000, 100);
  // Cut inside the header of block 4, inside its payload, and one byte short of its end.
  for (const std::size_t cut : {b.at(4) + 7, b.at(4) + 20 + 300, b.at(5) - 1}) {
    const Imported got = read_bytes(b.bytes.substr(0, cut));
    ASSERT_EQ(got.recording.samples.size(), 400u) << "cut at " << cut;
    expect_identical(b.rec.samples, got.recording.samples);
    ASSERT_EQ(got.report.issues.size(), 1u);
    const std::string& what = got.report.issues[0].what;
    EXPECT_NE(what.find("byte " + std::to_string(b.at(4)) + ": the file ends inside"), std::string::npos) << what;
    EXPECT_NE(what.find("cut off"), std::string::npos) << what;
    EXPECT_EQ(got.report.skipped, 0u) << "a cut is not damage";
    ASSERT_EQ(got.report.notes.size(), 1u);
    EXPECT_NE(got.report.notes[0].find("cut off at byte " + std::to_string(cut)), std::string::npos);
  }
  // Cut exactly between blocks: nothing to say.
  const Imported clean = read_bytes(b.bytes.substr(0, b.at(4)));
  EXPECT_EQ(clean.recording.samples.size(), 400u);
  EXPECT_TRUE(clean.report.issues.empty());
}

TEST(Strideb, DamagedBlockIsSkippedCountedAndNamedByItsOffset) {
  const Blocks b = plain_blocks(1000, 100);
  struct Case {
    std::size_t byte;
    const char* says;
  };
  // A flipped bit in a block's samples, in its count, and in its marker.
  for (const Case c : {Case{b.at(3) + 20 + 1234, "CRC-32 mismatch"}, Case{b.at(3) + 8, "block header damaged"},
                       Case{b.at(3) + 1, "no block marker"}}) {
    std::string bytes = b.bytes;
    bytes[c.byte] = static_cast<char>(bytes[c.byte] ^ 0x10);
    const Imported got = read_bytes(bytes);
    ASSERT_EQ(got.recording.samples.size(), 900u) << c.says;
    expect_identical(b.rec.samples, std::vector<ImuSample>(got.recording.samples.begin(),
                                                           got.recording.samples.begin() + 300));
    expect_identical(b.rec.samples,
                     std::vector<ImuSample>(got.recording.samples.begin() + 300, got.recording.samples.end()), 400);
    EXPECT_EQ(got.report.skipped, 1u);
    ASSERT_EQ(got.report.issues.size(), 1u);
    const std::string& what = got.report.issues[0].what;
    EXPECT_EQ(what.rfind("byte " + std::to_string(b.at(3)) + ": ", 0), 0u) << what;
    EXPECT_NE(what.find(c.says), std::string::npos) << what;
    EXPECT_NE(what.find("reading resumed at byte " + std::to_string(b.at(4))), std::string::npos) << what;
  }
  // Two damaged blocks far apart: two issues; the last block damaged: nothing after it.
  std::string bytes = b.bytes;
  bytes[b.at(1) + 30] ^= 0x01;
  bytes[b.at(9) + 30] ^= 0x01;
  const Imported two = read_bytes(bytes);
  EXPECT_EQ(two.recording.samples.size(), 800u);
  EXPECT_EQ(two.report.skipped, 2u);
  ASSERT_EQ(two.report.issues.size(), 2u);
  EXPECT_NE(two.report.issues[1].what.find("no good block after it"), std::string::npos) << two.report.issues[1].what;
}

TEST(Strideb, GarbageInTheMiddleIsSkippedToTheNextBlock) {
  const Blocks b = plain_blocks(600, 100);
  std::string bytes = b.bytes;
  bytes.insert(b.at(2), std::string(777, '\x5a'));  // e.g. a foreign write into the file
  const Imported got = read_bytes(bytes);
  EXPECT_EQ(got.recording.samples.size(), 600u) << "no block lost: the junk was between blocks";
  EXPECT_EQ(got.report.skipped, 1u);
  ASSERT_EQ(got.report.issues.size(), 1u);
  EXPECT_NE(got.report.issues[0].what.find("reading resumed at byte " + std::to_string(b.at(2) + 777)),
            std::string::npos)
      << got.report.issues[0].what;
}

TEST(Strideb, WrongMagicNewerVersionAndDamagedHeaderAreRefusedClearly) {
  const Blocks b = plain_blocks(200, 100);
  auto refused = [](const std::string& bytes) -> std::string {
    try {
      read_bytes(bytes);
    } catch (const ImportError& e) {
      return e.what();
    }
    ADD_FAILURE() << "not refused";
    return {};
  };
  const std::string csv = refused("t_s,acc_x_mps2\n0,1\n");
  EXPECT_NE(csv.find("mem.strideb: not a .strideb recording"), std::string::npos) << csv;
  EXPECT_NE(csv.find("expected '89 53 54 52 49 44 45 42'"), std::string::npos) << csv;

  std::string v2 = b.bytes;
  v2[8] = 2;
  const std::string newer = refused(v2);
  EXPECT_NE(newer.find("byte 8: format version 2; this stride reads version 1"), std::string::npos) << newer;
  EXPECT_NE(newer.find("update stride"), std::string::npos) << newer;

  std::string meta = b.bytes;
  meta[20] ^= 0x04;
  const std::string damaged = refused(meta);
  EXPECT_NE(damaged.find("CRC-32"), std::string::npos) << damaged;
  EXPECT_NE(damaged.find("metadata"), std::string::npos) << damaged;

  const std::string cut = refused(b.bytes.substr(0, 30));
  EXPECT_NE(cut.find("ends at byte 30 inside its header"), std::string::npos) << cut;

  // A header and no whole block (a recording killed in its first block): nothing to analyse, and why.
  const std::string none = refused(b.bytes.substr(0, b.at(0) + 100));
  EXPECT_NE(none.find("mem.strideb: no whole block of samples"), std::string::npos) << none;
  EXPECT_NE(none.find("byte " + std::to_string(b.at(0)) + ": the file ends inside a block"), std::string::npos)
      << none;
}

TEST(Strideb, ImportAnyFindsItByItsMagicAndFormatForcesIt) {
  const test::ScratchDir dir;
  const Recording rec = awkward_recording(300, 3);
  const auto path = dir / "run.data";  // the extension does not matter: the magic bytes do
  {
    std::ofstream out(path, std::ios::binary);
    write_strideb(out, rec);
  }
  const Imported got = import_file(path.string());
  EXPECT_EQ(got.report.format, "strideb");
  EXPECT_NE(got.report.format_reason.find("magic"), std::string::npos);
  expect_identical(rec.samples, got.recording.samples);
  EXPECT_TRUE(got.report.has_gyro) << "NaN in some samples only: the gyroscope is there";

  const auto csv = dir / "run.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    write_native(out, rec);
  }
  ImportOptions forced;
  forced.format = "strideb";
  EXPECT_THROW(import_file(csv.string(), forced), ImportError);
}

TEST(Strideb, AccelerometerOnlyRecordingSaysSo) {
  Recording rec = awkward_recording(100, 4);
  for (auto& s : rec.samples) s.gyr_rad_s.setConstant(std::numeric_limits<double>::quiet_NaN());
  const Imported got = read_bytes(bytes_of(rec, 64));
  EXPECT_FALSE(got.report.has_gyro);
  EXPECT_TRUE(got.report.has_acc);
  EXPECT_EQ(got.report.gyr_unit, "none");
}

TEST(Strideb, WriterEndsABlockWhenAskedSoAFlushedFileIsWhole) {
  std::ostringstream out;
  const Recording rec = awkward_recording(10, 5);
  StridebWriter w(out, rec.meta);
  w.add(std::span<const ImuSample>(rec.samples.data(), 7));
  const std::size_t before = out.str().size();
  w.end_block();
  EXPECT_EQ(out.str().size(), before + strideb::kBlockHeaderBytes + 7 * strideb::kSampleBytes);
  w.end_block();  // nothing waiting: no empty block
  EXPECT_EQ(out.str().size(), before + strideb::kBlockHeaderBytes + 7 * strideb::kSampleBytes);
  EXPECT_EQ(w.samples_written(), 7u);
  const Imported got = read_bytes(out.str());
  EXPECT_EQ(got.recording.samples.size(), 7u);
  EXPECT_TRUE(got.report.issues.empty());
  EXPECT_THROW(StridebWriter(out, rec.meta, 0), std::invalid_argument);
  EXPECT_THROW(StridebWriter(out, rec.meta, strideb::kMaxBlockSamples + 1), std::invalid_argument);
}

}  // namespace
}  // namespace stride::io
