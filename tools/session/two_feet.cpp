#include "tools/session/two_feet.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <utility>

#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/protocol/strideb.hpp"

namespace stride::session {
namespace {

// The metadata of a file without reading it all (the reader's look-ahead only); nullopt if it cannot be read.
std::optional<RecordingMeta> peek_meta(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  try {
    char head[8] = {};
    in.read(head, sizeof head);
    const bool binary = io::strideb::has_magic(std::string_view(head, static_cast<std::size_t>(in.gcount())));
    in.clear();
    in.seekg(0);
    if (binary) return io::StridebReader(in, path).meta();
    io::CsvReader reader(in, path);
    return reader.meta();
  } catch (const io::ImportError&) {
    return std::nullopt;
  }
}

std::optional<double> extra_number(const RecordingMeta& m, const char* key) {
  const auto it = m.extra.find(key);
  if (it == m.extra.end()) return std::nullopt;
  double v = 0;
  const auto& s = it->second;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Host time as a line in device time, unix = a + b t: a least-squares fit of the clock marks (centred, so the
// 1e9-sized Unix times lose no precision), or host_t0_unix_s with b = 1.
struct HostLine {
  double a = 0.0, b = 1.0;
  bool from_marks = false;
};

std::optional<HostLine> host_line(const Recording& r) {
  const auto& m = r.clock_marks;
  if (m.size() >= 3 && m.back().t_s - m.front().t_s >= 2.0) {
    double tm = 0, um = 0;
    for (const auto& x : m) tm += x.t_s, um += x.unix_s - m.front().unix_s;
    tm /= static_cast<double>(m.size());
    um /= static_cast<double>(m.size());
    double stu = 0, stt = 0;
    for (const auto& x : m) {
      const double dt = x.t_s - tm, du = x.unix_s - m.front().unix_s - um;
      stu += dt * du;
      stt += dt * dt;
    }
    HostLine h;
    h.b = stu / stt;
    h.a = m.front().unix_s + um - h.b * tm;
    h.from_marks = true;
    return h;
  }
  if (const auto t0 = extra_number(r.meta, "host_t0_unix_s")) return HostLine{*t0, 1.0, false};
  return std::nullopt;
}

}  // namespace

std::string SessionFiles::label() const {
  if (!gyro_path.empty()) return path + " + " + gyro_path;
  if (two_feet() && right_path != path) return path + " + " + right_path;
  return path;
}

std::vector<SessionFiles> plan_sessions(const std::vector<std::string>& files, bool pair) {
  std::vector<std::optional<RecordingMeta>> metas(files.size());
  if (pair)
    for (std::size_t i = 0; i < files.size(); ++i) metas[i] = peek_meta(files[i]);
  // The session a file declares, if it can pair: a session_id and a side.
  const auto session_of = [&](std::size_t i) -> std::string {
    if (!metas[i] || metas[i]->side == Side::unknown) return {};
    const auto it = metas[i]->extra.find("session_id");
    return it == metas[i]->extra.end() ? std::string() : it->second;
  };
  std::vector<SessionFiles> out;
  std::vector<bool> used(files.size(), false);
  // Files another given file brings along (Sensor Logger iOS: Gravity.csv and Metadata.csv beside Accelerometer.csv)
  // are read with it, not as sessions of their own.
  for (std::size_t i = 0; i < files.size(); ++i)
    for (const auto& c : io::companion_files(files[i]))
      for (std::size_t j = 0; j < files.size(); ++j) {
        std::error_code ec;
        if (j != i && std::filesystem::equivalent(files[j], c, ec)) used[j] = true;
      }

  // An accelerometer-only file and a gyroscope-only file, given one after the other: one sensor in two files.
  std::vector<std::optional<io::Holds>> holds(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) holds[i] = io::peek_holds(files[i]);
  const auto only = [&](std::size_t i, bool acc) { return holds[i] && holds[i]->acc == acc && holds[i]->gyr == !acc; };
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    std::size_t j = i + 1;  // the next file not already taken (a companion between them is skipped)
    while (j + 1 < files.size() && used[j]) ++j;
    if (used[i] || used[j] || !((only(i, true) && only(j, false)) || (only(i, false) && only(j, true)))) continue;
    used[i] = used[j] = true;
    const bool i_acc = only(i, true);
    out.push_back({files[i_acc ? i : j], "", files[i_acc ? j : i]});
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    const std::string id = session_of(i);
    std::size_t partner = files.size();
    for (std::size_t j = i + 1; j < files.size() && !id.empty() && partner == files.size(); ++j)
      if (!used[j] && session_of(j) == id && metas[j]->side != metas[i]->side) partner = j;
    if (partner == files.size()) {
      out.push_back({files[i], "", ""});
      continue;
    }
    used[partner] = true;
    const bool i_left = metas[i]->side == Side::left;
    out.push_back({files[i_left ? i : partner], files[i_left ? partner : i], ""});
  }
  return out;
}

ClockAlignment plan_clocks(const Recording& left, const Recording& right, std::optional<double> right_first_t_s,
                           bool same_file) {
  ClockAlignment a;
  if (same_file) {
    a.source = "same_file";
    return a;
  }
  const auto hl = host_line(left), hr = host_line(right);
  if (!hl || !hr) {
    a.source = "assumed_same_start";
    return a;
  }
  // Right device time -> left device time: a_L + b_L t_L = a_R + b_R t_R. The drift is only trusted from marks.
  const bool marks = hl->from_marks && hr->from_marks;
  a.source = marks ? "host_clock_marks" : "host_clock";
  a.right_scale = marks ? hr->b / hl->b : 1.0;
  a.right_shift_s = (hr->a - hl->a) / (marks ? hl->b : 1.0);
  // Session time 0 at the earlier start.
  const double right_start = right_first_t_s ? a.right_scale * *right_first_t_s + a.right_shift_s : 0.0;
  const double lift = std::max(0.0, -right_start);
  a.left_shift_s = lift;
  a.right_shift_s += lift;
  return a;
}

void retime(Recording& r, double scale, double shift) {
  if (scale == 1.0 && shift == 0.0) return;
  for (auto& s : r.samples) s.t_s = scale * s.t_s + shift;
  for (auto& g : r.gaps) g.start_s = scale * g.start_s + shift, g.end_s = scale * g.end_s + shift;
  for (auto& m : r.clock_marks) m.t_s = scale * m.t_s + shift;
}

ClockAlignment align_clocks(Recording& left, Recording& right, bool same_file) {
  const ClockAlignment a = plan_clocks(left, right,
                                       right.samples.empty() ? std::nullopt : std::optional(right.samples.front().t_s),
                                       same_file);
  retime(left, 1.0, a.left_shift_s);
  retime(right, a.right_scale, a.right_shift_s);
  return a;
}

}  // namespace stride::session
