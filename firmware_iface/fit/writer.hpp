// Encodes a FIT file: messages are given with their fields (raw values, already scaled); the writer emits a
// definition message whenever a message's shape (global number, field numbers, sizes, types, developer fields)
// has no local type yet, reusing up to 16 local types, and finishes with the 14-byte header (data size, header
// CRC) and the file CRC. Little-endian. Developer fields need their developer_data_id and field_description
// written first (add_developer, describe_field); the writer checks that.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "firmware_iface/fit/message.hpp"
#include "firmware_iface/fit/types.hpp"

namespace stride::fit {

struct OutField {
  std::uint8_t number = 0;
  BaseType type = BaseType::byte;
  std::vector<double> values;          // raw values; NaN = the type's invalid pattern
  std::string text;                    // BaseType::string
  std::vector<std::uint8_t> raw_bytes; // BaseType::byte
  std::uint8_t string_size = 0;        // string: bytes including the NUL (0 = text size + 1)

  static OutField num(std::uint8_t number, BaseType type, double raw);                // one element
  static OutField opt(std::uint8_t number, BaseType type, std::optional<double> raw); // nullopt: invalid
  static OutField str(std::uint8_t number, std::string text, std::uint8_t size = 0);
  static OutField bytes(std::uint8_t number, std::vector<std::uint8_t> b);
  std::size_t size() const;            // bytes in a data message
};

struct OutDevField {
  std::uint8_t number = 0;             // field_definition_number
  std::uint8_t developer_data_index = 0;
  double value = 0;                    // raw; NaN = invalid
};

class Writer {
 public:
  explicit Writer(std::uint16_t profile_version);

  void write(std::uint16_t global, const std::vector<OutField>& fields, const std::vector<OutDevField>& dev = {});
  // developer_data_id (207): the application's 16-byte id and the index its fields use.
  void add_developer(std::uint8_t developer_data_index, const std::array<std::uint8_t, 16>& application_id,
                     std::uint32_t application_version);
  // field_description (206) for one developer field (name, units, base type; native_mesg_num/native_field_num
  // when given; scale and offset are not written: values are stored as they are).
  void describe_field(const DeveloperFieldDescription& spec);

  std::size_t messages() const { return messages_; }
  // Header + records + CRC. The writer can be reused afterwards only to call finish() again.
  std::vector<std::uint8_t> finish() const;

 private:
  struct Shape {
    std::uint16_t global = 0;
    std::vector<std::array<std::uint8_t, 3>> fields;  // number, size, type
    std::vector<std::array<std::uint8_t, 3>> dev;     // number, size, developer index
    bool operator==(const Shape&) const = default;
  };
  std::uint8_t local_for(const Shape& shape);
  void put(std::uint64_t bits, std::size_t n);

  std::uint16_t profile_version_;
  std::vector<std::uint8_t> data_;
  std::array<std::optional<Shape>, 16> locals_;
  std::size_t next_local_ = 0;
  std::size_t messages_ = 0;
  std::map<std::uint8_t, bool> developers_;
  std::map<std::pair<std::uint8_t, std::uint8_t>, BaseType> described_;
};

}  // namespace stride::fit
