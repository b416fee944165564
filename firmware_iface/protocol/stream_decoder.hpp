// Live decoders: bytes from a board (any chunking, one byte at a time is fine) -> ImuSample in SI units.
// Pure: no I/O, no clocks of their own. The transport may tell them how long the host saw nothing (reconnects).
//
//  - TextDecoder: CSV lines as boards print them (optional header, `# key: value` info lines, a time column in
//    s/ms/us or a 32-bit counter that wraps, values in g | m/s^2 and deg/s | rad/s, declared or detected).
//  - BinaryDecoder: COBS frames of wire_format.hpp (sample batches and device info), CRC-checked, sequence-numbered.
//  - WitMotion 0x55 packets (witmotion_decoder.hpp): WT901/JY901/BWT901 serial packets and BLE 0x55 0x61 frames.
//  - StreamDecoder: one of them, or all side by side until one of them has recognised the stream ("auto").
// All count bytes, good and bad frames/lines (with byte offsets), CRC failures and lost frames, and turn holes in
// the device clock into Gaps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "stride/recording.hpp"

namespace stride::wire {

enum class Format { auto_detect, text, binary, witmotion };
std::string_view to_string(Format f);

// One stretch of input a decoder threw away.
struct BadSpan {
  std::uint64_t offset = 0;   // byte offset of its first byte in the stream (0-based)
  std::uint64_t bytes = 0;
  std::string what;           // "CRC mismatch (frame says 0x1234, computed 0xabcd)", "line 7: 5 cells, expected 7"
};

struct DecoderStats {
  std::uint64_t bytes = 0;           // fed so far
  std::uint64_t frames = 0;          // binary frames accepted (samples + device info)
  std::uint64_t lines = 0;           // text lines accepted (data, header, info)
  std::uint64_t crc_failures = 0;    // binary frames whose CRC did not match
  std::uint64_t bad_frames = 0;      // other rejected frames: COBS error, wrong size, version or type
  std::uint64_t bad_lines = 0;       // text lines rejected (not numbers, wrong cell count, non-text bytes, too long)
  std::uint64_t samples = 0;         // samples put out
  std::uint64_t lost_frames = 0;     // from jumps in the sequence number (frames that never made it in)
  std::uint64_t device_resets = 0;   // the device clock restarted (confirmed: clock_guard.hpp) or the link was re-made
  std::uint64_t duplicate_stamps = 0;  // text lines / samples dropped because they repeated the last time stamp exactly
  std::uint64_t outlier_stamps = 0;  // lines or sample frames dropped: their time stamp disagreed with their neighbours
                                     // and the rate (a corrupt stamp, clock_guard.hpp); each is also in `bad`
  std::uint64_t duplicate_frames = 0;  // binary frames received twice (same sequence number and stamp), dropped
  std::uint64_t reordered_frames = 0;  // binary frames that arrived out of order and were put back in order
  std::uint64_t late_frames = 0;     // binary frames that arrived after the frames following them were out (also in
                                     // bad_frames): dropped
  std::uint64_t bad_total() const { return crc_failures + bad_frames + bad_lines + outlier_stamps; }
  std::vector<BadSpan> bad;          // the first kMaxBadSpans; the counters count all
};
inline constexpr std::size_t kMaxBadSpans = 100;

// Places device times on the recording's time axis (t = 0 at the first sample) and finds the holes. The decoders
// give it only stamps that clock_guard.hpp kept: in order, a restart flagged as such.
class Timeline {
 public:
  // device_s: the device clock (already unwrapped), any origin. nominal_dt_s: the expected interval (0 = unknown).
  // device_reset: the device clock restarted; the sample is placed after the last one (see discontinuity()).
  // Returns false when the sample repeats the previous time stamp exactly (a duplicate, to be dropped).
  bool place(double device_s, double nominal_dt_s, bool device_reset, double& t_s);
  // The host saw no bytes for host_gap_s (a reconnect). When the device clock kept running across it (the next
  // stamp is ahead by at most host_gap_s + 2 s) it is trusted; else the next sample is placed host_gap_s (at least
  // one interval) after the last one and counted as a device reset.
  void discontinuity(double host_gap_s);
  const std::vector<Gap>& gaps() const { return gaps_; }
  bool started() const { return started_; }
  double last_t_s() const { return last_t_; }
  std::uint64_t resets() const { return resets_; }
  std::uint64_t duplicates() const { return duplicates_; }

 private:
  bool started_ = false;
  double offset_s_ = 0.0;      // t = device + offset
  double last_t_ = 0.0;
  bool pending_ = false;
  double host_gap_s_ = 0.0;
  std::uint64_t resets_ = 0;
  std::uint64_t duplicates_ = 0;
  std::vector<Gap> gaps_;
};

struct DropoutSummary {
  std::size_t count = 0;
  double total_s = 0.0;            // sum over gaps of (end_s - start_s): the time between the samples around them
  double longest_s = 0.0;
  std::size_t missing_samples = 0;
};
DropoutSummary summarize(const std::vector<Gap>& gaps);
// "dropouts: 3, total 1.250 s, longest 1.000 s, ~625 samples missing" / "dropouts: none".
std::string to_string(const DropoutSummary& d);

struct TextOptions {
  std::string time_unit = "auto";  // auto | s | ms | us | ns | none
  std::string acc_unit = "auto";   // auto | g | m/s^2
  std::string gyr_unit = "auto";   // auto | deg/s | rad/s
  double rate_hz = 0.0;            // for lines without time; also the nominal rate when > 0
  std::size_t lookahead_rows = 50; // rows held back to detect undeclared units and the rate (none when all declared)
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Appends the samples completed by these bytes to out.
  virtual void feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) = 0;
  virtual void discontinuity(double host_gap_s) = 0;
  // Puts out what is held back (the text decoder's look-ahead) at the end of the stream.
  virtual void finish(std::vector<ImuSample>& out) = 0;
  virtual const DecoderStats& stats() const = 0;
  virtual const RecordingMeta& meta() const = 0;   // device info / `# key: value` lines, rate, ranges
  virtual const std::vector<Gap>& gaps() const = 0;
  // How the units and time were decided (text) or "binary v1"; empty until known.
  virtual std::string describe() const = 0;
  // Records that prove the stream is in this format (CRC-valid frames, well-formed data lines).
  virtual std::uint64_t recognised() const = 0;
};

std::unique_ptr<Decoder> make_text_decoder(TextOptions options = {});
std::unique_ptr<Decoder> make_binary_decoder();

// Format::auto_detect runs the three decoders on the same bytes until one has recognised 3 records while the others
// have none (or 20 and ten times any other's), then keeps that one (with everything it decoded so far).
// Until then no samples come out. TextOptions::rate_hz is also the WitMotion board's declared output rate.
class StreamDecoder final : public Decoder {
 public:
  explicit StreamDecoder(Format format, TextOptions text = {});
  void feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) override;
  void discontinuity(double host_gap_s) override;
  void finish(std::vector<ImuSample>& out) override;
  const DecoderStats& stats() const override;
  const RecordingMeta& meta() const override;
  const std::vector<Gap>& gaps() const override;
  std::string describe() const override;
  std::uint64_t recognised() const override;
  Format format() const { return format_; }   // auto_detect until decided

 private:
  static constexpr std::size_t kKinds = 3;  // text, binary, witmotion (Format - 1)
  const Decoder& leading() const;
  Format format_;
  std::unique_ptr<Decoder> dec_[kKinds];
  std::vector<ImuSample> held_[kKinds];
};

}  // namespace stride::wire
