// phyphox (RWTH Aachen) CSV export: one file per sensor, quoted header with units, "Time (s)" since the start.
// "Acceleration with g" -> "Acceleration x (m/s^2)"; "Gyroscope" -> "Gyroscope x (rad/s)"; "Linear Acceleration"
// has gravity removed (unusable: stride needs gravity to find the foot's attitude). Export variants: comma or tab
// separated with a decimal point, or semicolon/tab with a decimal comma (the reader handles both), scientific
// notation ("9.364549000E-3").
// Spec: https://phyphox.org/wiki/index.php/Data_export ; ../shared/FORMATS.md section 1.1 "phyphox".
#include "presets.hpp"

namespace stride::io::formats {

namespace {

Detection detect(const HeaderView& h) {
  bool time = false;
  std::string_view sensor;
  for (const auto c : h.cells) {
    time = time || c == "Time (s)";
    for (std::string_view s : {"Acceleration x (m/s^2)", "Gyroscope x (rad/s)", "Linear Acceleration x (m/s^2)"})
      if (sensor.empty() && c == s) sensor = s;
  }
  if (!time || sensor.empty()) return {};
  return {90, "phyphox: header 'Time (s)','" + std::string(sensor) + "'"};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string& where) {
  for (const auto c : h.cells)
    if (contains_ci(c, "Linear Acceleration"))
      throw ImportError(where + ": phyphox 'Linear Acceleration' has gravity removed; export 'Acceleration with g' "
                                "(header 'Acceleration x (m/s^2)') instead");
  Plan p;
  p.columns = recognise_all(h.cells);
  p.gyro_only_ok = true;
  p.gravity_free = "phyphox 'Linear Acceleration' has gravity removed; export 'Acceleration with g'";
  return p;
}

}  // namespace

const Format kPhyphox{"phyphox", "phyphox export, one sensor per file: 'Acceleration with g' or 'Gyroscope'",
                      "\"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y (m/s^2)\",\"Acceleration z (m/s^2)\"",
                      "https://phyphox.org/wiki/index.php/Data_export; FORMATS.md 1.1", detect, plan,
                       true};

}  // namespace stride::io::formats
