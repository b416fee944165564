// The .strideb reader (layout: docs/strideb.md): the file header checked at construction, then blocks decoded
// straight from a read buffer into the caller's samples. Damage is found by each block's CRC-32 and skipped by
// looking for the next block marker; a cut tail ends the file with a message. Nothing after the header throws.
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "strideb.hpp"
#include "unit_detection.hpp"

namespace stride::io {

static_assert(std::endian::native == std::endian::little, ".strideb is little-endian: swap bytes on this host");

namespace {

using strideb::kBlockHeaderBytes;

std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

std::uint32_t crc_of(const char* p, std::size_t n, std::uint32_t crc) {
  return static_cast<std::uint32_t>(::crc32_z(crc, reinterpret_cast<const Bytef*>(p), static_cast<z_size_t>(n)));
}

std::string hex_bytes(const char* p, std::size_t n) {
  std::string s;
  char b[4];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%s%02x", i ? " " : "", static_cast<unsigned>(static_cast<std::uint8_t>(p[i])));
    s += b;
  }
  return s;
}

std::string text_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() && it->get<double>() >= 0 ? it->get<double>() : 0.0;
}

RecordingMeta meta_from_json(const nlohmann::json& j) {
  RecordingMeta m;
  m.board = text_of(j, "board");
  m.sensor = text_of(j, "sensor");
  m.placement = placement_from_string(text_of(j, "placement")).value_or(Placement::unknown);
  m.side = side_from_string(text_of(j, "side")).value_or(Side::unknown);
  m.rate_hz = number_of(j, "rate_hz");
  m.acc_range_g = number_of(j, "acc_range_g");
  m.gyr_range_dps = number_of(j, "gyr_range_dps");
  m.athlete = text_of(j, "athlete");
  m.shoe = text_of(j, "shoe");
  m.start_time = text_of(j, "start_time");
  if (const auto it = j.find("extra"); it != j.end() && it->is_object())
    for (const auto& [k, v] : it->items()) m.extra[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return m;
}

}  // namespace

struct StridebReader::Impl {
  std::istream& in;
  RecordingMeta meta;
  ImportReport report;
  std::vector<ClockMark> marks;
  std::vector<Gap> gaps;
  double last_t_s = std::numeric_limits<double>::quiet_NaN();
  std::uint16_t version = 0;

  // Read buffer: bytes [pos, end) of buf are the file from offset base + pos on.
  std::vector<char> buf = std::vector<char>(std::size_t{1} << 20);
  std::size_t pos = 0, end = 0;
  std::uint64_t base = 0;
  bool eof = false;
  // The samples block being handed out: its payload at buf[block_at...), `count` samples, `next` given so far.
  std::size_t block_at = 0, count = 0, next = 0;
  bool done = false;
  bool resyncing = false;  // after damage: candidates that fail are part of the same damage, not new damage
  std::size_t damage_issue = SIZE_MAX;  // the issue that describes the current damage (SIZE_MAX: not listed)

  Impl(std::istream& s, std::string source) : in(s) {
    report.source = std::move(source);
    report.format = std::string(kStridebName);
  }

  std::uint64_t offset() const { return base + pos; }

  // At least n bytes from pos in the buffer, unless the file ends first (then false, with what there is).
  bool ensure(std::size_t n) {
    if (end - pos >= n) return true;
    if (pos > 0) {
      std::memmove(buf.data(), buf.data() + pos, end - pos);
      end -= pos;
      base += pos;
      block_at -= std::min(block_at, pos);
      pos = 0;
    }
    if (buf.size() < n) buf.resize(n);
    while (end < n && !eof) {
      in.read(buf.data() + end, static_cast<std::streamsize>(buf.size() - end));
      const auto got = static_cast<std::size_t>(in.gcount());
      end += got;
      if (got == 0 || !in) eof = true;
    }
    return end - pos >= n;
  }

  [[noreturn]] void refuse(const std::string& what) const { throw ImportError(report.source + ": " + what); }

  void read_file_header() {
    using namespace strideb;
    const bool whole = ensure(kFileHeaderBytes);
    const char* p = buf.data();
    if (!has_magic(std::string_view(p, std::min(end, kMagic.size()))))
      refuse("not a .strideb recording: the first bytes are '" + hex_bytes(p, std::min<std::size_t>(end, 8)) +
             "', expected '" + hex_bytes(reinterpret_cast<const char*>(kMagic.data()), 8) + "' (\\x89STRIDEB)");
    if (!whole)
      refuse("the file ends at byte " + std::to_string(end) + " inside its " + std::to_string(kFileHeaderBytes) +
             "-byte header; expected the version and the metadata length");
    version = static_cast<std::uint16_t>(static_cast<std::uint8_t>(p[8]) | static_cast<std::uint8_t>(p[9]) << 8);
    if (version != kVersion)
      refuse("byte 8: format version " + std::to_string(version) + "; this stride reads version " +
             std::to_string(kVersion) + (version > kVersion ? " (the file is newer: update stride)" : ""));
    const std::uint32_t meta_bytes = get_u32(p + 12);
    if (meta_bytes > kMaxMetaBytes)
      refuse("byte 12: metadata length " + std::to_string(meta_bytes) + " bytes; expected at most " +
             std::to_string(kMaxMetaBytes) + " (a damaged header?)");
    const std::size_t total = kFileHeaderBytes + meta_bytes + 4;
    if (!ensure(total))
      refuse("the file ends at byte " + std::to_string(end) + " inside its header (" + std::to_string(total) +
             " bytes with the metadata and its CRC); expected the whole header");
    p = buf.data();
    const std::uint32_t stored = get_u32(p + total - 4);
    if (crc_of(p, total - 4, 0) != stored)
      refuse("byte " + std::to_string(total - 4) + ": the header's CRC-32 does not match its bytes; the metadata "
             "(bytes 16.." + std::to_string(total - 4) + ") is damaged");
    const auto json = nlohmann::json::parse(p + kFileHeaderBytes, p + kFileHeaderBytes + meta_bytes, nullptr, false);
    if (!json.is_object())
      refuse("byte 16: the metadata is not a JSON object (" + std::to_string(meta_bytes) + " bytes)");
    meta = meta_from_json(json);
    pos = total;
    report.time_unit = "s";
    report.time_unit_reason = "strideb: seconds by definition";
    report.acc_unit = "m/s^2";
    report.acc_unit_reason = "strideb: SI units by definition";
    report.gyr_unit = "rad/s";
    report.gyr_unit_reason = "strideb: SI units by definition";
    report.rate_declared = meta.rate_hz > 0;
    if (report.rate_declared) report.rate_reason = "declared in metadata";
  }

  void note_damage(std::uint64_t at, const std::string& why) {
    if (resyncing) return;
    resyncing = true;
    ++report.skipped;
    damage_issue = SIZE_MAX;
    if (report.issues.size() < 50) {
      damage_issue = report.issues.size();
      report.issues.push_back({0, "byte " + std::to_string(at) + ": " + why});
    }
  }

  void note_resumed(const std::string& how) {
    if (!resyncing) return;
    resyncing = false;
    if (damage_issue < report.issues.size()) report.issues[damage_issue].what += how;
  }

  // After damage at pos: on to the next block marker (false when the file ends first).
  bool resync() {
    ++pos;
    for (;;) {
      const char* from = buf.data() + pos;
      const char* hit = static_cast<const char*>(
          ::memmem(from, end - pos, strideb::kBlockMarker.data(), strideb::kBlockMarker.size()));
      if (hit) {
        pos = static_cast<std::size_t>(hit - buf.data());
        return true;
      }
      pos = end - std::min<std::size_t>(end - pos, 3);  // a marker may straddle the refill
      if (eof || !ensure(end - pos + 1)) {
        note_resumed("; no good block after it (the rest of the file, " + std::to_string(end - pos) +
                     " bytes, is skipped)");
        pos = end;
        return false;
      }
    }
  }

  void cut_off(std::size_t have, std::size_t want, const char* inside) {
    if (resyncing) {
      note_resumed("; no good block after it (the file ends at byte " + std::to_string(base + end) + ")");
    } else if (report.issues.size() < 50) {
      report.issues.push_back({0, "byte " + std::to_string(offset()) + ": the file ends inside " + inside + " (" +
                                      std::to_string(have) + " of " + std::to_string(want) +
                                      " bytes): cut off while writing? Every whole block before it is read"});
    }
    report.notes.push_back("the file is cut off at byte " + std::to_string(base + end) +
                           " (inside a block): read up to its last whole block");
    pos = end;
    done = true;
  }

  // Finds the next good samples block (clock marks on the way are kept); false at the end of the file.
  bool next_samples_block() {
    using namespace strideb;
    while (!done) {
      if (!ensure(kBlockHeaderBytes)) {
        if (end > pos) cut_off(end - pos, kBlockHeaderBytes, "a block header");
        else {
          if (resyncing) note_resumed("; no good block after it");
          done = true;
        }
        return false;
      }
      const char* h = buf.data() + pos;
      const std::uint64_t at = offset();
      if (std::memcmp(h, kBlockMarker.data(), 4) != 0) {
        note_damage(at, "no block marker (found '" + hex_bytes(h, 4) + "', expected 'SBLK'): damaged; skipped to the "
                        "next good block");
        if (!resync()) return false;
        continue;
      }
      const auto kind = static_cast<BlockKind>(get_u32(h + 4));
      const std::uint32_t n = get_u32(h + 8);
      const std::uint32_t payload = get_u32(h + 12);
      const bool sane = kind == BlockKind::samples   ? n >= 1 && n <= kMaxBlockSamples && payload == n * kSampleBytes
                        : kind == BlockKind::clock_marks ? payload == std::uint64_t{n} * kClockMarkBytes
                                                         : payload <= kMaxBlockPayload;
      if (!sane || payload > kMaxBlockPayload) {
        note_damage(at, "block header damaged (kind " + std::to_string(static_cast<std::uint32_t>(kind)) + ", " +
                            std::to_string(n) + " items, " + std::to_string(payload) +
                            " payload bytes do not fit together); skipped to the next good block");
        if (!resync()) return false;
        continue;
      }
      if (!ensure(kBlockHeaderBytes + payload)) {
        // Cut off, unless the header is the damage: a later marker with a good block means it was damage.
        if (!resyncing) {
          cut_off(end - pos, kBlockHeaderBytes + payload,
                  kind == BlockKind::samples ? "a block of samples" : "a block");
          return false;
        }
        if (!resync()) return false;
        continue;
      }
      h = buf.data() + pos;
      const char* body = h + kBlockHeaderBytes;
      if (crc_of(body, payload, crc_of(h, 16, 0)) != get_u32(h + 16)) {
        note_damage(at, "CRC-32 mismatch in a block of " + std::to_string(n) +
                            (kind == BlockKind::samples ? " samples" : " items") + " (" + std::to_string(payload) +
                            " bytes): damaged, its samples skipped; skipped to the next good block");
        if (!resync()) return false;
        continue;
      }
      note_resumed("; reading resumed at byte " + std::to_string(at));
      ++report.lines;
      pos += kBlockHeaderBytes + payload;
      if (kind == BlockKind::samples) {
        block_at = pos - payload;
        count = n;
        next = 0;
        return true;
      }
      if (kind == BlockKind::clock_marks)
        for (std::uint32_t k = 0; k < n; ++k) {
          ClockMark m;
          std::memcpy(&m.t_s, body + 16 * k, 8);
          std::memcpy(&m.unix_s, body + 16 * k + 8, 8);
          marks.push_back(m);
        }
      // Another kind: a later version 1 writer's addition this reader does not know; skipped whole (CRC good).
    }
    return false;
  }

  // The rule of find_gaps, across read() calls.
  void find_gaps_in(std::span<const ImuSample> samples) {
    if (!(meta.rate_hz > 0)) return;
    const double interval_s = 1.0 / meta.rate_hz;
    for (const auto& s : samples) {
      const double step = s.t_s - last_t_s;
      if (step > 1.5 * interval_s) gaps.push_back({last_t_s, s.t_s, missing_samples(step, interval_s)});
      last_t_s = s.t_s;
    }
  }

  std::size_t read(std::span<ImuSample> out) {
    std::size_t got = 0;
    while (got < out.size()) {
      if (next == count && !next_samples_block()) break;
      const std::size_t take = std::min(out.size() - got, count - next);
      const char* col = buf.data() + block_at;
      auto at = [&](int column, std::size_t k) {
        double v;
        std::memcpy(&v, col + (column * count + k) * 8, 8);
        return v;
      };
      for (std::size_t k = 0; k < take; ++k) {
        ImuSample& s = out[got + k];
        const std::size_t i = next + k;
        s.t_s = at(0, i);
        s.acc_mps2 = Eigen::Vector3d(at(1, i), at(2, i), at(3, i));
        s.gyr_rad_s = Eigen::Vector3d(at(4, i), at(5, i), at(6, i));
        s.clipped = static_cast<std::uint8_t>(col[7 * 8 * count + i]);
      }
      next += take;
      got += take;
    }
    report.samples += got;
    find_gaps_in(out.first(got));
    return got;
  }
};

StridebReader::StridebReader(std::istream& in, std::string source_name)
    : impl_(std::make_unique<Impl>(in, std::move(source_name))) {
  impl_->read_file_header();
}
StridebReader::~StridebReader() = default;
StridebReader::StridebReader(StridebReader&&) noexcept = default;
StridebReader& StridebReader::operator=(StridebReader&&) noexcept = default;

const RecordingMeta& StridebReader::meta() const { return impl_->meta; }
const ImportReport& StridebReader::report() const { return impl_->report; }
const std::vector<ClockMark>& StridebReader::clock_marks() const { return impl_->marks; }
const std::vector<Gap>& StridebReader::gaps() const { return impl_->gaps; }
std::uint16_t StridebReader::version() const { return impl_->version; }
std::size_t StridebReader::read(std::span<ImuSample> out) { return impl_->read(out); }

void note_sensors_present(ImportReport& rep, bool any_acc, bool any_gyro) {
  rep.has_acc = any_acc;
  rep.has_gyro = any_gyro;
  if (!rep.has_gyro) {
    rep.gyr_unit = "none";
    rep.gyr_unit_reason = "no gyroscope: the angular rate is NaN in every sample";
  }
  if (!rep.has_acc) {
    rep.acc_unit = "none";
    rep.acc_unit_reason = "no accelerometer: the acceleration is NaN in every sample";
  }
}

Imported import_strideb(std::istream& in, const std::string& source_name) {
  StridebReader reader(in, source_name);
  Imported result;
  auto& samples = result.recording.samples;
  // Read into fixed chunks, then one allocation of the exact size: each sample is copied once (a growing vector
  // copies it about twice more, and touches three times the memory), which halves the time of a large file.
  // Chunks from 4096 samples (a short file allocates little) doubling to 65536.
  std::vector<std::vector<ImuSample>> chunks;
  std::size_t total = 0, chunk_samples = std::size_t{1} << 12;
  for (;;) {
    std::vector<ImuSample> chunk(chunk_samples);
    const std::size_t got = reader.read(chunk);
    if (got == 0) break;
    chunk.resize(got);
    total += got;
    chunks.push_back(std::move(chunk));
    chunk_samples = std::min(chunk_samples * 2, std::size_t{1} << 16);
  }
  samples.reserve(total);
  for (auto& c : chunks) {
    samples.insert(samples.end(), c.begin(), c.end());
    std::vector<ImuSample>().swap(c);
  }
  result.recording.meta = reader.meta();
  result.recording.clock_marks = reader.clock_marks();
  result.report = reader.report();
  auto& rep = result.report;
  if (samples.empty())
    throw ImportError(source_name + ": no whole block of samples; expected at least one after the header" +
                      (rep.issues.empty() ? std::string(" (the file ends with its header)")
                                          : "; " + rep.issues.front().what));
  const auto any = [&](auto finite) { return std::any_of(samples.begin(), samples.end(), finite); };
  note_sensors_present(rep, any([](const ImuSample& s) { return !std::isnan(s.acc_mps2.x()); }),
                       any([](const ImuSample& s) { return !std::isnan(s.gyr_rad_s.x()); }));
  if (!rep.rate_declared) {
    const double dt = median_interval_s(samples);
    if (dt > 0) {
      result.recording.meta.rate_hz = 1.0 / dt;
      rep.rate_reason = "median interval " + detail::format_number(dt * 1e3, 3) + " ms";
    }
  }
  const double rate = result.recording.meta.rate_hz;
  result.recording.gaps = find_gaps(samples, rate > 0 ? 1.0 / rate : 0.0);
  return result;
}

}  // namespace stride::io
