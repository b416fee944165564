// The CSV importer (every layout it detects: native, generic, gaitmap and the presets of firmware_iface/import/,
// UTF-16 with or without a byte-order mark included) on arbitrary bytes. The first byte picks the file name (some
// presets read the sensor from it), whether a rate is given (headerless presets need one) and whether the file is
// read as one part of an acceleration (Sensor Logger iOS: Accelerometer.csv, Gravity.csv). A refusal is an ImportError; anything else (a crash,
// UB, a leak, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "stride/recording_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kNames[] = {"fuzz.csv", "Accelerometer.csv", "Gyroscope.csv", "TotalAcceleration.csv",
                                       "Gravity.csv", "COM5.log", "Accelerometer.csv", "fuzz.csv"};
  const std::uint8_t pick = size > 0 ? data[0] : 0;
  stride::io::ImportOptions options;
  if (pick & 8) options.rate_hz = 100;
  options.acc_part = (pick & 16) != 0;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    stride::io::import_csv(in, kNames[pick & 7], options);
  } catch (const stride::io::ImportError&) {
  }
  return 0;
}
