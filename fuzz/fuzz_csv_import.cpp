// The CSV importer (every layout it detects: native, generic, x-IMU3, MicroStrain, gaitmap, ...) on arbitrary
// bytes. A refusal is an ImportError; anything else (a crash, UB, a leak, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "stride/recording_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    stride::io::import_csv(in, "fuzz.csv");
  } catch (const stride::io::ImportError&) {
  }
  return 0;
}
