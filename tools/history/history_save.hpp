// Saving an analysed session to the history and adding the load flags (load_spike, weekly_jump, shoe_wear) that
// the history supports. `analyze --save` calls save_analyzed(); `record --save` can call save_session() with the
// session document (docs/session-json.md, one sensor or two feet).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "analysis/load_flags.hpp"
#include "tools/history/history_store.hpp"
#include "stride/flag.hpp"

namespace stride::history {

struct SaveOptions {
  std::string athlete;         // overrides the recording's athlete when not empty
  std::string shoe;            // overrides the recording's shoe when not empty
  std::string date;            // ISO 8601 (YYYY-MM-DD[THH:MM[:SS]]): the session's start, overriding the recording's
  FlagSettings flag_settings;  // the load-flag thresholds
};

struct SaveResult {
  std::int64_t session_id = 0;
  bool replaced = false;       // the same input was saved before: updated
  std::string start_time;      // as stored
  std::string date_source;     // see SessionDate::source
  std::string date_warning;    // not empty when the date is a guess (file time, time of saving): print it
  std::vector<Flag> load_flags;  // computed from the history, stored with the session
};

// Saves `doc` (the document session_to_json returns, or a two-feet document) into the database at `db_path`
// (created when missing) and returns the load flags, which are stored with the session. Throws HistoryError.
SaveResult save_session(const std::string& db_path, const nlohmann::json& doc, const SaveOptions& options);

// $XDG_DATA_HOME/stride/history.sqlite, else ~/.local/share/stride/history.sqlite.
std::string default_db_path();

// The session row a document becomes (without load flags); `date_warning` gets SessionDate::warning. Exposed for
// tests.
SessionRow session_row_from_document(const nlohmann::json& doc, const SaveOptions& options,
                                     std::string* date_warning = nullptr);

// A session document's feet (docs/session-json.md, read by tools/document: "stride.session/2" and the earlier
// layouts) as (side, foot document) pairs, left before right. An earlier one-sensor document is its own foot
// (side from metadata.side, "unknown" when not declared). Throws HistoryError (kBadInput) for anything else,
// naming an unknown schema.
std::vector<std::pair<std::string, const nlohmann::json*>> document_feet(const nlohmann::json& doc);

// When a session started, and how that is known. In order: `date_option` (--date); the recording's start_time;
// the recorder's host clock at the first sample (metadata.extra.host_t0_unix_s); the device's own clock when its
// first time stamp is a Unix time (metadata.extra.device_t0 in import.time_unit, between 2000 and 2100); the input
// file's modification time; the time of saving. The last two are guesses and come with a warning naming the file.
// Unix times become local calendar time, as start_day counts days. Throws HistoryError for a bad date_option.
struct SessionDate {
  std::string start_time;      // ISO 8601
  double start_day = 0;        // parse_iso_day(start_time)
  std::string source;          // "--date", "metadata", "host clock", "device clock", "file modification time",
                               // "time of saving"
  std::string warning;         // "FILE: dated by the file's modification time (...); pass --date to set it", or ""
};
SessionDate session_date(const nlohmann::json& doc, const std::string& date_option);
// The plain input of the load flags for a stored session.
LoadSession load_session_from_row(const SessionRow& row);

// ISO 8601 date or date-time -> days since 1970-01-01 of that local calendar time; nullopt when malformed. A
// trailing 'Z' or +-HH:MM offset is accepted and ignored (the runner's local calendar is what counts).
std::optional<double> parse_iso_day(const std::string& iso);

// The input file(s) ("L + R" for two feet) and the count of valid strides of a session document.
struct DocumentInputs {
  std::string file;
  double valid_strides = 0;
};
DocumentInputs document_inputs(const nlohmann::json& doc);

}  // namespace stride::history
