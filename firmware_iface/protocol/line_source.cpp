#include "line_source.hpp"

#include <algorithm>
#include <cstring>

namespace stride::io::detail {

LineSource::LineSource(std::istream& in, std::size_t max_line_bytes, std::size_t block_bytes)
    : in_(in), max_line_(std::max<std::size_t>(max_line_bytes, 1)),
      buf_(std::max<std::size_t>(std::min(block_bytes, max_line_ + 1), 64)) {}

bool LineSource::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // A line longer than the block: grow, but never past what the longest allowed line needs.
  if (end_ == buf_.size()) buf_.resize(std::min(buf_.size() * 2, std::max(buf_.size(), max_line_) + 1));
  if (end_ == buf_.size()) return false;  // cannot happen: next() handles a full buffer as a line too long
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (!in_) eof_ = true;  // a short read sets failbit: the stream is exhausted (or broken)
  end_ += got;
  return got > 0;
}

std::string_view LineSource::peek_start(std::size_t max_bytes) {
  while (end_ - begin_ < max_bytes && end_ - begin_ <= max_line_ && fill()) {
  }
  return {buf_.data() + begin_, std::min(max_bytes, end_ - begin_)};
}

void LineSource::skip_long_line(std::size_t avail) {
  prefix_.assign(buf_.data() + begin_, std::min(avail, kLongLinePrefix));
  line_bytes_ = 0;
  terminated_ = false;
  for (;;) {
    const char* start = buf_.data() + begin_;
    const std::size_t n = end_ - begin_;
    const void* nl = std::memchr(start, '\n', n);
    if (nl != nullptr) {
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
      line_bytes_ += len;
      begin_ += len + 1;
      terminated_ = true;
      return;
    }
    line_bytes_ += n;
    begin_ = end_;
    if (!fill()) return;
  }
}

bool LineSource::next(std::string_view& line) {
  std::size_t scanned = 0;  // bytes already searched for '\n' in the current unread tail
  too_long_ = false;
  for (;;) {
    const char* start = buf_.data() + begin_;
    const std::size_t avail = end_ - begin_;
    const void* nl = avail > scanned ? std::memchr(start + scanned, '\n', avail - scanned) : nullptr;
    const std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : avail;
    if (len > max_line_) {  // (the buffer holds max_line_ + 1 bytes at most: a full one without '\n' is this)
      skip_long_line(avail);
      too_long_ = true;
      line = prefix_;
      at_start_ = false;
      ++line_no_;
      return true;
    }
    if (nl != nullptr || (eof_ && avail > 0)) {
      std::size_t n = len;
      terminated_ = nl != nullptr;
      begin_ += nl ? n + 1 : n;
      line_bytes_ = n;
      if (n > 0 && start[n - 1] == '\r') --n;
      line = {start, n};
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
