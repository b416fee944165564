// A decoded FIT message: its global number and its fields as raw values (no scale applied), plus developer fields
// with the description that names them. Element access decodes the stored bytes by the field's base type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "firmware_iface/fit/types.hpp"

namespace stride::fit {

struct FieldValue {
  std::uint8_t number = 0;
  BaseType type = BaseType::byte;
  std::vector<std::uint8_t> bytes;  // little-endian whatever the file's architecture

  std::size_t count() const { return bytes.size() / base_size(type); }  // elements (an array field: several)
  bool valid(std::size_t i = 0) const;                                    // element i is not the invalid pattern
  // Element i as a number (raw, unscaled); nullopt when invalid or absent. 64-bit values above 2^53 round.
  std::optional<double> value(std::size_t i = 0) const;
  // Element i as an integer (floats truncated); nullopt when invalid or absent.
  std::optional<std::int64_t> integer(std::size_t i = 0) const;
  // A string field: the bytes up to the first NUL ("" when invalid).
  std::string text() const;
};

struct DeveloperFieldDescription {
  std::uint8_t developer_data_index = 0;
  std::uint8_t field_number = 0;
  BaseType type = BaseType::byte;
  std::string name;
  std::string units;
  std::optional<double> scale, offset;          // absent in most files: the value is as stored
  std::optional<std::uint16_t> native_mesg_num;  // a developer field standing in for a native one
  std::optional<std::uint8_t> native_field_num;
};

struct DeveloperField {
  FieldValue value;                              // number = the developer field number
  std::uint8_t developer_data_index = 0;
  std::optional<DeveloperFieldDescription> description;  // nullopt: used before (or without) its description
};

struct Message {
  std::uint16_t global = 0;
  std::uint8_t local = 0;
  std::size_t offset = 0;                        // byte offset of the record header in the file
  bool compressed_timestamp = false;             // the timestamp (field 253) came from the record header
  std::vector<FieldValue> fields;
  std::vector<DeveloperField> developer_fields;

  const FieldValue* field(std::uint8_t number) const;
  // The raw value of element 0 of a field (nullopt: absent or invalid).
  std::optional<double> raw(std::uint8_t number) const;
  // raw / scale - offset.
  std::optional<double> scaled(std::uint8_t number, double scale, double offset = 0) const;
  std::optional<std::uint32_t> timestamp() const;  // field 253
  const DeveloperField* developer(const std::string& name) const;  // by the description's field_name
};

}  // namespace stride::fit
