// The firmware's core, the same on the ESP32-C3 and on the host (the virtual board): takes raw samples from a
// sensor driver and sends them in the text or the binary format of firmware_iface/PROTOCOL.md.
// Header-only, standard library only, no allocation after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "firmware_iface/protocol/wire_format.hpp"

namespace stride::fw {

inline constexpr std::uint8_t kFwMajor = 1, kFwMinor = 0, kFwPatch = 0;

// A 6-axis sensor. read() returns true and fills one sample when a new one is ready (timestamped by the board).
class ImuDriver {
 public:
  virtual ~ImuDriver() = default;
  virtual bool begin() = 0;                      // configure rate and ranges; false when the sensor does not answer
  virtual bool read(wire::RawSample& out) = 0;
  virtual std::uint32_t rate_mhz() const = 0;    // sample rate in millihertz
  virtual std::uint16_t acc_range_g() const = 0;
  virtual std::uint16_t gyr_range_dps() const = 0;
  virtual const char* sensor_name() const = 0;
};

// Where the bytes go: a UART, USB CDC, a BLE characteristic, a pseudo-terminal, a socket.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const std::uint8_t* data, std::size_t n) = 0;
};

enum class Output : std::uint8_t { text, binary };

struct BoardConfig {
  Output output = Output::binary;
  std::uint16_t device_id = 1;
  std::size_t batch = 8;                      // samples per binary frame (1..kMaxBatch)
  std::uint32_t info_every_us = 1000000;      // binary: device info again after this much device time
  std::uint32_t text_header_every_us = 10000000;  // text: info lines and header again
  const char* board = "ESP32-C3";
  const char* firmware = "stride-fw 1.0.0";
};

class BoardCore {
 public:
  BoardCore(ImuDriver& imu, ByteSink& sink, BoardConfig config) : imu_(imu), sink_(sink), cfg_(config) {
    if (cfg_.batch < 1) cfg_.batch = 1;
    if (cfg_.batch > wire::kMaxBatch) cfg_.batch = wire::kMaxBatch;
  }

  // Announces the board: a device-info frame, or the `# key: value` lines and the header line.
  void announce() {
    if (cfg_.output == Output::binary) send_info();
    else send_text_header();
  }

  // One new sample from the driver.
  void push(const wire::RawSample& s) {
    if (!announced_ || static_cast<std::uint32_t>(s.t_us - last_info_us_) >=
                           (cfg_.output == Output::binary ? cfg_.info_every_us : cfg_.text_header_every_us)) {
      announce();  // between frames; the batch being filled is not cut short
      announced_ = true;
      last_info_us_ = s.t_us;
    }
    if (cfg_.output == Output::text) return send_text(s);
    batch_[n_++] = s;
    if (n_ == cfg_.batch) flush();
  }

  // Sends a partly filled batch (binary); nothing to do for text.
  void flush() {
    if (n_ == 0) return;
    wire::SampleBatchHeader h;
    h.device_id = cfg_.device_id;
    h.seq = seq_++;
    h.t0_us = batch_[0].t_us;
    h.period_ns = imu_.rate_mhz() ? static_cast<std::uint32_t>(1000000000000ull / imu_.rate_mhz()) : 0;
    h.acc_range_g = imu_.acc_range_g();
    h.gyr_range_dps = imu_.gyr_range_dps();
    const std::size_t m = wire::build_samples_payload(h, batch_, n_, payload_);
    send_frame(m);
    n_ = 0;
  }

  std::uint16_t next_seq() const { return seq_; }

 private:
  void send_frame(std::size_t payload_bytes) {
    const std::size_t m = wire::finish_frame(payload_, payload_bytes, frame_);
    sink_.write(frame_, m);
  }

  void send_info() {
    wire::DeviceInfo d;
    d.device_id = cfg_.device_id;
    d.seq = seq_;
    d.fw_major = kFwMajor;
    d.fw_minor = kFwMinor;
    d.fw_patch = kFwPatch;
    d.rate_mhz = imu_.rate_mhz();
    d.acc_range_g = imu_.acc_range_g();
    d.gyr_range_dps = imu_.gyr_range_dps();
    d.board = cfg_.board;
    d.sensor = imu_.sensor_name();
    d.firmware = cfg_.firmware;
    send_frame(wire::build_info_payload(d, payload_));
  }

  void print(const char* text, int n) {
    if (n > 0) sink_.write(reinterpret_cast<const std::uint8_t*>(text), static_cast<std::size_t>(n));
  }

  void send_text_header() {
    char b[160];
    print(b, std::snprintf(b, sizeof b, "# board: %s\n# sensor: %s\n# firmware: %s\n", cfg_.board, imu_.sensor_name(),
                           cfg_.firmware));
    print(b, std::snprintf(b, sizeof b, "# rate_hz: %lu.%03lu\n# acc_range_g: %u\n# gyr_range_dps: %u\n",
                           static_cast<unsigned long>(imu_.rate_mhz() / 1000),
                           static_cast<unsigned long>(imu_.rate_mhz() % 1000), unsigned{imu_.acc_range_g()},
                           unsigned{imu_.gyr_range_dps()}));
    print(b, std::snprintf(b, sizeof b, "t_us,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n"));
  }

  // One line: the 32-bit microsecond counter, then g with 5 decimals and deg/s with 3 decimals.
  void send_text(const wire::RawSample& s) {
    const double ka = imu_.acc_range_g() / 32768.0, kw = imu_.gyr_range_dps() / 32768.0;
    char b[160];
    print(b, std::snprintf(b, sizeof b, "%lu,%.5f,%.5f,%.5f,%.3f,%.3f,%.3f\n", static_cast<unsigned long>(s.t_us),
                           s.acc[0] * ka, s.acc[1] * ka, s.acc[2] * ka, s.gyr[0] * kw, s.gyr[1] * kw, s.gyr[2] * kw));
  }

  ImuDriver& imu_;
  ByteSink& sink_;
  BoardConfig cfg_;
  wire::RawSample batch_[wire::kMaxBatch];
  std::size_t n_ = 0;
  std::uint16_t seq_ = 0;
  bool announced_ = false;
  std::uint32_t last_info_us_ = 0;
  std::uint8_t payload_[wire::kMaxPayload + 4 * (1 + wire::kMaxString)];
  std::uint8_t frame_[wire::cobs_max_encoded(wire::kMaxPayload + 4 * (1 + wire::kMaxString)) + 1];
};

}  // namespace stride::fw
