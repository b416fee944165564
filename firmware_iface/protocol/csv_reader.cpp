// CsvReader: metadata + header + look-ahead decide the layout and units; then rows are parsed straight into samples.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <system_error>

#include "clock_guard.hpp"
#include "shared_stamps.hpp"
#include "firmware_iface/import/movesense_json.hpp"
#include "firmware_iface/import/witmotion_binary.hpp"
#include "firmware_iface/protocol/strideb.hpp"
#include "firmware_iface/import/formats.hpp"
#include "columns.hpp"
#include "line_source.hpp"
#include "native_format.hpp"
#include "stride/recording_io.hpp"
#include "stride/utf8.hpp"
#include "range_declaration.hpp"
#include "unit_detection.hpp"

namespace stride::io {

using namespace detail;
using detail::Verdict;

namespace {

constexpr std::size_t kLookAheadRows = 4096;
constexpr std::size_t kMaxIssues = 50;
constexpr std::size_t kMaxBannerLines = 64;  // lines before the header that may be boot messages
constexpr double kGravity = 9.80665;
constexpr double kGaitmapDefaultRateHz = 204.8;
constexpr std::string_view kExpectedAcc = "acc_x, ax, accX, 'Accelerometer X (g)'";

// "a, b, c, ... (4096 in all)": as many names as fit in about utf8::kExcerptChars characters, each an excerpt.
std::string listing(const std::vector<std::string>& names) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& n : names) {
    const std::string e = utf8::excerpt(n, 40);
    if (shown > 0 && out.size() + 2 + e.size() > utf8::kExcerptChars) break;
    out += (shown ? ", " : "") + e;
    ++shown;
  }
  if (shown < names.size()) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

// Cells of a header line, counted without splitting it (quotes protect delimiters, as in split_cells).
std::size_t count_cells(std::string_view line, char delim) {
  std::size_t n = 0;
  bool quoted = false, in_cell = false;
  for (const char c : line) {
    if (delim == ' ') {
      const bool blank = c == ' ' || c == '\t';
      n += !blank && !in_cell;
      in_cell = !blank;
      continue;
    }
    if (c == '"') quoted = !quoted;
    n += !quoted && c == delim;
  }
  return delim == ' ' ? n : n + 1;
}

// True when every cell parses as a number (a data row, not a header).
bool all_numbers(const std::vector<std::string_view>& cells) {
  bool all = !cells.empty();
  for (auto c : cells) {
    double v = 0.0;
    const auto r = std::from_chars(c.data(), c.data() + c.size(), v);
    all = all && r.ec == std::errc() && r.ptr == c.data() + c.size();
  }
  return all;
}

bool looks_gaitmap(const std::vector<std::string_view>& cells) {
  return std::any_of(cells.begin(), cells.end(), [](std::string_view c) {
    return c.size() > 7 && c.substr(c.size() - 7) == "_sensor";
  }) && (cells[0].empty() || ascii_lower(cells[0]) == "sensor");
}

std::string bytes_text(std::uint64_t n) {
  return n >= (1u << 20) && n % (1u << 20) == 0 ? std::to_string(n >> 20) + " MB"
                                                 : std::to_string(n) + " bytes";
}

ClockGuardSettings file_guard() {
  ClockGuardSettings g;  // no wrap: a file's counter is read as written
  g.confirm = 5;         // as the live text decoder
  g.window = 16;
  g.jump_steps = 10.0;
  return g;
}

std::string number_text(double v) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Option text -> unit; throws on a spelling we do not know (a configuration error, at set-up).
Unit option_unit(const std::string& text, const char* which, std::initializer_list<Unit> allowed) {
  if (text.empty() || text == "auto") return Unit::none;
  const Unit u = parse_unit(text);
  if (std::find(allowed.begin(), allowed.end(), u) == allowed.end()) {
    std::string names;
    for (Unit a : allowed) names += (names.empty() ? "" : ", ") + std::string(unit_name(a));
    throw ImportError(std::string("options: unknown ") + which + " unit '" + text + "'; expected auto, " + names);
  }
  return u;
}

}  // namespace

std::string issue_text(const LineIssue& issue) {
  return issue.line == 0 ? issue.what : "line " + std::to_string(issue.line) + ": " + issue.what;
}

std::string to_string(const LineIssue& issue, std::string_view source) {
  return std::string(source) + (issue.line == 0 ? ": " : " ") + issue_text(issue);
}

struct CsvReader::Impl {
  enum class Kind { generic, native, gaitmap };

  Impl(std::istream& in, std::string source_name, ImportOptions options)
      : src(in, options.max_line_bytes), source(std::move(source_name)), opt(std::move(options)) {
    auto check = [&](const char* field, std::size_t v, std::size_t lo) {
      if (v < lo)
        throw ImportError("options: " + std::string(field) + " = " + std::to_string(v) + "; expected at least " +
                          std::to_string(lo));
    };
    check("max_line_bytes", opt.max_line_bytes, 64);
    check("max_header_bytes", opt.max_header_bytes, 64);
    check("max_columns", opt.max_columns, 6);
  }

  LineSource src;
  std::string source;
  ImportOptions opt;
  RecordingMeta meta;
  ImportReport report;
  std::vector<Gap> gaps;
  std::vector<ClockMark> clock_marks;

  Kind kind = Kind::generic;
  char delim = ',';
  bool decimal_comma = false;
  bool decimal_decided = false;
  std::vector<Role> roles;              // per column
  std::vector<std::string> col_names;   // per column, as in the header
  std::size_t ncols = 0;
  bool has_time = false;                // a time (or gaitmap index) column
  std::size_t data_rows = 0;            // data lines seen, good or bad (the clock when there is no time column)

  double t_scale = 1.0, acc_scale = 1.0, gyr_scale = 1.0;
  bool t0_decided = false, shift = false;
  double t0 = 0.0;
  double acc_clip = std::numeric_limits<double>::infinity();
  double gyr_clip = std::numeric_limits<double>::infinity();

  ClockGuard<RawRow> guard{file_guard()};  // rows wait here until their stamp is judged
  // plan.spread_shared_stamps: rows wait here for the next block's stamp first (slot = data rows seen then).
  struct Pending {
    double t = 0.0;
    double slot = 0.0;
    RawRow row;
  };
  SharedStampSpreader<Pending> spreader;
  std::vector<Pending> spread_ready;  // spread, not yet in the guard (from spread_next on)
  std::size_t spread_next = 0;
  bool src_done = false;
  double restart_offset = 0.0;  // added to raw stamps after a clock restart (raw units)
  bool have_last_raw = false;   // last_raw_t = time of the last row emitted (with restart_offset)
  double last_raw_t = 0.0;
  double nominal_dt = 0.0;
  bool have_prev = false;
  double prev_t = 0.0;

  std::string no_gyro;                  // why the file has no gyroscope (empty: it has one)
  bool no_acc = false;                  // a gyroscope-only file (presets that allow it)
  const formats::Format* preset = nullptr;  // the preset reading this file (null: native, generic, gaitmap)
  formats::Plan plan;                   // its plan (default: the generic reading)
  std::string pending;                  // a line read ahead that is data (headerless files, no units row)
  std::size_t pending_no = 0;
  bool has_pending = false;
  // Full-scale ranges declared in lines before the table ([0] acc in g, [1] gyro in deg/s; 0 = none), and where:
  // "line 4 'Accelerometer range set to: +-8G'" (range_declaration.hpp).
  double banner_range[2] = {0.0, 0.0};
  std::string banner_range_where[2];
  double clock_prev = 0.0, clock_offset = 0.0;  // clock-of-day time cells: the last one, and whole days added
  bool clock_seen = false;

  // A gyroscope whose cells are empty (or NaN, NA, null) in every data row of the first 256 KiB: the file is
  // accelerometer-only, and its gyro columns are ignored (not parsed), so no row is skipped for them. Decided
  // before any row is read; a file with a number in any gyro cell there is read exactly as before.
  std::string gyro_cells_empty() {
    const std::string_view head = src.peek_start(1u << 18);
    std::vector<std::string_view> cells;
    std::size_t rows = 0;
    for (std::size_t b = 0, e; (e = head.find('\n', b)) != std::string_view::npos; b = e + 1) {
      std::string_view line = head.substr(b, e - b);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      const std::string_view t = trim(line);
      if (t.empty() || t.front() == '#') continue;
      split_cells(line, delim, cells);
      for (std::size_t c = 0; c < ncols && c < cells.size(); ++c) {
        if (!is_gyr(roles[c])) continue;
        const std::string v = ascii_lower(trim(cells[c]));
        if (!(v.empty() || v == "nan" || v == "-nan" || v == "na" || v == "n/a" || v == "null" || v == "none"))
          return {};
      }
      ++rows;
    }
    if (rows == 0) return {};
    for (std::size_t c = 0; c < ncols; ++c)
      if (is_gyr(roles[c])) {
        report.ignored_columns.push_back(col_names[c] + " (empty)");
        roles[c] = Role::none;
      }
    return "gyroscope cells empty or NaN in all of the first " + std::to_string(rows) + " rows";
  }

  std::vector<RawRow> ahead;
  std::size_t ahead_pos = 0;
  bool finished = false;
  std::string scratch;

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw ImportError(source + (line ? " line " + std::to_string(line) : std::string()) + ": " + what);
  }

  void issue(std::size_t line, std::string what) {
    ++report.skipped;
    if (report.issues.size() < kMaxIssues) report.issues.push_back({line, std::move(what)});
  }

  std::string expected_name(std::size_t col) const {
    return std::string(kind == Kind::gaitmap && roles[col] == Role::index ? "sample index" : role_name(roles[col]));
  }

  void sniff_binary() {
    const std::string_view head = src.peek_start(1u << 16);
    if (head.empty()) fail(0, "empty file; expected a header line such as " + std::string(kNativeHeader));
    std::size_t control = 0, high = 0;
    for (std::size_t i = 0; i < head.size(); ++i) {
      const auto c = static_cast<unsigned char>(head[i]);
      if (c == 0) {
        const auto line = 1 + static_cast<std::size_t>(std::count(head.begin(), head.begin() + i, '\n'));
        fail(line, "binary data (NUL byte at offset " + std::to_string(i) +
                       "); expected a text CSV with a header such as " + std::string(kNativeHeader));
      }
      control += (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F;
      high += c >= 0x80;
    }
    if (control * 20 > head.size() || high * 10 > head.size() * 3)
      fail(1, "mostly non-printable bytes (" + std::to_string(control + high) + " of the first " +
                  std::to_string(head.size()) + "): a binary file? expected a text CSV");
  }

  // Comment/metadata lines, then the header line (copied). Returns the header's line number.
  // Whether a line starts the table: a header stride recognises (or a preset's first data line).
  bool table_starts(std::string_view line, bool declared_native) const {
    if (declared_native || trim(line) == kNativeHeader) return true;
    if (count_cells(line, detect_delimiter(line)) > opt.max_columns) return true;  // refused there, with its size
    std::vector<std::string_view> cells;
    split_cells(line, detect_delimiter(line), cells);
    if (looks_gaitmap(cells)) return true;
    for (const auto c : cells)
      if (const Role r = recognise_column(c).role; is_acc(r) || is_gyr(r)) return true;
    const std::string file = formats::base_name(source);
    return formats::detect({file, line, cells}).format != nullptr;
  }

  // Comment/metadata lines, then the header line (copied). Returns the header's line number.
  // With --format auto (or arduino), lines before a recognisable header (an Arduino's boot messages, Shimmer's
  // "sep=," line) are passed over and counted in report.banner_lines; when no line within kMaxBannerLines is
  // recognisable, the first one is the header, as it always was (and its error names it).
  std::size_t read_header(std::string& header) {
    std::string_view line;
    bool declared_native = false;
    std::uint64_t bytes = 0;
    const bool scan = opt.format == "auto" || opt.format == "arduino";
    std::string first;
    std::size_t first_no = 0, candidates = 0;
    while (src.next(line)) {
      ++report.lines;
      if (src.last_line_too_long())
        fail(src.line_number(), "a line of " + std::to_string(src.last_line_bytes()) + " bytes before the first data "
                                "row, over the limit of " + bytes_text(src.max_line_bytes()) + " (max_line_bytes): '" +
                                utf8::excerpt(line, 40) + "'; expected a header such as " + std::string(kNativeHeader));
      bytes += src.last_line_bytes() + 1;
      if (bytes > opt.max_header_bytes)
        fail(src.line_number(), "the metadata and header lines before the first data row exceed " +
                                    bytes_text(opt.max_header_bytes) +
                                    " (max_header_bytes); expected a header such as " + std::string(kNativeHeader));
      const std::string_view t = trim(line);
      if (t.empty()) continue;
      if (t.front() == '#') {
        std::string_view body = t.substr(1);
        const auto colon = body.find(':');
        if (colon != std::string_view::npos && ascii_lower(trim(body.substr(0, colon))) == kFormatKey)
          declared_native = true;
        apply_meta_line(body, meta);
        continue;
      }
      if (t.starts_with("sep=") || t.starts_with("\"sep=")) continue;  // Excel's separator hint (Shimmer writes it)
      if (!scan || table_starts(line, declared_native)) {
        header.assign(line);
        report.banner_lines = candidates;
        if (opt.format == "native" || (opt.format == "auto" && (declared_native || trim(line) == kNativeHeader)))
          kind = Kind::native;
        return src.line_number();
      }
      if (const auto d = parse_range_declaration(t)) {
        banner_range[d->gyro] = d->value;
        banner_range_where[d->gyro] = "line " + std::to_string(src.line_number()) + " '" + utf8::excerpt(t, 60) + "'";
      }
      if (candidates++ == 0) {
        first.assign(line);
        first_no = src.line_number();
      }
      std::vector<std::string_view> cells;
      split_cells(line, detect_delimiter(line), cells);
      if (candidates > kMaxBannerLines || all_numbers(cells)) break;
    }
    if (candidates > 0) {
      header = std::move(first);
      return first_no;
    }
    fail(src.line_number(), "no header line (only comments or blank lines); expected a header such as " +
                                std::string(kNativeHeader));
  }

  void setup_gaitmap(const std::vector<std::string_view>& sensors, std::size_t header_line) {
    std::string_view axis_line;
    if (!src.next(axis_line)) fail(header_line + 1, "gaitmap file ends after its first header row; expected the "
                                                    "'axis,acc_x,...' row");
    ++report.lines;
    if (src.last_line_too_long() || count_cells(axis_line, delim) > opt.max_columns)
      fail(header_line + 1, "gaitmap axis row longer than " + bytes_text(src.max_line_bytes()) + " or with more than " +
                                std::to_string(opt.max_columns) + " cells (max_columns)");
    std::vector<std::string_view> axes;
    split_cells(axis_line, delim, axes);
    const std::string chosen = opt.sensor.empty() ? "left_sensor" : opt.sensor;
    if (std::find(sensors.begin(), sensors.end(), chosen) == sensors.end()) {
      std::vector<std::string> found;
      for (auto s : sensors)
        if (!s.empty() && s != "sensor" && std::find(found.begin(), found.end(), s) == found.end())
          found.emplace_back(s);
      fail(header_line, "no sensor '" + utf8::excerpt(chosen, 40) + "' in this gaitmap file; found: " + listing(found));
    }
    ncols = std::max(sensors.size(), axes.size());
    roles.assign(ncols, Role::none);
    col_names.assign(ncols, "");
    for (std::size_t c = 0; c < ncols; ++c) {
      const std::string_view s = c < sensors.size() ? sensors[c] : std::string_view();
      const std::string_view a = c < axes.size() ? axes[c] : std::string_view();
      col_names[c] = utf8::excerpt(s, 40) + "/" + utf8::excerpt(a, 40);
      if (c == 0) {
        roles[c] = Role::index;
        continue;
      }
      const Role r = recognise_column(a).role;
      if (s == chosen && (is_acc(r) || is_gyr(r)) && std::find(roles.begin(), roles.end(), r) == roles.end())
        roles[c] = r;
      else
        report.ignored_columns.push_back(col_names[c]);
    }
    has_time = true;
    meta.placement = Placement::shoe;
    if (chosen.find("left") != std::string::npos) meta.side = Side::left;
    if (chosen.find("right") != std::string::npos) meta.side = Side::right;
    meta.sensor = utf8::excerpt(chosen, 40);
    const double rate = opt.rate_hz > 0 ? opt.rate_hz : kGaitmapDefaultRateHz;
    meta.rate_hz = rate;
    report.rate_declared = true;
    report.rate_reason = opt.rate_hz > 0 ? "options.rate_hz" : "gaitmap default 204.8 Hz (pass --rate for others)";
    t_scale = 1.0 / rate;
    report.time_unit = "none (sample index / " + number_text(rate) + " Hz)";
    report.time_unit_reason = "gaitmap: column 0 is the sample index";
  }

  // Maps generic header cells to roles; returns the declared units per group.
  void setup_generic(const std::vector<std::string_view>& cells, const std::vector<Recognised>& recognised,
                     std::size_t header_line, Unit declared[3], std::string declared_in[3]) {
    ncols = cells.size();
    roles.assign(ncols, Role::none);
    col_names.clear();
    for (const auto c : cells) col_names.push_back(utf8::excerpt(c, 40));  // names are quoted in messages only
    for (std::size_t c = 0; c < ncols; ++c) {
      Recognised r = recognised[c];
      if (r.role == Role::time && plan.rate_replaces_time && opt.rate_hz > 0) {
        report.ignored_columns.push_back(col_names[c] + " (--rate given)");
        continue;
      }
      const bool taken = r.role != Role::none && std::find(roles.begin(), roles.end(), r.role) != roles.end();
      if (r.role == Role::none || r.role == Role::index || taken) {
        report.ignored_columns.push_back(col_names[c]);
        continue;
      }
      roles[c] = r.role;
      const int g = r.role == Role::time ? 0 : is_acc(r.role) ? 1 : 2;
      if (r.unit != Unit::none && unit_group(r.unit) == g && declared[g] == Unit::none) {
        declared[g] = r.unit;
        declared_in[g] = col_names[c];
      }
    }
    const std::vector<std::string>& found = col_names;
    auto count = [&](bool (*pred)(Role)) { return std::count_if(roles.begin(), roles.end(), pred); };
    no_acc = count(is_acc) == 0 && plan.gyro_only_ok && count(is_gyr) == 3;
    if (count(is_acc) == 0 && !no_acc)
      fail(header_line, "no accelerometer columns found; expected names like " + std::string(kExpectedAcc) +
                            "; found: " + listing(found));
    if (count(is_gyr) == 0) no_gyro = "no gyroscope columns";  // accelerometer only
    for (Role r : {Role::acc_x, Role::acc_y, Role::acc_z, Role::gyr_x, Role::gyr_y, Role::gyr_z})
      if (std::find(roles.begin(), roles.end(), r) == roles.end() && !(is_gyr(r) && !no_gyro.empty()) &&
          !(is_acc(r) && no_acc))
        fail(header_line, "no " + std::string(role_name(r)) + " column found (the other axes are there); found: " +
                              listing(found));
    has_time = std::find(roles.begin(), roles.end(), Role::time) != roles.end();
    if (!has_time) {
      if (opt.rate_hz <= 0 && plan.headerless)
        fail(header_line, std::string(preset->name) + " lines carry no time; pass --rate HZ (the rate the sketch "
                                                      "prints at)");
      if (opt.rate_hz <= 0)
        fail(0, "no time column found in " + source + " (header: " + listing(found) + "); pass --rate HZ");
      t_scale = 1.0 / opt.rate_hz;
      report.time_unit = "none (rate " + number_text(opt.rate_hz) + " Hz)";
      report.time_unit_reason = "no time column; samples spaced by options.rate_hz";
    }
  }

  // The next line: a pending one first (counted already), else from the source. Sets `no` and `too_long`.
  bool next_line(std::string_view& line, std::size_t& no, bool& too_long) {
    if (has_pending) {
      has_pending = false;
      line = pending;
      no = pending_no;
      too_long = false;
      return true;
    }
    if (!src.next(line)) return false;
    ++report.lines;
    no = src.line_number();
    too_long = src.last_line_too_long();
    return true;
  }

  // Rows after the header that name units per cell (Shimmer: "ms,m/(s^2),...,deg/s"); the first data row is kept.
  void read_units_rows(Unit declared[3], std::string declared_in[3]) {
    std::vector<std::string_view> cells;
    bool set[3] = {false, false, false};  // the first column of each group names its unit
    for (int i = 0; i < plan.units_rows; ++i) {
      std::string_view line;
      std::size_t no = 0;
      bool too_long = false;
      if (!next_line(line, no, too_long)) return;
      split_cells(line, delim, cells);
      bool units = false;
      for (std::size_t c = 0; c < ncols && c < cells.size(); ++c) {
        if (roles[c] == Role::none) continue;
        double v = 0.0;
        const auto r = std::from_chars(cells[c].data(), cells[c].data() + cells[c].size(), v);
        if (r.ec == std::errc() || too_long) break;  // a number: the data begin here
        units = true;
        const Unit u = parse_unit(cells[c]);
        const int g = roles[c] == Role::time ? 0 : is_acc(roles[c]) ? 1 : 2;
        if (unit_group(u) != g) continue;  // none, or a unit of another quantity
        if (set[g]) continue;
        set[g] = true;
        declared[g] = u;
        declared_in[g] = col_names[c] + "' / units row '" + utf8::excerpt(cells[c], 20);
      }
      if (!units) {
        pending.assign(line);
        pending_no = no;
        has_pending = true;
        return;
      }
    }
  }

  // A clock cell ("10:30:00.128", or with a date): seconds; a clock of day that goes back by more than 12 h has
  // passed midnight.
  bool clock_cell(std::string_view text, double& v) {
    if (!formats::parse_clock(text, v)) return false;
    if (v < 86400.0) {
      if (clock_seen && v + clock_offset + 43200.0 < clock_prev) clock_offset += 86400.0;
      v += clock_offset;
    }
    clock_seen = true;
    clock_prev = v;
    return true;
  }

  // `# host_clock: T UNIX` between rows (a recorder's clock note); anything else in a comment is ignored.
  void read_clock_mark(std::string_view body) {
    const auto colon = body.find(':');
    if (colon == std::string_view::npos || trim(body.substr(0, colon)) != kHostClockKey) return;
    const std::string_view v = trim(body.substr(colon + 1));
    ClockMark m;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), m.t_s);
    if (ec != std::errc() || p == v.data() + v.size()) return;
    const std::string_view u = trim(v.substr(static_cast<std::size_t>(p - v.data())));
    const auto [q, ec2] = std::from_chars(u.data(), u.data() + u.size(), m.unix_s);
    if (ec2 != std::errc() || q != u.data() + u.size()) return;
    if (clock_marks.empty() || m.t_s > clock_marks.back().t_s) clock_marks.push_back(m);
  }

  // Parses one data line. Returns true when it yields a row to keep; counts and records everything else.
  bool parse_line(std::string_view line, std::size_t line_no, RawRow& row) {
    // Blank and comment lines between rows carry no sample.
    if (line.empty() || line.front() == '#') {
      const std::string_view t = trim(line);
      if (!t.empty() && t.front() == '#') read_clock_mark(t.substr(1));
      if (t.empty() || t.front() == '#') return false;
    }
    ++data_rows;
    if (kind == Kind::native && !src.last_line_terminated()) {
      issue(line_no, "last line has no line end (cut off while writing?); expected " + std::to_string(ncols) +
                         " complete cells");
      return false;
    }
    if (!decimal_decided && delim != ',') {  // decided by the first row that shows a decimal separator
      const bool comma = line.find(',') != std::string_view::npos;
      const bool dot = line.find('.') != std::string_view::npos;
      decimal_decided = comma || dot;
      decimal_comma = comma && !dot;
    }
    if (decimal_comma) {
      scratch.assign(line);
      std::replace(scratch.begin(), scratch.end(), ',', '.');
      line = scratch;
    }
    const char* p = line.data();
    const char* const e = p + line.size();
    std::size_t col = 0;
    bool last_empty = false;
    for (;;) {
      const char* q;
      if (delim == ' ') {
        while (p < e && (*p == ' ' || *p == '\t')) ++p;
        if (p == e) break;
        q = p;
        while (q < e && *q != ' ' && *q != '\t') ++q;
      } else {
        q = static_cast<const char*>(std::memchr(p, delim, static_cast<std::size_t>(e - p)));
        if (q == nullptr) q = e;
      }
      last_empty = q == p;
      if (col < ncols && roles[col] != Role::none) {
        const char* a = p;
        const char* b = q;
        while (a < b && (*a == ' ' || *a == '"' || *a == '\t')) ++a;
        while (b > a && (b[-1] == ' ' || b[-1] == '"' || b[-1] == '\t')) --b;
        if (a < b && *a == '+') ++a;
        double v = 0.0;
        if (roles[col] == Role::time && plan.time_text == formats::TimeText::clock) {
          if (!clock_cell(std::string_view(a, static_cast<std::size_t>(b - a)), v)) {
            issue(line_no, "cell " + std::to_string(col + 1) + " '" +
                               utf8::excerpt(std::string_view(p, static_cast<std::size_t>(q - p)), 24) +
                               "' is not a clock time (expected time as hh:mm:ss.fff, optionally after a date)");
            return false;
          }
          row.t = v;
          ++col;
          if (q == e) break;
          p = q + 1;
          continue;
        }
        const auto r = std::from_chars(a, b, v);
        if (r.ec != std::errc() || r.ptr != b || !std::isfinite(v)) {
          const bool number = r.ec == std::errc() && r.ptr == b;
          issue(line_no, "cell " + std::to_string(col + 1) + " '" + utf8::excerpt(std::string_view(p, q - p), 24) +
                             "' " +
                             (number ? "is not a finite number" : "is not a number") + " (expected " +
                             expected_name(col) + ")");
          return false;
        }
        const Role role = roles[col];
        if (role == Role::time || role == Role::index) row.t = v;
        else if (is_acc(role)) row.acc[axis_of(role)] = v;
        else row.gyr[axis_of(role)] = v;
      }
      ++col;
      if (q == e) break;
      p = q + 1;
    }
    if (col != ncols && !(col == ncols + 1 && last_empty)) {
      issue(line_no, "has " + std::to_string(col) + " cells, expected " + std::to_string(ncols) +
                         (col < ncols ? " (line cut short?)" : ""));
      return false;
    }
    row.line = line_no;
    if (!has_time) {
      row.t = static_cast<double>(data_rows - 1);
      return true;
    }
    return true;
  }

  // A row whose stamp the clock guard judged: true when it is to be emitted (then in `row`, on a time axis that
  // continues across restarts); outliers and repeats are counted.
  bool judged(const ClockGuard<RawRow>::Out& o, RawRow& row) {
    const char* expected = kind == Kind::gaitmap ? " (expected increasing sample index)" : " (expected increasing time)";
    const RawRow& r = o.item;
    switch (o.d.verdict) {
      case Verdict::duplicate:
        ++report.duplicate_stamps;
        return false;
      case Verdict::outlier:
        if (std::isnan(o.d.anchor))
          issue(r.line, "time " + number_text(r.t) + " does not fit the rows after it (a corrupt stamp?)" + expected);
        else if (r.t < o.d.anchor)
          issue(r.line, "time goes backwards: " + number_text(r.t) + " after " + number_text(o.d.anchor) + expected);
        else if (!std::isnan(o.d.next))
          issue(r.line, "time " + number_text(r.t) + " is ahead of the next row's " + number_text(o.d.next) +
                            " (a corrupt stamp?)" + expected);
        else
          issue(r.line, "time " + number_text(r.t) + " jumps ahead of " + number_text(o.d.anchor) +
                            " at the last row (a corrupt stamp?)" + expected);
        return false;
      case Verdict::restart: {
        // The device clock started again: the rows after it continue one interval after the last one.
        const double step = guard.rule().step();
        restart_offset = last_raw_t + (step > 0 ? step : 1.0) - o.d.t;
        ++report.clock_restarts;
        break;
      }
      default: break;
    }
    row = r;
    row.t = o.d.t + restart_offset;
    have_last_raw = true;
    last_raw_t = row.t;
    return true;
  }

  bool next_row(RawRow& row) {
    std::string_view line;
    ClockGuard<RawRow>::Out o;
    for (;;) {
      if (has_time)
        while (guard.pop(o, src_done && spread_next == spread_ready.size()))
          if (judged(o, row)) return true;
      if (spread_next < spread_ready.size()) {  // one spread row at a time: the guard holds a bounded window
        Pending& p = spread_ready[spread_next++];
        p.row.t = p.t;
        guard.push(p.t, p.slot, p.row);
        if (spread_next == spread_ready.size()) spread_ready.clear(), spread_next = 0;
        continue;
      }
      if (src_done) return false;
      std::size_t no = 0;
      bool too_long = false;
      if (!next_line(line, no, too_long)) {
        src_done = true;
        if (plan.spread_shared_stamps) finish_spreading();
        continue;
      }
      if (too_long) {
        issue(no, "longer than " + bytes_text(src.max_line_bytes()) + " (max_line_bytes; " +
                      std::to_string(src.last_line_bytes()) + " bytes), skipped: '" + utf8::excerpt(line, 40) + "'");
        continue;
      }
      RawRow r;
      if (!parse_line(line, no, r)) continue;
      if (!has_time) {
        row = r;
        return true;
      }
      if (plan.spread_shared_stamps) {
        spreader.push({r.t, static_cast<double>(data_rows), r}, spread_ready);
      } else {
        guard.push(r.t, static_cast<double>(data_rows), r);
      }
    }
  }

  void finish_spreading() {
    spreader.finish(spread_ready);
    if (spreader.blocks_spread() > 0)
      report.notes.push_back(std::to_string(spreader.blocks_spread()) +
                             " blocks of rows sharing one time stamp (samples that arrived together, stamped on "
                             "arrival) spread evenly up to the next block's stamp");
  }

  void decide_t0(double first_raw) {
    t0_decided = true;
    if (kind == Kind::native || !has_time || first_raw == 0.0) return;
    shift = true;
    t0 = first_raw;
    meta.extra["device_t0"] = number_text(first_raw);
  }

  ImuSample convert(const RawRow& r) {
    if (!t0_decided) decide_t0(r.t);
    ImuSample s;
    s.t_s = shift ? (r.t - t0) * t_scale : r.t * t_scale;
    for (int i = 0; i < 3; ++i) {
      s.acc_mps2[i] = no_acc ? std::numeric_limits<double>::quiet_NaN() : r.acc[i] * acc_scale;
      s.gyr_rad_s[i] = no_gyro.empty() ? r.gyr[i] * gyr_scale : std::numeric_limits<double>::quiet_NaN();
      if (std::abs(s.acc_mps2[i]) >= acc_clip) s.clipped |= static_cast<std::uint8_t>(kClipAccX << i);
      if (std::abs(s.gyr_rad_s[i]) >= gyr_clip) s.clipped |= static_cast<std::uint8_t>(kClipGyrX << i);
    }
    if (have_prev && nominal_dt > 0) {
      const double dt = s.t_s - prev_t;
      if (dt > 1.5 * nominal_dt) gaps.push_back({prev_t, s.t_s, missing_samples(dt, nominal_dt)});
    }
    have_prev = true;
    prev_t = s.t_s;
    ++report.samples;
    return s;
  }

  // |a| at rest must be about 1 g in whatever unit was chosen (native files are stride's own SI output: no second
  // guessing). A preset whose source can remove gravity says so when |a| is near 0.
  void check_rest_acc(const RestStats& rest, bool have_data, std::size_t header_line, const std::string& column,
                      const std::string& unit, const std::string& why) {
    if (!have_data || kind == Kind::native || opt.acc_part) return;
    const double g = rest.acc_norm_median * acc_scale / kGravity;
    if (g >= 0.5 && g <= 2.0) return;
    if (g < 0.5 && !plan.gravity_free.empty())  // (a real export that starts in motion reads ~0.3 g)
      fail(header_line, plan.gravity_free + " (|a| at rest is " + format_number(g, 2) + " g; expected about 1 g)");
    fail(header_line, "acceleration column '" + column + "' taken as " + unit + " (" + why + "), but |a| at rest (lines " +
                          std::to_string(rest.first_line) + "-" + std::to_string(rest.last_line) + ") is " +
                          format_number(rest.acc_norm_median, 3) + " " + unit +
                          (unit == "g" ? std::string() : " = " + format_number(g, 2) + " g") +
                          "; expected about 1 g (0.5-2 g)");
  }

  // A full-scale range the file declares: a line before the table, else its `# acc_range_g` metadata; 0 = none.
  double declared_range(bool gyro) const {
    if (banner_range[gyro] > 0) return banner_range[gyro];
    return gyro ? meta.gyr_range_dps : meta.acc_range_g;
  }

  // Where a raw-count preset's range came from, for the unit's reason.
  std::string range_source(bool gyro) const {
    const char* flag = gyro ? "--gyr-range" : "--acc-range";
    if ((gyro ? opt.gyr_range_dps : opt.acc_range_g) > 0) return flag;
    if (banner_range[gyro] > 0) return "declared in " + banner_range_where[gyro];
    if (declared_range(gyro) > 0) return std::string("declared in the '# ") + (gyro ? "gyr_range_dps" : "acc_range_g") + "' line";
    return std::string("the sensor's default; ") + flag + " if the sketch set another";
  }

  void decide_units(const Unit declared[3], const std::string declared_in[3], std::size_t header_line) {
    // Time.
    if (has_time && kind != Kind::gaitmap) {
      Unit u = option_unit(opt.time_unit, "time", {Unit::s, Unit::ms, Unit::us, Unit::ns});
      std::string why = "set by options";
      if (u == Unit::none && declared[0] != Unit::none) {
        u = declared[0];
        why = "declared in header '" + declared_in[0] + "'";
      }
      if (u == Unit::none && kind == Kind::native) {
        u = Unit::s;
        why = "native format";
      }
      if (u == Unit::none) {
        const UnitChoice c = plan.strict_units ? detect_time_unit_at_imu_rates(ahead) : detect_time_unit(ahead);
        if (c.unit == Unit::none)
          fail(header_line, "cannot tell the unit of the time column '" +
                                col_names[static_cast<std::size_t>(std::find(roles.begin(), roles.end(), Role::time) -
                                                                   roles.begin())] +
                                "': " + c.reason + "; give --time-unit s, ms, us or ns");
        u = c.unit;
        why = c.reason;
      }
      t_scale = to_si(u);
      report.time_unit = unit_name(u);
      report.time_unit_reason = why;
    }
    // Rate.
    if (report.rate_declared) {
      // gaitmap: set already
    } else if (meta.rate_hz > 0) {
      report.rate_declared = true;
      report.rate_reason = "declared in metadata";
    } else if (opt.rate_hz > 0) {
      meta.rate_hz = opt.rate_hz;
      report.rate_declared = true;
      report.rate_reason = "options.rate_hz";
    } else {
      std::vector<double> steps;
      for (std::size_t i = 1; i < ahead.size(); ++i) steps.push_back((ahead[i].t - ahead[i - 1].t) * t_scale);
      if (!steps.empty()) {
        auto mid = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
        std::nth_element(steps.begin(), mid, steps.end());
        if (*mid > 0) {
          meta.rate_hz = 1.0 / *mid;
          report.rate_reason = "median interval " + format_number(*mid * 1e3, 3) + " ms";
        }
      }
    }
    nominal_dt = meta.rate_hz > 0 ? 1.0 / meta.rate_hz : 0.0;

    const std::size_t window =
        meta.rate_hz > 0 ? static_cast<std::size_t>(std::lround(meta.rate_hz)) : std::size_t{100};
    const RestStats rest = rest_stats(ahead, window);
    const bool have_data = !ahead.empty();
    auto column_of = [&](bool (*pred)(Role)) {
      for (std::size_t c = 0; c < ncols; ++c)
        if (pred(roles[c])) return col_names[c];
      return std::string();
    };

    // Acceleration.
    if (no_acc) {
      report.acc_unit = "none";
      report.acc_unit_reason = "no accelerometer: the file holds a gyroscope only";
    } else if (plan.acc_lsb_per_g > 0) {  // raw counts at a declared range
      acc_scale = kGravity / plan.acc_lsb_per_g;
      report.acc_unit = "counts";
      report.acc_unit_reason = "raw counts, +-" + number_text(plan.acc_range_g) + " g = " +
                               number_text(plan.acc_lsb_per_g) + " LSB/g (" + range_source(false) + ")";
      check_rest_acc(rest, have_data, header_line, column_of(is_acc), "counts", report.acc_unit_reason);
    } else {
      Unit u = option_unit(opt.acc_unit, "acceleration", {Unit::g, Unit::mps2, Unit::mg});
      std::string why = "set by options";
      if (u == Unit::none && declared[1] != Unit::none) {
        u = declared[1];
        why = "declared in header '" + declared_in[1] + "'";
      }
      if (u == Unit::none && kind == Kind::gaitmap) {
        u = Unit::mps2;
        why = "gaitmap format (m/s^2)";
      }
      if (u == Unit::none && have_data) {
        const UnitChoice c = detect_acc_unit(rest);
        if (c.unit == Unit::none)
          fail(header_line, "cannot tell the unit of the acceleration column '" + column_of(is_acc) + "': " +
                                c.reason + "; expected |a| at rest of about 1 g or 9.81 m/s^2" +
                                (plan.strict_units ? "; give --acc-unit g or --acc-unit m/s^2" : ""));
        u = c.unit;
        why = c.reason;
      }
      if (u == Unit::none) {
        u = Unit::mps2;
        why = "no data rows to tell; assumed m/s^2";
      }
      acc_scale = to_si(u);
      report.acc_unit = unit_name(u);
      report.acc_unit_reason = why;
      check_rest_acc(rest, have_data, header_line, column_of(is_acc), std::string(unit_name(u)), why);
    }
    // Angular rate.
    if (plan.gyr_lsb_per_dps > 0) {
      gyr_scale = to_si(Unit::dps) / plan.gyr_lsb_per_dps;
      report.gyr_unit = "counts";
      report.gyr_unit_reason = "raw counts, +-" + number_text(plan.gyr_range_dps) + " deg/s = " +
                               number_text(plan.gyr_lsb_per_dps) + " LSB/(deg/s) (" + range_source(true) + ")";
    } else {
      Unit u = option_unit(opt.gyr_unit, "angular rate", {Unit::dps, Unit::rad_s, Unit::mdps});
      std::string why = "set by options";
      if (u == Unit::none && declared[2] != Unit::none) {
        u = declared[2];
        why = "declared in header '" + declared_in[2] + "'";
      }
      if (u == Unit::none && kind == Kind::gaitmap) {
        u = Unit::dps;
        why = "gaitmap format (deg/s)";
      }
      if (u == Unit::none && have_data && plan.strict_units && no_gyro.empty()) {
        const UnitChoice c = detect_gyr_unit_from_motion(rest);
        if (c.unit == Unit::none)
          fail(header_line, "cannot tell the unit of the angular-rate column '" + column_of(is_gyr) + "' from the "
                                "first " + std::to_string(ahead.size()) + " rows: " + c.reason +
                                "; give --gyr-unit rad/s or --gyr-unit deg/s");
        u = c.unit;
        why = c.reason;
      }
      if (u == Unit::none && have_data) {
        const UnitChoice c = detect_gyr_unit(rest);
        u = c.unit;
        why = c.reason;
      }
      if (u == Unit::none) {
        u = Unit::rad_s;
        why = "no data rows to tell; assumed rad/s";
      }
      gyr_scale = to_si(u);
      report.gyr_unit = unit_name(u);
      report.gyr_unit_reason = why;
      if (have_data && kind != Kind::native && rest.gyr_p99 * gyr_scale > 50.0)
        fail(header_line, "angular-rate column '" + column_of(is_gyr) + "' taken as " + std::string(unit_name(u)) +
                              " (" + why + "), but its 99th percentile |w| is " +
                              format_number(rest.gyr_p99 * gyr_scale, 1) +
                              " rad/s; expected below 50 rad/s (no gyroscope measures more)");
    }
    if (!no_gyro.empty()) {  // accelerometer only: the gyro cells were not read, there is no unit to tell
      report.gyr_unit = "none";
      report.gyr_unit_reason = "no gyroscope: " + no_gyro;
    }
    if (meta.acc_range_g <= 0) meta.acc_range_g = banner_range[0];  // clipping, whatever the format
    if (meta.gyr_range_dps <= 0) meta.gyr_range_dps = banner_range[1];
    if (plan.acc_range_g > 0) meta.acc_range_g = plan.acc_range_g;
    if (plan.gyr_range_dps > 0) meta.gyr_range_dps = plan.gyr_range_dps;
    if (meta.acc_range_g > 0) acc_clip = 0.999 * meta.acc_range_g * kGravity;
    if (meta.gyr_range_dps > 0) gyr_clip = 0.999 * meta.gyr_range_dps * to_si(Unit::dps);
  }

  void open() {
    sniff_binary();
    std::string header;
    const std::size_t header_line = read_header(header);
    report.source = source;
    delim = detect_delimiter(header);
    report.delimiter = delim;
    if (const std::size_t n = count_cells(header, delim); n > opt.max_columns)
      fail(header_line, "the header has " + std::to_string(n) + " columns, more than the " +
                            std::to_string(opt.max_columns) + " read (max_columns): '" + utf8::excerpt(header, 40) +
                            "'; expected a header such as " + std::string(kNativeHeader));
    std::vector<std::string_view> cells;
    split_cells(header, delim, cells);

    report.encoding = src.encoding();
    if (all_numbers(cells))
      fail(header_line, "the first line '" + utf8::excerpt(header, 60) +
                            "' holds numbers, not column names; expected a header such as " +
                            std::string(kNativeHeader));

    Unit declared[3] = {Unit::none, Unit::none, Unit::none};
    std::string declared_in[3];
    const formats::Format* named = formats::find(opt.format);
    if (opt.format != "auto" && named == nullptr)
      throw ImportError(source + ": unknown format '" + utf8::excerpt(opt.format, 40) + "'; expected one of " +
                        formats::names() + " (stride formats lists them)");
    const std::string file = formats::base_name(source);
    const formats::HeaderView view{file, header, cells};
    std::string reason;
    if (named != nullptr && named->plan != nullptr) {
      preset = named;
      const formats::Detection d = named->detect(view);
      reason = "--format " + std::string(named->name) + (d.confidence > 0 ? " (" + d.reason + ")" : std::string());
    } else if (opt.format == "auto" && kind != Kind::native && !looks_gaitmap(cells)) {
      formats::Best best = formats::detect(view);
      preset = best.format;
      reason = std::move(best.detection.reason);
    }
    if (preset != nullptr) {
      ImportOptions with_ranges = opt;  // a range the file declares counts as given, unless the options give one
      if (with_ranges.acc_range_g <= 0) with_ranges.acc_range_g = declared_range(false);
      if (with_ranges.gyr_range_dps <= 0) with_ranges.gyr_range_dps = declared_range(true);
      plan = preset->plan(view, with_ranges, source + " line " + std::to_string(header_line));
      if (!plan.note.empty()) reason += "; " + plan.note;
      if (plan.headerless) {  // the line is data: it is read again as the first row
        pending = header;
        pending_no = header_line;
        has_pending = true;
      }
    }
    if (opt.format == "gaitmap" || (opt.format == "auto" && preset == nullptr && looks_gaitmap(cells))) {
      kind = Kind::gaitmap;
      setup_gaitmap(cells, header_line);
      if (std::count_if(roles.begin(), roles.end(), is_gyr) == 0) no_gyro = "no gyroscope columns";
      std::vector<std::string> found;
      if (std::count_if(roles.begin(), roles.end(), is_acc) != 3 ||
          std::count_if(roles.begin(), roles.end(), is_gyr) % 3 != 0)
        fail(header_line + 1, "gaitmap header lacks acc_x..gyr_z for the chosen sensor; expected an axis row "
                              "like 'axis,acc_x,acc_x,acc_y,...'");
    } else {
      if (preset != nullptr && plan.columns.size() != cells.size())
        fail(header_line, std::string(preset->name) + ": the plan has " + std::to_string(plan.columns.size()) +
                              " columns for " + std::to_string(cells.size()) + " header cells");
      setup_generic(cells, preset != nullptr ? plan.columns : formats::recognise_all(cells), header_line, declared,
                    declared_in);
      read_units_rows(declared, declared_in);
    }
    report.format = preset != nullptr     ? std::string(preset->name)
                    : kind == Kind::native  ? "stride-native"
                    : kind == Kind::gaitmap ? "gaitmap"
                                            : "generic-csv";
    report.format_reason = reason;
    if (no_acc) report.has_acc = false;

    if (no_gyro.empty()) no_gyro = gyro_cells_empty();
    if (!no_gyro.empty()) report.has_gyro = false;
    RawRow row;  // (no reserve for kLookAheadRows: a short input needs a few rows, not 256 KiB)
    const std::size_t look_ahead = plan.look_ahead_rows > 0 ? plan.look_ahead_rows : kLookAheadRows;
    while (ahead.size() < look_ahead && next_row(row)) ahead.push_back(row);
    decide_units(declared, declared_in, header_line);
    if (!ahead.empty()) decide_t0(ahead.front().t);
  }

  std::size_t read(std::span<ImuSample> out) {
    std::size_t n = 0;
    RawRow row;
    while (n < out.size()) {
      if (ahead_pos < ahead.size()) {
        out[n++] = convert(ahead[ahead_pos++]);
        continue;
      }
      if (!ahead.empty()) {
        ahead.clear();
        ahead.shrink_to_fit();
        ahead_pos = 0;
      }
      if (finished) break;
      if (!next_row(row)) {
        finished = true;
        break;
      }
      out[n++] = convert(row);
    }
    return n;
  }
};

CsvReader::CsvReader(std::istream& in, std::string source_name, ImportOptions options)
    : impl_(std::make_unique<Impl>(in, std::move(source_name), std::move(options))) {
  impl_->open();
}
CsvReader::~CsvReader() = default;
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;

const RecordingMeta& CsvReader::meta() const { return impl_->meta; }
const ImportReport& CsvReader::report() const { return impl_->report; }
const std::vector<Gap>& CsvReader::gaps() const { return impl_->gaps; }
const std::vector<ClockMark>& CsvReader::clock_marks() const { return impl_->clock_marks; }
std::size_t CsvReader::read(std::span<ImuSample> out) { return impl_->read(out); }

Imported import_csv(std::istream& in, const std::string& source_name, const ImportOptions& options) {
  CsvReader reader(in, source_name, options);
  Imported result;
  auto& samples = result.recording.samples;
  // Read in chunks that double from a few rows to 8192: a long file's reads are as large as ever, a short input
  // (a fuzzer runs millions) never constructs thousands of samples it does not have.
  constexpr std::size_t kFirstChunk = 64, kChunk = 8192;
  for (std::size_t chunk = kFirstChunk;; chunk = std::min(chunk * 2, kChunk)) {
    const std::size_t at = samples.size();
    samples.resize(at + chunk);
    const std::size_t got = reader.read(std::span<ImuSample>(samples.data() + at, chunk));
    samples.resize(at + got);
    if (got == 0) break;
  }
  samples.shrink_to_fit();
  result.recording.meta = reader.meta();
  result.recording.clock_marks = reader.clock_marks();
  result.report = reader.report();
  if (!result.report.rate_declared) {
    const double dt = median_interval_s(samples);
    if (dt > 0) {
      result.recording.meta.rate_hz = 1.0 / dt;
      result.report.rate_reason = "median interval " + format_number(dt * 1e3, 3) + " ms";
    }
  }
  const double rate = result.recording.meta.rate_hz;
  result.recording.gaps = find_gaps(samples, rate > 0 ? 1.0 / rate : 0.0);
  return result;
}

Imported import_any(const std::function<std::unique_ptr<std::istream>()>& open, const std::string& source,
                    const ImportOptions& options) {
  const std::string& forced = options.format;
  const bool any = forced == "auto";
  std::string head, why;
  if (any) {
    const auto in = open();
    head.resize(1u << 16);
    in->read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in->gcount()));
  }
  const auto chosen = [&](Imported r) {
    if (any) r.report.format_reason = why;
    return r;
  };
  if (forced == kStridebName || (any && strideb::has_magic(head))) {
    why = kStridebFoundBy;
    return chosen(import_strideb(*open(), source));
  }
  if (forced == kWitmotionBinaryName || (any && looks_like_witmotion_binary(head, &why)))
    return chosen(import_witmotion_binary(*open(), source, options));
  if (forced == kMovesenseJsonName || (any && looks_like_movesense_json(head, &why)))
    return chosen(import_movesense_json(*open(), source, options));
  return import_csv(*open(), source, options);
}

Imported import_file(const std::string& path, const ImportOptions& options) {
  return import_any(
      [&path]() -> std::unique_ptr<std::istream> {
        auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
        if (!*in)
          throw ImportError("cannot open '" + path + "': " + std::strerror(errno) + "; expected a readable recording");
        return in;
      },
      path, options);
}

}  // namespace stride::io
