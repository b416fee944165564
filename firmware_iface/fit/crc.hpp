// The FIT CRC-16 (polynomial 0xA001, reflected, computed a nibble at a time from a 16-entry table; initial 0).
// Covers the 12-byte header (header CRC) and the header plus all records (file CRC).
#pragma once

#include <cstddef>
#include <cstdint>

namespace stride::fit {

std::uint16_t crc16_update(std::uint16_t crc, std::uint8_t byte);
std::uint16_t crc16(const std::uint8_t* data, std::size_t size, std::uint16_t crc = 0);

}  // namespace stride::fit
