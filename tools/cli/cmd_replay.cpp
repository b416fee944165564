// `stride replay`: plays a recording as the virtual board (the firmware core of firmware_iface/firmware fed by the
// recording instead of the LSM6DSO) into a pseudo-terminal, a TCP server or UDP datagrams, at real-time pace or
// faster, in the text or the binary format.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "firmware_iface/firmware/board_core.hpp"
#include "firmware_iface/firmware/virtual_imu.hpp"
#include "firmware_iface/transport/sinks.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"

namespace stride::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct ReplayOptions {
  std::string file;
  std::string to = "pty";
  double speed = 1.0;
  bool binary = false;
  std::string link;
  std::size_t batch = 8;
  std::uint32_t t0_us = 0;
  double wait_s = 0.0;
};

std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted = true; }

int run(const ReplayOptions& o) {
  Recording rec;
  if (o.file == "sim") {
    rec = sim::simulate(sim::Settings{}).recording;
  } else {
    try {
      rec = io::import_file(o.file).recording;
    } catch (const io::ImportError& e) {
      fmt::print(stderr, "stride replay: {}\n", e.what());
      return kBadInput;
    }
  }
  if (rec.samples.empty()) {
    fmt::print(stderr, "stride replay: '{}' has no samples\n", o.file);
    return kBadInput;
  }
  std::unique_ptr<transport::ReplaySink> sink;
  try {
    if (o.to == "pty") {
      sink = transport::make_pty_sink(o.link);
    } else {
      const auto ep = transport::parse_endpoint(o.to);
      if (ep.kind == transport::Endpoint::Kind::tcp) sink = transport::make_tcp_server_sink(ep);
      else if (ep.kind == transport::Endpoint::Kind::udp) sink = transport::make_udp_sink(ep);
      else {
        fmt::print(stderr, "stride replay: --to {}: expected pty, tcp://HOST:PORT or udp://HOST:PORT\n", o.to);
        return kBadArguments;
      }
    }
  } catch (const transport::TransportError& e) {
    fmt::print(stderr, "stride replay: {}\n", e.what());
    return kSystemFailure;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // Where to connect, on stdout (one line), so scripts and tests can read it.
  fmt::print("{}\n", sink->where());
  std::fflush(stdout);
  fmt::print(stderr, "stride replay: {} samples ({:.1f} s) of '{}' as the virtual board, {} at {}x, to {}\n",
             rec.samples.size(), rec.samples.back().t_s, o.file, o.binary ? "binary" : "text", o.speed, sink->where());
  if (!sink->wait_for_reader(o.wait_s)) {
    fmt::print(stderr, "stride replay: nobody connected to {} within {} s\n", sink->where(), o.wait_s);
    return kSystemFailure;
  }
  fw::RecordingImu imu(rec, o.t0_us);
  fw::BoardConfig cfg;
  cfg.output = o.binary ? fw::Output::binary : fw::Output::text;
  cfg.batch = o.batch;
  cfg.board = "stride virtual board";
  cfg.firmware = "stride-fw 1.0.0 (virtual board)";
  try {
    fw::BoardCore core(imu, *sink, cfg);
    const auto start = Clock::now();
    // When the board's clock started, in host time: the reference for tests of two-sensor clock alignment.
    fmt::print(stderr, "stride replay: first sample at host time {:.6f}\n",
               std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    const double t_first = rec.samples.front().t_s;
    wire::RawSample s;
    while (!g_interrupted && !imu.done()) {
      if (o.speed > 0) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>((imu.next_t_s() - t_first) / o.speed));
        if (due > Clock::now() + std::chrono::milliseconds(2)) {
          core.flush();  // what is due goes out before sleeping (a real board's FIFO would fill meanwhile)
          std::this_thread::sleep_until(due);
        }
      }
      imu.read(s);
      core.push(s);
    }
    core.flush();
    sink->drain(5.0);
  } catch (const transport::TransportError& e) {
    fmt::print(stderr, "stride replay: {}\n", e.what());
    return kSystemFailure;
  }
  fmt::print(stderr, "stride replay: {} {}, {} bytes written\n", g_interrupted ? "interrupted" : "done",
             sink->where(), sink->bytes_written());
  return kOk;
}

}  // namespace

Action add_replay(CLI::App& app) {
  auto o = std::make_shared<ReplayOptions>();
  auto* cmd = app.add_subcommand("replay", "Play a recording as the virtual board into a pty, TCP or UDP");
  cmd->add_option("file", o->file, "Recording (any CSV stride imports), or 'sim' for a fresh simulated run")
      ->required();
  cmd->add_option("--to", o->to, "pty | tcp://HOST:PORT (listens) | udp://HOST:PORT (sends)")->capture_default_str();
  cmd->add_option("--speed", o->speed, "Pace: 1 = real time, 10 = ten times faster, 0 = as fast as possible")
      ->check(non_negative())
      ->capture_default_str();
  cmd->add_flag("--binary", o->binary, "Binary frames (COBS, CRC) instead of text lines");
  cmd->add_option("--link", o->link, "pty: also a symlink to the slave at this path");
  cmd->add_option("--batch", o->batch, "Binary: samples per frame")->check(CLI::Range(1, 64))->capture_default_str();
  cmd->add_option("--t0-us", o->t0_us, "Device clock at the first sample in us (near 4294967295 to test the wrap)");
  cmd->add_option("--wait", o->wait_s, "TCP: give up when nobody connects within this many seconds (0: wait)");
  return [o] { return run(*o); };
}

}  // namespace stride::cli
