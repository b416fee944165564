#include "firmware_iface/fit/crc.hpp"

#include <array>

namespace stride::fit {
namespace {

// The CRC of each nibble value under the reflected polynomial 0xA001, built once rather than typed in.
constexpr std::array<std::uint16_t, 16> make_nibble_table() {
  std::array<std::uint16_t, 16> t{};
  for (std::uint16_t n = 0; n < 16; ++n) {
    std::uint16_t c = n;
    for (int bit = 0; bit < 4; ++bit) c = (c & 1u) ? static_cast<std::uint16_t>((c >> 1) ^ 0xA001u) : static_cast<std::uint16_t>(c >> 1);
    t[n] = c;
  }
  return t;
}
constexpr auto kNibble = make_nibble_table();
static_assert(kNibble[1] == 0xCC01 && kNibble[15] == 0x4400, "FIT CRC nibble table");

constexpr std::uint16_t step(std::uint16_t crc, std::uint8_t nibble) {
  const std::uint16_t low = kNibble[crc & 0xFu];
  crc = static_cast<std::uint16_t>((crc >> 4) & 0x0FFFu);
  return static_cast<std::uint16_t>(crc ^ low ^ kNibble[nibble & 0xFu]);
}

}  // namespace

std::uint16_t crc16_update(std::uint16_t crc, std::uint8_t byte) {
  crc = step(crc, byte & 0xFu);
  return step(crc, static_cast<std::uint8_t>(byte >> 4));
}

std::uint16_t crc16(const std::uint8_t* data, std::size_t size, std::uint16_t crc) {
  for (std::size_t i = 0; i < size; ++i) crc = crc16_update(crc, data[i]);
  return crc;
}

}  // namespace stride::fit
