#include "sample_spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace stride::io {
namespace {

constexpr std::size_t kRow = SampleSpool::kBytesPerSample;

void pack(const ImuSample& s, unsigned char* row) {
  const double v[7] = {s.t_s, s.acc_mps2.x(), s.acc_mps2.y(), s.acc_mps2.z(),
                       s.gyr_rad_s.x(), s.gyr_rad_s.y(), s.gyr_rad_s.z()};
  std::memcpy(row, v, sizeof v);
  row[sizeof v] = s.clipped;
}

void unpack(const unsigned char* row, ImuSample& s) {
  double v[7];
  std::memcpy(v, row, sizeof v);
  s.t_s = v[0];
  s.acc_mps2 = {v[1], v[2], v[3]};
  s.gyr_rad_s = {v[4], v[5], v[6]};
  s.clipped = row[sizeof v];
}

// An unlinked file in `dir`: O_TMPFILE never gives it a name; where the file system cannot do that, mkstemp's name
// is removed at once (a kill between the two calls is the only moment it could be left behind).
int open_unlinked(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  std::string name = dir + "/stride-spool-XXXXXX";
  const int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named >= 0) ::unlink(name.c_str());
  return named;
}

}  // namespace

std::string default_spool_directory() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

std::unique_ptr<SampleSpool> SampleSpool::create(const std::string& dir, std::string& why_not) {
  const std::string where = dir.empty() ? default_spool_directory() : dir;
  const int fd = open_unlinked(where);
  if (fd < 0) {
    why_not = "cannot create a temporary file in '" + where + "': " + std::strerror(errno) +
              "; expected a writable directory (TMPDIR)";
    return nullptr;
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint only: its failure changes nothing
  return std::unique_ptr<SampleSpool>(new SampleSpool(fd, where));
}

SampleSpool::SampleSpool(int fd, std::string where)
    : fd_(fd), where_(std::move(where)), out_(kBlockSamples * kRow) {}

SampleSpool::~SampleSpool() {
  if (fd_ >= 0) ::close(fd_);
}

void SampleSpool::fail(const std::string& what, int error) {
  failure_ = what + " the temporary file in '" + where_ + "': " + std::strerror(error);
  ::close(fd_);
  fd_ = -1;
  std::vector<unsigned char>().swap(out_);
  buffered_ = 0;
}

bool SampleSpool::write_buffered() {
  const unsigned char* at = out_.data();
  std::size_t left = buffered_ * kRow;
  while (left > 0) {
    const ssize_t n = ::write(fd_, at, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fail("cannot write", n < 0 ? errno : ENOSPC);
      return false;
    }
    at += n;
    left -= static_cast<std::size_t>(n);
  }
  written_ += buffered_;
  buffered_ = 0;
  return true;
}

void SampleSpool::append(std::span<const ImuSample> samples) {
  for (const ImuSample& s : samples) {
    if (!failure_.empty()) return;
    pack(s, out_.data() + buffered_ * kRow);
    if (++buffered_ == kBlockSamples) write_buffered();
  }
}

bool SampleSpool::finish() { return failure_.empty() && write_buffered(); }

void SampleSpool::replay(const SampleSink& sink) const {
  std::vector<unsigned char> rows(kBlockSamples * kRow);
  std::vector<ImuSample> block(kBlockSamples);
  for (std::size_t at = 0; at < written_;) {
    const std::size_t n = std::min(kBlockSamples, written_ - at);
    std::size_t got = 0;
    while (got < n * kRow) {
      const ssize_t r = ::pread(fd_, rows.data() + got, n * kRow - got, static_cast<off_t>(at * kRow + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0)
        throw ImportError("cannot read back the temporary file in '" + where_ + "' (sample " + std::to_string(at) +
                          "): " + (r < 0 ? std::strerror(errno) : "it ended early") +
                          "; expected the samples written there by the first read");
      got += static_cast<std::size_t>(r);
    }
    for (std::size_t i = 0; i < n; ++i) unpack(rows.data() + i * kRow, block[i]);
    sink(std::span<const ImuSample>(block.data(), n));
    at += n;
  }
}

}  // namespace stride::io
