// The stream options of `record` and `live` (--port, --baud, --format, --side, --placement, --duration,
// --give-up) and the per-sensor options they become.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tools/session/live_input.hpp"

namespace stride::cli {

// The sensors of one session as given on the command line: --port once, or several times with one --side each.
struct SensorArgs {
  std::vector<std::string> ports, sides, outs;
  bool force = false;      // --force: an existing --out is overwritten
  bool out_auto = false;   // --out-auto: an existing --out becomes NAME-1.csv, NAME-2.csv, ... (the first free one)
};

// --port, --baud, --format, --side, --duration and --give-up: what `record` and `live` read a stream with;
// --force and --out-auto: what happens when an --out file exists.
void add_stream_options(CLI::App* cmd, session::LiveInputOptions& in, SensorArgs& sensors);

// Each sensor's options: `common` with its port, side and file, one session id for all, and messages prefixed
// with its side when there are several. `outs`: none or one per port, or with `one_out_for_all` one name for
// all (run.csv -> run_left.csv, run_right.csv). An existing file is never overwritten unless --force (or, with
// --out-auto, the next free name is taken). Prints what is wrong and returns nullopt.
std::optional<std::vector<session::LiveInputOptions>> sensor_options(const session::LiveInputOptions& common, const SensorArgs& sensors,
                                                            bool one_out_for_all);

}  // namespace stride::cli
