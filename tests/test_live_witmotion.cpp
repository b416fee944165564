// End to end: a virtual WitMotion board (the simulator's run as 0x55 packets, paced like a 230400-baud line) ->
// a pseudo-terminal -> `stride record --format witmotion --baud 9600` -> the native file read back and compared
// with the simulator's samples (within int16 quantisation); corrupted packets are counted, not fatal.
#include <gtest/gtest.h>

#include <utility>  // before Boost.Asio (Boost 1.74, g++ 12, C++20)
#include <boost/asio.hpp>

#include <signal.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "firmware_iface/transport/sinks.hpp"
#include "format_writers.hpp"
#include "live_child.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

using namespace std::chrono_literals;
using test::Child;
using test::temp_dir;

const Recording& live_run() {
  static const Recording rec = [] {
    sim::Settings s;
    s.rate_hz = 200.0;
    s.strides = 3;
    s.rest_before_s = 1.0;
    s.rest_after_s = 0.5;
    return sim::simulate(s).recording;
  }();
  return rec;
}

// Writes bytes in 64-byte pieces at the pace of a `baud` line (10 bits per byte, 8N1).
void send_paced(fw::ByteSink& sink, const std::vector<std::uint8_t>& bytes, double baud) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t at = 0; at < bytes.size(); at += 64) {
    const std::size_t n = std::min<std::size_t>(64, bytes.size() - at);
    sink.write(bytes.data() + at, n);
    std::this_thread::sleep_until(start + std::chrono::duration<double>((at + n) * 10.0 / baud));
  }
}

TEST(LiveWitmotion, RecordsTheBoardsSamplesAndCountsCorruptedPackets) {
  const auto dir = temp_dir();
  const auto link = (dir / "ttyWIT").string();
  auto pty = transport::make_pty_sink(link);
  auto bytes = test::witmotion_stream(live_run());  // 44 bytes per cycle: time, acc, gyro, angle
  const std::size_t n = live_run().samples.size();
  // Three damaged packets (the acc of cycle 100, the gyro of 250, the time of 400) and line noise at cycle 500.
  bytes[100 * 44 + 11 + 5] ^= 0x40;
  bytes[250 * 44 + 22 + 7] ^= 0x01;
  bytes[400 * 44 + 3] ^= 0x02;
  const std::uint8_t noise[5] = {0xFF, 0x00, 0x55, 0x13, 0x7E};
  bytes.insert(bytes.begin() + 500 * 44, noise, noise + 5);
  Child rec({"record", "--port", link, "--format", "witmotion", "--baud", "9600", "--out", (dir / "rec.csv").string(),
             "--give-up", "3"},
            dir, "record");
  ASSERT_TRUE(pty->wait_for_reader(5.0));
  std::this_thread::sleep_for(300ms);
  send_paced(*pty, bytes, 230400.0);
  pty->drain(5.0);
  std::this_thread::sleep_for(300ms);
  rec.signal(SIGINT);
  ASSERT_EQ(rec.wait(10s), 0) << rec.err();
  const std::string err = rec.err();
  EXPECT_NE(err.find("WitMotion 0x55 packets"), std::string::npos) << err;
  EXPECT_NE(err.find("3 CRC failures"), std::string::npos) << err;
  const auto got = io::import_file((dir / "rec.csv").string());
  // Cycles 100 and 250 lost their acc / gyro; cycle 400 keeps its sample (time from the rate).
  ASSERT_EQ(got.recording.samples.size(), n - 2) << err;
  const double lsb_a = 0.5 * test::kWitAccLsbMps2 + 1e-9, lsb_g = 0.5 * test::kWitGyrLsbRadS + 1e-9;
  for (const auto& s : got.recording.samples) {
    const auto i = static_cast<std::size_t>(std::llround(s.t_s * 200.0));
    ASSERT_LT(i, n);
    ASSERT_NEAR(s.t_s, live_run().samples[i].t_s - live_run().samples[0].t_s, 1e-6);
    const auto& w = live_run().samples[i];
    for (int a = 0; a < 3; ++a) {
      if (std::abs(w.acc_mps2[a]) < 16 * 9.80665 - 0.01) {
        ASSERT_NEAR(s.acc_mps2[a], w.acc_mps2[a], lsb_a) << i;
      }
      if (std::abs(w.gyr_rad_s[a]) < 34.9) {
        ASSERT_NEAR(s.gyr_rad_s[a], w.gyr_rad_s[a], lsb_g) << i;
      }
    }
  }
  EXPECT_EQ(got.recording.gaps.size(), 2u) << err;
  EXPECT_DOUBLE_EQ(got.recording.meta.rate_hz, 200.0);
}

TEST(LiveWitmotion, WrongFormatSaysWitmotionAndNinetySixHundred) {
  const auto dir = temp_dir();
  const auto link = (dir / "ttyWIT").string();
  auto pty = transport::make_pty_sink(link);
  Child rec({"record", "--port", link, "--format", "text", "--out", (dir / "rec.csv").string(), "--give-up", "1"}, dir,
            "record");
  ASSERT_TRUE(pty->wait_for_reader(5.0));
  const auto bytes = test::witmotion_stream(live_run());
  send_paced(*pty, bytes, 921600.0);
  EXPECT_NE(rec.wait(10s), 0);
  const std::string err = rec.err();
  EXPECT_NE(err.find("9600"), std::string::npos) << err;
  EXPECT_NE(err.find("--format witmotion"), std::string::npos) << err;
}

}  // namespace
}  // namespace stride
