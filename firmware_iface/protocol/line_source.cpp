#include "line_source.hpp"

#include <algorithm>
#include <cstring>

namespace stride::io::detail {

LineSource::LineSource(std::istream& in, std::size_t max_line_bytes, std::size_t block_bytes)
    : in_(in), max_line_(std::max<std::size_t>(max_line_bytes, 1)),
      block_(std::max<std::size_t>(std::min(block_bytes, max_line_ + 1), 64)),
      buf_(std::min(kFirstBlock, block_)) {}

bool LineSource::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t size = buf_.size();
  // The stream filled the last read: there is more, so read in larger blocks (up to block_bytes). A short input
  // (a test's, a fuzzer's, a small file's) never makes the buffer larger than itself.
  if (last_read_full_ && size < block_) size = std::min(size * 2, block_);
  // A line longer than the buffer: grow, but never past what the longest allowed line needs.
  if (end_ == size) size = std::min(size * 2, std::max(size, max_line_) + 1);
  if (size != buf_.size()) buf_.resize(size);
  if (end_ == buf_.size()) return false;  // cannot happen: next() handles a full buffer as a line too long
  const std::size_t want = buf_.size() - end_;
  const std::size_t got = read_text(buf_.data() + end_, want);
  last_read_full_ = got == want;
  end_ += got;
  return got > 0;
}

namespace {
constexpr std::size_t kRawBlock = std::size_t{1} << 16;
// A short file of a few characters is too little to tell UTF-16 by its NULs (one "1\0" pair proves nothing).
constexpr std::size_t kMinSniffPairs = 4;

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}
}  // namespace

const char* LineSource::encoding() const {
  switch (enc_) {
    case Enc::utf8_bom: return "UTF-8 with BOM";
    case Enc::utf16le: return "UTF-16 LE";
    case Enc::utf16be: return "UTF-16 BE";
    case Enc::utf16le_no_bom: return "UTF-16 LE without byte-order mark (every second byte NUL)";
    case Enc::utf16be_no_bom: return "UTF-16 BE without byte-order mark (every second byte NUL)";
    default: return "UTF-8";
  }
}

void LineSource::transcode_block() {
  stage_.clear();
  stage_pos_ = 0;
  raw_.resize(kRawBlock + kSniffBytes);  // room for a block after the carry (<= kSniffBytes)
  in_.read(raw_.data() + raw_carry_, static_cast<std::streamsize>(kRawBlock));
  const std::size_t n = raw_carry_ + static_cast<std::size_t>(in_.gcount());
  if (!in_) raw_eof_ = true;
  const bool le = enc_ == Enc::utf16le || enc_ == Enc::utf16le_no_bom;
  auto unit = [&](std::size_t i) {
    const auto a = static_cast<unsigned char>(raw_[i]), b = static_cast<unsigned char>(raw_[i + 1]);
    return static_cast<std::uint32_t>(le ? a | (b << 8) : (a << 8) | b);
  };
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {  // a high surrogate: its pair may be in the next block
      if (i + 3 >= n && !raw_eof_) break;
      const std::uint32_t lo = i + 3 < n ? unit(i + 2) : 0;
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        u = 0xFFFD;
      }
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      u = 0xFFFD;
    }
    put_utf8(stage_, u);
  }
  raw_carry_ = n - i;  // an odd byte or a high surrogate waiting for its pair
  if (raw_carry_ > 0 && raw_eof_) {
    stage_ += "\xEF\xBF\xBD";  // a truncated last unit
    raw_carry_ = 0;
  }
  std::memmove(raw_.data(), raw_.data() + i, raw_carry_);
}

namespace {
// A text with no byte-order mark is UTF-16 when its first bytes are ASCII text with a NUL beside every character
// (Excel's "Unicode text" and Windows tools sometimes drop the mark): NUL at every odd offset = little-endian, at
// every even offset = big-endian. Binary data (a WitMotion packet, a zip, a FIT file) has NULs, but not beside
// printable characters in every one of the first pairs, so it still reaches the reader's binary check.
// Returns 1 for little-endian, 2 for big-endian, 0 when the bytes are not UTF-16 text of that kind.
int utf16_by_nul_pattern(const unsigned char* b, std::size_t n) {
  const auto text = [](unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r'; };
  const std::size_t pairs = n / 2;
  if (pairs < kMinSniffPairs) return 0;
  bool le = true, be = true;
  for (std::size_t i = 0; i < pairs && (le || be); ++i) {
    le = le && text(b[2 * i]) && b[2 * i + 1] == 0;
    be = be && b[2 * i] == 0 && text(b[2 * i + 1]);
  }
  return le ? 1 : be ? 2 : 0;
}

}  // namespace

void LineSource::sniff_encoding() {
  // The byte-order mark decides; without one, the NUL pattern of the first bytes; else the sniffed bytes are handed
  // on as UTF-8 text.
  unsigned char head[kSniffBytes];
  in_.read(reinterpret_cast<char*>(head), kSniffBytes);
  const auto n = static_cast<std::size_t>(in_.gcount());
  if (!in_) raw_eof_ = true;
  std::size_t skip = 0;
  if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) enc_ = Enc::utf16le, skip = 2;
  else if (n >= 2 && head[0] == 0xFE && head[1] == 0xFF) enc_ = Enc::utf16be, skip = 2;
  else if (const int order = utf16_by_nul_pattern(head, n); order != 0)
    enc_ = order == 1 ? Enc::utf16le_no_bom : Enc::utf16be_no_bom;
  if (enc_ == Enc::unknown) {
    enc_ = Enc::utf8;
    stage_.assign(reinterpret_cast<const char*>(head), n);
    return;
  }
  raw_.resize(kRawBlock + kSniffBytes);  // the sniffed UTF-16 bytes are the start of the first block
  raw_carry_ = n - skip;
  std::memcpy(raw_.data(), head + skip, raw_carry_);
}

std::size_t LineSource::read_text(char* dst, std::size_t cap) {
  if (enc_ == Enc::unknown) sniff_encoding();
  const bool utf16 = enc_ != Enc::utf8 && enc_ != Enc::utf8_bom;
  if (utf16)
    while (stage_pos_ == stage_.size() && (!raw_eof_ || raw_carry_ > 0)) transcode_block();
  std::size_t got = std::min(cap, stage_.size() - stage_pos_);
  std::memcpy(dst, stage_.data() + stage_pos_, got);
  stage_pos_ += got;
  if (!utf16 && got < cap && !raw_eof_) {
    in_.read(dst + got, static_cast<std::streamsize>(cap - got));
    got += static_cast<std::size_t>(in_.gcount());
    if (!in_) raw_eof_ = true;  // a short read sets failbit: the stream is exhausted (or broken)
  }
  if (raw_eof_ && stage_pos_ == stage_.size()) eof_ = true;
  return got;
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
        if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") {
          line.remove_prefix(3);
          if (enc_ == Enc::utf8) enc_ = Enc::utf8_bom;
        }
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
