// Movesense IMU6 (and Acc-only) JSON: the notifications of `SUBSCRIBE /Meas/IMU6/{rate}` as a BLE bridge or app
// logs them, one JSON object per line ({"Body": {"Timestamp": ms, "ArrayAcc": [{"x","y","z"}...], "ArrayGyro":
// [...]}, "Uri": ".../Meas/IMU6/104"}; the Body alone is accepted too), a JSON array of such objects, or a
// DataLogger/Logbook export (any document whose arrays hold such bodies, e.g. {"Meas": {"IMU6": [...]}}).
// Units (Movesense API, meas/acc.yaml and meas/gyro.yaml): acceleration m/s^2, angular rate deg/s.
// Time: Timestamp is the sensor's millisecond clock at the first sample of a notification; its N samples are
// spread evenly up to the next notification's Timestamp (or at 1/rate when that one is missing or far off).
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "stride/recording_io.hpp"

namespace stride::io {

inline constexpr std::string_view kMovesenseJsonName = "movesense-json";
inline constexpr std::string_view kMovesenseJsonDescription =
    "Movesense /Meas/IMU6 JSON notifications (one per line, a JSON array, or a DataLogger/Logbook export)";
inline constexpr std::string_view kMovesenseJsonExample =
    R"({"Body":{"Timestamp":110033,"ArrayAcc":[{"x":0.12,"y":-0.3,"z":9.79}],"ArrayGyro":[{"x":1.2,"y":0.4,"z":-0.7}]},"Uri":"ECKI/Meas/IMU6/104"})";
inline constexpr std::string_view kMovesenseJsonSpec =
    "https://movesense.com/docs/esw/api_reference/ (meas/imu.yaml, meas/acc.yaml, meas/gyro.yaml)";

// True when the head holds a Movesense notification: "ArrayAcc" with "Timestamp" in the first JSON object or the
// first line parses as one; reason says what was found.
bool looks_like_movesense_json(std::string_view head, std::string* reason = nullptr);

// One object per line is parsed line by line (memory flat however long the file); an array or a Logbook export
// is parsed whole. options.rate_hz: the subscribed rate (else from the Uri, else from the Timestamps). A line that
// does not parse or lacks the arrays is skipped and counted, quoting at most ~80 characters of it.
// Throws ImportError (quoting at most ~80 characters) when nothing can be read.
Imported import_movesense_json(std::istream& in, const std::string& source_name, const ImportOptions& options = {});

}  // namespace stride::io
