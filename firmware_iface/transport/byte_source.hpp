// Byte sources and sinks for the live path. Every source (serial port, TCP client, UDP listener, file) hands its
// bytes to the same decoder; sources that can lose their device reconnect with back-off and say how long they
// were gone, so the gap is recorded, never hidden. One boost::asio::io_context runs them all.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace stride::transport {

// Thrown when a source cannot be opened or an endpoint not parsed; what() names the port, what happened and
// what to do.
struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Endpoint {
  enum class Kind { serial, tcp, udp, file, pty };
  Kind kind = Kind::serial;
  std::string path;   // serial device or file
  std::string host;   // tcp/udp; empty = any (udp listen)
  std::uint16_t port = 0;
  std::string text;   // as the user wrote it
};
// "/dev/ttyUSB0" | "COM3" | "tcp://HOST:PORT" | "udp://:PORT" | "udp://HOST:PORT" | "file://PATH" | "pty".
Endpoint parse_endpoint(std::string_view text);  // throws TransportError

struct SourceOptions {
  unsigned baud = 115200;            // serial: always set, with 8N1 and no flow control
  double backoff_min_s = 0.05;       // first reconnect attempt after this, doubling...
  double backoff_max_s = 1.0;        // ...up to this
  std::size_t file_chunk = 4096;     // file: bytes per read
};

class ByteSource {
 public:
  struct Callbacks {
    std::function<void(std::span<const std::uint8_t>)> bytes;
    std::function<void(const std::string& reason)> lost;   // the device went away; reconnecting
    std::function<void(double down_s)> restored;           // back, after down_s seconds without it
    std::function<void()> ended;                           // no more bytes will come (end of a file)
    // The device went away and is not reopened: a pseudo-terminal named by its number (/dev/pts/N), which the
    // next program to ask for a pty may be given. Without this callback, `ended` is called.
    std::function<void(const std::string& reason)> gone;
  };
  virtual ~ByteSource() = default;
  // Opens the source (throws TransportError when it cannot, naming it) and starts reading on the io_context.
  virtual void start(Callbacks callbacks) = 0;
  virtual void stop() = 0;
  virtual std::string name() const = 0;
};

std::unique_ptr<ByteSource> make_source(boost::asio::io_context& io, const Endpoint& endpoint,
                                        const SourceOptions& options = {});

// The message for a failed open of a serial device: does not exist / busy / permission denied / other, with what
// to do. errno_value: the errno of the failed call.
std::string serial_open_error(const std::string& path, int errno_value, const std::string& system_message);

// USB serial ports as libserialport enumerates them (it only lists; reading goes through Boost.Asio, which also
// opens pseudo-terminals such as ble-serial's).
struct PortInfo {
  std::string name;          // /dev/ttyACM0
  std::string description;
  std::string transport;     // usb | bluetooth | native
  int usb_vid = -1, usb_pid = -1;
  std::string manufacturer, product, serial_number;
};
std::vector<PortInfo> list_ports();  // throws TransportError when enumeration itself fails

}  // namespace stride::transport
