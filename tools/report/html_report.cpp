// Session documents -> one self-contained HTML page. Order follows what a coach needs first: who and what was
// recorded, the flags in plain words, the numbers, the plots, and last how far the data can be trusted.
//
// Size: per-stride data never goes into the page as such. Up to kRawPoints strides a plot shows every stride;
// above that, strides are pooled into time windows (30 s for runs up to 2 h) drawn as the median with the middle
// half (IQR) as a band, so a 2-hour, two-feet run stays a few hundred kilobytes.
#include "tools/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "tools/document/session_document.hpp"
#include "tools/report/lenient_json.hpp"
#include "tools/report/splits.hpp"
#include "tools/report/svg_plot.hpp"
#include "tools/report/trust_view.hpp"

namespace stride::report {
namespace {

using nlohmann::json;
using svg::escape;

constexpr std::size_t kRawPoints = 600;   // more strides than this per series: pooled into windows
constexpr double kMaxWindows = 240;       // at most this many windows along a run
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fixed(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("—");
}

std::string clock(double s) {
  if (!std::isfinite(s)) return "—";
  const long t = std::lround(s);
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60) : fmt::format("{}:{:02}", t / 60, t % 60);
}

std::string or_dash(const std::string& s) { return s.empty() ? "—" : escape(s); }

// A sample rate as declared: 204.8 Hz stays 204.8, 200 Hz is 200 (never rounded to a rate the board does not have).
std::string rate(double hz) {
  if (!std::isfinite(hz)) return "—";
  std::string s = fmt::format("{:.2f}", hz);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// How the two feet's clocks were put on one: the right file's shift relative to the left's and the drift, from
// bilateral.clock (left_shift_s, right_shift_s, drift_ppm; older documents: offset_s). Never a dash where a number
// belongs: what is not recorded is said so.
std::string clock_words(const json& c) {
  double offset = number(c, "right_shift_s") - number(c, "left_shift_s");
  if (!std::isfinite(offset)) offset = number(c, "offset_s");
  const std::string source = text(c, "source");
  const std::string how = source.empty() ? "" : " (" + escape(source) + ")";
  if (!std::isfinite(offset)) return "the clock alignment is not recorded" + how;
  const double ppm = number(c, "drift_ppm");
  return fmt::format("right clock shifted by {:+.3f} s to match the left{}{}", offset,
                     std::isfinite(ppm) && std::abs(ppm) >= 0.5 ? fmt::format(", drift {:+.0f} ppm", ppm) : "", how);
}

// ---- what each metric is called, in which unit, and where it is plotted ----

struct MetricInfo {
  const char* key;
  const char* label;
  const char* short_label;  // for tight places: scorecard, symmetry bars (the SVG's label column is 150 units)
  const char* unit;
  int decimals;
  bool along_run;    // plotted along the run
  bool histogram;    // plotted as a distribution
};

constexpr MetricInfo kMetrics[] = {
    {"cadence_spm", "Cadence", "Cadence", "steps/min", 1, true, true},
    {"stride_time_s", "Stride time", "Stride time", "s", 3, false, false},
    {"gct_ms", "Ground contact time", "Contact time", "ms", 0, true, true},
    {"flight_ms", "Flight time", "Flight time", "ms", 0, true, false},
    {"swing_ms", "Swing time", "Swing time", "ms", 0, false, false},
    {"duty_factor", "Duty factor", "Duty factor", "", 2, false, false},
    {"peak_impact_g", "Peak impact", "Peak impact", "g", 1, true, true},
    {"pta_g", "Tibial shock (PTA)", "Tibial shock", "g", 1, true, true},
    {"pta_rise_g_per_s", "Tibial shock loading rate", "Shock rate", "g/s", 0, false, false},
    {"stride_length_m", "Stride length", "Stride length", "m", 2, true, false},
    {"speed_mps", "Speed", "Speed", "m/s", 2, true, true},
    {"fsa_deg", "Foot-strike angle", "Foot-strike angle", "deg, toe up +", 1, true, true},
    {"toe_off_angle_deg", "Toe-off angle", "Toe-off angle", "deg", 1, false, false},
    {"pronation_excursion_deg", "Pronation (eversion in stance)", "Pronation", "deg", 1, true, true},
    {"pronation_velocity_dps", "Pronation velocity", "Pronation velocity", "deg/s", 0, false, false},
    {"max_clearance_m", "Foot clearance", "Foot clearance", "m", 2, false, false},
    {"shank_angle_ic_deg", "Shank angle at contact", "Shank angle", "deg, ankle ahead +", 1, true, false},
    {"step_time_s", "Step time", "Step time", "s", 3, false, false},
};

const MetricInfo* metric_info(const std::string& key) {
  for (const auto& m : kMetrics)
    if (key == m.key) return &m;
  return nullptr;
}

std::string metric_label(const std::string& key, bool with_unit = true) {
  const MetricInfo* m = metric_info(key);
  if (!m) return key;
  return with_unit && *m->unit ? fmt::format("{} ({})", m->label, m->unit) : m->label;
}

std::string metric_short(const std::string& key) {
  const MetricInfo* m = metric_info(key);
  return m ? m->short_label : key;
}

int metric_decimals(const std::string& key) {
  const MetricInfo* m = metric_info(key);
  return m ? m->decimals : 2;
}

// ---- one session, seen as one or two feet ----

struct Foot {
  std::string side;       // "left", "right" or "" (one sensor, side unknown)
  const json* doc;        // a one-sensor document
  std::string css;        // colour class of its series
};

struct Session {
  const json* root;
  bool two_feet = false;
  std::vector<Foot> feet;
  int index = 0;          // 1-based, for anchors
};

// Any layout stride reads (tools/document): the current one, or an earlier version's one-sensor or two-feet one.
Session view(const json& doc, int index) {
  Session s{&doc, document::is_two_feet(doc), {}, index};
  const auto feet = document::feet(doc);
  for (const auto& f : feet) {
    if (feet.size() == 1) s.feet.push_back({f.side == "unknown" ? "" : f.side, f.doc, "c0"});  // one sensor
    else if (f.side != "unknown") s.feet.push_back({f.side, f.doc, f.side});
  }
  return s;
}

std::string foot_name(const Foot& f) { return f.side.empty() ? "this sensor" : f.side + " foot"; }

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

const json& first_foot(const Session& s) { return s.feet.empty() ? *s.root : *s.feet.front().doc; }

// Per-stride values of the valid strides, in time order.
struct Column {
  std::vector<double> t_s, v;
};

Column column(const json& foot, const char* key) {
  Column c;
  for (const auto& st : field(foot, "strides")) {
    if (!field(st, "valid").is_boolean() || !field(st, "valid").get<bool>()) continue;
    const double t = number(st, "ic_s"), v = number(st, key);
    // Times beyond ~30 years are nonsense, and would overflow the window index below.
    if (!std::isfinite(t) || !std::isfinite(v) || std::abs(t) > 1e9) continue;
    c.t_s.push_back(t);
    c.v.push_back(v);
  }
  return c;
}

double duration_s(const Session& s) {
  double d = 0;
  for (const auto& f : s.feet) d = std::max(d, number(field(*f.doc, "summary"), "duration_s"));
  return d;
}

double quantile(std::vector<double> v, double p) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double at = p * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(at);
  const double frac = at - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

// Window length for pooling: 30 s, longer only when the run would need more than kMaxWindows windows.
double window_s(double duration) { return 30.0 * std::max(1.0, std::ceil(duration / (kMaxWindows * 30.0))); }

// A series along the run, x in minutes: every stride when few, else median + IQR band per time window.
svg::Series along_run(const Column& c, double window, const std::string& label, const std::string& css) {
  svg::Series s{label, css, {}, {}, {}, {}};
  if (c.v.size() <= kRawPoints) {
    for (std::size_t i = 0; i < c.v.size(); ++i) {
      s.x.push_back(c.t_s[i] / 60.0);
      s.y.push_back(c.v[i]);
    }
    return s;
  }
  std::map<long, std::vector<double>> bins;
  for (std::size_t i = 0; i < c.v.size(); ++i) bins[static_cast<long>(std::floor(c.t_s[i] / window))].push_back(c.v[i]);
  long previous = -2;
  for (const auto& [b, values] : bins) {
    if (b != previous + 1 && previous >= 0) {  // an empty window (a stop, a gap): break the line there
      s.x.push_back((static_cast<double>(previous) + 1.0) * window / 60.0);
      s.y.push_back(kNaN);
      s.lo.push_back(kNaN);
      s.hi.push_back(kNaN);
    }
    s.x.push_back((static_cast<double>(b) + 0.5) * window / 60.0);
    s.y.push_back(quantile(values, 0.5));
    s.lo.push_back(quantile(values, 0.25));
    s.hi.push_back(quantile(values, 0.75));
    previous = b;
  }
  return s;
}

// ---- page parts ----

std::string legend(const Session& s) {
  if (s.feet.size() < 2) return {};
  std::string out = R"(<p class="legend">)";
  for (const auto& f : s.feet) out += fmt::format(R"(<span class="key {}"></span>{} )", f.css, escape(capitalised(f.side)));
  return out + "</p>";
}

std::string figure(const std::string& title, const std::string& chart, const std::string& caption) {
  if (chart.empty()) return {};
  return fmt::format("<figure><figcaption><b>{}</b>{}</figcaption>{}</figure>\n", escape(title),
                     caption.empty() ? "" : "<br><small>" + escape(caption) + "</small>", chart);
}

double flag_setting(const Session& s, const char* key, double fallback) {
  const double v = number(field(field(first_foot(s), "settings"), "flags"), key);
  return std::isfinite(v) ? v : fallback;
}

// Distance of a session: spatial metrics only; two feet cover the same ground, so the larger foot's, not the sum.
double session_distance_m(const Session& s) {
  double distance = kNaN;
  for (const auto& f : s.feet) {
    const json& sp = field(*f.doc, "spatial");
    if (field(sp, "ok").is_boolean() && field(sp, "ok").get<bool>() && std::isfinite(number(sp, "distance_m")))
      distance = std::isfinite(distance) ? std::max(distance, number(sp, "distance_m")) : number(sp, "distance_m");
  }
  return distance;
}

// ---- the first screen: who / when / what, the scorecard, the flags one line each ----

// "2025-05-01T07:30:00Z" -> "2025-05-01 07:30"; anything else as it is.
std::string date_words(const std::string& iso) {
  if (iso.size() >= 16 && iso[4] == '-' && iso[10] == 'T') return iso.substr(0, 10) + " " + iso.substr(11, 5);
  return iso;
}

std::string who_line(const Session& s) {
  const json& meta = field(first_foot(s), "metadata");
  std::vector<std::string> parts;
  const std::string athlete = text(meta, "athlete");
  if (!athlete.empty()) parts.push_back("<b>" + escape(athlete) + "</b>");
  if (!text(meta, "start_time").empty()) parts.push_back(escape(date_words(text(meta, "start_time"))));
  const double d = duration_s(s);
  if (std::isfinite(d) && d > 0) parts.push_back(clock(d) + (d >= 3600 ? " h" : " min"));
  const double km = session_distance_m(s) / 1000.0;
  if (std::isfinite(km)) parts.push_back(fixed(km, 2) + " km");
  const std::string placement = text(meta, "placement");
  const std::string side = text(meta, "side");
  parts.push_back(escape(placement.empty() ? "sensor" : placement + " sensor") + ", " +
                  (s.two_feet ? std::string("both feet")
                              : side == "left" || side == "right"
                                    ? side + (placement == "shin" ? " leg" : " foot") + " only"
                                    : std::string("one side")));
  if (!text(meta, "shoe").empty()) parts.push_back("shoe " + escape(text(meta, "shoe")));
  std::string out = "<p class=\"who\">";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " · " : "") + parts[i];
  return out + "</p>\n";
}

// The sources behind the reference bands of one session, numbered in the order the cards cite them.
struct Notes {
  std::string anchor;                  // "s1": footnote i is #s1-n<i>
  std::vector<std::string> texts;      // plain text
  int cite(const std::string& t) {
    for (std::size_t i = 0; i < texts.size(); ++i)
      if (texts[i] == t) return static_cast<int>(i) + 1;
    texts.push_back(t);
    return static_cast<int>(texts.size());
  }
  std::string mark(int n) const { return fmt::format("<sup><a href=\"#{}-n{}\">{}</a></sup>", anchor, n, n); }
  std::string list() const {
    if (texts.empty()) return {};
    std::string out = "<h3 class=\"part\">Where the reference bands come from</h3>\n<ol class=\"refs\">";
    for (std::size_t i = 0; i < texts.size(); ++i)
      out += fmt::format("<li id=\"{}-n{}\">{}</li>", anchor, i + 1, escape(texts[i]));
    return out + "</ol>\n";
  }
};

double metric_median(const json& foot, const char* key) {
  const json& m = field(field(field(foot, "summary"), "metrics"), key);
  return number(m, "n") > 0 ? number(m, "median") : kNaN;
}

// The runner's own baseline: median of the last `share` of the valid strides vs the first (at least 20 strides
// each, at least 40 strides in all), as the fatigue trend below; relative change, or the difference when `absolute`.
// Not corrected for speed (the flags are): the card's footnote says so.
double end_vs_start(const json& foot, const char* key, double share, bool absolute) {
  const Column c = column(foot, key);
  if (c.v.size() < 40) return kNaN;
  const std::size_t n = std::min(c.v.size() / 2, std::max<std::size_t>(20, static_cast<std::size_t>(share * static_cast<double>(c.v.size()))));
  const double first = quantile({c.v.begin(), c.v.begin() + static_cast<long>(n)}, 0.5);
  const double last = quantile({c.v.end() - static_cast<long>(n), c.v.end()}, 0.5);
  if (absolute) return last - first;
  return std::abs(first) > 0 ? last / first - 1.0 : kNaN;
}

struct Card {
  std::string key;
  std::string value;                 // HTML
  std::vector<std::string> checks;   // HTML: the runner against a band, with its footnote mark
  std::vector<int> cited;
  int state = 0;                     // 0 no reference band, 1 in, -1 out
  void check(bool in, const std::string& words, int note, const Notes& notes) {
    checks.push_back(fmt::format("<b class=\"st {}\">{}</b>&#8201;", in ? "in" : "out", in ? "✓" : "✗") +
                     escape(words) + notes.mark(note));
    cited.push_back(note);
    state = (state == -1 || !in) ? -1 : 1;
  }
  void remark(const std::string& words, int note, const Notes& notes) {
    checks.push_back(escape(words) + (note > 0 ? notes.mark(note) : std::string()));
    if (note > 0) cited.push_back(note);
  }
};

// Is the session running (the cadence norm holds at running pace only)? Speed above the rule's minimum and duty
// factor below its maximum, where measured; true when neither was measured.
bool running(const Session& s) {
  const json& foot = first_foot(s);
  const double speed = metric_median(foot, "speed_mps"), duty = metric_median(foot, "duty_factor");
  if (std::isfinite(speed) && speed <= flag_setting(s, "running_min_speed_mps", 2.2)) return false;
  if (std::isfinite(duty) && duty >= flag_setting(s, "running_max_duty_factor", 0.5)) return false;
  return true;
}

// Is a metric named by a flag (its values carry the metric, for one foot or both)? Then the card is "out" even when
// its simple band is not: the flag's rule (speed-matched, held) is the better judge.
bool flagged(const Session& s, const std::string& key) {
  if (key == "speed_mps") return false;
  for (const auto& f : field(*s.root, "flags")) {
    const std::string id = text(f, "id");
    if (id == "data_quality" || id == "fall_or_knock") continue;
    for (const auto& [k, v] : field(f, "values").items())
      if (k == key || k == "left_" + key || k == "right_" + key) return true;
  }
  return false;
}

bool measured(const Session& s, const char* key) {
  for (const auto& f : s.feet)
    if (std::isfinite(metric_median(*f.doc, key))) return true;
  return false;
}

std::string per_foot_value(const Session& s, const char* key, int decimals) {
  if (s.feet.size() < 2) return fixed(metric_median(first_foot(s), key), decimals);
  std::string out;
  for (const auto& f : s.feet)
    out += fmt::format("{}<span class=\"lr\">{}</span>&#8201;{}", out.empty() ? "" : " ", f.side == "left" ? "L" : "R",
                       fixed(metric_median(*f.doc, key), decimals));
  return out;
}

std::string unit_short(const char* unit) {
  std::string u = unit;
  return u.substr(0, u.find(','));
}

std::string scorecard(const Session& s, Notes& notes) {
  const bool run = running(s);
  const double share = flag_setting(s, "baseline_share", 0.15);
  const double si_max = 100 * flag_setting(s, "asymmetry_si", 0.10);
  const double cadence_min = flag_setting(s, "low_cadence_spm", 166);
  const std::string baseline = fmt::format(
      " Start and end: the median of the first and of the last {:.0f} % of the valid strides of this run; not "
      "corrected for speed, which the flags are.", 100 * share);
  std::vector<Card> cards;

  const auto symmetry = [&](Card& c) {
    if (!s.two_feet) return;
    const double si = number(field(field(field(*s.root, "bilateral"), "symmetry"), c.key.c_str()), "si_pct");
    if (!std::isfinite(si)) return;
    c.check(si <= si_max, fmt::format("L/R {:.0f} % (≤ {:.0f} %)", si, si_max),
            notes.cite(fmt::format("Left vs right: symmetry index 200·|L−R|/(L+R) of the medians up to {:.0f} %. "
                                   "Cartón-Llorente 2024 (healthy runners 1–5.7 %); asymmetry alone did not predict "
                                   "injury (Malisoux 2024 BMJ Open SEM).", si_max)),
            notes);
  };
  // The end of the run against its start, per foot; the larger change counts.
  const auto drift = [&](Card& c, double limit, bool degrees, const std::string& note) {
    double worst = kNaN;
    for (const auto& f : s.feet) {
      const double d = end_vs_start(*f.doc, c.key.c_str(), share, degrees);
      if (std::isfinite(d) && !(std::abs(d) <= std::abs(worst))) worst = d;
    }
    if (!std::isfinite(worst)) {
      c.remark("too few strides for start vs end", 0, notes);
      return;
    }
    // Rounded before the sign is chosen: never "-0 %".
    if (degrees) {
      const double shown = std::round(worst * 10) / 10;
      c.check(std::abs(worst) <= limit, fmt::format("end {:+.1f}° (±{:.0f}°)", shown == 0 ? 0.0 : shown, limit),
              notes.cite(note + baseline), notes);
    } else {
      const double shown = std::round(100 * worst);
      c.check(worst <= limit, fmt::format("end {:+.0f} % (≤ +{:.0f} %)", shown == 0 ? 0.0 : shown, 100 * limit),
              notes.cite(note + baseline), notes);
    }
  };
  const std::string no_norm =
      "No reference band: stride length, speed, flight time and shank angle depend on speed and on the runner, and "
      "no norm is cited for them; the plots below show how they moved.";

  for (const char* key : {"cadence_spm", "gct_ms", "flight_ms", "stride_length_m", "speed_mps", "peak_impact_g", "pta_g",
                          "fsa_deg", "pronation_excursion_deg", "shank_angle_ic_deg"}) {
    if (!measured(s, key)) continue;
    // A shin sensor's impact is its tibial shock (which has a cited band): one card, not two.
    if (std::string(key) == "peak_impact_g" && measured(s, "pta_g")) continue;
    Card c{key, per_foot_value(s, key, metric_decimals(key)), {}, {}, 0};
    const std::string k = key;
    if (k == "cadence_spm") {
      const double both = number(field(field(field(*s.root, "bilateral"), "metrics"), key), "median");
      const double v = std::isfinite(both) ? both : metric_median(first_foot(s), key);
      if (std::isfinite(both)) c.value = fixed(both, 0);
      else c.value = per_foot_value(s, key, 0);
      const int note = notes.cite(fmt::format(
          "Cadence: {:.0f} steps/min or more at running pace. Thakkar 2019 MSSE 51:1444 ({:.0f} or fewer: higher "
          "tibiofemoral forces); Heiderscheit 2011 MSSE 43:296 (+5–10 % step rate lowers knee loading). Not applied "
          "to walking.", cadence_min, cadence_min));
      if (run && std::isfinite(v)) c.check(v >= cadence_min, fmt::format("≥ {:.0f} running", cadence_min), note, notes);
      else c.remark("walking: no norm", note, notes);
    } else if (k == "gct_ms") {
      drift(c, flag_setting(s, "fatigue_gct_rel", 0.05), false,
            "Contact time: the runner's own start as baseline; with fatigue it rises (Apte 2021 Front Physiol), "
            "stride looks for more than +5 %.");
      symmetry(c);
    } else if (k == "flight_ms") {
      bool any_flight = false;
      for (const auto& f : s.feet) any_flight = any_flight || metric_median(*f.doc, key) > 0;
      if (!any_flight) c.remark("no flight: walking", 0, notes);
      else symmetry(c);
    } else if (k == "stride_length_m") {
      symmetry(c);
    } else if (k == "speed_mps") {
      // One speed for the runner (two feet cover the same ground: the mean of the feet's medians), and its pace.
      double sum = 0;
      int n = 0;
      for (const auto& f : s.feet)
        if (std::isfinite(metric_median(*f.doc, key))) sum += metric_median(*f.doc, key), ++n;
      const double v = n ? sum / n : kNaN;
      c.value = fixed(v, 2);
      if (v > 0.5) c.remark(clock(1000.0 / v) + " /km", 0, notes);
    } else if (k == "peak_impact_g") {
      drift(c, flag_setting(s, "impact_rise_rel", 0.15), false,
            "Peak impact (shoe): no absolute norm; impact rises with speed (Sheerin 2020), so the runner's own start "
            "is the baseline and stride looks for more than +15 % (Crowell & Davis 2011 on retraining high impacts).");
      symmetry(c);
    } else if (k == "pta_g") {
      const double limit = flag_setting(s, "shin_impact_g", 8);
      double worst = kNaN;
      for (const auto& f : s.feet) worst = std::isfinite(worst) ? std::max(worst, metric_median(*f.doc, key)) : metric_median(*f.doc, key);
      c.check(worst <= limit, fmt::format("≤ {:.0f} g easy pace", limit),
              notes.cite(fmt::format("Tibial shock: {:.0f} g or less at easy pace. Crowell & Davis 2011 (gait "
                                     "retraining of runners above 8 g); it rises with speed (Sheerin 2020).", limit)),
              notes);
    } else if (k == "fsa_deg") {
      drift(c, flag_setting(s, "fatigue_fsa_deg", 5), true,
            "Foot-strike angle: no absolute cut-off exists (Souza 2016), so the runner's own start is the baseline; "
            "a change of ±5° is stride's default for form changing with fatigue (Apte 2021).");
    } else if (k == "pronation_excursion_deg") {
      drift(c, flag_setting(s, "pronation_rise_rel", 0.20), false,
            "Pronation: the evidence linking it to knee pain is very limited (Neal 2014 J Foot Ankle Res 7:55) and "
            "devices agree only fairly (Koldenhoven 2018), so the runner's own start is the baseline; stride looks "
            "for more than +20 %.");
      symmetry(c);
    }
    if (flagged(s, k)) {
      c.state = -1;
      c.checks.push_back("<b class=\"st out\">✗</b>&#8201;flagged");
    }
    if (c.checks.empty()) c.remark("no norm", notes.cite(no_norm), notes);
    cards.push_back(std::move(c));
  }
  if (cards.empty()) return "<p>No metric was measured.</p>\n";
  std::string out = "<div class=\"score\">";
  for (const auto& c : cards) {
    std::string tip;
    for (int n : c.cited) tip += (tip.empty() ? "" : " ") + notes.texts[static_cast<std::size_t>(n - 1)];
    const char* state = c.state > 0 ? "in" : c.state < 0 ? "out" : "na";
    const MetricInfo* m = metric_info(c.key);
    std::string checks;
    for (const auto& w : c.checks) checks += (checks.empty() ? "" : " · ") + w;
    out += fmt::format(
        "<div class=\"sc {}\" title=\"{}\"><span class=\"k\">{} <small>{}</small></span><span class=\"v\">{}</span>"
        "<span class=\"r\">{}</span></div>",
        state, escape(tip), escape(m->short_label), escape(unit_short(m->unit)), c.value, checks);
  }
  return out + "</div>\n";
}

// One line per flag for the first screen: at most kFlagLineWords words, plain language, no variable names. The
// title says what was seen (it carries the number); a few words say what it may mean. The full card is below.
constexpr std::size_t kFlagLineWords = 20;

std::size_t word_count(const std::string& s) {
  std::size_t n = 0;
  bool in_word = false, has_alnum = false;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const bool space = i == s.size() || s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (space) {
      if (in_word && has_alnum) ++n;
      in_word = has_alnum = false;
    } else {
      in_word = true;
      has_alnum = has_alnum || std::isalnum(static_cast<unsigned char>(s[i]));
    }
  }
  return n;
}

std::string flag_line(const json& f) {
  const std::string id = text(f, "id");
  std::string title = text(f, "title");
  if (title.empty()) title = id.empty() ? "A pattern worth checking" : id;
  while (!title.empty() && (title.back() == ':' || title.back() == ' ' || title.back() == '.')) title.pop_back();
  std::string tail;
  if (id == "low_cadence") tail = "slightly quicker steps are worth trying";
  else if (id == "overstride") tail = "possibly landing further ahead of the body";
  else if (id == "high_impact") tail = title.rfind("Tibial", 0) == 0 ? "above the mark used for gait retraining" : "landing harder than at the start";
  else if (id == "pronation_change") tail = "the foot rolls in more than at the start";
  else if (id == "fatigue_drift") tail = "often a sign of fatigue";
  else if (id == "fall_or_knock") tail = "a fall, a stumble or a knock to the sensor?";
  else if (id == "asymmetry" || id == "pronation_asymmetry") tail = "worth checking, not a risk on its own";
  else if (id == "load_spike") tail = "a sudden jump in distance";
  else if (id == "data_quality") tail = "other numbers may be less reliable";
  std::string line = tail.empty() ? title : title + "; " + tail;
  if (word_count(line) > kFlagLineWords) line = title;
  for (char& ch : line)
    if (ch == '_') ch = ' ';  // an id or a key in a title is still no variable name
  if (word_count(line) > kFlagLineWords) {
    // Cut after the last allowed word.
    std::size_t words = 0, i = 0;
    bool in_word = false, has_alnum = false;
    for (; i < line.size(); ++i) {
      const bool space = line[i] == ' ';
      if (space && in_word) {
        if (has_alnum && ++words == kFlagLineWords - 1) break;
        in_word = has_alnum = false;
      } else if (!space) {
        in_word = true;
        has_alnum = has_alnum || std::isalnum(static_cast<unsigned char>(line[i]));
      }
    }
    line = line.substr(0, i) + " …";
  }
  return line;
}

std::string side_words(const std::string& side) {
  if (side.empty() || side == "unknown") return {};  // one sensor whose side was not declared
  return side == "both" ? "both feet" : side + " foot";
}

std::string flag_lines(const Session& s) {
  const json& flags = field(*s.root, "flags");
  std::string out = "<h3 class=\"part\">Flags <small class=\"note\">patterns that runners with knee pain often show: "
                    "worth checking, not a diagnosis</small></h3>\n";
  if (!flags.is_array()) return out + "<p>Flags were not evaluated for this session.</p>\n";
  if (flags.empty())
    return out + "<p class=\"fl none\">No pattern was flagged. That is not a clean bill of health: stride sees only "
                 "what a foot sensor can see.</p>\n";
  out += "<ol class=\"flines\">";
  for (const char* severity : {"warn", "info"}) {
    int i = 0;  // the flag's place in the document: its card below is #s<session>-f<i>
    for (const auto& f : flags) {
      ++i;
      const bool warn = text(f, "severity") == "warn";
      if (warn != (std::string(severity) == "warn")) continue;
      // The whole line links to the flag in full (a tap on a phone); the side only when it is one foot.
      const std::string side = text(f, "side");
      out += fmt::format(
          "<li class=\"fl {}\"><a href=\"#s{}-f{}\"><span class=\"sev\">{}</span> <span class=\"fl-text\">{}</span>{}</a></li>",
          warn ? "warn" : "info", s.index, i, warn ? "check first" : "worth checking", escape(flag_line(f)),
          side == "left" || side == "right" ? " <span class=\"side\">" + escape(side_words(side)) + "</span>" : "");
    }
  }
  return out + "</ol>\n";
}

std::string first_screen(const Session& s, Notes& notes) {
  return "<div class=\"first\">" + who_line(s) + scorecard(s, notes) + flag_lines(s) + "</div>\n";
}

std::string header(const Session& s) {
  const json& first = first_foot(s);
  const json& meta = field(first, "metadata");
  std::vector<std::string> files;
  for (const auto& f : s.feet) files.push_back(text(field(*f.doc, "input"), "file"));
  std::string file_list;
  for (std::size_t i = 0; i < files.size(); ++i)
    file_list += (i ? "<br>" : "") + (s.two_feet ? escape(capitalised(s.feet[i].side)) + ": " : "") + or_dash(files[i]);
  std::int64_t valid = 0, total = 0;
  double distance = 0;
  bool has_distance = false;
  for (const auto& f : s.feet) {
    valid += document::count_field(field(*f.doc, "summary"), "strides_valid");
    total += document::count_field(field(*f.doc, "summary"), "strides_total");
    const json& sp = field(*f.doc, "spatial");
    if (field(sp, "ok").is_boolean() && field(sp, "ok").get<bool>() && std::isfinite(number(sp, "distance_m"))) {
      // Two feet cover the same ground: the distance is the larger foot's, not the sum.
      distance = std::max(distance, number(sp, "distance_m"));
      has_distance = true;
    }
  }
  const std::string sensor = fmt::format(
      "{}, {}{}, {} Hz", or_dash(text(meta, "placement")),
      s.two_feet ? "two feet" : or_dash(text(meta, "side")), text(meta, "board").empty() ? "" : ", " + escape(text(meta, "board")),
      rate(number(meta, "rate_hz")));
  std::string out = R"(<dl class="facts">)";
  const auto row = [&](const char* k, const std::string& v) { out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", k, v); };
  row("Athlete", or_dash(text(meta, "athlete")));
  row("Shoe", or_dash(text(meta, "shoe")));
  row("Date", or_dash(text(meta, "start_time")));
  out += fmt::format(R"(<div class="wide"><dt>{}</dt><dd>{}</dd></div>)", files.size() > 1 ? "Files" : "File", file_list);
  row("Sensor", sensor);
  row("Duration", clock(duration_s(s)));
  row("Distance", has_distance ? fixed(distance / 1000.0, 2) + " km" : "not measured");
  row("Strides", fmt::format("{} valid of {}{}", valid, total, s.two_feet ? " (both feet)" : ""));
  row("Tool", escape(text(field(*s.root, "tool"), "name") + " " + text(field(*s.root, "tool"), "version")));
  return out + "</dl>\n";
}

// A flag in full, in a <details> block (closed on screen: the first screen has its line; open when printed).
// `raw_signal`: the id of the trust window drawn for this flag ("" when there is none), linked from the card.
std::string flag_card(const json& f, const std::string& anchor, const std::string& raw_signal) {
  const bool warn = text(f, "severity") == "warn";
  const std::string side = text(f, "side");
  std::string values;
  for (const auto& [k, v] : field(f, "values").items())
    if (v.is_number()) values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", escape(k), fixed(v.get<double>(), 2));
  std::string out = fmt::format(
      R"(<details class="flag {}" id="{}"><summary><span class="sev">{}</span> {}{}</summary>)", warn ? "warn" : "info",
      anchor, warn ? "check first" : "worth checking", or_dash(text(f, "title")),
      side.empty() ? "" : fmt::format(R"( <span class="side">{}</span>)", escape(side_words(side))));
  out += fmt::format(R"(<p class="ev">{}</p><p class="meta">{} strides, {} to {}{}</p><dl>)", or_dash(text(f, "evidence")),
                     or_dash(text(f, "strides")), clock(number(f, "from_s")), clock(number(f, "to_s")),
                     raw_signal.empty() ? "" : fmt::format(R"( · <a class="raw" href="#{}">see the raw signal</a>)", raw_signal));
  // Each item carries its key as a class: the print stylesheet leaves out the rule (the screen keeps it).
  const auto item = [&](const char* k, const char* key) {
    const std::string v = text(f, key);
    if (!v.empty()) out += fmt::format("<dt class=\"{1}\">{0}</dt><dd class=\"{1}\">{2}</dd>", k, key, escape(v));
  };
  item("Why it matters", "why");
  item("What to try", "what_to_try");
  item("The rule", "rule");
  item("Source", "source");
  item("How much to trust it", "trust");
  out += fmt::format("<dt class=\"fid\">Flag id</dt><dd class=\"fid\"><code>{}</code>{}</dd></dl></details>\n", or_dash(text(f, "id")),
                     values.empty() ? "" : "<br><small>values: <code>" + values + "</code></small>");
  return out;
}

// The parts of a trust window, one per flag it is drawn for: the window itself (its own flag, "flag" and "title") and
// each entry of its "other_flags" (documents before them have none), in that order.
std::vector<const json*> trust_window_flags(const json& window) {
  std::vector<const json*> out{&window};
  for (const auto& g : field(window, "other_flags"))
    if (g.is_object()) out.push_back(&g);
  return out;
}

// The flag's own evidence in the trust view (tools/report/trust_view ids: s<session>-tw<k>, a flag's part of it
// -g<j>): the first window of its id and title on its foot (on either foot for a flag of both), else of its id
// alone (a document whose titles differ); "" when the document has none for it. A window without a zoom (an older
// document) has no parts: the window itself.
std::string trust_window_id(const Session& s, const json& flag) {
  const json& windows = field(*s.root, "trust_windows");
  const std::string side = text(flag, "side");
  for (const bool by_title : {true, false})
    for (std::size_t k = 0; windows.is_array() && k < windows.size(); ++k) {
      if (text(windows[k], "foot") != side && (side == "left" || side == "right")) continue;
      const auto parts = trust_window_flags(windows[k]);
      for (std::size_t j = 0; j < parts.size(); ++j)
        if (text(*parts[j], "flag") == text(flag, "id") && (!by_title || text(*parts[j], "title") == text(flag, "title")))
          return field(windows[k], "zoom_s").is_array() ? fmt::format("s{}-tw{}-g{}", s.index, k + 1, j + 1)
                                                        : fmt::format("s{}-tw{}", s.index, k + 1);
    }
  return {};
}

std::string flags_section(const Session& s) {
  const json& flags = field(*s.root, "flags");
  if (!flags.is_array() || flags.empty()) return {};
  std::string out = "<h3 class=\"part\">The flags in full</h3>\n";
  // Warnings before notes, otherwise in the document's order (as the lines on the first screen).
  for (const char* severity : {"warn", "info"}) {
    int i = 0;
    for (const auto& f : flags) {
      ++i;
      if ((text(f, "severity") == "warn") == (std::string(severity) == "warn"))
        out += flag_card(f, fmt::format("s{}-f{}", s.index, i), trust_window_id(s, f));
    }
  }
  return out;
}

std::string summary_table(const json& foot) {
  const json& metrics = field(field(foot, "summary"), "metrics");
  std::string rows;
  std::vector<std::string> keys;
  for (const auto& m : kMetrics) keys.push_back(m.key);
  for (const auto& [k, v] : metrics.items())  // metrics this page does not know yet: shown under their own name
    if (!metric_info(k)) keys.push_back(k);
  const bool one_foot = field(field(foot, "summary"), "cadence_from_one_foot").is_boolean() &&
                        field(field(foot, "summary"), "cadence_from_one_foot").get<bool>();
  for (const auto& k : keys) {
    const json& m = field(metrics, k.c_str());
    const double n = number(m, "n");
    if (!m.is_object() || !(n > 0) || !std::isfinite(number(m, "median"))) continue;  // not measured: no row
    const int d = metric_decimals(k);
    std::string label = escape(metric_label(k));
    if (one_foot && (k == "cadence_spm" || k == "flight_ms")) label += " <small>from one foot</small>";
    rows += fmt::format("<tr><th>{}</th><td>{}</td><td>{} ± {}</td><td>{}</td></tr>", label, fixed(number(m, "median"), d),
                        fixed(number(m, "mean"), d), fixed(number(m, "sd"), d), fixed(n, 0));
  }
  if (rows.empty()) return "<p>No metric was measured.</p>";
  return R"(<div class="tw"><table class="num"><thead><tr><th>Metric</th><th>Median</th><th>Mean ± SD</th><th>n</th></tr></thead><tbody>)" +
         rows + "</tbody></table></div>";
}

std::string summary_section(const Session& s) {
  std::string out = "<h3 class=\"part\">Summary</h3>\n<div class=\"cols\">";
  for (const auto& f : s.feet)
    out += "<div>" + (s.two_feet ? "<h4>" + escape(capitalised(foot_name(f))) + "</h4>" : std::string()) +
           summary_table(*f.doc) + "</div>";
  out += "</div>\n";
  const json& sp = field(first_foot(s), "spatial");
  const json& patterns = field(sp, "strike_patterns");
  std::string strikes;
  for (const auto& f : s.feet) {
    const json& p = field(field(*f.doc, "spatial"), "strike_patterns");
    const double r = number(p, "rearfoot"), m = number(p, "midfoot"), fo = number(p, "forefoot"), n = r + m + fo;
    if (n > 0)
      strikes += fmt::format("<li>{}: rearfoot {:.0f} %, midfoot {:.0f} %, forefoot {:.0f} % of {:.0f} strides</li>",
                             escape(capitalised(foot_name(f))), 100 * r / n, 100 * m / n, 100 * fo / n, n);
  }
  (void)patterns;
  if (!strikes.empty()) out += "<p>Foot-strike pattern:</p><ul>" + strikes + "</ul>\n";
  return out;
}

std::string along_run_section(const Session& s) {
  const double window = window_s(duration_s(s));
  std::string figures, flat;
  bool pooled = false;
  for (const auto& m : kMetrics) {
    if (!m.along_run) continue;
    svg::LineChart chart{"minutes", m.unit, {}, {}, false};
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& f : s.feet) {
      const Column c = column(*f.doc, m.key);
      if (c.v.empty()) continue;  // not measured (e.g. spatial metrics of a shin sensor): no plot
      pooled = pooled || c.v.size() > kRawPoints;
      for (double v : c.v) lo = std::min(lo, v), hi = std::max(hi, v);
      chart.series.push_back(along_run(c, window, capitalised(foot_name(f)), f.css));
    }
    if (lo <= hi && hi - lo < 1e-9 * std::max(1.0, std::abs(hi))) {
      // The same value for every stride (a walk's flight time is 0): a flat line in an invented range says
      // nothing, so say it in words.
      flat += fmt::format("<li>{}: {} {} for every stride{}</li>", escape(metric_label(m.key, false)),
                          fixed(lo, metric_decimals(m.key)), escape(m.unit),
                          std::string(m.key) == "flight_ms" && lo <= 0 ? " (no flight phase: walking, or both feet down)" : "");
      continue;
    }
    figures += figure(metric_label(m.key), svg::line_chart(chart), "");
  }
  if (!flat.empty()) flat = "<ul class=\"note\">" + flat + "</ul>";
  if (figures.empty()) return flat.empty() ? std::string() : "<h3 class=\"part\">Along the run</h3>\n" + flat;
  return "<h3 class=\"part\">Along the run</h3>\n" + flat + "<p class=\"note\">" +
         (pooled ? fmt::format("Each point is the median of the valid strides in {:.0f} s; the shaded band holds the "
                               "middle half of them (IQR).", window)
                 : std::string("Each point is one valid stride.")) +
         "</p>" + legend(s) + "<div class=\"charts\">" + figures + "</div>\n";
}

std::string distributions_section(const Session& s) {
  std::string figures;
  for (const auto& m : kMetrics) {
    if (!m.histogram) continue;
    svg::Histogram h{m.unit, {}, 24};
    for (const auto& f : s.feet) {
      Column c = column(*f.doc, m.key);
      if (!c.v.empty()) h.series.push_back({capitalised(foot_name(f)), f.css, std::move(c.v)});
    }
    figures += figure(metric_label(m.key), svg::histogram(h), "");
  }
  if (figures.empty()) return {};
  return "<h3 class=\"part\">Distributions</h3>\n<p class=\"note\">Share of the valid strides in each bin; the outer "
         "bins also hold the rare strides beyond the 1st and 99th percentile.</p>" +
         legend(s) + "<div class=\"charts\">" + figures + "</div>\n";
}


// Fatigue: rolling median (15 strides) of contact time and cadence, as % change vs the first 15 % of the valid
// strides, the same baseline the fatigue_drift flag uses. Plus a first-part vs last-part table.
std::string fatigue_section(const Session& s) {
  const double share = flag_setting(s, "baseline_share", 0.15);
  const double window = window_s(duration_s(s));
  struct Trend {
    const char* key;
    const char* label;
    double threshold_pct;
  } trends[] = {{"gct_ms", "Ground contact time", 100 * flag_setting(s, "fatigue_gct_rel", 0.05)},
                {"cadence_spm", "Cadence", -100 * flag_setting(s, "fatigue_cadence_rel", 0.03)}};
  std::string figures, rows;
  for (const auto& tr : trends) {
    svg::LineChart chart{"minutes", "% vs start", {}, {{0.0, ""}, {tr.threshold_pct, fmt::format("{:+.0f} % (rule)", tr.threshold_pct)}}, false};
    for (const auto& f : s.feet) {
      const Column c = column(*f.doc, tr.key);
      if (c.v.size() < 40) continue;
      const std::size_t base_n = std::max<std::size_t>(20, static_cast<std::size_t>(share * static_cast<double>(c.v.size())));
      const double base = quantile({c.v.begin(), c.v.begin() + static_cast<long>(std::min(base_n, c.v.size()))}, 0.5);
      const double last = quantile({c.v.end() - static_cast<long>(std::min(base_n, c.v.size())), c.v.end()}, 0.5);
      if (!(std::abs(base) > 0)) continue;
      Column rolling;
      std::vector<double> win;
      for (std::size_t i = 0; i < c.v.size(); ++i) {
        const std::size_t from = i >= 14 ? i - 14 : 0;
        win.assign(c.v.begin() + static_cast<long>(from), c.v.begin() + static_cast<long>(i) + 1);
        if (win.size() < 15) continue;
        rolling.t_s.push_back(c.t_s[i]);
        rolling.v.push_back(100.0 * (quantile(win, 0.5) / base - 1.0));
      }
      svg::Series series = along_run(rolling, window, capitalised(foot_name(f)), f.css);
      series.lo.clear();  // the band of a rolling median says little; the line alone
      series.hi.clear();
      chart.series.push_back(std::move(series));
      const int d = metric_decimals(tr.key);
      rows += fmt::format("<tr><th>{}{}</th><td>{}</td><td>{}</td><td>{:+.1f} %</td></tr>", escape(tr.label),
                          s.two_feet ? escape(", " + f.side) : "", fixed(base, d), fixed(last, d), 100.0 * (last / base - 1.0));
    }
    figures += figure(std::string(tr.label) + ": change vs the start", svg::line_chart(chart), "");
  }
  if (figures.empty()) return {};
  return fmt::format(
      "<h3 class=\"part\">Fatigue trend</h3>\n<p class=\"note\">Rolling median over 15 strides against the median of "
      "the first {:.0f} % of the valid strides; dashed lines: no change, and the fatigue_drift threshold. The rule "
      "also corrects for speed, which these lines do not.</p>{}<div class=\"charts\">{}</div>"
      "<div class=\"tw\"><table class=\"num\"><thead><tr><th>Metric</th><th>First {:.0f} %</th><th>Last {:.0f} %</th>"
      "<th>Change</th></tr></thead><tbody>{}</tbody></table></div>\n",
      100 * share, legend(s), figures, 100 * share, 100 * share, rows);
}

// Splits: per km, or per N minutes without a distance (or on a short run), from the per-stride data
// (tools/report/splits). The last row puts the last split against the first, so a drift shows as one number; a
// change past the fatigue rule's threshold (contact +5 %, cadence -3 %, impact +15 %) is marked red.
std::string splits_section(const Session& s) {
  std::vector<SplitFoot> feet;
  const bool shin = measured(s, "pta_g");
  for (const auto& f : s.feet) {
    SplitFoot sf;
    const json& sp = field(*f.doc, "spatial");
    if (field(sp, "ok").is_boolean() && field(sp, "ok").get<bool>()) sf.distance_m = number(sp, "distance_m");
    for (const auto& st : field(*f.doc, "strides")) {
      SplitStride x;
      x.ic_s = number(st, "ic_s");
      if (!std::isfinite(x.ic_s)) continue;
      x.valid = field(st, "valid").is_boolean() && field(st, "valid").get<bool>();
      x.length_m = number(st, "stride_length_m");
      x.cadence_spm = number(st, "cadence_spm");
      x.gct_ms = number(st, "gct_ms");
      x.impact_g = number(st, shin ? "pta_g" : "peak_impact_g");
      sf.strides.push_back(x);
    }
    feet.push_back(std::move(sf));
  }
  const SplitPlan plan = plan_splits(session_distance_m(s), duration_s(s));
  const std::vector<Split> splits = compute_splits(feet, duration_s(s), plan);
  if (splits.size() < 2) return {};

  struct Col {
    const char* head;
    double Split::*value;
    int decimals;
    double limit;  // relative change, last vs first, past which the drift is marked (sign: direction); 0: none
  };
  const Col cols[] = {
      {"Cadence<br><small>steps/min</small>", &Split::cadence_spm, 0, -flag_setting(s, "fatigue_cadence_rel", 0.03)},
      {"Contact<br><small>ms</small>", &Split::gct_ms, 0, flag_setting(s, "fatigue_gct_rel", 0.05)},
      {"Stride<br><small>m</small>", &Split::stride_length_m, 2, 0},
      {shin ? "Tibial shock<br><small>g</small>" : "Impact<br><small>g</small>", &Split::impact_g, 1,
       shin ? 0 : flag_setting(s, "impact_rise_rel", 0.15)},
  };
  const auto any = [&](double Split::*v) {
    return std::any_of(splits.begin(), splits.end(), [&](const Split& x) { return std::isfinite(x.*v); });
  };
  const bool paced = any(&Split::pace_s_per_km);
  std::string head = "<tr><th>Split</th>" + std::string(plan.by_km ? "<th>Time</th>" : "<th>km</th>");
  if (paced) head += "<th>Pace<br><small>min/km</small></th>";
  for (const auto& c : cols)
    if (any(c.value)) head += std::string("<th>") + c.head + "</th>";
  head += "<th>Strides</th></tr>";
  std::string rows;
  for (const auto& x : splits) {
    rows += "<tr" + std::string(x.partial ? " class=\"partial\"" : "") + "><th>" + escape(x.label) + "</th>";
    rows += "<td>" + (plan.by_km ? clock(x.to_s - x.from_s) : fixed(x.distance_m / 1000.0, 2)) + "</td>";
    if (paced) rows += "<td>" + (std::isfinite(x.pace_s_per_km) ? clock(x.pace_s_per_km) : std::string("—")) + "</td>";
    for (const auto& c : cols)
      if (any(c.value)) rows += "<td>" + fixed(x.*c.value, c.decimals) + "</td>";
    rows += "<td>" + std::to_string(x.strides) + "</td></tr>";
  }
  // Drift: the last full split (the partial one is short and noisy) against the first.
  const Split& first = splits.front();
  const Split& last = splits.back().partial && splits.size() > 2 ? splits[splits.size() - 2] : splits.back();
  std::string drift = "<tr class=\"drift\"><th>" + escape(last.label) + " vs " + escape(first.label) + "</th><td></td>";
  if (paced) {
    const double d = last.pace_s_per_km - first.pace_s_per_km;
    drift += "<td>" + (std::isfinite(d) ? fmt::format("{:+.0f} s", d) : std::string("—")) + "</td>";
  }
  for (const auto& c : cols) {
    if (!any(c.value)) continue;
    const double a = first.*c.value, b = last.*c.value;
    const double rel = std::isfinite(a) && std::isfinite(b) && std::abs(a) > 0 ? b / a - 1.0 : kNaN;
    const bool past = c.limit != 0 && std::isfinite(rel) && (c.limit > 0 ? rel > c.limit : rel < c.limit);
    const double shown = std::round(100 * rel);
    drift += std::string("<td") + (past ? " class=\"out\"" : "") + ">" +
             (std::isfinite(rel) ? fmt::format("{:+.0f} %", shown == 0 ? 0.0 : shown) : std::string("—")) + "</td>";
  }
  drift += "<td></td></tr>";
  const std::string how =
      plan.by_km ? "Per km of the measured distance"
                 : fmt::format("Per {}{}", plan.minutes == 1 ? std::string("minute") : fmt::format("{:g} minutes", plan.minutes),
                               paced ? " (the run is too short for km splits)" : " (no distance was measured)");
  return "<h3 class=\"part\">Splits</h3>\n<p class=\"note\">" + escape(how) +
         "; medians of the valid strides" + (s.two_feet ? " of both feet" : std::string()) +
         ". The last row is the change from the first to the last full split (not corrected for speed); red: past "
         "the fatigue rule's threshold. The recording has no laps.</p>" +
         "<div class=\"tw\"><table class=\"num splits\"><thead>" + head + "</thead><tbody>" + rows + drift +
         "</tbody></table></div>\n";
}

// Trust: the raw signal behind each flag (the document's "trust_windows", written by `analyze`): |acc| and |gyro|
// with the detected IC and TC and the zero-velocity windows, so a coach can see the detector did right before
// believing a flag; each window zooms by choice into one of the flag's strides at full rate, under the flag's metric
// over the session (tools/report/trust_view). Older
// documents have none: the section is left out.
// A flag's value of `key` for the foot of `side`: "left_gct_ms" for the left foot of a flag of both, else "gct_ms".
double flag_value(const json& flag, const std::string& side, const std::string& key) {
  const json& values = field(flag, "values");
  const double own = number(values, (side + "_" + key).c_str());
  return std::isfinite(own) ? own : number(values, key.c_str());
}

// "peak impact 18.6 g (the flag's median 15.9, start 11.3), contact time 231 ms, cadence 160.2 steps/min": a stride's
// flag metric against the flag's own figures, then two of the usual ones.
std::string stride_words(const json& stride, const std::string& metric, const json& flag, const std::string& side) {
  const auto value = [&](const std::string& key) {
    const MetricInfo* m = metric_info(key);
    const std::string unit = m && *m->unit ? std::string(" ") + m->unit : "";
    std::string label = metric_short(key);
    if (!label.empty()) label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
    return label + " " + fixed(number(stride, key.c_str()), metric_decimals(key)) + unit;
  };
  std::string out = value(metric);
  const double median = flag_value(flag, side, metric), start = flag_value(flag, side, "baseline_" + metric);
  if (std::isfinite(median))
    out += " (the flag's median " + fixed(median, metric_decimals(metric)) +
           (std::isfinite(start) ? ", start " + fixed(start, metric_decimals(metric)) : std::string()) + ")";
  int more = 0;
  for (const char* key : {"gct_ms", "cadence_spm", "peak_impact_g", "fsa_deg"})
    if (more < 2 && key != metric && std::isfinite(number(stride, key))) {
      out += ", " + value(key);
      ++more;
    }
  return out;
}

// A flag's title as the trust view writes it: an "_" (a variable name in a title) becomes a space.
std::string trust_title(const json& part) {
  std::string title = text(part, "title");
  if (title.empty()) title = text(part, "flag");
  for (char& ch : title)
    if (ch == '_') ch = ' ';
  return title;
}

// "Chosen from the 212 valid strides in the flag's range (0:04–3:52) by step rate: the lowest (worst), the median
// (typical), the highest (mildest)." Why these strides were offered, under the flag's buttons.
std::string offered_words(const json& part, const std::string& metric, std::size_t candidates, const json& flag) {
  const json& ev = field(part, "evidence_strides");
  if (!ev.is_array() || ev.empty()) return {};
  double worst = NAN, mildest = NAN;
  for (const auto& e : ev) {
    if (text(e, "label") == "worst") worst = number(e, "value");
    if (text(e, "label") == "mildest") mildest = number(e, "value");
  }
  const bool lower = std::isfinite(worst) && std::isfinite(mildest) && worst < mildest;
  std::string picks;
  for (const auto& e : ev) {
    const std::string label = text(e, "label");
    const std::string which = label == "typical" ? "the median" : (label == "worst") == lower ? "the lowest" : "the highest";
    picks += (picks.empty() ? "" : ", ") + which + " (" + label + ")";
  }
  std::string name = metric_short(metric);
  if (!name.empty()) name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return fmt::format("Chosen from the {} valid stride{} in the flag's range ({}–{}) by {}: {}.", candidates,
                     candidates == 1 ? "" : "s", clock(number(flag, "from_s")), clock(number(flag, "to_s")), name, picks);
}

// What the trust view's figure of window `w` shows around one of its flags (`part`: the window itself for its own
// flag, or an entry of its "other_flags"; tools/report/trust_view): the flag's metric on the window's foot over the
// session (at most 240 points: medians of consecutive strides on a long run), the flag's range and baseline, and
// the offered strides' times and values.
TrustContext trust_context(const Session& s, const json& w, const json& part) {
  TrustContext c;
  c.flag_title = trust_title(part);
  const std::string metric = text(part, "evidence_metric"), side = text(w, "foot");
  const Foot* foot = s.feet.size() == 1 ? &s.feet.front() : nullptr;
  for (const auto& f : s.feet)
    if (f.side == side) foot = &f;
  const json& strides = foot ? field(*foot->doc, "strides") : json();
  if (metric.empty() || !strides.is_array()) return c;
  // The document's flag of this id and title (two asymmetry flags share an id), else the first of its id.
  const json* flag = nullptr;
  for (const bool by_title : {true, false})
    for (const auto& f : field(*s.root, "flags"))
      if (!flag && text(f, "id") == text(part, "flag") && (!by_title || text(f, "title") == text(part, "title")))
        flag = &f;
  if (!flag) return c;
  const double from_s = number(*flag, "from_s"), to_s = number(*flag, "to_s");
  std::vector<std::pair<double, double>> points;
  std::size_t candidates = 0;  // as tools/session/trust_evidence counts them (its 2 s limit aside)
  for (const auto& st : strides)
    if (field(st, "valid").is_boolean() && field(st, "valid").get<bool>() && std::isfinite(number(st, metric.c_str()))) {
      points.emplace_back(number(st, "ic_s") / 60, number(st, metric.c_str()));
      candidates += number(st, "ic_s") >= from_s - 1e-6 && number(st, "next_ic_s") <= to_s + 1e-6;
    }
  constexpr std::size_t kMaxPoints = 240;
  const std::size_t per = (points.size() + kMaxPoints - 1) / kMaxPoints;
  for (std::size_t a = 0; per > 0 && a < points.size(); a += per) {
    std::vector<double> t, v;
    for (std::size_t i = a; i < std::min(points.size(), a + per); ++i) {
      t.push_back(points[i].first);
      v.push_back(points[i].second);
    }
    c.t_min.push_back(t[t.size() / 2]);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    c.value.push_back(v[v.size() / 2]);
  }
  c.metric_label = metric_label(metric);
  c.flag_from_min = from_s / 60;
  c.flag_to_min = to_s / 60;
  const double start = flag_value(*flag, side, "baseline_" + metric);
  if (std::isfinite(start)) c.baseline = {start, "the flag's start (baseline): " + fixed(start, metric_decimals(metric))};
  c.offered_words = offered_words(part, metric, candidates, *flag);
  std::vector<double> numbers{number(w, "zoom_stride_n")};
  for (const auto& e : field(part, "evidence_strides")) numbers.push_back(number(e, "n"));
  for (const double n : numbers) {
    if (!(n >= 1) || n > static_cast<double>(strides.size())) continue;
    const json& st = strides[static_cast<std::size_t>(n) - 1];
    c.stride_t_min[std::lround(n)] = number(st, "ic_s") / 60;
    c.stride_words[std::lround(n)] = stride_words(st, metric, *flag, side);
  }
  return c;
}

// A time to a tenth of a second, as the trust view's stride views count from it: "3:48.9".
std::string clock_tenths(double s) {
  if (!std::isfinite(s)) return "—";
  const long tenths = std::lround(s * 10);
  return fmt::format("{}:{:02}.{}", tenths / 600, tenths / 10 % 60, tenths % 10);
}

std::string trust_section(const Session& s) {
  const json& windows = field(*s.root, "trust_windows");
  if (!windows.is_array() || windows.empty()) return {};
  std::string figures;
  bool zooms = false, chooses = false;
  for (std::size_t k = 0; k < windows.size(); ++k) {
    const json& w = windows[k];
    const double from = number(w, "from_s");
    const std::string foot = text(w, "foot");
    zooms = zooms || field(w, "zoom_s").is_array();
    chooses = chooses || (field(w, "zoom_s").is_array() && field(w, "evidence_strides").is_array());
    // Every flag the window is drawn for: its own, then those over the same range ("other_flags").
    std::vector<TrustContext> contexts;
    for (const json* part : trust_window_flags(w)) contexts.push_back(trust_context(s, w, *part));
    const std::string others =
        contexts.size() == 1 ? std::string()
        : contexts.size() == 2 ? " and “" + contexts[1].flag_title + "”"
                               : fmt::format(" and {} other flags", contexts.size() - 1);
    figures += trust_window_figure(
        w, {fmt::format("Raw signal behind “{}”{}{}, {}–{}", contexts.front().flag_title, others,
                        foot == "left" || foot == "right" ? ", " + foot + " foot" : std::string(), clock(from),
                        clock(number(w, "to_s"))),
            clock(from), fmt::format("s{}-tw{}", s.index, k + 1), std::move(contexts), clock_tenths});
  }
  if (figures.empty()) return {};
  return "<h3 class=\"part\">Can the detection be trusted? The raw signal</h3>\n<p class=\"note\">Three seconds "
         "around the middle of each flag's time range: |acc| in g (top) and |gyro| in deg/s (below), thinned to "
         "100 Hz keeping the largest value of each block, so impacts stay." +
         std::string(chooses ? " The buttons show one stride with every sample the sensor recorded: the one in the "
                                "middle of the 3 s (the dark bar on their time axis) or the flag's worst, typical "
                                "and mildest, each with its values. The strip above: the flag's measure over the "
                                "whole run, its time range shaded, its start dashed, the strides offered as numbered "
                                "lines. Flags over the same time range share the signal, each with its own strip and "
                                "strides."
                     : zooms ? " “Zoom” shows one of the flag's strides with every sample the sensor recorded (its "
                               "place is the dark bar on the 3 s view's time axis)."
                             : "") +
         " Red lines: detected foot strikes (IC); dashed: toe-offs (TC); green bands: the zero-velocity windows, "
         "where the foot is taken as still.</p><div class=\"charts\">" +
         figures + "</div>\n";
}

std::string bilateral_section(const Session& s) {
  if (!s.two_feet) return {};
  const json& b = field(*s.root, "bilateral");
  std::string out = "<h3 class=\"part\">Left and right</h3>\n";
  out += fmt::format("<p>{} steps of both feet, alternating L-R in {} % of them; {}.</p>", or_dash(text(b, "steps")),
                     fixed(100 * number(b, "alternation_share"), 0), clock_words(field(b, "clock")));
  const double threshold = 100 * flag_setting(s, "asymmetry_si", 0.10);
  // One figure: the left and right medians of each metric as paired bars, with the symmetry index beside them.
  std::vector<svg::PairedRow> pairs;
  for (const auto& [k, v] : field(b, "symmetry").items()) {
    const MetricInfo* m = metric_info(k);
    const std::string unit = m ? unit_short(m->unit) : std::string();
    pairs.push_back({metric_short(k) + (unit.empty() ? "" : " (" + unit + ")"), number(v, "left"), number(v, "right"),
                     metric_decimals(k)});
  }
  out += "<div class=\"charts lr\">" +
         figure("Left vs right: medians and symmetry index (%)", svg::paired_bars_chart(pairs, threshold),
                fmt::format("Blue left, orange right. SI = 200·|L−R|/(L+R); red past {:.0f} %, the asymmetry rule's "
                            "threshold; healthy runners show about 1–6 %.", threshold)) +
         "</div>\n";
  std::string both;
  for (const auto& [k, m] : field(b, "metrics").items()) {
    const int d = metric_decimals(k);
    if (std::isfinite(number(m, "median")))
      both += fmt::format("<tr><th>{}</th><td>{}</td><td>{} ± {}</td><td>{}</td></tr>", escape(metric_label(k)),
                          fixed(number(m, "median"), d), fixed(number(m, "mean"), d), fixed(number(m, "sd"), d),
                          fixed(number(m, "n"), 0));
  }
  if (!both.empty())
    out += "<h4>Measured from both feet</h4>" +
           std::string(R"(<div class="tw"><table class="num"><thead><tr><th>Metric</th><th>Median</th><th>Mean ± SD</th><th>n</th></tr></thead><tbody>)") +
           both + "</tbody></table></div>\n";
  return out;
}

std::string quality_section(const Session& s) {
  struct Row {
    std::string label;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  const auto add = [&](const std::string& label, auto cell) {
    Row r{label, {}};
    for (const auto& f : s.feet) r.cells.push_back(cell(*f.doc));
    rows.push_back(std::move(r));
  };
  add("Sample rate", [](const json& d) {
    const json& q = field(d, "data_quality");
    return fixed(number(q, "nominal_rate_hz"), 1) + " Hz (declared " + rate(number(q, "declared_rate_hz")) + ")";
  });
  add("Interval jitter (SD)", [](const json& d) { return fixed(number(field(d, "data_quality"), "interval_jitter_ms"), 2) + " ms"; });
  add("Gaps", [](const json& d) {
    const json& q = field(d, "data_quality");
    return fmt::format("{} ({} samples missing, longest {} s)", or_dash(text(q, "gap_count")), or_dash(text(q, "missing_samples")),
                       fixed(number(q, "gap_longest_s"), 3));
  });
  add("Clipped samples", [](const json& d) {
    const json& q = field(d, "data_quality");
    return fmt::format("acc {}, gyro {}", or_dash(text(q, "clipped_acc_samples")), or_dash(text(q, "clipped_gyr_samples")));
  });
  add("Skipped lines", [](const json& d) {
    const json& i = field(d, "import");
    return or_dash(text(i, "skipped_lines")) + (number(i, "duplicate_stamps") > 0 ? ", " + or_dash(text(i, "duplicate_stamps")) + " repeated stamps" : "");
  });
  add("Units", [](const json& d) {
    const json& i = field(d, "import");
    return fmt::format("acc {} ({}); gyro {} ({})", or_dash(text(i, "acc_unit")), or_dash(text(i, "acc_unit_reason")),
                       or_dash(text(i, "gyr_unit")), or_dash(text(i, "gyr_unit_reason")));
  });
  add("Mounting", [](const json& d) {
    const json& m = field(d, "mounting");
    const bool ok = field(m, "ok").is_boolean() && field(m, "ok").get<bool>();
    std::string v = ok ? "calibrated" : "not calibrated";
    if (std::isfinite(number(m, "pitch_axis_tilt_deg"))) v += ", pitch axis tilt " + fixed(number(m, "pitch_axis_tilt_deg"), 1) + "°";
    if (!text(m, "message").empty()) v += "; " + escape(text(m, "message"));
    return v;
  });
  add("Valid strides", [](const json& d) {
    const json& sm = field(d, "summary");
    const double v = number(sm, "strides_valid"), t = number(sm, "strides_total");
    return fmt::format("{} of {}{}", fixed(v, 0), fixed(t, 0), t > 0 ? " (" + fixed(100 * v / t, 1) + " %)" : "");
  });
  std::string head = "<tr><th></th>";
  for (const auto& f : s.feet) head += "<th>" + escape(capitalised(foot_name(f))) + "</th>";
  std::string body;
  for (const auto& r : rows) {
    body += "<tr><th>" + escape(r.label) + "</th>";
    for (const auto& c : r.cells) body += "<td>" + c + "</td>";
    body += "</tr>";
  }
  std::string out = "<h3 class=\"part\">Data quality</h3>\n<div class=\"tw\"><table class=\"dq\"><thead>" + head +
                    "</tr></thead><tbody>" + body + "</tbody></table></div>\n";
  std::string notes;
  for (const auto& f : s.feet)
    for (const auto& w : field(*f.doc, "warnings"))
      if (w.is_string()) notes += "<li>" + (s.two_feet ? escape(capitalised(f.side)) + ": " : "") + escape(w.get<std::string>()) + "</li>";
  if (!notes.empty()) out += "<p>Notes from the analysis:</p><ul>" + notes + "</ul>\n";
  return out;
}

std::string session_section(const Session& s, bool several) {
  const json& meta = field(first_foot(s), "metadata");
  std::string name = text(field(first_foot(s), "input"), "file");
  if (name.empty()) name = text(meta, "start_time");
  std::string out = fmt::format("<section id=\"s{}\">", s.index);
  if (several) out += fmt::format("<h2>Session {}: {}</h2>\n", s.index, or_dash(name));
  Notes notes{fmt::format("s{}", s.index), {}};
  out += first_screen(s, notes);  // first: it cites the notes that list() writes (operands of + are unsequenced)
  // Each part in its own box, so the print stylesheet can compact or drop it: a printed page keeps the flags,
  // splits, left/right, the fatigue trend and short facts; the along-run plots print small, the distributions not.
  const auto part = [](const char* name, const std::string& html) {
    return html.empty() ? std::string() : fmt::format("<div class=\"p-{}\">{}</div>\n", name, html);
  };
  out += part("flags", flags_section(s)) + part("splits", splits_section(s)) + part("trust", trust_section(s)) +
         part("lr", bilateral_section(s)) +
         part("fatigue", fatigue_section(s)) + part("along", along_run_section(s)) +
         part("dist", distributions_section(s)) + part("refs", notes.list()) +
         part("rec", "<h3 class=\"part\">Recording</h3>\n" + header(s)) + part("sum", summary_section(s)) +
         part("dq", quality_section(s)) +
         "<p class=\"print-only note\">Printed: the raw signal behind the flags, the plots along the run, the "
         "distributions, the summary tables, the flags' rules and the sources of the bands are on the page on "
         "screen.</p>\n";
  return out + "</section>\n";
}

double median_of(const Session& s, const char* key) {
  if (s.two_feet) {
    const double both = number(field(field(field(*s.root, "bilateral"), "metrics"), key), "median");
    if (std::isfinite(both)) return both;
  }
  std::vector<double> v;
  for (const auto& f : s.feet) {
    const double m = number(field(field(field(*f.doc, "summary"), "metrics"), key), "median");
    if (std::isfinite(m)) v.push_back(m);
  }
  return v.empty() ? kNaN : quantile(v, 0.5);
}

std::string across_sessions(const std::vector<Session>& sessions) {
  std::string rows;
  for (const auto& s : sessions) {
    const json& first = first_foot(s);
    const json& sp = field(first, "spatial");
    const bool spatial = field(sp, "ok").is_boolean() && field(sp, "ok").get<bool>();
    std::string ids;
    for (const auto& f : field(*s.root, "flags"))
      if (text(f, "id") != "data_quality") ids += (ids.empty() ? "" : ", ") + text(f, "id");
    rows += fmt::format(
        "<tr><th><a href=\"#s{}\">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        s.index, s.index, or_dash(text(field(first, "metadata"), "start_time")), clock(duration_s(s)),
        spatial ? fixed(number(sp, "distance_m") / 1000, 2) : "—", fixed(median_of(s, "cadence_spm"), 0),
        fixed(median_of(s, "gct_ms"), 0), fixed(median_of(s, "peak_impact_g"), 1), or_dash(ids));
  }
  return "<section><h2>Across sessions</h2><div class=\"tw\"><table class=\"num\"><thead><tr><th>#</th><th>Date</th>"
         "<th>Duration</th><th>km</th><th>Cadence</th><th>Contact ms</th><th>Impact g</th><th>Flags</th></tr></thead>"
         "<tbody>" + rows + "</tbody></table></div><p class=\"note\">Medians; cadence as measured (from one foot when "
         "only one was recorded).</p></section>\n";
}

// One stylesheet for everything, colours by class (the SVGs carry none). Narrow screens: one column, smaller
// type; tables scroll inside their own box (.tw) so the page itself never scrolls sideways.
constexpr const char* kStyle = R"(
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d232a;background:#f4f5f7}
main{max-width:1200px;margin:0 auto;padding:12px}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.3em;margin:1.2em 0 .4em;border-bottom:2px solid #cfd6de}
h3.part{font-size:1.1em;margin:1.2em 0 .4em}h4{margin:.6em 0 .3em}
.facts dd,.flag,li,h2{overflow-wrap:anywhere}
.note,small{color:#58626e}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,150px),1fr));gap:4px 16px;margin:0;padding:10px;background:#fff;border:1px solid #dde2e8;border-radius:8px}
.facts dt{font-size:.8em;color:#58626e}.facts .wide{grid-column:1/-1}.facts dd{margin:0}
.who{margin:0 0 8px;color:#3a434d}
.score{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,172px),1fr));gap:6px;margin:0 0 6px}
@media (min-width:900px){.score{grid-template-columns:repeat(4,minmax(0,1fr))}}
.sc{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:6px;background:#fff;border:1px solid #dde2e8;border-left:6px solid #b7bfc8;border-radius:6px;padding:3px 8px 4px;line-height:1.25;min-width:0;overflow-wrap:anywhere}
.sc.in{border-left-color:#2e7d32}.sc.out{border-left-color:#c62828;background:#fff4f3}
.sc .k{flex:1 1 auto;font-size:.8em;color:#58626e}.sc .k small{font-size:1em}
.sc .v{flex:0 0 auto;margin-left:auto;font-size:1.3em;font-weight:700;white-space:nowrap}
.sc .lr{font-size:.55em;font-weight:400;color:#58626e;vertical-align:2px}
.sc .r{flex:1 1 100%;font-size:.78em;color:#3a434d}.st{font-weight:700}.st.in{color:#2e7d32}.st.out{color:#c62828}
sup a{text-decoration:none;color:#1f6fb2}sup{font-size:.75em;line-height:0}
.flines{list-style:none;margin:0;padding:0}
.fl{background:#fff;border:1px solid #dde2e8;border-left:6px solid #e0a100;border-radius:6px;padding:2px 8px;margin:3px 0;line-height:1.35}
.fl.warn{border-left-color:#c62828}.fl a{color:inherit;text-decoration:none;display:block}.fl .sev{font-size:.68em}
.first h3.part{margin:.6em 0 .2em}.first h3 small{font-weight:400;font-size:.75em}
.refs{font-size:.85em;color:#3a434d;padding-left:1.6em}.refs li{margin:.2em 0}
.flag{display:block;background:#fff8e1;border:1px solid #f0d78c;border-left:8px solid #e0a100;border-radius:8px;padding:6px 12px;margin:6px 0}
.flag.warn{background:#fdecea;border-color:#efb3ab;border-left-color:#c62828}
.flag summary{font-weight:600;cursor:pointer}.flag .ev{margin:.4em 0}.flag .meta{margin:.2em 0;font-size:.85em;color:#58626e}
.flag dl{margin:.4em 0;display:grid;grid-template-columns:minmax(7em,max-content) 1fr;gap:2px 10px}
.flag dt{font-weight:600;font-size:.9em}.flag dd{margin:0}
.sev{display:inline-block;font-size:.75em;text-transform:uppercase;letter-spacing:.03em;padding:1px 6px;border-radius:4px;background:#e0a100;color:#fff;vertical-align:2px}
.warn .sev{background:#c62828}.side{font-size:.8em;color:#58626e;font-weight:normal}
.tw{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;max-width:860px;background:#fff;font-size:.92em}
th,td{padding:4px 8px;border-bottom:1px solid #e6e9ed;text-align:left;vertical-align:top}
table.num td{text-align:right;white-space:nowrap}thead th{font-size:.85em;color:#58626e;white-space:nowrap}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,440px),1fr));gap:12px}
figure{margin:0;background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:8px;min-width:0}
figcaption{font-size:.92em;margin-bottom:4px}
svg{display:block;width:100%;height:auto}
svg .t{fill:#58626e}svg .g{stroke:#e3e7ec}svg .a{stroke:#9aa4ae}svg .f{fill:none;stroke:#c3cad2}
svg .ln{fill:none;stroke-width:1.6;stroke-linejoin:round}svg .band{stroke:none;opacity:.22}
svg .guide{stroke:#7b8794;stroke-dasharray:5 4}svg .gl{font-size:11px}
.c0{stroke:#1f6fb2;fill:#1f6fb2}.left{stroke:#1f6fb2;fill:#1f6fb2}.right{stroke:#d9480f;fill:#d9480f}
svg .ln.c0,svg .ln.left,svg .ln.right{fill:none}
.bar.left,.bar.right{opacity:.55}.bar{stroke:none}
svg .zv{fill:#2e7d32;opacity:.14}svg .ic{stroke:#c62828;stroke-width:1.2}svg .tc{stroke:#6b4fa0;stroke-width:1.2;stroke-dasharray:4 3}svg .icl,svg .tcl{font-size:10px}
svg .icl{fill:#c62828}svg .zr{fill:#1d232a;opacity:.55}
.tz{position:relative}.tz input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.tz label{display:inline-block;font-size:.82em;padding:0 8px;margin:0 4px 4px 0;border:1px solid #b7bfc8;border-radius:4px;background:#fff;color:#3a434d;cursor:pointer}
.tz-kv{margin:.2em 0 0;font-size:.85em;font-weight:600}.tz-b{margin:0}.tz-gh{margin:.4em 0 .1em;font-size:.85em;font-weight:600}
.tz-why{margin:0 0 .3em;font-size:.8em;color:#3a434d}
svg .fr{fill:#e0a100;opacity:.16}svg .ev{stroke:#1d232a;stroke-width:1.2}svg .evl{font-size:10px}.tz-cap{margin:.2em 0 0;font-size:.85em;color:#3a434d}
svg .si-v{fill:#2e7d32}svg .si-v.over{fill:#c62828}
table.splits td.out{color:#c62828;font-weight:700}table.splits tr.drift{border-top:2px solid #9aa4ae}table.splits tr.partial{color:#58626e}
.legend{margin:.2em 0}.key{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;border-radius:2px}
.key.left{background:#1f6fb2}.key.right{background:#d9480f}
footer{margin:2em 0 1em;font-size:.85em;color:#58626e}.print-only{display:none}
@media (max-width:600px){body{font-size:14px}main{padding:8px}h1{font-size:1.3em}th,td{padding:3px 5px}.flag dl{grid-template-columns:1fr}.flag dd{margin-bottom:4px}
.score{grid-template-columns:repeat(2,minmax(0,1fr));gap:4px}.sc{padding:1px 6px 2px;column-gap:4px}.sc .v{font-size:1.1em}
.sc .r{font-size:.75em}.fl{font-size:.93em;padding:2px 6px}.who{margin-bottom:5px}h3.part{font-size:1em}}
@media print{@page{size:A4;margin:9mm 10mm}
body{background:#fff;font-size:8pt;line-height:1.3}main{max-width:none;padding:0}
h1{font-size:1.35em;margin:0 0 .2em}h2{font-size:1.2em}h3.part,.first h3.part{font-size:1.05em;margin:.5em 0 .15em;break-after:avoid}
h4{margin:.2em 0}p{margin:.2em 0}.note,small{font-size:.92em}
.score{grid-template-columns:repeat(4,minmax(0,1fr));gap:3px}.sc{padding:1px 6px 2px}.sc .v{font-size:1.15em}
.fl{padding:1px 6px;margin:2px 0}
details.flag:not([open])::details-content{content-visibility:visible;display:block}
details.flag>summary{list-style:none}details.flag>summary::-webkit-details-marker{display:none}
.flag{padding:2px 8px;margin:3px 0;border-left-width:5px}.flag .ev,.flag .meta{margin:.1em 0}
.flag dl{margin:.15em 0;grid-template-columns:8em 1fr;gap:0 8px}.flag dt{font-size:1em}.flag .fid{display:none}
figure,.sc,.fl,.flag,tr,.refs li{break-inside:avoid}
figure{padding:2px 4px;border-radius:4px}figcaption{font-size:.95em;margin:0}
.charts{grid-template-columns:repeat(4,minmax(0,1fr));gap:4px}
.p-lr .charts{grid-template-columns:minmax(0,1fr);max-width:45%}.p-fatigue .charts{grid-template-columns:repeat(3,minmax(0,1fr))}
.p-dist,.p-refs,.p-along,.p-trust,.p-sum,.p-lr h4,.p-lr h4+.tw,.flag .rule{display:none}.print-only{display:block}
.legend{margin:0}.flag .raw,.tz label,.tz-vs,.tz-ve,.tz-ctx,.tz-g{display:none!important}.tz-vc{display:block!important}
table{font-size:.95em;max-width:none}th,td{padding:1px 5px}thead th{font-size:.9em}
.cols{grid-template-columns:repeat(2,minmax(0,1fr));gap:6px}.facts{padding:4px;gap:0 10px;grid-template-columns:repeat(5,minmax(0,1fr))}
.p-rec ul,.p-dq ul{margin:.1em 0;padding-left:1.4em}
.tw{overflow:visible}a{color:inherit;text-decoration:none}footer{margin:.5em 0 0;font-size:.85em}}
)";

// Records load time (navigation start to the load event, after a forced layout), horizontal overflow, errors, and
// the trust view's windows ("figures, shown 3 s views, shown zoom views, shown evidence-stride views") and the first one's box into data-*
// attributes of <html>: the headless tests read them back with --dump-dom. Headless Chromium keeps its
// window at least 500 px wide, so a phone width is asked for in the URL (#width=390): the body is narrowed to it
// (the narrow-screen CSS already applies below 600 px) and the overflow is the body's scroll width past it.
constexpr const char* kSelfCheckScript = R"(<script>
(function(){var d=document.documentElement,e=[];
window.addEventListener('error',function(x){e.push('error '+(x.message||(x.target&&x.target.tagName)||''))},true);
document.addEventListener('securitypolicyviolation',function(x){e.push('csp '+x.violatedDirective+' '+x.blockedURI)});
var ce=console.error;console.error=function(){e.push('console '+Array.prototype.join.call(arguments,' '));ce.apply(console,arguments)};
window.addEventListener('load',function(){var s=d.scrollWidth,t=Math.round(performance.now()),b=document.body,
m=/width=(\d+)/.exec(location.hash),w=innerWidth;if(m){w=+m[1];b.style.width=w+'px';s=b.scrollWidth}
d.setAttribute('data-load-ms',t);d.setAttribute('data-layout-width',w);d.setAttribute('data-scroll-width',s);
var f=document.querySelector('.first'),fb=f?Math.ceil(f.getBoundingClientRect().bottom+scrollY):-1,
pl=document.querySelector('figure'),pt=pl?Math.floor(pl.getBoundingClientRect().top+scrollY):-1;
d.setAttribute('data-first-bottom',fb);d.setAttribute('data-first-plot-top',pt);d.setAttribute('data-viewport-height',innerHeight);
d.setAttribute('data-page-height',Math.max(b.scrollHeight,d.scrollHeight));
var tz=document.querySelectorAll('.tz'),vc=0,vs=0,ve=0,shown=function(x){return x&&x.getClientRects().length>0};
tz.forEach(function(x){vc+=shown(x.querySelector('.tz-vc'))?1:0;vs+=shown(x.querySelector('.tz-vs'))?1:0;
x.querySelectorAll('.tz-ve').forEach(function(y){ve+=shown(y)?1:0})});
d.setAttribute('data-trust-views',tz.length+' '+vc+' '+vs+' '+ve);if(tz.length){var r=tz[0].getBoundingClientRect();
d.setAttribute('data-trust-box',[r.left+scrollX,r.top+scrollY,r.width,r.height].map(Math.round).join(' '))}
d.setAttribute('data-overflow',s>w?'yes':'no');d.setAttribute('data-errors',e.join(' | '));d.setAttribute('data-checked','yes')});})();
</script>)";

}  // namespace

std::string page_start(const std::string& title, bool self_check, std::string_view extra_css) {
  const std::string csp = std::string("default-src 'none'; style-src 'unsafe-inline'; img-src data:") +
                          (self_check ? "; script-src 'unsafe-inline'" : "");
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<title>" + escape(title) + "</title>\n<style>" + kStyle + std::string(extra_css) + "</style>\n";
  if (self_check) out += std::string(kSelfCheckScript) + "\n";
  out += "</head><body><main>\n<h1>" + escape(title) + "</h1>\n";
  return out;
}

std::string page_end(std::string_view footer_text) {
  return "<footer>" + escape(footer_text) + "</footer>\n</main></body></html>\n";
}

bool is_session_document(const json& doc) { return document::is_session_document(doc); }

std::string render_html_report(const std::vector<json>& documents, const ReportOptions& options) {
  std::vector<Session> sessions;
  for (std::size_t i = 0; i < documents.size(); ++i)
    if (is_session_document(documents[i])) sessions.push_back(view(documents[i], static_cast<int>(i + 1)));
  std::string title = options.title;
  if (title.empty()) {
    const std::string athlete = sessions.empty() ? "" : text(field(first_foot(sessions.front()), "metadata"), "athlete");
    title = athlete.empty() ? "Gait report" : "Gait report: " + athlete;
  }
  std::string out = page_start(title, options.self_check, trust_view_css());
  out.reserve(256 * 1024);
    if (sessions.size() > 1) out += across_sessions(sessions);
  for (const auto& s : sessions) out += session_section(s, sessions.size() > 1);
  if (sessions.empty()) out += "<p>No session to show.</p>\n";
  out += page_end("Made by stride from foot or shin sensor data: the flags point at patterns the runner's-knee "
                  "literature associates with knee pain, worth checking, not a diagnosis. Times are minutes from the "
                  "start of each recording. Field meanings: docs/session-json.md and docs/flags.md in stride.");
  return out;
}

}  // namespace stride::report
