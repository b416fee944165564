// The live wire protocol: CRC, COBS, binary frames and text lines through the firmware core and the decoders.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "firmware_iface/firmware/board_core.hpp"
#include "firmware_iface/firmware/virtual_imu.hpp"
#include "firmware_iface/protocol/stream_decoder.hpp"
#include "firmware_iface/protocol/wire_format.hpp"
#include "sim_fixtures.hpp"
#include "stride/simulate.hpp"

namespace stride::wire {
namespace {

// Collects what the board sends, and where each write (one frame, one line) starts.
struct VecSink final : fw::ByteSink {
  std::vector<std::uint8_t> bytes;
  std::vector<std::size_t> starts;
  void write(const std::uint8_t* d, std::size_t n) override {
    starts.push_back(bytes.size());
    bytes.insert(bytes.end(), d, d + n);
  }
};

const Recording& sim_recording() { return test::short_simulated_run(); }

struct Encoded {
  VecSink sink;
  std::vector<RawSample> raw;
  std::uint16_t acc_range = 16, gyr_range = 2000;
};

Encoded encode(fw::Output out, std::uint32_t t0_us = 0, std::size_t batch = 8) {
  Encoded e;
  fw::RecordingImu imu(sim_recording(), t0_us);
  fw::BoardConfig cfg;
  cfg.output = out;
  cfg.batch = batch;
  cfg.board = "test board";
  fw::BoardCore core(imu, e.sink, cfg);
  RawSample s;
  while (imu.read(s)) {
    e.raw.push_back(s);
    core.push(s);
  }
  core.flush();
  e.acc_range = imu.acc_range_g();
  e.gyr_range = imu.gyr_range_dps();
  return e;
}

std::vector<ImuSample> decode(Decoder& d, const std::vector<std::uint8_t>& bytes) {
  std::vector<ImuSample> out;
  d.feed(bytes, out);
  d.finish(out);
  return out;
}

std::vector<ImuSample> decode_chunked(Decoder& d, const std::vector<std::uint8_t>& bytes, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> size(1, 300);
  std::vector<ImuSample> out;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = std::min(bytes.size() - i, size(rng) % 4 == 0 ? 1 : size(rng));
    d.feed(std::span(bytes).subspan(i, n), out);
    i += n;
  }
  d.finish(out);
  return out;
}

void expect_same(const std::vector<ImuSample>& a, const std::vector<ImuSample>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].t_s, b[i].t_s) << i;
    ASSERT_EQ(a[i].acc_mps2, b[i].acc_mps2) << i;
    ASSERT_EQ(a[i].gyr_rad_s, b[i].gyr_rad_s) << i;
  }
}

TEST(WireCrc, CheckValue) {
  const char* s = "123456789";
  EXPECT_EQ(crc16_ccitt_false(reinterpret_cast<const std::uint8_t*>(s), 9), 0x29B1);
}

TEST(WireCobs, RoundTripsEdgeCases) {
  std::mt19937 rng(7);
  for (std::size_t n : {0, 1, 2, 253, 254, 255, 256, 508, 509, 700}) {
    for (int zeros : {0, 1, 2}) {
      std::vector<std::uint8_t> in(n);
      for (auto& b : in) b = static_cast<std::uint8_t>(zeros == 0 ? 1 + rng() % 255 : zeros == 1 ? rng() % 256 : 0);
      std::vector<std::uint8_t> enc(cobs_max_encoded(n)), dec(n + 1);
      const std::size_t m = cobs_encode(in.data(), n, enc.data());
      ASSERT_LE(m, enc.size());
      for (std::size_t i = 0; i < m; ++i) ASSERT_NE(enc[i], 0) << "n " << n;
      const std::size_t k = cobs_decode(enc.data(), m, dec.data());
      ASSERT_EQ(k, n) << "n " << n << " zeros " << zeros;
      dec.resize(n);
      EXPECT_EQ(dec, in);
    }
  }
}

TEST(WireBinary, RoundTripWithinQuantisation) {
  const auto e = encode(fw::Output::binary);
  auto d = make_binary_decoder();
  const auto out = decode(*d, e.sink.bytes);
  const auto& rec = sim_recording();
  ASSERT_EQ(out.size(), rec.samples.size());
  const double qa = e.acc_range * 9.80665 / 32768, qw = e.gyr_range * std::numbers::pi / 180 / 32768;
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_NEAR(out[i].t_s, rec.samples[i].t_s, 1.5e-6);
    for (int a = 0; a < 3; ++a) {
      EXPECT_NEAR(out[i].acc_mps2[a], rec.samples[i].acc_mps2[a], 0.5 * qa + 1e-12);
      EXPECT_NEAR(out[i].gyr_rad_s[a], rec.samples[i].gyr_rad_s[a], 0.5 * qw + 1e-12);
      EXPECT_EQ(out[i].acc_mps2[a], e.raw[i].acc[a] * qa);
    }
  }
  const auto& st = d->stats();
  EXPECT_EQ(st.bytes, e.sink.bytes.size());
  EXPECT_EQ(st.bad_total(), 0u);
  EXPECT_EQ(st.lost_frames, 0u);
  EXPECT_TRUE(d->gaps().empty());
  EXPECT_EQ(d->meta().board, "test board");
  EXPECT_NEAR(d->meta().rate_hz, 500.0, 1e-9);
  EXPECT_EQ(d->meta().acc_range_g, 16);
}

TEST(WireBinary, ChunkedFeedingEqualsWhole) {
  const auto e = encode(fw::Output::binary);
  auto whole = make_binary_decoder();
  const auto a = decode(*whole, e.sink.bytes);
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    auto chunked = make_binary_decoder();
    expect_same(decode_chunked(*chunked, e.sink.bytes, seed), a);
  }
}

TEST(WireBinary, CounterWrapIsUnwrapped) {
  // Start 0.5 s before the 32-bit microsecond clock wraps.
  const auto e = encode(fw::Output::binary, 0xFFFFFFFFu - 500000u);
  auto d = make_binary_decoder();
  const auto out = decode(*d, e.sink.bytes);
  const auto& rec = sim_recording();
  ASSERT_EQ(out.size(), rec.samples.size());
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i].t_s, rec.samples[i].t_s, 1.5e-6) << i;
  EXPECT_TRUE(d->gaps().empty());
  EXPECT_EQ(d->stats().device_resets, 0u);
}

// Frames of samples only: indices into sink.starts of sample frames and the samples each one carries.
struct FrameMap {
  std::vector<std::size_t> frame;       // write index of each sample frame
  std::vector<std::size_t> first;       // index of its first sample
};
FrameMap sample_frames(const Encoded& e, std::size_t batch) {
  FrameMap m;
  std::size_t sample = 0;
  for (std::size_t w = 0; w < e.sink.starts.size(); ++w) {
    const std::size_t end = w + 1 < e.sink.starts.size() ? e.sink.starts[w + 1] : e.sink.bytes.size();
    // COBS keeps the type byte at index 2 unless the version byte... decode to look.
    std::vector<std::uint8_t> p(end - e.sink.starts[w]);
    const std::size_t n = cobs_decode(&e.sink.bytes[e.sink.starts[w]], end - e.sink.starts[w] - 1, p.data());
    if (n != SIZE_MAX && p[1] == static_cast<std::uint8_t>(MsgType::samples)) {
      m.frame.push_back(w);
      m.first.push_back(sample);
      sample += p[18];
    }
  }
  (void)batch;
  return m;
}

TEST(WireBinary, CorruptionIsCountedLocatedAndResynchronised) {
  const auto e = encode(fw::Output::binary);
  const auto map = sample_frames(e, 8);
  ASSERT_GT(map.frame.size(), 100u);
  auto bytes = e.sink.bytes;
  const auto start = [&](std::size_t k) { return e.sink.starts[map.frame[k]]; };
  // Damage, from the back so earlier offsets stay valid: truncate frame 90 (drop its end and keep the delimiter),
  // insert junk with a zero into frame 70, drop one byte of frame 50, flip a bit in frame 10.
  const std::vector<std::size_t> damaged = {10, 50, 70, 90};
  {
    const std::size_t b = start(90) + 5, e2 = e.sink.starts[map.frame[90] + 1] - 1;
    bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(b), bytes.begin() + static_cast<std::ptrdiff_t>(e2));
  }
  const std::vector<std::uint8_t> junk = {0x55, 0x00, 0x13, 0x37};
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(start(70) + 20), junk.begin(), junk.end());
  bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(start(50) + 30));
  bytes[start(10) + 40] ^= 0x10;

  auto d = make_binary_decoder();
  std::vector<ImuSample> out;
  EXPECT_NO_THROW(out = decode(*d, bytes));
  const auto& st = d->stats();
  // The flipped and the shortened frames fail their CRC; the inserted zero splits frame 70 in two bad pieces.
  EXPECT_GE(st.crc_failures + st.bad_frames, 4u);
  EXPECT_LE(st.crc_failures + st.bad_frames, 5u);
  ASSERT_FALSE(st.bad.empty());
  EXPECT_EQ(st.bad[0].offset, start(10));
  EXPECT_NE(st.bad[0].what.find("CRC"), std::string::npos) << st.bad[0].what;
  EXPECT_EQ(st.bad[1].offset, start(50));
  EXPECT_EQ(st.bad[2].offset, start(70) - 1);  // one byte dropped before it
  // Every sample outside the four damaged frames is kept, at its own time.
  const std::size_t expected = sim_recording().samples.size() - 4 * 8;
  EXPECT_EQ(out.size(), expected);
  EXPECT_EQ(st.lost_frames, 4u);
  ASSERT_EQ(d->gaps().size(), 4u);
  for (std::size_t g = 0; g < 4; ++g) {
    const std::size_t first = map.first[damaged[g]];
    EXPECT_NEAR(d->gaps()[g].start_s, sim_recording().samples[first - 1].t_s, 2e-6);
    EXPECT_NEAR(d->gaps()[g].end_s, sim_recording().samples[first + 8].t_s, 2e-6);
    EXPECT_EQ(d->gaps()[g].missing_samples, 8u);
  }
  const auto sum = summarize(d->gaps());
  EXPECT_EQ(sum.count, 4u);
  EXPECT_NEAR(sum.longest_s, 9 * 0.002, 1e-6);
  EXPECT_NE(to_string(sum).find("dropouts: 4"), std::string::npos);
}

TEST(WireBinary, RandomGarbageNeverCrashesAndFramesAfterItDecode) {
  std::mt19937 rng(11);
  std::vector<std::uint8_t> bytes(20000);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  const auto e = encode(fw::Output::binary);
  bytes.insert(bytes.end(), e.sink.bytes.begin(), e.sink.bytes.end());
  auto d = make_binary_decoder();
  const auto out = decode(*d, bytes);
  EXPECT_EQ(out.size(), sim_recording().samples.size());
  EXPECT_GT(d->stats().bad_total(), 10u);
}

TEST(WireBinary, SequenceGapsBecomeGaps) {
  const auto e = encode(fw::Output::binary);
  const auto map = sample_frames(e, 8);
  // Remove 3 consecutive sample frames (20..22) entirely.
  std::vector<std::uint8_t> bytes(e.sink.bytes.begin(), e.sink.bytes.begin() + static_cast<std::ptrdiff_t>(e.sink.starts[map.frame[20]]));
  bytes.insert(bytes.end(), e.sink.bytes.begin() + static_cast<std::ptrdiff_t>(e.sink.starts[map.frame[23]]), e.sink.bytes.end());
  auto d = make_binary_decoder();
  const auto out = decode(*d, bytes);
  EXPECT_EQ(out.size(), sim_recording().samples.size() - 24);
  EXPECT_EQ(d->stats().lost_frames, 3u);
  ASSERT_EQ(d->gaps().size(), 1u);
  EXPECT_EQ(d->gaps()[0].missing_samples, 24u);
  EXPECT_NEAR(d->gaps()[0].end_s - d->gaps()[0].start_s, 25 * 0.002, 1e-6);
  EXPECT_EQ(d->stats().bad_total(), 0u);
}

TEST(WireBinary, ReconnectToARestartedDeviceIsAGapNotOverlap) {
  const auto e = encode(fw::Output::binary);
  auto d = make_binary_decoder();
  std::vector<ImuSample> out;
  d->feed(e.sink.bytes, out);
  const double last = out.back().t_s;
  d->discontinuity(2.0);           // host saw nothing for 2 s, then the board starts again from t = 0
  d->feed(e.sink.bytes, out);
  ASSERT_EQ(out.size(), 2 * sim_recording().samples.size());
  const auto first_after = out[sim_recording().samples.size()].t_s;
  EXPECT_NEAR(first_after - last, 2.0, 1e-9);
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].t_s, out[i - 1].t_s);
  ASSERT_EQ(d->gaps().size(), 1u);
  EXPECT_EQ(d->stats().device_resets, 1u);
}

// ---- text ----

TEST(WireText, RoundTripExactAtPrintedPrecision) {
  const auto e = encode(fw::Output::text);
  auto d = make_text_decoder();
  const auto out = decode(*d, e.sink.bytes);
  const auto& rec = sim_recording();
  ASSERT_EQ(out.size(), rec.samples.size());
  const double ka = e.acc_range / 32768.0, kw = e.gyr_range / 32768.0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    ASSERT_NEAR(out[i].t_s, rec.samples[i].t_s, 1.5e-6);
    for (int a = 0; a < 3; ++a) {
      char b[64];
      std::snprintf(b, sizeof b, "%.5f", e.raw[i].acc[a] * ka);
      ASSERT_NEAR(out[i].acc_mps2[a], std::strtod(b, nullptr) * 9.80665, 1e-12);
      std::snprintf(b, sizeof b, "%.3f", e.raw[i].gyr[a] * kw);
      ASSERT_NEAR(out[i].gyr_rad_s[a], std::strtod(b, nullptr) * std::numbers::pi / 180, 1e-12);
    }
  }
  EXPECT_EQ(d->stats().bad_total(), 0u);
  EXPECT_EQ(d->meta().board, "test board");
  EXPECT_NE(d->describe().find("declared in header"), std::string::npos) << d->describe();
}

TEST(WireText, ChunkedFeedingEqualsWholeAndAutoDetects) {
  for (auto mode : {fw::Output::text, fw::Output::binary}) {
    const auto e = encode(mode);
    StreamDecoder whole(Format::auto_detect);
    const auto a = decode(whole, e.sink.bytes);
    EXPECT_EQ(whole.format(), mode == fw::Output::text ? Format::text : Format::binary);
    EXPECT_EQ(a.size(), sim_recording().samples.size());
    for (std::uint32_t seed : {5u, 6u}) {
      StreamDecoder chunked(Format::auto_detect);
      expect_same(decode_chunked(chunked, e.sink.bytes, seed), a);
    }
  }
}

TEST(WireText, CounterWrapAndUndeclaredUnits) {
  // Headerless lines: a millisecond counter that wraps at 2^32, acceleration in g, rate in deg/s.
  std::string s;
  const std::uint64_t start = 4294967296ull - 100;
  for (int i = 0; i < 400; ++i) {
    const std::uint64_t t = (start + static_cast<std::uint64_t>(i) * 10) % 4294967296ull;
    const double moving = i > 200 ? 200.0 * std::sin(i * 0.1) : 0.3;
    s += std::to_string(t) + ",0.01,-0.02,1.00," + std::to_string(moving) + ",0.5,-0.4\n";
  }
  auto d = make_text_decoder();
  const auto out = decode(*d, std::vector<std::uint8_t>(s.begin(), s.end()));
  ASSERT_EQ(out.size(), 400u);
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_NEAR(out[i].t_s - out[i - 1].t_s, 0.010, 1e-9) << i;
  EXPECT_NEAR(out[0].acc_mps2.z(), 9.80665, 1e-9);
  EXPECT_TRUE(d->gaps().empty());
  EXPECT_NE(d->describe().find("time: ms"), std::string::npos) << d->describe();
}

TEST(WireText, BadLinesAreCountedWithOffsetsAndSkipped) {
  const auto e = encode(fw::Output::text);
  std::string s(e.sink.bytes.begin(), e.sink.bytes.end());
  // Damage lines 100 and 200 (counting from the first write): mojibake, a truncated line.
  const std::size_t a = e.sink.starts[100], b = e.sink.starts[200];
  std::string damaged = s.substr(0, a) + "\xC3\xA9\xFF\xFE garbage\n" + s.substr(a, b - a) + "12,0.5\n" + s.substr(b);
  auto d = make_text_decoder();
  const auto out = decode(*d, std::vector<std::uint8_t>(damaged.begin(), damaged.end()));
  EXPECT_EQ(out.size(), sim_recording().samples.size());
  ASSERT_EQ(d->stats().bad_lines, 2u);
  EXPECT_EQ(d->stats().bad[0].offset, a);
  EXPECT_NE(d->stats().bad[0].what.find("non-text"), std::string::npos);
  EXPECT_EQ(d->stats().bad[1].offset, b + 13);  // after the 13 inserted bytes
}

}  // namespace
}  // namespace stride::wire
