// Splits a byte stream into lines, reading it in large blocks (no per-line allocation, no iostream per line).
// Memory stays bounded whatever the input: a line longer than max_line_bytes is not kept, only its first bytes.
// The buffer starts at 4 KiB and doubles with each read the stream fills, up to block_bytes: a large file is read in
// full blocks after a few reads, a short input costs little more than its own size (fuzzers run millions of them).
// Text that starts with a UTF-16 byte-order mark (FF FE little-endian, as Excel's "Unicode text"; FE FF big-endian),
// or without one whose first 64 bytes are ASCII characters each beside a NUL, is transcoded to UTF-8 block by block
// as it is read; everything after sees UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace stride::io::detail {

class LineSource {
 public:
  // Bytes kept of a line that is too long (enough to quote it in a message).
  static constexpr std::size_t kLongLinePrefix = 512;
  // The first read's size; block_bytes is reached by doubling.
  static constexpr std::size_t kFirstBlock = std::size_t{1} << 12;

  explicit LineSource(std::istream& in, std::size_t max_line_bytes = std::size_t{1} << 20,
                      std::size_t block_bytes = std::size_t{1} << 20);

  // The next line without its terminator ("\n" or "\r\n"); false at the end. A UTF-8 BOM at the start is dropped.
  // The view stays valid until the next call. A line longer than max_line_bytes comes back as its first
  // kLongLinePrefix bytes with last_line_too_long() set; the rest of it was read past, not stored.
  bool next(std::string_view& line);

  std::size_t line_number() const { return line_no_; }          // 1-based number of the line last returned
  bool last_line_terminated() const { return terminated_; }      // false: the line last returned had no "\n"
  bool last_line_too_long() const { return too_long_; }
  std::uint64_t last_line_bytes() const { return line_bytes_; }  // its full length (without the terminator)
  std::size_t max_line_bytes() const { return max_line_; }
  std::string_view peek_start(std::size_t max_bytes);           // the first bytes of the stream (for sniffing)
  // "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE", or "UTF-16 LE without byte-order mark (every second byte
  // NUL)" (and BE) (known once the first line or peek_start was read).
  const char* encoding() const;

 private:
  bool fill();  // moves the unread tail to the front and reads another block; false when nothing more came
  // Up to `cap` bytes of UTF-8 text into dst (transcoded when the input is UTF-16); sets eof_ at the end.
  std::size_t read_text(char* dst, std::size_t cap);
  void sniff_encoding();   // decides enc_ from the first kSniffBytes (which are kept for the text)
  void transcode_block();  // UTF-16 only: the next raw block into stage_
  void skip_long_line(std::size_t avail);  // keeps a prefix of the line at begin_, reads past the rest

  std::istream& in_;
  std::size_t max_line_;
  std::size_t block_;              // the largest read (the buffer grows past it only for a long line)
  std::vector<char> buf_;
  bool last_read_full_ = false;    // the last read got all it asked for: the stream has more
  std::size_t begin_ = 0;   // first unread byte
  std::size_t end_ = 0;     // one past the last valid byte
  std::size_t line_no_ = 0;
  bool eof_ = false;
  bool terminated_ = true;
  bool at_start_ = true;
  bool too_long_ = false;
  std::uint64_t line_bytes_ = 0;
  std::string prefix_;      // the kept start of a line that was too long
  static constexpr std::size_t kSniffBytes = 64;
  enum class Enc : std::uint8_t { unknown, utf8, utf8_bom, utf16le, utf16be, utf16le_no_bom, utf16be_no_bom };
  Enc enc_ = Enc::unknown;
  std::string stage_;       // transcoded (or sniffed) bytes not yet handed to buf_
  std::size_t stage_pos_ = 0;
  std::vector<char> raw_;   // UTF-16: a raw block, plus a byte or surrogate (or the sniffed head) carried to the next
  std::size_t raw_carry_ = 0;
  bool raw_eof_ = false;
};

}  // namespace stride::io::detail
