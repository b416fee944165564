// `--save` and its options (analyze, record): put an analysed session into the training history
// (tools/history) and add its load flags to the session's flags.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "stride/flag.hpp"
#include "tools/history/history_save.hpp"

namespace stride::cli {

struct HistoryCliOptions {
  bool save = false;
  std::string db;
  history::SaveOptions save_options;
};
void add_save_options(CLI::App* cmd, HistoryCliOptions& o);
// Saves one analysed session, appends its load flags to `flags` (so the terminal summary and --json carry them),
// and says on stderr where it went. Returns kOk, or an exit code after printing why.
int save_analyzed(const HistoryCliOptions& o, const FlagSettings& flag_settings, const nlohmann::json& doc,
                  std::vector<Flag>& flags);

}  // namespace stride::cli
