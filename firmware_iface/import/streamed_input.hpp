// One recording file read in passes instead of imported whole, for the streaming analysis
// (analysis/streaming_pipeline.hpp): memory does not grow with the file. open_streamed reads the file once as
// import_input would (hashing its bytes as it goes, counting and skipping lines the same way, finding the same rate
// and gaps) but keeps no samples; each replay reads it again through CsvReader and hands the samples on in blocks
// of kBlockSamples. What it does not cover it says in words, and the caller imports the file whole: a folder, a zip,
// two files joined, the WitMotion binary and Movesense JSON formats, and an irregular clock (which import_input
// resamples). Any other reader that yields samples in order (e.g. a binary native format) can stand behind the same
// replay.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stride/recording_io.hpp"

namespace stride::io {

inline constexpr std::size_t kBlockSamples = 8192;

using SampleSink = std::function<void(std::span<const ImuSample>)>;

struct StreamedFile {
  // As import_input gives it (meta, gaps, clock marks, report with the hash), without the samples.
  Imported header;
  // Reads the file again from the start: every sample, in order, in blocks. Throws ImportError if the file can no
  // longer be opened.
  std::function<void(const SampleSink&)> replay;
};

struct StreamedOpen {
  std::optional<StreamedFile> file;  // empty: not covered
  std::string not_covered;           // why, in words
};

// Throws ImportError as import_input does (a file that cannot be read at all). `first_read`, if set, is given the
// samples of the first read as they come (so a caller can gather statistics without a pass of its own). `refuse`,
// if set, sees the metadata once the header is read and may stop there with a reason (before any sample is read).
StreamedOpen open_streamed(const std::vector<std::string>& parts, const ImportOptions& options = {},
                           const SampleSink& first_read = {},
                           const std::function<std::string(const RecordingMeta&)>& refuse = {});

// True when open_streamed would read `parts` as a .strideb, whose replay is already a copy at memory speed (so a
// caller need not keep the samples of the first read elsewhere, as it may for a text file: sample_spool.hpp).
bool replays_binary(const std::vector<std::string>& parts, const ImportOptions& options = {});

}  // namespace stride::io
