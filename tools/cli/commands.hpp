// The `stride` subcommands. Each file adds one verb to the app; main.cpp only wires them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "stride/exit_codes.hpp"

namespace stride::session {
struct FitExportOptions;
}

namespace stride::cli {


// A subcommand registers itself and returns the action main runs when that subcommand was chosen.
using Action = std::function<int()>;

Action add_analyze(CLI::App& app);
Action add_simulate(CLI::App& app);
Action add_ports(CLI::App& app);
Action add_record(CLI::App& app);
Action add_replay(CLI::App& app);
Action add_live(CLI::App& app);
Action add_report(CLI::App& app);
Action add_history(CLI::App& app);
Action add_formats(CLI::App& app);
Action add_export(CLI::App& app);
Action add_compare(CLI::App& app);
Action add_convert(CLI::App& app);

// Writes a session document as FIT (stride export, stride analyze --fit); messages to stderr prefixed by `verb`.
int write_fit_for(const nlohmann::json& doc, const std::string& path, const session::FitExportOptions& options,
                  const char* verb);
Action add_batch(CLI::App& app);

}  // namespace stride::cli
