#include "line_source.hpp"

#include <algorithm>
#include <cstring>

namespace stride::io::detail {

LineSource::LineSource(std::istream& in, std::size_t block_bytes) : in_(in), buf_(std::max<std::size_t>(block_bytes, 64)) {}

bool LineSource::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // a line longer than the block: grow
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (!in_) eof_ = true;  // a short read sets failbit: the stream is exhausted (or broken)
  end_ += got;
  return got > 0;
}

std::string_view LineSource::peek_start(std::size_t max_bytes) {
  while (end_ - begin_ < max_bytes && fill()) {
  }
  return {buf_.data() + begin_, std::min(max_bytes, end_ - begin_)};
}

bool LineSource::next(std::string_view& line) {
  std::size_t scanned = 0;  // bytes already searched for '\n' in the current unread tail
  for (;;) {
    const char* start = buf_.data() + begin_;
    const std::size_t avail = end_ - begin_;
    const void* nl = avail > scanned ? std::memchr(start + scanned, '\n', avail - scanned) : nullptr;
    if (nl != nullptr || (eof_ && avail > 0)) {
      std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : avail;
      terminated_ = nl != nullptr;
      begin_ += nl ? len + 1 : len;
      if (len > 0 && start[len - 1] == '\r') --len;
      line = {start, len};
      if (at_start_) {
        at_start_ = false;
        if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
      }
      ++line_no_;
      return true;
    }
    if (eof_) return false;
    scanned = avail;  // fill() may move the tail to the front; `scanned` stays relative to begin_
    fill();
  }
}

}  // namespace stride::io::detail
