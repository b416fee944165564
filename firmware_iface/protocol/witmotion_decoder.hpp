// WitMotion serial packets (WT901, JY901, HWT905, BWT901CL, WT901SD files) and the BLE 5.0 combined frames
// (WT901BLECL, BWT901BLE5.0) -> ImuSample in SI units. Pure, any chunking; the live path (`--format witmotion`) and
// the file importer (firmware_iface/import/witmotion_binary.*) share it.
//
// Serial packet, 11 bytes: 0x55, type, 4 x int16 little-endian, checksum = low byte of the sum of bytes 0..9.
//   0x50 time (YY MM DD hh mm ss ms16), 0x51 acc (x16 g / 32768), 0x52 gyro (x2000 deg/s / 32768), 0x53 angle,
//   0x54 mag, 0x55..0x5A other outputs (used only to see where an output cycle begins).
// BLE frame, 20 bytes, no checksum: 0x55 0x61, acc xyz, gyro xyz, angle xyz (int16 LE, same scales).
//   Register replies `0x55 0x71 ...` (20 bytes) are skipped.
//
// One output cycle = one sample: the board sends its enabled packets in ascending type order each cycle, so a type
// not above the previous one starts a new cycle. A cycle with an acceleration and an angular velocity packet is a
// sample; a cycle that lost one of them is counted (lost_frames) and its time slot kept, so later samples keep
// their time. A packet with a bad checksum still marks its cycle when it sat exactly where a packet was due.
// Clock: the 0x50 time packets when the board sends them (1 ms resolution), else the declared rate, else the
// factory default output rate of 10 Hz (describe() says so and suggests --rate).
#pragma once

#include <cstdint>
#include <memory>

#include "firmware_iface/protocol/stream_decoder.hpp"

namespace stride::wire {

inline constexpr double kWitmotionDefaultRateHz = 10.0;   // factory default output rate (RATE register 0x06)
inline constexpr double kWitmotionAccRangeG = 16.0;       // the vendor's scale formula: counts / 32768 x 16 g
inline constexpr double kWitmotionGyrRangeDps = 2000.0;   // counts / 32768 x 2000 deg/s (not rad/s, whatever
                                                          // some tables say)
inline constexpr std::size_t kWitmotionPacketBytes = 11;
inline constexpr std::size_t kWitmotionBleFrameBytes = 20;

// The low byte of the sum of the first 10 bytes.
inline std::uint8_t witmotion_checksum(const std::uint8_t* p) {
  unsigned s = 0;
  for (int i = 0; i < 10; ++i) s += p[i];
  return static_cast<std::uint8_t>(s & 0xFFu);
}

// rate_hz: the output rate the board was set to (0 = unknown: 0x50 time packets, else 10 Hz).
// acc_only: the board outputs no angular velocity (0x52): a cycle's acceleration alone is a sample, with NaN rates.
std::unique_ptr<Decoder> make_witmotion_decoder(double rate_hz = 0.0, bool acc_only = false);

}  // namespace stride::wire
