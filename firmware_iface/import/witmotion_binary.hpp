// WitMotion files: the raw 0x55 packet stream as a WT901SD card writes it (.TXT), as a serial terminal or bridge
// saves it, or a BLE bridge's log of 20-byte 0x55 0x61 frames. Decoded by wire::make_witmotion_decoder (the live
// decoder), so a file and a live stream give the same samples. Units, scales and clock: witmotion_decoder.hpp.
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "stride/recording_io.hpp"

namespace stride::io {

inline constexpr std::string_view kWitmotionBinaryName = "witmotion";
inline constexpr std::string_view kWitmotionBinaryDescription =
    "WitMotion WT901/JY901/BWT901 0x55 packets (SD card .TXT, saved serial log) or BLE 0x55 0x61 frames";
inline constexpr std::string_view kWitmotionBinaryExample = "55 51 03 00 0b 00 4d 08 de 09 f0";  // acc packet
inline constexpr std::string_view kWitmotionBinarySpec =
    "https://github.com/ElettraSciComp/witmotion_IMU_QT/blob/main/doc/protocol.md";

// True when the head (the first up to 64 KiB) holds at least 3 consecutive 0x55 packets with valid checksums
// (acceleration or angular velocity among them), or 4 BLE frames 20 bytes apart; reason says what was found
// ("0x55 packets 0x51 0x52 with valid checksums at offsets 0, 11, 22 (40 in a row)") or why not.
bool looks_like_witmotion_binary(std::string_view head, std::string* reason = nullptr);

// Whole-file import. options.rate_hz: the board's output rate (used when it sent no 0x50 time packets; else the
// factory default 10 Hz is assumed and the report says so). Bad checksums, garbage and truncated packets are
// skipped and counted; the issues carry byte offsets ("byte 1234 (11 bytes): ..."; their line is 0).
// Throws ImportError when no acceleration + angular velocity pair is found.
Imported import_witmotion_binary(std::istream& in, const std::string& source_name, const ImportOptions& options = {});

}  // namespace stride::io
