// Phone exports: joining an accelerometer stream and a gyroscope stream on their clock, and resampling an irregular
// clock onto a uniform grid (firmware_iface/import/). One hour at 100 Hz per stream, in memory; samples/s of output.
// BM_JoinAccAndGyroStreams times the copies of its two inputs too (kept as it was, to compare with earlier figures).
#include <benchmark/benchmark.h>

#include <random>

#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/import/join_streams.hpp"
#include "stride/resample.hpp"

namespace {

constexpr std::size_t kSamples = 360'000;  // 1 h at 100 Hz

// A jittered 100 Hz clock (+-3 ms), with only one sensor's values set (the other NaN, as a per-sensor file reads).
stride::io::Imported phone_stream(bool acc, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.003, 0.003);
  stride::io::Imported r;
  r.report.source = acc ? "Accelerometer.csv" : "Gyroscope.csv";
  r.report.time_unit = "s";
  r.report.has_acc = acc;
  r.report.has_gyro = !acc;
  r.recording.meta.rate_hz = 100;
  const double nan = std::nan("");
  for (std::size_t i = 0; i < kSamples; ++i) {
    stride::ImuSample s;
    s.t_s = 0.01 * static_cast<double>(i) + jitter(rng) + 0.003;
    const double w = 0.01 * static_cast<double>(i);
    s.acc_mps2 = acc ? Eigen::Vector3d(std::sin(w), std::cos(w), 9.81) : Eigen::Vector3d::Constant(nan);
    s.gyr_rad_s = acc ? Eigen::Vector3d::Constant(nan) : Eigen::Vector3d(std::cos(w), 0.1, std::sin(w));
    r.recording.samples.push_back(s);
  }
  return r;
}

void BM_JoinAccAndGyroStreams(benchmark::State& state) {
  const auto acc = phone_stream(true, 1), gyr = phone_stream(false, 2);
  std::size_t n = 0;
  for (auto _ : state) {
    auto joined = stride::io::join_streams(acc, gyr);
    n += joined.recording.samples.size();
    benchmark::DoNotOptimize(joined.recording.samples.data());
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_JoinAccAndGyroStreams)->Unit(benchmark::kMillisecond);

// The join alone, as import_input runs it: the two files' recordings are moved in (the copies above, 2 x 23 MB per
// iteration, are made outside the timing here).
void BM_JoinMovedStreams(benchmark::State& state) {
  const auto acc = phone_stream(true, 1), gyr = phone_stream(false, 2);
  std::size_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto a = acc, g = gyr;
    state.ResumeTiming();
    auto joined = stride::io::join_streams(std::move(a), std::move(g));
    n += joined.recording.samples.size();
    benchmark::DoNotOptimize(joined.recording.samples.data());
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_JoinMovedStreams)->Unit(benchmark::kMillisecond);

void BM_ResampleIrregularClock(benchmark::State& state) {
  const auto acc = phone_stream(true, 1);
  std::size_t n = 0;
  for (auto _ : state) {
    auto copy = acc;
    stride::io::regularise_clock(copy);
    n += copy.recording.samples.size();
    benchmark::DoNotOptimize(copy.recording.samples.data());
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ResampleIrregularClock)->Unit(benchmark::kMillisecond);

}  // namespace
