// `stride compare SESSION watch.fit`: stride's cadence, contact time, step length, speed and distance beside a
// watch's, lined up on the wall clock (docs/fit.md). `--calibrate-from watch.fit`: the distance factor.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include "tools/cli/commands.hpp"
#include "tools/session/fit_compare.hpp"
#include "tools/session/output_file.hpp"

namespace stride::cli {
namespace {

struct CompareCliOptions {
  std::string session;
  std::string watch;
  std::string calibrate_from;
  std::string start;
  double offset_s = 0;
  bool json = false;
};

int run(const CompareCliOptions& o) {
  const std::string watch_path = o.watch.empty() ? o.calibrate_from : o.watch;
  if (watch_path.empty()) {
    fmt::print(stderr, "stride compare: give the watch's FIT file (stride compare SESSION watch.fit, or "
                       "--calibrate-from watch.fit)\n");
    return kBadArguments;
  }
  nlohmann::json doc;
  fit::FitFile watch;
  try {
    doc = session::load_session_document(o.session);
    watch = fit::read_file(watch_path);
  } catch (const std::exception& e) {
    fmt::print(stderr, "stride compare: {}\n", e.what());
    return kBadInput;
  }
  session::CompareOptions co;
  co.offset_s = o.offset_s;
  co.start_iso = o.start;
  session::CompareResult r;
  try {
    r = session::compare_with_watch(doc, watch, co);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "stride compare: {}\n", e.what());
    return kBadInput;
  }
  for (const auto& w : r.warnings) fmt::print(stderr, "stride compare: {}\n", w);
  if (!r.overlap) {
    fmt::print(stderr, "stride compare: {}\n", r.message);
    if (o.json) session::write_stdout(session::compare_to_json(r).dump(2) + "\n");
    return kBadInput;
  }
  if (o.json) {
    session::write_stdout(session::compare_to_json(r).dump(2) + "\n");
  } else if (!o.calibrate_from.empty() && o.watch.empty()) {
    if (!std::isfinite(r.calibration_factor)) {
      fmt::print(stderr, "stride compare: no distance on both sides over the overlap: no calibration factor\n");
      return kBadInput;
    }
    session::write_stdout(fmt::format("calibration factor {:.4f} (watch {:.1f} m / stride {:.1f} m over {} to {})\n",
                                      r.calibration_factor, r.watch_distance_m, r.stride_distance_m,
                                      session::iso_utc(r.segments.front().from_unix_s),
                                      session::iso_utc(r.segments.front().to_unix_s)));
  } else {
    session::write_stdout(session::compare_table(r));
  }
  return kOk;
}

}  // namespace

Action add_compare(CLI::App& app) {
  auto o = std::make_shared<CompareCliOptions>();
  auto* cmd = app.add_subcommand("compare", "Put a session beside a watch's FIT file (lined up on time)");
  cmd->add_option("session", o->session, "A session JSON (stride analyze --json) or a recording")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("watch", o->watch, "The watch's FIT activity")->check(CLI::ExistingFile);
  cmd->add_option("--calibrate-from", o->calibrate_from,
                  "Print the distance factor watch GPS / stride from this FIT file")
      ->check(CLI::ExistingFile);
  cmd->add_option("--offset", o->offset_s, "Seconds added to the session's times (when a clock was off)");
  cmd->add_option("--start", o->start, "The session's start time, ISO 8601 (no offset = UTC); default: the recording's");
  cmd->add_flag("--json", o->json, "Write the comparison as JSON to stdout");
  return [o] { return run(*o); };
}

}  // namespace stride::cli
