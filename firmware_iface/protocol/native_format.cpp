#include "native_format.hpp"

#include <charconv>
#include <ostream>
#include <system_error>

#include "columns.hpp"
#include "stride/recording_io.hpp"

namespace stride::io {

namespace {

// Shortest text that parses back to the same double.
char* put_double(char* p, char* end, double v) {
  return std::to_chars(p, end, v).ptr;
}

// Metadata values must stay on one line; keys must not contain ':'.
std::string one_line(std::string_view s, bool is_key) {
  std::string out(s);
  for (char& c : out)
    if (c == '\n' || c == '\r' || (is_key && c == ':')) c = ' ';
  if (is_key)
    for (char& c : out)
      if (c == ' ' || c == '\t') c = '_';
  return out;
}

void put_meta(std::ostream& out, std::string_view key, std::string_view value) {
  out << "# " << one_line(key, true) << ": " << one_line(value, false) << '\n';
}

std::string double_text(double v) {
  char buf[64];
  return std::string(buf, put_double(buf, buf + sizeof buf, v));
}

}  // namespace

void write_native_header(std::ostream& out, const RecordingMeta& meta) {
  put_meta(out, detail::kFormatKey, "1");
  put_meta(out, "board", meta.board);
  put_meta(out, "sensor", meta.sensor);
  put_meta(out, "placement", to_string(meta.placement));
  put_meta(out, "side", to_string(meta.side));
  put_meta(out, "rate_hz", double_text(meta.rate_hz));
  put_meta(out, "acc_range_g", double_text(meta.acc_range_g));
  put_meta(out, "gyr_range_dps", double_text(meta.gyr_range_dps));
  put_meta(out, "athlete", meta.athlete);
  put_meta(out, "shoe", meta.shoe);
  put_meta(out, "start_time", meta.start_time);
  for (const auto& [k, v] : meta.extra)
    if (k != detail::kFormatKey) put_meta(out, k, v);
  out << detail::kNativeHeader << '\n';
}

void write_native_clock_mark(std::ostream& out, const ClockMark& m) {
  char buf[2 * 32 + 24] = "# host_clock: ";
  char* const end = buf + sizeof buf;
  char* p = buf + 14;
  p = put_double(p, end, m.t_s);
  *p++ = ' ';
  p = put_double(p, end, m.unix_s);
  *p++ = '\n';
  out.write(buf, p - buf);
}

void write_native_sample(std::ostream& out, const ImuSample& s) {
  char buf[7 * 32 + 8];
  char* const end = buf + sizeof buf;
  char* p = put_double(buf, end, s.t_s);
  for (int i = 0; i < 3; ++i) {
    *p++ = ',';
    p = put_double(p, end, s.acc_mps2[i]);
  }
  for (int i = 0; i < 3; ++i) {
    *p++ = ',';
    p = put_double(p, end, s.gyr_rad_s[i]);
  }
  *p++ = '\n';
  out.write(buf, p - buf);
}

void write_native(std::ostream& out, const Recording& rec) {
  write_native_header(out, rec.meta);
  auto mark = rec.clock_marks.begin();
  for (const auto& s : rec.samples) {
    write_native_sample(out, s);
    for (; mark != rec.clock_marks.end() && mark->t_s <= s.t_s; ++mark) write_native_clock_mark(out, *mark);
  }
  for (; mark != rec.clock_marks.end(); ++mark) write_native_clock_mark(out, *mark);
}

namespace detail {

bool apply_meta_line(std::string_view body, RecordingMeta& meta) {
  // Unknown keys are kept, up to a bound: a stream or file of endless distinct keys must not grow memory.
  constexpr std::size_t kMaxExtraKeys = 256;
  auto keep = [&](std::string_view k, std::string_view v) {
    if (meta.extra.size() < kMaxExtraKeys || meta.extra.count(std::string(k)))
      meta.extra[std::string(k)] = std::string(v);
  };
  const auto colon = body.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view key_text = trim(body.substr(0, colon));
  const std::string key = ascii_lower(key_text);
  const std::string_view value = trim(body.substr(colon + 1));
  if (key.empty() || key.find_first_of(" \t") != std::string::npos) return false;
  auto number = [&](double& field) {
    double v = 0.0;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
    if (r.ec == std::errc() && r.ptr == value.data() + value.size() && v >= 0.0) field = v;
    else keep(key_text, value);
  };
  if (key == kFormatKey) return true;
  if (key == "board") meta.board = value;
  else if (key == "sensor") meta.sensor = value;
  else if (key == "placement" && placement_from_string(value)) meta.placement = *placement_from_string(value);
  else if (key == "side" && side_from_string(value)) meta.side = *side_from_string(value);
  else if (key == "rate_hz") number(meta.rate_hz);
  else if (key == "acc_range_g") number(meta.acc_range_g);
  else if (key == "gyr_range_dps") number(meta.gyr_range_dps);
  else if (key == "athlete") meta.athlete = value;
  else if (key == "shoe") meta.shoe = value;
  else if (key == "start_time") meta.start_time = value;
  else keep(key_text, value);
  return true;
}

}  // namespace detail
}  // namespace stride::io
