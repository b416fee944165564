// Files laid out byte for byte as real exports of the apps are (headers, number formats, clocks, how samples are
// stamped), with the simulator's numbers: where a real export could not be copied (no licence), these stand in
// for it; recordings/reference/real_exports/*/SOURCE.md names the real file each layout was taken from.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <string_view>

#include "format_writers.hpp"
#include "stride/recording.hpp"
#include "vendor_layouts.hpp"

namespace stride::test::real_layout {

using vendor::kDegPerRad;
using vendor::kG;
using vendor::put;

// A number as Java's String.format("%.9E") writes it, which phyphox uses: "3.352406400E-2", "9.849455833E0"
// (no '+', no zero-padded exponent; C's %E would write "3.352406400E-02").
inline std::string java_sci(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9E", v);
  const std::string s(buf);
  const auto e = s.find('E');
  std::size_t i = e + 1;
  const bool negative = s[i] == '-';
  if (s[i] == '-' || s[i] == '+') ++i;
  while (i + 1 < s.size() && s[i] == '0') ++i;
  return s.substr(0, e + 1) + (negative ? "-" : "") + s.substr(i);
}

// phyphox multi-sensor export, one file per sensor named after it (as in real exports: Accelerometer.csv,
// Gyroscope.csv, Linear Accelerometer.csv, Magnetometer.csv in one zip with meta/): header
// "Time (s)","X (m/s^2)","Y (m/s^2)","Z (m/s^2)" (gyroscope "X (rad/s)", magnetometer "X (µT)"), each sensor on
// its own clock (the gyroscope's first stamp a few ms after the accelerometer's), Java scientific numbers.
enum class PhyphoxSensor { accelerometer, gyroscope, linear_accelerometer, magnetometer };
inline std::string phyphox_sensor(const Recording& rec, PhyphoxSensor which) {
  const char* unit = which == PhyphoxSensor::gyroscope      ? "rad/s"
                     : which == PhyphoxSensor::magnetometer ? "\xC2\xB5T"
                                                            : "m/s^2";
  std::string out = "\"Time (s)\"";
  for (const char* axis : {"X", "Y", "Z"}) out += std::string(",\"") + axis + " (" + unit + ")\"";
  out += "\n";
  const double offset = which == PhyphoxSensor::gyroscope ? 0.0053 : 0.0028;  // the first stamps of a real export
  const double t0 = rec.samples.front().t_s;
  const Eigen::Vector3d g = rec.samples.front().acc_mps2;  // at rest: what "linear" removes
  for (const auto& s : rec.samples) {
    Eigen::Vector3d v = s.acc_mps2;
    if (which == PhyphoxSensor::gyroscope) v = s.gyr_rad_s;
    if (which == PhyphoxSensor::linear_accelerometer) v = s.acc_mps2 - g;
    if (which == PhyphoxSensor::magnetometer) v = Eigen::Vector3d(21.3, -4.8, -38.9);
    out += java_sci(s.t_s - t0 + offset) + "," + java_sci(v.x()) + "," + java_sci(v.y()) + "," + java_sci(v.z()) + "\n";
  }
  return out;
}

// A pair "Accelerometer.csv" / "Gyroscope.csv" as reported from an app we could not identify: header
// "t","x","y","z" (quoted, no unit, no sensor), phyphox's number format (Java "%.9E"), one sensor per file on its own
// clock (the gyroscope's first stamp a few ms after the accelerometer's, as in phyphox's exports). The units are
// the writer's choice here: m/s^2 + rad/s, or g + deg/s; the clock in s or ms.
struct TxyzUnits {
  bool g_and_dps = false;  // else m/s^2 and rad/s
  bool clock_ms = false;   // else s
};
inline std::string txyz_sensor(const Recording& rec, bool gyro, TxyzUnits units = {}) {
  std::string out = "\"t\",\"x\",\"y\",\"z\"\n";
  const double offset = gyro ? 0.0053 : 0.0028;
  const double t0 = rec.samples.front().t_s;
  const double clock = units.clock_ms ? 1e3 : 1.0;
  const double scale = gyro ? (units.g_and_dps ? kDegPerRad : 1.0) : (units.g_and_dps ? 1.0 / kG : 1.0);
  for (const auto& s : rec.samples) {
    const Eigen::Vector3d v = (gyro ? s.gyr_rad_s : s.acc_mps2) * scale;
    out += java_sci((s.t_s - t0 + offset) * clock) + "," + java_sci(v.x()) + "," + java_sci(v.y()) + "," +
           java_sci(v.z()) + "\n";
  }
  return out;
}

// phyphox's meta/ files of an export (version 1.1.12 as in the real zip; property/value and event rows).
inline std::string phyphox_device_csv() {
  return "\"property\",\"value\"\n\"version\",\"1.1.12\"\n\"build\",\"1011208\"\n\"fileFormat\",\"1.16\"\n"
         "\"deviceModel\",\"SM-G780G\"\n\"deviceBrand\",\"samsung\"\n\"accelerometer Name\",\"LSM6DSO Accelerometer\"\n"
         "\"accelerometer Vendor\",\"STMicro\"\n\"accelerometer Range\",\"78.4532\"\n";
}
inline std::string phyphox_time_csv(double duration_s) {
  std::string out = "\"event\",\"experiment time\",\"system time\",\"system time text\"\n";
  put(out, "\"START\",0.000000000E0,%.3f,\"2024-03-17 19:48:52.324 UTC+02:00\"\n", vendor::kEpochS);
  const double of_hour = 48 * 60 + 52.324 + duration_s;  // local 19:48:52.324 at the start
  out += "\"PAUSE\"," + java_sci(duration_s);
  put(out, ",%.3f,\"2024-03-17 19:%02d:%06.3f UTC+02:00\"\n", vendor::kEpochS + duration_s,
      static_cast<int>(of_hour / 60), std::fmod(of_hour, 60.0));
  return out;
}

// MetaBase's streamed export, as the app's own test files are: "epoc (ms),timestamp (-0800),elapsed (s),
// x-axis (g),y-axis (g),z-axis (g)" (gyroscope "(deg/s)"), the local time as "2018-01-14T18.39.29.561" (dots), three
// decimals. Streamed samples come three to a BLE notification and are stamped when the notification arrives: two
// notifications in one connection event every 30 ms, the second 3 ms after the first (the 27 ms / 3 ms pattern of
// the real file at 200 Hz); every row of a notification carries its stamp.
inline std::string metabase_streamed(const Recording& rec, bool gyro) {
  std::string out = gyro ? "epoc (ms),timestamp (-0800),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n"
                         : "epoc (ms),timestamp (-0800),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n";
  constexpr std::size_t kPerNotification = 3;
  constexpr double kEvent = 0.030, kSecond = 0.003;
  const double t0 = rec.samples.front().t_s;
  double first_arrival = -1, last_event = -1;
  int in_event = 0;
  for (std::size_t b = 0; b + kPerNotification <= rec.samples.size(); b += kPerNotification) {
    const double last = rec.samples[b + kPerNotification - 1].t_s - t0;
    const double event = std::ceil(last / kEvent + 1e-9) * kEvent;
    in_event = event == last_event ? in_event + 1 : 0;
    last_event = event;
    const double arrival = event + kSecond * in_event;
    if (first_arrival < 0) first_arrival = arrival;
    const long long epoch_ms = std::llround((vendor::kEpochS + arrival) * 1e3);
    const long long local_ms = epoch_ms - 8LL * 3600 * 1000;  // -08:00
    const long long day_ms = ((local_ms % 86400000LL) + 86400000LL) % 86400000LL;
    for (std::size_t k = 0; k < kPerNotification; ++k) {
      const auto& s = rec.samples[b + k];
      const Eigen::Vector3d v = gyro ? Eigen::Vector3d(s.gyr_rad_s * kDegPerRad) : Eigen::Vector3d(s.acc_mps2 / kG);
      put(out, "%lld,2024-03-17T%02lld.%02lld.%02lld.%03lld,%.3f,%.3f,%.3f,%.3f\n", epoch_ms, day_ms / 3600000,
          day_ms / 60000 % 60, day_ms / 1000 % 60, day_ms % 1000, arrival - first_arrival, v.x(), v.y(), v.z());
    }
  }
  return out;
}

// A Movesense DataLogger/Logbook export of /Meas/IMU9 as the real one is (one line, no spaces):
// {"Meas":{"IMU9":[{"ArrayAcc":[{"x":..,"y":..,"z":..},...8],"ArrayGyro":[...],"ArrayMagn":[...],"Timestamp":158319},
// ...]}}: eight samples a block, keys in that order, floats printed with 17 significant digits (acc m/s^2, gyro
// deg/s, magnetometer µT), Timestamp = the sensor's ms clock at the block's first sample.
inline std::string movesense_logbook_imu9(const Recording& rec, std::uint32_t t0_ms = 158319) {
  constexpr std::size_t kPer = 8;
  std::string out = "{\"Meas\":{\"IMU9\":[";
  auto array = [&](const char* name, std::size_t k, auto value) {
    out += std::string("\"") + name + "\":[";
    for (std::size_t i = 0; i < kPer; ++i) {
      const Eigen::Vector3d v = value(rec.samples[k + i]);
      put(out, "%s{\"x\":%.17g,\"y\":%.17g,\"z\":%.17g}", i ? "," : "", v.x(), v.y(), v.z());
    }
    out += "],";
  };
  for (std::size_t k = 0; k + kPer <= rec.samples.size(); k += kPer) {
    out += k ? ",{" : "{";
    array("ArrayAcc", k, [](const ImuSample& s) { return Eigen::Vector3d(s.acc_mps2); });
    array("ArrayGyro", k, [](const ImuSample& s) { return Eigen::Vector3d(s.gyr_rad_s * kDegPerRad); });
    array("ArrayMagn", k, [](const ImuSample&) { return Eigen::Vector3d(28.611915588378906, 21.372257232666016,
                                                                         105.51204681396484); });
    const auto ts = t0_ms + static_cast<std::uint32_t>(std::llround((rec.samples[k].t_s - rec.samples[0].t_s) * 1e3));
    out += "\"Timestamp\":" + std::to_string(ts) + "}";
  }
  out += "]}}";
  return out;
}

// A double as Java's Double.toString writes it past 1e7 (Consensys): "1.7327890275714417E12".
inline std::string java_double(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  const auto e = s.find('e');
  std::string exp = s.substr(e + 1);
  if (exp[0] == '+') exp.erase(0, 1);
  const bool negative = exp[0] == '-';
  if (negative) exp.erase(0, 1);
  while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
  return s.substr(0, e) + "E" + (negative ? "-" : "") + exp;
}

// A Consensys calibrated export of a device the user named (real files: "S_SeatHead_...", "imu_..."): "sep=,"
// line, names row and units row each with a trailing comma, no CAL row, the Unix ms clock as Java writes it.
inline std::string shimmer_named(const Recording& rec, const std::string& device) {
  std::string out = "\"sep=,\"\n";
  for (const char* q : {"Timestamp_Unix_CAL", "Accel_WR_X_CAL", "Accel_WR_Y_CAL", "Accel_WR_Z_CAL", "Gyro_X_CAL",
                        "Gyro_Y_CAL", "Gyro_Z_CAL"})
    out += device + "_" + q + ",";
  out += "\nms,m/(s^2),m/(s^2),m/(s^2),deg/s,deg/s,deg/s,\n";
  const double t0 = rec.samples.front().t_s;
  for (const auto& s : rec.samples) {
    out += java_double(1.7327890275714417e12 + (s.t_s - t0) * 1e3);
    for (int a = 0; a < 3; ++a) put(out, ",%.16g", s.acc_mps2[a]);
    for (int a = 0; a < 3; ++a) put(out, ",%.16g", s.gyr_rad_s[a] * kDegPerRad);
    out += ",\n";
  }
  return out;
}

// The WitMotion PC/app record file of the newer software ("Record/<date>/<time>/_WT901BLE67(d6-a8-b9-ee-a0-b7)_0.csv"):
// 28 columns "Time,Device name,Chip Time(),Acceleration X(g),...,Angular velocity X(°/s),...,ShiftX(mm),...,
// SpeedX(mm/s),...,Angle X(°),...,Magnetic field X(ʯt),...,Temperature(℃),Quaternions 0(),...,Raw power(),
// Power Percent(%)()" (the column list as code reading real files spells it; the time text is assumed
// "2024-03-17 10:30:00.128", the form the WitMotion manual shows).
inline std::string witmotion_record_csv(const Recording& rec) {
  std::string out = "Time,Device name,Chip Time(),Acceleration X(g),Acceleration Y(g),Acceleration Z(g),"
                    "Angular velocity X(\xC2\xB0/s),Angular velocity Y(\xC2\xB0/s),Angular velocity Z(\xC2\xB0/s),"
                    "ShiftX(mm),ShiftY(mm),ShiftZ(mm),SpeedX(mm/s),SpeedY(mm/s),SpeedZ(mm/s),Angle X(\xC2\xB0),"
                    "Angle Y(\xC2\xB0),Angle Z(\xC2\xB0),Magnetic field X(\xCA\xAFt),Magnetic field Y(\xCA\xAFt),"
                    "Magnetic field Z(\xCA\xAFt),Temperature(\xE2\x84\x83),Quaternions 0(),Quaternions 1(),"
                    "Quaternions 2(),Quaternions 3(),Raw power(),Power Percent(%)()\n";
  const double t0 = rec.samples.front().t_s;
  for (const auto& s : rec.samples) {
    const long long ms = std::llround((10.5 * 3600 + s.t_s - t0) * 1000.0);
    char clock[64];
    std::snprintf(clock, sizeof clock, "2024-03-17 %02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60,
                  ms / 1000 % 60, ms % 1000);
    const Eigen::Vector3d a = s.acc_mps2 / kG, w = s.gyr_rad_s * kDegPerRad;
    put(out, "%s,WT901BLE67(d6:a8:b9:ee:a0:b7),%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,0,0,0,0,0,0,1.203,-0.571,45.066,"
             "31,-17,-52,26.5,0.9998,0.0105,-0.0049,0.0016,395,100\n",
        clock, clock, a.x(), a.y(), a.z(), w.x(), w.y(), w.z());
  }
  return out;
}

// A WT901SD SD-card .TXT as the real one is (auenkind/witmotion-online-converter doc/example_data.TXT): per output
// cycle 0x51 acceleration, 0x52 angular velocity, 0x53 angle, 0x54 magnetometer, no 0x50 time packet; the T word
// of 0x51/0x52/0x54 the temperature 0x09de, of 0x53 the version 0x2d58; angle and field constant here (the real
// file's first values).
inline std::vector<std::uint8_t> wt901sd(const Recording& rec) {
  std::vector<std::uint8_t> out;
  out.reserve(rec.samples.size() * 44);
  for (const auto& s : rec.samples) {
    wit_motion_packets(out, s);
    wit_packet(out, 0x53, {0x003a, -0x0021, 0x001c, 0x2d58});
    wit_packet(out, 0x54, {0x0152, 0x00ef, static_cast<std::int16_t>(-0x030e), 0x09de});
  }
  return out;
}

}  // namespace stride::test::real_layout
