// The binary wire format shared by the firmware and the host (spec: firmware_iface/PROTOCOL.md).
// Header-only, standard library only, no allocation: it compiles for a microcontroller as it is.
//
// A frame on the wire = COBS(payload + CRC-16/CCITT-FALSE(payload), little-endian) followed by one 0x00 byte.
// Payload: version, message type, device id, sequence number, then the body of the message type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace stride::wire {

inline constexpr std::uint8_t kVersion = 1;
enum class MsgType : std::uint8_t { samples = 0x01, device_info = 0x02 };

inline constexpr std::size_t kPrefixBytes = 6;          // version, type, device id (u16), sequence (u16)
inline constexpr std::size_t kSampleHeaderBytes = 13;   // t0_us u32, period_ns u32, acc_range_g u16, gyr_range_dps u16, n u8
inline constexpr std::size_t kSampleBytes = 12;         // 6 x int16: acc x y z, gyr x y z
inline constexpr std::size_t kCrcBytes = 2;
inline constexpr std::size_t kMaxBatch = 64;            // samples per frame the host accepts
inline constexpr std::size_t kMaxPayload = kPrefixBytes + kSampleHeaderBytes + kMaxBatch * kSampleBytes + kCrcBytes;
inline constexpr std::size_t kMaxString = 48;           // device-info strings are cut to this
// COBS adds at most one byte per 254, plus one; plus the 0x00 delimiter.
constexpr std::size_t cobs_max_encoded(std::size_t n) { return n + n / 254 + 1; }
inline constexpr std::size_t kMaxFrameOnWire = cobs_max_encoded(kMaxPayload) + 1;

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, xorout 0. check("123456789") = 0x29B1.
// Byte-at-a-time with a 512-byte table built at compile time: 8x fewer steps than bit-at-a-time, which made the
// CRC 90 % of the host decoder's time (the table sits in flash on a microcontroller).
namespace detail {
struct Crc16Table {
  std::uint16_t v[256] = {};
  constexpr Crc16Table() {
    for (unsigned i = 0; i < 256; ++i) {
      auto c = static_cast<std::uint16_t>(i << 8);
      for (int b = 0; b < 8; ++b)
        c = (c & 0x8000) ? static_cast<std::uint16_t>((c << 1) ^ 0x1021) : static_cast<std::uint16_t>(c << 1);
      v[i] = c;
    }
  }
};
inline constexpr Crc16Table kCrc16Table{};
}  // namespace detail

constexpr std::uint16_t crc16_ccitt_false(const std::uint8_t* data, std::size_t n, std::uint16_t crc = 0xFFFF) {
  for (std::size_t i = 0; i < n; ++i)
    crc = static_cast<std::uint16_t>((crc << 8) ^ detail::kCrc16Table.v[((crc >> 8) ^ data[i]) & 0xFF]);
  return crc;
}

// COBS-encodes n bytes into out (room for cobs_max_encoded(n)); no delimiter is written. Returns the encoded size.
inline std::size_t cobs_encode(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  std::size_t code_at = 0, o = 1;
  std::uint8_t code = 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (in[i] == 0) {
      out[code_at] = code;
      code_at = o++;
      code = 1;
    } else {
      out[o++] = in[i];
      if (++code == 0xFF) {
        out[code_at] = code;
        code_at = o++;
        code = 1;
      }
    }
  }
  out[code_at] = code;
  return o;
}

// Decodes one COBS block (without its delimiter) into out (room for n bytes). Returns the decoded size, or
// SIZE_MAX when the block is malformed (a zero inside, or a code running past the end).
inline std::size_t cobs_decode(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  std::size_t i = 0, o = 0;
  while (i < n) {
    const std::uint8_t code = in[i++];
    if (code == 0) return SIZE_MAX;
    for (std::uint8_t k = 1; k < code; ++k) {
      if (i >= n || in[i] == 0) return SIZE_MAX;
      out[o++] = in[i++];
    }
    if (code != 0xFF && i < n) out[o++] = 0;
  }
  return o;
}

// Little-endian helpers.
inline void put_u16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
inline void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline std::uint16_t get_u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
inline std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::int16_t get_i16(const std::uint8_t* p) { return static_cast<std::int16_t>(get_u16(p)); }

// One raw sample as the sensor gives it: counts where full scale (+-range) maps to +-32768.
struct RawSample {
  std::uint32_t t_us = 0;     // device clock, wraps every 2^32 us (71.6 min)
  std::int16_t acc[3] = {};   // SI = count / 32768 * acc_range_g * 9.80665
  std::int16_t gyr[3] = {};   // SI = count / 32768 * gyr_range_dps * pi / 180
};

struct SampleBatchHeader {
  std::uint16_t device_id = 0;
  std::uint16_t seq = 0;              // +1 per sample frame, wraps at 65536
  std::uint32_t t0_us = 0;            // device time of the first sample in the batch
  std::uint32_t period_ns = 0;        // nominal interval between the samples of this batch
  std::uint16_t acc_range_g = 16;
  std::uint16_t gyr_range_dps = 2000;
};

struct DeviceInfo {
  std::uint16_t device_id = 0;
  std::uint16_t seq = 0;              // the sequence number the next sample frame will carry (not advanced)
  std::uint8_t fw_major = 0, fw_minor = 0, fw_patch = 0;
  std::uint32_t rate_mhz = 0;         // sample rate in millihertz (416.0 Hz -> 416000)
  std::uint16_t acc_range_g = 16;
  std::uint16_t gyr_range_dps = 2000;
  const char* board = "";             // cut to kMaxString bytes each
  const char* sensor = "";
  const char* firmware = "";          // free text, e.g. "stride-fw 1.0.0 (virtual)"
};

// Writes the payload (prefix + body, no CRC) of a sample frame; returns its size. n <= kMaxBatch.
inline std::size_t build_samples_payload(const SampleBatchHeader& h, const RawSample* s, std::size_t n,
                                         std::uint8_t* out) {
  out[0] = kVersion;
  out[1] = static_cast<std::uint8_t>(MsgType::samples);
  put_u16(out + 2, h.device_id);
  put_u16(out + 4, h.seq);
  put_u32(out + 6, h.t0_us);
  put_u32(out + 10, h.period_ns);
  put_u16(out + 14, h.acc_range_g);
  put_u16(out + 16, h.gyr_range_dps);
  out[18] = static_cast<std::uint8_t>(n);
  std::uint8_t* p = out + kPrefixBytes + kSampleHeaderBytes;
  for (std::size_t i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a, p += 2) put_u16(p, static_cast<std::uint16_t>(s[i].acc[a]));
    for (int a = 0; a < 3; ++a, p += 2) put_u16(p, static_cast<std::uint16_t>(s[i].gyr[a]));
  }
  return static_cast<std::size_t>(p - out);
}

inline std::size_t put_string(std::uint8_t* p, const char* s) {
  std::size_t n = s ? std::strlen(s) : 0;
  if (n > kMaxString) n = kMaxString;
  p[0] = static_cast<std::uint8_t>(n);
  if (n) std::memcpy(p + 1, s, n);
  return n + 1;
}

// Writes the payload of a device-info frame; returns its size (at most kPrefixBytes + 13 + 3 * (1 + kMaxString)).
inline std::size_t build_info_payload(const DeviceInfo& d, std::uint8_t* out) {
  out[0] = kVersion;
  out[1] = static_cast<std::uint8_t>(MsgType::device_info);
  put_u16(out + 2, d.device_id);
  put_u16(out + 4, d.seq);
  out[6] = d.fw_major;
  out[7] = d.fw_minor;
  out[8] = d.fw_patch;
  put_u32(out + 9, d.rate_mhz);
  put_u16(out + 13, d.acc_range_g);
  put_u16(out + 15, d.gyr_range_dps);
  std::size_t n = 17;
  n += put_string(out + n, d.board);
  n += put_string(out + n, d.sensor);
  n += put_string(out + n, d.firmware);
  return n;
}

// Appends the CRC to a payload of n bytes (buffer needs n + 2), COBS-encodes it into out and adds the 0x00
// delimiter. out needs cobs_max_encoded(n + 2) + 1 bytes. Returns the bytes to send.
inline std::size_t finish_frame(std::uint8_t* payload, std::size_t n, std::uint8_t* out) {
  put_u16(payload + n, crc16_ccitt_false(payload, n));
  const std::size_t m = cobs_encode(payload, n + kCrcBytes, out);
  out[m] = 0;
  return m + 1;
}

}  // namespace stride::wire
