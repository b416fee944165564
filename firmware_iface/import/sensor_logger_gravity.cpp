#include "sensor_logger_gravity.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string_view>

#include "../protocol/columns.hpp"
#include "../protocol/unit_detection.hpp"
#include "join_streams.hpp"
#include "stride/resample.hpp"

namespace stride::io {
namespace {

using detail::ascii_lower;
using detail::format_number;

constexpr double kStandardGravity = 9.80665;  // the app's g (UNITS.md)

std::string base_lower(const std::string& path) { return ascii_lower(std::filesystem::path(path).filename().string()); }
std::string folder_of(const std::string& path) { return std::filesystem::path(path).parent_path().generic_string(); }

bool next_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  return true;
}

// Mean |a| over the quietest quarter second (lowest variance of |a|): about 1 g when gravity is in, whether the
// recording starts at rest or the foot only stands still in stance (the median over a whole run is 2-3 g).
double quietest_mean_norm(const std::vector<ImuSample>& samples, double rate_hz) {
  const std::size_t w = std::max<std::size_t>(5, static_cast<std::size_t>(0.25 * (rate_hz > 0 ? rate_hz : 100.0)));
  double best_var = std::numeric_limits<double>::infinity(), best_mean = 0.0;
  for (std::size_t b = 0; b + w <= samples.size(); b += w / 2) {
    double sum = 0.0, sum2 = 0.0;
    for (std::size_t i = b; i < b + w; ++i) {
      const double n = samples[i].acc_mps2.norm();
      sum += n;
      sum2 += n * n;
    }
    const double mean = sum / static_cast<double>(w), var = sum2 / static_cast<double>(w) - mean * mean;
    if (var < best_var) best_var = var, best_mean = mean;
  }
  return best_mean;
}

}  // namespace

GravitySign sensor_logger_gravity_sign(std::istream* metadata, const std::string& name) {
  if (metadata == nullptr)
    return {-1.0, "no Metadata.csv: taken as iOS with 'Standardise Units & Frames' off (the app's default); keep "
                  "Metadata.csv with the files if the setting was on"};
  std::string header, row;
  next_line(*metadata, header);
  next_line(*metadata, row);
  std::vector<std::string_view> names, values;
  detail::split_cells(header, ',', names);
  detail::split_cells(row, ',', values);
  std::string platform, standardised;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (names[i] == "platform") platform = ascii_lower(values[i]);
    if (names[i] == "standardisation") standardised = ascii_lower(values[i]);
  }
  if (platform != "ios" && platform != "android")
    throw ImportError(name + " line 2: no platform 'ios' or 'android' (found '" + platform +
                      "'); expected Sensor Logger's Metadata.csv with columns 'platform' and 'standardisation'");
  const std::string said = name.empty() ? std::string("Metadata.csv") : std::filesystem::path(name).filename().string();
  if (platform == "android") return {1.0, said + ": platform android (Android's sign)"};
  if (standardised == "true")
    return {1.0, said + ": platform ios, standardisation true ('Standardise Units & Frames' on: Android's sign)"};
  return {-1.0, said + ": platform ios, standardisation " + (standardised.empty() ? "not given" : standardised) +
                    " (iOS sign: all three axes negated to Android's)"};
}

std::optional<GravityPair> find_gravity_pair(const std::vector<std::string>& members) {
  for (const auto& user : members) {
    if (base_lower(user) != "accelerometer.csv") continue;
    GravityPair p{user, {}, {}};
    bool total = false;
    for (const auto& m : members) {
      if (folder_of(m) != folder_of(user)) continue;
      const std::string b = base_lower(m);
      if (b == "gravity.csv") p.gravity = m;
      if (b == "metadata.csv") p.metadata = m;
      total = total || b == "totalacceleration.csv";
    }
    if (!p.gravity.empty() && !total) return p;
  }
  return std::nullopt;
}

bool has_sensor_logger_header(std::istream& in) {
  std::string header;
  return next_line(in, header) && header.find("seconds_elapsed") != std::string::npos;
}

Imported add_gravity(Imported user, Imported gravity, const GravitySign& sign) {
  const ClockJoin j = join_on_clock(user, gravity, "accelerometer", "gravity", [&](ImuSample& out, const ImuSample& g) {
    out.acc_mps2 = sign.sign * (out.acc_mps2 + g.acc_mps2);
  });
  Imported r = std::move(user);  // (its samples are the joined ones now)
  const std::string both = r.report.source + " and " + gravity.report.source;
  const double rest_g = quietest_mean_norm(r.recording.samples, r.recording.meta.rate_hz) / kStandardGravity;
  if (!(rest_g >= 0.5 && rest_g <= 2.0))
    throw ImportError(both + ": their sum has |a| = " + format_number(rest_g, 2) + " g in its quietest quarter "
                      "second; expected about 1 g at rest (Sensor Logger's Accelerometer.csv without gravity and its "
                      "Gravity.csv, both in m/s^2)");

  const double start = device_start_s(r);
  auto& rep = r.report;
  rep.files = {rep.source, gravity.report.source};  // (source stays the accelerometer file: the file joins name it)
  rep.acc_unit_reason += "; gravity added back from " + std::filesystem::path(gravity.report.source).filename().string();
  rep.lines += gravity.report.lines;
  rep.skipped += gravity.report.skipped;
  rep.samples = r.recording.samples.size();
  std::string note = "acceleration = " + std::string(sign.sign < 0 ? "-(" : "(") + "Accelerometer.csv + Gravity.csv" +
                     ")" + ": Sensor Logger without TotalAcceleration.csv (iOS) writes the acceleration without "
                     "gravity; gravity (" + format_number(gravity.recording.meta.rate_hz, 1) +
                     " Hz) interpolated onto the accelerometer's stamps; sign from " + sign.reason;
  if (j.from_s > 0 || j.to_s < j.base_end_s)
    note += "; kept " + format_number(j.to_s - j.from_s, 3) + " s where both have data";
  if (j.dropped_in_gaps) note += ", dropped " + std::to_string(j.dropped_in_gaps) + " samples inside gravity gaps";
  rep.notes.push_back(note);
  // The next join (the gyroscope) places this file by its first stamp (in the file's time unit): move it to the
  // first sample kept.
  const double unit_s = seconds_per_unit(rep.time_unit);
  if (j.from_s > 0 && r.recording.meta.extra.count("device_t0") && unit_s > 0)
    r.recording.meta.extra["device_t0"] = format_number((start + j.from_s) / unit_s, 9);
  const ClockRegularity clock = clock_regularity(r.recording.samples);  // (its median is median_interval_s's)
  const double interval = r.recording.meta.rate_hz > 0 ? 1.0 / r.recording.meta.rate_hz : clock.median_interval_s;
  r.recording.gaps = find_gaps(r.recording.samples, interval, clock.gap_factor());
  return r;
}

}  // namespace stride::io
