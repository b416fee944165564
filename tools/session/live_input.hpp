// A board's live stream as samples: endpoint -> byte source -> stream decoder, on one io_context, with the
// recording file written as the samples come (when asked), a periodic tick, SIGINT/SIGTERM, --duration and the
// "bytes but nothing recognisable" give-up. Shared by `stride record` and `stride live`.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "firmware_iface/protocol/stream_decoder.hpp"
#include "stride/imu_sample.hpp"

namespace stride::session {

struct LiveInputOptions {
  std::string who = "stride record";   // prefix of every message
  std::string port;
  unsigned baud = 115200;
  std::string format = "auto";
  wire::TextOptions text;
  std::string out;                     // native CSV (or NAME.strideb: binary) to write as the samples come; empty: none
  std::string placement = "shoe";
  std::string side = "unknown";
  std::string athlete, shoe;
  std::string session_id;              // written to the file: sensors recorded together share it
  double duration_s = 0.0;
  double give_up_s = 5.0;
  double flush_every_s = 0.2;
};

// A fresh id for the files of one recording session: UTC start time and process id.
std::string new_session_id();

class LiveInput {
 public:
  using Clock = std::chrono::steady_clock;
  struct Handlers {
    // Samples decoded from one read, with the host time the bytes arrived.
    std::function<void(std::span<const ImuSample>, Clock::time_point arrival)> samples;
    std::function<void()> tick;        // every flush_every_s while running
  };

  explicit LiveInput(const LiveInputOptions& options);
  ~LiveInput();
  LiveInput(const LiveInput&) = delete;
  LiveInput& operator=(const LiveInput&) = delete;

  // Opens the port (and the file) and runs until stop(), a signal, the duration, or a stream that is not
  // recognised. Returns kOk, or the exit code when the port or the file could not be opened.
  int run(Handlers handlers);
  void stop();                         // from a handler: ends run() soon
  void fail(int exit_code);            // stop with this exit code (reported by report())
  // The summary on stderr (counts, damage, dropouts; or why nothing was decoded). Returns the exit code.
  int report();

  const wire::StreamDecoder& decoder() const;
  std::string source_name() const;
  std::uint64_t samples() const;       // decoded so far
  double last_t_s() const;
  bool signalled() const;              // ended by SIGINT/SIGTERM
  // Gives SIGINT/SIGTERM back (asio restores the default action when the last set lets go of a signal).
  void release_signals();

 private:
  struct Impl;
  std::unique_ptr<Impl> p_;
};

// Runs every input on its own thread (the first on this one), each with its own io_context, so SIGINT/SIGTERM
// reach every one of them. Returns each run()'s exit code. When every input has ended, SIGINT is ignored for the
// rest of the process: what is left is the wrap-up (the file's last flush, the summary), and a Ctrl-C meant to stop
// a recording that had already stopped by itself (its board left) must not kill it with 130 halfway through its
// summary. SIGTERM keeps its default action, for a supervisor that really means it.
std::vector<int> run_inputs(const std::vector<std::unique_ptr<LiveInput>>& inputs,
                            const std::function<LiveInput::Handlers(std::size_t)>& handlers);

}  // namespace stride::session
