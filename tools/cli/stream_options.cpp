#include "tools/cli/stream_options.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace stride::cli {

using session::LiveInputOptions;
using session::new_session_id;

void add_stream_options(CLI::App* cmd, LiveInputOptions& in, SensorArgs& sensors) {
  cmd->add_option("--port,-p", sensors.ports,
                  "DEVICE (e.g. /dev/ttyACM0, a ble-serial pty) | tcp://HOST:PORT | udp://:PORT; twice for two "
                  "sensors (with --side left --side right)")
      ->required();
  cmd->add_option("--baud", in.baud,
                  "Serial baud rate (always set, with 8N1 and no flow control); 9600 to 921600 (bare WitMotion "
                  "modules ship at 9600, enclosed ones at 115200)")
      ->capture_default_str();
  cmd->add_option("--format", in.format,
                  "auto | text | binary | witmotion (WitMotion 0x55 packets: WT901, JY901, BWT901; BLE 0x55 0x61 "
                  "frames; the clock from 0x50 time packets, else --rate, else 10 Hz)")
      ->check(CLI::IsMember({"auto", "text", "binary", "witmotion"}))
      ->capture_default_str();
  cmd->add_option("--side", sensors.sides, "left | right (one per --port)")
      ->check(CLI::IsMember({"left", "right", "unknown"}));
  cmd->add_option("--placement", in.placement, "shoe | shin (a shin sensor's events follow the shank's rules)")
      ->check(CLI::IsMember({"shoe", "shin"}))
      ->capture_default_str();
  cmd->add_option("--duration", in.duration_s, "Stop after this many seconds (default: until Ctrl-C)");
  auto* force = cmd->add_flag("--force", sensors.force, "Overwrite an existing --out file");
  cmd->add_flag("--out-auto", sensors.out_auto,
                "When an --out file exists, write NAME-1.csv (the first free NAME-N) instead of refusing")
      ->excludes(force);
  cmd->add_option("--give-up", in.give_up_s, "Exit when bytes arrive but nothing is recognised for this long (s)")
      ->capture_default_str();
}

std::optional<std::vector<LiveInputOptions>> sensor_options(const LiveInputOptions& common, const SensorArgs& a,
                                                            bool one_out_for_all) {
  const std::size_t n = a.ports.size();
  if (n > 1 && a.sides.size() != n) {
    fmt::print(stderr, "{}: {} ports: give one --side for each (--side left --side right)\n", common.who, n);
    return std::nullopt;
  }
  const bool outs_ok = a.outs.empty() || a.outs.size() == n || (one_out_for_all && a.outs.size() == 1);
  if (a.sides.size() > n || !outs_ok) {
    fmt::print(stderr, "{}: {} --port, {} --side, {} --out: give one --side and one --out per --port{}\n", common.who,
               n, a.sides.size(), a.outs.size(), one_out_for_all ? " (or one --out, named for all)" : "");
    return std::nullopt;
  }
  const std::string session = new_session_id();  // files recorded together pair up in `analyze`
  std::vector<LiveInputOptions> opts(n, common);
  for (std::size_t k = 0; k < n; ++k) {
    auto& o = opts[k];
    o.port = a.ports[k];
    if (k < a.sides.size()) o.side = a.sides[k];
    o.session_id = session;
    if (a.outs.size() == n) {
      o.out = a.outs[k];
    } else if (!a.outs.empty()) {  // one name for all: run.csv -> run_left.csv, run_right.csv
      const std::filesystem::path p(a.outs[0]);
      o.out = n == 1 ? a.outs[0]
                     : (p.parent_path() / (p.stem().string() + "_" + o.side + p.extension().string())).string();
    }
    o.who = n > 1 ? common.who + " (" + o.side + ")" : common.who;
    std::error_code ec;
    if (o.out.empty() || a.force || !std::filesystem::exists(o.out, ec)) continue;
    if (!a.out_auto) {
      fmt::print(stderr, "{}: '{}' exists: not overwritten. Give another --out, --out-auto (takes the next free "
                 "NAME-N), or --force (overwrites it)\n", o.who, o.out);
      return std::nullopt;
    }
    const std::filesystem::path p(o.out);
    for (int k = 1;; ++k) {
      const auto next = p.parent_path() / (p.stem().string() + "-" + std::to_string(k) + p.extension().string());
      if (!std::filesystem::exists(next, ec)) {
        fmt::print(stderr, "{}: '{}' exists: writing '{}'\n", o.who, o.out, next.string());
        o.out = next.string();
        break;
      }
    }
  }
  return opts;
}

}  // namespace stride::cli
