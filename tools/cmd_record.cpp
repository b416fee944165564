// `stride record`: a board's live stream (serial port, pseudo-terminal, TCP or UDP bridge) -> stride's native CSV.
// The file is appended and flushed several times a second, so a crash or `kill -9` loses well under a second and
// leaves a readable file; SIGINT/SIGTERM end cleanly with a summary (counts, damage, dropouts) on stderr.
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "live_input.hpp"

namespace stride::cli {
namespace {

using RecordOptions = LiveInputOptions;

int run(const RecordOptions& o) {
  LiveInput in(o);
  if (const int rc = in.run({}); rc != kOk) return rc;
  return in.report();
}

}  // namespace

Action add_record(CLI::App& app) {
  auto o = std::make_shared<RecordOptions>();
  auto* cmd = app.add_subcommand("record", "Record a board's live stream (serial, pty, TCP, UDP) to a native CSV");
  cmd->add_option("--port,-p", o->port, "DEVICE (e.g. /dev/ttyACM0, a ble-serial pty) | tcp://HOST:PORT | udp://:PORT")
      ->required();
  cmd->add_option("--baud", o->baud, "Serial baud rate (always set, with 8N1 and no flow control)")
      ->capture_default_str();
  cmd->add_option("--out,-o", o->out, "Recording to write (stride native CSV)")->required();
  cmd->add_option("--placement", o->placement, "shoe | shin")->check(CLI::IsMember({"shoe", "shin"}))->capture_default_str();
  cmd->add_option("--side", o->side, "left | right")->check(CLI::IsMember({"left", "right", "unknown"}));
  cmd->add_option("--athlete", o->athlete, "Athlete's name or id");
  cmd->add_option("--shoe", o->shoe, "Shoe");
  cmd->add_option("--format", o->format, "auto | text | binary")
      ->check(CLI::IsMember({"auto", "text", "binary"}))
      ->capture_default_str();
  cmd->add_option("--acc-unit", o->text.acc_unit, "Text: auto | g | m/s^2")->capture_default_str();
  cmd->add_option("--gyr-unit", o->text.gyr_unit, "Text: auto | deg/s | rad/s")->capture_default_str();
  cmd->add_option("--time-unit", o->text.time_unit, "Text: auto | s | ms | us | ns | none")->capture_default_str();
  cmd->add_option("--rate", o->text.rate_hz, "Text: sample rate in Hz when the lines carry no time");
  cmd->add_option("--duration", o->duration_s, "Stop after this many seconds (default: until Ctrl-C)");
  cmd->add_option("--give-up", o->give_up_s, "Exit when bytes arrive but nothing is recognised for this long (s)")
      ->capture_default_str();
  return [o] { return run(*o); };
}

}  // namespace stride::cli
