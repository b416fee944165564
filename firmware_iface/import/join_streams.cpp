#include "join_streams.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "stride/resample.hpp"
#include "../protocol/columns.hpp"
#include "../protocol/unit_detection.hpp"

namespace stride::io {
namespace {

using detail::format_number;


bool holds_acc(const Recording& r) {
  return std::any_of(r.samples.begin(), r.samples.end(), [](const ImuSample& s) { return s.acc_mps2.allFinite(); });
}
bool holds_gyr(const Recording& r) {
  return std::any_of(r.samples.begin(), r.samples.end(), [](const ImuSample& s) { return s.gyr_rad_s.allFinite(); });
}

std::string name_of(const Imported& part) { return std::filesystem::path(part.report.source).filename().string(); }

std::string range_text(double start, const Recording& r) {
  const double end = start + (r.samples.empty() ? 0.0 : r.samples.back().t_s);
  return format_number(start, 3) + " to " + format_number(end, 3) + " s";
}

}  // namespace

double seconds_per_unit(const std::string& unit) {
  const detail::Unit u = detail::parse_unit(unit);
  return detail::unit_group(u) == 0 ? detail::to_si(u) : 0.0;
}

double device_start_s(const Imported& part) {
  const auto it = part.recording.meta.extra.find("device_t0");
  const double unit = seconds_per_unit(part.report.time_unit);
  if (it == part.recording.meta.extra.end() || unit == 0.0) return 0.0;
  double v = 0.0;
  const auto& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size() ? v * unit : 0.0;
}

ClockJoin plan_clock_join(const Imported& base, const Imported& other, std::string_view base_role,
                          std::string_view other_role) {
  const auto& a = base.recording.samples;
  const auto& g = other.recording.samples;
  ClockJoin j;
  const double a0 = device_start_s(base), g0 = device_start_s(other);
  j.same_clock = seconds_per_unit(base.report.time_unit) > 0 && seconds_per_unit(other.report.time_unit) > 0;
  // Both on the base file's time axis (its first sample at 0).
  j.shift_s = j.same_clock ? g0 - a0 : 0.0;
  j.from_s = std::max(0.0, j.shift_s);
  j.base_end_s = a.empty() ? 0.0 : a.back().t_s;
  j.to_s = std::min(j.base_end_s, j.shift_s + (g.empty() ? 0.0 : g.back().t_s));
  if (!(j.to_s - j.from_s >= 1.0))
    throw ImportError(base.report.source + " and " + other.report.source + ": their clocks do not overlap (" +
                      std::string(base_role) + " " + range_text(a0, base.recording) + ", " + std::string(other_role) +
                      " " + range_text(g0, other.recording) +
                      "); expected two files of the same recording, exported together from one app");
  const ClockRegularity clock = clock_regularity(g);  // (its median is median_interval_s(g))
  j.other_gap_s = clock.gap_factor() * clock.median_interval_s;
  return j;
}

Imported join_streams(Imported acc, Imported gyr) {
  const std::string both = acc.report.source + " and " + gyr.report.source;
  if (!holds_acc(acc.recording))
    throw ImportError(acc.report.source + ": holds no accelerometer samples; expected the accelerometer file of " +
                      both);
  if (!holds_gyr(gyr.recording))
    throw ImportError(gyr.report.source + ": holds no gyroscope samples; expected the gyroscope file of " + both);
  const ClockJoin j = join_on_clock(acc, gyr, "accelerometer", "gyroscope", [](ImuSample& out, const ImuSample& w) {
    out.gyr_rad_s = w.gyr_rad_s;
    constexpr std::uint8_t kGyrBits = kClipGyrX | kClipGyrY | kClipGyrZ;
    out.clipped = static_cast<std::uint8_t>((out.clipped & ~kGyrBits) | (w.clipped & kGyrBits));
  });
  const double a0 = device_start_s(acc), shift = j.shift_s, from = j.from_s, to = j.to_s;
  const bool same_clock = j.same_clock;
  const std::size_t dropped_in_gaps = j.dropped_in_gaps;

  Imported r = std::move(acc);
  const double acc_rate = r.recording.meta.rate_hz, gyr_rate = gyr.recording.meta.rate_hz;
  auto& rep = r.report;
  const std::string acc_name = name_of(r), gyr_name = name_of(gyr);
  rep.files = {rep.source, gyr.report.source};
  rep.source = rep.source + " + " + gyr.report.source;
  if (gyr.report.format != rep.format) rep.format += " + " + gyr.report.format;
  rep.gyr_unit = gyr.report.gyr_unit;
  rep.gyr_unit_reason = gyr.report.gyr_unit_reason;
  rep.has_gyro = true;
  rep.lines += gyr.report.lines;
  rep.skipped += gyr.report.skipped;
  rep.duplicate_stamps += gyr.report.duplicate_stamps;
  rep.clock_restarts += gyr.report.clock_restarts;
  for (auto issue : gyr.report.issues) {
    if (rep.issues.size() >= 50) break;
    issue.what = "(" + gyr_name + ") " + issue.what;
    rep.issues.push_back(std::move(issue));
  }
  rep.samples = r.recording.samples.size();
  std::string note = "joined " + gyr_name + " (gyroscope, " + format_number(gyr_rate, 1) + " Hz) onto " + acc_name +
                     " (accelerometer, " + format_number(acc_rate, 1) + " Hz) by linear interpolation; ";
  note += same_clock ? "the gyroscope starts " + format_number(std::abs(shift), 3) + " s " +
                           (shift >= 0 ? "after" : "before") + " the accelerometer on their common clock"
                     : "no clock in one file: both assumed to start together";
  note += "; kept " + format_number(to - from, 3) + " s where both have data";
  if (dropped_in_gaps) note += ", dropped " + std::to_string(dropped_in_gaps) + " samples inside gyroscope gaps";
  rep.notes.push_back(note);

  auto& meta = r.recording.meta;
  if (meta.gyr_range_dps == 0) meta.gyr_range_dps = gyr.recording.meta.gyr_range_dps;
  if (from > 0) meta.extra["device_t0_joined_s"] = format_number(a0 + from, 6);
  r.recording.clock_marks.clear();  // the files' own clock marks (if any) referred to their own starts
  const ClockRegularity clock = clock_regularity(r.recording.samples);  // (its median is median_interval_s's)
  const double interval = r.recording.meta.rate_hz > 0 ? 1.0 / r.recording.meta.rate_hz : clock.median_interval_s;
  r.recording.gaps = find_gaps(r.recording.samples, interval, clock.gap_factor());
  return r;
}

}  // namespace stride::io
