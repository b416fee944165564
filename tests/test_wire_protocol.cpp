// The live wire protocol: CRC, COBS, binary frames and text lines through the firmware core and the decoders.
#include <gtest/gtest.h>

#include <algorithm>
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
#include "stride/utf8.hpp"

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

// What a board sends for the simulated run's samples [from, to).
Encoded encode(fw::Output out, std::uint32_t t0_us = 0, std::size_t batch = 8, std::size_t from = 0,
               std::size_t to = SIZE_MAX) {
  Encoded e;
  fw::RecordingImu imu(sim_recording(), t0_us);
  fw::BoardConfig cfg;
  cfg.output = out;
  cfg.batch = batch;
  cfg.board = "test board";
  fw::BoardCore core(imu, e.sink, cfg);
  RawSample s;
  for (std::size_t i = 0; imu.read(s); ++i) {
    if (i < from || i >= to) continue;
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

// ---- the clock guard in the decoders (issue 14: one corrupted digit, bursts, reordering, restarts) ----------

// The writes of a board (one line, one frame each; the text header comes as a few writes).
std::vector<std::vector<std::uint8_t>> writes(const VecSink& sink) {
  std::vector<std::vector<std::uint8_t>> w;
  for (std::size_t i = 0; i < sink.starts.size(); ++i) {
    const std::size_t end = i + 1 < sink.starts.size() ? sink.starts[i + 1] : sink.bytes.size();
    w.emplace_back(sink.bytes.begin() + static_cast<std::ptrdiff_t>(sink.starts[i]),
                   sink.bytes.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return w;
}
std::vector<std::uint8_t> joined(const std::vector<std::vector<std::uint8_t>>& w) {
  std::vector<std::uint8_t> out;
  for (const auto& x : w) out.insert(out.end(), x.begin(), x.end());
  return out;
}
bool is_data_line(const std::vector<std::uint8_t>& w) { return !w.empty() && w[0] >= '0' && w[0] <= '9'; }
bool is_sample_frame(const std::vector<std::uint8_t>& w) {
  std::vector<std::uint8_t> p(w.size());
  const std::size_t n = cobs_decode(w.data(), w.size() - 1, p.data());
  return n != SIZE_MAX && n > 2 && p[1] == static_cast<std::uint8_t>(MsgType::samples);
}
// A frame with its payload edited and its CRC made valid again (a firmware bug, not line noise).
std::vector<std::uint8_t> rewrite_frame(const std::vector<std::uint8_t>& w, void (*edit)(std::uint8_t* payload)) {
  std::vector<std::uint8_t> p(w.size() + 2);
  const std::size_t n = cobs_decode(w.data(), w.size() - 1, p.data());
  edit(p.data());
  std::vector<std::uint8_t> out(cobs_max_encoded(n) + 1);
  out.resize(finish_frame(p.data(), n - kCrcBytes, out.data()));
  return out;
}
// A text data line with its time stamp replaced.
std::vector<std::uint8_t> with_stamp(const std::vector<std::uint8_t>& line, const std::string& stamp) {
  const std::string l(line.begin(), line.end());
  const std::string out = stamp + l.substr(l.find(','));
  return {out.begin(), out.end()};
}
std::uint64_t stamp_of(const std::vector<std::uint8_t>& line) {
  return std::stoull(std::string(line.begin(), line.end()));
}

double duration(const std::vector<ImuSample>& s) { return s.empty() ? 0.0 : s.back().t_s - s.front().t_s; }
double true_duration() { return duration(sim_recording().samples); }

TEST(WireText, OneCorruptedDigitIsAnOutlierNotARestart) {
  // The line's t_us times 100: before, the next good line looked like a step back, was taken as a restart, and
  // everything after was placed behind the bad stamp (a fake dropout of minutes). From 30 s on, t_us x 100 is
  // above 2^31 and also looked like the 32-bit counter wrapping.
  for (std::uint32_t t0 : {0u, 30'000'000u}) {
    const auto e = encode(fw::Output::text, t0);
    auto w = writes(e.sink);
    std::size_t k = w.size() / 2;
    while (!is_data_line(w[k])) ++k;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < k; ++i) offset += w[i].size();
    w[k] = with_stamp(w[k], std::to_string(stamp_of(w[k]) * 100));
    for (const bool chunked : {false, true}) {
      auto d = make_text_decoder();
      const auto bytes = joined(w);
      const auto out = chunked ? decode_chunked(*d, bytes, 9) : decode(*d, bytes);
      const auto& st = d->stats();
      EXPECT_EQ(out.size(), sim_recording().samples.size() - 1) << t0;
      EXPECT_NEAR(duration(out), true_duration(), 0.01 * true_duration()) << t0;
      EXPECT_EQ(st.device_resets, 0u) << t0;
      ASSERT_EQ(d->gaps().size(), 1u) << t0 << " " << to_string(summarize(d->gaps()));  // the dropped line
      EXPECT_EQ(d->gaps()[0].missing_samples, 1u);
      EXPECT_EQ(st.outlier_stamps, 1u);
      ASSERT_EQ(st.bad.size(), 1u);
      EXPECT_EQ(st.bad[0].offset, offset);
      EXPECT_NE(st.bad[0].what.find("disagrees"), std::string::npos) << st.bad[0].what;
      for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].t_s, out[i - 1].t_s) << i;
    }
  }
}

TEST(WireText, ABurstOfCorruptedLinesIsDroppedAndTheRestKept) {
  std::mt19937 rng(1414);
  const auto e = encode(fw::Output::text, 5'000'000);
  const std::size_t sent = sim_recording().samples.size();
  for (int trial = 0; trial < 10; ++trial) {
    auto w = writes(e.sink);
    std::size_t k = w.size() / 3 + static_cast<std::size_t>(trial) % 30 * 40;
    while (!is_data_line(w[k])) ++k;
    // Ten lines in a row, one random digit of each stamp changed.
    std::size_t changed = 0;
    for (std::size_t j = k; changed < 10; ++j) {
      if (!is_data_line(w[j])) continue;
      std::string t = std::to_string(stamp_of(w[j]));
      const std::size_t pos = rng() % t.size();
      t[pos] = static_cast<char>('0' + (t[pos] - '0' + 1 + rng() % 9) % 10);
      w[j] = with_stamp(w[j], t);
      ++changed;
    }
    auto d = make_text_decoder();
    const auto out = decode(*d, joined(w));
    EXPECT_GE(out.size(), sent - 12) << trial;  // the ten, and at most two good neighbours they hide
    EXPECT_LE(out.size(), sent) << trial;
    EXPECT_NEAR(duration(out), true_duration(), 0.01 * true_duration()) << trial;
    EXPECT_EQ(d->stats().device_resets, 0u) << trial;
    for (const auto& g : d->gaps()) EXPECT_LT(g.end_s - g.start_s, 0.03) << trial;
    for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].t_s, out[i - 1].t_s) << i;
    // After the burst, every sample is at its own time.
    for (std::size_t i = 1; i <= 200; ++i)
      ASSERT_NEAR(out[out.size() - i].t_s, sim_recording().samples[sent - i].t_s, 1.5e-6) << trial;
  }
}

TEST(WireText, ABoardRestartIsFollowedAndCounted) {
  // The board restarts half way: it prints its header again and its clock begins again near 0.
  const auto& rec = sim_recording();
  const std::size_t n = rec.samples.size(), half = n / 2;
  const auto t_half_us = std::llround(rec.samples[half].t_s * 1e6);
  const auto a = encode(fw::Output::text, 7'000'000, 8, 0, half);
  const auto b = encode(fw::Output::text, static_cast<std::uint32_t>(-t_half_us + 300), 8, half, n);
  auto bytes = a.sink.bytes;
  bytes.insert(bytes.end(), b.sink.bytes.begin(), b.sink.bytes.end());
  auto d = make_text_decoder();
  const auto out = decode(*d, bytes);
  EXPECT_EQ(out.size(), n);
  EXPECT_EQ(d->stats().device_resets, 1u);
  EXPECT_EQ(d->stats().outlier_stamps, 0u);
  EXPECT_NEAR(duration(out), true_duration(), 0.01 * true_duration());
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].t_s, out[i - 1].t_s) << i;
}

TEST(WireBinary, ReorderedAndDuplicatedFramesArePutBackInOrder) {
  // As UDP and BLE bridges deliver them: neighbours swapped, one frame three places late, some sent twice.
  const auto e = encode(fw::Output::binary, 4'000'000'000u);  // and across the 32-bit clock wrap
  const auto w = writes(e.sink);
  std::vector<std::vector<std::uint8_t>> got;
  for (std::size_t i = 0; i < w.size(); ++i) got.push_back(w[i]);
  std::swap(got[10], got[11]);
  std::swap(got[1], got[2]);
  std::rotate(got.begin() + 30, got.begin() + 31, got.begin() + 34);  // 30 arrives after 31, 32, 33
  std::reverse(got.begin() + 100, got.begin() + 104);
  got.insert(got.begin() + 51, got[50]);   // sent twice in a row
  got.insert(got.begin() + 64, got[60]);   // and once more a little later
  const auto bytes = joined(got);
  const auto& rec = sim_recording();
  for (const bool chunked : {false, true}) {
    auto d = make_binary_decoder();
    const auto out = chunked ? decode_chunked(*d, bytes, 4) : decode(*d, bytes);
    ASSERT_EQ(out.size(), rec.samples.size());
    for (std::size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i].t_s, rec.samples[i].t_s, 1.5e-6) << i;
    const auto& st = d->stats();
    EXPECT_EQ(st.lost_frames, 0u);
    EXPECT_EQ(st.device_resets, 0u);
    EXPECT_EQ(st.duplicate_frames, 2u);
    EXPECT_GE(st.reordered_frames, 4u);
    EXPECT_EQ(st.bad_total(), 0u);
    EXPECT_TRUE(d->gaps().empty());
  }
}

TEST(WireBinary, AFrameWithAnImplausiblePeriodIsRefused) {
  // CRC-valid, period_ns = 0xFFFFFFFF: before, its 8 samples were spread over 34 s.
  const auto e = encode(fw::Output::binary);
  auto w = writes(e.sink);
  std::size_t k = 40;
  while (!is_sample_frame(w[k])) ++k;
  w[k] = rewrite_frame(w[k], [](std::uint8_t* p) { put_u32(p + 10, 0xFFFFFFFFu); });
  auto d = make_binary_decoder();
  const auto out = decode(*d, joined(w));
  EXPECT_EQ(out.size(), sim_recording().samples.size() - 8);
  EXPECT_EQ(d->stats().bad_frames, 1u);
  ASSERT_FALSE(d->stats().bad.empty());
  EXPECT_NE(d->stats().bad[0].what.find("period"), std::string::npos) << d->stats().bad[0].what;
  EXPECT_EQ(d->stats().device_resets, 0u);
  ASSERT_EQ(d->gaps().size(), 1u);
  EXPECT_EQ(d->gaps()[0].missing_samples, 8u);
  EXPECT_NEAR(duration(out), true_duration(), 0.01 * true_duration());
}

TEST(WireBinary, OneCorruptStampIsAnOutlierNotARestart) {
  const auto e = encode(fw::Output::binary, 1'000'000);
  auto w = writes(e.sink);
  std::size_t k = w.size() / 2;
  while (!is_sample_frame(w[k])) ++k;
  w[k] = rewrite_frame(w[k], [](std::uint8_t* p) { put_u32(p + 6, get_u32(p + 6) * 100); });
  auto d = make_binary_decoder();
  const auto out = decode(*d, joined(w));
  EXPECT_EQ(out.size(), sim_recording().samples.size() - 8);
  EXPECT_EQ(d->stats().outlier_stamps, 1u);
  EXPECT_EQ(d->stats().device_resets, 0u);
  EXPECT_NEAR(duration(out), true_duration(), 0.01 * true_duration());
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].t_s, out[i - 1].t_s) << i;
}

TEST(WireBinary, ABoardRestartInTheStreamIsFollowedAndCounted) {
  // No reconnect: the board resets while the link stays up. Its sequence and clock both begin again.
  const auto& rec = sim_recording();
  const std::size_t n = rec.samples.size(), half = n / 2 + 3;
  const auto t_half_us = std::llround(rec.samples[half].t_s * 1e6);
  const auto a = encode(fw::Output::binary, 9'000'000, 8, 0, half);
  const auto b = encode(fw::Output::binary, static_cast<std::uint32_t>(-t_half_us + 500), 8, half, n);
  auto bytes = a.sink.bytes;
  bytes.insert(bytes.end(), b.sink.bytes.begin(), b.sink.bytes.end());
  auto d = make_binary_decoder();
  const auto out = decode(*d, bytes);
  EXPECT_EQ(out.size(), n);
  EXPECT_EQ(d->stats().device_resets, 1u);
  EXPECT_EQ(d->stats().lost_frames, 0u);
  EXPECT_NEAR(duration(out), true_duration(), 0.01 * true_duration());
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].t_s, out[i - 1].t_s) << i;
}

TEST(WireTimeline, AnAbsurdGapGivesABoundedMissingCount) {
  // A ~1e120 s hole cast to size_t was undefined behaviour (issue 14).
  Timeline tl;
  double t = 0;
  ASSERT_TRUE(tl.place(0.0, 0.002, false, t));
  ASSERT_TRUE(tl.place(1e120, 0.002, false, t));
  ASSERT_EQ(tl.gaps().size(), 1u);
  EXPECT_EQ(tl.gaps()[0].missing_samples, kMaxMissingSamples);
}

TEST(WireText, MessagesQuoteBoundedValidText) {
  // A header-like line of 400 bytes, and a line with a terminal escape sequence (and a micro sign).
  std::string junk = "# rate_hz: 100\n" + std::string(400, 'x') + "\n" + "0.0,0.01,0.02,\x1B[2J1.0\u00B5,0.1,0.2,0.3\n";
  auto d = make_text_decoder();
  decode(*d, std::vector<std::uint8_t>(junk.begin(), junk.end()));
  ASSERT_EQ(d->stats().bad.size(), 2u);
  for (const auto& b : d->stats().bad) {
    EXPECT_TRUE(utf8::is_valid(b.what)) << b.what;
    EXPECT_LE(b.what.size(), 200u) << b.what;
    EXPECT_EQ(b.what.find('\x1B'), std::string::npos) << b.what;
  }
}

}  // namespace
}  // namespace stride::wire
