// The FIT export's records and laps (tools/session/fit_export.cpp, build_fit_activity) for a two-feet run of 1 h and
// 8 h (a stride of 2.2 m every 0.72 s per foot), with a lap every 1 000 m and every 1 m (a lap a second). Strides
// per second should stay of the same order as the length grows (they fall ~1.5x from 1 h to 8 h: cache, not work):
// the records once summed every stride each second (24 h took 74 s), the laps scanned every stride per lap.
#include <benchmark/benchmark.h>

#include <cmath>

#include "tools/session/fit_export.hpp"

namespace {

using stride::session::StrideTimeline;

StrideTimeline running_timeline(double hours) {
  StrideTimeline t;
  t.start_unix_s = 1'700'000'000;
  t.duration_s = hours * 3600;
  t.two_feet = true;
  constexpr double kStrideS = 0.72;
  for (double ic = 0.5; ic + kStrideS < t.duration_s; ic += kStrideS)
    for (const char* foot : {"left", "right"}) {
      stride::session::TimedStride s;
      s.foot = foot;
      s.ic_unix_s = t.start_unix_s + ic + (foot[0] == 'r' ? kStrideS / 2 : 0.0);
      s.next_ic_unix_s = s.ic_unix_s + kStrideS;
      s.cadence_spm = 2 * 60 / kStrideS;
      s.gct_ms = 240 + 10 * std::sin(ic);
      s.flight_ms = 120;
      s.stride_length_m = 2.2;
      s.speed_mps = 2.2 / kStrideS;
      s.fsa_deg = 12;
      s.pronation_excursion_deg = 8;
      s.pronation_velocity_dps = 300;
      s.peak_impact_g = 9;
      t.strides.push_back(s);
    }
  return t;
}

void BM_FitActivity(benchmark::State& state) {
  const StrideTimeline t = running_timeline(static_cast<double>(state.range(0)));
  stride::session::FitExportOptions o;
  o.lap_m = static_cast<double>(state.range(1));
  std::size_t laps = 0;
  for (auto _ : state) {
    const auto a = stride::session::build_fit_activity(t, o);
    laps = a.laps.size();
    benchmark::DoNotOptimize(a.records.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.strides.size()));  // strides/s
  state.counters["laps"] = static_cast<double>(laps);
}

}  // namespace

BENCHMARK(BM_FitActivity)->ArgNames({"hours", "lap_m"})->Args({1, 1000})->Args({8, 1000})->Args({1, 1})->Args({8, 1})
    ->Unit(benchmark::kMillisecond);
