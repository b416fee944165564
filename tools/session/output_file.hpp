// Every file stride writes goes through here, so that a full disk, a missing folder or a killed process can never
// leave a half-written output that looks complete: the bytes go to a temporary file beside the target, every write
// is checked, the file is flushed and fsynced, and only then renamed over the target. On any failure the
// temporary is removed, the target is left as it was, and OutputError names the file and the OS's reason.
// A target that exists and is not a regular file (/dev/full, a FIFO, /dev/stdout) is written in place, checked
// the same way.
#pragma once

#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stride::session {

struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class OutputFile {
 public:
  enum class Mode {
    replace,   // into a temporary, renamed over the target at commit: the target is whole or as it was
    in_place,  // truncate the target and write it as the bytes come (a recording: readable while it grows, and
               // crash-safe by flushing often); commit() fsyncs and closes
  };
  // Creates the temporary (or opens the target). Throws OutputError ("cannot write 'PATH': REASON").
  explicit OutputFile(std::string path, Mode mode = Mode::replace);
  ~OutputFile();                      // not committed: the temporary is removed, the target untouched
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  // Hands what is buffered to the OS (no fsync). Returns 0, or the errno of the first failed write (then every
  // later write fails too, and commit() throws).
  int flush();
  const std::string& path() const { return path_; }
  // Flushes, checks, fsyncs and renames over the target. Throws OutputError; after a throw the target is as it was.
  void commit();

 private:
  class Buffer;
  std::string path_, temp_;           // temp_ empty: written in place
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
  bool committed_ = false;
};

// The whole of `content` to `path`, as above.
void write_file(const std::string& path, std::string_view content);

// Writes to standard output and checks it (a closed or full stdout is an error). Throws OutputError.
void write_stdout(std::string_view content);
// After everything was printed: flushes stdout and says whether every write to it succeeded (errno set if not).
bool stdout_ok();

}  // namespace stride::session
