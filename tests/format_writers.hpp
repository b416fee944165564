// Test-side writers of other vendors' formats: a recording (e.g. the simulator's run) as a WitMotion board or a
// Movesense sensor would have sent it, so an importer's output can be compared with the samples that went in.
// Written from the vendors' protocol descriptions (../shared/FORMATS.md 1.1-1.2), not from their code.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "stride/recording.hpp"

namespace stride::test {

inline constexpr double kWitAccLsbMps2 = 16.0 * 9.80665 / 32768.0;
inline constexpr double kWitGyrLsbRadS = 2000.0 * std::numbers::pi / 180.0 / 32768.0;

inline std::int16_t wit_counts(double si, double lsb) {
  return static_cast<std::int16_t>(std::clamp(std::round(si / lsb), -32768.0, 32767.0));
}

// One 11-byte packet: 0x55, type, four int16 LE, checksum (low byte of the sum of bytes 0..9).
inline void wit_packet(std::vector<std::uint8_t>& out, std::uint8_t type, std::array<std::int16_t, 4> v) {
  std::uint8_t p[11] = {0x55, type};
  for (int k = 0; k < 4; ++k) {
    const auto u = static_cast<std::uint16_t>(v[static_cast<std::size_t>(k)]);
    p[2 + 2 * k] = static_cast<std::uint8_t>(u & 0xFF);
    p[3 + 2 * k] = static_cast<std::uint8_t>(u >> 8);
  }
  unsigned s = 0;
  for (int i = 0; i < 10; ++i) s += p[i];
  p[10] = static_cast<std::uint8_t>(s);
  out.insert(out.end(), p, p + 11);
}

// 0x50 time packet for 2026-12-06 12:00:00 plus t_s (to the millisecond).
inline void wit_time_packet(std::vector<std::uint8_t>& out, double t_s) {
  const auto ms_total = static_cast<long long>(std::llround(t_s * 1000.0));
  const int ms = static_cast<int>(ms_total % 1000);
  const long long sec = 12 * 3600 + ms_total / 1000;
  const std::uint8_t hh = static_cast<std::uint8_t>(sec / 3600 % 24), mi = static_cast<std::uint8_t>(sec / 60 % 60),
                     ss = static_cast<std::uint8_t>(sec % 60);
  const auto lo = static_cast<std::int16_t>(26 | (12 << 8));                 // YY MM
  const auto dh = static_cast<std::int16_t>(6 | (hh << 8));                  // DD hh
  const auto ms2 = static_cast<std::int16_t>(mi | (ss << 8));                // mm ss
  wit_packet(out, 0x50, {lo, dh, ms2, static_cast<std::int16_t>(ms)});
}

struct WitOptions {
  bool time_packets = true;   // a 0x50 packet first in every cycle
  bool angle_packets = true;  // a 0x53 packet after the gyro (zeros): the board's default output set
};

// One sample's acceleration (0x51) and angular rate (0x52) packets, temperature word 0x09de (as in the vendor's
// example).
inline void wit_motion_packets(std::vector<std::uint8_t>& out, const ImuSample& s) {
  std::array<std::int16_t, 4> a{}, g{};
  for (int k = 0; k < 3; ++k) {
    a[static_cast<std::size_t>(k)] = wit_counts(s.acc_mps2[k], kWitAccLsbMps2);
    g[static_cast<std::size_t>(k)] = wit_counts(s.gyr_rad_s[k], kWitGyrLsbRadS);
  }
  a[3] = g[3] = 0x09de;
  wit_packet(out, 0x51, a);
  wit_packet(out, 0x52, g);
}

// The serial stream: per sample (time), acc, gyro, (angle). Temperature word 0x09de (as in the vendor's example).
inline std::vector<std::uint8_t> witmotion_stream(const Recording& rec, WitOptions o = {}) {
  std::vector<std::uint8_t> out;
  out.reserve(rec.samples.size() * 44);
  for (const auto& s : rec.samples) {
    if (o.time_packets) wit_time_packet(out, s.t_s);
    wit_motion_packets(out, s);
    if (o.angle_packets) wit_packet(out, 0x53, {0, 0, 0, 0});
  }
  return out;
}

// BLE 5.0 frames: 0x55 0x61, acc xyz, gyro xyz, angle xyz (int16 LE), 20 bytes, no checksum.
inline std::vector<std::uint8_t> witmotion_ble_stream(const Recording& rec) {
  std::vector<std::uint8_t> out;
  out.reserve(rec.samples.size() * 20);
  for (const auto& s : rec.samples) {
    std::int16_t v[9] = {};
    for (int k = 0; k < 3; ++k) {
      v[k] = wit_counts(s.acc_mps2[k], kWitAccLsbMps2);
      v[3 + k] = wit_counts(s.gyr_rad_s[k], kWitGyrLsbRadS);
    }
    out.push_back(0x55);
    out.push_back(0x61);
    for (const auto x : v) {
      const auto u = static_cast<std::uint16_t>(x);
      out.push_back(static_cast<std::uint8_t>(u & 0xFF));
      out.push_back(static_cast<std::uint8_t>(u >> 8));
    }
  }
  return out;
}

// Movesense /Meas/IMU6/{rate} notifications, one JSON object per line: `per` samples each, Timestamp = the sensor's
// ms clock (starting at t0_ms) at the first sample; acc in m/s^2 and gyro in deg/s with 4 decimals, as the sensor
// sends floats.
inline std::string movesense_lines(const Recording& rec, int rate_hz, std::size_t per = 8,
                                   std::uint32_t t0_ms = 110033) {
  std::string out;
  char b[160];
  for (std::size_t k = 0; k + per <= rec.samples.size(); k += per) {
    const auto ts = static_cast<std::uint32_t>(t0_ms + std::llround(rec.samples[k].t_s * 1000.0));
    out += "{\"Body\":{\"Timestamp\":" + std::to_string(ts) + ",\"ArrayAcc\":[";
    for (std::size_t i = 0; i < per; ++i) {
      const auto& s = rec.samples[k + i];
      std::snprintf(b, sizeof b, "%s{\"x\":%.4f,\"y\":%.4f,\"z\":%.4f}", i ? "," : "", s.acc_mps2[0], s.acc_mps2[1],
                    s.acc_mps2[2]);
      out += b;
    }
    out += "],\"ArrayGyro\":[";
    for (std::size_t i = 0; i < per; ++i) {
      const auto& s = rec.samples[k + i];
      const double d = 180.0 / std::numbers::pi;
      std::snprintf(b, sizeof b, "%s{\"x\":%.4f,\"y\":%.4f,\"z\":%.4f}", i ? "," : "", s.gyr_rad_s[0] * d,
                    s.gyr_rad_s[1] * d, s.gyr_rad_s[2] * d);
      out += b;
    }
    out += "]},\"Uri\":\"ECKI174630000123/Meas/IMU6/" + std::to_string(rate_hz) + "\",\"Method\":\"PUT\"}\n";
  }
  return out;
}

}  // namespace stride::test
