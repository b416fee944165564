// .strideb throughput beside the native CSV on the same 1 M samples of a simulated run (200 Hz, ~83 min): write,
// whole-file import, and the block-wise reader into a caller's buffer (what a streaming analysis uses). MB/s and
// samples/s, one core, from and to memory (no disk: the format's cost, not the file system's).
#include <benchmark/benchmark.h>

#include <sstream>
#include <streambuf>
#include <string>

#include "bench/memory_buf.hpp"
#include "bench/simulated_run.hpp"
#include "firmware_iface/protocol/strideb.hpp"
#include "stride/recording_io.hpp"

namespace {

constexpr std::size_t kSamples = 1'000'000;

using stride::bench::MemoryBuf;

// The simulated run (200 000 samples), repeated end to end with the clock running on.
const stride::Recording& run() {
  static const stride::Recording rec = stride::bench::repeated_to(stride::bench::simulated_run(), kSamples);
  return rec;
}

const std::string& strideb_file() {
  static const std::string s = [] {
    std::ostringstream out;
    stride::io::write_strideb(out, run());
    return out.str();
  }();
  return s;
}

const std::string& native_file() {
  static const std::string s = stride::bench::native_text(run());
  return s;
}

// An ostream buffer appending to a string that keeps its capacity between iterations.
struct StringSink : std::streambuf {
  std::string& s;
  explicit StringSink(std::string& out) : s(out) {}
  std::streamsize xsputn(const char* p, std::streamsize n) override {
    s.append(p, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) s.push_back(static_cast<char>(c));
    return c;
  }
};

void counters(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(kSamples * state.iterations()),
                                                   benchmark::Counter::kIsRate);
  state.counters["bytes/sample"] = static_cast<double>(bytes) / static_cast<double>(kSamples);
}

// Writing the run into a string that keeps its capacity between iterations; `bytes`: what one write writes.
template <class Write>
void measure_write(benchmark::State& state, std::size_t bytes, Write write) {
  const auto& rec = run();
  std::string out;
  out.reserve(bytes);
  for (auto _ : state) {
    out.clear();
    StringSink sink(out);
    std::ostream os(&sink);
    write(os, rec);
    benchmark::DoNotOptimize(out.data());
  }
  counters(state, bytes);
}

void BM_StridebWrite(benchmark::State& state) {
  measure_write(state, strideb_file().size(),
                [](std::ostream& os, const stride::Recording& rec) { stride::io::write_strideb(os, rec); });
}

void BM_StridebImport(benchmark::State& state) {
  const auto& file = strideb_file();
  for (auto _ : state) {
    MemoryBuf mb(file);
    std::istream in(&mb);
    const auto got = stride::io::import_strideb(in, "b");
    benchmark::DoNotOptimize(got.recording.samples.data());
  }
  counters(state, file.size());
}

// The streaming path: 4096 samples at a time into one buffer (no growing vector, no page faults per call).
void BM_StridebReadBlocks(benchmark::State& state) {
  const auto& file = strideb_file();
  std::vector<stride::ImuSample> buf(4096);
  for (auto _ : state) {
    MemoryBuf mb(file);
    std::istream in(&mb);
    stride::io::StridebReader reader(in, "b");
    std::size_t n = 0;
    while (const std::size_t got = reader.read(buf)) n += got;
    benchmark::DoNotOptimize(n);
  }
  counters(state, file.size());
}

void BM_StridebNativeCsvWrite(benchmark::State& state) {
  measure_write(state, native_file().size(),
                [](std::ostream& os, const stride::Recording& rec) { stride::io::write_native(os, rec); });
}

void BM_StridebNativeCsvImport(benchmark::State& state) {
  const auto& file = native_file();
  for (auto _ : state) {
    MemoryBuf mb(file);
    std::istream in(&mb);
    const auto got = stride::io::import_csv(in, "b");
    benchmark::DoNotOptimize(got.recording.samples.data());
  }
  counters(state, file.size());
}

}  // namespace

BENCHMARK(BM_StridebWrite)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StridebImport)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StridebReadBlocks)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StridebNativeCsvWrite)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StridebNativeCsvImport)->Unit(benchmark::kMillisecond);
