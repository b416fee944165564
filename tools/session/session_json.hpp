// The session as JSON (one document per session) and as CSV (one row per stride). Field names carry units.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "analysis/flags.hpp"
#include "analysis/pipeline.hpp"
#include "stride/recording_io.hpp"
#include "tools/session/two_feet.hpp"

namespace stride::session {

// One sensor: the foot's content, and the session's flags.
struct SessionInput {
  std::string path;
  std::string content_hash;      // FNV-1a 64 of the file's bytes, hex: ties a report to its input
  const io::Imported* imported;
  const SessionResult* result;
  const PipelineSettings* settings;
  const std::vector<Flag>* flags = nullptr;         // the knee-pain flags, if evaluated
  const FlagSettings* flag_settings = nullptr;
};

// Both feet of one session (docs/session-json.md).
struct TwoFeetInput {
  SessionInput left, right;      // each foot as above; their `flags` are not read (the session's are below)
  const BilateralResult* bilateral;
  const ClockAlignment* clock;
  const std::vector<Flag>* flags = nullptr;
};

// One stride as in `analyze --json` (NaN spatial metrics as null); `live --json` prints these, one a line.
nlohmann::json stride_json(const Stride& stride);
// One foot's (or shin's) content: input, settings, metadata, import, data quality, summary, spatial, warnings …
// and "strides": [] (the strides' objects are StreamedDocument's: they dominate the document's size).
nlohmann::json foot_without_strides_json(const SessionInput& in);
// The session document ("schema": "stride.session/2") without the strides' objects: one sensor is a document with
// one foot, under its declared side ("left", "right", else "unknown"), "bilateral": null; two feet have both and
// the bilateral part. StreamedDocument (streamed_document.hpp) puts the strides in, as they are written.
nlohmann::json session_without_strides_json(const SessionInput& in);
nlohmann::json two_feet_session_without_strides_json(const TwoFeetInput& in);
// The session's flags as the document holds them: a flag's "side" is "left", "right", "both" or "unknown" (one
// sensor whose side was not declared), as the keys of "feet".
nlohmann::json session_flags_json(const std::vector<Flag>& flags);
// Every string and key of `doc` as valid UTF-8 (utf8::to_valid: bytes of other encodings decoded, none dropped).
void make_valid_utf8(nlohmann::json& doc);
void write_stride_csv_header(std::ostream& out);
void write_stride_csv_rows(std::ostream& out, const std::string& file, const std::vector<Stride>& strides);
// The same hash over several files read one after the other (one sensor in two files).
std::string hash_files(const std::vector<std::string>& paths);
std::string hash_file(const std::string& path);
// The input's hash for the document: the one import_input computed while reading, else (a folder, a zip) the files
// it read (report.files), else `paths`, read again.
std::string input_hash(const io::Imported& imported, const std::vector<std::string>& paths);

}  // namespace stride::session
