#include "tools/cli/save_options.hpp"

#include <fmt/format.h>

#include "tools/cli/commands.hpp"

namespace stride::cli {

using nlohmann::json;
using namespace history;

void add_save_options(CLI::App* cmd, HistoryCliOptions& o) {
  auto* save = cmd->add_flag("--save", o.save,
                             "Save each session to the training history and add the load flags (docs/history.md)");
  cmd->add_option("--db", o.db, "History database (default $XDG_DATA_HOME/stride/history.sqlite, else "
                                "~/.local/share/stride/history.sqlite)")->needs(save);
  cmd->add_option("--athlete", o.save_options.athlete, "Athlete to save the session under (default: the recording's)")
      ->needs(save);
  cmd->add_option("--shoe", o.save_options.shoe, "Shoe the session was run in (default: the recording's)")->needs(save);
  cmd->add_option("--date", o.save_options.date,
                  "Start of the session, ISO 8601 (YYYY-MM-DD[THH:MM]); default: the recording's start time, else "
                  "its host or device clock, else the file's modification time (with a warning)")
      ->needs(save)
      ->check(CLI::Validator(
          [](std::string& s) { return parse_iso_day(s) ? std::string() : "expected ISO 8601, e.g. 2025-03-02T07:30"; },
          "ISO8601"));
}

int save_analyzed(const HistoryCliOptions& o, const FlagSettings& flag_settings, const json& doc,
                  std::vector<Flag>& flags) {
  const auto [file, valid] = history::document_inputs(doc);
  if (!(valid > 0)) {
    fmt::print(stderr, "stride analyze: {}: not saved to the history (no valid strides)\n", file);
    return kOk;
  }
  SaveOptions so = o.save_options;
  so.flag_settings = flag_settings;
  try {
    const std::string path = o.db.empty() ? default_db_path() : o.db;
    const SaveResult r = save_session(path, doc, so);
    fmt::print(stderr, "stride analyze: {}: {} session {} in {} (start {}, from {}{})\n", file,
               r.replaced ? "updated" : "saved as", r.session_id, path, r.start_time,
               r.date_source == "--date" ? "" : "the ", r.date_source);
    if (!r.date_warning.empty()) fmt::print(stderr, "stride analyze: warning: {}\n", r.date_warning);
    flags.insert(flags.end(), r.load_flags.begin(), r.load_flags.end());
    return kOk;
  } catch (const HistoryError& e) {
    fmt::print(stderr, "stride analyze: --save: {}\n", e.what());
    return e.exit_code();
  }
}

}  // namespace stride::cli
