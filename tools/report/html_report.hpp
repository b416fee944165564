// The HTML gait report: session documents (docs/session-json.md) in, one self-contained HTML page out.
// The renderer knows nothing of files: `stride report` loads the documents, and a recording can later be turned
// into the same document by the analysis and rendered here unchanged.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace stride::report {

struct ReportOptions {
  std::string title;        // empty: "Gait report" with the athlete's name when there is one
  // Adds a tiny inline script (and `script-src 'unsafe-inline'` to the CSP) that writes the load time, horizontal
  // overflow and any error into data-* attributes of <html>, for the headless-browser tests. The report a coach
  // gets has no script at all, so even an escaping slip could not run code.
  bool self_check = false;
};

// True for a session document in a layout stride reads: "schema": "stride.session/2", or an earlier stride's
// one-sensor ("summary" at the top) or two-feet ("session": "two_feet") document (tools/document).
bool is_session_document(const nlohmann::json& doc);

// One page: a section per session (flags first, then summary, plots, data quality), and an across-sessions table
// when there is more than one. Missing or null fields are shown as "—" or left out; nothing here throws on a
// document that passes is_session_document.
std::string render_html_report(const std::vector<nlohmann::json>& sessions, const ReportOptions& options);

// The page around a report's body, shared by every page stride writes (the session report, the history report),
// so they carry one Content-Security-Policy (no network, no script unless `self_check`) and one stylesheet:
// doctype, head (CSP, viewport, title, the stylesheet followed by `extra_css`), then <body><main><h1>title</h1>.
std::string page_start(const std::string& title, bool self_check, std::string_view extra_css = {});
// The footer (text, escaped here) and the closing tags.
std::string page_end(std::string_view footer_text);

}  // namespace stride::report
