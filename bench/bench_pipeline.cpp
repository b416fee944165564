// Throughput of the offline pipeline and of its stages on a simulated hour of running at 1 kHz (~3.6 M samples),
// and of parse + pipeline end to end on 10 minutes of native CSV. One core. See docs/measuring.md.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <streambuf>
#include <string>

#include "analysis/mounting_calibration.hpp"
#include "analysis/pipeline.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_spatial.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"

namespace {

constexpr double kRateHz = 1000.0;

// Running at 3.5 m/s, 170 steps/min: a stride is 120/170 s; 3 s of rest before and after.
int strides_for(double seconds) { return static_cast<int>((seconds - 6.0) * 170.0 / 120.0); }

stride::Recording simulated(double seconds) {
  stride::sim::Settings s;
  s.rate_hz = kRateHz;
  s.speed_mps = 3.5;
  s.strides = strides_for(seconds);
  s.seed = 42;
  return stride::sim::simulate(s).recording;  // an xvalue: moved; the truth (with its per-sample trajectory) is dropped
}

// Built once (~1.5 s of simulation) and shared by every benchmark that needs it.
const stride::Recording& hour() {
  static const stride::Recording rec = simulated(3600.0);
  return rec;
}

const stride::MountingCalibration::Result& hour_mounting() {
  static const auto m = stride::MountingCalibration{}.run(hour().samples, kRateHz);
  return m;
}

void set_items(benchmark::State& state, std::size_t samples) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(samples));
  state.counters["samples"] = static_cast<double>(samples);
}

// Reads straight from a string without copying it into a stringstream each iteration.
struct MemoryBuf : std::streambuf {
  explicit MemoryBuf(const std::string& s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

void BM_Pipeline1h(benchmark::State& state) {
  const auto& rec = hour();
  std::size_t strides = 0;
  for (auto _ : state) {
    const auto r = stride::analyze(rec);
    strides = r.strides.size();
    benchmark::DoNotOptimize(r.strides.data());
  }
  if (strides + 10 < static_cast<std::size_t>(strides_for(3600.0))) state.SkipWithError("too few strides found");
  set_items(state, rec.samples.size());
  state.counters["strides"] = static_cast<double>(strides);
}

void BM_EventDetectorStreaming(benchmark::State& state) {
  const auto& rec = hour();
  const auto& mounting = hour_mounting();
  const stride::ImpactPitchDetector::Settings settings;
  std::size_t events = 0;
  for (auto _ : state) {
    stride::EventResult out;
    stride::StreamingEventDetector detector(settings, mounting, kRateHz);
    for (const auto& s : rec.samples) detector.push(s, out);
    detector.finish(out);
    events = out.events.size();
    benchmark::DoNotOptimize(out.events.data());
  }
  set_items(state, rec.samples.size());
  state.counters["events"] = static_cast<double>(events);
}

void BM_Calibration(benchmark::State& state) {
  const auto& rec = hour();
  const stride::MountingCalibration calibration;
  bool ok = false;
  for (auto _ : state) {
    const auto m = calibration.run(rec.samples, kRateHz);
    ok = m.ok;
    benchmark::DoNotOptimize(m.segment_from_sensor.data());
  }
  if (!ok) state.SkipWithError("calibration failed");
  set_items(state, rec.samples.size());
}

void BM_ParseAndPipeline(benchmark::State& state) {
  static const std::string text = [] {
    std::ostringstream out;
    stride::io::write_native(out, simulated(600.0));
    return out.str();
  }();
  std::size_t samples = 0, strides = 0;
  for (auto _ : state) {
    MemoryBuf mb(text);
    std::istream in(&mb);
    const auto imported = stride::io::import_csv(in, "bench-10min.csv");
    const auto r = stride::analyze(imported.recording);
    samples = imported.recording.samples.size();
    strides = r.strides.size();
    benchmark::DoNotOptimize(r.strides.data());
  }
  if (strides + 10 < static_cast<std::size_t>(strides_for(600.0))) state.SkipWithError("too few strides found");
  set_items(state, samples);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.counters["strides"] = static_cast<double>(strides);
}

}  // namespace

// The trajectory stage alone (zero-velocity windows, filter, smoother, per-stride spatial metrics), given the
// events and mounting computed once.
void BM_Trajectory1h(benchmark::State& state) {
  const auto& rec = hour();
  const auto& m = hour_mounting();
  static const auto events = stride::ImpactPitchDetector{}.detect(rec.samples, m, kRateHz).events;
  static const auto strides =
      stride::StrideBuilder{}.build(events, rec.samples, rec.gaps, rec.meta.side, stride::Saturation{});
  const stride::FootTrajectory trajectory;
  double distance = 0;
  for (auto _ : state) {
    auto copy = strides;
    const auto r = stride::add_spatial_metrics(copy, rec.samples, events, m, kRateHz, rec.meta.side,
                                               stride::Saturation{}, trajectory);
    distance = r.distance_m;
    benchmark::DoNotOptimize(copy.data());
  }
  set_items(state, rec.samples.size());
  state.counters["distance_m"] = distance;
}

// The same stage in its live form (StreamingSpatial: per-stance windows, the same filter and smoother, per-stride
// values as each next stance closes), fed sample by sample with the events interleaved as the detector emitted them.
void BM_TrajectoryStreaming1h(benchmark::State& state) {
  const auto& rec = hour();
  const auto& m = hour_mounting();
  static const auto events = stride::ImpactPitchDetector{}.detect(rec.samples, m, kRateHz).events;
  const stride::FootTrajectory::Settings settings;
  double distance = 0;
  std::size_t strides = 0;
  for (auto _ : state) {
    stride::StreamingSpatial spatial(settings, m, rec.meta.side, stride::Saturation{}, kRateHz);
    std::vector<stride::Stride> out;
    out.reserve(8);
    std::size_t e = 0;
    distance = 0;
    strides = 0;
    for (std::size_t i = 0; i < rec.samples.size(); ++i) {
      spatial.push_sample(rec.samples[i]);
      // An event is emitted about half a second after its sample: hand it over then, as live does.
      while (e < events.size() && events[e].sample + 500 <= i) spatial.push_event(events[e++], out);
      for (const auto& s : out) distance += std::isfinite(s.stride_length_m) ? s.stride_length_m : 0.0;
      strides += out.size();
      out.clear();
    }
    while (e < events.size()) spatial.push_event(events[e++], out);
    spatial.finish(out);
    strides += out.size();
    benchmark::DoNotOptimize(distance);
  }
  set_items(state, rec.samples.size());
  state.counters["distance_m"] = distance;
  state.counters["strides"] = static_cast<double>(strides);
}

BENCHMARK(BM_Pipeline1h)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Trajectory1h)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TrajectoryStreaming1h)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EventDetectorStreaming)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Calibration)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndPipeline)->Unit(benchmark::kMillisecond);
