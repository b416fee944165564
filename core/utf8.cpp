#include "stride/utf8.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

namespace stride::utf8 {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the byte there does not start one (overlong forms,
// surrogates and code points above U+10FFFF are not valid).
std::size_t sequence_at(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1Fu; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0Fu; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07u; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3Fu);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

// Windows-1252's 0x80-0x9F (0 where the code page leaves a hole); 0xA0-0xFF are Latin-1.
constexpr std::array<std::uint16_t, 32> kCp1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::uint32_t cp1252(unsigned char c) {
  if (c >= 0x80 && c < 0xA0) return kCp1252[c - 0x80] ? kCp1252[c - 0x80] : 0xFFFD;
  return c;
}

}  // namespace

bool is_valid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_at(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string to_valid(std::string_view s) {
  if (is_valid(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t n = sequence_at(s, i)) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      append_code_point(out, cp1252(static_cast<unsigned char>(s[i])));
      ++i;
    }
  }
  return out;
}

std::string_view cut(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  // Step back over continuation bytes to the start of the sequence that would be cut, if it does not fit.
  std::size_t start = max_bytes;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return s.substr(0, start);
}

std::string printable(std::string_view s) {
  const std::string valid = to_valid(s);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto c = static_cast<unsigned char>(valid[i]);
    const bool c1 = c == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(valid[i + 1]) < 0xA0;
    if (c < 0x20 || c == 0x7F || c1) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c1 ? static_cast<unsigned char>(valid[++i]) : c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string excerpt(std::string_view s, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = sequence_at(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
    const bool control = (n == 1 && (c < 0x20 || c == 0x7F)) || c1;
    std::string piece;
    if (control) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c1 ? static_cast<unsigned char>(s[i + 1]) : c);
      piece = buf;
    } else if (n == 0) {  // not UTF-8: the byte as Windows-1252, as to_valid
      append_code_point(piece, cp1252(c));
      n = 1;
    } else {
      piece.assign(s.substr(i, n));
    }
    const std::size_t width = control ? piece.size() : 1;
    if (chars + width > max_chars) return out + "...";
    out += piece;
    chars += width;
    i += n;
  }
  return out;
}

}  // namespace stride::utf8
