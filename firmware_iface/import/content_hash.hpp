// The FNV-1a 64 hash that ties a session document to its input bytes ("input.fnv1a64"), computed as the bytes go
// by: HashingStreambuf sits between a reader and its file, so the file is read once for both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <streambuf>
#include <string>
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

// A read-only stream buffer over another one that hashes every byte handed out. Large reads (the CSV reader asks
// for 1 MiB blocks) go straight into the caller's buffer and are hashed there; small ones through a 64 KiB buffer.
// `drain()` reads and hashes whatever the reader left unread, so the hash is of the whole input.
class HashingStreambuf : public std::streambuf {
 public:
  HashingStreambuf(std::streambuf& source, Fnv1a64 seed);
  void drain();
  const Fnv1a64& hash() const { return hash_; }

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* dst, std::streamsize n) override;

 private:
  std::streambuf& source_;
  Fnv1a64 hash_;
  std::vector<char> buf_;
};

}  // namespace stride::io
