// `stride compare SESSION watch.fit`: stride's cadence, contact time, step length, speed and distance beside a
// watch's, lined up on the wall clock (docs/fit.md). `--calibrate-from watch.fit`: the distance factor.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/document/session_document.hpp"
#include "tools/history/history_save.hpp"
#include "tools/history/history_store.hpp"
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
  bool save = false;            // --calibrate-from: store the factor in the history
  std::string db, athlete, shoe;
};

// The factor into the history under the athlete and shoe (given, else the recording's).
int save_calibration(const CompareCliOptions& o, const nlohmann::json& doc, const session::CompareResult& r,
                     const std::string& watch_path) {
  const auto feet = document::feet(doc);  // any layout; two feet: the left's metadata
  const nlohmann::json meta = feet.empty() ? nlohmann::json::object()
                                           : feet.front().doc->value("metadata", nlohmann::json::object());
  history::CalibrationRow row;
  row.athlete = !o.athlete.empty() ? o.athlete : meta.value("athlete", std::string());
  row.shoe = !o.shoe.empty() ? o.shoe : meta.value("shoe", std::string());
  row.factor = r.calibration_factor;
  row.watch_distance_m = r.watch_distance_m;
  row.stride_distance_m = r.stride_distance_m;
  row.watch_file = watch_path;
  row.session_start = session::iso_utc(r.segments.front().from_unix_s);
  const std::string path = o.db.empty() ? history::default_db_path() : o.db;
  try {
    history::HistoryStore store(path, history::HistoryStore::Mode::read_write);
    const auto id = store.save_calibration(row);
    fmt::print(stderr, "stride compare: calibration {} saved in {} (athlete '{}', shoe '{}')\n", id, path, row.athlete,
               row.shoe);
    return kOk;
  } catch (const history::HistoryError& e) {
    fmt::print(stderr, "stride compare: --save: {}\n", e.what());
    return e.exit_code();
  }
}

int run(const CompareCliOptions& o) {
  const std::string watch_path = o.watch.empty() ? o.calibrate_from : o.watch;
  if (o.save && o.calibrate_from.empty()) {
    fmt::print(stderr, "stride compare: --save stores a calibration: give --calibrate-from watch.fit\n");
    return kBadArguments;
  }
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
    if (o.save)
      if (const int rc = save_calibration(o, doc, r, watch_path); rc != kOk) return rc;
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
      ->check(existing_file());
  cmd->add_option("watch", o->watch, "The watch's FIT activity")->check(existing_file());
  cmd->add_option("--calibrate-from", o->calibrate_from,
                  "Print the distance factor watch GPS / stride from this FIT file")
      ->check(existing_file());
  cmd->add_option("--offset", o->offset_s, "Seconds added to the session's times (when a clock was off)");
  cmd->add_option("--start", o->start, "The session's start time, ISO 8601 (no offset = UTC); default: the recording's");
  cmd->add_flag("--json", o->json, "Write the comparison as JSON to stdout");
  auto* save = cmd->add_flag("--save", o->save,
                             "With --calibrate-from: store the factor in the history for the athlete and shoe");
  cmd->add_option("--db", o->db, "History database (default as for analyze --save)")->needs(save);
  cmd->add_option("--athlete", o->athlete, "Athlete for --save (default: the recording's)")->needs(save);
  cmd->add_option("--shoe", o->shoe, "Shoe for --save (default: the recording's)")->needs(save);
  return [o] { return run(*o); };
}

}  // namespace stride::cli
