// The HTML history report (`stride report --history`): one self-contained page of an athlete's trends across
// sessions, from `stride history --json` documents (docs/history.md), one section per athlete. Like the session
// report it knows no files and no database, has no script and no network reference (the same CSP and stylesheet,
// html_report.hpp's page_start), and draws its charts with svg_plot.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/report/html_report.hpp"

namespace stride::report {

// One page: an index of the athletes when there are several, then per athlete: the load as of the latest session
// and its load flags, weekly load (km per week with weekly_jump's line, the week-to-week change and the
// acute:chronic ratio), the key metrics over time (cadence, contact time, stride length, impact, speed, and
// contact-time asymmetry when two feet were recorded), shoes and their mileage, and every session with its flags.
// Missing or null fields show as "—" or leave a chart out; nothing here throws on a JSON object.
std::string render_history_report(const std::vector<nlohmann::json>& athletes, const ReportOptions& options);

}  // namespace stride::report
