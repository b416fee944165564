// `stride record`: a board's live stream (serial port, pseudo-terminal, TCP or UDP bridge) -> stride's native CSV.
// The file is appended and flushed several times a second, so a crash or `kill -9` loses well under a second and
// leaves a readable file; SIGINT/SIGTERM end cleanly with a summary (counts, damage, dropouts) on stderr.
#include <utility>  // before Boost.Asio (Boost 1.74, g++ 12, C++20)
#include <boost/asio.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "firmware_iface/protocol/stream_decoder.hpp"
#include "firmware_iface/transport/byte_source.hpp"
#include "stride/recording_io.hpp"

namespace stride::cli {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct RecordOptions {
  std::string port;
  unsigned baud = 115200;
  std::string out;
  std::string placement = "shoe";
  std::string side = "unknown";
  std::string athlete, shoe;
  std::string format = "auto";
  wire::TextOptions text;
  double duration_s = 0.0;
  double give_up_s = 5.0;
  double flush_every_s = 0.2;
};

std::string utc_now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

class Recorder {
 public:
  Recorder(const RecordOptions& o, transport::Endpoint ep)
      : o_(o),
        ep_(std::move(ep)),
        decoder_(o.format == "text" ? wire::Format::text
                 : o.format == "binary" ? wire::Format::binary
                                        : wire::Format::auto_detect,
                 o.text),
        signals_(io_, SIGINT, SIGTERM),
        tick_(io_) {}

  int run() {
    transport::SourceOptions so;
    so.baud = o_.baud;
    try {
      source_ = transport::make_source(io_, ep_, so);
      source_->start({[this](std::span<const std::uint8_t> b) { on_bytes(b); },
                      [this](const std::string& why) { on_lost(why); },
                      [this](double down_s) { on_restored(down_s); }, [this] { stop(); }});
    } catch (const transport::TransportError& e) {
      fmt::print(stderr, "stride record: {}\n", e.what());
      return kSystemFailure;
    }
    file_.open(o_.out, std::ios::out | std::ios::trunc);
    if (!file_) {
      fmt::print(stderr, "stride record: cannot write '{}': {}\n", o_.out, std::strerror(errno));
      return kSystemFailure;
    }
    fmt::print(stderr, "stride record: reading {} ({}), writing {}; Ctrl-C ends\n", source_->name(),
               ep_.kind == transport::Endpoint::Kind::serial ? fmt::format("{} baud, 8N1", o_.baud)
               : ep_.kind == transport::Endpoint::Kind::file ? std::string("file")
                                                             : std::string("socket"),
               o_.out);
    start_ = Clock::now();
    signals_.async_wait([this](boost::system::error_code ec, int sig) {
      if (!ec) {
        fmt::print(stderr, "stride record: {} received, closing\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        stop();
      }
    });
    schedule_tick();
    io_.run();
    std::vector<ImuSample> rest;
    decoder_.finish(rest);
    write(rest);
    file_.flush();
    return finish();
  }

 private:
  void on_bytes(std::span<const std::uint8_t> b) {
    if (!first_byte_) first_byte_ = Clock::now();
    samples_.clear();
    decoder_.feed(b, samples_);
    write(samples_);
  }

  void on_lost(const std::string& why) {
    ++disconnects_;
    fmt::print(stderr, "stride record: lost {}: {}; reconnecting\n", source_->name(), why);
    file_.flush();
  }

  void on_restored(double down_s) {
    fmt::print(stderr, "stride record: {} is back after {:.2f} s; the gap is kept in the recording\n",
               source_->name(), down_s);
    decoder_.discontinuity(down_s);
  }

  void write(const std::vector<ImuSample>& samples) {
    if (samples.empty()) return;
    if (!header_written_) write_header();
    for (const auto& s : samples) io::write_native_sample(file_, s);
    written_ += samples.size();
    last_t_s_ = samples.back().t_s;
  }

  void write_header() {
    RecordingMeta m = decoder_.meta();
    if (auto p = placement_from_string(o_.placement)) m.placement = *p;
    if (auto s = side_from_string(o_.side)) m.side = *s;
    if (!o_.athlete.empty()) m.athlete = o_.athlete;
    if (!o_.shoe.empty()) m.shoe = o_.shoe;
    m.start_time = utc_now_iso();
    m.extra["recorded_with"] = "stride record " STRIDE_VERSION;
    m.extra["source"] = source_->name();
    m.extra["stream"] = decoder_.describe();
    io::write_native_header(file_, m);
    header_written_ = true;
    fmt::print(stderr, "stride record: stream recognised: {}\n", decoder_.describe());
  }

  void schedule_tick() {
    tick_.expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.flush_every_s)));
    tick_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping_) return;
      file_.flush();
      if (!file_) {
        fmt::print(stderr, "stride record: writing '{}' failed (disk full?)\n", o_.out);
        exit_ = kSystemFailure;
        return stop();
      }
      if (o_.duration_s > 0 && since(start_) >= o_.duration_s) return stop();
      // Bytes but nothing recognisable: wrong baud rate, wrong format, or not a board at all.
      if (first_byte_ && decoder_.recognised() == 0 && since(*first_byte_) >= o_.give_up_s) {
        unrecognised_ = true;
        return stop();
      }
      schedule_tick();
    });
  }

  void stop() {
    if (stopping_) return;
    stopping_ = true;
    boost::system::error_code ec;
    signals_.cancel(ec);
    tick_.cancel();
    if (source_) source_->stop();
    io_.stop();
  }

  int finish() {
    const auto& st = decoder_.stats();
    const std::string counts =
        fmt::format("{} bytes, {} frames, {} lines, {} CRC failures, {} bad frames, {} bad lines, {} lost frames",
                    st.bytes, st.frames, st.lines, st.crc_failures, st.bad_frames, st.bad_lines, st.lost_frames);
    if (unrecognised_ || written_ == 0) {
      if (st.bytes == 0) {
        fmt::print(stderr, "stride record: nothing received from {}; '{}' has no samples\n", source_->name(), o_.out);
      } else {
        fmt::print(stderr,
                   "stride record: received {} bytes from {} but not one valid {} ({}).\n"
                   "  Wrong baud rate? This used --baud {}; boards commonly print at 115200, 230400, 460800 or "
                   "921600. Or a wrong --format ({}), or not a stride-compatible board.\n",
                   st.bytes, source_->name(),
                   o_.format == "binary" ? "frame" : o_.format == "text" ? "line" : "line or frame", counts, o_.baud,
                   o_.format);
        for (std::size_t i = 0; i < std::min<std::size_t>(3, st.bad.size()); ++i)
          fmt::print(stderr, "  at byte {}: {}\n", st.bad[i].offset, st.bad[i].what);
      }
      return exit_ != kOk ? exit_ : kBadInput;
    }
    const auto d = wire::summarize(decoder_.gaps());
    const double rate = decoder_.meta().rate_hz;
    fmt::print(stderr, "stride record: {} samples, {:.2f} s at {:.1f} Hz -> {}\n", written_, last_t_s_, rate, o_.out);
    fmt::print(stderr, "  {}: {}\n", source_->name(), decoder_.describe());
    fmt::print(stderr, "  {}; {} device restarts, {} repeated stamps dropped, {} disconnects\n", counts,
               st.device_resets, st.duplicate_stamps, disconnects_);
    for (std::size_t i = 0; i < std::min<std::size_t>(5, st.bad.size()); ++i)
      fmt::print(stderr, "  bad at byte {} ({} bytes): {}\n", st.bad[i].offset, st.bad[i].bytes, st.bad[i].what);
    if (st.bad.size() > 5) fmt::print(stderr, "  ... {} more\n", st.bad_total() - 5);
    fmt::print(stderr, "  {}\n", wire::to_string(d));
    return exit_;
  }

  const RecordOptions& o_;
  transport::Endpoint ep_;
  wire::StreamDecoder decoder_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer tick_;
  std::unique_ptr<transport::ByteSource> source_;
  std::ofstream file_;
  std::vector<ImuSample> samples_;
  bool header_written_ = false;
  bool stopping_ = false;
  bool unrecognised_ = false;
  std::size_t written_ = 0;
  std::size_t disconnects_ = 0;
  double last_t_s_ = 0.0;
  Clock::time_point start_;
  std::optional<Clock::time_point> first_byte_;
  int exit_ = kOk;
};

int run(const RecordOptions& o) {
  transport::Endpoint ep;
  try {
    ep = transport::parse_endpoint(o.port);
  } catch (const transport::TransportError& e) {
    fmt::print(stderr, "stride record: --port {}\n", e.what());
    return kBadArguments;
  }
  Recorder r(o, ep);
  return r.run();
}

}  // namespace

Action add_record(CLI::App& app) {
  auto o = std::make_shared<RecordOptions>();
  auto* cmd = app.add_subcommand("record", "Record a board's live stream (serial, pty, TCP, UDP) to a native CSV");
  cmd->add_option("--port,-p", o->port, "DEVICE (e.g. /dev/ttyACM0, a ble-serial pty) | tcp://HOST:PORT | udp://:PORT")
      ->required();
  cmd->add_option("--baud", o->baud, "Serial baud rate (always set, with 8N1 and no flow control)")
      ->capture_default_str();
  cmd->add_option("--out,-o", o->out, "Recording to write (stride native CSV)")->required();
  cmd->add_option("--placement", o->placement, "shoe | shin")->check(CLI::IsMember({"shoe", "shin"}))->capture_default_str();
  cmd->add_option("--side", o->side, "left | right")->check(CLI::IsMember({"left", "right", "unknown"}));
  cmd->add_option("--athlete", o->athlete, "Athlete's name or id");
  cmd->add_option("--shoe", o->shoe, "Shoe");
  cmd->add_option("--format", o->format, "auto | text | binary")
      ->check(CLI::IsMember({"auto", "text", "binary"}))
      ->capture_default_str();
  cmd->add_option("--acc-unit", o->text.acc_unit, "Text: auto | g | m/s^2")->capture_default_str();
  cmd->add_option("--gyr-unit", o->text.gyr_unit, "Text: auto | deg/s | rad/s")->capture_default_str();
  cmd->add_option("--time-unit", o->text.time_unit, "Text: auto | s | ms | us | ns | none")->capture_default_str();
  cmd->add_option("--rate", o->text.rate_hz, "Text: sample rate in Hz when the lines carry no time");
  cmd->add_option("--duration", o->duration_s, "Stop after this many seconds (default: until Ctrl-C)");
  cmd->add_option("--give-up", o->give_up_s, "Exit when bytes arrive but nothing is recognised for this long (s)")
      ->capture_default_str();
  return [o] { return run(*o); };
}

}  // namespace stride::cli
