#include "firmware_iface/fit/types.hpp"

namespace stride::fit {

bool is_known_base_type(std::uint8_t b) {
  switch (b) {
    case 0x00: case 0x01: case 0x02: case 0x83: case 0x84: case 0x85: case 0x86: case 0x07: case 0x88:
    case 0x89: case 0x0A: case 0x8B: case 0x8C: case 0x0D: case 0x8E: case 0x8F: case 0x90:
      return true;
    default:
      return false;
  }
}

std::size_t base_size(BaseType t) {
  switch (t) {
    case BaseType::sint16: case BaseType::uint16: case BaseType::uint16z: return 2;
    case BaseType::sint32: case BaseType::uint32: case BaseType::uint32z: case BaseType::float32: return 4;
    case BaseType::float64: case BaseType::sint64: case BaseType::uint64: case BaseType::uint64z: return 8;
    default: return 1;
  }
}

bool is_signed(BaseType t) {
  return t == BaseType::sint8 || t == BaseType::sint16 || t == BaseType::sint32 || t == BaseType::sint64;
}

bool is_float(BaseType t) { return t == BaseType::float32 || t == BaseType::float64; }

std::uint64_t invalid_bits(BaseType t) {
  switch (t) {
    case BaseType::sint8: return 0x7F;
    case BaseType::sint16: return 0x7FFF;
    case BaseType::sint32: return 0x7FFFFFFF;
    case BaseType::sint64: return 0x7FFFFFFFFFFFFFFFull;
    case BaseType::string: case BaseType::uint8z: case BaseType::uint16z: case BaseType::uint32z:
    case BaseType::uint64z: return 0;
    case BaseType::uint16: return 0xFFFF;
    case BaseType::uint32: case BaseType::float32: return 0xFFFFFFFFull;
    case BaseType::uint64: case BaseType::float64: return 0xFFFFFFFFFFFFFFFFull;
    default: return 0xFF;  // enum, uint8, byte
  }
}

std::string to_string(BaseType t) {
  switch (t) {
    case BaseType::enum_: return "enum";
    case BaseType::sint8: return "sint8";
    case BaseType::uint8: return "uint8";
    case BaseType::sint16: return "sint16";
    case BaseType::uint16: return "uint16";
    case BaseType::sint32: return "sint32";
    case BaseType::uint32: return "uint32";
    case BaseType::string: return "string";
    case BaseType::float32: return "float32";
    case BaseType::float64: return "float64";
    case BaseType::uint8z: return "uint8z";
    case BaseType::uint16z: return "uint16z";
    case BaseType::uint32z: return "uint32z";
    case BaseType::byte: return "byte";
    case BaseType::sint64: return "sint64";
    case BaseType::uint64: return "uint64";
    case BaseType::uint64z: return "uint64z";
  }
  return "unknown";
}

}  // namespace stride::fit
