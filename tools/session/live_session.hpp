// The analysis of `stride live`: per-stride metrics on stdout as they happen. The board's stream (as `record` reads it, and
// optionally recorded as `record` writes it) goes through the causal form of the `analyze` pipeline: a warm-up
// buffers samples until the mounting calibration succeeds, then one StreamingEventDetector (the detector `analyze`
// runs offline) and a StreamingStrideBuilder (StrideBuilder on each stride's own span) put out each stride as soon as
// its next IC is known. A StreamingSpatial (the offline trajectory's steps, fed causally) gives each stride's
// spatial values when the next stance's TC is known, about half a stride after the stride's line: they follow in
// a line (object) of their own. Memory stays bounded: a window of the last seconds.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>

#include "stride/imu_sample.hpp"
#include "tools/session/live_input.hpp"

namespace stride::session {

struct LiveSessionOptions {
  bool json = false;              // one JSON object per line instead of the table
  double warmup_min_s = 3.0;      // at least this much stream before calibrating
  double warmup_limit_s = 30.0;   // give up after this much stream without a calibration
  std::size_t warmup_strides = 4; // strides the warm-up buffer must hold
};

// One sensor's live analysis. Lines go to stdout under `out` (shared by the sensors of a session); messages and
// the closing summary to stderr, prefixed with the input's `who`.
class LiveSession {
 public:
  LiveSession(const LiveSessionOptions& o, const LiveInputOptions& io, LiveInput& in, std::mutex& out);
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  // Samples decoded from one read, with the host time the bytes arrived.
  void on_samples(std::span<const ImuSample> batch, LiveInput::Clock::time_point arrival);
  // End of the stream: the last IC, and the final word. Returns the exit code.
  int finish(bool stream_ended);

 private:
  class Impl;
  std::unique_ptr<Impl> p_;
};

// The table's column names (not with --json).
void print_live_table_header();

}  // namespace stride::session
