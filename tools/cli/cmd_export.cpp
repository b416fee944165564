// `stride export SESSION --fit run.fit`: a session (its JSON document, or a recording analysed on the way) as a
// FIT activity for watches' and runners' tools (docs/fit.md).
#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/fit_compare.hpp"
#include "tools/session/fit_export.hpp"

namespace stride::cli {
namespace {

struct ExportOptions {
  std::string session;
  std::string fit_path;
  std::string start;
  double lap_m = 1000;
};

int run(const ExportOptions& o) {
  nlohmann::json doc;
  try {
    doc = session::load_session_document(o.session);
  } catch (const std::exception& e) {
    fmt::print(stderr, "stride export: {}\n", e.what());
    return kBadInput;
  }
  session::FitExportOptions fo;
  fo.start_iso = o.start;
  fo.lap_m = o.lap_m;
  return write_fit_for(doc, o.fit_path, fo, "stride export");
}

}  // namespace

int write_fit_for(const nlohmann::json& doc, const std::string& path, const session::FitExportOptions& options,
                  const char* verb) {
  try {
    const auto r = session::export_fit(doc, path, options);
    for (const auto& w : r.warnings) fmt::print(stderr, "{}: {}\n", verb, w);
    fmt::print(stderr, "{}: wrote {} ({} records, {} laps; start {} from {})\n", verb, path, r.records, r.laps,
               session::iso_utc(r.start_unix_s), r.start_source);
    return kOk;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "{}: --fit {}: {}\n", verb, path, e.what());
    return kBadInput;
  }
}

Action add_export(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "Write a session as a FIT activity (native running dynamics + developer fields)");
  cmd->add_option("session", o->session, "A session JSON (stride analyze --json) or a recording")
      ->required()
      ->check(existing_file());
  cmd->add_option("--fit", o->fit_path, "The FIT file to write")->required();
  cmd->add_option("--start", o->start,
                  "Start time, ISO 8601 (e.g. 2025-05-01T07:30:00Z; no offset = UTC); default: the recording's");
  cmd->add_option("--lap-m", o->lap_m, "A lap every this many metres (0 = one lap)")->check(CLI::NonNegativeNumber);
  return [o] { return run(*o); };
}

}  // namespace stride::cli
