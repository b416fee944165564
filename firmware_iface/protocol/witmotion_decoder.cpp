#include "witmotion_decoder.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace stride::wire {

namespace {

constexpr double kG = 9.80665;
constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr std::uint8_t kHeader = 0x55;
constexpr std::uint8_t kTime = 0x50, kAcc = 0x51, kGyr = 0x52, kLastSerialType = 0x5A;
constexpr std::uint8_t kBleData = 0x61, kBleRegister = 0x71;

std::int16_t i16(const std::uint8_t* p) { return static_cast<std::int16_t>(p[0] | (p[1] << 8)); }

std::string hex8(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02x", v & 0xFFu);
  return b;
}

// The output rates the RATE register offers; an estimate within 3 % of one of them is taken to be it.
double snap_rate(double hz) {
  static constexpr std::array<double, 12> kRates{0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 125, 200, 1000};
  for (const double r : kRates)
    if (std::abs(hz - r) <= 0.03 * r) return r;
  return std::round(hz * 10.0) / 10.0;
}

class WitmotionDecoder final : public Decoder {
 public:
  WitmotionDecoder(double rate_hz, bool acc_only)
      : declared_hz_(rate_hz > 0 ? rate_hz : 0.0), acc_only_(acc_only) {
    meta_.board = "WitMotion";
    meta_.acc_range_g = kWitmotionAccRangeG;
    meta_.gyr_range_dps = kWitmotionGyrRangeDps;
    meta_.rate_hz = declared_hz_ > 0 ? declared_hz_ : kWitmotionDefaultRateHz;
  }

  void feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) override {
    take_after_break(out);
    st_.bytes += bytes.size();
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    process(out, false);
  }

  void discontinuity(double host_gap_s) override {
    // What waits for the clock decision is decided with what came before the break; it comes out with the next
    // feed() or finish().
    release(after_break_, true);
    // A half packet before the break is not completed by what follows it.
    pos_ = 0;
    if (!buf_.empty()) skip_garbage(buf_.size());
    flush_garbage();
    absorb_ = false;
    buf_off_ += buf_.size();
    buf_.clear();
    pos_ = 0;
    end_cycle();
    have_last_type_ = false;
    if (!have_first_time_ && host_gap_s > 0) {
      // No device clock: the host's gap is the only measure of the cycles that never came.
      cycle_ += static_cast<std::uint64_t>(std::max(0.0, std::round(host_gap_s * meta_.rate_hz) - 1.0));
    }
    timeline_.discontinuity(host_gap_s);
  }

  void finish(std::vector<ImuSample>& out) override {
    take_after_break(out);
    process(out, true);
    end_cycle();
    release(out, true);
    if (!buf_.empty()) {
      ++st_.bad_frames;
      add_bad(buf_off_, buf_.size(), "truncated packet at the end (" + std::to_string(buf_.size()) + " bytes)");
      buf_off_ += buf_.size();
      buf_.clear();
    }
    flush_garbage();
  }

  const DecoderStats& stats() const override {
    st_.device_resets = timeline_.resets();
    st_.duplicate_stamps = timeline_.duplicates();
    return st_;
  }
  const RecordingMeta& meta() const override { return meta_; }
  const std::vector<Gap>& gaps() const override { return timeline_.gaps(); }

  std::string describe() const override {
    if (st_.frames == 0) return "";
    std::string s = ble_frames_ > 0 && serial_packets_ == 0
                        ? "WitMotion BLE frames (0x55 0x61: acc, gyro, angle)"
                        : "WitMotion 0x55 packets (acc 0x51 x16 g/32768, gyro 0x52 x2000 deg/s/32768)";
    char rate[32];
    std::snprintf(rate, sizeof rate, "%g", meta_.rate_hz);
    if (have_first_time_) {
      s += std::string("; clock: 0x50 time packets (1 ms resolution), ") +
           (declared_hz_ > 0 ? "declared rate " : "rate from them ") + rate + " Hz";
    } else if (declared_hz_ > 0) {
      s += std::string("; clock: no time packets, declared rate ") + rate + " Hz";
    } else {
      s += "; clock: no time packets and no rate declared: the factory default output rate of 10 Hz assumed "
           "(give --rate if the board was set to another)";
    }
    return s;
  }
  std::uint64_t recognised() const override { return st_.frames; }

  bool time_mode() const { return time_mode_; }

 private:
  void take_after_break(std::vector<ImuSample>& out) {
    out.insert(out.end(), after_break_.begin(), after_break_.end());
    after_break_.clear();
  }

  void add_bad(std::uint64_t offset, std::uint64_t bytes, std::string what) {
    if (st_.bad.size() < kMaxBadSpans) st_.bad.push_back({offset, bytes, std::move(what)});
  }

  void skip_garbage(std::size_t n) {
    in_sync_ = false;
    if (absorb_) {  // the rest of a packet that failed its checksum: part of that damage, not a new one
      if (absorb_index_ < st_.bad.size()) st_.bad[absorb_index_].bytes += n;
      pos_ += n;
      return;
    }
    if (garbage_len_ == 0) garbage_start_ = buf_off_ + pos_;
    garbage_len_ += n;
    pos_ += n;
  }
  void flush_garbage() {
    if (garbage_len_ == 0) return;
    ++st_.bad_frames;
    add_bad(garbage_start_, garbage_len_,
            std::to_string(garbage_len_) + " bytes that are not WitMotion packets skipped");
    garbage_len_ = 0;
  }

  void process(std::vector<ImuSample>& out, bool final) {
    pos_ = 0;
    while (pos_ < buf_.size()) {
      const std::size_t avail = buf_.size() - pos_;
      const std::uint8_t* p = buf_.data() + pos_;
      if (p[0] != kHeader) {
        skip_garbage(1);
        continue;
      }
      if (avail < 2) break;
      const std::uint8_t type = p[1];
      if (type >= kTime && type <= kLastSerialType) {
        if (avail < kWitmotionPacketBytes) break;
        const std::uint8_t want = p[10], got = witmotion_checksum(p);
        if (want != got) {
          flush_garbage();
          ++st_.crc_failures;
          add_bad(buf_off_ + pos_, 1,
                  "packet " + hex8(type) + ": checksum mismatch (packet says " + hex8(want) + ", computed " +
                      hex8(got) + "); skipped to the next packet");
          absorb_ = true;
          absorb_index_ = st_.bad.size() - 1;
          if (st_.bad.size() == kMaxBadSpans && st_.bad.back().offset != buf_off_ + pos_) absorb_index_ = SIZE_MAX;
          // Where a packet was due, its type still tells where the cycle is (the data is not used).
          if (in_sync_) next_packet_type(type);
          in_sync_ = false;
          pos_ += 1;  // resynchronise on the next 0x55
          continue;
        }
        flush_garbage();
        absorb_ = false;
        serial_packet(type, p, buf_off_ + pos_, out);
        pos_ += kWitmotionPacketBytes;
        in_sync_ = true;
        continue;
      }
      if (type == kBleData || type == kBleRegister) {
        // No checksum: a frame counts when the next one starts right after it (or it ends the stream).
        if (avail < kWitmotionBleFrameBytes) break;
        const bool next_header = avail >= kWitmotionBleFrameBytes + 2 && p[20] == kHeader &&
                                 (p[21] == kBleData || p[21] == kBleRegister);
        if (!next_header && !(final && avail == kWitmotionBleFrameBytes)) {
          if (avail < kWitmotionBleFrameBytes + 2 && !final) break;
          skip_garbage(1);
          continue;
        }
        flush_garbage();
        absorb_ = false;
        ++st_.frames;
        if (type == kBleData) ble_frame(p, out);
        pos_ += kWitmotionBleFrameBytes;
        in_sync_ = false;
        continue;
      }
      skip_garbage(1);
    }
    buf_off_ += pos_;
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }

  // A type not above the previous one begins the next output cycle.
  void next_packet_type(std::uint8_t type) {
    if (have_last_type_ && type <= last_type_) end_cycle();
    have_last_type_ = true;
    last_type_ = type;
    cycle_open_ = true;
  }

  void end_cycle() {
    if (!cycle_open_) return;
    if (!emitted_ && samples_out_ > 0) ++st_.lost_frames;  // a cycle without its acc or gyro packet
    if (emitted_ || samples_out_ > 0) ++cycle_;
    cycle_open_ = false;
    emitted_ = has_acc_ = has_gyr_ = has_time_ = false;
  }

  void serial_packet(std::uint8_t type, const std::uint8_t* p, std::uint64_t offset, std::vector<ImuSample>& out) {
    next_packet_type(type);
    ++st_.frames;
    ++serial_packets_;
    if (type == kTime) {
      const unsigned yy = p[2], mo = p[3], dd = p[4], hh = p[5], mi = p[6], ss = p[7];
      const unsigned ms = static_cast<unsigned>(p[8] | (p[9] << 8));
      const std::chrono::year_month_day date{std::chrono::year(2000 + static_cast<int>(yy)), std::chrono::month(mo),
                                             std::chrono::day(dd)};
      if (!date.ok() || hh > 23 || mi > 59 || ss > 59 || ms > 999) {
        ++st_.bad_frames;
        add_bad(offset, kWitmotionPacketBytes, "time packet with an impossible date or time; not used");
        return;
      }
      const double days = std::chrono::sys_days(date).time_since_epoch().count();
      time_s_ = days * 86400.0 + hh * 3600.0 + mi * 60.0 + ss + ms * 1e-3;
      has_time_ = true;
      time_mode_ = true;
      return;
    }
    if (type == kAcc) {
      for (int a = 0; a < 3; ++a) acc_[a] = i16(p + 2 + 2 * a);
      has_acc_ = true;
    } else if (type == kGyr) {
      for (int a = 0; a < 3; ++a) gyr_[a] = i16(p + 2 + 2 * a);
      has_gyr_ = true;
    } else {
      return;
    }
    if (has_acc_ && (has_gyr_ || acc_only_) && !emitted_) {
      emitted_ = true;
      emit(out);
    }
  }

  void ble_frame(const std::uint8_t* p, std::vector<ImuSample>& out) {
    ++ble_frames_;
    end_cycle();
    have_last_type_ = false;
    cycle_open_ = true;
    for (int a = 0; a < 3; ++a) {
      acc_[a] = i16(p + 2 + 2 * a);
      gyr_[a] = i16(p + 8 + 2 * a);
    }
    emitted_ = true;
    emit(out);
    end_cycle();
  }

  // A complete cycle waits here until the clock is decided: whether the board sends time packets (one within the
  // first 3 cycles), and at what rate (10 timed cycles), unless the rate was declared.
  struct Held {
    std::uint64_t cycle = 0;
    bool has_time = false;
    double time_s = 0.0;
    std::array<std::int16_t, 3> acc{}, gyr{};
  };

  void emit(std::vector<ImuSample>& out) {
    // Time packets that begin after samples went out without them are not used (the clock stays the rate's).
    const bool timed = has_time_ && !untimed_placed_;
    Held h{cycle_, timed, time_s_, acc_, gyr_};
    if (timed) {
      last_emitted_time_ = time_s_;
      last_emitted_time_cycle_ = cycle_;
      if (!have_first_time_) {
        have_first_time_ = true;
        first_time_ = time_s_;
        first_time_cycle_ = cycle_;
      } else if (cycle_ >= first_time_cycle_ + 10 && time_s_ > first_time_) {
        rate_estimated_ = true;
        if (declared_hz_ <= 0)
          meta_.rate_hz = snap_rate(static_cast<double>(cycle_ - first_time_cycle_) / (time_s_ - first_time_));
      }
    }
    ++samples_out_;
    held_.push_back(h);
    release(out, false);
  }

  void release(std::vector<ImuSample>& out, bool final) {
    if (held_.empty()) return;
    if (!final) {
      const bool untimed = !have_first_time_ && held_.back().cycle >= held_.front().cycle + 3;
      const bool decided = have_first_time_ ? (declared_hz_ > 0 || rate_estimated_) : (untimed || declared_hz_ > 0);
      if (!decided) return;
    }
    if (have_first_time_ && !rate_estimated_ && declared_hz_ <= 0 && last_emitted_time_cycle_ > first_time_cycle_ &&
        last_emitted_time_ > first_time_)
      meta_.rate_hz = snap_rate(static_cast<double>(last_emitted_time_cycle_ - first_time_cycle_) /
                                (last_emitted_time_ - first_time_));
    for (const auto& h : held_) place(h, out);
    held_.clear();
  }

  void place(const Held& h, std::vector<ImuSample>& out) {
    const double dt = 1.0 / meta_.rate_hz;
    double dev = 0.0;
    if (!have_first_time_) {
      dev = static_cast<double>(h.cycle) * dt;
      untimed_placed_ = true;
    } else if (h.has_time) {
      dev = last_time_ = h.time_s;
      last_time_cycle_ = h.cycle;
      placed_time_ = true;
    } else if (placed_time_) {
      dev = last_time_ + static_cast<double>(h.cycle - last_time_cycle_) * dt;
    } else {  // before the first time packet
      dev = first_time_ - static_cast<double>(first_time_cycle_ - h.cycle) * dt;
    }
    ImuSample s;
    if (!timeline_.place(dev, dt, false, s.t_s)) return;
    const double ka = kWitmotionAccRangeG / 32768.0 * kG, kw = kWitmotionGyrRangeDps / 32768.0 * kDegToRad;
    for (int a = 0; a < 3; ++a) {
      const auto k = static_cast<std::size_t>(a);
      s.acc_mps2[a] = h.acc[k] * ka;
      s.gyr_rad_s[a] = acc_only_ ? std::numeric_limits<double>::quiet_NaN() : h.gyr[k] * kw;
      if (h.acc[k] == 32767 || h.acc[k] == -32768) s.clipped |= static_cast<std::uint8_t>(kClipAccX << a);
      if (h.gyr[k] == 32767 || h.gyr[k] == -32768) s.clipped |= static_cast<std::uint8_t>(kClipGyrX << a);
    }
    out.push_back(s);
    ++st_.samples;
  }

  double declared_hz_ = 0.0;
  bool acc_only_ = false;          // the board outputs no 0x52 packets: samples carry NaN angular rates
  std::vector<std::uint8_t> buf_;
  std::uint64_t buf_off_ = 0;     // stream offset of buf_[0]
  std::size_t pos_ = 0;           // in buf_ while processing
  std::uint64_t garbage_start_ = 0, garbage_len_ = 0;
  bool absorb_ = false;           // after a checksum failure, until the next good packet
  std::size_t absorb_index_ = SIZE_MAX;
  bool in_sync_ = false;          // buf_[pos_] is where the packet after the last good one was due
  bool have_last_type_ = false;
  std::uint8_t last_type_ = 0;
  bool cycle_open_ = false, emitted_ = false, has_acc_ = false, has_gyr_ = false, has_time_ = false;
  std::array<std::int16_t, 3> acc_{}, gyr_{};
  double time_s_ = 0.0;
  std::uint64_t cycle_ = 0;       // output cycles since the first sample
  std::uint64_t samples_out_ = 0;
  bool time_mode_ = false, have_first_time_ = false, rate_estimated_ = false, placed_time_ = false;
  bool untimed_placed_ = false;
  double first_time_ = 0.0, last_time_ = 0.0, last_emitted_time_ = 0.0;
  std::uint64_t first_time_cycle_ = 0, last_time_cycle_ = 0, last_emitted_time_cycle_ = 0;
  std::vector<Held> held_;
  std::vector<ImuSample> after_break_;
  std::uint64_t serial_packets_ = 0, ble_frames_ = 0;
  Timeline timeline_;
  RecordingMeta meta_;
  mutable DecoderStats st_;
};

}  // namespace

std::unique_ptr<Decoder> make_witmotion_decoder(double rate_hz, bool acc_only) {
  return std::make_unique<WitmotionDecoder>(rate_hz, acc_only);
}

}  // namespace stride::wire
