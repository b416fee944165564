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

struct SessionInput {
  std::string path;
  std::string content_hash;      // FNV-1a 64 of the file's bytes, hex: ties a report to its input
  const io::Imported* imported;
  const SessionResult* result;
  const PipelineSettings* settings;
  const std::vector<Flag>* flags = nullptr;         // the knee-pain flags, if evaluated
  const FlagSettings* flag_settings = nullptr;
};

// Both feet of one session (docs/session-json.md, "two_feet").
struct TwoFeetInput {
  SessionInput left, right;      // each foot as above, without flags
  const BilateralResult* bilateral;
  const ClockAlignment* clock;
  const std::vector<Flag>* flags = nullptr;
};

// One stride as in `analyze --json` (NaN spatial metrics as null); `live --json` prints these, one a line.
nlohmann::json stride_json(const Stride& stride);
nlohmann::json session_to_json(const SessionInput& in);
// Every string and key of `doc` as valid UTF-8 (utf8::to_valid: bytes of other encodings decoded, none dropped).
void make_valid_utf8(nlohmann::json& doc);
nlohmann::json two_feet_session_to_json(const TwoFeetInput& in);
void write_stride_csv_header(std::ostream& out);
void write_stride_csv_rows(std::ostream& out, const std::string& file, const std::vector<Stride>& strides);
// The same hash over several files read one after the other (one sensor in two files).
std::string hash_files(const std::vector<std::string>& paths);
std::string hash_file(const std::string& path);
// The input's hash for the document: the one import_input computed while reading, else (a folder, a zip) the files
// it read (report.files), else `paths`, read again.
std::string input_hash(const io::Imported& imported, const std::vector<std::string>& paths);

}  // namespace stride::session
