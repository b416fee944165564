#include "two_feet.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <utility>

namespace stride::cli {
namespace {

// The metadata of a file without reading it all (the reader's look-ahead only); nullopt if it cannot be read.
std::optional<RecordingMeta> peek_meta(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  try {
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

void shift(Recording& r, double dt) {
  if (dt == 0.0) return;
  for (auto& s : r.samples) s.t_s += dt;
  for (auto& g : r.gaps) g.start_s += dt, g.end_s += dt;
}

}  // namespace

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
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    const std::string id = session_of(i);
    std::size_t partner = files.size();
    for (std::size_t j = i + 1; j < files.size() && !id.empty() && partner == files.size(); ++j)
      if (!used[j] && session_of(j) == id && metas[j]->side != metas[i]->side) partner = j;
    if (partner == files.size()) {
      out.push_back({files[i], ""});
      continue;
    }
    used[partner] = true;
    const bool i_left = metas[i]->side == Side::left;
    out.push_back({files[i_left ? i : partner], files[i_left ? partner : i]});
  }
  return out;
}

ClockAlignment align_clocks(Recording& left, Recording& right, bool same_file) {
  ClockAlignment a;
  if (same_file) {
    a.source = "same_file";
    return a;
  }
  const auto hl = extra_number(left.meta, "host_t0_unix_s"), hr = extra_number(right.meta, "host_t0_unix_s");
  if (!hl || !hr) {
    a.source = "assumed_same_start";
    return a;
  }
  a.source = "host_clock";
  const double t0 = std::min(*hl, *hr);
  a.left_shift_s = *hl - t0;
  a.right_shift_s = *hr - t0;
  shift(left, a.left_shift_s);
  shift(right, a.right_shift_s);
  return a;
}

}  // namespace stride::cli
