#include <utility>  // before Boost.Asio (Boost 1.74, g++ 12, C++20)
#include <boost/asio.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "sinks.hpp"

namespace stride::transport {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

class PtySink final : public ReplaySink {
 public:
  explicit PtySink(std::string link) : link_(std::move(link)) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0) throw TransportError(errno_text("posix_openpt"));
    if (::grantpt(master_) != 0 || ::unlockpt(master_) != 0) {
      const auto e = errno_text("grantpt/unlockpt");
      ::close(master_);
      throw TransportError(e);
    }
    const char* name = ::ptsname(master_);
    slave_path_ = name ? name : "";
    // Hold the slave open: bytes wait in the pty until the reader comes, and the reader's close is no hang-up.
    slave_ = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY);
    if (slave_ < 0) {
      const auto e = errno_text(("open " + slave_path_).c_str());
      ::close(master_);
      throw TransportError(e);
    }
    termios t{};
    ::tcgetattr(slave_, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave_, TCSANOW, &t);
    if (!link_.empty()) {
      std::error_code ec;
      std::filesystem::remove(link_, ec);
      std::filesystem::create_symlink(slave_path_, link_, ec);
      if (ec) throw TransportError("cannot create the link '" + link_ + "' -> " + slave_path_ + ": " + ec.message());
    }
  }
  ~PtySink() override {
    if (!link_.empty()) {
      std::error_code ec;
      // Only remove the link when it still points at this pty (a newer replay may have replaced it).
      if (std::filesystem::read_symlink(link_, ec) == slave_path_) std::filesystem::remove(link_, ec);
    }
    ::close(slave_);
    ::close(master_);
  }
  std::string where() const override { return slave_path_; }
  bool wait_for_reader(double) override { return true; }  // the pty buffers (and blocks) until someone reads
  void write(const std::uint8_t* d, std::size_t n) override {
    while (n > 0) {
      const auto k = ::write(master_, d, n);
      if (k < 0) {
        if (errno == EINTR) continue;
        throw TransportError(errno_text(("write to " + slave_path_).c_str()));
      }
      d += k;
      n -= static_cast<std::size_t>(k);
      written_ += static_cast<std::uint64_t>(k);
    }
  }
  void drain(double timeout_s) override {
    // The reader has everything once the slave's input queue stays empty for a while (bytes can still be in the
    // tty layer's flip buffer when it reads 0 once); closing the master earlier would discard them.
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
    int quiet = 0;
    while (Clock::now() < until && quiet < 10) {
      int pending = 0;
      if (::ioctl(slave_, FIONREAD, &pending) != 0) break;
      quiet = pending == 0 ? quiet + 1 : 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  std::string link_;
  int master_ = -1;
  int slave_ = -1;
  std::string slave_path_;
};

class TcpServerSink final : public ReplaySink {
 public:
  explicit TcpServerSink(const Endpoint& e) : acceptor_(io_), sock_(io_) {
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(e.host.empty() ? "127.0.0.1" : e.host, ec);
    if (ec) throw TransportError("'" + e.host + "' in " + e.text + " is not an IP address: " + ec.message());
    const asio::ip::tcp::endpoint ep(addr, e.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(1, ec);
    if (ec) throw TransportError("cannot listen on " + e.text + ": " + ec.message());
    acceptor_.non_blocking(true, ec);
    where_ = "tcp://" + addr.to_string() + ":" + std::to_string(acceptor_.local_endpoint().port());
  }
  std::string where() const override { return where_; }
  bool wait_for_reader(double timeout_s) override {
    const auto start = Clock::now();
    while (!try_accept()) {
      if (timeout_s > 0 && std::chrono::duration<double>(Clock::now() - start).count() > timeout_s) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }
  void write(const std::uint8_t* d, std::size_t n) override {
    if (!sock_.is_open() && !try_accept()) return;  // nobody listening: the bytes are gone, as on a real bridge
    boost::system::error_code ec;
    asio::write(sock_, asio::buffer(d, n), ec);
    if (ec) {
      sock_.close(ec);
      return;
    }
    written_ += n;
  }
  void drain(double) override {}

 private:
  bool try_accept() {
    if (sock_.is_open()) return true;
    boost::system::error_code ec;
    acceptor_.accept(sock_, ec);
    if (ec) return false;
    sock_.set_option(asio::ip::tcp::no_delay(true), ec);
    return true;
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::socket sock_;
  std::string where_;
};

class UdpSink final : public ReplaySink {
 public:
  explicit UdpSink(const Endpoint& e) : sock_(io_) {
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(e.host.empty() ? "127.0.0.1" : e.host, ec);
    if (ec) throw TransportError("'" + e.host + "' in " + e.text + " is not an IP address: " + ec.message());
    to_ = asio::ip::udp::endpoint(addr, e.port);
    sock_.open(to_.protocol(), ec);
    if (ec) throw TransportError("cannot open a UDP socket: " + ec.message());
    where_ = "udp://" + addr.to_string() + ":" + std::to_string(e.port);
  }
  std::string where() const override { return where_; }
  bool wait_for_reader(double) override { return true; }
  void write(const std::uint8_t* d, std::size_t n) override {
    boost::system::error_code ec;
    sock_.send_to(asio::buffer(d, n), to_, 0, ec);  // nobody listening: lost, as UDP is
    if (!ec) written_ += n;
  }
  void drain(double) override {}

 private:
  asio::io_context io_;
  asio::ip::udp::socket sock_;
  asio::ip::udp::endpoint to_;
  std::string where_;
};

}  // namespace

std::unique_ptr<ReplaySink> make_pty_sink(const std::string& link) { return std::make_unique<PtySink>(link); }
std::unique_ptr<ReplaySink> make_tcp_server_sink(const Endpoint& e) { return std::make_unique<TcpServerSink>(e); }
std::unique_ptr<ReplaySink> make_udp_sink(const Endpoint& e) { return std::make_unique<UdpSink>(e); }

}  // namespace stride::transport
