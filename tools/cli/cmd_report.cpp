// `stride report FILE... --html OUT`: session documents (from `stride analyze --json`) or recordings -> one
// self-contained HTML page. This file only loads the inputs: recordings go through the same analysis as `analyze`
// (analyze_session.hpp, files recorded together paired into one two-feet session); html_report.cpp renders.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "tools/session/analyze_session.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/report/html_report.hpp"
#include "tools/session/output_file.hpp"

namespace stride::cli {
using namespace session;
using namespace report;
namespace {

struct ReportCliOptions {
  std::vector<std::string> files;
  std::string html_path;
  std::string flags_settings_path;
  ReportOptions report;
};

// A JSON document (its first character is '{'), not a recording.
bool looks_like_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c))
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c == '{';
  return false;
}

// Loads one session document; on failure prints why (naming the file) and returns nullopt.
std::optional<nlohmann::json> load_session(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "stride report: cannot read '{}'\n", path);
    return std::nullopt;
  }
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto first = bytes.find_first_not_of(" \t\r\n");
  const auto not_a_session = [&] {
    fmt::print(stderr,
               "stride report: '{}' is not a session document; run `stride analyze {} --json out.json` first and "
               "report on out.json\n",
               path, path);
    return std::nullopt;
  };
  // A recording (CSV, '#' metadata lines) or anything else that is not a JSON object.
  if (first == std::string::npos || bytes[first] != '{') return not_a_session();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(bytes);
  } catch (const nlohmann::json::parse_error& e) {
    fmt::print(stderr, "stride report: '{}' is not valid JSON at byte {}: {}\n", path, e.byte, e.what());
    return std::nullopt;
  }
  if (!is_session_document(doc)) return not_a_session();
  return doc;
}

int run(const ReportCliOptions& o) {
  AnalyzeRequest request;
  if (!load_flag_settings_option(o.flags_settings_path, "stride report", request.flag_settings)) return kBadArguments;
  std::vector<nlohmann::json> sessions;
  std::vector<std::string> recordings;
  for (const auto& f : o.files) {
    if (!looks_like_json(f)) {
      recordings.push_back(f);
      continue;
    }
    auto doc = load_session(f);
    if (!doc) return kBadInput;  // one bad input: no half report
    sessions.push_back(std::move(*doc));
  }
  for (const auto& files : plan_sessions(recordings, true)) {
    const SessionOutcome outcome = analyse_session(files, request);
    if (!outcome.analysed()) {
      fmt::print(stderr, "stride report: {}\n", outcome.error);
      return kBadInput;
    }
    sessions.push_back(outcome.doc);
  }
  const std::string html = render_html_report(sessions, o.report);
  if (o.html_path == "-") {
    write_stdout(html);
    return kOk;
  }
  write_file(o.html_path, html);
  fmt::print(stderr, "stride report: {} session{} -> {} ({} KB)\n", sessions.size(), sessions.size() == 1 ? "" : "s",
             o.html_path, (html.size() + 512) / 1024);
  return kOk;
}

}  // namespace

Action add_report(CLI::App& app) {
  auto o = std::make_shared<ReportCliOptions>();
  auto* cmd = app.add_subcommand("report", "Write a self-contained HTML gait report (flags explained, plots) from "
                                           "session documents or recordings");
  cmd->add_option("files", o->files,
                  "Session JSON documents (`stride analyze FILE --json out.json`) or recordings, analysed as "
                  "`analyze` does (two files recorded together make one two-feet session)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--html", o->html_path, "Write the report to PATH ('-' = stdout)")->required();
  cmd->add_option("--flags-settings", o->flags_settings_path, "Recordings: flag thresholds to override (docs/flags.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--title", o->report.title, "Page title (default: \"Gait report\" and the athlete's name)");
  // For the headless-browser tests: adds a tiny script that records load time and layout into the page.
  cmd->add_flag("--self-check", o->report.self_check, "")->group("");
  return [o] { return run(*o); };
}

}  // namespace stride::cli
