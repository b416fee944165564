// WitMotion files and the WitMotion stream decoder: the simulator's run written as a board sends it (0x55 packets,
// with and without 0x50 time packets; BLE 0x55 0x61 frames), imported, compared sample by sample (within int16
// quantisation) and by its analysis with the native recording; damage counted with byte offsets; detection.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "firmware_iface/import/witmotion_binary.hpp"
#include "firmware_iface/protocol/stream_decoder.hpp"
#include "firmware_iface/protocol/witmotion_decoder.hpp"
#include "format_compare.hpp"
#include "format_writers.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"

namespace stride {
namespace {

// The run a WitMotion board can carry: 200 Hz (its fastest common output rate), 12 strides.
const Recording& wit_run() {
  static const Recording rec = [] {
    sim::Settings s;
    s.rate_hz = 200.0;
    s.strides = 12;
    s.rest_before_s = 2.0;
    s.rest_after_s = 1.0;
    return sim::simulate(s).recording;
  }();
  return rec;
}

std::string as_string(const std::vector<std::uint8_t>& b) { return {b.begin(), b.end()}; }

io::Imported import_bytes(const std::string& bytes, double rate_hz = 0.0) {
  std::istringstream in(bytes);
  io::ImportOptions o;
  o.rate_hz = rate_hz;
  return io::import_witmotion_binary(in, "wit.TXT", o);
}

const test::Tolerance kQuantised{1e-6, 0.5 * test::kWitAccLsbMps2 + 1e-12, 0.5 * test::kWitGyrLsbRadS + 1e-12};
constexpr double kAccClip = 16 * 9.80665 - 0.01, kGyrClip = 2000 * 3.14159265358979 / 180 - 0.001;

TEST(WitmotionImport, TimePacketsGiveTheSimulatorsSamplesAndClock) {
  const auto got = import_bytes(as_string(test::witmotion_stream(wit_run())));
  test::expect_same_samples(got.recording, wit_run(), kQuantised, kAccClip, kGyrClip);
  EXPECT_EQ(got.report.format, "witmotion");
  EXPECT_DOUBLE_EQ(got.recording.meta.rate_hz, 200.0);
  EXPECT_NE(got.report.rate_reason.find("time packets"), std::string::npos) << got.report.rate_reason;
  EXPECT_EQ(got.report.skipped, 0u);
  EXPECT_TRUE(got.recording.gaps.empty());
  EXPECT_EQ(got.report.acc_unit, "g");
  EXPECT_EQ(got.report.gyr_unit, "deg/s");
}

TEST(WitmotionImport, WithoutTimePacketsTheDeclaredRateOrTheDefaultTenHertz) {
  const auto bytes = as_string(test::witmotion_stream(wit_run(), {false, true}));
  const auto declared = import_bytes(bytes, 200.0);
  test::expect_same_samples(declared.recording, wit_run(), kQuantised, kAccClip, kGyrClip);
  EXPECT_TRUE(declared.report.rate_declared);
  EXPECT_NE(declared.report.rate_reason.find("options.rate_hz"), std::string::npos);
  const auto assumed = import_bytes(bytes);
  EXPECT_DOUBLE_EQ(assumed.recording.meta.rate_hz, 10.0);
  EXPECT_NEAR(assumed.recording.samples[10].t_s, 1.0, 1e-12);
  EXPECT_NE(assumed.report.rate_reason.find("factory default"), std::string::npos);
  EXPECT_NE(assumed.report.rate_reason.find("--rate"), std::string::npos);
}

TEST(WitmotionImport, BleFramesAcrossAnyChunking) {
  const auto bytes = as_string(test::witmotion_ble_stream(wit_run()));
  const auto got = import_bytes(bytes, 200.0);
  EXPECT_EQ(got.report.format, "witmotion-ble");
  test::expect_same_samples(got.recording, wit_run(), kQuantised, kAccClip, kGyrClip);
  // Streaming equals batch: the live decoder fed in random pieces gives the same samples.
  std::mt19937 rng(7);
  auto dec = wire::make_witmotion_decoder(200.0);
  std::vector<ImuSample> out;
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1 + rng() % 37);
    dec->feed(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()) + at, n), out);
    at += n;
  }
  dec->finish(out);
  ASSERT_EQ(out.size(), got.recording.samples.size());
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i].acc_mps2, got.recording.samples[i].acc_mps2) << i;
}

TEST(WitmotionImport, AnalysisEqualsTheNativeRecordingOfTheSameMotion) {
  const auto got = import_bytes(as_string(test::witmotion_stream(wit_run())));
  test::expect_same_gait(got.recording, wit_run());
}

TEST(WitmotionImport, DamageIsCountedWithByteOffsetsAndTheRestKept) {
  auto bytes = test::witmotion_stream(wit_run());  // 44 bytes per cycle: time, acc, gyro, angle
  const std::size_t cycles = wit_run().samples.size();
  ASSERT_EQ(bytes.size(), cycles * 44);
  // 1) a flipped bit in the acc packet of cycle 100 (bad checksum): that sample is lost, its slot kept.
  bytes[100 * 44 + 11 + 4] ^= 0x10;
  // 2) the gyro packet of cycle 200 truncated to 6 bytes (bytes lost on the line).
  const std::size_t trunc_at = 200 * 44 + 22 + 6;
  bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(trunc_at), bytes.begin() + static_cast<std::ptrdiff_t>(trunc_at + 5));
  // 3) 7 bytes of garbage between cycles 300 and 301 (after the erase: 5 bytes earlier).
  const std::size_t garbage_at = 301 * 44 - 5;
  const std::uint8_t junk[7] = {0x00, 0xFF, 0x55, 0x12, 0x55, 0x51, 0x07};
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(garbage_at), junk, junk + 7);
  // 4) the file ends in the middle of a packet.
  bytes.resize(bytes.size() - 4);
  const auto got = import_bytes(as_string(bytes));
  const auto& rep = got.report;
  // Lost: cycle 100 (acc), 200 (gyro), the last cycle (angle cut: its sample is whole; nothing lost there).
  EXPECT_EQ(got.recording.samples.size(), cycles - 2);
  EXPECT_GE(rep.skipped, 4u);
  ASSERT_FALSE(rep.issues.empty());
  auto has = [&](const std::string& text) {
    for (const auto& i : rep.issues)
      if (i.what.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("byte " + std::to_string(100 * 44 + 11) + " ")) << rep.issues[0].what;
  EXPECT_TRUE(has("checksum mismatch"));
  EXPECT_TRUE(has("byte " + std::to_string(200 * 44 + 22) + " "));
  EXPECT_TRUE(has("byte " + std::to_string(garbage_at) + " "));
  EXPECT_TRUE(has("truncated packet at the end"));
  // Time kept across the losses (the 0x50 packets), and the two lost samples are two gaps.
  const auto& s = got.recording.samples;
  EXPECT_NEAR(s.back().t_s, wit_run().samples[cycles - 1].t_s - wit_run().samples[0].t_s, 1e-6);
  EXPECT_EQ(got.recording.gaps.size(), 2u);
  EXPECT_EQ(got.recording.meta.extra.at("witmotion_incomplete_cycles"), "2");
}

TEST(WitmotionImport, LosesNoTimeWithoutTimePacketsWhenAPacketIsDamaged) {
  auto bytes = test::witmotion_stream(wit_run(), {false, true});  // 33 bytes per cycle: acc, gyro, angle
  bytes[50 * 33 + 3] ^= 0x01;  // acc of cycle 50
  bytes[51 * 33 + 11 + 3] ^= 0x01;  // gyro of cycle 51
  const auto got = import_bytes(as_string(bytes), 200.0);
  ASSERT_EQ(got.recording.samples.size(), wit_run().samples.size() - 2);
  EXPECT_NEAR(got.recording.samples.back().t_s, (wit_run().samples.size() - 1) / 200.0, 1e-9);
  EXPECT_EQ(got.report.skipped, 2u);
}

TEST(WitmotionImport, AccelerationOnlyBoardTakesTheAccelerometerOnlyPath) {
  std::vector<std::uint8_t> bytes;
  for (const auto& s : wit_run().samples) {
    std::array<std::int16_t, 4> a{};
    for (int k = 0; k < 3; ++k) a[static_cast<std::size_t>(k)] = test::wit_counts(s.acc_mps2[k], test::kWitAccLsbMps2);
    test::wit_packet(bytes, 0x51, a);
    test::wit_packet(bytes, 0x53, {0, 0, 0, 0});
  }
  const auto got = import_bytes(as_string(bytes), 200.0);
  ASSERT_EQ(got.recording.samples.size(), wit_run().samples.size());
  EXPECT_FALSE(got.report.has_gyro);
  EXPECT_EQ(got.report.gyr_unit, "none");
  EXPECT_TRUE(std::isnan(got.recording.samples[5].gyr_rad_s[1]));
  EXPECT_NEAR(got.recording.samples[5].acc_mps2[2], wit_run().samples[5].acc_mps2[2], test::kWitAccLsbMps2);
}

TEST(WitmotionImport, NothingUsableIsAnErrorThatQuotesLittle) {
  std::string junk(100000, 'x');
  try {
    import_bytes(junk);
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();
    EXPECT_NE(std::string(e.what()).find("no WitMotion sample"), std::string::npos);
  }
}

TEST(WitmotionDetect, SamplesYesNativeCsvAndRandomBytesNo) {
  std::string why;
  const auto serial = as_string(test::witmotion_stream(wit_run()));
  EXPECT_TRUE(io::looks_like_witmotion_binary(std::string_view(serial).substr(0, 65536), &why));
  EXPECT_NE(why.find("valid checksums at offsets 0, 11, 22"), std::string::npos) << why;
  EXPECT_TRUE(io::looks_like_witmotion_binary(std::string_view(serial).substr(5, 4000), &why)) << why;
  const auto ble = as_string(test::witmotion_ble_stream(wit_run()));
  EXPECT_TRUE(io::looks_like_witmotion_binary(ble, &why));
  EXPECT_NE(why.find("BLE"), std::string::npos) << why;
  std::ostringstream native;
  io::write_native(native, wit_run());
  EXPECT_FALSE(io::looks_like_witmotion_binary(native.str().substr(0, 65536), &why)) << why;
  std::mt19937 rng(1);
  std::string random(65536, '\0');
  for (auto& c : random) c = static_cast<char>(rng());
  EXPECT_FALSE(io::looks_like_witmotion_binary(random, &why)) << why;
  std::ifstream sample(test::reference_data() / "formats/witmotion/wt901_200hz_time.TXT", std::ios::binary);
  ASSERT_TRUE(sample) << "reference sample missing";
  std::string head(65536, '\0');
  sample.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(sample.gcount()));
  EXPECT_TRUE(io::looks_like_witmotion_binary(head, &why)) << why;
}

TEST(WitmotionImport, ReferenceSamplesImport) {
  for (const char* name : {"wt901_200hz_time.TXT", "bwt901ble_frames.bin"}) {
    std::ifstream in(test::reference_data() / "formats/witmotion" / name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    io::ImportOptions o;
    o.rate_hz = std::string(name).find("ble") != std::string::npos ? 100.0 : 0.0;
    const auto got = io::import_witmotion_binary(in, name, o);
    EXPECT_GT(got.recording.samples.size(), 100u) << name;
    EXPECT_EQ(got.report.skipped, 0u) << name;
    // At rest first: |a| about 1 g.
    const auto& a = got.recording.samples.front().acc_mps2;
    EXPECT_NEAR(std::hypot(a[0], a[1], a[2]), 9.81, 0.3) << name;
  }
}

std::vector<ImuSample> decode_in_chunks(const std::vector<std::uint8_t>& bytes, std::size_t max_chunk, unsigned seed,
                                        wire::DecoderStats* stats = nullptr) {
  std::mt19937 rng(seed);
  auto dec = wire::make_witmotion_decoder();
  std::vector<ImuSample> out;
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1 + rng() % max_chunk);
    dec->feed(std::span(bytes.data() + at, n), out);
    at += n;
  }
  dec->finish(out);
  if (stats) *stats = dec->stats();
  return out;
}

// Streaming equals batch on a damaged stream: whole, byte by byte, and in random pieces give the same samples and
// the same damage at the same offsets.
TEST(WitmotionStream, AnyChunkingGivesTheSameSamplesAndDamage) {
  auto bytes = test::witmotion_stream(wit_run());
  bytes[77 * 44 + 11 + 2] ^= 0x08;
  bytes.insert(bytes.begin() + 150 * 44, {0x55, 0x51, 0x00});
  bytes.erase(bytes.begin() + 300 * 44 + 5, bytes.begin() + 300 * 44 + 9);
  wire::DecoderStats whole_st, st;
  const auto whole = decode_in_chunks(bytes, bytes.size(), 1, &whole_st);
  ASSERT_GT(whole.size(), wit_run().samples.size() - 5);
  for (const std::size_t max_chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}}) {
    const auto got = decode_in_chunks(bytes, max_chunk, static_cast<unsigned>(max_chunk), &st);
    ASSERT_EQ(got.size(), whole.size()) << max_chunk;
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].t_s, whole[i].t_s) << i;
      ASSERT_EQ(got[i].acc_mps2, whole[i].acc_mps2) << i;
      ASSERT_EQ(got[i].gyr_rad_s, whole[i].gyr_rad_s) << i;
    }
    EXPECT_EQ(st.crc_failures, whole_st.crc_failures) << max_chunk;
    EXPECT_EQ(st.bad_frames, whole_st.bad_frames) << max_chunk;
    ASSERT_EQ(st.bad.size(), whole_st.bad.size()) << max_chunk;
    for (std::size_t k = 0; k < st.bad.size(); ++k) EXPECT_EQ(st.bad[k].offset, whole_st.bad[k].offset) << k;
  }
}

// A reconnect: the half packet before it is counted, the time packets carry the clock across, the hole is a gap.
TEST(WitmotionStream, ReconnectKeepsTheDeviceClock) {
  const auto bytes = test::witmotion_stream(wit_run());
  const std::size_t cut = 400 * 44 + 17, resume = 460 * 44;  // mid-packet; 60 cycles never arrive
  auto dec = wire::make_witmotion_decoder();
  std::vector<ImuSample> out;
  dec->feed(std::span(bytes.data(), cut), out);
  dec->discontinuity(0.3);
  dec->feed(std::span(bytes.data() + resume, bytes.size() - resume), out);
  dec->finish(out);
  ASSERT_EQ(out.size(), wit_run().samples.size() - 60);
  ASSERT_EQ(dec->gaps().size(), 1u);
  EXPECT_NEAR(dec->gaps()[0].end_s - dec->gaps()[0].start_s, 61 / 200.0, 1e-6);
  EXPECT_NEAR(out[400].t_s, 460 / 200.0, 1e-6);
  EXPECT_EQ(dec->stats().bad_frames, 1u);  // the 17 bytes before the break
}

// The live decoder recognises a WitMotion stream by itself (--format auto).
TEST(WitmotionStream, AutoDetectPicksWitmotion) {
  const auto bytes = test::witmotion_stream(wit_run());
  wire::TextOptions t;
  t.rate_hz = 0;
  wire::StreamDecoder d(wire::Format::auto_detect, t);
  std::vector<ImuSample> out;
  for (std::size_t at = 0; at < bytes.size(); at += 64)
    d.feed(std::span(bytes.data() + at, std::min<std::size_t>(64, bytes.size() - at)), out);
  d.finish(out);
  EXPECT_EQ(d.format(), wire::Format::witmotion);
  EXPECT_EQ(out.size(), wit_run().samples.size());
  EXPECT_EQ(d.stats().bad_total(), 0u);
  EXPECT_NE(d.describe().find("WitMotion"), std::string::npos);
}

// Writes the reference samples under recordings/reference/formats/witmotion/ (run with
// --gtest_also_run_disabled_tests --gtest_filter='*WriteReferenceSamples*'); SOURCE.md there describes them.
TEST(WitmotionImport, DISABLED_WriteReferenceSamples) {
  auto run = [](double rate, double rest_s, int strides) {
    sim::Settings s;
    s.rate_hz = rate;
    s.strides = strides;
    s.rest_before_s = rest_s;
    s.rest_after_s = 0.5;
    return sim::simulate(s).recording;
  };
  const auto dir = test::reference_data() / "formats/witmotion";
  std::filesystem::create_directories(dir);
  const auto serial = test::witmotion_stream(run(200.0, 1.0, 2));
  std::ofstream(dir / "wt901_200hz_time.TXT", std::ios::binary)
      .write(reinterpret_cast<const char*>(serial.data()), static_cast<std::streamsize>(serial.size()));
  const auto ble = test::witmotion_ble_stream(run(100.0, 1.0, 2));
  std::ofstream(dir / "bwt901ble_frames.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(ble.data()), static_cast<std::streamsize>(ble.size()));
}

}  // namespace
}  // namespace stride
