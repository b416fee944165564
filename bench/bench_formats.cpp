// Vendor-format import throughput (WitMotion packets and BLE frames, Movesense JSON lines, Sensor Logger's per-sensor
// CSV files on Android and iOS, the "t","x","y","z" pair whose units are inferred, MetaBase's streamed file with three
// rows a stamp) beside the native CSV reader on the
// same 200 000 samples of a simulated run: MB/s and samples/s, whole-file import from memory.
#include <benchmark/benchmark.h>

#include <map>
#include <sstream>
#include <vector>
#include <streambuf>
#include <string>

#include "firmware_iface/import/join_streams.hpp"
#include "firmware_iface/import/movesense_json.hpp"
#include "firmware_iface/import/sensor_logger_gravity.hpp"
#include "firmware_iface/import/witmotion_binary.hpp"
#include "bench/memory_buf.hpp"
#include "bench/simulated_run.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "tests/format_writers.hpp"
#include "tests/real_export_layouts.hpp"
#include "tests/vendor_layouts.hpp"

namespace {

constexpr std::size_t kSamples = 200'000;

using stride::bench::MemoryBuf;

const stride::Recording& run() {
  static const stride::Recording rec = [] {
    auto r = stride::bench::simulated_run();
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
  static const std::string s = stride::bench::native_text(run());
  return s;
}

// Sensor Logger files of the run: "TotalAcceleration", "Accelerometer", "Gravity", "Gyroscope" (iOS layout for the
// accelerometer and gravity, with the default sign).
const std::string& sensor_logger_file(const std::string& part) {
  static std::map<std::string, std::string> files;
  auto& f = files[part];
  if (f.empty())
    f = part == "TotalAcceleration" ? stride::test::vendor::sensor_logger(run(), false)
                                    : stride::test::vendor::sensor_logger_ios(run(), part);
  return f;
}

stride::io::Imported read_part(const std::string& part, bool acc_part = false) {
  MemoryBuf mb(sensor_logger_file(part));
  std::istream in(&mb);
  stride::io::ImportOptions o;
  o.acc_part = acc_part;
  return stride::io::import_csv(in, part + ".csv", o);
}

// The "t","x","y","z" pair of the run (m/s^2, rad/s, clock in s): the accelerometer's file or the gyroscope's.
const std::string& txyz_file(bool gyro) {
  static const std::string acc = stride::test::real_layout::txyz_sensor(run(), false);
  static const std::string gyr = stride::test::real_layout::txyz_sensor(run(), true);
  return gyro ? gyr : acc;
}

stride::io::Imported read_txyz(bool gyro) {
  MemoryBuf mb(txyz_file(gyro));
  std::istream in(&mb);
  return stride::io::import_csv(in, gyro ? "Gyroscope.csv" : "Accelerometer.csv");
}

std::size_t sensor_logger_bytes(const std::vector<std::string>& parts) {
  std::size_t bytes = 0;
  for (const auto& p : parts) bytes += sensor_logger_file(p).size();
  return bytes;
}

// Whole recordings made of several files (`bytes` in all): samples/s of the joined output, MB/s of the files read.
template <class Import>
void measure_parts(benchmark::State& state, std::size_t bytes, Import import) {
  std::size_t samples = 0;
  for (auto _ : state) {
    const auto got = import();
    samples = got.recording.samples.size();
    benchmark::DoNotOptimize(got.recording.samples.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(samples) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes/sample"] = static_cast<double>(bytes) / static_cast<double>(samples);
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
void BM_ImportSensorLoggerAndroid(benchmark::State& s) {
  measure_parts(s, sensor_logger_bytes({"TotalAcceleration", "Gyroscope"}), [] {
    return stride::io::join_streams(read_part("TotalAcceleration"), read_part("Gyroscope"));
  });
}
void BM_ImportSensorLoggerIos(benchmark::State& s) {
  measure_parts(s, sensor_logger_bytes({"Accelerometer", "Gravity", "Gyroscope"}), [] {
    const auto sign = stride::io::sensor_logger_gravity_sign(nullptr, "");
    return stride::io::join_streams(
        stride::io::add_gravity(read_part("Accelerometer", true), read_part("Gravity", true), sign),
        read_part("Gyroscope"));
  });
}
// Two files, units inferred from the data (65536 rows held before the units are decided, not 4096), then joined.
void BM_ImportTxyzPair(benchmark::State& s) {
  measure_parts(s, txyz_file(false).size() + txyz_file(true).size(),
                [] { return stride::io::join_streams(read_txyz(false), read_txyz(true)); });
}
// MetaBase's streamed accelerometer file: every row goes through the shared-stamp spreader before the clock guard.
void BM_ImportMetaBaseStreamed(benchmark::State& s) {
  static const std::string file = stride::test::real_layout::metabase_streamed(run(), false);
  measure(s, file, [](std::istream& in) { return stride::io::import_csv(in, "MetaWear_Accelerometer.csv"); });
}
void BM_ImportNativeSameSamples(benchmark::State& s) {
  measure(s, native_file(), [](std::istream& in) { return stride::io::import_csv(in, "b"); });
}

}  // namespace

BENCHMARK(BM_ImportWitmotionPackets)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportWitmotionBle)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportMovesenseLines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportSensorLoggerAndroid)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportSensorLoggerIos)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportTxyzPair)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportMetaBaseStreamed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportNativeSameSamples)->Unit(benchmark::kMillisecond);
