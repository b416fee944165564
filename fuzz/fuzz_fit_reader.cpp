// The FIT reader (firmware_iface/fit/) on arbitrary bytes, CRC checked or not (the first byte chooses): it may
// only return messages or throw FitError; every field it returns must hold whole elements of its base type.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "firmware_iface/fit/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  stride::fit::ReadOptions options;
  options.check_crc = (data[0] & 1) != 0;
  try {
    stride::fit::decode(data + 1, size - 1, "fuzz.fit", [](const stride::fit::Message& m) {
      for (const auto& f : m.fields) {
        if (f.bytes.size() % stride::fit::base_size(f.type) != 0) std::abort();
        (void)f.value(0);
        (void)f.text();
      }
      for (const auto& d : m.developer_fields) (void)d.value.value(0);
    }, options);
  } catch (const stride::fit::FitError&) {
  }
  return 0;
}
