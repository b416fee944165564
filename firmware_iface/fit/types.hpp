// FIT base types (the protocol's own list: type byte, element size, "invalid" sentinel) and the codec's error.
// Generic FIT: nothing here knows what a message means; see profile.hpp for the numbers stride uses.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace stride::fit {

// Thrown by the reader (bad header, bad CRC, truncation: the message names the file and the byte offset) and by
// the writer (a message that cannot be encoded).
struct FitError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The base type byte as it appears in a field definition. Bit 7 says "multi-byte, endianness matters".
enum class BaseType : std::uint8_t {
  enum_ = 0x00,
  sint8 = 0x01,
  uint8 = 0x02,
  sint16 = 0x83,
  uint16 = 0x84,
  sint32 = 0x85,
  uint32 = 0x86,
  string = 0x07,
  float32 = 0x88,
  float64 = 0x89,
  uint8z = 0x0A,
  uint16z = 0x8B,
  uint32z = 0x8C,
  byte = 0x0D,
  sint64 = 0x8E,
  uint64 = 0x8F,
  uint64z = 0x90,
};

// True for the 17 type bytes above.
bool is_known_base_type(std::uint8_t type_byte);
// Bytes per element (string and byte: 1).
std::size_t base_size(BaseType t);
bool is_signed(BaseType t);
bool is_float(BaseType t);
// The "no value" pattern of one element, as an unsigned integer of base_size bytes (floats: their bit pattern).
std::uint64_t invalid_bits(BaseType t);
std::string to_string(BaseType t);

// Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
inline constexpr std::int64_t kFitEpochUnixS = 631065600;
// date_time values below this are seconds since the device powered on, not since the FIT epoch.
inline constexpr std::uint32_t kMinAbsoluteDateTime = 0x10000000;

}  // namespace stride::fit
