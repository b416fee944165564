// `.strideb`: stride's binary native recording (docs/strideb.md has the layout table). The same content as the
// native CSV (metadata, samples in SI units, host-clock notes) in framed, checksummed blocks, so that it reads at
// memory speed and a cut or damaged file stays readable up to (and past) the damage. Little-endian, versioned.
// Pure bytes <-> samples: the caller owns the streams (and flushes them: one flush per block keeps a recording that
// is killed readable up to its last whole block).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stride/recording_io.hpp"

namespace stride::io {

inline constexpr std::string_view kStridebName = "strideb";
inline constexpr std::string_view kStridebDescription =
    "stride's binary recording (.strideb): metadata + checksummed blocks of float64 samples, SI units";
inline constexpr std::string_view kStridebExample = "89 53 54 52 49 44 45 42  01 00  00 00 ...  (\\x89STRIDEB, v1)";
inline constexpr std::string_view kStridebSpec = "docs/strideb.md";
// The import report's format_reason when the format was found (not forced).
inline constexpr std::string_view kStridebFoundBy = "strideb: magic bytes \\x89STRIDEB";

namespace strideb {

// The file starts with these 8 bytes (a non-ASCII first byte: no text reader or CSV sniffer takes it for text).
inline constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'S', 'T', 'R', 'I', 'D', 'E', 'B'};
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kFileHeaderBytes = 16;                 // magic, version, flags, metadata length
inline constexpr std::size_t kMaxMetaBytes = std::size_t{1} << 20;  // as the CSV reader's header limit
// Each block starts with these 4 bytes: after damage the reader looks for the next one.
inline constexpr std::array<std::uint8_t, 4> kBlockMarker = {'S', 'B', 'L', 'K'};
inline constexpr std::size_t kBlockHeaderBytes = 20;  // marker, kind, count, payload bytes, CRC-32
enum class BlockKind : std::uint32_t { samples = 1, clock_marks = 2 };
// Per sample: t_s, acc x y z, gyr x y z as float64 (columnar), then the clipped bits as uint8.
inline constexpr std::size_t kSampleBytes = 7 * 8 + 1;
inline constexpr std::size_t kClockMarkBytes = 2 * 8;  // t_s, unix_s
inline constexpr std::size_t kMaxBlockSamples = 65536;  // a block the reader must hold: 3.7 MB at most
inline constexpr std::size_t kMaxBlockPayload = kMaxBlockSamples * kSampleBytes;
inline constexpr std::size_t kDefaultBlockSamples = 4096;

// True when the bytes start with kMagic.
bool has_magic(std::string_view head);

}  // namespace strideb

// Writes a .strideb to `out`: the file header at construction, then one block per end_block() (or whenever
// block_samples samples are waiting). Nothing is buffered in the stream by this class beyond the block being
// built: flush `out` after end_block() and everything added so far is on disk as whole blocks.
class StridebWriter {
 public:
  StridebWriter(std::ostream& out, const RecordingMeta& meta,
                std::size_t block_samples = strideb::kDefaultBlockSamples);  // 1..kMaxBlockSamples
  void add(const ImuSample& s);
  void add(std::span<const ImuSample> samples);
  // A host-clock note (`# host_clock:` of the CSV): ends the samples block being built, then writes a marks block,
  // so that the note follows the samples it was taken after.
  void add_clock_mark(const ClockMark& mark);
  void end_block();  // writes the waiting samples as one block (nothing when none wait)
  std::uint64_t samples_written() const { return written_; }

 private:
  std::ostream& out_;
  std::size_t block_samples_;
  std::vector<ImuSample> waiting_;
  std::vector<char> payload_;
  std::uint64_t written_ = 0;
  void put_block(strideb::BlockKind kind, std::uint32_t count);
};

// A whole recording: samples in blocks of block_samples, each clock mark after the samples up to its time.
void write_strideb(std::ostream& out, const Recording& rec, std::size_t block_samples = strideb::kDefaultBlockSamples);

// Block-wise reader with the CsvReader's shape: the constructor reads and checks the file header (throws
// ImportError naming the source, the byte and what was expected: wrong magic, a newer version, a damaged or
// cut header); read() then never throws. A block whose CRC or header is wrong is skipped and counted (report().
// skipped, an issue naming its byte offset), reading resumes at the next good block; a file that ends inside a
// block (a recording killed while writing) gives every whole block before it, and says so in an issue.
class StridebReader {
 public:
  StridebReader(std::istream& in, std::string source_name);
  ~StridebReader();
  StridebReader(StridebReader&&) noexcept;
  StridebReader& operator=(StridebReader&&) noexcept;

  const RecordingMeta& meta() const;
  const ImportReport& report() const;                 // lines = good blocks read; skipped = damaged blocks
  const std::vector<ClockMark>& clock_marks() const;  // read so far
  // Found so far (steps over 1.5 intervals of the declared rate_hz, as find_gaps); empty when the metadata declares
  // no rate (import_strideb then finds them from the median interval).
  const std::vector<Gap>& gaps() const;
  std::uint16_t version() const;
  std::size_t read(std::span<ImuSample> out);         // up to out.size() samples; 0 = end

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whole-file import on StridebReader, finished as import_csv finishes: rate from the metadata (else the median
// interval), gaps, has_acc / has_gyro (false when that sensor is NaN in every sample). Throws ImportError as the
// reader does, and when no whole block of samples could be read (naming the first damage or cut).
Imported import_strideb(std::istream& in, const std::string& source_name);

// import_strideb's finish of the report once every sample was seen: has_acc / has_gyro, and a sensor NaN throughout
// named as absent.
void note_sensors_present(ImportReport& report, bool any_acc, bool any_gyro);

}  // namespace stride::io
