// The live decoders (text lines, binary COBS frames, WitMotion packets, and the auto-detecting trio) on arbitrary bytes, fed in the
// chunk sizes the first bytes choose, with a reconnect in the middle: what a serial port, a BLE bridge or a UDP
// socket may deliver. Every sample that comes out must have a finite time.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "firmware_iface/protocol/stream_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  using stride::wire::Format;
  constexpr Format kFormats[4] = {Format::auto_detect, Format::text, Format::binary, Format::witmotion};
  const Format format = kFormats[data[0] % 4];
  const std::size_t chunk = 1 + data[1] % 64;
  const std::size_t reconnect_at = data[2] * size / 256;
  std::span<const std::uint8_t> bytes(data + 3, size - 3);
  stride::wire::StreamDecoder decoder(format);
  std::vector<stride::ImuSample> out;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    if (at <= reconnect_at && reconnect_at < at + chunk) decoder.discontinuity(0.5);
    decoder.feed(bytes.subspan(at, std::min(chunk, bytes.size() - at)), out);
    for (const auto& s : out)
      if (!std::isfinite(s.t_s)) std::abort();
    out.clear();
  }
  decoder.finish(out);
  (void)decoder.describe();
  return 0;
}
