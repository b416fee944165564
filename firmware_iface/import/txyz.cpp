// One sensor per file with the header "t","x","y","z": phyphox's number format (quoted cells, "9.364549000E-3")
// but no unit and no sensor in the header; the app that writes it is unknown (docs/inputs.md, "Checked against real
// exports"). The header says nothing, so:
// - the sensor comes from the file name (Accelerometer.csv, acc*.csv / Gyroscope.csv, gyr*.csv: sensor_named), and
//   the pair is joined as every other accelerometer + gyroscope pair (import_input.cpp, join_streams);
// - the units come from the data: the time step against IMU rates of 10 Hz-4 kHz, |a| at rest (g or m/s^2), the
//   angular rate's 99th percentile against a gait's range (rad/s or deg/s; never the noise at rest): plan.strict_units.
//   A file that cannot tell is refused naming the option to give (--time-unit / --acc-unit / --gyr-unit).
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Recognised;
using detail::Role;
using detail::Unit;

// The units are decided on this many rows (64 B each while held): 5.5 min at 200 Hz, so that a recording that
// starts with minutes at rest still shows its motion to the angular-rate rule.
constexpr std::size_t kLookAheadRows = 1u << 16;

constexpr std::string_view kAxes = "txyz";

Detection detect(const HeaderView& h) {
  if (h.cells.size() != kAxes.size()) return {};
  for (std::size_t i = 0; i < kAxes.size(); ++i)
    if (h.cells[i].size() != 1 || detail::ascii_lower(h.cells[i])[0] != kAxes[i]) return {};
  return {90, "header 't,x,y,z' (no unit or sensor in it)"};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string& where) {
  const std::string file(h.file_name);
  const NamedSensor sensor = sensor_named(file);
  if (sensor == NamedSensor::other)
    throw ImportError(where + ": columns t,x,y,z of '" + file + "' are, by the file's name, not the accelerometer "
                      "with gravity nor the gyroscope; give the Accelerometer.csv and Gyroscope.csv of the recording");
  if (sensor == NamedSensor::none)
    throw ImportError(where + ": columns t,x,y,z do not say which sensor, and the file name '" + file +
                      "' does not either; name the files Accelerometer.csv and Gyroscope.csv (a name holding 'acc' "
                      "or 'gyr'), or rename the columns (acc_x... or gyr_x...)");
  const bool acc = sensor == NamedSensor::accelerometer;
  Plan p;
  p.gyro_only_ok = true;
  p.strict_units = true;
  p.look_ahead_rows = kLookAheadRows;
  p.gravity_free = "a t,x,y,z accelerometer file must hold gravity (|a| about 1 g at rest); give the app's "
                   "acceleration 'with g', not the linear (user) acceleration";
  p.note = std::string("columns x,y,z are the ") + (acc ? "accelerometer" : "gyroscope") + ": file name '" + file +
           "'; units from the data";
  p.columns.push_back(Recognised{Role::time, Unit::none});
  for (int axis = 0; axis < 3; ++axis)
    p.columns.push_back(Recognised{static_cast<Role>(static_cast<int>(acc ? Role::acc_x : Role::gyr_x) + axis),
                                   Unit::none});
  return p;
}

}  // namespace

const Format kTxyz{"txyz",
                   "one sensor per file, header \"t\",\"x\",\"y\",\"z\" (no units): the sensor from the file name "
                   "(Accelerometer.csv / Gyroscope.csv), the units from the data",
                   "\"t\",\"x\",\"y\",\"z\"", "docs/inputs.md (\"Files that say no unit\")", detect, plan, true};

}  // namespace stride::io::formats
