// FIT codec throughput (firmware_iface/fit/): writing and decoding an activity-shaped file of 100,000 records
// (a 28-hour run at 1 Hz: timestamp, distance, speed, cadence, stance time and %, step length, five developer
// fields), in MB/s of FIT bytes; plus decoding the Stryd sample (real definitions, developer fields).
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "firmware_iface/fit/profile.hpp"
#include "firmware_iface/fit/reader.hpp"
#include "firmware_iface/fit/writer.hpp"

namespace {

using namespace stride::fit;
namespace p = stride::fit::profile;
constexpr int kRecords = 100'000;

std::vector<std::uint8_t> write_activity() {
  Writer w(p::kProfileVersion);
  w.write(p::mesg::file_id, {OutField::num(p::file_id::type, BaseType::enum_, p::file_id::kTypeActivity),
                             OutField::num(p::file_id::manufacturer, BaseType::uint16, p::kManufacturerDevelopment)});
  w.add_developer(0, {}, 1);
  for (std::uint8_t n = 0; n < 5; ++n) {
    DeveloperFieldDescription d;
    d.field_number = n;
    d.type = BaseType::float32;
    std::string name(1, static_cast<char>('0' + n));  // built, then moved: GCC 12's -Wrestrict misfires on
    d.name = std::move(name);                         // assigning a literal at -O3
    d.units = std::string(1, 'u');
    w.describe_field(d);
  }
  const std::uint32_t t0 = 1'100'000'000;
  for (int i = 0; i < kRecords; ++i) {
    const double wave = std::sin(i * 0.01);
    namespace q = p::record;
    w.write(p::mesg::record,
            {OutField::num(p::kTimestamp, BaseType::uint32, t0 + static_cast<std::uint32_t>(i)),
             OutField::num(q::distance, BaseType::uint32, 350.0 * i), OutField::num(q::speed, BaseType::uint16, 3500 + 100 * wave),
             OutField::num(q::enhanced_speed, BaseType::uint32, 3500 + 100 * wave),
             OutField::num(q::cadence, BaseType::uint8, 86), OutField::num(q::fractional_cadence, BaseType::uint8, 64),
             OutField::num(q::stance_time, BaseType::uint16, 2400 + 50 * wave),
             OutField::num(q::stance_time_percent, BaseType::uint16, 3500),
             OutField::num(q::step_length, BaseType::uint16, 12000)},
            {{0, 0, 12 + wave}, {1, 0, 8}, {2, 0, 160}, {3, 0, 14}, {4, 0, 100}});
  }
  return w.finish();
}

void BM_FitWrite(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto out = write_activity();
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecords));
}

void run_decode(benchmark::State& state, const std::vector<std::uint8_t>& bytes) {
  std::size_t messages = 0;
  for (auto _ : state) {
    messages = 0;
    decode(bytes.data(), bytes.size(), "bench.fit", [&messages](const Message& m) { messages += m.fields.size() > 0; });
    benchmark::DoNotOptimize(messages);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages));
}

void BM_FitRead(benchmark::State& state) { run_decode(state, write_activity()); }

void BM_FitReadStrydSample(benchmark::State& state) {
  run_decode(state, read_bytes(std::string(STRIDE_SOURCE_DIR) +
                               "/recordings/reference/formats/fit_developer_fields_stryd/developer-types-sample.fit"));
}

}  // namespace

BENCHMARK(BM_FitWrite)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FitRead)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FitReadStrydSample)->Unit(benchmark::kMillisecond);
