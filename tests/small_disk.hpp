// A real full disk for the tests: a tmpfs of a few KiB mounted in a scratch folder (needs root, as CI and the
// developers' machines have; elsewhere the tests that need it skip and say why). Unmounted on destruction.
#pragma once

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace stride::test {

class SmallDisk {
 public:
  SmallDisk(const std::filesystem::path& where, std::size_t bytes) : path_(where) {
    std::filesystem::create_directories(path_);
    const std::string opts = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, opts.c_str()) == 0) mounted_ = true;
    else why_ = std::string("cannot mount a small tmpfs: ") + std::strerror(errno) + " (needs root)";
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  // Remounts the tmpfs read-only (what a write-protected card or a read-only share looks like, even to root).
  bool make_read_only() {
    return mounted_ && ::mount(nullptr, path_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }
  const std::string& why_not() const { return why_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string why_;
};

// Files in `dir` whose name says they are one of OutputFile's temporaries (".NAME.tmp-PID-N").
inline int leftover_temporaries(const std::filesystem::path& dir) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) ++n;
  return n;
}

}  // namespace stride::test

#define STRIDE_REQUIRE_MOUNTED(disk) \
  do {                               \
    if (!(disk).mounted()) GTEST_SKIP() << (disk).why_not(); \
  } while (0)
