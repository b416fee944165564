// The `stride` subcommands. Each file adds one verb to the app; main.cpp only wires them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace stride::cli {

// Exit codes (clig.dev): distinct for bad arguments, bad input and system failures.
enum Exit : int { kOk = 0, kBadInput = 1, kBadArguments = 2, kSystemFailure = 3 };

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

}  // namespace stride::cli
