// `stride report FILE... --html OUT`: session documents (from `stride analyze --json`) or recordings -> one
// self-contained HTML page. This file only loads the inputs: recordings go through the same analysis as `analyze`
// (analyze_session.hpp, files recorded together paired into one two-feet session); html_report.cpp renders.
// `stride report --history [--athlete A] --html OUT`: the training history's trends (athlete_history.hpp's
// documents, rendered by history_report.cpp), one section per athlete when --athlete is not given.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "tools/session/analyze_session.hpp"
#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/document/session_document.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/history/athlete_history.hpp"
#include "tools/history/history_save.hpp"
#include "tools/report/history_report.hpp"
#include "tools/report/html_report.hpp"
#include "tools/session/output_file.hpp"
#include "stride/utf8.hpp"

namespace stride::cli {
using namespace session;
using namespace report;
namespace {

struct ReportCliOptions {
  std::vector<std::string> files;
  bool history = false;
  std::string db;
  std::optional<std::string> athlete;
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
  try {
    document::check_readable(doc, path);
  } catch (const document::DocumentError& e) {
    // An unknown schema (a newer stride's) is named as found; any other JSON is not a session document.
    if (document::layout_of(doc) != document::Layout::unknown_schema) return not_a_session();
    fmt::print(stderr, "stride report: {}\n", e.what());
    return std::nullopt;
  }
  return doc;
}

void write_page(const std::string& path, const std::string& html, const std::string& what) {
  if (path == "-") {
    write_stdout(html);
    return;
  }
  write_file(path, html);
  fmt::print(stderr, "stride report: {} -> {} ({} KB)\n", what, path, (html.size() + 512) / 1024);
}

int run_history(const ReportCliOptions& o) {
  FlagSettings flag_settings;
  if (!load_flag_settings_option(o.flags_settings_path, "stride report", flag_settings)) return kBadArguments;
  std::vector<nlohmann::json> documents;
  std::string path;
  try {
    path = o.db.empty() ? history::default_db_path() : o.db;
    const history::HistoryStore store(path, history::HistoryStore::Mode::read_only);
    std::vector<std::string> athletes = store.athletes();
    if (athletes.empty()) {
      fmt::print(stderr, "stride report: the history database '{}' has no sessions yet: save some with "
                         "`stride analyze FILE --save`\n", path);
      return kBadInput;
    }
    if (o.athlete) {
      if (std::find(athletes.begin(), athletes.end(), *o.athlete) == athletes.end()) {
        std::string names;
        for (const auto& a : athletes) names += (names.empty() ? "'" : ", '") + utf8::printable(a) + "'";
        fmt::print(stderr, "stride report: no sessions of athlete '{}' in '{}' (athletes: {})\n",
                   utf8::printable(*o.athlete), path, names);
        return kBadInput;
      }
      athletes = {*o.athlete};
    }
    for (const auto& a : athletes) {
      const history::AthleteHistory h = history::athlete_history(store.sessions(a), "", {}, flag_settings);
      documents.push_back(history::athlete_history_json(h, flag_settings, flags_json(h.load_flags)));
    }
  } catch (const history::HistoryError& e) {
    fmt::print(stderr, "stride report: {}\n", e.what());
    return e.exit_code();
  }
  write_page(o.html_path, render_history_report(documents, o.report),
             fmt::format("history of {} athlete{}", documents.size(), documents.size() == 1 ? "" : "s"));
  return kOk;
}

int run(const ReportCliOptions& o) {
  if (o.history) {
    if (!o.files.empty()) {
      fmt::print(stderr, "stride report: --history reports on the history database, not on files (given: {})\n",
                 o.files.front());
      return kBadArguments;
    }
    return run_history(o);
  }
  if (o.files.empty()) {
    fmt::print(stderr, "stride report: give session documents or recordings, or --history\n");
    return kBadArguments;
  }
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
    sessions.push_back(outcome.doc.materialise());
  }
  write_page(o.html_path, render_html_report(sessions, o.report),
             fmt::format("{} session{}", sessions.size(), sessions.size() == 1 ? "" : "s"));
  return kOk;
}

}  // namespace

Action add_report(CLI::App& app) {
  auto o = std::make_shared<ReportCliOptions>();
  auto* cmd = app.add_subcommand("report", "Write a self-contained HTML gait report (flags explained, plots) from "
                                           "session documents or recordings, or from the training history");
  cmd->add_option("files", o->files,
                  "Session JSON documents (`stride analyze FILE --json out.json`) or recordings, analysed as "
                  "`analyze` does (two files recorded together make one two-feet session)")
      ->check(existing_file());
  auto* history = cmd->add_flag("--history", o->history,
                                "Report the training history's trends instead (weekly load, metrics over time, shoes, "
                                "flags; docs/history.md): one section per athlete unless --athlete");
  cmd->add_option("--athlete", o->athlete, "--history: only this athlete")->needs(history);
  cmd->add_option("--db", o->db, "--history: the history database (default as `stride history`)")->needs(history);
  cmd->add_option("--html", o->html_path, "Write the report to PATH ('-' = stdout)")->required();
  cmd->add_option("--flags-settings", o->flags_settings_path, "Recordings and --history: flag thresholds to override (docs/flags.md)")
      ->check(existing_file());
  cmd->add_option("--title", o->report.title, "Page title (default: \"Gait report\" and the athlete's name; --history: \"Training history\")");
  // For the headless-browser tests: adds a tiny script that records load time and layout into the page.
  cmd->add_flag("--self-check", o->report.self_check, "")->group("");
  return [o] { return run(*o); };
}

}  // namespace stride::cli
