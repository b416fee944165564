// Native recording format: exact round trips, metadata, clipping re-derived, crash-truncated files.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <sstream>

#include "stride/recording_io.hpp"

namespace stride::io {
namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void expect_identical(const std::vector<ImuSample>& a, const std::vector<ImuSample>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_TRUE(same_bits(a[i].t_s, b[i].t_s)) << "sample " << i << " t " << a[i].t_s << " vs " << b[i].t_s;
    for (int k = 0; k < 3; ++k) {
      ASSERT_TRUE(same_bits(a[i].acc_mps2[k], b[i].acc_mps2[k])) << "sample " << i << " acc " << k;
      ASSERT_TRUE(same_bits(a[i].gyr_rad_s[k], b[i].gyr_rad_s[k])) << "sample " << i << " gyr " << k;
    }
  }
}

Imported round_trip(const Recording& rec) {
  std::stringstream ss;
  write_native(ss, rec);
  return import_csv(ss, "mem.csv");
}

// A stream like the simulator's: 500 Hz, gravity plus motion plus noise, times computed as i / rate.
Recording simulated_like(std::size_t n, double rate_hz, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.03);
  Recording rec;
  rec.meta.rate_hz = rate_hz;
  for (std::size_t i = 0; i < n; ++i) {
    ImuSample s;
    s.t_s = static_cast<double>(i) / rate_hz;
    const double w = 2.0 * std::numbers::pi * 1.4 * s.t_s;
    s.acc_mps2 = {3.0 * std::sin(w) + noise(rng), 1.5 * std::cos(2 * w) + noise(rng), 9.80665 + 8 * std::sin(w) + noise(rng)};
    s.gyr_rad_s = {0.3 * std::sin(w) + noise(rng), 6.0 * std::cos(w) + noise(rng), 0.2 * noise(rng)};
    rec.samples.push_back(s);
  }
  return rec;
}

TEST(NativeFormat, RandomDoublesRoundTripExactly) {
  std::mt19937_64 rng(42);
  auto random_double = [&] {
    for (;;) {
      const double v = std::bit_cast<double>(rng());
      if (std::isfinite(v)) return v;
    }
  };
  const double specials[] = {0.0, -0.0, std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::lowest(), 0.1, 1.0 / 3.0, -9.80665, 1e-300, 123456789.125};
  Recording rec;
  double t = 0.0;
  for (int i = 0; i < 3000; ++i) {
    ImuSample s;
    t += std::uniform_real_distribution<double>(1e-6, 1e-2)(rng);
    s.t_s = t;
    for (int k = 0; k < 3; ++k) {
      s.acc_mps2[k] = i < 10 ? specials[(i + k) % 10] : random_double();
      s.gyr_rad_s[k] = i < 10 ? specials[(i + k + 5) % 10] : random_double();
    }
    rec.samples.push_back(s);
  }
  const Imported back = round_trip(rec);
  EXPECT_EQ(back.report.format, "stride-native");
  EXPECT_EQ(back.report.skipped, 0u);
  expect_identical(rec.samples, back.recording.samples);
}

TEST(NativeFormat, SimulatedStreamRoundTripsExactly) {
  const Recording rec = simulated_like(20000, 500.0, 7);
  const Imported back = round_trip(rec);
  expect_identical(rec.samples, back.recording.samples);
  EXPECT_DOUBLE_EQ(back.recording.meta.rate_hz, 500.0);
  EXPECT_TRUE(back.recording.gaps.empty());
}

TEST(NativeFormat, MetadataRoundTrips) {
  Recording rec = simulated_like(10, 208.0, 1);
  RecordingMeta& m = rec.meta;
  m.board = "ESP32-C3 + LSM6DSO";
  m.sensor = "LSM6DSO";
  m.placement = Placement::shin;
  m.side = Side::left;
  m.rate_hz = 208.33333333333334;
  m.acc_range_g = 16;
  m.gyr_range_dps = 2000;
  m.athlete = "Ana Lima";
  m.shoe = "Pegasus 40 #2";
  m.start_time = "2024-05-01T10:20:30+02:00";
  m.extra["firmware"] = "0.3.1";
  m.extra["note"] = "windy: 20 km/h";
  std::stringstream ss;
  write_native(ss, rec);
  EXPECT_EQ(ss.str().rfind("# stride_format: 1\n", 0), 0u) << ss.str();
  const Imported back = import_csv(ss, "meta.csv");
  const RecordingMeta& b = back.recording.meta;
  EXPECT_EQ(b.board, m.board);
  EXPECT_EQ(b.sensor, m.sensor);
  EXPECT_EQ(b.placement, m.placement);
  EXPECT_EQ(b.side, m.side);
  EXPECT_EQ(b.rate_hz, m.rate_hz);
  EXPECT_EQ(b.acc_range_g, m.acc_range_g);
  EXPECT_EQ(b.gyr_range_dps, m.gyr_range_dps);
  EXPECT_EQ(b.athlete, m.athlete);
  EXPECT_EQ(b.shoe, m.shoe);
  EXPECT_EQ(b.start_time, m.start_time);
  EXPECT_EQ(b.extra, m.extra);
  EXPECT_TRUE(back.report.rate_declared);
}

TEST(NativeFormat, ClippingIsRederivedFromDeclaredRanges) {
  Recording rec = simulated_like(5, 100.0, 3);
  rec.meta.acc_range_g = 8;
  rec.meta.gyr_range_dps = 500;
  rec.samples[1].acc_mps2.y() = -8 * 9.80665;                 // at the range
  rec.samples[2].gyr_rad_s.z() = 0.9995 * 500 * std::numbers::pi / 180;   // within 0.1 % of it
  rec.samples[3].acc_mps2.x() = 0.99 * 8 * 9.80665;           // not clipped
  const Imported back = round_trip(rec);
  ASSERT_EQ(back.recording.samples.size(), 5u);
  EXPECT_EQ(back.recording.samples[0].clipped, 0);
  EXPECT_EQ(back.recording.samples[1].clipped, kClipAccY);
  EXPECT_EQ(back.recording.samples[2].clipped, kClipGyrZ);
  EXPECT_EQ(back.recording.samples[3].clipped, 0);
}

TEST(NativeFormat, TruncatedLastLineKeepsEveryEarlierSample) {
  const Recording rec = simulated_like(1000, 200.0, 5);
  std::stringstream ss;
  write_native(ss, rec);
  const std::string full = ss.str();
  const std::size_t last_line_start = full.rfind('\n', full.size() - 2) + 1;
  const std::size_t header_lines = static_cast<std::size_t>(std::count(full.begin(), full.end(), '\n')) - 1000;
  // Cut anywhere inside the last line, including mid-number (the cut line can still have 7 cells).
  for (std::size_t cut = last_line_start + 1; cut < full.size(); cut += 7) {
    std::istringstream in(full.substr(0, cut));
    const Imported back = import_csv(in, "crash.csv");
    ASSERT_EQ(back.recording.samples.size(), 999u) << "cut at " << cut;
    ASSERT_EQ(back.report.skipped, 1u);
    ASSERT_EQ(back.report.issues.size(), 1u);
    EXPECT_EQ(back.report.issues[0].line, header_lines + 1000);
    EXPECT_NE(back.report.issues[0].what.find("no line end"), std::string::npos) << back.report.issues[0].what;
    expect_identical(std::vector<ImuSample>(rec.samples.begin(), rec.samples.end() - 1), back.recording.samples);
  }
  std::istringstream whole(full);
  EXPECT_EQ(import_csv(whole, "whole.csv").recording.samples.size(), 1000u);
}

TEST(NativeFormat, WriterAppendsLineByLineAndEveryPrefixIsReadable) {
  const Recording rec = simulated_like(50, 100.0, 9);
  std::ostringstream out;
  write_native_header(out, rec.meta);
  for (std::size_t k = 0; k < rec.samples.size(); ++k) {
    write_native_sample(out, rec.samples[k]);
    std::istringstream in(out.str());
    ASSERT_EQ(import_csv(in, "live.csv").recording.samples.size(), k + 1);
  }
}

TEST(NativeFormat, StreamingReaderEqualsBatchInRandomChunks) {
  Recording rec = simulated_like(30000, 400.0, 11);
  rec.samples.erase(rec.samples.begin() + 10000, rec.samples.begin() + 10003);  // a gap of 3 samples
  std::stringstream ss;
  write_native(ss, rec);
  const std::string text = ss.str();
  std::istringstream batch_in(text);
  const Imported batch = import_csv(batch_in, "batch.csv");

  std::istringstream in(text);
  CsvReader reader(in, "stream.csv");
  std::mt19937 rng(3);
  std::vector<ImuSample> got, buf(5000);
  std::size_t last_count = 0;
  for (;;) {
    const std::size_t want = std::uniform_int_distribution<std::size_t>(1, buf.size())(rng);
    const std::size_t n = reader.read(std::span<ImuSample>(buf.data(), want));
    if (n == 0) break;
    got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_GE(reader.report().samples, last_count);
    last_count = reader.report().samples;
  }
  expect_identical(batch.recording.samples, got);
  EXPECT_EQ(reader.report().samples, got.size());
  ASSERT_EQ(reader.gaps().size(), 1u);
  ASSERT_EQ(batch.recording.gaps.size(), 1u);
  EXPECT_EQ(reader.gaps()[0].missing_samples, 3u);
  EXPECT_EQ(batch.recording.gaps[0].start_s, reader.gaps()[0].start_s);
}

}  // namespace
}  // namespace stride::io
