// `stride record`: a board's live stream (serial port, pseudo-terminal, TCP or UDP bridge) -> stride's native CSV,
// or its binary .strideb when --out ends so (one checksummed block per flush).
// The file is appended and flushed several times a second, so a crash or `kill -9` loses well under a second and
// leaves a readable file; SIGINT/SIGTERM end cleanly with a summary (counts, damage, dropouts) on stderr.
// Two sensors (--port twice, --side left --side right) record one session: each file names the session and
// notes the host clock about once a second, so `analyze` puts both feet on one clock.
#include <fmt/format.h>

#include <memory>

#include "tools/session/analyze_session.hpp"
#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/save_options.hpp"
#include "tools/history/history_save.hpp"
#include "tools/cli/stream_options.hpp"
#include "tools/session/live_input.hpp"

namespace stride::cli {
using namespace session;
using namespace history;
namespace {

struct RecordOptions {
  LiveInputOptions in;
  SensorArgs sensors;                            // one --out per port, or one for all: NAME_left, NAME_right
  HistoryCliOptions history;                     // --save [--db]: analyse the recording when it ends, and save it
};

// `--save`: the files just written, analysed as `analyze` does (two sensors: one two-feet session) and saved to
// the history, with the load flags on stderr.
int save_recorded(const RecordOptions& o, const std::vector<LiveInputOptions>& written) {
  std::vector<std::string> files;
  for (const auto& x : written) files.push_back(x.out);
  AnalyzeRequest request;
  request.summary = stderr;
  request.before_output = [&o](const StreamedDocument& doc, std::vector<Flag>& flags) {
    return save_analyzed(o.history, FlagSettings{}, doc.without_strides(), flags);  // reads no stride
  };
  int worst = kOk;
  for (const auto& session : plan_sessions(files, true)) {
    const SessionOutcome out = analyse_session(session, request);
    if (out.exit_code != 0) return out.exit_code;
    if (!out.analysed()) {
      fmt::print(stderr, "stride record: not saved to the history: {}\n", out.error);
      worst = std::max<int>(worst, kBadInput);
    }
  }
  return worst;
}

int run(const RecordOptions& o) {
  const auto opts = sensor_options(o.in, o.sensors, true);
  if (!opts) return kBadArguments;
  std::vector<std::unique_ptr<LiveInput>> inputs;
  for (const auto& x : *opts) inputs.push_back(std::make_unique<LiveInput>(x));
  const std::vector<int> rcs = run_inputs(inputs, [](std::size_t) { return LiveInput::Handlers{}; });
  int worst = kOk;
  for (std::size_t k = 0; k < inputs.size(); ++k) worst = std::max(worst, rcs[k] != kOk ? rcs[k] : inputs[k]->report());
  if (o.history.save && worst == kOk) return save_recorded(o, *opts);
  return worst;
}

}  // namespace

Action add_record(CLI::App& app) {
  auto o = std::make_shared<RecordOptions>();
  auto* cmd = app.add_subcommand("record",
                                 "Record a board's live stream (serial, pty, TCP, UDP) to a native CSV or .strideb");
  add_stream_options(cmd, o->in, o->sensors);
  cmd->add_option("--out,-o", o->sensors.outs,
                  "Recording to write (stride native CSV; NAME.strideb: binary, docs/strideb.md); one per --port, "
                  "or one name for two sensors (run.csv -> run_left.csv, run_right.csv)")
      ->required();
  cmd->add_option("--athlete", o->in.athlete, "Athlete's name or id");
  cmd->add_option("--shoe", o->in.shoe, "Shoe");
  cmd->add_option("--acc-unit", o->in.text.acc_unit, "Text: auto | g | m/s^2 | mg")
      ->capture_default_str()
      ->check(acc_unit());
  cmd->add_option("--gyr-unit", o->in.text.gyr_unit, "Text: auto | deg/s (dps) | rad/s | mdps")
      ->capture_default_str()
      ->check(gyr_unit());
  cmd->add_option("--time-unit", o->in.text.time_unit, "Text: auto | s | ms | us | ns | none")
      ->capture_default_str()
      ->check(time_unit() | CLI::IsMember({"none"}));
  cmd->add_option("--rate", o->in.text.rate_hz,
                  "Text: sample rate in Hz when the lines carry no time; WitMotion: the board's output rate (else "
                  "its 0x50 time packets, else the factory default 10 Hz)");
  auto* save = cmd->add_flag("--save", o->history.save,
                             "When the recording ends, analyse it and save the session to the training history");
  cmd->add_option("--db", o->history.db, "History database (default: see `stride history --help`)")->needs(save);
  return [o] { return run(*o); };
}

}  // namespace stride::cli
