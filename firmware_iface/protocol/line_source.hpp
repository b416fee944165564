// Splits a byte stream into lines, reading it in large blocks (no per-line allocation, no iostream per line).
// Memory stays bounded whatever the input: a line longer than max_line_bytes is not kept, only its first bytes.
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

 private:
  bool fill();  // moves the unread tail to the front and reads another block; false when nothing more came
  void skip_long_line(std::size_t avail);  // keeps a prefix of the line at begin_, reads past the rest

  std::istream& in_;
  std::size_t max_line_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;   // first unread byte
  std::size_t end_ = 0;     // one past the last valid byte
  std::size_t line_no_ = 0;
  bool eof_ = false;
  bool terminated_ = true;
  bool at_start_ = true;
  bool too_long_ = false;
  std::uint64_t line_bytes_ = 0;
  std::string prefix_;      // the kept start of a line that was too long
};

}  // namespace stride::io::detail
