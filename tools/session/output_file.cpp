#include "tools/session/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <streambuf>

namespace stride::session {
namespace {

std::string reason(int err) { return std::strerror(err); }

[[noreturn]] void fail(const std::string& path, int err, const char* what = "cannot write") {
  throw OutputError(std::string(what) + " '" + path + "': " + reason(err));
}

// All bytes, retrying short writes and EINTR; returns 0 or the errno of the failure.
int write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return 0;
}

}  // namespace

// A stream buffer over a file descriptor that remembers the first OS error, so the message can name it
// (std::ofstream only says that something failed).
class OutputFile::Buffer : public std::streambuf {
 public:
  explicit Buffer(int fd) : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }
  ~Buffer() override {
    if (fd_ >= 0) ::close(fd_);
  }
  int error() const { return error_; }
  int fd() const { return fd_; }
  // Closes the descriptor; returns 0 or the errno of close (NFS and some file systems report write errors here).
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    if (error_) return false;
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    if (n > 0) error_ = write_all(fd_, pbase(), n);
    setp(buf_.data(), buf_.data() + buf_.size());
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::array<char, 1 << 16> buf_{};
};

OutputFile::OutputFile(std::string path, Mode mode) : path_(std::move(path)) {
  struct stat st{};
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw OutputError("cannot write '" + path_ + "': it is a folder");
  int fd = -1;
  if (mode == Mode::in_place || (exists && !S_ISREG(st.st_mode))) {
    fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) fail(path_, errno);
  } else {
    // Beside the target (same file system, so the rename is atomic), hidden, unique to this process and call.
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path target(path_);
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    temp_ = (dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++)))
                .string();
    fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
      const int err = errno;
      temp_.clear();
      fail(path_, err);
    }
  }
  buffer_ = std::make_unique<Buffer>(fd);
  stream_ = std::make_unique<std::ostream>(buffer_.get());
}

OutputFile::~OutputFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

std::ostream& OutputFile::stream() { return *stream_; }

int OutputFile::flush() {
  stream_->flush();
  return buffer_->error() ? buffer_->error() : (*stream_ ? 0 : EIO);
}

void OutputFile::commit() {
  stream_->flush();
  int err = buffer_->error();
  if (!err && !*stream_) err = EIO;
  if (!err && ::fsync(buffer_->fd()) != 0 && errno != EINVAL && errno != EROFS) err = errno;  // EINVAL: a FIFO, a tty
  const int close_err = buffer_->close();
  if (!err) err = close_err;
  if (err) fail(path_, err);
  if (!temp_.empty()) {
    if (::rename(temp_.c_str(), path_.c_str()) != 0) fail(path_, errno);
    // The rename itself is durable once the folder is synced (best effort: some file systems refuse it).
    const std::filesystem::path dir = std::filesystem::path(path_).has_parent_path()
                                          ? std::filesystem::path(path_).parent_path()
                                          : std::filesystem::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  committed_ = true;
}

void write_file(const std::string& path, std::string_view content) {
  OutputFile out(path);
  out.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  out.commit();
}

void write_stdout(std::string_view content) {
  if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() || std::fflush(stdout) != 0)
    throw OutputError("cannot write to standard output: " + reason(errno));
}

bool stdout_ok() { return std::fflush(stdout) == 0 && !std::ferror(stdout); }

}  // namespace stride::session
