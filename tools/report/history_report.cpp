// Athlete history documents -> one HTML page. Per athlete, in the order a coach asks: how much is the runner
// running now and is that a jump (load flags, weekly load), is the form changing (metrics over time), are the shoes
// worn (mileage), and which sessions raised flags.
#include "tools/report/history_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "tools/report/svg_plot.hpp"

namespace stride::report {
namespace {

using nlohmann::json;
using svg::escape;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kWeeksShown = 52;     // weekly load: the last year
constexpr std::size_t kSessionRows = 100;   // the sessions table: the newest
constexpr std::size_t kDotsUpTo = 120;      // metric charts mark each session up to this many

// Lenient reading: a missing, null or mistyped field is "not there".
const json& at(const json& j, const char* key) {
  static const json none;
  return j.is_object() && j.contains(key) ? j[key] : none;
}
const json& list(const json& j, const char* key) {
  static const json empty = json::array();
  return at(j, key).is_array() ? at(j, key) : empty;
}
double real(const json& j, const char* key) { return at(j, key).is_number() ? at(j, key).get<double>() : kNaN; }
std::string words(const json& j, const char* key) {
  return at(j, key).is_string() ? at(j, key).get<std::string>() : std::string();
}
std::string shown(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "—"; }
// "+12 %", "0 %" (never "-0 %"), "—" when there was nothing to compare with.
std::string percent_change(double rel) {
  if (!std::isfinite(rel)) return "—";
  const double pct = std::round(100.0 * rel);
  return pct == 0 ? "0 %" : fmt::format("{:+.0f} %", pct);
}
std::string dash_if_empty(const std::string& s) { return s.empty() ? "—" : escape(s); }

// The date part of an ISO 8601 start time, and the day number the history stores beside it.
std::string date_of(const json& session) { return words(session, "start_time").substr(0, 10); }
double day_of(const json& session) { return real(session, "start_day"); }

struct MetricChart {
  const char* key;      // in the session's "metrics" (or "asymmetry_pct" when from_asymmetry)
  const char* title;
  const char* unit;
  bool from_asymmetry;
};

constexpr MetricChart kCharts[] = {
    {"cadence_spm", "Cadence", "steps/min", false},
    {"gct_ms", "Ground contact time", "ms", false},
    {"stride_length_m", "Stride length", "m", false},
    {"peak_impact_g", "Peak impact at the foot", "g", false},
    {"pta_g", "Tibial shock (PTA)", "g", false},
    {"speed_mps", "Running speed", "m/s", false},
    {"gct_ms", "Contact-time asymmetry (left vs right)", "%", true},
};

std::string figure(const std::string& title, const std::string& chart, const std::string& caption) {
  if (chart.empty()) return {};
  return fmt::format("<figure><figcaption><b>{}</b>{}</figcaption>{}</figure>\n", escape(title),
                     caption.empty() ? "" : "<br><small>" + escape(caption) + "</small>", chart);
}

std::string severity_chip(const std::string& id, const std::string& severity, const std::string& title) {
  return fmt::format(R"(<span class="chip {}" title="{}">{}</span> )", severity == "warn" ? "warn" : "info",
                     escape(title), escape(id));
}

std::string facts(const json& h) {
  const json& sessions = list(h, "sessions");
  const json& ctx = at(at(h, "load"), "context");
  double km = 0;
  for (const auto& s : sessions)
    if (std::isfinite(real(s, "distance_m"))) km += real(s, "distance_m") / 1000.0;
  const auto fact = [](const std::string& name, const std::string& value) {
    return fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", name, value);
  };
  std::string out = R"(<dl class="facts">)";
  out += fact("Sessions", std::to_string(sessions.size()));
  if (!sessions.empty())
    out += fact("From – to", escape(date_of(sessions.front())) + " – " + escape(date_of(sessions.back())));
  out += fact("Distance recorded", shown(km, 1) + " km");
  out += fact("This week (to the latest run)", shown(real(ctx, "week_km"), 1) + " km");
  out += fact("Week before", shown(real(ctx, "previous_week_km"), 1) + " km");
  out += fact("Last 7 days / 28-day weekly mean",
              shown(real(ctx, "acute_7d_km"), 1) + " / " + shown(real(ctx, "chronic_28d_weekly_km"), 1) + " km");
  out += fact("Acute:chronic (context only)", shown(real(ctx, "acwr"), 2));
  out += fact("Longest run, last " + shown(real(ctx, "window_days"), 0) + " days",
              shown(real(ctx, "longest_window_km"), 1) + " km");
  if (!words(h, "shoe_filter").empty()) out += fact("Shoe shown", escape(words(h, "shoe_filter")));
  return out + "</dl>\n";
}

std::string load_flags(const json& h) {
  const json& load = at(h, "load");
  std::string out = fmt::format("<h3 class=\"part\">Load flags as of the latest session ({})</h3>\n",
                                escape(words(load, "start_time").substr(0, 10)));
  std::string lines;
  for (const auto& f : list(load, "flags")) {
    const std::string severity = words(f, "severity");
    lines += fmt::format(R"(<li class="fl {}"><span class="sev">{}</span> {}<br><small>{}</small></li>)",
                         severity == "warn" ? "warn" : "info", escape(severity), escape(words(f, "title")),
                         escape(words(f, "evidence")));
  }
  return out + (lines.empty() ? "<p>None.</p>\n" : "<ul class=\"flines\">" + lines + "</ul>\n");
}

std::string weekly_load(const json& h) {
  const json& weeks = list(h, "weeks");
  // The last year: what load means now (and a history dated decades apart stays a readable page).
  const std::size_t first = weeks.size() > kWeeksShown ? weeks.size() - kWeeksShown : 0;
  svg::ColumnChart km{"ISO week (Mon–Sun)", "km per week", {}};
  svg::LineChart acwr{weeks.empty() ? "" : "weeks since " + words(weeks[first], "week"), "acute:chronic", {},
                      {{1.0, "as the 4-week mean"}}, true};
  svg::Series ratio{"acute:chronic at the week's last run", "c0", {}, {}, {}, {}};
  std::string rows;
  for (std::size_t i = first; i < weeks.size(); ++i) {
    const json& w = weeks[i];
    const std::string label = words(w, "week");
    km.columns.push_back({label.size() > 5 ? label.substr(5) : label, real(w, "distance_km"), real(w, "jump_limit_km"),
                          label + ": " + shown(real(w, "distance_km"), 1) + " km"});
    ratio.x.push_back(static_cast<double>(i - first));
    ratio.y.push_back(real(w, "acwr"));
    const double change = real(w, "change_rel");
    const bool jump = std::isfinite(real(w, "jump_limit_km")) && real(w, "distance_km") > real(w, "jump_limit_km");
    rows += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        jump ? R"( class="over")" : "", escape(label), escape(words(w, "monday")),
                        shown(real(w, "distance_km"), 1), shown(real(w, "sessions"), 0),
                        percent_change(change),
                        shown(real(w, "acwr"), 2));
  }
  const bool ratio_trend = std::count_if(ratio.y.begin(), ratio.y.end(), [](double v) { return std::isfinite(v); }) >= 2;
  acwr.series.push_back(ratio);
  const double jump_rel = real(at(h, "settings"), "weekly_jump_rel");
  std::string out = "<h3 class=\"part\">Weekly load</h3>\n";
  if (first > 0)
    out += fmt::format("<p class=\"note\">The last {} of {} weeks (every week: <code>stride history --athlete … "
                       "--json</code>).</p>\n", weeks.size() - first, weeks.size());
  out += "<div class=\"charts\">";
  out += figure("Distance per week (km)", svg::column_chart(km),
                "Dashed: the week before + " + shown(100.0 * jump_rel, 0) +
                    " %, the weekly_jump line (red bar: above it). Sessions without a measured distance count 0 km.");
  out += figure("Acute:chronic load at the end of each week", ratio_trend ? svg::line_chart(acwr) : std::string(),
                "7-day km over the mean weekly km of 28 days, once the history reaches 21 days back. Context "
                "only, never a flag (Impellizzeri 2021; Frandsen 2025).");
  // The numbers behind the bars, folded: the chart is what a coach reads first, and 52 rows would fill a phone
  // screen several times (or a printed page).
  out += "</div>\n<details class=\"weeks\"><summary>The weeks in numbers</summary><div class=\"tw\"><table "
         "class=\"num hist\"><thead><tr><th>Week</th><th>Monday</th><th>km</th><th>Runs</th><th>vs week before</th>"
         "<th>Acute:chronic</th></tr></thead><tbody>" +
         rows + "</tbody></table></div></details>\n";
  return out;
}

std::string metrics_over_time(const json& h) {
  const json& sessions = list(h, "sessions");
  if (sessions.empty()) return {};
  const double day0 = std::floor(day_of(sessions.front()));
  if (sessions.size() < 2)
    return "<h3 class=\"part\">Key metrics over time</h3>\n<p>One session so far: the trends start with the second "
           "(its values are in the table below).</p>\n";
  const json& settings = at(h, "settings");
  std::string charts;
  for (const auto& m : kCharts) {
    svg::Series s{m.title, "c0", {}, {}, {}, {}};
    // Sessions without the value (one-foot sessions for the asymmetry) are left out, not gaps: the trend is from
    // session to session.
    for (const auto& session : sessions)
      if (const double v = real(at(session, m.from_asymmetry ? "asymmetry_pct" : "metrics"), m.key); std::isfinite(v)) {
        s.x.push_back(day_of(session) - day0);
        s.y.push_back(v);
      }
    // A trend needs two points (one two-feet session among one-foot ones: its value is in the table).
    if (s.y.size() < 2) continue;
    // Dots while they can be told apart; a long history is a line (and a page a tenth the size).
    svg::LineChart chart{"days since " + date_of(sessions.front()), std::string(m.unit), {s}, {},
                         sessions.size() <= kDotsUpTo};
    std::string caption = "One point per session: its median";
    if (m.from_asymmetry) {
      chart.guides.push_back({real(settings, "asymmetry_si_pct"), "asymmetry flag"});
      caption = "Two-feet sessions: 200 |L − R| / (L + R) of the feet's median contact times";
    } else if (std::string(m.key) == "cadence_spm") {
      chart.guides.push_back({real(settings, "low_cadence_spm"), "low_cadence"});
    }
    charts += figure(std::string(m.title) + " (" + m.unit + ")", svg::line_chart(chart), caption + ".");
  }
  return "<h3 class=\"part\">Key metrics over time</h3>\n<div class=\"charts\">" + charts + "</div>\n";
}

std::string shoes(const json& h) {
  const double reminder = real(at(h, "settings"), "shoe_reminder_km");
  std::string rows;
  for (const auto& s : list(h, "shoes")) {
    const bool past = at(s, "past_reminder").is_boolean() && at(s, "past_reminder").get<bool>();
    rows += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        past ? R"( class="over")" : "",
                        words(s, "shoe").empty() ? "(not named)" : escape(words(s, "shoe")),
                        shown(real(s, "distance_km"), 1),
                        std::isfinite(reminder) && reminder > 0
                            ? shown(100.0 * real(s, "distance_km") / reminder, 0) + " %"
                            : std::string("—"),
                        shown(real(s, "sessions"), 0), escape(words(s, "first")), escape(words(s, "last")));
  }
  return "<h3 class=\"part\">Shoes</h3>\n<div class=\"tw\"><table class=\"num hist\"><thead><tr><th>Shoe</th><th>km</th>"
         "<th>of the " + shown(reminder, 0) + " km reminder</th><th>Sessions</th><th>First</th><th>Last</th></tr>"
         "</thead><tbody>" + rows + "</tbody></table></div>\n";
}

std::string sessions_table(const json& h) {
  std::string rows;
  const json& sessions = list(h, "sessions");
  const std::size_t oldest_shown = sessions.size() > kSessionRows ? sessions.size() - kSessionRows : 0;
  for (std::size_t i = sessions.size(); i-- > oldest_shown;) {  // newest first: what a coach looks at
    const json& s = sessions[i];
    const json& m = at(s, "metrics");
    const double impact = words(s, "placement") == "shin" ? real(m, "pta_g") : real(m, "peak_impact_g");
    std::string chips;
    std::set<std::string> seen;
    for (const auto& f : list(s, "flags")) {
      const std::string id = words(f, "id");
      if (id.empty() || id == "data_quality" || !seen.insert(id).second) continue;
      chips += severity_chip(id, words(f, "severity"), words(f, "title"));
    }
    rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td class=\"fc\">{}</td></tr>",
        escape(date_of(s)), dash_if_empty(words(s, "shoe")), shown(real(s, "distance_m") / 1000.0, 2),
        shown(real(m, "cadence_spm"), 0), shown(real(m, "gct_ms"), 0), shown(real(m, "stride_length_m"), 2),
        shown(impact, 1), shown(real(at(s, "asymmetry_pct"), "gct_ms"), 1), chips.empty() ? "—" : chips);
  }
  return "<h3 class=\"part\">Sessions and their flags</h3>\n<div class=\"tw\"><table class=\"num hist\"><thead><tr>"
         "<th>Date</th><th>Shoe</th><th>km</th><th>Cadence</th><th>Contact ms</th><th>Stride m</th>"
         "<th>Impact g</th><th>Contact L/R %</th><th>Flags</th></tr></thead><tbody>" +
         rows +
         "</tbody></table></div><p class=\"note\">" +
         (oldest_shown ? fmt::format("The newest {} of {} sessions (every one: <code>stride history --csv</code>). ",
                                     kSessionRows, sessions.size())
                       : std::string()) +
         "Newest first; session medians. Impact is the tibial shock for a "
         "shin sensor. Data-quality notes are left out; the session's own report explains each flag.</p>\n";
}

std::string athlete_name(const json& h) {
  const std::string a = words(h, "athlete");
  return a.empty() ? "(unnamed athlete)" : a;
}

std::string athlete_section(const json& h, std::size_t index) {
  std::string out = fmt::format("<section id=\"athlete-{}\"><h2>{}</h2>\n", index + 1, escape(athlete_name(h)));
  out += facts(h) + load_flags(h) + weekly_load(h) + metrics_over_time(h) + shoes(h) + sessions_table(h);
  return out + "</section>\n";
}

// Colours for what this page adds to the session report's stylesheet.
constexpr const char* kExtraStyle = R"(
svg .col{fill:#1f6fb2;stroke:none;opacity:.8}svg .col.over{fill:#c62828}
tr.over td{background:#fdecea}.fc{white-space:normal!important;text-align:left!important}
.chip{display:inline-block;font-size:.8em;padding:0 5px;margin:1px 0;border-radius:4px;background:#fff3cd;color:#5c4400}
.chip.warn{background:#fdecea;color:#8a1c1c;font-weight:600}
.index{columns:2 14em;padding-left:1.2em}
table.hist td:nth-child(-n+2){text-align:left}
details.weeks{margin:6px 0}details.weeks summary{cursor:pointer;color:#1f6fb2}
)";

}  // namespace

std::string render_history_report(const std::vector<json>& athletes, const ReportOptions& options) {
  std::string title = options.title;
  if (title.empty())
    title = athletes.size() == 1 ? "Training history: " + athlete_name(athletes.front()) : "Training history";
  std::string out = page_start(title, options.self_check, kExtraStyle);
  if (athletes.size() > 1) {
    out += "<ul class=\"index\">";
    for (std::size_t i = 0; i < athletes.size(); ++i)
      out += fmt::format("<li><a href=\"#athlete-{}\">{}</a> ({} sessions)</li>", i + 1,
                         escape(athlete_name(athletes[i])), list(athletes[i], "sessions").size());
    out += "</ul>\n";
  }
  for (std::size_t i = 0; i < athletes.size(); ++i) out += athlete_section(athletes[i], i);
  if (athletes.empty()) out += "<p>No athlete to show.</p>\n";
  out += page_end("Made by stride from its training history (docs/history.md): sessions analysed and saved with "
                  "`stride analyze --save`. Distances come from the foot trajectory of recorded runs only; runs that "
                  "were not recorded are missing. The load flags point at patterns worth checking, not a diagnosis.");
  return out;
}

}  // namespace stride::report
