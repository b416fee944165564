// The virtual board's sensor (host only): plays a recording (e.g. from stride::sim::simulate) as raw int16
// counts with a 32-bit microsecond clock, so the firmware core can stream it like the real sensor.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "firmware_iface/firmware/board_core.hpp"
#include "stride/recording.hpp"

namespace stride::fw {

// SI -> counts with full scale +-range mapping to +-32768, saturated.
inline std::int16_t to_counts(double si, double full_scale_si) {
  const double c = std::round(si / full_scale_si * 32768.0);
  return static_cast<std::int16_t>(std::clamp(c, -32768.0, 32767.0));
}

class RecordingImu final : public ImuDriver {
 public:
  // t0_us: the device clock at the first sample (set near 2^32 to exercise the wrap).
  RecordingImu(const Recording& rec, std::uint32_t t0_us = 0, std::uint16_t acc_range_g = 16,
               std::uint16_t gyr_range_dps = 2000)
      : rec_(rec), t0_us_(t0_us), acc_range_(acc_range_g), gyr_range_(gyr_range_dps) {
    if (rec.meta.acc_range_g >= 1) acc_range_ = static_cast<std::uint16_t>(rec.meta.acc_range_g);
    if (rec.meta.gyr_range_dps >= 1) gyr_range_ = static_cast<std::uint16_t>(rec.meta.gyr_range_dps);
    double rate = rec.meta.rate_hz;
    if (rate <= 0) rate = 1.0 / median_interval_s(rec.samples);
    rate_mhz_ = static_cast<std::uint32_t>(std::lround(rate * 1000.0));
  }
  bool begin() override { return true; }
  bool read(wire::RawSample& out) override {
    if (i_ >= rec_.samples.size()) return false;
    out = raw(i_++);
    return true;
  }
  wire::RawSample raw(std::size_t i) const {
    const auto& s = rec_.samples[i];
    wire::RawSample r;
    r.t_us = static_cast<std::uint32_t>(t0_us_ + static_cast<std::uint64_t>(std::llround(s.t_s * 1e6)));
    const double fa = acc_range_ * 9.80665, fw = gyr_range_ * std::numbers::pi / 180.0;
    for (int a = 0; a < 3; ++a) {
      r.acc[a] = to_counts(s.acc_mps2[a], fa);
      r.gyr[a] = to_counts(s.gyr_rad_s[a], fw);
    }
    return r;
  }
  double next_t_s() const { return i_ < rec_.samples.size() ? rec_.samples[i_].t_s : 0.0; }
  bool done() const { return i_ >= rec_.samples.size(); }
  std::uint32_t rate_mhz() const override { return rate_mhz_; }
  std::uint16_t acc_range_g() const override { return acc_range_; }
  std::uint16_t gyr_range_dps() const override { return gyr_range_; }
  const char* sensor_name() const override { return "LSM6DSO (virtual, simulated data)"; }

 private:
  const Recording& rec_;
  std::uint32_t t0_us_;
  std::uint16_t acc_range_, gyr_range_;
  std::uint32_t rate_mhz_ = 0;
  std::size_t i_ = 0;
};

}  // namespace stride::fw
