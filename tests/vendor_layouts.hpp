// A recording written in each vendor's exact text layout (header, units, clock, delimiter, number style), so that
// the importer presets can be tested against the simulator: the same motion read from the native file and from
// the vendor's file must give the same gait. Also the generator of recordings/reference/formats/*/ samples.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "stride/recording.hpp"

namespace stride::test::vendor {

constexpr double kG = 9.80665;
constexpr double kDegPerRad = 180.0 / std::numbers::pi;
constexpr double kEpochS = 1710697732.324;  // 2024-03-17 17:48:52.324 UTC: the wall clock the apps would write

// printf into a string (each writer formats numbers as its source does).
template <typename... A>
void put(std::string& out, const char* fmt, A... a) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf, fmt, a...);
  out.append(buf, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1)));
}

// phyphox "Acceleration with g" (acc) or "Gyroscope" (gyro): quoted header, scientific notation; decimal_comma =
// the "CSV (Semicolon, decimal comma)" export.
inline std::string phyphox(const Recording& rec, bool gyro, bool decimal_comma = false) {
  const char sep = decimal_comma ? ';' : ',';
  std::string out = gyro ? "\"Time (s)\",\"Gyroscope x (rad/s)\",\"Gyroscope y (rad/s)\",\"Gyroscope z (rad/s)\"\n"
                         : "\"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y (m/s^2)\","
                           "\"Acceleration z (m/s^2)\"\n";
  if (decimal_comma) std::replace(out.begin(), out.end(), ',', ';');
  const double t0 = rec.samples.front().t_s - 0.0123;  // the experiment started a moment before the first sample
  for (const auto& s : rec.samples) {
    const auto& v = gyro ? s.gyr_rad_s : s.acc_mps2;
    std::string line;
    put(line, "%.9E%c%.9E%c%.9E%c%.9E\n", s.t_s - t0, sep, v.x(), sep, v.y(), sep, v.z());
    if (decimal_comma) std::replace(line.begin(), line.end(), '.', ',');
    out += line;
  }
  return out;
}

// Sensor Logger rows "time,seconds_elapsed,z,y,x" (Unix ns; seconds since Start, negative at first: buffered
// samples), the vector of sample i from `value`.
template <typename Value>
std::string sensor_logger_rows(const Recording& rec, Value value) {
  std::string out = "time,seconds_elapsed,z,y,x\n";
  for (std::size_t i = 0; i < rec.samples.size(); ++i) {
    const Eigen::Vector3d v = value(i);
    const double elapsed = rec.samples[i].t_s - 0.35;
    put(out, "%lld,%.9f,%.9g,%.9g,%.9g\n", std::llround((kEpochS + elapsed) * 1e9), elapsed, v.z(), v.y(), v.x());
  }
  return out;
}

// Sensor Logger TotalAcceleration.csv (with gravity) / Gyroscope.csv: "time,seconds_elapsed,z,y,x", Unix ns.
inline std::string sensor_logger(const Recording& rec, bool gyro) {
  return sensor_logger_rows(rec, [&](std::size_t i) { return gyro ? rec.samples[i].gyr_rad_s : rec.samples[i].acc_mps2; });
}

// Sensor Logger on iOS, which writes no TotalAcceleration.csv: part "Accelerometer" = the user acceleration (gravity
// removed), "Gravity" = the gravity vector, both m/s^2; "Gyroscope" as on Android. With "Standardise Units & Frames"
// off (the default) acceleration and gravity have all three axes negated to Android's sign (gravity -z on a phone
// lying flat); on, Android's sign. The gravity here is the recording's acceleration averaged over +-0.5 s and scaled
// to 9.80665 m/s^2 (Core Motion's fusion gives about that); any split adds back to the same acceleration.
inline std::string sensor_logger_ios(const Recording& rec, std::string_view part, bool standardised = false) {
  if (part == "Gyroscope") return sensor_logger(rec, true);
  const auto& in = rec.samples;
  std::vector<Eigen::Vector3d> sum(in.size() + 1, Eigen::Vector3d::Zero());
  for (std::size_t i = 0; i < in.size(); ++i) sum[i + 1] = sum[i] + in[i].acc_mps2;
  const auto half = static_cast<std::size_t>(std::lround(0.5 * (rec.meta.rate_hz > 0 ? rec.meta.rate_hz : 100.0)));
  const double sign = standardised ? 1.0 : -1.0;
  return sensor_logger_rows(rec, [&](std::size_t i) -> Eigen::Vector3d {
    const std::size_t a = i > half ? i - half : 0, b = std::min(in.size(), i + half + 1);
    const Eigen::Vector3d gravity = (sum[b] - sum[a]).normalized() * kG;  // "up", as Android's Gravity sensor
    return sign * (part == "Gravity" ? gravity : Eigen::Vector3d(in[i].acc_mps2 - gravity));
  });
}

// Sensor Logger's Metadata.csv (schema version 3), one row.
inline std::string sensor_logger_metadata(std::string_view platform, bool standardised) {
  return "version,device name,recording epoch time,recording time,recording timezone,platform,appVersion,device id,"
         "sensors,sampleRateMs,standardisation,platform version\n3,iPhone 13,1710697732324,2024-03-17_18-48-52,"
         "Europe/Berlin," + std::string(platform) + ",1.41.0,8A1F0C2E-5B7D-4E3A-9C61-2F0D7B9E4A13,"
         "Accelerometer|Gravity|Gyroscope|Orientation,10|10|10|10," + (standardised ? "true" : "false") + ",17.4.1\n";
}

// MetaBase: "epoch (ms),time (+01:00),elapsed (s),x-axis (g)..." (gyro: deg/s), 3 decimals, hyphenated local time.
inline std::string metawear(const Recording& rec, bool gyro) {
  std::string out = gyro ? "epoch (ms),time (+01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n"
                         : "epoch (ms),time (+01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n";
  const double t0 = rec.samples.front().t_s;
  for (const auto& s : rec.samples) {
    const Eigen::Vector3d v = gyro ? Eigen::Vector3d(s.gyr_rad_s * kDegPerRad) : Eigen::Vector3d(s.acc_mps2 / kG);
    const double local = std::fmod(kEpochS + 3600.0 + s.t_s - t0, 86400.0);
    const int h = static_cast<int>(local / 3600), m = static_cast<int>(std::fmod(local, 3600.0) / 60);
    put(out, "%lld,2024-03-17T%02d-%02d-%06.3f,%.3f,%.3f,%.3f,%.3f\n", std::llround((kEpochS + s.t_s - t0) * 1e3), h,
        m, std::fmod(local, 60.0), s.t_s - t0, v.x(), v.y(), v.z());
  }
  return out;
}

// Shimmer Consensys calibrated export: "sep=" line, names row, CAL row, units row, trailing separator; both the
// low-noise (+-2 g, clipped) and the wide-range accelerometer.
inline std::string shimmer(const Recording& rec, char sep) {
  const std::string d(1, sep);
  std::string out = "\"sep=" + d + "\"\n";
  const char* names[] = {"Timestamp_Unix_CAL", "Accel_LN_X_CAL", "Accel_LN_Y_CAL", "Accel_LN_Z_CAL",
                         "Accel_WR_X_CAL",     "Accel_WR_Y_CAL", "Accel_WR_Z_CAL", "Gyro_X_CAL",
                         "Gyro_Y_CAL",         "Gyro_Z_CAL"};
  for (const char* n : names) out += std::string("Shimmer_40AC_") + n + d;
  out += "\n";
  for (int i = 0; i < 10; ++i) out += "CAL" + d;
  out += "\nms" + d;
  for (int i = 0; i < 6; ++i) out += "m/(s^2)" + d;
  for (int i = 0; i < 3; ++i) out += "deg/s" + d;
  out += "\n";
  for (const auto& s : rec.samples) {
    put(out, "%.3f", (kEpochS + s.t_s) * 1e3);
    for (int i = 0; i < 3; ++i) put(out, "%c%.6f", sep, std::clamp(s.acc_mps2[i], -2 * kG, 2 * kG));
    for (int i = 0; i < 3; ++i) put(out, "%c%.6f", sep, s.acc_mps2[i]);
    for (int i = 0; i < 3; ++i) put(out, "%c%.6f", sep, s.gyr_rad_s[i] * kDegPerRad);
    out += d + "\n";
  }
  return out;
}

// WitMotion PC/app text export: tab separated, clock-of-day time with ms (starting at `clock_s` seconds of the day),
// g and deg/s with 4 decimals, angle and magnetometer columns.
inline std::string witmotion_text(const Recording& rec, double clock_s) {
  std::string out = "Time\tDevice name\tChip Time()\tAcceleration X(g)\tAcceleration Y(g)\tAcceleration Z(g)\t"
                    "Angular velocity X(\xC2\xB0/s)\tAngular velocity Y(\xC2\xB0/s)\tAngular velocity Z(\xC2\xB0/s)\t"
                    "Angle X(\xC2\xB0)\tAngle Y(\xC2\xB0)\tAngle Z(\xC2\xB0)\tMagnetic field X(\xCA\xAFt)\t"
                    "Magnetic field Y(\xCA\xAFt)\tMagnetic field Z(\xCA\xAFt)\tTemperature(\xE2\x84\x83)\n";
  const double t0 = rec.samples.front().t_s;
  for (const auto& s : rec.samples) {
    const double c = std::fmod(clock_s + std::round((s.t_s - t0) * 1e3) / 1e3, 86400.0);
    const int h = static_cast<int>(c / 3600), m = static_cast<int>(std::fmod(c, 3600.0) / 60);
    put(out, "%02d:%02d:%06.3f\tWT901BLE68(d2:3c:4f:1a:2b:3c)\t2024-3-17 %02d:%02d:%06.3f", h, m, std::fmod(c, 60.0),
        h, m, std::fmod(c, 60.0));
    for (int i = 0; i < 3; ++i) put(out, "\t%.4f", s.acc_mps2[i] / kG);
    for (int i = 0; i < 3; ++i) put(out, "\t%.4f", s.gyr_rad_s[i] * kDegPerRad);
    out += "\t0.000\t0.000\t0.000\t-12\t33\t-40\t31.20\n";
  }
  return out;
}

// x-IMU3 GUI export Inertial.csv: device microseconds (not starting at 0), deg/s and g.
inline std::string ximu3(const Recording& rec) {
  std::string out = "Timestamp (us),Gyroscope X (deg/s),Gyroscope Y (deg/s),Gyroscope Z (deg/s),Accelerometer X (g),"
                    "Accelerometer Y (g),Accelerometer Z (g)\n";
  for (const auto& s : rec.samples) {
    put(out, "%lld", 25716911LL + std::llround(s.t_s * 1e6));
    for (int i = 0; i < 3; ++i) put(out, ",%.6f", s.gyr_rad_s[i] * kDegPerRad);
    for (int i = 0; i < 3; ++i) put(out, ",%.6f", s.acc_mps2[i] / kG);
    out += "\n";
  }
  return out;
}

// An ESP32 running the I2Cdevlib MPU6050_raw sketch: boot messages, then "a/g:\t" and six int16 counts.
inline std::string arduino_raw(const Recording& rec, double acc_range_g, double lsb_per_dps) {
  std::string out = "ets Jun  8 2016 00:22:57\n\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\n"
                    "Initializing I2C devices...\nTesting device connections...\nMPU6050 connection successful\n";
  auto count = [](double v) { return static_cast<long>(std::clamp(std::lround(v), -32768L, 32767L)); };
  for (const auto& s : rec.samples) {
    out += "a/g:";
    for (int i = 0; i < 3; ++i) put(out, "\t%ld", count(s.acc_mps2[i] / kG * 32768.0 / acc_range_g));
    for (int i = 0; i < 3; ++i) put(out, "\t%ld", count(s.gyr_rad_s[i] * kDegPerRad * lsb_per_dps));
    out += "\r\n";
  }
  return out;
}

// A generic tab-separated table with units in the header (what Excel's "Unicode text" saves), CRLF.
inline std::string tab_table(const Recording& rec) {
  std::string out = "time (s)\tacc_x (m/s^2)\tacc_y (m/s^2)\tacc_z (m/s^2)\tgyr_x (rad/s)\tgyr_y (rad/s)\tgyr_z (rad/s)\r\n";
  for (const auto& s : rec.samples)
    put(out, "%.6f\t%.9g\t%.9g\t%.9g\t%.9g\t%.9g\t%.9g\r\n", s.t_s, s.acc_mps2.x(), s.acc_mps2.y(), s.acc_mps2.z(),
        s.gyr_rad_s.x(), s.gyr_rad_s.y(), s.gyr_rad_s.z());
  return out;
}

// UTF-8 text (ASCII and 2/3-byte sequences) -> UTF-16 LE with the byte-order mark FF FE.
inline std::string utf16le(std::string_view text) {
  std::string out = "\xFF\xFE";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    unsigned cp = c;
    if (c >= 0xE0) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      i += 3;
    } else if (c >= 0xC0) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      i += 2;
    } else {
      ++i;
    }
    out += static_cast<char>(cp & 0xFF);
    out += static_cast<char>(cp >> 8);
  }
  return out;
}

}  // namespace stride::test::vendor
