// The .strideb reader (firmware_iface/protocol/strideb_reader.cpp) on arbitrary bytes, block-wise in chunk sizes the
// first byte picks (1..256 samples), the rest being the file. Seeds are whole files (seeds/strideb/, with a leading
// chunk byte), so mutations reach the blocks past the header's CRC. A refusal is an ImportError; anything else (a
// crash, UB, a leak, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "firmware_iface/protocol/strideb.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = std::size_t{data[0]} + 1;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  try {
    stride::io::StridebReader reader(in, "fuzz.strideb");
    std::vector<stride::ImuSample> out(chunk);
    while (reader.read(out) > 0) {
    }
  } catch (const stride::io::ImportError&) {
  }
  return 0;
}
