// The `stride` subcommands. Each file adds one verb to the app; main.cpp only wires them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "stride/exit_codes.hpp"

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
Action add_batch(CLI::App& app);

}  // namespace stride::cli
