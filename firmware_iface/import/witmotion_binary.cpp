#include "firmware_iface/import/witmotion_binary.hpp"

#include <cstdint>
#include <cstdio>
#include <span>
#include <vector>

#include "firmware_iface/protocol/witmotion_decoder.hpp"

namespace stride::io {

namespace {

const std::uint8_t* bytes_of(std::string_view s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

std::string hex2(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02x", v & 0xFFu);
  return b;
}

bool serial_packet_at(std::string_view h, std::size_t i) {
  if (i + wire::kWitmotionPacketBytes > h.size()) return false;
  const auto* p = bytes_of(h) + i;
  return p[0] == 0x55 && p[1] >= 0x50 && p[1] <= 0x5A && wire::witmotion_checksum(p) == p[10];
}

bool ble_frame_at(std::string_view h, std::size_t i) {
  if (i + wire::kWitmotionBleFrameBytes > h.size()) return false;
  const auto* p = bytes_of(h) + i;
  return p[0] == 0x55 && (p[1] == 0x61 || p[1] == 0x71);
}

struct PacketTypes {
  std::size_t acc = 0, gyr = 0, ble = 0;
};

// Checksum-valid acceleration and angular velocity packets (and BLE frames) in a block.
PacketTypes packet_types(std::string_view h) {
  PacketTypes t;
  for (std::size_t i = 0; i + 1 < h.size(); ++i) {
    if (static_cast<std::uint8_t>(h[i]) != 0x55) continue;
    const auto type = static_cast<std::uint8_t>(h[i + 1]);
    if (serial_packet_at(h, i)) {
      t.acc += type == 0x51;
      t.gyr += type == 0x52;
    } else if (type == 0x61 && ble_frame_at(h, i)) {
      ++t.ble;
    }
  }
  return t;
}

std::string offsets(const std::vector<std::size_t>& at) {
  std::string s;
  for (std::size_t k = 0; k < at.size() && k < 3; ++k) s += (k ? ", " : "") + std::to_string(at[k]);
  return s;
}

void rep_acc_only(ImportReport& rep) {
  rep.has_gyro = false;
  rep.gyr_unit = "none";
  rep.gyr_unit_reason = "acceleration packets (0x51) but no angular velocity packets (0x52) in the first 64 KiB: the "
                        "board was set to output no gyroscope";
}

}  // namespace

bool looks_like_witmotion_binary(std::string_view head, std::string* reason) {
  auto say = [&](std::string r, bool v) {
    if (reason) *reason = std::move(r);
    return v;
  };
  // A log may begin mid-packet or after a banner: the first run of good packets within the first 1 KiB.
  const std::size_t scan = std::min<std::size_t>(head.size(), 1024);
  for (std::size_t start = 0; start < scan; ++start) {
    if (static_cast<std::uint8_t>(head[start]) != 0x55) continue;
    std::vector<std::size_t> at;
    bool motion = false;
    std::string types;
    for (std::size_t i = start; serial_packet_at(head, i); i += wire::kWitmotionPacketBytes) {
      at.push_back(i);
      const unsigned t = static_cast<std::uint8_t>(head[i + 1]);
      motion = motion || t == 0x51 || t == 0x52;
      if (at.size() <= 6 && types.find(hex2(t)) == std::string::npos) {
        types += ' ';
        types += hex2(t);
      }
    }
    if (at.size() >= 3 && motion)
      return say("0x55 packets" + types + " with valid checksums at offsets " + offsets(at) + " (" +
                     std::to_string(at.size()) + " in a row)",
                 true);
    at.clear();
    for (std::size_t i = start; ble_frame_at(head, i); i += wire::kWitmotionBleFrameBytes) at.push_back(i);
    const bool to_the_end = !at.empty() && at.back() + wire::kWitmotionBleFrameBytes == head.size();
    if (at.size() >= 4 || (to_the_end && at.size() >= 2))
      return say("BLE frames 0x55 0x61 every 20 bytes at offsets " + offsets(at) + " (" + std::to_string(at.size()) +
                     " in a row; this format has no checksum)",
                 true);
  }
  return say("no run of 3 checksum-valid WitMotion 0x55 packets (or 4 BLE 0x55 0x61 frames) in the first " +
                 std::to_string(scan) + " bytes",
             false);
}

Imported import_witmotion_binary(std::istream& in, const std::string& source_name, const ImportOptions& options) {
  Imported r;
  auto& samples = r.recording.samples;
  std::vector<char> block(std::size_t{1} << 16);
  in.read(block.data(), static_cast<std::streamsize>(block.size()));
  std::size_t n = static_cast<std::size_t>(in.gcount());
  // A board set to output acceleration without angular velocity: the accelerometer-only path.
  const auto seen = packet_types(std::string_view(block.data(), n));
  const bool acc_only = seen.acc > 0 && seen.gyr == 0 && seen.ble == 0;
  auto dec = wire::make_witmotion_decoder(options.rate_hz, acc_only);
  while (n > 0) {
    dec->feed(std::span(reinterpret_cast<const std::uint8_t*>(block.data()), n), samples);
    if (!in) break;
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    n = static_cast<std::size_t>(in.gcount());
  }
  dec->finish(samples);
  const auto& st = dec->stats();
  if (samples.empty()) {
    std::string what = source_name + ": no WitMotion sample (an acceleration 0x51 and an angular velocity 0x52 "
                                     "packet of one output cycle, or a BLE 0x55 0x61 frame) in " +
                       std::to_string(st.bytes) + " bytes (" + std::to_string(st.frames) + " good packets, " +
                       std::to_string(st.crc_failures) + " checksum failures)";
    if (!st.bad.empty()) what += "; first problem at byte " + std::to_string(st.bad[0].offset) + ": " + st.bad[0].what;
    throw ImportError(what);
  }
  r.recording.meta = dec->meta();
  if (acc_only) {
    rep_acc_only(r.report);
  }
  r.recording.gaps = dec->gaps();
  const std::string how = dec->describe();
  const bool ble = how.rfind("WitMotion BLE", 0) == 0;
  const bool timed = how.find("0x50 time packets") != std::string::npos;
  auto& rep = r.report;
  rep.source = source_name;
  rep.format = ble ? "witmotion-ble" : "witmotion";
  rep.acc_unit = "g";
  rep.acc_unit_reason = "WitMotion protocol: int16 counts x 16 g / 32768";
  if (!acc_only) {
    rep.gyr_unit = "deg/s";
    rep.gyr_unit_reason = "WitMotion protocol: int16 counts x 2000 deg/s / 32768 (the formula, whatever a table says)";
  }
  char rate[48];
  std::snprintf(rate, sizeof rate, "%g Hz", r.recording.meta.rate_hz);
  if (timed) {
    rep.time_unit = "ms";
    rep.time_unit_reason = "0x50 time packets (date and time to the millisecond)";
    rep.rate_declared = options.rate_hz > 0;
    rep.rate_reason = options.rate_hz > 0 ? std::string("options.rate_hz ") + rate
                                          : std::string("from the 0x50 time packets: ") + rate;
  } else {
    rep.time_unit = std::string("none (rate ") + rate + ")";
    rep.rate_declared = true;
    if (options.rate_hz > 0) {
      rep.time_unit_reason = "no 0x50 time packets: samples spaced by the declared rate";
      rep.rate_reason = std::string("options.rate_hz ") + rate;
    } else {
      rep.time_unit_reason = "no 0x50 time packets and no rate given: samples spaced by the assumed rate";
      rep.rate_reason = "assumed: the WitMotion factory default output rate of 10 Hz (no 0x50 time packets); give "
                        "--rate if the board was set to another rate";
      // Said where the summary shows it: an SD-card file (real ones carry no 0x50 packets) is read at 10 Hz,
      // too slow for gait, unless the user says the rate the board was set to.
      rep.notes.push_back("no 0x50 time packets: samples spaced at the WitMotion factory default of 10 Hz; give "
                          "--rate HZ, the output rate the board was set to (WitMotion app: Rate)");
    }
  }
  rep.lines = st.frames;
  rep.samples = samples.size();
  rep.skipped = st.bad_total();
  rep.duplicate_stamps = st.duplicate_stamps;
  rep.clock_restarts = st.device_resets;
  for (const auto& b : st.bad) {
    if (rep.issues.size() >= 50) break;
    rep.issues.push_back({0, "byte " + std::to_string(b.offset) + " (" + std::to_string(b.bytes) + " bytes): " + b.what});
  }
  if (st.lost_frames > 0)
    r.recording.meta.extra["witmotion_incomplete_cycles"] = std::to_string(st.lost_frames);
  r.recording.meta.extra["witmotion_decoder"] = how;
  return r;
}

}  // namespace stride::io
