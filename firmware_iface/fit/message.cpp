#include "firmware_iface/fit/message.hpp"

#include <cmath>
#include <cstring>

namespace stride::fit {
namespace {

std::uint64_t element_bits(const FieldValue& f, std::size_t i) {
  const std::size_t n = base_size(f.type);
  std::uint64_t bits = 0;
  for (std::size_t b = 0; b < n; ++b) bits |= static_cast<std::uint64_t>(f.bytes[i * n + b]) << (8 * b);
  return bits;
}

}  // namespace

bool FieldValue::valid(std::size_t i) const {
  if (i >= count()) return false;
  if (type == BaseType::string) return !bytes.empty() && bytes[0] != 0;
  if (type == BaseType::byte) {  // a byte array is invalid only when every byte is 0xFF
    for (auto b : bytes)
      if (b != 0xFF) return true;
    return false;
  }
  return element_bits(*this, i) != invalid_bits(type);
}

std::optional<double> FieldValue::value(std::size_t i) const {
  if (!valid(i)) return std::nullopt;
  const std::uint64_t bits = element_bits(*this, i);
  switch (type) {
    case BaseType::float32: {
      const auto u = static_cast<std::uint32_t>(bits);
      float f;
      std::memcpy(&f, &u, sizeof f);
      return static_cast<double>(f);
    }
    case BaseType::float64: {
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
    case BaseType::sint8: return static_cast<double>(static_cast<std::int8_t>(bits));
    case BaseType::sint16: return static_cast<double>(static_cast<std::int16_t>(bits));
    case BaseType::sint32: return static_cast<double>(static_cast<std::int32_t>(bits));
    case BaseType::sint64: return static_cast<double>(static_cast<std::int64_t>(bits));
    default: return static_cast<double>(bits);
  }
}

std::optional<std::int64_t> FieldValue::integer(std::size_t i) const {
  if (!valid(i)) return std::nullopt;
  if (is_float(type)) {
    const auto v = value(i);
    if (!v || !(std::fabs(*v) < 9.2e18)) return std::nullopt;  // NaN, infinities, beyond int64
    return static_cast<std::int64_t>(*v);
  }
  const std::uint64_t bits = element_bits(*this, i);
  switch (type) {
    case BaseType::sint8: return static_cast<std::int8_t>(bits);
    case BaseType::sint16: return static_cast<std::int16_t>(bits);
    case BaseType::sint32: return static_cast<std::int32_t>(bits);
    default: return static_cast<std::int64_t>(bits);
  }
}

std::string FieldValue::text() const {
  std::string s;
  for (auto b : bytes) {
    if (b == 0) break;
    s.push_back(static_cast<char>(b));
  }
  return s;
}

const FieldValue* Message::field(std::uint8_t number) const {
  for (const auto& f : fields)
    if (f.number == number) return &f;
  return nullptr;
}

std::optional<double> Message::raw(std::uint8_t number) const {
  const auto* f = field(number);
  return f ? f->value(0) : std::nullopt;
}

std::optional<double> Message::scaled(std::uint8_t number, double scale, double offset) const {
  const auto v = raw(number);
  if (!v) return std::nullopt;
  return *v / scale - offset;
}

std::optional<std::uint32_t> Message::timestamp() const {
  const auto* f = field(253);
  const auto v = f ? f->integer(0) : std::nullopt;
  if (!v || *v < 0 || *v > 0xFFFFFFFFll) return std::nullopt;  // a damaged file may type it as anything
  return static_cast<std::uint32_t>(*v);
}

const DeveloperField* Message::developer(const std::string& name) const {
  for (const auto& d : developer_fields)
    if (d.description && d.description->name == name) return &d;
  return nullptr;
}

}  // namespace stride::fit
