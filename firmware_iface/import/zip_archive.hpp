// Reading the members of a zip export (phyphox, Sensor Logger) without unpacking it: libzip, one member at a time,
// streamed through a small buffer (memory stays flat however large a member is).
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace stride::io {

// True when the file starts with a zip local-file header ("PK\3\4") or is an empty zip ("PK\5\6").
bool looks_like_zip(const std::string& path);

class ZipArchive {
 public:
  struct Member {
    std::string name;        // as stored: "Accelerometer.csv", "meta/device.csv"
    std::uint64_t size = 0;  // uncompressed bytes
  };

  // Throws ImportError naming the file when it is not a readable zip.
  explicit ZipArchive(const std::string& path);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<Member>& members() const { return members_; }  // files only (no folder entries)
  // A stream over one member's uncompressed bytes; valid while this archive lives. Throws ImportError.
  std::unique_ptr<std::istream> open(const std::string& member) const;

 private:
  std::string path_;
  struct Handle;
  std::unique_ptr<Handle> zip_;
  std::vector<Member> members_;
};

}  // namespace stride::io
