#include "stride/text.hpp"

#include <cstdint>
#include <cstdio>

namespace stride {

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode 15, table 3-7), 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned c = b(0);
  const std::size_t left = s.size() - i;
  auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return k < left && b(k) >= lo && b(k) <= hi; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::string excerpt(std::string_view input, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0, i = 0;
  char esc[12];
  while (i < input.size()) {
    const auto c = static_cast<unsigned char>(input[i]);
    const std::size_t n = utf8_length(input, i);
    std::string_view piece;
    std::size_t width = 1;
    if (n == 1 && c >= 0x20 && c != 0x7F) {
      piece = input.substr(i, 1);
    } else if (n == 1) {
      piece = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : std::string_view();
      if (piece.empty()) piece = std::string_view(esc, static_cast<std::size_t>(std::snprintf(esc, sizeof esc, "\\x%02X", c)));
      width = piece.size();
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(input[i + 1]) < 0xA0) {  // C1 control U+0080..U+009F
      piece = std::string_view(
          esc, static_cast<std::size_t>(std::snprintf(esc, sizeof esc, "\\u%04X", static_cast<unsigned char>(input[i + 1]))));
      width = piece.size();
    } else if (n == 0) {
      piece = std::string_view(esc, static_cast<std::size_t>(std::snprintf(esc, sizeof esc, "\\x%02X", c)));
      width = piece.size();
    } else {
      piece = input.substr(i, n);
    }
    if (chars + width > max_chars) {
      out += "...";
      return out;
    }
    out += piece;
    chars += width;
    i += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace stride
