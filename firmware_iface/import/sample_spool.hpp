// The decoded samples of a recording's first read, kept in a temporary binary file so that every later pass of the
// streaming analysis reads them back at memory speed instead of parsing the text again (a CSV parse is ~0.9 s of CPU
// per pass for an hour at 1 kHz; a spool pass is a sequential read of 57 bytes a sample, from the page cache).
// The file is created unlinked (O_TMPFILE, else mkstemp + unlink at once), so nothing is left in the directory even
// when the process is killed; it goes when the spool is destroyed. Memory stays flat: one block of kBlockSamples
// is buffered for writing, and each replay reads through a buffer of the same size.
// Layout: per sample t_s, acc x y z, gyr x y z as native doubles (bit for bit what the reader decoded, so the
// figures are identical) and the clip bits as one byte; no header, no checksum: the file lives only as long as
// the process that wrote it.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "streamed_input.hpp"

namespace stride::io {

// Where a spool goes when no directory is named: $TMPDIR if set and not empty, else /tmp.
std::string default_spool_directory();

class SampleSpool {
 public:
  static constexpr std::size_t kBytesPerSample = 7 * sizeof(double) + 1;

  // A spool in `dir` (empty: default_spool_directory()). nullptr when the file cannot be created; `why_not` then
  // names the directory and the system's reason.
  static std::unique_ptr<SampleSpool> create(const std::string& dir, std::string& why_not);
  ~SampleSpool();
  SampleSpool(const SampleSpool&) = delete;
  SampleSpool& operator=(const SampleSpool&) = delete;

  // Appends the samples; after a failed write (disk full) it keeps nothing more and failed() says why.
  void append(std::span<const ImuSample> samples);
  // Writes what is buffered; true when every appended sample is in the file (then replay gives them all).
  bool finish();
  const std::string& failed() const { return failure_; }
  std::size_t samples() const { return written_ + buffered_; }

  // Every sample appended, in order, in blocks of kBlockSamples (the last one shorter). Only after finish() gave
  // true. Independent reads at offsets (pread), so replays may overlap. Throws ImportError on a read error.
  void replay(const SampleSink& sink) const;

 private:
  SampleSpool(int fd, std::string where);
  void fail(const std::string& what, int error);
  bool write_buffered();

  int fd_;
  std::string where_;                // the directory, for messages
  std::vector<unsigned char> out_;   // kBlockSamples rows being filled
  std::size_t buffered_ = 0;         // rows in out_
  std::size_t written_ = 0;          // rows in the file
  std::string failure_;
};

}  // namespace stride::io
