// The simulated run that the file-format benchmarks read (bench_formats, bench_strideb), so that every format is
// measured on the same samples: 200 Hz, up to 200 000 samples (~1000 s), and its native CSV text.
#pragma once

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>

#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"

namespace stride::bench {

inline constexpr double kSimulatedRunRateHz = 200;
inline constexpr std::size_t kSimulatedRunSamples = 200'000;

// The run's first kSimulatedRunSamples samples (fewer if the simulator makes fewer).
inline Recording simulated_run() {
  sim::Settings s;
  s.rate_hz = kSimulatedRunRateHz;
  s.strides = 900;
  Recording r = sim::simulate(s).recording;
  r.samples.resize(std::min(r.samples.size(), kSimulatedRunSamples));
  return r;
}

// `rec` repeated end to end, the clock running on, until it holds `samples` samples.
inline Recording repeated_to(Recording rec, std::size_t samples) {
  const std::size_t n = rec.samples.size();
  const double span_s = static_cast<double>(n) / kSimulatedRunRateHz;
  rec.samples.reserve(samples);
  for (std::size_t k = n; k < samples; ++k) {
    ImuSample x = rec.samples[k % n];
    x.t_s += span_s * static_cast<double>(k / n);
    rec.samples.push_back(x);
  }
  return rec;
}

inline std::string native_text(const Recording& rec) {
  std::ostringstream out;
  io::write_native(out, rec);
  return out.str();
}

}  // namespace stride::bench
