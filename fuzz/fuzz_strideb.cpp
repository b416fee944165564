// The .strideb reader and writer (firmware_iface/protocol/strideb_*.cpp) on arbitrary bytes. The first byte picks the
// chunk size of the block-wise reads (1..256 samples), the rest is the file. Seeds are whole files (seeds/strideb/,
// with a leading chunk byte), so mutations reach the blocks past the header's CRC. Whatever was read is written
// again and read back: it must come back whole, sample for sample, with nothing skipped. A refusal is an
// ImportError; anything else (a crash, UB, a leak, another exception, a failed round trip) is a finding.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "firmware_iface/protocol/strideb.hpp"

namespace {

bool same(const stride::ImuSample& a, const stride::ImuSample& b) {
  auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
  for (int k = 0; k < 3; ++k)
    if (bits(a.acc_mps2[k]) != bits(b.acc_mps2[k]) || bits(a.gyr_rad_s[k]) != bits(b.gyr_rad_s[k])) return false;
  return bits(a.t_s) == bits(b.t_s) && a.clipped == b.clipped;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = std::size_t{data[0]} + 1;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  stride::Recording rec;
  try {
    stride::io::StridebReader reader(in, "fuzz.strideb");
    std::vector<stride::ImuSample> out(chunk);
    while (const std::size_t got = reader.read(out))
      rec.samples.insert(rec.samples.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(got));
    rec.meta = reader.meta();
    rec.clock_marks = reader.clock_marks();
  } catch (const stride::io::ImportError&) {
    return 0;
  }
  if (rec.samples.empty()) return 0;  // import_strideb refuses a file without samples (ImportError)
  std::stringstream again;
  stride::io::write_strideb(again, rec, chunk);
  const auto back = stride::io::import_strideb(again, "again.strideb");
  if (back.recording.samples.size() != rec.samples.size() || back.report.skipped != 0 || !back.report.issues.empty())
    std::abort();
  for (std::size_t i = 0; i < rec.samples.size(); ++i)
    if (!same(back.recording.samples[i], rec.samples[i])) std::abort();
  return 0;
}
