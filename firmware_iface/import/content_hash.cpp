#include "content_hash.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace stride::io {

std::string Fnv1a64::hex() const {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(state));
  return text;
}

HashingStreambuf::HashingStreambuf(std::streambuf& source, Fnv1a64 seed)
    : source_(source), hash_(seed), buf_(std::size_t{1} << 16) {}

HashingStreambuf::int_type HashingStreambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  const std::streamsize got = source_.sgetn(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  if (got <= 0) return traits_type::eof();
  hash_.update(buf_.data(), static_cast<std::size_t>(got));
  setg(buf_.data(), buf_.data(), buf_.data() + got);
  return traits_type::to_int_type(*gptr());
}

std::streamsize HashingStreambuf::xsgetn(char* dst, std::streamsize n) {
  // What is buffered was hashed when it came in; the rest is read into dst and hashed there.
  const std::streamsize buffered = std::min<std::streamsize>(n, egptr() - gptr());
  std::memcpy(dst, gptr(), static_cast<std::size_t>(buffered));
  gbump(static_cast<int>(buffered));
  if (buffered == n) return n;
  const std::streamsize got = source_.sgetn(dst + buffered, n - buffered);
  if (got <= 0) return buffered;
  hash_.update(dst + buffered, static_cast<std::size_t>(got));
  return buffered + got;
}

void HashingStreambuf::drain() {
  setg(buf_.data(), buf_.data(), buf_.data());  // what the reader has not taken was hashed already
  while (underflow() != traits_type::eof()) setg(buf_.data(), buf_.data(), buf_.data());
}

}  // namespace stride::io
