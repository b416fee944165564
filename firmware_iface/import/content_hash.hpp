// The FNV-1a 64 hash that ties a session document to its input bytes ("input.fnv1a64"), computed as the bytes go
// by: HashingStreambuf sits between a reader and its file, so the file is read once for both, and hashed on another
// core.
#pragma once

#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

namespace stride::io {

// FNV-1a, 64 bits. `state` carries over: hashing file A, then file B from A's state, hashes A's bytes then B's.
struct Fnv1a64 {
  static constexpr std::uint64_t kOffsetBasis = 14695981039346656037ull;
  std::uint64_t state = kOffsetBasis;
  void update(const char* bytes, std::size_t n) {
    std::uint64_t h = state;
    for (std::size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(bytes[i]);
      h *= 1099511628211ull;
    }
    state = h;
  }
  std::string hex() const;  // 16 lower-case hex digits, as in the session documents
};

// A read-only stream buffer over another one that hashes every byte handed out. The hashing runs on a thread of its
// own: FNV-1a waits for one multiply per byte (~1.2 ns, about as long as parsing the byte), so inline it would add
// most of a second per hour of 1 kHz CSV; on the second core it costs the reader a copy of each block (~0.1 ns/B).
// Blocks are hashed in order, at most kQueued MiB behind the reader (memory stays flat). Large reads (the CSV reader
// asks for 1 MiB blocks) go straight into the caller's buffer; small ones through a 64 KiB buffer.
class HashingStreambuf : public std::streambuf {
 public:
  HashingStreambuf(std::streambuf& source, Fnv1a64 seed);
  ~HashingStreambuf() override;
  HashingStreambuf(const HashingStreambuf&) = delete;
  HashingStreambuf& operator=(const HashingStreambuf&) = delete;
  // Reads and hashes whatever the reader left unread, waits for the hashing thread and returns the hash of every
  // byte of the source (from the seed). Once only: the stream is at its end afterwards.
  Fnv1a64 finish();

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* dst, std::streamsize n) override;

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  static constexpr std::size_t kQueued = 4;
  void hash_later(const char* bytes, std::size_t n);  // copies them into the block being filled
  void hand_over();                                   // queues that block (waits while kQueued are pending)
  void hash_queued();                                 // the thread

  std::streambuf& source_;
  Fnv1a64 hash_;
  std::vector<char> buf_;
  std::vector<char> filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<char>> queue_;
  std::vector<std::vector<char>> spare_;
  bool closing_ = false;
  std::thread worker_;
};

}  // namespace stride::io
