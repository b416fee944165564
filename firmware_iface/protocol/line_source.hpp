// Splits a byte stream into lines, reading it in large blocks (no per-line allocation, no iostream per line).
#pragma once

#include <cstddef>
#include <istream>
#include <string_view>
#include <vector>

namespace stride::io::detail {

class LineSource {
 public:
  explicit LineSource(std::istream& in, std::size_t block_bytes = 1u << 20);

  // The next line without its terminator ("\n" or "\r\n"); false at the end. A UTF-8 BOM at the start is dropped.
  // The view stays valid until the next call.
  bool next(std::string_view& line);

  std::size_t line_number() const { return line_no_; }          // 1-based number of the line last returned
  bool last_line_terminated() const { return terminated_; }      // false: the line last returned had no "\n"
  std::string_view peek_start(std::size_t max_bytes);           // the first bytes of the stream (for sniffing)

 private:
  bool fill();  // moves the unread tail to the front and reads another block; false when nothing more came

  std::istream& in_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;   // first unread byte
  std::size_t end_ = 0;     // one past the last valid byte
  std::size_t line_no_ = 0;
  bool eof_ = false;
  bool terminated_ = true;
  bool at_start_ = true;
};

}  // namespace stride::io::detail
