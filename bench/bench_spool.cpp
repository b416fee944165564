// The first read's spool (firmware_iface/import/sample_spool.hpp), 1 M samples in $TMPDIR: writing them as the
// first read does (one block at a time) and one replay pass (what each later pass of a streamed analysis costs
// instead of a CSV parse). Samples/s and bytes/s, one core; the file lives in the page cache (nothing reaches the
// disk unless the kernel writes it back while the benchmark runs).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware_iface/import/sample_spool.hpp"

namespace {

using stride::io::SampleSpool;

constexpr std::size_t kSamples = 1'000'000;

const std::vector<stride::ImuSample>& samples() {
  static const std::vector<stride::ImuSample> s = [] {
    std::vector<stride::ImuSample> v(kSamples);
    for (std::size_t i = 0; i < kSamples; ++i) {
      const double x = static_cast<double>(i);
      v[i].t_s = x * 1e-3;
      v[i].acc_mps2 = {0.1 * x, 9.81, -0.2 * x};
      v[i].gyr_rad_s = {1e-3 * x, -2e-3 * x, 0.5};
    }
    return v;
  }();
  return s;
}

std::unique_ptr<SampleSpool> filled_spool() {
  std::string why;
  auto spool = SampleSpool::create("", why);
  if (!spool) throw std::runtime_error(why);
  const auto& all = samples();
  for (std::size_t at = 0; at < all.size(); at += stride::io::kBlockSamples)
    spool->append(std::span(all).subspan(at, std::min(stride::io::kBlockSamples, all.size() - at)));
  if (!spool->finish()) throw std::runtime_error(spool->failed());
  return spool;
}

void BM_SpoolWrite(benchmark::State& state) {
  samples();
  for (auto _ : state) benchmark::DoNotOptimize(filled_spool());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kSamples));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kSamples * SampleSpool::kBytesPerSample));
}
BENCHMARK(BM_SpoolWrite)->Unit(benchmark::kMillisecond);

void BM_SpoolReplay(benchmark::State& state) {
  const auto spool = filled_spool();
  for (auto _ : state) {
    double sum = 0;
    spool->replay([&](std::span<const stride::ImuSample> b) { sum += b.back().t_s; });
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kSamples));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kSamples * SampleSpool::kBytesPerSample));
}
BENCHMARK(BM_SpoolReplay)->Unit(benchmark::kMillisecond);

}  // namespace
