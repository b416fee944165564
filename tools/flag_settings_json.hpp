// FlagSettings <-> JSON: `stride analyze --flags-settings FILE` reads a small JSON object whose keys are the
// FlagSettings field names (docs/flags.md lists them with units and defaults); unknown keys are an error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/flags.hpp"
#include "stride/flag.hpp"

namespace stride::cli {

// Throws std::runtime_error naming the file and the key (unknown key, not a number, out of range).
FlagSettings load_flag_settings(const std::string& path);
nlohmann::json flag_settings_json(const FlagSettings& s);
nlohmann::json flags_json(const std::vector<Flag>& flags);

}  // namespace stride::cli
