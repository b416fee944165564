// Sensor Logger (Kelvin Choi, Android/iOS) CSV: one file per sensor, header "time,seconds_elapsed,z,y,x" (z first).
// time = Unix epoch ns, seconds_elapsed = s since Start (may be negative: buffered samples); acc m/s^2, gyro rad/s.
// The columns do not say the sensor: the file name does (Accelerometer.csv = gravity removed on Android and iOS,
// TotalAcceleration.csv = with gravity (Android only), Gravity.csv, Gyroscope.csv). seconds_elapsed is the clock
// used (one clock, in s). iOS writes no TotalAcceleration.csv: import_input adds Gravity.csv back to
// Accelerometer.csv (sensor_logger_gravity.hpp), reading both with options.acc_part.
// Spec: https://github.com/tszheichoi/awesome-sensor-logger (README, UNITS.md); ../shared/FORMATS.md 1.1.
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Recognised;
using detail::Role;
using detail::Unit;

Detection detect(const HeaderView& h) {
  bool elapsed = false, x = false, y = false, z = false;
  for (const auto c : h.cells) {
    elapsed = elapsed || c == "seconds_elapsed";
    x = x || c == "x";
    y = y || c == "y";
    z = z || c == "z";
  }
  if (!(elapsed && x && y && z)) return {};
  return {90, "Sensor Logger: header 'time,seconds_elapsed,z,y,x'"};
}

Plan plan(const HeaderView& h, const ImportOptions& o, const std::string& where) {
  const std::string name = detail::ascii_lower(h.file_name);
  const bool gravity_part = o.acc_part && contains_ci(name, "gravity");  // one half of iOS's acceleration
  bool acc = gravity_part;
  Plan p;
  p.gyro_only_ok = true;
  if (!gravity_part &&
      (contains_ci(name, "gravity") || contains_ci(name, "orientation") || contains_ci(name, "magnetometer")))
    throw ImportError(where + ": Sensor Logger file '" + std::string(h.file_name) +
                      "' is not an inertial sensor; give TotalAcceleration.csv (or Accelerometer.csv) and Gyroscope.csv");
  if (contains_ci(name, "totalacceleration") || contains_ci(name, "accelerometer"))
    acc = true;
  else if (!gravity_part && !contains_ci(name, "gyroscope"))
    throw ImportError(where + ": Sensor Logger columns 'z,y,x' do not say which sensor, and the file name '" +
                      std::string(h.file_name) + "' does not either; keep the app's names: Accelerometer.csv, "
                      "TotalAcceleration.csv or Gyroscope.csv");
  if (contains_ci(name, "accelerometer"))
    p.gravity_free = "Sensor Logger's Accelerometer.csv has gravity removed; give the export's folder or zip, or "
                     "Accelerometer.csv with Gravity.csv beside it (iOS: stride adds gravity back), or "
                     "TotalAcceleration.csv (Android)";
  p.note = std::string("columns z,y,x are the ") + (acc ? "accelerometer" : "gyroscope") + ": file name '" +
           std::string(h.file_name) + "'";
  for (const auto c : h.cells) {
    Recognised r;
    if (c == "seconds_elapsed") r = {Role::time, Unit::s};
    const int axis = c == "x" ? 0 : c == "y" ? 1 : c == "z" ? 2 : -1;
    if (axis >= 0)
      r = {static_cast<Role>(static_cast<int>(acc ? Role::acc_x : Role::gyr_x) + axis), acc ? Unit::mps2 : Unit::rad_s};
    p.columns.push_back(r);
  }
  return p;
}

}  // namespace

const Format kSensorLogger{"sensor-logger",
                           "Sensor Logger app: TotalAcceleration.csv (Android) or Accelerometer.csv + Gravity.csv "
                           "(iOS), and Gyroscope.csv (by file name)",
                           "time,seconds_elapsed,z,y,x",
                           "https://github.com/tszheichoi/awesome-sensor-logger (UNITS.md); FORMATS.md 1.1", detect,
                           plan, true};

}  // namespace stride::io::formats
