// Decodes any FIT file: file header (12 or 14 bytes, header CRC checked when present), normal and
// compressed-timestamp record headers, definition messages in either byte order, developer fields (described by
// developer_data_id 207 and field_description 206 messages earlier in the file), invalid values per base type,
// and the file CRC. Several FIT files chained in one are read one after the other.
// Every error is a FitError naming the file and the byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "firmware_iface/fit/message.hpp"

namespace stride::fit {

struct FileHeader {
  std::uint8_t size = 0;                // 12 or 14
  std::uint8_t protocol_version = 0;    // 0x10 = 1.0, 0x20 = 2.0
  std::uint16_t profile_version = 0;    // e.g. 2132 = 21.32
  std::uint32_t data_size = 0;          // bytes of records after the header
  std::uint16_t header_crc = 0;         // 0 = not set
};

struct FitFile {
  std::vector<FileHeader> headers;      // one per chained file
  std::vector<Message> messages;        // in file order, all chained files
};

struct ReadOptions {
  bool check_crc = true;                // a wrong header or file CRC is an error
};

// Decodes the bytes of a FIT file; `name` is used in error messages. The callback receives each message as it is
// decoded (the same messages are not kept: a large file can be processed in constant memory).
void decode(const std::uint8_t* data, std::size_t size, const std::string& name,
            const std::function<void(const Message&)>& on_message, const ReadOptions& options = {},
            std::vector<FileHeader>* headers = nullptr);

FitFile decode(const std::vector<std::uint8_t>& bytes, const std::string& name, const ReadOptions& options = {});
// Reads the whole file (FitError: cannot open, plus decode's errors).
FitFile read_file(const std::string& path, const ReadOptions& options = {});
std::vector<std::uint8_t> read_bytes(const std::string& path);

// FIT date_time (s since 1989-12-31T00:00Z) <-> Unix seconds.
inline double fit_to_unix(std::uint32_t t) { return static_cast<double>(t) + static_cast<double>(kFitEpochUnixS); }

}  // namespace stride::fit
