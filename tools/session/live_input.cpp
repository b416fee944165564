#include "tools/session/live_input.hpp"

#include <utility>  // before Boost.Asio (Boost 1.74, g++ 12, C++20)
#include <boost/asio.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <cmath>
#include <limits>
#include <filesystem>
#include <fstream>
#include <thread>
#include <optional>
#include <vector>

#include "stride/exit_codes.hpp"
#include "tools/session/output_file.hpp"
#include "firmware_iface/transport/byte_source.hpp"
#include "stride/recording.hpp"
#include "stride/recording_io.hpp"
#include "firmware_iface/protocol/strideb.hpp"

namespace stride::session {
namespace {

namespace asio = boost::asio;
using Clock = LiveInput::Clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Host Unix time of a steady-clock instant: the wall clock read once, then the steady clock's progress from there
// (the wall clock may be stepped mid-session; the steady one is not).
struct HostClock {
  Clock::time_point steady0 = Clock::now();
  double unix0 = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double unix_at(Clock::time_point t) const { return unix0 + std::chrono::duration<double>(t - steady0).count(); }
};

}  // namespace

struct LiveInput::Impl {
  explicit Impl(const LiveInputOptions& o)
      : o(o),
        decoder(o.format == "text"        ? wire::Format::text
                : o.format == "binary"    ? wire::Format::binary
                : o.format == "witmotion" ? wire::Format::witmotion
                                          : wire::Format::auto_detect,
                o.text),
        signals(io, SIGINT, SIGTERM),
        tick(io) {}

  const LiveInputOptions& o;
  transport::Endpoint ep;
  wire::StreamDecoder decoder;
  asio::io_context io;
  asio::signal_set signals;
  asio::steady_timer tick;
  std::unique_ptr<transport::ByteSource> source;
  std::unique_ptr<OutputFile> file;  // the recording, written as the samples come (OutputFile::Mode::in_place)
  std::unique_ptr<io::StridebWriter> binary;  // --out NAME.strideb: one block per flush (else native CSV lines)
  std::vector<ImuSample> batch;
  Handlers handlers;
  bool header_written = false;
  bool stopping = false;
  bool unrecognised = false;
  bool signalled = false;
  std::uint64_t decoded = 0;
  std::uint64_t on_disk = 0;       // samples in the file as of its last successful flush
  std::uint64_t unflushed = 0;     // written to the stream since then
  bool file_failed = false;
  std::size_t disconnects = 0;
  double last_t_s = 0.0;
  Clock::time_point start;
  std::optional<Clock::time_point> first_byte;
  int exit = kOk;
  // Host clock notes: the smallest (arrival - device time of the batch's last sample) over about a second is the
  // arrival with the least delay, so the best estimate of which host instant the device time stands for.
  HostClock host;
  double host_offset_min = std::numeric_limits<double>::infinity();
  double first_host_offset = std::numeric_limits<double>::quiet_NaN();
  Clock::time_point last_mark;

  const char* who() const { return o.who.c_str(); }

  void on_bytes(std::span<const std::uint8_t> b) {
    const auto now = Clock::now();
    if (!first_byte) first_byte = now;
    batch.clear();
    decoder.feed(b, batch);
    deliver(now);
  }

  void deliver(Clock::time_point arrival) {
    if (batch.empty()) return;
    if (std::isnan(first_host_offset)) first_host_offset = host.unix_at(arrival) - batch.back().t_s;
    if (file) {
      if (!header_written) write_header();
      if (binary) binary->add(batch);
      else
        for (const auto& s : batch) io::write_native_sample(file->stream(), s);
      unflushed += batch.size();
    } else if (!header_written) {
      header_written = true;
      fmt::print(stderr, "{}: stream recognised: {}\n", who(), decoder.describe());
    }
    decoded += batch.size();
    last_t_s = batch.back().t_s;
    host_offset_min = std::min(host_offset_min, host.unix_at(arrival) - last_t_s);
    if (handlers.samples) handlers.samples(batch, arrival);
  }

  void on_lost(const std::string& why) {
    ++disconnects;
    fmt::print(stderr, "{}: lost {}: {}; reconnecting\n", who(), source->name(), why);
    flush_file();
  }

  void on_gone(const std::string& why) {
    ++disconnects;
    fmt::print(stderr, "{}: lost {}: {}; stopping\n", who(), source->name(), why);
    stop();
  }

  // Flushes the recording; counts what reached the file. False (and the reason said once) when the write failed.
  bool flush_file() {
    if (!file || file_failed) return !file_failed;
    if (binary) binary->end_block();  // whole blocks only reach the disk: a kill loses at most this flush's block
    if (const int err = file->flush()) {
      file_failed = true;
      fmt::print(stderr, "{}: writing '{}' failed: {}; the first {} samples are in the file, the {} after them are cut or missing\n",
                 who(), o.out, std::strerror(err), on_disk, unflushed);
      return false;
    }
    on_disk += unflushed;
    unflushed = 0;
    return true;
  }

  void on_restored(double down_s) {
    fmt::print(stderr, "{}: {} is back after {:.2f} s; the gap is kept{}\n", who(), source->name(), down_s,
               file ? " in the recording" : "");
    decoder.discontinuity(down_s);
  }

  void write_header() {
    RecordingMeta m = decoder.meta();
    if (auto p = placement_from_string(o.placement)) m.placement = *p;
    if (auto s = side_from_string(o.side)) m.side = *s;
    if (!o.athlete.empty()) m.athlete = o.athlete;
    if (!o.shoe.empty()) m.shoe = o.shoe;
    m.start_time = utc_now_iso();
    m.extra["recorded_with"] = o.who + " " STRIDE_VERSION;
    m.extra["source"] = source->name();
    m.extra["stream"] = decoder.describe();
    if (!o.session_id.empty()) m.extra["session_id"] = o.session_id;
    m.extra["host_t0_unix_s"] = fmt::format("{:.6f}", first_host_offset);
    if (o.out.ends_with(".strideb")) binary = std::make_unique<io::StridebWriter>(file->stream(), m);
    else io::write_native_header(file->stream(), m);
    header_written = true;
    fmt::print(stderr, "{}: stream recognised: {}\n", who(), decoder.describe());
  }

  void write_clock_mark() {
    if (!header_written || !std::isfinite(host_offset_min) || since(last_mark) < 1.0) return;
    const ClockMark mark{last_t_s, last_t_s + host_offset_min};
    if (binary) binary->add_clock_mark(mark);
    else io::write_native_clock_mark(file->stream(), mark);
    host_offset_min = std::numeric_limits<double>::infinity();
    last_mark = Clock::now();
  }

  void schedule_tick() {
    tick.expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.flush_every_s)));
    tick.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      if (file) {
        write_clock_mark();
        if (!flush_file()) {
          exit = kSystemFailure;
          return stop();
        }
      }
      if (o.duration_s > 0 && since(start) >= o.duration_s) return stop();
      // Bytes but nothing recognisable: wrong baud rate, wrong format, or not a board at all.
      if (first_byte && decoder.recognised() == 0 && since(*first_byte) >= o.give_up_s) {
        unrecognised = true;
        return stop();
      }
      if (handlers.tick) handlers.tick();
      if (!stopping) schedule_tick();
    });
  }

  void stop() {
    if (stopping) return;
    stopping = true;
    boost::system::error_code ec;
    signals.cancel(ec);
    tick.cancel();
    if (source) source->stop();
    io.stop();
  }
};

std::string new_session_id() {
  return fmt::format("{:%Y%m%dT%H%M%S}Z-{}", fmt::gmtime(std::time(nullptr)), ::getpid());
}

std::vector<int> run_inputs(const std::vector<std::unique_ptr<LiveInput>>& inputs,
                            const std::function<LiveInput::Handlers(std::size_t)>& handlers) {
  std::vector<int> rcs(inputs.size(), kOk);
  std::vector<std::thread> threads;
  for (std::size_t k = 1; k < inputs.size(); ++k)
    threads.emplace_back([&, k] { rcs[k] = inputs[k]->run(handlers(k)); });
  if (!inputs.empty()) rcs[0] = inputs[0]->run(handlers(0));
  for (auto& t : threads) t.join();
  for (const auto& input : inputs) input->release_signals();
  std::signal(SIGINT, SIG_IGN);
  return rcs;
}

LiveInput::LiveInput(const LiveInputOptions& o) : p_(std::make_unique<Impl>(o)) {}
LiveInput::~LiveInput() = default;

int LiveInput::run(Handlers h) {
  auto& p = *p_;
  const auto& o = p.o;
  p.handlers = std::move(h);
  try {
    p.ep = transport::parse_endpoint(o.port);
  } catch (const transport::TransportError& e) {
    fmt::print(stderr, "{}: --port {}\n", p.who(), e.what());
    return kBadArguments;
  }
  transport::SourceOptions so;
  so.baud = o.baud;
  try {
    p.source = transport::make_source(p.io, p.ep, so);
    p.source->start({[&p](std::span<const std::uint8_t> b) { p.on_bytes(b); },
                     [&p](const std::string& why) { p.on_lost(why); },
                     [&p](double down_s) { p.on_restored(down_s); }, [&p] { p.stop(); },
                     [&p](const std::string& why) { p.on_gone(why); }});
  } catch (const transport::TransportError& e) {
    fmt::print(stderr, "{}: {}\n", p.who(), e.what());
    return kSystemFailure;
  }
  if (!o.out.empty()) {
    try {
      p.file = std::make_unique<OutputFile>(o.out, OutputFile::Mode::in_place);
    } catch (const OutputError& e) {
      fmt::print(stderr, "{}: {}\n", p.who(), e.what());
      return kSystemFailure;
    }
  }
  fmt::print(stderr, "{}: reading {} ({}){}; Ctrl-C ends\n", p.who(), p.source->name(),
             p.ep.kind == transport::Endpoint::Kind::serial ? fmt::format("{} baud, 8N1", o.baud)
             : p.ep.kind == transport::Endpoint::Kind::file ? std::string("file")
                                                            : std::string("socket"),
             o.out.empty() ? std::string() : ", writing " + o.out);
  p.start = Clock::now();
  p.signals.async_wait([&p](boost::system::error_code ec, int sig) {
    if (!ec) {
      fmt::print(stderr, "{}: {} received, closing\n", p.who(), sig == SIGINT ? "SIGINT" : "SIGTERM");
      p.signalled = true;
      p.stop();
    }
  });
  p.schedule_tick();
  p.io.run();
  p.batch.clear();
  p.decoder.finish(p.batch);
  p.deliver(Clock::now());
  if (p.file && p.flush_file()) {
    try {
      p.file->commit();  // fsync and close
    } catch (const OutputError& e) {
      fmt::print(stderr, "{}: {}\n", p.who(), e.what());
      p.file_failed = true;
    }
  }
  if (p.file_failed) p.exit = kSystemFailure;  // said by report(), with what is on disk
  return kOk;
}

void LiveInput::stop() { p_->stop(); }
void LiveInput::release_signals() {
  boost::system::error_code ec;
  p_->signals.clear(ec);
}
void LiveInput::fail(int exit_code) {
  p_->exit = exit_code;
  p_->stop();
}

int LiveInput::report() {
  auto& p = *p_;
  const auto& o = p.o;
  const auto& st = p.decoder.stats();
  const std::string counts =
      fmt::format("{} bytes, {} frames, {} lines, {} CRC failures, {} bad frames, {} bad lines, {} lost frames",
                  st.bytes, st.frames, st.lines, st.crc_failures, st.bad_frames, st.bad_lines, st.lost_frames);
  if (p.unrecognised || p.decoded == 0) {
    if (st.bytes == 0) {
      fmt::print(stderr, "{}: nothing received from {}{}\n", p.who(), p.source->name(),
                 o.out.empty() ? std::string() : fmt::format("; '{}' has no samples", o.out));
    } else {
      fmt::print(stderr,
                 "{}: received {} bytes from {} but not one valid {} ({}).\n"
                 "  Wrong baud rate? This used --baud {}; boards commonly print at 9600 (bare WitMotion modules), "
                 "115200, 230400, 460800 or 921600. Or a wrong --format ({}; WitMotion boards: --format witmotion), "
                 "or not a stride-compatible board.\n",
                 p.who(), st.bytes, p.source->name(),
                 o.format == "binary"      ? "frame"
                 : o.format == "text"      ? "line"
                 : o.format == "witmotion" ? "WitMotion packet"
                                           : "line, frame or WitMotion packet",
                 counts, o.baud, o.format);
      for (std::size_t i = 0; i < std::min<std::size_t>(3, st.bad.size()); ++i)
        fmt::print(stderr, "  at byte {}: {}\n", st.bad[i].offset, st.bad[i].what);
    }
    return p.exit != kOk ? p.exit : kBadInput;
  }
  const auto d = wire::summarize(p.decoder.gaps());
  const double rate = p.decoder.meta().rate_hz;
  fmt::print(stderr, "{}: {} samples, {:.2f} s at {:.1f} Hz{}\n", p.who(), p.decoded, p.last_t_s, rate,
             o.out.empty()     ? std::string()
             : p.file_failed ? fmt::format(" -> {}: only {} of them are in the file (its writes failed)", o.out, p.on_disk)
                             : " -> " + o.out);
  fmt::print(stderr, "  {}: {}\n", p.source->name(), p.decoder.describe());
  fmt::print(stderr, "  {}; {} device restarts, {} repeated stamps dropped, {} stamps dropped as outliers, {} repeated "
             "and {} reordered frames, {} disconnects\n", counts, st.device_resets, st.duplicate_stamps,
             st.outlier_stamps, st.duplicate_frames, st.reordered_frames, p.disconnects);
  for (std::size_t i = 0; i < std::min<std::size_t>(5, st.bad.size()); ++i)
    fmt::print(stderr, "  bad at byte {} ({} bytes): {}\n", st.bad[i].offset, st.bad[i].bytes, st.bad[i].what);
  if (st.bad.size() > 5) fmt::print(stderr, "  ... {} more\n", st.bad_total() - 5);
  fmt::print(stderr, "  {}\n", wire::to_string(d));
  return p.exit;
}

const wire::StreamDecoder& LiveInput::decoder() const { return p_->decoder; }
std::string LiveInput::source_name() const { return p_->source ? p_->source->name() : p_->o.port; }
std::uint64_t LiveInput::samples() const { return p_->decoded; }
double LiveInput::last_t_s() const { return p_->last_t_s; }
bool LiveInput::signalled() const { return p_->signalled; }

}  // namespace stride::session
