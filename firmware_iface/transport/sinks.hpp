// Where the virtual board's bytes go: a pseudo-terminal (what a USB or BLE serial bridge looks like), a TCP server
// (as ble-serial's TCP mode), or UDP datagrams. Blocking and simple: the replay loop paces itself.
#pragma once

#include <memory>
#include <string>

#include "firmware_iface/firmware/board_core.hpp"
#include "firmware_iface/transport/byte_source.hpp"

namespace stride::transport {

class ReplaySink : public fw::ByteSink {
 public:
  // Where a reader connects: the pty slave path, "tcp://127.0.0.1:PORT", "udp://HOST:PORT".
  virtual std::string where() const = 0;
  // Blocks until a reader is there (TCP: a client connected), at most timeout_s (<= 0: forever). False on time-out.
  virtual bool wait_for_reader(double timeout_s) = 0;
  // Waits until what was written has been read (pty) or sent, at most timeout_s.
  virtual void drain(double timeout_s) = 0;
  std::uint64_t bytes_written() const { return written_; }

 protected:
  std::uint64_t written_ = 0;
};

// pty: posix_openpt, raw mode; keeps a slave descriptor open itself so that bytes written before the reader
// opens the slave wait in the pty (back-pressure) instead of failing. link: also a symlink to the slave there.
std::unique_ptr<ReplaySink> make_pty_sink(const std::string& link = "");
// tcp://HOST:PORT: listens; one client at a time; bytes written while no client is connected are dropped (as a
// bridge drops them), and a new client is accepted between writes.
std::unique_ptr<ReplaySink> make_tcp_server_sink(const Endpoint& e);
// udp://HOST:PORT: one datagram per write.
std::unique_ptr<ReplaySink> make_udp_sink(const Endpoint& e);

}  // namespace stride::transport
