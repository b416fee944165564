#include "tools/history/history_save.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "stride/exit_codes.hpp"
#include "stride/utf8.hpp"
#include "tools/document/session_document.hpp"

namespace stride::history {
namespace {

using nlohmann::json;

double num(const json& j, const char* key) {
  if (!j.is_object()) return std::nan("");
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : std::nan("");
}

std::string str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  // Valid UTF-8 whatever the document holds: the history never stores a string it cannot give back.
  return it != j.end() && it->is_string() ? utf8::to_valid(it->get<std::string>()) : std::string();
}

const json& sub(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it != j.end() ? *it : kNull;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string local_iso(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

// Flags a document may already carry from an earlier save: replaced by the ones computed now.
bool is_load_flag(const std::string& id, const std::string& title) {
  return id == "load_spike" || id == "weekly_jump" || id == "shoe_wear" ||
         (id == "data_quality" && title.rfind("Data quality: too little history", 0) == 0);
}

// Seconds per unit of a CSV time column as the import report names it; 0 for anything else ("none (rate ...)").
double seconds_per(const std::string& unit) {
  if (unit == "s") return 1.0;
  if (unit == "ms") return 1e-3;
  if (unit == "us") return 1e-6;
  if (unit == "ns") return 1e-9;
  return 0.0;
}

// A Unix time a clock in a recording can honestly claim: 2000-01-01 to 2100-01-01. A device counting from its
// power-on (seconds or milliseconds since boot) falls far below and is not a date.
bool plausible_unix_s(double t) { return std::isfinite(t) && t >= 946684800.0 && t < 4102444800.0; }

}  // namespace

std::optional<double> parse_iso_day(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double sec = 0;
  const char* s = iso.c_str();
  int used = 0;
  if (std::sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) return std::nullopt;
  std::size_t at = 10;
  if (at < iso.size() && (iso[at] == 'T' || iso[at] == ' ')) {
    int u = 0;
    if (std::sscanf(s + at + 1, "%2d:%2d%n", &h, &mi, &u) != 2 || u != 5) return std::nullopt;
    at += 1 + 5;
    if (at < iso.size() && iso[at] == ':') {
      char* end = nullptr;
      sec = std::strtod(s + at + 1, &end);
      if (end == s + at + 1) return std::nullopt;
      at = static_cast<std::size_t>(end - s);
    }
    if (at < iso.size() && iso[at] == 'Z') ++at;
    else if (at < iso.size() && (iso[at] == '+' || iso[at] == '-')) {
      int oh = 0, om = 0, u2 = 0;
      if (std::sscanf(s + at + 1, "%2d:%2d%n", &oh, &om, &u2) == 2 && u2 == 5) at += 1 + 5;
      else if (std::sscanf(s + at + 1, "%2d%2d%n", &oh, &om, &u2) == 2 && u2 == 4) at += 1 + 4;
      else if (std::sscanf(s + at + 1, "%2d%n", &oh, &u2) == 1 && u2 == 2) at += 1 + 2;
      else return std::nullopt;
    }
  }
  if (at != iso.size()) return std::nullopt;
  if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(sec >= 0 && sec < 61))
    return std::nullopt;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  return static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) +
         (h * 3600.0 + mi * 60.0 + sec) / 86400.0;
}

std::vector<std::pair<std::string, const json*>> document_feet(const json& doc) {
  try {  // the layouts themselves, and an unknown schema, are tools/document's
    document::check_readable(doc, "the session document");
  } catch (const document::DocumentError& e) {
    throw HistoryError(e.what(), kBadInput);
  }
  const bool two_feet = document::is_two_feet(doc);
  if (document::layout_of(doc) == document::Layout::two_feet_v1 && !two_feet)
    throw HistoryError("the two-feet session document has no feet.left / feet.right", kBadInput);
  std::vector<std::pair<std::string, const json*>> feet;
  for (const auto& f : document::feet(doc))  // two feet: left and right; one sensor: its one foot
    if (two_feet ? f.side != "unknown" : feet.empty()) feet.emplace_back(f.side, f.doc);
  if (feet.empty())
    throw HistoryError("the session document's \"feet\" has no \"left\", \"right\" or \"unknown\" foot", kBadInput);
  return feet;
}

SessionDate session_date(const json& doc, const std::string& date_option) {
  SessionDate out;
  const auto at = [&](const std::string& iso, const std::string& source) {
    out.start_time = iso;
    out.start_day = *parse_iso_day(iso);
    out.source = source;
    return out;
  };
  if (!date_option.empty()) {
    if (!parse_iso_day(date_option))
      throw HistoryError("--date '" + date_option + "': expected ISO 8601, e.g. 2025-03-02 or 2025-03-02T07:30",
                         kBadArguments);
    return at(date_option, "--date");
  }
  // The first foot's metadata (two feet share one clock after pairing); a document that keeps them at the top
  // level is read there.
  const json& foot = *document_feet(doc).front().second;
  const auto part = [&](const char* key) -> const json& {
    return sub(foot, key).is_object() ? sub(foot, key) : sub(doc, key);
  };
  const json& meta = part("metadata");
  if (const std::string st = str(meta, "start_time"); parse_iso_day(st)) return at(st, "metadata");
  // A recorder's note of the host clock at the first sample (`stride record` writes it beside start_time).
  const double host_t0 = std::atof(str(sub(meta, "extra"), "host_t0_unix_s").c_str());
  if (plausible_unix_s(host_t0)) return at(local_iso(static_cast<std::time_t>(host_t0)), "host clock");
  // The device's own clock: a first time stamp that reads as a Unix time in the file's time unit (phone apps,
  // MetaWear, Shimmer, Sensor Logger write epoch times; a board counting from power-on does not).
  const double device_t0 = std::atof(str(sub(meta, "extra"), "device_t0").c_str()) *
                           seconds_per(str(part("import"), "time_unit"));
  if (plausible_unix_s(device_t0)) return at(local_iso(static_cast<std::time_t>(device_t0)), "device clock");
  const std::string file = str(sub(foot, "input"), "file");
  struct stat sb {};
  if (!file.empty() && ::stat(file.c_str(), &sb) == 0) {
    at(local_iso(sb.st_mtime), "file modification time");
    out.warning = file + ": dated by the file's modification time (" + out.start_time +
                  ", the recording has no start time or clock); pass --date to set it";
    return out;
  }
  at(local_iso(std::time(nullptr)), "time of saving");
  out.warning = (file.empty() ? std::string("the session") : file) +
                ": dated by the time of saving (the recording has no start time or clock and its file is not "
                "there); pass --date to set it";
  return out;
}

std::string default_db_path() {
  namespace fs = std::filesystem;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x && fs::path(x).is_absolute())
    return (fs::path(x) / "stride" / "history.sqlite").string();
  if (const char* home = std::getenv("HOME"); home && *home)
    return (fs::path(home) / ".local" / "share" / "stride" / "history.sqlite").string();
  throw HistoryError("neither XDG_DATA_HOME nor HOME is set: choose the history database with --db PATH",
                     kBadArguments);
}

SessionRow session_row_from_document(const json& doc, const SaveOptions& o, std::string* date_warning) {
  SessionRow row;
  const auto feet = document_feet(doc);
  row.two_feet = feet.size() == 2;
  for (const auto& [side, d] : feet)
    if (!sub(*d, "summary").is_object())
      throw HistoryError("the session document's " + side + " foot has no \"summary\" (docs/session-json.md)",
                         kBadInput);
  const json& first = *feet.front().second;
  const json& meta = sub(first, "metadata");

  row.athlete = !o.athlete.empty() ? utf8::to_valid(o.athlete) : str(meta, "athlete");
  row.shoe = !o.shoe.empty() ? utf8::to_valid(o.shoe) : str(meta, "shoe");
  row.placement = str(meta, "placement").empty() ? "unknown" : str(meta, "placement");
  row.tool_version = str(sub(doc, "tool"), "version");
  if (row.tool_version.empty()) row.tool_version = str(sub(first, "tool"), "version");

  // Input and its hash (the key: saving the same input again replaces the session).
  std::vector<std::string> files, hashes;
  for (const auto& [side, d] : feet) {
    const json& in = sub(*d, "input");
    files.push_back(str(in, "file"));
    hashes.push_back(str(in, "fnv1a64"));
  }
  if (files.size() == 2 && files[0] == files[1]) files.pop_back();
  if (hashes.size() == 2 && hashes[0] == hashes[1]) hashes.pop_back();
  for (std::size_t i = 0; i < files.size(); ++i) row.input_file += (i ? " + " : "") + files[i];
  for (std::size_t i = 0; i < hashes.size(); ++i) row.input_hash += (i ? "+" : "") + hashes[i];
  if (row.input_hash.empty() || row.input_hash == "+")
    throw HistoryError("the session document has no input.fnv1a64 (the key of a saved session)", kBadInput);

  const SessionDate date = session_date(doc, o.date);
  row.start_time = date.start_time;
  row.start_day = date.start_day;
  row.date_source = date.source;
  if (date_warning) *date_warning = date.warning;

  // Amounts: durations and strides over the feet; distance = mean of the feet's trajectory distances.
  double dist_sum = 0, speed_sum = 0;
  int dist_n = 0, speed_n = 0;
  for (const auto& [side, d] : feet) {
    const json& summary = sub(*d, "summary");
    const double dur = num(summary, "duration_s");
    if (std::isfinite(dur)) row.duration_s = std::isfinite(row.duration_s) ? std::max(row.duration_s, dur) : dur;
    row.strides_valid += document::count_field(summary, "strides_valid");
    row.strides_total += document::count_field(summary, "strides_total");
    const json& spatial = sub(*d, "spatial");
    const double dist = num(spatial, "distance_m");
    const bool ok = !sub(spatial, "ok").is_boolean() || sub(spatial, "ok").get<bool>();
    if (ok && std::isfinite(dist) && dist > 0) {
      dist_sum += dist;
      ++dist_n;
    }
    const double sp = num(sub(sub(summary, "metrics"), "speed_mps"), "median");
    if (std::isfinite(sp)) {
      speed_sum += sp;
      ++speed_n;
    }
    for (const auto& [name, m] : sub(summary, "metrics").items()) {
      if (!m.is_object()) continue;
      row.metrics.push_back({side, name, document::count_field(m, "n"),
                             num(m, "mean"), num(m, "sd"), num(m, "median")});
    }
  }
  if (dist_n) row.distance_m = dist_sum / dist_n;
  if (speed_n) row.speed_mps = speed_sum / speed_n;
  if (row.two_feet)  // measured from both feet together (cadence, step time, flight)
    for (const auto& [name, m] : sub(sub(doc, "bilateral"), "metrics").items()) {
      if (!m.is_object()) continue;
      row.metrics.push_back({"both", name, document::count_field(m, "n"),
                             num(m, "mean"), num(m, "sd"), num(m, "median")});
    }
  for (const auto& f : sub(doc, "flags")) {
    const std::string id = str(f, "id"), title = str(f, "title");
    if (!id.empty() && !is_load_flag(id, title)) row.flags.push_back({id, str(f, "severity"), title, str(f, "side")});
  }
  return row;
}

LoadSession load_session_from_row(const SessionRow& r) {
  LoadSession s;
  s.day = r.start_day;
  s.label = r.start_time.substr(0, 10);
  s.distance_m = r.distance_m;
  s.duration_s = std::isfinite(r.duration_s) ? r.duration_s : 0.0;
  s.shoe = r.shoe;
  s.placement = placement_from_string(r.placement).value_or(Placement::unknown);
  if (s.placement == Placement::unknown) s.placement = Placement::shoe;  // read as a shoe sensor, as flags.cpp does
  s.speed_mps = std::isfinite(r.speed_mps) ? r.speed_mps : r.metric_median("speed_mps");
  s.impact_g = r.metric_median(s.placement == Placement::shin ? "pta_g" : "peak_impact_g");
  s.strides = static_cast<double>(r.strides_valid);
  if (r.two_feet) s.side = "both";
  else if (!r.metrics.empty() && r.metrics.front().side != "unknown") s.side = r.metrics.front().side;
  return s;
}

SaveResult save_session(const std::string& db_path, const json& doc, const SaveOptions& options) {
  SaveResult result;
  SessionRow row = session_row_from_document(doc, options, &result.date_warning);
  HistoryStore store(db_path, HistoryStore::Mode::read_write);
  const auto outcome = store.save(std::move(row), [&](SessionRow& r, const std::vector<SessionRow>& others) {
    std::vector<LoadSession> earlier;
    earlier.reserve(others.size());
    for (const auto& o : others) earlier.push_back(load_session_from_row(o));
    result.load_flags = evaluate_load_flags(load_session_from_row(r), earlier, options.flag_settings);
    for (const auto& f : result.load_flags) r.flags.push_back({f.id, std::string(to_string(f.severity)), f.title, f.side});
    result.start_time = r.start_time;
    result.date_source = r.date_source;
  });
  result.session_id = outcome.id;
  result.replaced = outcome.replaced;
  return result;
}

DocumentInputs document_inputs(const json& doc) {
  DocumentInputs in;
  try {
    for (const auto& [side, foot] : document_feet(doc)) {
      in.file += (in.file.empty() ? "" : " + ") + str(sub(*foot, "input"), "file");
      in.valid_strides += num(sub(*foot, "summary"), "strides_valid");
    }
  } catch (const HistoryError&) {
    in.valid_strides = std::nan("");  // not a session document: nothing to save
  }
  return in;
}

}  // namespace stride::history
