// The real event references in recordings/reference/ and a small event runner, shared by the event accuracy tests
// (test_events_real.cpp) and the before/after table (test_events_table.cpp). docs/events.md says what each
// reference's IC and TC mean and how detections are matched to them.
#pragma once

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/event_detection.hpp"
#include "analysis/mounting_calibration.hpp"
#include "stride/recording.hpp"
#include "stride/recording_io.hpp"
#include "test_support.hpp"

namespace stride::test {

inline std::vector<std::vector<std::string>> read_rows(const std::filesystem::path& file, int header_rows) {
  std::ifstream in(file);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  for (int i = 0; i < header_rows; ++i) std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::vector<std::string> cells;
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// gaitmap example, 2 x 20 m walk at 204.8 Hz. IC and TC from the motion capture by Zeni et al. 2008's coordinate
// method (IC: the heel marker's largest forward distance from the sacrum; TC: the toe marker's largest backward
// distance), mocap frames at 100 Hz converted to IMU samples (x 2.048, rounded). stride_events_sample.csv:
// s_id,foot,start,end,ic,tc,min_vel,pre_ic in samples; pre_ic is the IC before, so the first IC of a straight comes
// from pre_ic. `ic_turn[i]`: the IC lies next to a turn (see below).
struct GaitmapEvents {
  std::vector<double> ic_s, tc_s;
  std::vector<bool> ic_turn, tc_turn;
  // The same strides by Hreljac & Marshall 2000's marker method (validated against force plates: heel strike
  // +2.4 ms, toe-off +2.8 ms mean error, RMS 4.5 / 6.9 ms, running at 180 Hz): heel strike at the peak of the heel
  // marker's upward (braking) acceleration, toe-off at the peak of the toe marker's horizontal acceleration,
  // each found near the Zeni event (heel: -50..+80 ms; toe: -80..+50 ms), on the 100 Hz markers' central second
  // differences, refined with a parabola. One per Zeni event, in the same order.
  std::vector<double> hm_ic_s, hm_tc_s;
};

// The heel marker (FCC, mm, lab frame) at time t (100 Hz mocap, frame 0 = IMU sample 0).
struct Mocap {
  std::vector<std::vector<double>> rows;
  std::size_t heel_col(const std::string& foot) const { return foot == "left" ? 7 : 10; }
  std::size_t toe_col(const std::string& foot) const { return foot == "left" ? 1 : 4; }
  // Second difference of column `col` at frame f, m/s^2 (positions in mm, 100 Hz).
  double acc(std::size_t col, std::size_t f) const {
    return (rows[f + 1][col] - 2 * rows[f][col] + rows[f - 1][col]) * 1e4 / 1e3;
  }
  // The time of the largest value of `value(f)` for frames within [t + from_s, t + to_s], refined with a parabola.
  template <class F>
  double peak_time(double t_s, double from_s, double to_s, F value) const {
    const auto a = static_cast<std::size_t>(std::lround((t_s + from_s) * 100));
    const auto b = static_cast<std::size_t>(std::lround((t_s + to_s) * 100));
    std::size_t best = a;
    for (std::size_t f = a; f <= b; ++f)
      if (value(f) > value(best)) best = f;
    const double l = value(best - 1), m = value(best), r = value(best + 1), d = l - 2 * m + r;
    const double offset = d < 0 ? std::clamp(0.5 * (l - r) / d, -0.5, 0.5) : 0.0;
    return (static_cast<double>(best) + offset) / 100.0;
  }
  Eigen::Vector2d heel(const std::string& foot, double t_s) const {
    const auto f = std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(t_s * 100)), 0, rows.size() - 1);
    const std::size_t col = foot == "left" ? 7 : 10;  // frame, L_TOE xyz, R_TOE xyz, L_FCC xyz, R_FCC xyz, ...
    return {rows[f][col], rows[f][col + 1]};
  }
};

inline Mocap gaitmap_mocap() {
  Mocap m;
  for (const auto& r : read_rows(reference_data() / "gaitmap_example/mocap_sample.csv", 2)) {
    std::vector<double> v;
    for (const auto& c : r) v.push_back(c.empty() ? NAN : std::stod(c));
    m.rows.push_back(v);
  }
  return m;
}

// A step is straight when the heel's displacement from the foot's previous IC and to its next one both point along
// the walkway (within 20 degrees of the mean direction of travel, either way) and are longer than 0.9 m; else the IC
// is a turn IC (the turn, the steps into and out of it, the first and last IC of each straight).
inline std::vector<bool> turn_flags(const Mocap& mocap, const std::string& foot, const std::vector<double>& ic_s) {
  std::vector<Eigen::Vector2d> p;
  for (double t : ic_s) p.push_back(mocap.heel(foot, t));
  // The walkway axis: the longest IC-to-IC displacement's direction.
  Eigen::Vector2d axis(1, 0);
  double longest = 0;
  for (std::size_t i = 1; i < p.size(); ++i)
    if ((p[i] - p[i - 1]).norm() > longest) longest = (p[i] - p[i - 1]).norm(), axis = (p[i] - p[i - 1]).normalized();
  auto straight = [&](std::size_t a, std::size_t b) {
    const Eigen::Vector2d d = p[b] - p[a];
    if (d.norm() < 900 || ic_s[b] - ic_s[a] > 1.6) return false;
    return std::abs(d.normalized().dot(axis)) > std::cos(20 * M_PI / 180);
  };
  std::vector<bool> turn(ic_s.size(), true);
  for (std::size_t i = 1; i + 1 < ic_s.size(); ++i) turn[i] = !(straight(i - 1, i) && straight(i, i + 1));
  return turn;
}

inline GaitmapEvents gaitmap_events(const std::string& foot) {
  GaitmapEvents g;
  for (const auto& c : read_rows(reference_data() / "gaitmap_example/stride_events_sample.csv", 1)) {
    if (c.size() < 8 || c[1] != foot) continue;
    g.ic_s.push_back(std::stod(c[4]) / 204.8);
    g.ic_s.push_back(std::stod(c[7]) / 204.8);
    g.tc_s.push_back(std::stod(c[5]) / 204.8);
  }
  std::sort(g.ic_s.begin(), g.ic_s.end());
  g.ic_s.erase(std::unique(g.ic_s.begin(), g.ic_s.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }),
               g.ic_s.end());
  std::sort(g.tc_s.begin(), g.tc_s.end());
  const Mocap mocap = gaitmap_mocap();
  g.ic_turn = turn_flags(mocap, foot, g.ic_s);
  const std::size_t heel = mocap.heel_col(foot), toe = mocap.toe_col(foot);
  for (double t : g.ic_s)
    g.hm_ic_s.push_back(mocap.peak_time(t, -0.05, 0.08, [&](std::size_t f) { return mocap.acc(heel + 2, f); }));
  for (double t : g.tc_s)
    g.hm_tc_s.push_back(mocap.peak_time(t, -0.08, 0.05, [&](std::size_t f) {
      return std::hypot(mocap.acc(toe, f), mocap.acc(toe + 1, f));
    }));
  // A TC is a turn TC when the IC after it is.
  for (double t : g.tc_s) {
    const auto it = std::lower_bound(g.ic_s.begin(), g.ic_s.end(), t);
    g.tc_turn.push_back(it == g.ic_s.end() || g.ic_turn[static_cast<std::size_t>(it - g.ic_s.begin())]);
  }
  return g;
}

// imu_sample_ic_stride.csv, 4 x 10 m walk at 102.4 Hz: the stride borders are motion-capture ICs (sample indices).
inline std::vector<double> gaitmap_ic_stride_ics(const std::string& foot) {
  std::vector<double> ic;
  for (const auto& c : read_rows(reference_data() / "gaitmap_example/stride_borders_sample_ic_stride.csv", 1)) {
    if (c.size() < 4 || c[1] != foot) continue;
    ic.push_back(std::stod(c[2]) / 102.4);
    ic.push_back(std::stod(c[3]) / 102.4);
  }
  std::sort(ic.begin(), ic.end());
  ic.erase(std::unique(ic.begin(), ic.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }), ic.end());
  return ic;
}

inline Recording gaitmap_recording(const std::string& file, const std::string& foot, double rate_hz) {
  io::ImportOptions opt;
  opt.format = "gaitmap";
  opt.sensor = foot + "_sensor";
  opt.rate_hz = rate_hz;
  return io::import_file((reference_data() / "gaitmap_example" / file).string(), opt).recording;
}

// Every second sample: a 102.4 Hz version of a 204.8 Hz recording (no extra filtering: the sensor's own
// anti-aliasing stays what it was).
inline Recording decimated(Recording r, std::size_t factor) {
  std::vector<ImuSample> kept;
  for (std::size_t i = 0; i < r.samples.size(); i += factor) kept.push_back(r.samples[i]);
  r.samples = kept;
  r.meta.rate_hz /= static_cast<double>(factor);
  return r;
}

struct DetectedEvents {
  std::vector<double> ic_s, tc_s;
  bool mounting_ok = false;
};

// Calibration and the event detector only (what the event tests need, without the trajectory).
inline DetectedEvents detect_events(const Recording& rec, const ImpactPitchDetector::Settings& settings) {
  DetectedEvents d;
  const double rate = rec.meta.rate_hz;
  const auto mounting = MountingCalibration().run(rec.samples, rate);
  d.mounting_ok = mounting.ok;
  if (!mounting.ok) return d;
  for (const auto& e : ImpactPitchDetector(settings).detect(rec.samples, mounting, rate).events)
    (e.kind == EventKind::initial_contact ? d.ic_s : d.tc_s).push_back(e.t_s);
  return d;
}

}  // namespace stride::test
