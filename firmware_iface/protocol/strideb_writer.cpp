// The .strideb writer (layout: docs/strideb.md). Columns are copied as the host's float64 bytes: the format is
// little-endian, and so is every host stride runs on (x86-64, ARM64, the ESP32); a big-endian port would swap here.
#include "strideb.hpp"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace stride::io {

static_assert(std::endian::native == std::endian::little, ".strideb is little-endian: swap bytes on this host");

namespace strideb {

bool has_magic(std::string_view head) {
  return head.size() >= kMagic.size() && std::memcmp(head.data(), kMagic.data(), kMagic.size()) == 0;
}

}  // namespace strideb

namespace {

void put_u16(std::vector<char>& b, std::uint16_t v) {
  const char bytes[2] = {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
  b.insert(b.end(), bytes, bytes + 2);
}

void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

void put_u32(std::vector<char>& b, std::uint32_t v) {
  char bytes[4];
  put_u32(bytes, v);
  b.insert(b.end(), bytes, bytes + 4);
}

std::uint32_t crc_of(const char* p, std::size_t n, std::uint32_t crc) {
  return static_cast<std::uint32_t>(
      ::crc32_z(crc, reinterpret_cast<const Bytef*>(p), static_cast<z_size_t>(n)));
}

// The CSV's `# key: value` lines as one JSON object (docs/strideb.md); numbers keep every digit.
std::string meta_json(const RecordingMeta& m) {
  nlohmann::ordered_json j = {{"board", m.board},
                              {"sensor", m.sensor},
                              {"placement", to_string(m.placement)},
                              {"side", to_string(m.side)},
                              {"rate_hz", m.rate_hz},
                              {"acc_range_g", m.acc_range_g},
                              {"gyr_range_dps", m.gyr_range_dps},
                              {"athlete", m.athlete},
                              {"shoe", m.shoe},
                              {"start_time", m.start_time},
                              {"extra", nlohmann::ordered_json::object()}};
  for (const auto& [k, v] : m.extra) j["extra"][k] = v;
  // Invalid UTF-8 in a value (a board's garbled name) is replaced, not refused: the recording matters more.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

StridebWriter::StridebWriter(std::ostream& out, const RecordingMeta& meta, std::size_t block_samples)
    : out_(out), block_samples_(block_samples) {
  if (block_samples == 0 || block_samples > strideb::kMaxBlockSamples)
    throw std::invalid_argument("StridebWriter: block_samples " + std::to_string(block_samples) +
                                " is outside 1.." + std::to_string(strideb::kMaxBlockSamples));
  const std::string json = meta_json(meta);
  if (json.size() > strideb::kMaxMetaBytes)
    throw std::invalid_argument("StridebWriter: the metadata takes " + std::to_string(json.size()) +
                                " bytes as JSON; at most " + std::to_string(strideb::kMaxMetaBytes) + " fit");
  std::vector<char> head(strideb::kMagic.begin(), strideb::kMagic.end());
  put_u16(head, strideb::kVersion);
  put_u16(head, 0);  // flags: none defined in version 1
  put_u32(head, static_cast<std::uint32_t>(json.size()));
  head.insert(head.end(), json.begin(), json.end());
  put_u32(head, crc_of(head.data(), head.size(), 0));
  out_.write(head.data(), static_cast<std::streamsize>(head.size()));
  waiting_.reserve(block_samples_);
}

void StridebWriter::add(const ImuSample& s) {
  waiting_.push_back(s);
  if (waiting_.size() == block_samples_) end_block();
}

void StridebWriter::add(std::span<const ImuSample> samples) {
  for (const auto& s : samples) add(s);
}

void StridebWriter::add_clock_mark(const ClockMark& mark) {
  end_block();
  payload_.resize(strideb::kClockMarkBytes);
  std::memcpy(payload_.data(), &mark.t_s, 8);
  std::memcpy(payload_.data() + 8, &mark.unix_s, 8);
  put_block(strideb::BlockKind::clock_marks, 1);
}

void StridebWriter::end_block() {
  const std::size_t n = waiting_.size();
  if (n == 0) return;
  payload_.resize(n * strideb::kSampleBytes);
  // Columnar: all times, then each axis, then the clip bits (a reader can take one column without the others).
  char* p = payload_.data();
  auto column = [&](auto value_of) {
    for (const auto& s : waiting_) {
      const double v = value_of(s);
      std::memcpy(p, &v, 8);
      p += 8;
    }
  };
  column([](const ImuSample& s) { return s.t_s; });
  for (int a = 0; a < 3; ++a) column([a](const ImuSample& s) { return s.acc_mps2[a]; });
  for (int a = 0; a < 3; ++a) column([a](const ImuSample& s) { return s.gyr_rad_s[a]; });
  for (const auto& s : waiting_) *p++ = static_cast<char>(s.clipped);
  put_block(strideb::BlockKind::samples, static_cast<std::uint32_t>(n));
  written_ += n;
  waiting_.clear();
}

void StridebWriter::put_block(strideb::BlockKind kind, std::uint32_t count) {
  char head[strideb::kBlockHeaderBytes];
  std::memcpy(head, strideb::kBlockMarker.data(), 4);
  put_u32(head + 4, static_cast<std::uint32_t>(kind));
  put_u32(head + 8, count);
  put_u32(head + 12, static_cast<std::uint32_t>(payload_.size()));
  put_u32(head + 16, crc_of(payload_.data(), payload_.size(), crc_of(head, 16, 0)));
  out_.write(head, sizeof head);
  out_.write(payload_.data(), static_cast<std::streamsize>(payload_.size()));
}

void write_strideb(std::ostream& out, const Recording& rec, std::size_t block_samples) {
  StridebWriter w(out, rec.meta, block_samples);
  auto mark = rec.clock_marks.begin();
  for (const auto& s : rec.samples) {
    for (; mark != rec.clock_marks.end() && mark->t_s < s.t_s; ++mark) w.add_clock_mark(*mark);
    w.add(s);
  }
  w.end_block();
  for (; mark != rec.clock_marks.end(); ++mark) w.add_clock_mark(*mark);
}

}  // namespace stride::io
