// Import throughput: native format and an x-io-style header with units, ~1 M lines from an in-memory buffer; the
// native format again through the input hash, and the hash alone.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "bench/memory_buf.hpp"
#include "firmware_iface/import/content_hash.hpp"
#include "stride/recording_io.hpp"

namespace {

constexpr std::size_t kLines = 1'000'000;

using stride::bench::MemoryBuf;

std::vector<stride::ImuSample> walk(std::size_t n, double rate_hz) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> noise(0.0, 0.03);
  std::vector<stride::ImuSample> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& s = out[i];
    s.t_s = static_cast<double>(i) / rate_hz;
    const double w = 2 * std::numbers::pi * 1.4 * s.t_s;
    s.acc_mps2 = {3 * std::sin(w) + noise(rng), 1.5 * std::cos(w) + noise(rng), 9.81 + 8 * std::sin(2 * w) + noise(rng)};
    s.gyr_rad_s = {0.3 * std::sin(w) + noise(rng), 6 * std::cos(w) + noise(rng), 0.2 * noise(rng)};
  }
  return out;
}

const std::string& native_text() {
  static const std::string text = [] {
    stride::Recording rec;
    rec.meta.rate_hz = 500;
    rec.samples = walk(kLines, 500.0);
    std::ostringstream out;
    stride::io::write_native(out, rec);
    return out.str();
  }();
  return text;
}

const std::string& xio_text() {
  static const std::string text = [] {
    std::string out =
        "Time (s),Gyroscope X (deg/s),Gyroscope Y (deg/s),Gyroscope Z (deg/s),Accelerometer X (g),"
        "Accelerometer Y (g),Accelerometer Z (g)\n";
    char buf[256];
    for (const auto& s : walk(kLines, 400.0)) {
      const double d = 180.0 / std::numbers::pi, g = 1.0 / 9.80665;
      const int n = std::snprintf(buf, sizeof buf, "%.9g,%.7g,%.7g,%.7g,%.7g,%.7g,%.7g\n", s.t_s, s.gyr_rad_s.x() * d,
                                  s.gyr_rad_s.y() * d, s.gyr_rad_s.z() * d, s.acc_mps2.x() * g, s.acc_mps2.y() * g,
                                  s.acc_mps2.z() * g);
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }();
  return text;
}

// `hash`: the bytes pass through the input hash on their way in (what stride analyze reads through; the hashing
// thread's time is not in the CPU column, which counts the benchmark's thread only: compare Time).
void run_reader(benchmark::State& state, const std::string& text, bool hash = false) {
  std::vector<stride::ImuSample> buf(8192);
  std::size_t samples = 0;
  for (auto _ : state) {
    MemoryBuf mb(text);
    std::optional<stride::io::HashingStreambuf> hashing;
    if (hash) hashing.emplace(mb, stride::io::Fnv1a64{});
    std::istream in(hash ? static_cast<std::streambuf*>(&*hashing) : &mb);
    stride::io::CsvReader reader(in, "bench.csv");
    std::size_t n = 0;
    while (const std::size_t got = reader.read(buf)) n += got;
    benchmark::DoNotOptimize(buf.data());
    if (hash) benchmark::DoNotOptimize(hashing->finish().state);
    samples = n;
  }
  if (samples != kLines) state.SkipWithError("sample count mismatch");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * samples));
}

void BM_ReadNative(benchmark::State& state) { run_reader(state, native_text()); }
void BM_ReadXioStyle(benchmark::State& state) { run_reader(state, xio_text()); }
void BM_ReadNativeHashing(benchmark::State& state) { run_reader(state, native_text(), true); }

// The input hash alone (FNV-1a 64: one multiply per byte, each waiting for the last).
void BM_HashFnv1a64(benchmark::State& state) {
  const std::string& text = native_text();
  for (auto _ : state) {
    stride::io::Fnv1a64 h;
    h.update(text.data(), text.size());
    benchmark::DoNotOptimize(h.state);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_WriteNative(benchmark::State& state) {
  const auto samples = walk(kLines / 10, 500.0);
  std::string sink;
  for (auto _ : state) {
    std::ostringstream out;
    for (const auto& s : samples) stride::io::write_native_sample(out, s);
    sink = out.str();
    benchmark::DoNotOptimize(sink.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sink.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * samples.size()));
}

}  // namespace

BENCHMARK(BM_ReadNative)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ReadXioStyle)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ReadNativeHashing)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_HashFnv1a64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteNative)->Unit(benchmark::kMillisecond);
