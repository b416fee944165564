// phyphox (RWTH Aachen) CSV export: one file per sensor, quoted header with units, "Time (s)" since the start.
// "Acceleration with g" -> "Acceleration x (m/s^2)"; "Gyroscope" -> "Gyroscope x (rad/s)"; "Linear Acceleration"
// has gravity removed (unusable: stride needs gravity to find the foot's attitude). Export variants: comma or tab
// separated with a decimal point, or semicolon/tab with a decimal comma (the reader handles both), scientific
// notation ("9.364549000E-3").
// A second layout, seen in real exports made with the app's own multi-sensor experiments (files named after the
// sensor: Accelerometer.csv, Gyroscope.csv, Linear Accelerometer.csv, Magnetometer.csv, Barometer.csv in one zip):
// "Time (s)","X (m/s^2)","Y (m/s^2)","Z (m/s^2)" and "Time (s)","X (rad/s)",...: the unit says the sensor, the file
// name says whether gravity was removed (recordings/reference/real_exports/phyphox/SOURCE.md).
// Spec: https://phyphox.org/wiki/index.php/Data_export ; ../shared/FORMATS.md section 1.1 "phyphox".
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Role;
using detail::Unit;

// The axis letter of a multi-sensor column "X (m/s^2)" / "Y (rad/s)" (-1 when it is not one) and its unit.
int xyz_axis(std::string_view cell, Unit& unit) {
  if (cell.size() < 5 || cell[1] != ' ' || cell[2] != '(' || cell.back() != ')') return -1;
  const int axis = cell[0] == 'X' ? 0 : cell[0] == 'Y' ? 1 : cell[0] == 'Z' ? 2 : -1;
  unit = detail::parse_unit(cell.substr(3, cell.size() - 4));
  return unit == Unit::mps2 || unit == Unit::rad_s ? axis : -1;
}

Detection detect(const HeaderView& h) {
  bool time = false;
  std::string_view sensor;
  for (const auto c : h.cells) {
    time = time || c == "Time (s)";
    for (std::string_view s : {"Acceleration x (m/s^2)", "Gyroscope x (rad/s)", "Linear Acceleration x (m/s^2)",
                               "X (m/s^2)", "X (rad/s)"})
      if (sensor.empty() && c == s) sensor = s;
    // A gyroscope file in deg/s, seen with phyphox's number format and "Time (s)" (the unit comes from the header).
    if (sensor.empty() && c.starts_with("Gyroscope x (")) sensor = c;
  }
  if (!time || sensor.empty()) return {};
  return {90, "phyphox: header 'Time (s)','" + std::string(sensor) + "'"};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string& where) {
  const bool linear_file = contains_ci(h.file_name, "linear");
  for (const auto c : h.cells)
    if (contains_ci(c, "Linear Acceleration") || (linear_file && c == "X (m/s^2)"))
      throw ImportError(where + ": phyphox '" + std::string(linear_file ? h.file_name : "Linear Acceleration") +
                        "' has gravity removed; export 'Acceleration with g' (header 'Acceleration x (m/s^2)'), "
                        "or give the Accelerometer.csv of the same export, instead");
  Plan p;
  p.columns = recognise_all(h.cells);
  for (std::size_t i = 0; i < h.cells.size(); ++i) {
    Unit u = Unit::none;
    const int axis = xyz_axis(h.cells[i], u);
    if (axis >= 0)
      p.columns[i] = {static_cast<Role>(static_cast<int>(u == Unit::mps2 ? Role::acc_x : Role::gyr_x) + axis), u};
  }
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
