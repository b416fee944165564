#include <benchmark/benchmark.h>

#include "stride/recording.hpp"

// Gap finding over one hour at 1 kHz: the check every import runs.
static void BM_FindGaps(benchmark::State& state) {
  std::vector<stride::ImuSample> s(3'600'000);
  for (std::size_t i = 0; i < s.size(); ++i) s[i].t_s = static_cast<double>(i) * 1e-3;
  for (auto _ : state) benchmark::DoNotOptimize(stride::find_gaps(s, 1e-3));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(s.size()));
}
BENCHMARK(BM_FindGaps)->Unit(benchmark::kMillisecond);
