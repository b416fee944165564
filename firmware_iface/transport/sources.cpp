#include <utility>  // before Boost.Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>

#include "byte_source.hpp"

namespace stride::transport {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------------------------
// Endpoints and messages

namespace {

bool parse_host_port(std::string_view rest, std::string& host, std::uint16_t& port) {
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return false;
  host = std::string(rest.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const auto p = rest.substr(colon + 1);
  unsigned v = 0;
  const auto r = std::from_chars(p.data(), p.data() + p.size(), v);
  if (r.ec != std::errc() || r.ptr != p.data() + p.size() || v == 0 || v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

}  // namespace

Endpoint parse_endpoint(std::string_view text) {
  Endpoint e;
  e.text = std::string(text);
  auto scheme = [&](std::string_view s) { return text.substr(0, s.size()) == s; };
  if (scheme("tcp://") || scheme("udp://")) {
    e.kind = scheme("tcp://") ? Endpoint::Kind::tcp : Endpoint::Kind::udp;
    if (!parse_host_port(text.substr(6), e.host, e.port))
      throw TransportError("'" + e.text + "': expected " + std::string(text.substr(0, 6)) +
                           "HOST:PORT with a port from 1 to 65535 (e.g. tcp://127.0.0.1:5000, udp://:5000)");
    if (e.kind == Endpoint::Kind::tcp && e.host.empty()) e.host = "127.0.0.1";
    return e;
  }
  if (scheme("file://")) {
    e.kind = Endpoint::Kind::file;
    e.path = std::string(text.substr(7));
    return e;
  }
  if (text == "pty") {
    e.kind = Endpoint::Kind::pty;
    return e;
  }
  if (text.empty() || text.find("://") != std::string_view::npos)
    throw TransportError("'" + e.text + "': expected a serial device (/dev/ttyUSB0), tcp://HOST:PORT, udp://:PORT "
                         "or file://PATH");
  e.kind = Endpoint::Kind::serial;
  e.path = std::string(text);
  return e;
}

std::string serial_open_error(const std::string& path, int err, const std::string& msg) {
  switch (err) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return "serial port '" + path + "' does not exist (" + msg +
             "). Plug the board in and check the cable carries data; `stride ports` lists the ports there are.";
    case EACCES:
    case EPERM:
      return "permission denied opening serial port '" + path + "' (" + msg +
             "). Add yourself to the group that owns it (usually dialout: sudo usermod -aG dialout $USER, then log "
             "in again).";
    case EBUSY:
    case EWOULDBLOCK:
      return "serial port '" + path + "' is busy: another program has it open (" + msg +
             "). Close the serial monitor or other recorder; `fuser " + path + "` names it.";
    case ENOTTY:
      return "'" + path + "' is not a serial port (" + msg + ").";
    default:
      return "cannot open serial port '" + path + "': " + msg + ".";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The reconnect machinery shared by the serial and TCP sources: read until an error, then try to reopen with
// back-off, and report how long the device was gone.
class ReconnectingSource : public ByteSource {
 public:
  ReconnectingSource(asio::io_context& io, SourceOptions o) : io_(io), timer_(io), opt_(o) {}

  void start(Callbacks cb) override {
    cb_ = std::move(cb);
    std::string why;
    if (!try_open(why)) throw TransportError(why);
    read();
  }

  void stop() override {
    stopped_ = true;
    timer_.cancel();
    close();
  }

 protected:
  virtual bool try_open(std::string& why) = 0;  // false with the reason
  virtual void close() = 0;
  virtual void async_read(asio::mutable_buffer b, std::function<void(boost::system::error_code, std::size_t)>) = 0;

  void read() {
    async_read(asio::buffer(buf_), [this](boost::system::error_code ec, std::size_t n) {
      if (stopped_) return;
      if (n > 0 && cb_.bytes) cb_.bytes(std::span<const std::uint8_t>(buf_.data(), n));
      if (ec) {
        const std::string reason = ec == asio::error::eof ? std::string("the other end closed the connection")
                                                          : ec.message();
        if (std::string why_not; !may_reconnect(why_not)) return gone(reason + "; " + why_not);
        return lost(reason);
      }
      read();
    });
  }

  // false (with the reason) when reopening the same path could reach another device.
  virtual bool may_reconnect(std::string& /*why_not*/) const { return true; }

  void gone(const std::string& reason) {
    close();
    stopped_ = true;
    if (cb_.gone) cb_.gone(reason);
    else if (cb_.ended) cb_.ended();
  }

  void lost(const std::string& reason) {
    close();
    down_since_ = Clock::now();
    backoff_s_ = opt_.backoff_min_s;
    if (cb_.lost) cb_.lost(reason);
    retry();
  }

  void retry() {
    timer_.expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(backoff_s_)));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopped_) return;
      std::string why;
      if (try_open(why)) {
        if (cb_.restored) cb_.restored(seconds_since(down_since_));
        read();
        return;
      }
      backoff_s_ = std::min(backoff_s_ * 2, opt_.backoff_max_s);
      retry();
    });
  }

  asio::io_context& io_;
  asio::steady_timer timer_;
  SourceOptions opt_;
  Callbacks cb_;
  std::array<std::uint8_t, 4096> buf_{};
  bool stopped_ = false;
  Clock::time_point down_since_;
  double backoff_s_ = 0.05;
};

class SerialSource final : public ReconnectingSource {
 public:
  SerialSource(asio::io_context& io, std::string path, SourceOptions o)
      : ReconnectingSource(io, o), port_(io), path_(std::move(path)) {}
  std::string name() const override { return path_; }

 private:
  bool try_open(std::string& why) override {
    boost::system::error_code ec;
    port_.open(path_, ec);
    if (ec) {
      why = serial_open_error(path_, ec.value(), ec.message());
      return false;
    }
    // Another recorder or a serial monitor that locks (pyserial exclusive, libserialport) makes it busy.
    if (::flock(port_.native_handle(), LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      why = serial_open_error(path_, EBUSY, std::strerror(err));
      port_.close(ec);
      return false;
    }
    // The library applies no defaults we can rely on: set everything, every time.
    using sp = asio::serial_port_base;
    port_.set_option(sp::baud_rate(opt_.baud), ec);
    if (!ec) port_.set_option(sp::character_size(8), ec);
    if (!ec) port_.set_option(sp::parity(sp::parity::none), ec);
    if (!ec) port_.set_option(sp::stop_bits(sp::stop_bits::one), ec);
    if (!ec) port_.set_option(sp::flow_control(sp::flow_control::none), ec);
    if (ec) {
      why = "cannot configure serial port '" + path_ + "' (" + std::to_string(opt_.baud) + " baud, 8N1, no flow "
            "control): " + ec.message() + ". Is it a serial device? Try another --baud.";
      port_.close(ec);
      return false;
    }
    // The path itself a pty slave (not a link to one, as ble-serial's /tmp/ttyBLE or a test's, which the bridge
    // points at its new pty when it restarts): Unix98 pty slaves have majors 136-143.
    struct stat st {};
    pty_number_ = ::lstat(path_.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 &&
                  major(st.st_rdev) <= 143;
    return true;
  }
  // A pty's number is given to the next program that opens a pty once its master closes: reopening /dev/pts/N
  // would record whatever that program writes (another test's board, a terminal) as this board.
  bool may_reconnect(std::string& why_not) const override {
    if (!pty_number_) return true;
    why_not = "'" + path_ + "' is a pseudo-terminal, whose number the next program to open one may be given, so it "
              "is not reopened; to reconnect when the bridge restarts, give the link the bridge makes (e.g. "
              "ble-serial's /tmp/ttyBLE)";
    return false;
  }
  void close() override {
    boost::system::error_code ec;
    port_.close(ec);
  }
  void async_read(asio::mutable_buffer b, std::function<void(boost::system::error_code, std::size_t)> h) override {
    port_.async_read_some(b, std::move(h));
  }

  asio::serial_port port_;
  std::string path_;
  bool pty_number_ = false;  // path_ is /dev/pts/N itself
};

class TcpSource final : public ReconnectingSource {
 public:
  TcpSource(asio::io_context& io, Endpoint e, SourceOptions o) : ReconnectingSource(io, o), sock_(io), e_(std::move(e)) {}
  std::string name() const override { return e_.text; }

 private:
  bool try_open(std::string& why) override {
    boost::system::error_code ec;
    asio::ip::tcp::resolver resolver(io_);
    const auto results = resolver.resolve(e_.host, std::to_string(e_.port), ec);
    if (ec) {
      why = "cannot resolve host '" + e_.host + "' of " + e_.text + ": " + ec.message();
      return false;
    }
    // Connecting is quick on a local bridge; done synchronously so the first failure can be reported at once.
    asio::connect(sock_, results, ec);
    if (ec) {
      why = "cannot connect to " + e_.text + ": " + ec.message() +
            (ec == asio::error::connection_refused ? ". Nothing is listening there: start the bridge (e.g. "
                                                     "ble-serial with its TCP server) or `stride replay`, or check "
                                                     "the port."
                                                   : ".");
      sock_.close(ec);
      return false;
    }
    return true;
  }
  void close() override {
    boost::system::error_code ec;
    sock_.close(ec);
  }
  void async_read(asio::mutable_buffer b, std::function<void(boost::system::error_code, std::size_t)> h) override {
    sock_.async_read_some(b, std::move(h));
  }

  asio::ip::tcp::socket sock_;
  Endpoint e_;
};

class UdpSource final : public ByteSource {
 public:
  UdpSource(asio::io_context& io, Endpoint e) : sock_(io), e_(std::move(e)) {}
  std::string name() const override { return e_.text; }
  void start(Callbacks cb) override {
    cb_ = std::move(cb);
    boost::system::error_code ec;
    const auto addr = e_.host.empty() ? asio::ip::address(asio::ip::address_v4::any())
                                      : asio::ip::make_address(e_.host, ec);
    if (ec) throw TransportError("'" + e_.host + "' in " + e_.text + " is not an IP address: " + ec.message());
    const asio::ip::udp::endpoint ep(addr, e_.port);
    sock_.open(ep.protocol(), ec);
    if (!ec) sock_.bind(ep, ec);
    if (ec)
      throw TransportError("cannot listen on " + e_.text + ": " + ec.message() +
                           (ec == asio::error::address_in_use ? ". Another program uses that UDP port." : "."));
    receive();
  }
  void stop() override {
    stopped_ = true;
    boost::system::error_code ec;
    sock_.close(ec);
  }

 private:
  void receive() {
    sock_.async_receive_from(asio::buffer(buf_), from_, [this](boost::system::error_code ec, std::size_t n) {
      if (stopped_) return;
      if (!ec && n > 0 && cb_.bytes) cb_.bytes(std::span<const std::uint8_t>(buf_.data(), n));
      receive();  // a datagram error (e.g. ICMP unreachable) does not end a listener
    });
  }

  asio::ip::udp::socket sock_;
  Endpoint e_;
  Callbacks cb_;
  asio::ip::udp::endpoint from_;
  std::array<std::uint8_t, 65536> buf_{};
  bool stopped_ = false;
};

// A file read in chunks on the io_context (replays a capture of the raw byte stream).
class FileSource final : public ByteSource {
 public:
  FileSource(asio::io_context& io, Endpoint e, SourceOptions o) : io_(io), e_(std::move(e)), opt_(o) {}
  std::string name() const override { return e_.path; }
  void start(Callbacks cb) override {
    cb_ = std::move(cb);
    in_.open(e_.path, std::ios::binary);
    if (!in_) throw TransportError("cannot open '" + e_.path + "': " + std::strerror(errno));
    buf_.resize(std::max<std::size_t>(1, opt_.file_chunk));
    asio::post(io_, [this] { next(); });
  }
  void stop() override { stopped_ = true; }

 private:
  void next() {
    if (stopped_) return;
    in_.read(reinterpret_cast<char*>(buf_.data()), static_cast<std::streamsize>(buf_.size()));
    const auto n = static_cast<std::size_t>(in_.gcount());
    if (n > 0 && cb_.bytes) cb_.bytes(std::span<const std::uint8_t>(buf_.data(), n));
    if (!in_) {
      if (cb_.ended) cb_.ended();
      return;
    }
    asio::post(io_, [this] { next(); });
  }

  asio::io_context& io_;
  Endpoint e_;
  SourceOptions opt_;
  Callbacks cb_;
  std::ifstream in_;
  std::vector<std::uint8_t> buf_;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> make_source(asio::io_context& io, const Endpoint& e, const SourceOptions& o) {
  switch (e.kind) {
    case Endpoint::Kind::serial: return std::make_unique<SerialSource>(io, e.path, o);
    case Endpoint::Kind::tcp: return std::make_unique<TcpSource>(io, e, o);
    case Endpoint::Kind::udp: return std::make_unique<UdpSource>(io, e);
    case Endpoint::Kind::file: return std::make_unique<FileSource>(io, e, o);
    case Endpoint::Kind::pty: break;
  }
  throw TransportError("'" + e.text + "' is a place to replay to, not a source to record from");
}

}  // namespace stride::transport
