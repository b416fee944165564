#include "firmware_iface/import/movesense_json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <simdjson.h>
#include <optional>
#include <vector>

#include "firmware_iface/protocol/columns.hpp"
#include "firmware_iface/protocol/stream_decoder.hpp"
#include "firmware_iface/protocol/unit_detection.hpp"
#include "stride/utf8.hpp"

namespace stride::io {

namespace {

// Parsing is simdjson's (a notification line is ~90 bytes a sample: nlohmann's document per line made this
// importer 5x slower per sample than the native CSV); nlohmann only words the error of a line simdjson refused.
using json = nlohmann::json;
namespace dom = simdjson::dom;
constexpr double kG = 9.80665;
constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr std::size_t kLookaheadBlocks = 16;  // notifications held to find the rate when nothing declares it

// One notification: its sensor time stamp and its samples (as in the file: acc m/s^2, gyro deg/s by the API).
struct Block {
  double ts_ms = 0.0;
  std::vector<std::array<double, 3>> acc, gyr;
  std::size_t where = 0;  // line (one object per line) or notification index (whole documents), 1-based
};

// The rate in a Uri such as "ECKI/Meas/IMU6/104" (0 when none).
double rate_from_uri(dom::element j) {
  std::string_view uri;
  if (j["Uri"].get(uri) != simdjson::SUCCESS) return 0.0;
  const auto slash = uri.find_last_of('/');
  if (slash == std::string_view::npos || uri.find("/Meas/") == std::string_view::npos) return 0.0;
  double v = 0.0;
  const auto res = std::from_chars(uri.data() + slash + 1, uri.data() + uri.size(), v);
  return res.ec == std::errc() && v > 0 ? v : 0.0;
}

bool read_xyz_array(dom::element a, std::vector<std::array<double, 3>>& out) {
  dom::array list;
  if (a.get(list) != simdjson::SUCCESS) return false;
  out.clear();
  out.reserve(list.size());
  for (dom::element e : list) {
    dom::object o;
    if (e.get(o) != simdjson::SUCCESS) return false;
    std::array<double, 3> v{};
    static constexpr std::array<std::string_view, 3> kNames{"x", "y", "z"};
    for (std::size_t k = 0; k < 3; ++k)
      if (o[kNames[k]].get(v[k]) != simdjson::SUCCESS) return false;  // integers are read as doubles too
    out.push_back(v);
  }
  return true;
}

bool has(dom::object o, std::string_view key) { return o[key].error() == simdjson::SUCCESS; }

// The notification's body: the object with Timestamp and ArrayAcc (in "Body" or the object itself).
std::optional<dom::object> body_of(dom::element j) {
  dom::object o, body;
  if (j.get(o) != simdjson::SUCCESS) return std::nullopt;
  if (o["Body"].get(body) == simdjson::SUCCESS) return body;
  if (has(o, "ArrayAcc") && has(o, "Timestamp")) return o;
  return std::nullopt;
}

// Empty when it is a usable notification, else why not.
std::string to_block(dom::element j, Block& b) {
  const auto body = body_of(j);
  if (!body) return "no \"Body\" with \"Timestamp\" and \"ArrayAcc\"";
  if ((*body)["Timestamp"].get(b.ts_ms) != simdjson::SUCCESS) return "\"Timestamp\" missing or not a number";
  const auto acc = (*body)["ArrayAcc"];
  if (acc.error() || !read_xyz_array(acc.value_unsafe(), b.acc))
    return "\"ArrayAcc\" missing or not a list of {x, y, z}";
  if (b.acc.empty()) return "\"ArrayAcc\" is empty";
  b.gyr.clear();
  if (const auto gyr = (*body)["ArrayGyro"]; !gyr.error()) {
    if (!read_xyz_array(gyr.value_unsafe(), b.gyr)) return "\"ArrayGyro\" is not a list of {x, y, z}";
    if (b.gyr.size() != b.acc.size())
      return std::to_string(b.acc.size()) + " acceleration and " + std::to_string(b.gyr.size()) +
             " angular rate samples";
  }
  return "";
}

double snap_rate(double hz) {
  static constexpr std::array<double, 9> kRates{12.5, 13, 26, 52, 104, 208, 416, 833, 1666};
  for (const double r : kRates)
    if (std::abs(hz - r) <= 0.05 * r) return r;
  return hz;
}

// Notifications -> samples on one time line; holds the last notification until the next one shows where its
// samples end.
class Builder {
 public:
  Builder(Imported& r, const ImportOptions& o, bool lines) : r_(r), o_(o), lines_(lines) {
    if (o.rate_hz > 0) {
      rate_ = o.rate_hz;
      r_.report.rate_declared = true;
      r_.report.rate_reason = "options.rate_hz";
    }
  }

  void issue(std::size_t where, std::string what) {
    ++r_.report.skipped;
    if (r_.report.issues.size() < 50)
      r_.report.issues.push_back({lines_ ? where : 0, lines_ ? what : "notification " + std::to_string(where) + ": " + what});
  }

  void push(Block b, double uri_rate) {
    if (rate_ <= 0 && uri_rate > 0) {
      rate_ = uri_rate;
      r_.report.rate_declared = true;
      r_.report.rate_reason = "from the subscription Uri (/Meas/IMU6/" + number(uri_rate) + ")";
    }
    if (!units_decided_) decide_units(b);
    any_gyro_ = any_gyro_ || !b.gyr.empty();
    // The sensor's 32-bit millisecond clock wraps after 49.7 days.
    if (!pending_.empty() || have_last_ts_) {
      const double prev = pending_.empty() ? last_ts_ : pending_.back().ts_ms;
      b.ts_ms += wrap_;
      if (b.ts_ms < prev - 2147483648.0) {
        wrap_ += 4294967296.0;
        b.ts_ms += 4294967296.0;
      }
    }
    pending_.push_back(std::move(b));
    if (rate_ <= 0 && pending_.size() < kLookaheadBlocks) return;
    if (rate_ <= 0) estimate_rate();
    while (pending_.size() >= 2) place_front();
  }

  void finish() {
    if (pending_.empty()) return;
    if (rate_ <= 0) estimate_rate();
    while (!pending_.empty()) place_front();
  }

  bool any_gyro() const { return any_gyro_; }
  double rate() const { return rate_; }
  const std::vector<Gap>& gaps() const { return timeline_.gaps(); }
  std::uint64_t resets() const { return timeline_.resets(); }
  std::uint64_t duplicates() const { return timeline_.duplicates(); }

 private:
  static std::string number(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
  }

  void decide_units(const Block& b) {
    units_decided_ = true;
    auto& rep = r_.report;
    if (const auto u = detail::parse_unit(o_.acc_unit); detail::unit_group(u) == 1) {
      ka_ = detail::to_si(u), rep.acc_unit = detail::unit_name(u), rep.acc_unit_reason = "option";
    } else {
      // The API says m/s^2; some app wrappers convert to g or milli-g, so the magnitude is checked.
      std::vector<double> mag;
      for (const auto& a : b.acc) mag.push_back(std::hypot(a[0], a[1], a[2]));
      std::nth_element(mag.begin(), mag.begin() + static_cast<std::ptrdiff_t>(mag.size() / 2), mag.end());
      const double m = mag[mag.size() / 2];
      if (m > 0.5 && m < 2.0) {
        ka_ = kG, rep.acc_unit = "g";
        rep.acc_unit_reason = "detected: |a| = " + number(m) + " in the first notification (the API's unit is m/s^2)";
      } else if (m > 500 && m < 2000) {
        ka_ = kG / 1000.0, rep.acc_unit = "mg";
        rep.acc_unit_reason = "detected: |a| = " + number(m) + " in the first notification (the API's unit is m/s^2)";
      } else {
        rep.acc_unit = "m/s^2";
        rep.acc_unit_reason = "Movesense API (meas/acc.yaml); |a| = " + number(m) + " in the first notification";
      }
    }
    if (const auto u = detail::parse_unit(o_.gyr_unit); detail::unit_group(u) == 2) {
      kw_ = detail::to_si(u), rep.gyr_unit = detail::unit_name(u), rep.gyr_unit_reason = "option";
    } else {
      rep.gyr_unit = "deg/s";
      rep.gyr_unit_reason = "Movesense API (meas/gyro.yaml): dps";
    }
  }

  void estimate_rate() {
    std::vector<double> r;
    for (std::size_t k = 0; k + 1 < pending_.size(); ++k) {
      const double span = pending_[k + 1].ts_ms - pending_[k].ts_ms;
      if (span > 0) r.push_back(pending_[k].acc.size() * 1000.0 / span);
    }
    auto& rep = r_.report;
    if (r.empty()) {
      rate_ = 104.0;
      rep.rate_reason = "assumed 104 Hz: one notification and no rate declared (give --rate)";
      rep.rate_declared = true;
      return;
    }
    std::nth_element(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(r.size() / 2), r.end());
    rate_ = snap_rate(r[r.size() / 2]);
    rep.rate_reason = "from the Timestamps: median " + number(r[r.size() / 2]) + " Hz over " +
                      std::to_string(r.size()) + " notifications, taken as " + number(rate_) + " Hz";
  }

  void place_front() {
    const Block& b = pending_.front();
    const double n = static_cast<double>(b.acc.size());
    const double nominal_ms = 1000.0 / rate_;
    double step_ms = nominal_ms;
    if (pending_.size() >= 2) {
      // Spread to the next notification when it follows within 30 % of where it is due (a gap or a restart
      // otherwise: the Timeline below decides which).
      const double span = pending_[1].ts_ms - b.ts_ms;
      if (span > 0.7 * n * nominal_ms && span < 1.3 * n * nominal_ms) step_ms = span / n;
    }
    for (std::size_t i = 0; i < b.acc.size(); ++i) {
      ImuSample s;
      const double dev_s = (b.ts_ms + static_cast<double>(i) * step_ms) * 1e-3;
      if (!timeline_.place(dev_s, 1.0 / rate_, false, s.t_s)) continue;
      for (int a = 0; a < 3; ++a) {
        const auto k = static_cast<std::size_t>(a);
        s.acc_mps2[a] = b.acc[i][k] * ka_;
        s.gyr_rad_s[a] = b.gyr.empty() ? std::numeric_limits<double>::quiet_NaN() : b.gyr[i][k] * kw_;
      }
      r_.recording.samples.push_back(s);
    }
    have_last_ts_ = true;
    last_ts_ = b.ts_ms;
    pending_.pop_front();
  }

  Imported& r_;
  const ImportOptions& o_;
  bool lines_;
  double rate_ = 0.0;
  bool units_decided_ = false;
  double ka_ = 1.0, kw_ = kDegToRad;
  bool any_gyro_ = false;
  double wrap_ = 0.0;
  bool have_last_ts_ = false;
  double last_ts_ = 0.0;
  std::deque<Block> pending_;
  wire::Timeline timeline_;
};

std::string quote(std::string_view s) { return "'" + utf8::excerpt(s, 80) + "'"; }

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// Every notification body in a document, in order (arrays and objects searched depth first).
void collect(dom::element j, std::vector<dom::element>& out) {
  if (body_of(j)) {
    out.push_back(j);
    return;
  }
  if (dom::array list; j.get(list) == simdjson::SUCCESS)
    for (dom::element e : list) collect(e, out);
  else if (dom::object o; j.get(o) == simdjson::SUCCESS)
    for (dom::key_value_pair kv : o) collect(kv.value, out);
}

// Why text that simdjson refused is not a notification, quoting at most ~80 characters: nlohmann finds the byte
// (simdjson's errors name no position).
std::string json_error_text(std::string_view text, simdjson::error_code refused) {
  try {
    [[maybe_unused]] const auto doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t at = e.byte > 0 ? std::min<std::size_t>(e.byte - 1, text.size()) : 0;
    const std::size_t from = at > 40 ? at - 40 : 0;
    return "not valid JSON at byte " + std::to_string(e.byte) + " (near " + quote(text.substr(from)) + ")";
  } catch (const json::out_of_range&) {
    return "a number beyond the range of a double in " + quote(text);
  } catch (const json::exception&) {
  }
  return std::string("not readable as JSON (") + (refused == simdjson::DEPTH_ERROR ? "nested too deep" : "simdjson") +
         ") in " + quote(text);
}

// simdjson reads up to SIMDJSON_PADDING bytes past the text: each text is copied into this buffer, which only
// grows, so a file costs no allocation per line.
class PaddedParser {
 public:
  simdjson::simdjson_result<dom::element> parse(std::string_view text) {
    const std::size_t need = text.size() + simdjson::SIMDJSON_PADDING;
    if (buffer_.size() < need) buffer_.resize(need);
    std::copy(text.begin(), text.end(), buffer_.begin());
    return parser_.parse(buffer_.data(), text.size(), false);
  }

 private:
  dom::parser parser_;
  std::vector<char> buffer_;
};

}  // namespace

bool looks_like_movesense_json(std::string_view head, std::string* reason) {
  auto say = [&](std::string r, bool v) {
    if (reason) *reason = std::move(r);
    return v;
  };
  const auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (head[first] != '{' && head[first] != '['))
    return say("does not begin with a JSON object or array", false);
  const auto acc = head.find("\"ArrayAcc\"");
  const auto ts = head.find("\"Timestamp\"");
  if (acc == std::string_view::npos || ts == std::string_view::npos)
    return say("JSON without \"ArrayAcc\" and \"Timestamp\" in the first " + std::to_string(head.size()) + " bytes",
               false);
  const bool gyro = head.find("\"ArrayGyro\"") != std::string_view::npos;
  const auto nl = head.find('\n', first);
  const std::string_view line = head.substr(first, nl == std::string_view::npos ? head.size() - first : nl - first);
  const bool one_per_line = line.find("\"ArrayAcc\"") != std::string_view::npos && json::accept(line);
  return say(std::string("Movesense notifications (\"Timestamp\", \"ArrayAcc\"") + (gyro ? ", \"ArrayGyro\"" : "") +
                 ") " + (one_per_line ? "one JSON object per line" : "in a JSON document") + " at byte " +
                 std::to_string(std::min(acc, ts)),
             true);
}

Imported import_movesense_json(std::istream& in, const std::string& source_name, const ImportOptions& options) {
  Imported r;
  auto& rep = r.report;
  rep.source = source_name;
  rep.format = std::string(kMovesenseJsonName);
  rep.time_unit = "ms";
  rep.time_unit_reason = "Movesense Timestamp: the sensor's ms clock at a notification's first sample; its samples "
                         "spread evenly up to the next notification";
  std::string line;
  std::size_t line_no = 0;
  // The first line with anything on it decides: one notification per line, or one document.
  while (std::getline(in, line)) {
    ++line_no;
    if (!blank(line)) break;
  }
  if (blank(line)) throw ImportError(source_name + ": empty file (expected Movesense JSON notifications)");
  std::optional<Builder> builder;
  std::string layout;
  auto handle = [&](dom::element j, std::size_t where) {
    Block b;
    b.where = where;
    if (const auto why = to_block(j, b); !why.empty()) return builder->issue(where, why);
    builder->push(std::move(b), rate_from_uri(j));
  };
  PaddedParser parser;
  dom::element first;
  if (parser.parse(line).get(first) == simdjson::SUCCESS && body_of(first)) {
    layout = "one notification per line";
    builder.emplace(r, options, true);
    handle(first, line_no);
    rep.lines = line_no;
    while (std::getline(in, line)) {
      ++line_no;
      rep.lines = line_no;
      if (blank(line)) continue;
      if (line.size() > options.max_line_bytes) {
        builder->issue(line_no, "line of " + std::to_string(line.size()) + " bytes, over the limit of " +
                                    std::to_string(options.max_line_bytes) + ": " + quote(line));
        continue;
      }
      dom::element j;
      if (const auto err = parser.parse(line).get(j); err != simdjson::SUCCESS)
        builder->issue(line_no, json_error_text(line, err));
      else
        handle(j, line_no);
    }
  } else {
    // A whole document (an array of notifications, a Logbook export, pretty-printed JSON): parsed at once.
    std::string text = line;
    text += '\n';
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    dom::element doc;
    if (const auto err = parser.parse(text).get(doc); err != simdjson::SUCCESS)
      throw ImportError(source_name + ": " + json_error_text(text, err) +
                        "; expected Movesense JSON notifications (one per line, an array, or a Logbook export)");
    std::vector<dom::element> found;
    collect(doc, found);
    if (found.empty())
      throw ImportError(source_name + ": JSON without Movesense notifications (no object with \"Timestamp\" and "
                        "\"ArrayAcc\"); it begins " + quote(text));
    layout = doc.is_array() ? "a JSON array of notifications" : "a JSON document (DataLogger/Logbook export)";
    builder.emplace(r, options, false);
    for (std::size_t k = 0; k < found.size(); ++k) handle(found[k], k + 1);
    rep.lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  builder->finish();
  if (r.recording.samples.empty()) {
    std::string what = source_name + ": no usable Movesense notification";
    if (!rep.issues.empty()) what += "; first problem: " + to_string(rep.issues[0], source_name);
    throw ImportError(what);
  }
  rep.samples = r.recording.samples.size();
  rep.has_gyro = builder->any_gyro();
  if (!rep.has_gyro) {
    rep.gyr_unit = "none";
    rep.gyr_unit_reason = "no \"ArrayGyro\" in any notification (an Acc subscription, not IMU6)";
  }
  rep.duplicate_stamps = builder->duplicates();
  rep.clock_restarts = builder->resets();
  auto& meta = r.recording.meta;
  meta.board = "Movesense";
  meta.rate_hz = builder->rate();
  meta.extra["movesense_layout"] = layout;
  r.recording.gaps = builder->gaps();
  return r;
}

}  // namespace stride::io
