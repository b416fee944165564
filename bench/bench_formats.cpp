// Vendor-format import throughput (WitMotion packets and BLE frames, Movesense JSON lines) beside the native CSV
// reader on the same 200 000 samples of a simulated run: MB/s and samples/s, whole-file import from memory.
#include <benchmark/benchmark.h>

#include <sstream>
#include <streambuf>
#include <string>

#include "firmware_iface/import/movesense_json.hpp"
#include "firmware_iface/import/witmotion_binary.hpp"
#include "bench/memory_buf.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "tests/format_writers.hpp"

namespace {

constexpr std::size_t kSamples = 200'000;

using stride::bench::MemoryBuf;

const stride::Recording& run() {
  static const stride::Recording rec = [] {
    stride::sim::Settings s;
    s.rate_hz = 200;
    s.strides = 900;  // ~1000 s at 200 Hz
    auto r = stride::sim::simulate(s).recording;
    r.samples.resize(std::min(r.samples.size(), kSamples) / 8 * 8);
    return r;
  }();
  return rec;
}

std::string bytes_of(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

const std::string& witmotion_file() {
  static const std::string s = bytes_of(stride::test::witmotion_stream(run()));
  return s;
}
const std::string& ble_file() {
  static const std::string s = bytes_of(stride::test::witmotion_ble_stream(run()));
  return s;
}
const std::string& movesense_file() {
  static const std::string s = stride::test::movesense_lines(run(), 208);
  return s;
}
const std::string& native_file() {
  static const std::string s = [] {
    std::ostringstream out;
    stride::io::write_native(out, run());
    return out.str();
  }();
  return s;
}

template <class Import>
void measure(benchmark::State& state, const std::string& file, Import import) {
  std::size_t samples = 0;
  for (auto _ : state) {
    MemoryBuf mb(file);
    std::istream in(&mb);
    const auto got = import(in);
    samples = got.recording.samples.size();
    benchmark::DoNotOptimize(got.recording.samples.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.size()));
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(samples) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes/sample"] = static_cast<double>(file.size()) / static_cast<double>(samples);
}

void BM_ImportWitmotionPackets(benchmark::State& s) {
  measure(s, witmotion_file(), [](std::istream& in) { return stride::io::import_witmotion_binary(in, "b"); });
}
void BM_ImportWitmotionBle(benchmark::State& s) {
  stride::io::ImportOptions o;
  o.rate_hz = 200;
  measure(s, ble_file(), [&](std::istream& in) { return stride::io::import_witmotion_binary(in, "b", o); });
}
void BM_ImportMovesenseLines(benchmark::State& s) {
  measure(s, movesense_file(), [](std::istream& in) { return stride::io::import_movesense_json(in, "b"); });
}
void BM_ImportNativeSameSamples(benchmark::State& s) {
  measure(s, native_file(), [](std::istream& in) { return stride::io::import_csv(in, "b"); });
}

}  // namespace

BENCHMARK(BM_ImportWitmotionPackets)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportWitmotionBle)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportMovesenseLines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportNativeSameSamples)->Unit(benchmark::kMillisecond);
