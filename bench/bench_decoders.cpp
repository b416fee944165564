// Live decoder throughput: the virtual board's text lines and binary frames, decoded as `stride record` does.
#include <benchmark/benchmark.h>

#include <vector>

#include "firmware_iface/firmware/board_core.hpp"
#include "firmware_iface/firmware/virtual_imu.hpp"
#include "firmware_iface/protocol/stream_decoder.hpp"
#include "stride/simulate.hpp"

namespace {

struct VecSink final : stride::fw::ByteSink {
  std::vector<std::uint8_t> bytes;
  void write(const std::uint8_t* d, std::size_t n) override { bytes.insert(bytes.end(), d, d + n); }
};

const std::vector<std::uint8_t>& stream(stride::fw::Output mode) {
  static const stride::Recording rec = [] {
    stride::sim::Settings s;
    s.rate_hz = 1000;
    s.strides = 30;
    return stride::sim::simulate(s).recording;
  }();
  static std::vector<std::uint8_t> cache[2];
  auto& b = cache[mode == stride::fw::Output::binary];
  if (b.empty()) {
    VecSink sink;
    stride::fw::RecordingImu imu(rec);
    stride::fw::BoardConfig cfg;
    cfg.output = mode;
    stride::fw::BoardCore core(imu, sink, cfg);
    stride::wire::RawSample r;
    while (imu.read(r)) core.push(r);
    core.flush();
    b = std::move(sink.bytes);
  }
  return b;
}

void run(benchmark::State& state, stride::fw::Output mode, stride::wire::Format format, std::size_t chunk) {
  const auto& bytes = stream(mode);
  std::vector<stride::ImuSample> out;
  out.reserve(100000);
  std::size_t samples = 0;
  for (auto _ : state) {
    stride::wire::StreamDecoder d(format);
    out.clear();
    for (std::size_t i = 0; i < bytes.size(); i += chunk)
      d.feed(std::span(bytes).subspan(i, std::min(chunk, bytes.size() - i)), out);
    d.finish(out);
    samples = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(samples) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_DecodeText(benchmark::State& s) { run(s, stride::fw::Output::text, stride::wire::Format::text, 4096); }
void BM_DecodeBinary(benchmark::State& s) { run(s, stride::fw::Output::binary, stride::wire::Format::binary, 4096); }
void BM_DecodeAutoText(benchmark::State& s) { run(s, stride::fw::Output::text, stride::wire::Format::auto_detect, 4096); }
void BM_DecodeBinaryBleChunks(benchmark::State& s) {
  run(s, stride::fw::Output::binary, stride::wire::Format::binary, 20);  // one BLE notification at a time
}

}  // namespace

BENCHMARK(BM_DecodeText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeBinary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeAutoText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeBinaryBleChunks)->Unit(benchmark::kMillisecond);
