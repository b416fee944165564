// One session from its files to its document: import, analyse (one sensor or two feet), evaluate the flags,
// and build the JSON document (docs/session-json.md). Used by `analyze` and by `report` given recordings.
#pragma once

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "analysis/flags.hpp"
#include "analysis/pipeline.hpp"
#include "stride/recording_io.hpp"
#include "tools/session/streamed_document.hpp"
#include "tools/session/two_feet.hpp"

namespace stride::session {

struct AnalyzeRequest {
  io::ImportOptions import;            // sensor "both": a file holding both feet (gaitmap layout)
  std::string side;                    // override the metadata: left | right ("" = as declared)
  std::string placement;               // shoe | shin ("" = as declared)
  PipelineSettings settings;
  FlagSettings flag_settings;
  std::FILE* summary = nullptr;        // the terminal summary goes here (nullptr: none)
  std::ostream* csv = nullptr;         // one row per stride (header written by the caller)
  // Called with the session's document and flags before anything is printed or returned: e.g. the history saves
  // the session and adds its load flags (which then appear in the summary and the document). The strides are not
  // in the document yet (materialise() gives every foot's "strides": []): summaries, flags and metadata are. Returns
  // an exit code; anything but kOk ends the session with that error.
  std::function<int(const StreamedDocument& doc, std::vector<Flag>& flags)> before_output;
  // Each sensor's file (one, or each of two feet): read in passes with flat memory (analysis/streaming_pipeline.hpp)
  // when that path covers it, else imported whole. false: always whole (for comparison).
  bool streaming = true;
  // ... and only when it holds more than this many samples (the first read counts them): a smaller one is held from
  // that read and analysed whole, which costs less CPU than the passes. 400 k (~6.7 min at 1 kHz) keeps a held file
  // under 64 MiB (~148 B a sample held: 58 MiB just under it; at 500 k, 66 MiB). 0: stream every file the path covers.
  std::size_t stream_above_samples = 400'000;
  // A streamed text file: its samples are kept from the first read in a temporary binary file (created unlinked in
  // spool_dir; empty: $TMPDIR, else /tmp; firmware_iface/import/sample_spool.hpp) that the later passes read instead
  // of parsing the text again. When it cannot be written, each pass reads the file again and the document's
  // input notes say so. false: no spool (every pass parses the file, for comparison).
  bool spool = true;
  std::string spool_dir;
  // One sensor only: receives every sample's smoothed pose (--trajectory).
  std::function<void(std::size_t, const FootPose&)> trajectory_sink;
};

struct SessionOutcome {
  std::string label;                   // the file, or "LEFT + RIGHT"
  // Null when a file could not be read. Written with write_document_file/_stdout (flat in the strides); readers
  // of the whole JSON call doc.materialise().
  StreamedDocument doc;
  std::string error;                   // why nothing was analysed (an import error names the file and line)
  int exit_code = 0;                   // before_output's failure, if any
  bool analysed() const { return error.empty(); }   // strides were found
};

SessionOutcome analyse_session(const SessionFiles& files, const AnalyzeRequest& request);

}  // namespace stride::session
