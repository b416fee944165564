// FlagSettings <-> JSON: `stride analyze --flags-settings FILE` reads a small JSON object whose keys are the
// FlagSettings field names (docs/flags.md lists them with units and defaults); unknown keys are an error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "stride/flag.hpp"

namespace stride::session {

// Throws std::runtime_error naming the file and the key (unknown key, not a number, out of range).
FlagSettings load_flag_settings(const std::string& path);
// For a command's --flags-settings option: loads `path` into `out` unless it is empty. On a bad file, says why
// (prefixed with `who`) and returns false.
bool load_flag_settings_option(const std::string& path, const char* who, FlagSettings& out);
nlohmann::json flag_settings_json(const FlagSettings& s);
nlohmann::json flags_json(const std::vector<Flag>& flags);

}  // namespace stride::session
