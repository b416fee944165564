// WitMotion app / PC software text export: "Time" as a clock of day ("10:30:00.128") or a date and time
// ("2024-03-17 10:30:00.128"), "Acceleration X(g)", "Angular velocity X(°/s)", plus angle, magnetometer,
// temperature and quaternion columns (ignored). Tab or comma separated. The clock is the host's (the phone or PC that
// logged the stream): --rate replaces it with an even spacing when given.
// Spec: WitMotion "WitMotion" PC/Android software manual (Record -> export); ../shared/FORMATS.md section 1.2.
// (The raw 0x55 binary files are another importer.)
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Role;
using detail::Unit;

Detection detect(const HeaderView& h) {
  bool time = false;
  std::string_view gyro;
  for (const auto c : h.cells) {
    time = time || detail::ascii_lower(c) == "time";
    if (gyro.empty() && c.starts_with("Angular velocity X(")) gyro = c;
  }
  if (!time || gyro.empty()) return {};
  return {80, "WitMotion text export: header 'Time','" + std::string(gyro) + "'"};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string&) {
  Plan p;
  p.columns = recognise_all(h.cells);
  for (std::size_t c = 0; c < h.cells.size(); ++c) {
    auto& r = p.columns[c];
    if (detail::ascii_lower(h.cells[c]) == "time") r = {Role::time, Unit::s};
    else if (r.role == Role::time || r.role == Role::index) r = {};  // "Chip Time()" and the like
  }
  p.time_text = TimeText::clock;
  p.rate_replaces_time = true;
  return p;
}

}  // namespace

const Format kWitMotionText{"witmotion-text",
                            "WitMotion app text export (clock-of-day Time, g, deg/s; --rate replaces the clock)",
                            "Time\tAcceleration X(g)\tAcceleration Y(g)\tAcceleration Z(g)\tAngular velocity X(\xC2\xB0/s)"
                            "\t...\tAngle X(\xC2\xB0)\t...",
                            "WitMotion software manual (record, export); FORMATS.md 1.2", detect, plan};

}  // namespace stride::io::formats
