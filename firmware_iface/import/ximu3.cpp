// x-IMU3 GUI CSV export, Inertial.csv: device microseconds, gyroscope in deg/s, accelerometer in g.
// Spec: x-io Technologies, x-IMU3 user manual, "CSV files"; sample: recordings/reference/formats/ximu3_csv_udp_inertial
// (../shared/FORMATS.md section 1.1 "x-io x-IMU3", section 2). The generic column names read it; the preset names it.
#include "presets.hpp"

namespace stride::io::formats {

namespace {

Detection detect(const HeaderView& h) {
  bool ts = false, gyr = false, acc = false;
  for (const auto c : h.cells) {
    ts = ts || c == "Timestamp (us)";
    gyr = gyr || c == "Gyroscope X (deg/s)";
    acc = acc || c == "Accelerometer X (g)";
  }
  if (!(ts && gyr && acc)) return {};
  return {90, "x-IMU3: header 'Timestamp (us),Gyroscope X (deg/s),...,Accelerometer X (g)'"};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string&) {
  Plan p;
  p.columns = recognise_all(h.cells);
  return p;
}

}  // namespace

const Format kXimu3{"ximu3", "x-IMU3 GUI export Inertial.csv (device us clock, deg/s, g)",
                    "Timestamp (us),Gyroscope X (deg/s),Gyroscope Y (deg/s),Gyroscope Z (deg/s),"
                    "Accelerometer X (g),Accelerometer Y (g),Accelerometer Z (g)",
                    "x-IMU3 user manual (CSV files); FORMATS.md 1.1", detect, plan};

}  // namespace stride::io::formats
