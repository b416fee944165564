// End to end: the virtual board (firmware core) -> a real pseudo-terminal / loopback socket -> the `stride record`
// process -> the native file read back. No mocks; every test bounds its own time and stops its children.
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <utility>  // before Boost.Asio (Boost 1.74, g++ 12, C++20)
#include <boost/asio.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "firmware_iface/firmware/board_core.hpp"
#include "live_child.hpp"
#include "small_disk.hpp"
#include "firmware_iface/firmware/virtual_imu.hpp"
#include "stride/recording_io.hpp"
#include "sim_fixtures.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using test::Child;
using test::slurp;
using test::temp_dir;

// ---- helpers -----------------------------------------------------------------------------------------------------

// A pseudo-terminal with a symlink, as a USB or BLE serial bridge shows up. Holds a slave descriptor so bytes
// written before the recorder opens it wait in the pty.
class Pty final : public fw::ByteSink {
 public:
  explicit Pty(const fs::path& link) : link_(link) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    EXPECT_GE(master_, 0);
    ::grantpt(master_);
    ::unlockpt(master_);
    slave_path_ = ::ptsname(master_);
    slave_ = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY);
    termios t{};
    ::tcgetattr(slave_, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave_, TCSANOW, &t);
    std::error_code ec;
    fs::remove(link_, ec);
    fs::create_symlink(slave_path_, link_);
  }
  ~Pty() override { unplug(); }
  const std::string& slave_path() const { return slave_path_; }
  void write(const std::uint8_t* d, std::size_t n) override {
    while (n > 0 && master_ >= 0) {
      const auto k = ::write(master_, d, n);
      if (k <= 0) return;
      d += k;
      n -= static_cast<std::size_t>(k);
    }
  }
  // Waits until the reader has taken everything (the slave's input queue stays empty for 200 ms).
  void drain() {
    int quiet = 0;
    for (int i = 0; i < 500 && quiet < 10; ++i) {
      int pending = 0;
      ::ioctl(slave_, FIONREAD, &pending);
      quiet = pending == 0 ? quiet + 1 : 0;
      std::this_thread::sleep_for(20ms);
    }
  }
  // As udev does on a real unplug, the device path goes first: a recorder retrying it must find nothing, not the
  // stale link, whose /dev/pts number a test running in parallel may have been given meanwhile.
  void unplug() {
    if (master_ < 0) return;
    std::error_code ec;
    fs::remove(link_, ec);
    ::close(slave_);
    ::close(master_);
    master_ = slave_ = -1;
  }

 private:
  fs::path link_;
  int master_ = -1, slave_ = -1;
  std::string slave_path_;
};

struct VecSink final : fw::ByteSink {
  std::vector<std::uint8_t> bytes;
  std::vector<std::vector<std::uint8_t>> writes;
  void write(const std::uint8_t* d, std::size_t n) override {
    bytes.insert(bytes.end(), d, d + n);
    writes.emplace_back(d, d + n);
  }
};

const Recording& sim_rec() { return test::short_simulated_run(); }

// What the board sent, sample by sample, as the host should see it (SI).
struct Sent {
  std::vector<wire::RawSample> raw;
  VecSink sink;
};

Sent board_output(fw::Output mode, std::uint32_t t0_us, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  Sent s;
  fw::RecordingImu imu(sim_rec(), t0_us);
  fw::BoardConfig cfg;
  cfg.output = mode;
  cfg.board = "test board";
  fw::BoardCore core(imu, s.sink, cfg);
  wire::RawSample r;
  for (std::size_t i = 0; imu.read(r); ++i) {
    if (i < from || i >= to) continue;
    s.raw.push_back(r);
    core.push(r);
  }
  core.flush();
  return s;
}

double printed(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return std::strtod(b, nullptr);
}

// The recording read back equals what was sent: binary within int16 quantisation (exactly count x scale), text
// exactly at the printed precision. first_t: the recording time of raw[0].
void expect_equal_to_sent(const Recording& got, std::size_t got_from, const std::vector<wire::RawSample>& raw,
                          fw::Output mode, double first_t) {
  ASSERT_GE(got.samples.size(), got_from + raw.size());
  const double ka = 16.0 / 32768, kw = 2000.0 / 32768;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto& s = got.samples[got_from + i];
    const double dt_us = static_cast<double>(static_cast<std::uint32_t>(raw[i].t_us - raw[0].t_us));
    ASSERT_NEAR(s.t_s, first_t + dt_us * 1e-6, 1e-9) << i;
    for (int a = 0; a < 3; ++a) {
      const double acc_g = mode == fw::Output::text ? printed(raw[i].acc[a] * ka, 5) : raw[i].acc[a] * ka;
      const double gyr_dps = mode == fw::Output::text ? printed(raw[i].gyr[a] * kw, 3) : raw[i].gyr[a] * kw;
      ASSERT_NEAR(s.acc_mps2[a], acc_g * 9.80665, 1e-12) << i;
      ASSERT_NEAR(s.gyr_rad_s[a], gyr_dps * std::numbers::pi / 180, 1e-12) << i;
    }
  }
}

std::vector<std::string> record_args(const std::string& port, const fs::path& out) {
  return {"record", "--port", port, "--out", out.string(), "--side", "right", "--athlete", "T", "--give-up", "1.5"};
}

// Stops a recorder cleanly and checks it said so.
void stop_recorder(Child& rec) {
  rec.stop_after_board_left();
  ASSERT_EQ(rec.wait(10s), 0) << rec.err();
  EXPECT_NE(rec.err().find("dropouts:"), std::string::npos) << rec.err();
}

std::uint16_t free_port(bool udp) {
  asio::io_context io;
  if (udp) {
    asio::ip::udp::socket s(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return s.local_endpoint().port();
  }
  asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

// ---- pty ---------------------------------------------------------------------------------------------------------

class LivePty : public ::testing::TestWithParam<fw::Output> {};

TEST_P(LivePty, RecordsWhatTheBoardSentAcrossTheClockWrap) {
  const auto dir = temp_dir();
  Pty pty(dir / "ttyBOARD");
  const auto sent = board_output(GetParam(), 0xFFFFFFFFu - 1000000u);  // wraps 1 s in
  Child rec(record_args((dir / "ttyBOARD").string(), dir / "rec.csv"), dir, "record");
  pty.write(sent.sink.bytes.data(), sent.sink.bytes.size());
  pty.drain();
  stop_recorder(rec);
  const auto got = io::import_file((dir / "rec.csv").string());
  ASSERT_EQ(got.recording.samples.size(), sent.raw.size()) << rec.err();
  expect_equal_to_sent(got.recording, 0, sent.raw, GetParam(), 0.0);
  EXPECT_TRUE(got.recording.gaps.empty());
  EXPECT_EQ(got.recording.meta.board, "test board");
  EXPECT_EQ(got.recording.meta.side, Side::right);
  EXPECT_EQ(got.recording.meta.athlete, "T");
  EXPECT_NEAR(got.recording.meta.rate_hz, 500.0, 1e-9);
}

TEST_P(LivePty, UnplugAndReplugIsReconnectedAndTheGapRecorded) {
  const auto dir = temp_dir();
  const auto link = dir / "ttyBOARD";
  const std::size_t n = sim_rec().samples.size(), half = n / 2;
  const auto first = board_output(GetParam(), 0, 0, half);
  // After the replug the board has restarted: its clock and sequence begin again.
  const auto t_half_us = std::llround(sim_rec().samples[half].t_s * 1e6);
  const auto second = board_output(GetParam(), static_cast<std::uint32_t>(-t_half_us), half, n);
  auto pty = std::make_unique<Pty>(link);
  Child rec(record_args(link.string(), dir / "rec.csv"), dir, "record");
  pty->write(first.sink.bytes.data(), first.sink.bytes.size());
  pty->drain();
  pty.reset();  // unplugged: the master closes, the slave path disappears
  ASSERT_TRUE(rec.wait_for_err("reconnecting", 5s)) << rec.err();
  std::this_thread::sleep_for(600ms);
  pty = std::make_unique<Pty>(link);  // plugged in again: a new pty behind the same link
  ASSERT_TRUE(rec.wait_for_err("is back after", 5s)) << rec.err();
  pty->write(second.sink.bytes.data(), second.sink.bytes.size());
  pty->drain();
  stop_recorder(rec);
  const auto got = io::import_file((dir / "rec.csv").string());
  ASSERT_EQ(got.recording.samples.size(), n) << rec.err();
  expect_equal_to_sent(got.recording, 0, first.raw, GetParam(), 0.0);
  // The gap: from the last sample before the unplug to the first after, at least the 0.6 s the board was away.
  ASSERT_EQ(got.recording.gaps.size(), 1u) << rec.err();
  const auto& g = got.recording.gaps[0];
  EXPECT_NEAR(g.start_s, got.recording.samples[half - 1].t_s, 1e-9);
  EXPECT_GE(g.end_s - g.start_s, 0.6);
  EXPECT_LT(g.end_s - g.start_s, 5.0);
  expect_equal_to_sent(got.recording, half, second.raw, GetParam(), g.end_s);
  EXPECT_NE(rec.err().find("dropouts: 1"), std::string::npos) << rec.err();
}

// `record --port /dev/pts/N` (the pty's own path, not a link): when the other end closes, the recorder stops and
// says why, instead of retrying /dev/pts/N, which the next program to open a pty is given (it then recorded that
// program's bytes as this board). A new pty is opened at once, as such a program would, and writes a board's
// stream: none of it may reach the recording.
TEST_P(LivePty, APtyNumberIsNotReopenedWhenItsBridgeCloses) {
  const auto dir = temp_dir();
  const std::size_t n = sim_rec().samples.size(), half = n / 2;
  const auto first = board_output(GetParam(), 0, 0, half);
  auto pty = std::make_unique<Pty>(dir / "ttyBOARD");
  const std::string number = pty->slave_path();
  Child rec(record_args(number, dir / "rec.csv"), dir, "record");
  pty->write(first.sink.bytes.data(), first.sink.bytes.size());
  pty->drain();
  pty.reset();  // the bridge exits: the master closes
  Pty next(dir / "ttyOTHER");  // another program's pty (often given the same number)
  const auto other = board_output(GetParam(), 0, half, n);
  next.write(other.sink.bytes.data(), std::min<std::size_t>(other.sink.bytes.size(), 2048));  // (fits its queue)
  ASSERT_EQ(rec.wait(5s), 0) << rec.err();  // it ended by itself
  EXPECT_NE(rec.err().find("lost " + number + ": "), std::string::npos) << rec.err();
  EXPECT_NE(rec.err().find("'" + number + "' is a pseudo-terminal"), std::string::npos) << rec.err();
  EXPECT_NE(rec.err().find("; stopping"), std::string::npos) << rec.err();
  EXPECT_EQ(rec.err().find("reconnecting"), std::string::npos) << rec.err();
  const auto got = io::import_file((dir / "rec.csv").string());
  ASSERT_EQ(got.recording.samples.size(), half) << rec.err();
  expect_equal_to_sent(got.recording, 0, first.raw, GetParam(), 0.0);
}

INSTANTIATE_TEST_SUITE_P(TextAndBinary, LivePty, ::testing::Values(fw::Output::text, fw::Output::binary),
                         [](const auto& info) { return info.param == fw::Output::text ? "text" : "binary"; });

// Records a real-time board (500 Hz) for 2.5 s into `out`, then kills the recorder without warning; returns how
// many samples the board sent and what the file gives back.
std::pair<std::size_t, io::Imported> record_and_kill_nine(const fs::path& dir, const fs::path& out) {
  Pty pty(dir / "ttyBOARD");
  Child rec(record_args((dir / "ttyBOARD").string(), out), dir, "record");
  fw::RecordingImu imu(sim_rec());
  fw::BoardConfig cfg;
  cfg.output = fw::Output::binary;
  fw::BoardCore core(imu, pty, cfg);
  const auto start = Clock::now();
  std::size_t sent = 0;
  wire::RawSample r;
  while (Clock::now() - start < 2500ms && imu.read(r)) {
    core.push(r);
    ++sent;
    std::this_thread::sleep_until(start + std::chrono::microseconds(r.t_us));
  }
  rec.signal(SIGKILL);
  EXPECT_EQ(rec.wait(5s), 128 + SIGKILL);
  return {sent, io::import_file(out.string())};
}

void expect_at_most_one_second_lost(std::size_t sent, const io::Imported& got) {
  EXPECT_EQ(got.report.skipped, 0u);
  EXPECT_GT(got.recording.samples.size(), 0u);
  EXPECT_LE(got.recording.samples.size(), sent);
  EXPECT_GE(got.recording.samples.size() + 500, sent) << "lost more than 1 s of 500 Hz samples";
  std::printf("[ measured ] %s: kill -9 after %zu samples sent: %zu in the file (%.0f ms lost)\n",
              got.report.format.c_str(), sent, got.recording.samples.size(),
              (sent - got.recording.samples.size()) * 2.0);
}

TEST(LiveRecord, KillNineLeavesAReadableFileMissingAtMostOneSecond) {
  const auto dir = temp_dir();
  const auto [sent, got] = record_and_kill_nine(dir, dir / "rec.csv");
  expect_at_most_one_second_lost(sent, got);
}

// The binary recording: one block per flush (5 a second), so a kill loses at most the block being built.
TEST(LiveRecord, KillNineLeavesAStridebReadableUpToItsLastWholeBlock) {
  const auto dir = temp_dir();
  const auto [sent, got] = record_and_kill_nine(dir, dir / "rec.strideb");
  EXPECT_EQ(got.report.format, "strideb");
  expect_at_most_one_second_lost(sent, got);
  EXPECT_GE(got.report.lines, 5u) << "blocks written per flush, not one at the end";
  EXPECT_FALSE(got.recording.meta.extra.at("recorded_with").empty());
  EXPECT_FALSE(got.recording.clock_marks.empty()) << "host-clock notes about once a second";
}

// A disk that fills while recording: the recorder stops with exit 3, says so once, and its summary counts what the
// file holds, not what was received (a real 16 KiB tmpfs).
TEST(LiveRecord, AFullDiskStopsTheRecordingAndTheSummaryCountsWhatIsOnDisk) {
  const auto dir = temp_dir();
  test::SmallDisk disk(dir / "disk", 16 * 1024);
  STRIDE_REQUIRE_MOUNTED(disk);
  Pty pty(dir / "ttyBOARD");
  Child rec(record_args((dir / "ttyBOARD").string(), disk / "rec.csv"), dir, "record");
  fw::RecordingImu imu(sim_rec());
  fw::BoardConfig cfg;
  cfg.output = fw::Output::text;
  fw::BoardCore core(imu, pty, cfg);
  const auto start = Clock::now();
  wire::RawSample r;
  while (rec.running() && Clock::now() - start < 5s && imu.read(r)) {
    core.push(r);
    std::this_thread::sleep_until(start + std::chrono::microseconds(r.t_us));
  }
  EXPECT_EQ(rec.wait(5s), 3) << rec.err();
  const std::string err = rec.err();
  EXPECT_NE(err.find(std::strerror(ENOSPC)), std::string::npos) << err;
  const auto at = err.find("the first ");
  ASSERT_NE(at, std::string::npos) << err;
  const std::size_t said = std::stoul(err.substr(at + 10));
  EXPECT_NE(err.find("only " + std::to_string(said) + " of them are in the file"), std::string::npos) << err;
  const auto got = io::import_file((disk / "rec.csv").string());
  EXPECT_GT(said, 0u);
  EXPECT_GE(got.recording.samples.size(), said) << "the summary claims more than the file holds";
  EXPECT_LE(got.recording.samples.size(), said + 200) << "the summary counts far less than the file holds";
}

TEST(LiveRecord, GarbageAndWrongBaudEndWithAClearMessage) {
  const auto dir = temp_dir();
  std::mt19937 rng(3);
  const auto text = board_output(fw::Output::text, 0, 0, 2000);
  for (const bool mojibake : {false, true}) {
    Pty pty(dir / "ttyBOARD");
    Child rec(record_args((dir / "ttyBOARD").string(), dir / (mojibake ? "mojibake.csv" : "garbage.csv")), dir,
              mojibake ? "mojibake" : "garbage");
    std::vector<std::uint8_t> bytes = text.sink.bytes;
    // Random bytes; or what a UART at the wrong baud rate makes of text: bits shifted, framing lost.
    for (auto& b : bytes) b = mojibake ? static_cast<std::uint8_t>((b << 3) | 0x80 | (b >> 5)) : static_cast<std::uint8_t>(rng());
    for (int i = 0; i < 25 && rec.running(); ++i) {
      pty.write(bytes.data() + static_cast<std::size_t>(i) * 4000 % (bytes.size() - 4000), 4000);
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(rec.wait(10s), 1) << rec.err();
    EXPECT_NE(rec.err().find("not one valid"), std::string::npos) << rec.err();
    EXPECT_NE(rec.err().find("Wrong baud rate"), std::string::npos) << rec.err();
  }
}

TEST(LiveRecord, MissingPortAndRefusedConnectionAreNamed) {
  const auto dir = temp_dir();
  {
    Child rec(record_args("/dev/ttyDOES_NOT_EXIST", dir / "rec.csv"), dir, "missing");
    EXPECT_EQ(rec.wait(10s), 3);
    EXPECT_NE(rec.err().find("'/dev/ttyDOES_NOT_EXIST' does not exist"), std::string::npos) << rec.err();
    EXPECT_NE(rec.err().find("stride ports"), std::string::npos) << rec.err();
  }
  {
    const auto port = free_port(false);
    Child rec(record_args("tcp://127.0.0.1:" + std::to_string(port), dir / "rec.csv"), dir, "refused");
    EXPECT_EQ(rec.wait(10s), 3);
    EXPECT_NE(rec.err().find("Nothing is listening"), std::string::npos) << rec.err();
  }
  {
    Child rec(record_args("tcp://nowhere", dir / "rec.csv"), dir, "badspec");
    EXPECT_EQ(rec.wait(10s), 2);
    EXPECT_NE(rec.err().find("HOST:PORT"), std::string::npos) << rec.err();
  }
}

TEST(LiveRecord, ABusyPortIsNamedBusy) {
  const auto dir = temp_dir();
  Pty pty(dir / "ttyBOARD");
  Child first(record_args((dir / "ttyBOARD").string(), dir / "a.csv"), dir, "first");
  ASSERT_TRUE(first.wait_for_err("reading", 5s)) << first.err();
  Child second(record_args((dir / "ttyBOARD").string(), dir / "b.csv"), dir, "second");
  EXPECT_EQ(second.wait(10s), 3);
  EXPECT_NE(second.err().find("is busy"), std::string::npos) << second.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(10s), 1);  // nothing was received: a non-zero exit that says so
  EXPECT_NE(first.err().find("nothing received"), std::string::npos) << first.err();
}

// Permission denied needs a user who lacks the permission: as root, the recorder runs as `nobody` (setpriv,
// util-linux) against a port only root may open.
TEST(LiveRecord, PermissionDeniedIsNamedWithWhatToDo) {
  if (::geteuid() != 0 || !fs::exists("/usr/bin/setpriv"))
    GTEST_SKIP() << "needs root and /usr/bin/setpriv to run the recorder as another user";
  const auto dir = temp_dir();
  fs::permissions(dir, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  const auto port = dir / "ttyROOTONLY";
  { std::ofstream(port) << ""; }
  fs::permissions(port, fs::perms::owner_read | fs::perms::owner_write);
  const std::string as_nobody = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups ";
  if (std::system((as_nobody + STRIDE_EXE + " --version >/dev/null 2>&1").c_str()) != 0)
    GTEST_SKIP() << "the user nobody cannot run " << STRIDE_EXE << " (a folder on its path is not readable)";
  const auto err = dir / "err.txt";
  const int status = std::system((as_nobody + STRIDE_EXE + " record --port " + port.string() + " --out " +
                                  (dir / "rec.csv").string() + " 2>" + err.string()).c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const std::string text = slurp(err);
  EXPECT_NE(text.find("permission denied opening serial port '" + port.string() + "'"), std::string::npos) << text;
  EXPECT_NE(text.find("dialout"), std::string::npos) << text;
}

std::string fmt_lost(std::size_t frames) { return std::to_string(frames) + " lost frames"; }

// ---- sockets -----------------------------------------------------------------------------------------------------

TEST(LiveRecord, TcpServerRestartIsReconnectedAndTheGapRecorded) {
  const auto dir = temp_dir();
  const std::size_t n = sim_rec().samples.size(), half = n / 2, lost = 250;  // 0.5 s not delivered
  // The board keeps running while the bridge restarts: its clock and sequence continue.
  const auto frames_for = [&](std::size_t from, std::size_t to) {
    // Re-encode the range with the board's own numbering: run the core over everything, keep frames in range.
    VecSink s;
    fw::RecordingImu imu(sim_rec(), 0);
    fw::BoardConfig cfg;
    cfg.board = "test board";
    fw::BoardCore core(imu, s, cfg);
    wire::RawSample r;
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; imu.read(r); ++i) {
      const std::size_t before = s.writes.size();
      core.push(r);
      if (i >= from && i < to)
        for (std::size_t w = before; w < s.writes.size(); ++w)
          out.insert(out.end(), s.writes[w].begin(), s.writes[w].end());
    }
    const std::size_t before = s.writes.size();
    core.flush();
    if (to == n)
      for (std::size_t w = before; w < s.writes.size(); ++w) out.insert(out.end(), s.writes[w].begin(), s.writes[w].end());
    return out;
  };
  // Batches of 8: cut at multiples of 8 so whole frames go or stay.
  const std::size_t cut1 = half / 8 * 8, cut2 = (half + lost) / 8 * 8;
  const auto a = frames_for(0, cut1), b = frames_for(cut2, n);
  asio::io_context io;
  const auto ep = asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), free_port(false));
  std::unique_ptr<Child> rec;
  for (int round = 0; round < 2; ++round) {
    asio::ip::tcp::acceptor acc(io);
    acc.open(ep.protocol());
    acc.set_option(asio::socket_base::reuse_address(true));
    acc.bind(ep);
    acc.listen();
    if (!rec)
      rec = std::make_unique<Child>(record_args("tcp://127.0.0.1:" + std::to_string(ep.port()), dir / "rec.csv"), dir,
                                    "record");
    asio::ip::tcp::socket sock(io);
    acc.non_blocking(true);
    boost::system::error_code ec;
    const auto until = Clock::now() + 10s;
    do {
      std::this_thread::sleep_for(5ms);
      acc.accept(sock, ec);
    } while (ec && Clock::now() < until);
    ASSERT_FALSE(ec) << "the recorder did not connect: " << rec->err();
    sock.non_blocking(false);
    asio::write(sock, asio::buffer(round == 0 ? a : b));
    if (round == 1) {
      ASSERT_TRUE(rec->wait_for_err("stream recognised", 5s));
      std::this_thread::sleep_for(500ms);
      break;
    }
    std::this_thread::sleep_for(200ms);
    sock.close();
    acc.close();  // the server is gone: the recorder cannot reconnect until it is back
    ASSERT_TRUE(rec->wait_for_err("reconnecting", 5s)) << rec->err();
    std::this_thread::sleep_for(500ms);
  }
  stop_recorder(*rec);
  const auto got = io::import_file((dir / "rec.csv").string());
  ASSERT_EQ(got.recording.samples.size(), cut1 + (n - cut2)) << rec->err();
  // The device clock ran on across the outage, so times are the board's own.
  for (std::size_t i = 0; i < got.recording.samples.size(); ++i) {
    const std::size_t k = i < cut1 ? i : i - cut1 + cut2;
    ASSERT_NEAR(got.recording.samples[i].t_s, sim_rec().samples[k].t_s, 1.5e-6) << i;
  }
  ASSERT_EQ(got.recording.gaps.size(), 1u);
  EXPECT_EQ(got.recording.gaps[0].missing_samples, cut2 - cut1);
  EXPECT_NE(rec->err().find(fmt_lost((cut2 - cut1) / 8)), std::string::npos) << rec->err();
  EXPECT_NE(rec->err().find("dropouts: 1,"), std::string::npos) << rec->err();
}

TEST(LiveRecord, UdpDatagramsAreRecorded) {
  const auto dir = temp_dir();
  const auto port = free_port(true);
  Child rec(record_args("udp://127.0.0.1:" + std::to_string(port), dir / "rec.csv"), dir, "record");
  ASSERT_TRUE(rec.wait_for_err("reading", 5s)) << rec.err();
  const auto sent = board_output(fw::Output::binary, 123456789u);
  asio::io_context io;
  asio::ip::udp::socket sock(io, asio::ip::udp::endpoint(asio::ip::udp::v4(), 0));
  const asio::ip::udp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
  for (std::size_t i = 0; i < sent.sink.writes.size(); ++i) {
    sock.send_to(asio::buffer(sent.sink.writes[i]), to);  // one frame per datagram
    if (i % 20 == 0) std::this_thread::sleep_for(1ms);
  }
  std::this_thread::sleep_for(300ms);
  stop_recorder(rec);
  const auto got = io::import_file((dir / "rec.csv").string());
  ASSERT_EQ(got.recording.samples.size(), sent.raw.size()) << rec.err();
  expect_equal_to_sent(got.recording, 0, sent.raw, fw::Output::binary, 0.0);
}

// ---- bad stamps, reordering, repeats (issue 14): the recording keeps its true duration ----------------------------

double recorded_duration(const Recording& r) {
  return r.samples.empty() ? 0.0 : r.samples.back().t_s - r.samples.front().t_s;
}

TEST(LiveRecord, UdpReorderedAndRepeatedDatagramsAreRecordedInOrder) {
  // UDP and BLE bridges reorder and repeat: before, each reordering counted as lost frames and a device restart.
  const auto dir = temp_dir();
  const auto port = free_port(true);
  Child rec(record_args("udp://127.0.0.1:" + std::to_string(port), dir / "rec.csv"), dir, "record");
  ASSERT_TRUE(rec.wait_for_err("reading", 5s)) << rec.err();
  const auto sent = board_output(fw::Output::binary, 3'000'000'000u);
  auto w = sent.sink.writes;
  for (std::size_t i = 10; i + 1 < w.size(); i += 10) std::swap(w[i], w[i + 1]);
  for (std::size_t i = 25; i + 3 < w.size(); i += 40) std::rotate(w.begin() + i, w.begin() + i + 1, w.begin() + i + 4);
  std::vector<std::vector<std::uint8_t>> datagrams;
  for (std::size_t i = 0; i < w.size(); ++i) {
    datagrams.push_back(w[i]);
    if (i % 15 == 7) datagrams.push_back(w[i]);                  // repeated at once
    if (i % 33 == 5 && i >= 2) datagrams.push_back(w[i - 2]);    // and repeated a little later
  }
  asio::io_context io;
  asio::ip::udp::socket sock(io, asio::ip::udp::endpoint(asio::ip::udp::v4(), 0));
  const asio::ip::udp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
  for (std::size_t i = 0; i < datagrams.size(); ++i) {
    sock.send_to(asio::buffer(datagrams[i]), to);
    if (i % 20 == 0) std::this_thread::sleep_for(1ms);
  }
  std::this_thread::sleep_for(300ms);
  stop_recorder(rec);
  const auto got = io::import_file((dir / "rec.csv").string());
  ASSERT_EQ(got.recording.samples.size(), sent.raw.size()) << rec.err();
  expect_equal_to_sent(got.recording, 0, sent.raw, fw::Output::binary, 0.0);
  EXPECT_TRUE(got.recording.gaps.empty());
  EXPECT_NE(rec.err().find("0 lost frames; 0 device restarts"), std::string::npos) << rec.err();
  EXPECT_NE(rec.err().find("dropouts: none"), std::string::npos) << rec.err();
}

TEST(LiveRecord, CorruptedStampsOnAPtyDoNotShiftTheRecording) {
  // One t_us x 100, then a burst of five lines with a digit changed: before, a 606 s session for 12 s of data.
  const auto dir = temp_dir();
  Pty pty(dir / "ttyBOARD");
  const auto sent = board_output(fw::Output::text, 20'000'000u);
  auto w = sent.sink.writes;
  auto data_line = [&](std::size_t from) {
    while (w[from].empty() || w[from][0] < '0' || w[from][0] > '9') ++from;
    return from;
  };
  auto restamp = [&](std::size_t i, const std::string& stamp) {
    const std::string l(w[i].begin(), w[i].end());
    const std::string out = stamp + l.substr(l.find(','));
    w[i].assign(out.begin(), out.end());
  };
  auto stamp = [&](std::size_t i) { return std::string(w[i].begin(), w[i].begin() + static_cast<std::ptrdiff_t>(std::string(w[i].begin(), w[i].end()).find(','))); };
  const std::size_t one = data_line(w.size() / 3);
  restamp(one, stamp(one) + "00");
  std::size_t k = data_line(2 * w.size() / 3);
  for (int n = 0; n < 5; ++n, k = data_line(k + 1)) {
    std::string t = stamp(k);
    t[n % 3] = t[n % 3] == '9' ? '1' : '9';  // a high digit: tens of seconds off
    restamp(k, t);
  }
  Child rec(record_args((dir / "ttyBOARD").string(), dir / "rec.csv"), dir, "record");
  for (const auto& x : w) pty.write(x.data(), x.size());
  pty.drain();
  stop_recorder(rec);
  const auto got = io::import_file((dir / "rec.csv").string());
  const std::size_t n = got.recording.samples.size();
  EXPECT_GE(n, sent.raw.size() - 6) << rec.err();
  EXPECT_LE(n, sent.raw.size() - 1) << rec.err();
  const double truth = recorded_duration(sim_rec());
  EXPECT_NEAR(recorded_duration(got.recording), truth, 0.01 * truth) << rec.err();
  for (const auto& g : got.recording.gaps) EXPECT_LT(g.end_s - g.start_s, 0.03) << rec.err();
  EXPECT_NE(rec.err().find("0 device restarts"), std::string::npos) << rec.err();
}

// ---- the replay command as the virtual board ---------------------------------------------------------------------

// A recording with a long pause: SIGTERM (and Ctrl-C) end the replay at once, not after the pause.
TEST(LiveReplay, ASignalEndsAWaitAcrossALongGap) {
  const auto dir = temp_dir();
  {
    std::ofstream f(dir / "gap.csv");
    f << "t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s\n";
    for (int i = 0; i < 100; ++i) f << i * 0.01 << ",0,0,9.81,0,0,0\n";
    f << "600,0,0,9.81,0,0,0\n";  // ten minutes later
  }
  for (int sig : {SIGTERM, SIGINT}) {
    Child replay({"replay", (dir / "gap.csv").string(), "--to", "pty", "--link", (dir / "ttyV").string()}, dir,
                 "replay");
    ASSERT_TRUE(replay.wait_for_err("first sample at host time", 5s)) << replay.err();
    std::this_thread::sleep_for(1500ms);  // well into the gap
    ASSERT_TRUE(replay.running()) << replay.err();
    const auto sent = Clock::now();
    replay.signal(sig);
    EXPECT_EQ(replay.wait(3s), 0) << replay.err();
    EXPECT_LT(Clock::now() - sent, 2s);
    EXPECT_NE(replay.err().find("interrupted"), std::string::npos) << replay.err();
  }
}

TEST(LiveReplay, ReplayToPtyAndTcpIsRecordedWhole) {
  const auto dir = temp_dir();
  const auto file = dir / "run.csv";
  {
    std::ofstream out(file);
    io::write_native(out, sim_rec());
  }
  const auto expected = sim_rec().samples.size();
  for (const std::string to : {"pty", "tcp"}) {
    const std::string target = to == "pty" ? "pty" : "tcp://127.0.0.1:" + std::to_string(free_port(false));
    std::vector<std::string> args = {"replay", file.string(), "--to", target, "--speed", "0"};
    if (to == "tcp") args.push_back("--binary");
    Child replay(args, dir, "replay_" + to);
    std::string where;
    for (int i = 0; i < 500 && where.empty(); ++i) {
      std::this_thread::sleep_for(10ms);
      const auto o = replay.out();
      if (o.find('\n') != std::string::npos) where = o.substr(0, o.find('\n'));
    }
    ASSERT_FALSE(where.empty()) << replay.err();
    Child rec(record_args(where, dir / ("rec_" + to + ".csv")), dir, "record_" + to);
    EXPECT_EQ(replay.wait(20s), 0) << replay.err();
    // The board went away at the end: "lost /dev/pts/N: ...; stopping" (a pty named by its number is not
    // reopened, another program may get that number) or, through a link or a socket, "...; reconnecting".
    ASSERT_TRUE(rec.wait_for_err("lost ", 5s)) << rec.err();
    stop_recorder(rec);
    const auto got = io::import_file((dir / ("rec_" + to + ".csv")).string());
    ASSERT_EQ(got.recording.samples.size(), expected) << to << "\n" << rec.err();
    for (std::size_t i = 0; i < expected; ++i)
      ASSERT_NEAR(got.recording.samples[i].t_s, sim_rec().samples[i].t_s, 1.5e-6) << i;
    EXPECT_EQ(got.recording.meta.board, "stride virtual board");
  }
}

}  // namespace
}  // namespace stride
