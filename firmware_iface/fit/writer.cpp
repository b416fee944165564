#include "firmware_iface/fit/writer.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "firmware_iface/fit/crc.hpp"
#include "firmware_iface/fit/profile.hpp"

namespace stride::fit {
namespace {

// One element's bits: rounded integer (range-checked), float bit pattern, or the invalid pattern for NaN.
std::uint64_t encode(BaseType t, double v, std::uint8_t field) {
  if (std::isnan(v)) return invalid_bits(t);
  const auto refuse = [&] {
    return FitError("FIT writer: field " + std::to_string(field) + " value " + std::to_string(v) +
                    " out of range for " + to_string(t));
  };
  if (t == BaseType::float32) {
    if (std::isfinite(v) && std::abs(v) > std::numeric_limits<float>::max()) throw refuse();
    const float f = static_cast<float>(v);
    std::uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
  }
  if (t == BaseType::float64) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
  }
  // The range without the invalid pattern (signed: the largest positive value; unsigned: all ones; the z types: 0).
  // 2^bits is exact in a double but 2^63 - 2 and 2^64 - 2 are not (they round up to 2^63, 2^64, where the cast
  // overflows), so the upper test is also made against 2^bits itself: below it, every double is far enough below
  // the invalid pattern.
  const double r = std::round(v);
  const int bits = static_cast<int>(8 * base_size(t)) - (is_signed(t) ? 1 : 0);
  const double top = std::ldexp(1.0, bits);
  const bool z = t == BaseType::uint8z || t == BaseType::uint16z || t == BaseType::uint32z || t == BaseType::uint64z;
  const double lo = is_signed(t) ? -top : (z ? 1 : 0);
  const double hi = z ? top - 1 : top - 2;
  if (!(r >= lo && r <= hi && r < top)) throw refuse();
  if (is_signed(t)) return static_cast<std::uint64_t>(static_cast<std::int64_t>(r));
  return static_cast<std::uint64_t>(r);
}

}  // namespace

OutField OutField::num(std::uint8_t number, BaseType type, double raw) {
  OutField f;
  f.number = number;
  f.type = type;
  f.values = {raw};
  return f;
}

OutField OutField::opt(std::uint8_t number, BaseType type, std::optional<double> raw) {
  return num(number, type, raw ? *raw : std::nan(""));
}

OutField OutField::str(std::uint8_t number, std::string text, std::uint8_t size) {
  OutField f;
  f.number = number;
  f.type = BaseType::string;
  f.text = std::move(text);
  f.string_size = size;
  return f;
}

OutField OutField::bytes(std::uint8_t number, std::vector<std::uint8_t> b) {
  OutField f;
  f.number = number;
  f.type = BaseType::byte;
  f.raw_bytes = std::move(b);
  return f;
}

std::size_t OutField::size() const {
  if (type == BaseType::string) return string_size ? string_size : text.size() + 1;
  if (type == BaseType::byte && !raw_bytes.empty()) return raw_bytes.size();
  return values.size() * base_size(type);
}

Writer::Writer(std::uint16_t profile_version) : profile_version_(profile_version) {}

void Writer::put(std::uint64_t bits, std::size_t n) {
  for (std::size_t b = 0; b < n; ++b) data_.push_back(static_cast<std::uint8_t>(bits >> (8 * b)));
}

std::uint8_t Writer::local_for(const Shape& shape) {
  for (std::size_t i = 0; i < locals_.size(); ++i)
    if (locals_[i] && *locals_[i] == shape) return static_cast<std::uint8_t>(i);
  const auto local = static_cast<std::uint8_t>(next_local_);
  next_local_ = (next_local_ + 1) % locals_.size();
  locals_[local] = shape;
  const bool dev = !shape.dev.empty();
  data_.push_back(static_cast<std::uint8_t>(0x40 | (dev ? 0x20 : 0) | local));
  data_.push_back(0);  // reserved
  data_.push_back(0);  // little-endian
  put(shape.global, 2);
  data_.push_back(static_cast<std::uint8_t>(shape.fields.size()));
  for (const auto& f : shape.fields) data_.insert(data_.end(), f.begin(), f.end());
  if (dev) {
    data_.push_back(static_cast<std::uint8_t>(shape.dev.size()));
    for (const auto& f : shape.dev) data_.insert(data_.end(), f.begin(), f.end());
  }
  return local;
}

void Writer::write(std::uint16_t global, const std::vector<OutField>& fields, const std::vector<OutDevField>& dev) {
  if (fields.size() > 255 || dev.size() > 255) throw FitError("FIT writer: more than 255 fields in one message");
  Shape shape;
  shape.global = global;
  for (const auto& f : fields) {
    const std::size_t size = f.size();
    if (size == 0 || size > 255)
      throw FitError("FIT writer: field " + std::to_string(f.number) + " of message " + std::to_string(global) +
                     " has " + std::to_string(size) + " bytes (1 to 255 allowed)");
    shape.fields.push_back({f.number, static_cast<std::uint8_t>(size), static_cast<std::uint8_t>(f.type)});
  }
  std::vector<BaseType> dev_types;
  for (const auto& d : dev) {
    const auto it = described_.find({d.developer_data_index, d.number});
    if (it == described_.end())
      throw FitError("FIT writer: developer field " + std::to_string(d.number) + " of developer " +
                     std::to_string(d.developer_data_index) + " used before its field_description");
    dev_types.push_back(it->second);
    shape.dev.push_back({d.number, static_cast<std::uint8_t>(base_size(it->second)), d.developer_data_index});
  }
  const std::uint8_t local = local_for(shape);
  data_.push_back(local);
  for (const auto& f : fields) {
    if (f.type == BaseType::string) {
      const std::size_t size = f.size();
      for (std::size_t i = 0; i < size; ++i) data_.push_back(i < f.text.size() ? static_cast<std::uint8_t>(f.text[i]) : 0);
      if (!f.text.empty() && f.text.size() >= size) data_.back() = 0;  // always NUL-terminated
    } else if (f.type == BaseType::byte && !f.raw_bytes.empty()) {
      data_.insert(data_.end(), f.raw_bytes.begin(), f.raw_bytes.end());
    } else {
      for (double v : f.values) put(encode(f.type, v, f.number), base_size(f.type));
    }
  }
  for (std::size_t i = 0; i < dev.size(); ++i) put(encode(dev_types[i], dev[i].value, dev[i].number), base_size(dev_types[i]));
  ++messages_;
}

void Writer::add_developer(std::uint8_t index, const std::array<std::uint8_t, 16>& application_id,
                           std::uint32_t application_version) {
  namespace d = profile::developer_data_id;
  write(profile::mesg::developer_data_id,
        {OutField::bytes(d::application_id, {application_id.begin(), application_id.end()}),
         OutField::num(d::developer_data_index, BaseType::uint8, index),
         OutField::num(d::application_version, BaseType::uint32, application_version)});
  developers_[index] = true;
}

void Writer::describe_field(const DeveloperFieldDescription& s) {
  if (!developers_.count(s.developer_data_index))
    throw FitError("FIT writer: field_description for developer " + std::to_string(s.developer_data_index) +
                   " before its developer_data_id");
  if (s.type == BaseType::string || s.type == BaseType::byte)
    throw FitError("FIT writer: developer field '" + s.name + "': only numeric base types are supported");
  namespace fd = profile::field_description;
  std::vector<OutField> fields = {OutField::num(fd::developer_data_index, BaseType::uint8, s.developer_data_index),
                                  OutField::num(fd::field_definition_number, BaseType::uint8, s.field_number),
                                  OutField::num(fd::fit_base_type_id, BaseType::uint8, static_cast<double>(s.type)),
                                  OutField::str(fd::field_name, s.name), OutField::str(fd::units, s.units)};
  if (s.native_mesg_num) fields.push_back(OutField::num(fd::native_mesg_num, BaseType::uint16, *s.native_mesg_num));
  if (s.native_field_num) fields.push_back(OutField::num(fd::native_field_num, BaseType::uint8, *s.native_field_num));
  write(profile::mesg::field_description, fields);
  described_[{s.developer_data_index, s.field_number}] = s.type;
}

std::vector<std::uint8_t> Writer::finish() const {
  std::vector<std::uint8_t> out;
  out.reserve(14 + data_.size() + 2);
  const auto size = static_cast<std::uint32_t>(data_.size());
  out = {14, 0x20, static_cast<std::uint8_t>(profile_version_ & 0xFF), static_cast<std::uint8_t>(profile_version_ >> 8),
         static_cast<std::uint8_t>(size), static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size >> 16),
         static_cast<std::uint8_t>(size >> 24), '.', 'F', 'I', 'T'};
  const std::uint16_t hcrc = crc16(out.data(), 12);
  out.push_back(static_cast<std::uint8_t>(hcrc));
  out.push_back(static_cast<std::uint8_t>(hcrc >> 8));
  out.insert(out.end(), data_.begin(), data_.end());
  const std::uint16_t fcrc = crc16(out.data(), out.size());
  out.push_back(static_cast<std::uint8_t>(fcrc));
  out.push_back(static_cast<std::uint8_t>(fcrc >> 8));
  return out;
}

}  // namespace stride::fit
