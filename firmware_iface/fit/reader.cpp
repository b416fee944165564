#include "firmware_iface/fit/reader.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

#include "firmware_iface/fit/crc.hpp"
#include "firmware_iface/fit/profile.hpp"

namespace stride::fit {
namespace {

struct FieldDef {
  std::uint8_t number = 0;
  std::uint8_t size = 0;
  BaseType type = BaseType::byte;
};

struct DevFieldDef {
  std::uint8_t number = 0;
  std::uint8_t size = 0;
  std::uint8_t developer_data_index = 0;
};

struct Definition {
  bool big_endian = false;
  std::uint16_t global = 0;
  std::vector<FieldDef> fields;
  std::vector<DevFieldDef> dev_fields;
};

std::string at(const std::string& name, std::size_t offset) {
  return name + ": byte " + std::to_string(offset) + ": ";
}

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// The field's bytes, little-endian: big-endian multi-byte elements are reversed element by element.
FieldValue make_value(std::uint8_t number, BaseType type, const std::uint8_t* p, std::size_t size, bool big_endian) {
  FieldValue v;
  v.number = number;
  v.type = type;
  if (size % base_size(type) != 0) v.type = BaseType::byte;  // malformed size: keep the bytes
  v.bytes.assign(p, p + size);
  const std::size_t n = base_size(v.type);
  if (big_endian && n > 1)
    for (std::size_t e = 0; e + n <= size; e += n) std::reverse(v.bytes.begin() + static_cast<long>(e), v.bytes.begin() + static_cast<long>(e + n));
  return v;
}

class Decoder {
 public:
  Decoder(const std::uint8_t* data, std::size_t size, const std::string& name, const ReadOptions& options)
      : data_(data), size_(size), name_(name), options_(options) {}

  void run(const std::function<void(const Message&)>& on_message, std::vector<FileHeader>* headers) {
    if (size_ == 0) throw FitError(name_ + ": empty file, not a FIT file");
    std::size_t start = 0;
    while (start < size_) {
      // Padding after the last chained file (some tools add zeros) is not another file.
      if (start > 0 && size_ - start < 12) break;
      const FileHeader h = read_header(start);
      if (headers) headers->push_back(h);
      const std::size_t data_begin = start + h.size;
      const std::size_t data_end = data_begin + h.data_size;
      if (data_end + 2 > size_)
        throw FitError(at(name_, size_) + "truncated: the header (at byte " + std::to_string(start) + ") announces " +
                       std::to_string(h.data_size) + " data bytes and a 2-byte CRC, ending at byte " +
                       std::to_string(data_end + 2) + ", but the file ends at byte " + std::to_string(size_));
      if (options_.check_crc) {
        const std::uint16_t stored = le16(data_ + data_end);
        const std::uint16_t computed = crc16(data_ + start, data_end - start);
        if (stored != computed)
          throw FitError(at(name_, data_end) + "file CRC mismatch (stored 0x" + hex(stored) + ", computed 0x" +
                         hex(computed) + "): the file is damaged");
      }
      definitions_.clear();
      records(data_begin, data_end, on_message);
      start = data_end + 2;
    }
  }

 private:
  static std::string hex(std::uint16_t v) {
    static const char* d = "0123456789ABCDEF";
    std::string s(4, '0');
    for (int i = 3; i >= 0; --i, v = static_cast<std::uint16_t>(v >> 4)) s[static_cast<std::size_t>(i)] = d[v & 0xF];
    return s;
  }

  FileHeader read_header(std::size_t start) {
    const std::size_t left = size_ - start;
    if (left < 12) throw FitError(at(name_, start) + "truncated file header (" + std::to_string(left) + " bytes)");
    const std::uint8_t* p = data_ + start;
    FileHeader h;
    h.size = p[0];
    if (h.size != 12 && h.size != 14)
      throw FitError(at(name_, start) + "not a FIT file (header size " + std::to_string(h.size) + ", expected 12 or 14)");
    if (left < h.size) throw FitError(at(name_, start) + "truncated file header");
    if (p[8] != '.' || p[9] != 'F' || p[10] != 'I' || p[11] != 'T')
      throw FitError(at(name_, start + 8) + "not a FIT file (no \".FIT\" signature)");
    h.protocol_version = p[1];
    h.profile_version = le16(p + 2);
    h.data_size = le32(p + 4);
    if (h.size == 14) {
      h.header_crc = le16(p + 12);
      if (options_.check_crc && h.header_crc != 0 && h.header_crc != crc16(p, 12))
        throw FitError(at(name_, start + 12) + "header CRC mismatch (stored 0x" + hex(h.header_crc) + ", computed 0x" +
                       hex(crc16(p, 12)) + ")");
    }
    return h;
  }

  void need(std::size_t pos, std::size_t n, std::size_t end, std::size_t record_start, const char* what) const {
    if (pos + n > end)
      throw FitError(at(name_, record_start) + "truncated " + what + ": it needs " + std::to_string(pos + n - record_start) +
                     " bytes, the data ends at byte " + std::to_string(end));
  }

  void records(std::size_t pos, std::size_t end, const std::function<void(const Message&)>& on_message) {
    while (pos < end) {
      const std::size_t record_start = pos;
      const std::uint8_t header = data_[pos++];
      if (header & 0x80) {  // compressed timestamp: local type in bits 5-6, a 5-bit time offset
        const std::uint8_t local = (header >> 5) & 0x3;
        const std::uint32_t offset = header & 0x1Fu;
        if (!last_timestamp_)
          throw FitError(at(name_, record_start) + "compressed-timestamp record before any timestamp");
        std::uint32_t t = (*last_timestamp_ & ~0x1Fu) + offset;
        if (offset < (*last_timestamp_ & 0x1Fu)) t += 0x20;
        last_timestamp_ = t;
        pos = data_message(local, pos, end, record_start, on_message, t);
      } else if (header & 0x40) {
        pos = definition(header, pos, end, record_start);
      } else {
        pos = data_message(header & 0x0F, pos, end, record_start, on_message, std::nullopt);
      }
    }
  }

  std::size_t definition(std::uint8_t header, std::size_t pos, std::size_t end, std::size_t record_start) {
    need(pos, 5, end, record_start, "definition message");
    Definition d;
    d.big_endian = data_[pos + 1] == 1;
    if (data_[pos + 1] > 1)
      throw FitError(at(name_, pos + 1) + "definition with unknown architecture " + std::to_string(data_[pos + 1]));
    d.global = d.big_endian ? static_cast<std::uint16_t>((data_[pos + 2] << 8) | data_[pos + 3]) : le16(data_ + pos + 2);
    const std::size_t n = data_[pos + 4];
    pos += 5;
    need(pos, 3 * n, end, record_start, "definition message");
    for (std::size_t i = 0; i < n; ++i, pos += 3) {
      FieldDef f;
      f.number = data_[pos];
      f.size = data_[pos + 1];
      const std::uint8_t t = data_[pos + 2];
      f.type = is_known_base_type(t) ? static_cast<BaseType>(t) : BaseType::byte;
      d.fields.push_back(f);
    }
    if (header & 0x20) {  // developer fields follow
      need(pos, 1, end, record_start, "definition message");
      const std::size_t m = data_[pos++];
      need(pos, 3 * m, end, record_start, "definition message");
      for (std::size_t i = 0; i < m; ++i, pos += 3) d.dev_fields.push_back({data_[pos], data_[pos + 1], data_[pos + 2]});
    }
    definitions_[header & 0x0F] = std::move(d);
    return pos;
  }

  std::size_t data_message(std::uint8_t local, std::size_t pos, std::size_t end, std::size_t record_start,
                           const std::function<void(const Message&)>& on_message,
                           std::optional<std::uint32_t> compressed_time) {
    const auto it = definitions_.find(local);
    if (it == definitions_.end())
      throw FitError(at(name_, record_start) + "data message of local type " + std::to_string(local) +
                     " before its definition");
    const Definition& d = it->second;
    Message m;
    m.global = d.global;
    m.local = local;
    m.offset = record_start;
    for (const auto& f : d.fields) {
      need(pos, f.size, end, record_start, "data message");
      m.fields.push_back(make_value(f.number, f.type, data_ + pos, f.size, d.big_endian));
      pos += f.size;
    }
    for (const auto& f : d.dev_fields) {
      need(pos, f.size, end, record_start, "data message");
      DeveloperField dev;
      dev.developer_data_index = f.developer_data_index;
      const auto desc = descriptions_.find({f.developer_data_index, f.number});
      const BaseType type = desc != descriptions_.end() ? desc->second.type : BaseType::byte;
      dev.value = make_value(f.number, type, data_ + pos, f.size, d.big_endian);
      if (desc != descriptions_.end()) dev.description = desc->second;
      m.developer_fields.push_back(std::move(dev));
      pos += f.size;
    }
    if (compressed_time) {
      m.compressed_timestamp = true;
      FieldValue t;
      t.number = profile::kTimestamp;
      t.type = BaseType::uint32;
      for (int b = 0; b < 4; ++b) t.bytes.push_back(static_cast<std::uint8_t>(*compressed_time >> (8 * b)));
      m.fields.push_back(std::move(t));
    } else if (const auto ts = m.timestamp()) {
      last_timestamp_ = *ts;
    }
    if (m.global == profile::mesg::field_description) remember_description(m);
    on_message(m);
    return pos;
  }

  void remember_description(const Message& m) {
    namespace fd = profile::field_description;
    // Integers in range only: a damaged or odd file may type these fields as anything.
    auto in_range = [&m](std::uint8_t field, std::int64_t max) -> std::optional<std::int64_t> {
      const auto* f = m.field(field);
      const auto v = f ? f->integer(0) : std::nullopt;
      if (!v || *v < 0 || *v > max) return std::nullopt;
      return v;
    };
    const auto index = in_range(fd::developer_data_index, 255);
    const auto number = in_range(fd::field_definition_number, 255);
    const auto type = in_range(fd::fit_base_type_id, 255);
    if (!index || !number || !type) return;
    DeveloperFieldDescription d;
    d.developer_data_index = static_cast<std::uint8_t>(*index);
    d.field_number = static_cast<std::uint8_t>(*number);
    const auto t = static_cast<std::uint8_t>(*type);
    d.type = is_known_base_type(t) ? static_cast<BaseType>(t) : BaseType::byte;
    if (const auto* f = m.field(fd::field_name)) d.name = f->text();
    if (const auto* f = m.field(fd::units)) d.units = f->text();
    if (const auto v = m.raw(fd::scale)) d.scale = *v;
    if (const auto v = m.raw(fd::offset)) d.offset = *v;
    if (const auto v = in_range(fd::native_mesg_num, 65535)) d.native_mesg_num = static_cast<std::uint16_t>(*v);
    if (const auto v = in_range(fd::native_field_num, 255)) d.native_field_num = static_cast<std::uint8_t>(*v);
    descriptions_[{d.developer_data_index, d.field_number}] = std::move(d);
  }

  const std::uint8_t* data_;
  std::size_t size_;
  const std::string& name_;
  ReadOptions options_;
  std::map<std::uint8_t, Definition> definitions_;
  std::map<std::pair<std::uint8_t, std::uint8_t>, DeveloperFieldDescription> descriptions_;
  std::optional<std::uint32_t> last_timestamp_;
};

}  // namespace

void decode(const std::uint8_t* data, std::size_t size, const std::string& name,
            const std::function<void(const Message&)>& on_message, const ReadOptions& options,
            std::vector<FileHeader>* headers) {
  Decoder(data, size, name, options).run(on_message, headers);
}

FitFile decode(const std::vector<std::uint8_t>& bytes, const std::string& name, const ReadOptions& options) {
  FitFile f;
  decode(bytes.data(), bytes.size(), name, [&f](const Message& m) { f.messages.push_back(m); }, options, &f.headers);
  return f;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FitError(path + ": cannot open");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw FitError(path + ": read error");
  return bytes;
}

FitFile read_file(const std::string& path, const ReadOptions& options) { return decode(read_bytes(path), path, options); }

}  // namespace stride::fit
