#include "stream_decoder.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <system_error>

#include "clock_guard.hpp"
#include "columns.hpp"
#include "native_format.hpp"
#include "stride/utf8.hpp"
#include "unit_detection.hpp"
#include "wire_format.hpp"
#include "witmotion_decoder.hpp"

namespace stride::wire {

namespace {

constexpr double kG = 9.80665;
constexpr double kDegToRad = std::numbers::pi / 180.0;

void add_bad(DecoderStats& st, std::uint64_t offset, std::uint64_t bytes, std::string what) {
  if (st.bad.size() < kMaxBadSpans) st.bad.push_back({offset, bytes, std::move(what)});
}

std::string hex16(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%04x", v & 0xFFFFu);
  return b;
}

std::string number(double v) {
  if (std::isnan(v)) return "none";
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

// Appends what a break (discontinuity) settled, before anything newer.
void take_held(std::vector<ImuSample>& held, std::vector<ImuSample>& out) {
  if (held.empty()) return;
  out.insert(out.end(), held.begin(), held.end());
  held.clear();
}

using io::detail::ClockGuard;
using io::detail::ClockGuardSettings;
using io::detail::Verdict;

}  // namespace

std::string_view to_string(Format f) {
  switch (f) {
    case Format::text: return "text";
    case Format::binary: return "binary";
    case Format::witmotion: return "witmotion";
    default: return "auto";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Timeline

bool Timeline::place(double device_s, double nominal_dt_s, bool device_reset, double& t_s) {
  if (!started_) {
    started_ = true;
    offset_s_ = -device_s;
    last_t_ = 0.0;
    pending_ = false;
    t_s = 0.0;
    return true;
  }
  double t = device_s + offset_s_;
  const double step = nominal_dt_s > 0 ? nominal_dt_s : 0.0;
  if (pending_) {
    pending_ = false;
    const bool clock_continued = !device_reset && t > last_t_ && t - last_t_ <= host_gap_s_ + 2.0;
    if (!clock_continued) {
      t = last_t_ + std::max(host_gap_s_, step);
      offset_s_ = t - device_s;
      ++resets_;
    }
  } else if (device_reset || t < last_t_) {
    t = last_t_ + step;
    offset_s_ = t - device_s;
    ++resets_;
  } else if (t == last_t_) {
    ++duplicates_;
    return false;
  }
  if (step > 0 && t - last_t_ > 1.5 * step) gaps_.push_back({last_t_, t, missing_samples(t - last_t_, step)});
  last_t_ = t;
  t_s = t;
  return true;
}

void Timeline::discontinuity(double host_gap_s) {
  if (!started_) return;
  pending_ = true;
  host_gap_s_ = std::max(0.0, host_gap_s);
}

DropoutSummary summarize(const std::vector<Gap>& gaps) {
  DropoutSummary d;
  for (const auto& g : gaps) {
    const double len = g.end_s - g.start_s;
    ++d.count;
    d.total_s += len;
    d.longest_s = std::max(d.longest_s, len);
    d.missing_samples += g.missing_samples;
  }
  return d;
}

std::string to_string(const DropoutSummary& d) {
  if (d.count == 0) return "dropouts: none";
  char b[160];
  std::snprintf(b, sizeof b, "dropouts: %zu, total %.3f s, longest %.3f s, ~%zu samples missing", d.count, d.total_s,
                d.longest_s, d.missing_samples);
  return b;
}

// ---------------------------------------------------------------------------------------------------------------
// Binary

namespace {

// A sample frame between decoding and placing: held for reordering (SequenceReorder) and by the clock guard.
struct Frame {
  std::uint16_t seq = 0;
  double seqpos = 0.0;           // the sequence number unwrapped
  double slot = 0.0;             // the position of its first sample (frames may carry different counts)
  std::uint32_t t0_us = 0;
  std::uint32_t period_ns = 0;
  std::uint16_t acc_range = 0, gyr_range = 0;
  std::uint8_t count = 0;
  std::uint64_t offset = 0, bytes = 0;
  std::array<std::uint8_t, kMaxBatch * kSampleBytes> data{};
};

ClockGuardSettings binary_guard() {
  ClockGuardSettings g;
  g.sequenced = true;     // slots: sample positions from the sequence numbers and the frames' sample counts
  g.wrap = 4294967296.0;  // t0_us: a 32-bit microsecond counter
  g.confirm = 3;
  g.window = 8;
  return g;
}

class BinaryDecoder final : public Decoder {
 public:
  void feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) override {
    take_held(held_out_, out);
    for (const std::uint8_t b : bytes) {
      ++st_.bytes;
      if (b == 0) {
        if (overflow_) {
          ++st_.bad_frames;
          add_bad(st_, frame_start_, st_.bytes - 1 - frame_start_,
                  "no frame delimiter within " + std::to_string(kMaxFrameOnWire) + " bytes");
        } else if (len_ > 0) {
          frame(out);
        }
        len_ = 0;
        overflow_ = false;
        frame_start_ = st_.bytes;  // the byte after this delimiter
        continue;
      }
      if (len_ < buf_.size()) buf_[len_++] = b;
      else overflow_ = true;
    }
  }

  void discontinuity(double host_gap_s) override {
    // What waits to be reordered or confirmed is decided now: nothing after the break belongs with it. Its samples
    // come out with the next feed() or finish().
    settle(held_out_, true);
    timeline_.discontinuity(host_gap_s);
    guard_.rule().forget_anchor();
    len_ = 0;  // a half frame from before the break cannot be completed by what comes after it
    overflow_ = false;
    frame_start_ = st_.bytes;
  }
  void finish(std::vector<ImuSample>& out) override {
    take_held(held_out_, out);
    settle(out, true);
  }
  const DecoderStats& stats() const override {
    st_.device_resets = timeline_.resets();
    st_.duplicate_stamps = timeline_.duplicates();
    st_.reordered_frames = reorder_.counts().reordered;
    return st_;
  }
  const RecordingMeta& meta() const override { return meta_; }
  const std::vector<Gap>& gaps() const override { return timeline_.gaps(); }
  std::string describe() const override {
    return st_.frames ? "binary frames v" + std::to_string(kVersion) + " (COBS, CRC-16/CCITT-FALSE)" : "";
  }
  std::uint64_t recognised() const override { return st_.frames; }

 private:
  void bad(std::string what) {
    ++st_.bad_frames;
    add_bad(st_, frame_start_, len_, std::move(what));
  }

  void frame(std::vector<ImuSample>& out) {
    std::uint8_t p[kMaxFrameOnWire];
    const std::size_t n = cobs_decode(buf_.data(), len_, p);
    if (n == SIZE_MAX) return bad("COBS decoding failed");
    if (n < kPrefixBytes + kCrcBytes) return bad("frame too short (" + std::to_string(n) + " bytes)");
    const std::uint16_t want = get_u16(p + n - kCrcBytes);
    const std::uint16_t got = crc16_ccitt_false(p, n - kCrcBytes);
    if (want != got) {
      ++st_.crc_failures;
      add_bad(st_, frame_start_, len_, "CRC mismatch (frame says " + hex16(want) + ", computed " + hex16(got) + ")");
      return;
    }
    const std::size_t m = n - kCrcBytes;
    if (p[0] != kVersion) return bad("protocol version " + std::to_string(p[0]) + ", expected " + std::to_string(kVersion));
    const auto type = static_cast<MsgType>(p[1]);
    if (type == MsgType::samples) return samples(p, m, out);
    if (type == MsgType::device_info) return info(p, m);
    bad("unknown message type " + std::to_string(p[1]));
  }

  void info(const std::uint8_t* p, std::size_t m) {
    if (m < 17 + 3) return bad("device info too short (" + std::to_string(m) + " bytes)");
    std::size_t at = 17;
    std::string s[3];
    for (auto& str : s) {
      if (at >= m || at + 1 + p[at] > m) return bad("device info: string runs past the frame");
      str.assign(reinterpret_cast<const char*>(p + at + 1), p[at]);
      at += 1 + p[at];
    }
    ++st_.frames;
    meta_.board = s[0];
    meta_.sensor = s[1];
    meta_.extra["firmware"] = s[2];
    meta_.extra["firmware_version"] = std::to_string(p[6]) + "." + std::to_string(p[7]) + "." + std::to_string(p[8]);
    meta_.extra["device_id"] = std::to_string(get_u16(p + 2));
    if (const auto mhz = get_u32(p + 9); mhz > 0) {
      meta_.rate_hz = mhz / 1000.0;
      period_.declare(1000.0 / mhz);
    }
    meta_.acc_range_g = get_u16(p + 13);
    meta_.gyr_range_dps = get_u16(p + 15);
  }

  void samples(const std::uint8_t* p, std::size_t m, std::vector<ImuSample>& out) {
    if (m < kPrefixBytes + kSampleHeaderBytes) return bad("sample frame too short (" + std::to_string(m) + " bytes)");
    const std::size_t count = p[18];
    if (count == 0 || count > kMaxBatch) return bad("sample count " + std::to_string(count));
    if (m != kPrefixBytes + kSampleHeaderBytes + count * kSampleBytes)
      return bad("sample frame of " + std::to_string(m) + " bytes for " + std::to_string(count) + " samples");
    Frame f;
    f.seq = get_u16(p + 4);
    f.t0_us = get_u32(p + 6);
    f.period_ns = get_u32(p + 10);
    f.acc_range = get_u16(p + 14);
    f.gyr_range = get_u16(p + 16);
    f.count = static_cast<std::uint8_t>(count);
    f.offset = frame_start_;
    f.bytes = len_;
    if (f.acc_range == 0 || f.gyr_range == 0) return bad("sample frame with zero range");
    if (f.period_ns == 0) return bad("sample frame with zero period");
    if (const auto why = period_.check(f.period_ns * 1e-9); !why.empty())
      return bad("sample frame " + std::to_string(f.seq) + ": " + why);
    ++st_.frames;
    std::copy(p + kPrefixBytes + kSampleHeaderBytes, p + m, f.data.begin());
    const std::uint32_t t0 = f.t0_us;
    const auto arrival = reorder_.push(f.seq, t0, std::move(f), released_);
    using Arrival = io::detail::SequenceReorder<Frame>::Arrival;
    if (arrival == Arrival::duplicate) {
      ++st_.duplicate_frames;
    } else if (arrival == Arrival::late) {
      ++st_.late_frames;
      ++st_.bad_frames;
      add_bad(st_, frame_start_, len_, "sample frame " + std::to_string(get_u16(p + 4)) +
                                           " arrived after the frames that follow it were out; dropped");
    }
    settle(out, false);
  }

  // Frames in sequence order -> the clock guard -> samples on the time line. final: nothing more is coming (the
  // end, or a break): what waits is released and decided.
  void settle(std::vector<ImuSample>& out, bool final) {
    if (final) reorder_.flush(released_);
    for (auto& [seq, f] : released_) {
      // Positions in samples: the frames in between (lost ones too) are taken to be as long as the previous one.
      const double ds = have_slot_ ? static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - last_seq_)) : 0.0;
      seqpos_ += ds;
      slot_ += ds * last_count_;
      have_slot_ = true;
      last_seq_ = seq;
      last_count_ = f.count;
      f.seqpos = seqpos_;
      f.slot = slot_;
      guard_.rule().set_nominal_step(f.period_ns * 1e-3);  // us per sample, until the stamps tell the real one
      guard_.push(f.t0_us, f.slot, std::move(f));
      drain(out, false);
    }
    released_.clear();
    if (final) drain(out, true);
  }

  void drain(std::vector<ImuSample>& out, bool final) {
    ClockGuard<Frame>::Out o;
    while (guard_.pop(o, final)) place(o, out);
  }

  void place(const ClockGuard<Frame>::Out& o, std::vector<ImuSample>& out) {
    const Frame& f = o.item;
    if (o.d.verdict == Verdict::duplicate) {
      ++st_.duplicate_frames;
      return;
    }
    if (o.d.verdict == Verdict::outlier) {
      ++st_.outlier_stamps;
      add_bad(st_, f.offset, f.bytes,
              "sample frame " + std::to_string(f.seq) + ": t0 " + std::to_string(f.t0_us) +
                  " us disagrees with the frames around it (last kept " + number(o.d.anchor) + " us, next " +
                  number(o.d.next) + " us) and with the rate; dropped");
      return;
    }
    const bool restart = o.d.verdict == Verdict::restart;
    // Frames lost: counted while the device runs on (also across a reconnect); a restarted device starts afresh.
    if (have_kept_ && !restart && f.seqpos - kept_seqpos_ > 1)
      st_.lost_frames += static_cast<std::uint64_t>(f.seqpos - kept_seqpos_ - 1);
    have_kept_ = true;
    kept_seqpos_ = f.seqpos;
    const double dt = f.period_ns * 1e-9;
    meta_.acc_range_g = f.acc_range;
    meta_.gyr_range_dps = f.gyr_range;
    if (meta_.rate_hz <= 0) meta_.rate_hz = 1e9 / f.period_ns;
    const double ka = f.acc_range / 32768.0 * kG, kw = f.gyr_range / 32768.0 * kDegToRad;
    const std::uint8_t* s = f.data.data();
    for (std::size_t i = 0; i < f.count; ++i, s += kSampleBytes) {
      ImuSample x;
      const double dev_s = o.d.t * 1e-6 + static_cast<double>(i) * dt;
      if (!timeline_.place(dev_s, dt, restart && i == 0, x.t_s)) continue;
      for (int a = 0; a < 3; ++a) {
        const std::int16_t ra = get_i16(s + 2 * a), rg = get_i16(s + 6 + 2 * a);
        x.acc_mps2[a] = ra * ka;
        x.gyr_rad_s[a] = rg * kw;
        if (ra == 32767 || ra == -32768) x.clipped |= static_cast<std::uint8_t>(kClipAccX << a);
        if (rg == 32767 || rg == -32768) x.clipped |= static_cast<std::uint8_t>(kClipGyrX << a);
      }
      out.push_back(x);
      ++st_.samples;
    }
  }

  std::vector<std::uint8_t> buf_ = std::vector<std::uint8_t>(kMaxFrameOnWire);
  std::size_t len_ = 0;
  bool overflow_ = false;
  std::uint64_t frame_start_ = 0;
  io::detail::PeriodCheck period_;
  io::detail::SequenceReorder<Frame> reorder_{8};
  std::vector<std::pair<std::uint16_t, Frame>> released_;
  ClockGuard<Frame> guard_{binary_guard()};
  bool have_slot_ = false;
  std::uint16_t last_seq_ = 0;
  double seqpos_ = 0.0, slot_ = 0.0;
  double last_count_ = 0.0;
  bool have_kept_ = false;
  double kept_seqpos_ = 0.0;
  std::vector<ImuSample> held_out_;  // settled at a break, handed out with the next feed() or finish()
  Timeline timeline_;
  RecordingMeta meta_;
  mutable DecoderStats st_;
};

// ---------------------------------------------------------------------------------------------------------------
// Text

using io::detail::RawRow;
using io::detail::Role;
using io::detail::Unit;

constexpr std::size_t kMaxLine = 512;

ClockGuardSettings text_guard() {
  ClockGuardSettings g;
  g.wrap = 4294967296.0;  // a 32-bit millisecond or microsecond counter
  g.confirm = 5;          // a stuck bit can fake a few consistent stamps; a restart is followed by many
  g.window = 16;
  g.jump_steps = 10.0;
  return g;
}

Unit unit_option(const std::string& s) {
  return s == "auto" ? Unit::none : io::detail::parse_unit(s);
}

class TextDecoder final : public Decoder {
 public:
  explicit TextDecoder(TextOptions o) : opt_(std::move(o)) {
    time_unit_ = unit_option(opt_.time_unit);
    acc_unit_ = unit_option(opt_.acc_unit);
    gyr_unit_ = unit_option(opt_.gyr_unit);
    if (opt_.time_unit == "none") no_time_ = true;
    if (time_unit_ != Unit::none) time_reason_ = "option";
    if (acc_unit_ != Unit::none) acc_reason_ = "option";
    if (gyr_unit_ != Unit::none) gyr_reason_ = "option";
    if (opt_.rate_hz > 0) meta_.rate_hz = opt_.rate_hz;
  }

  void feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) override {
    take_held(held_out_, out);
    for (const std::uint8_t b : bytes) {
      ++st_.bytes;
      if (b == '\n') {
        if (too_long_) {
          ++st_.bad_lines;
          add_bad(st_, line_start_, st_.bytes - line_start_,
                  "line " + std::to_string(line_no_ + 1) + ": longer than " + std::to_string(kMaxLine) + " bytes");
        } else {
          line(out);
        }
        ++line_no_;
        line_.clear();
        too_long_ = false;
        line_start_ = st_.bytes;
        continue;
      }
      if (line_.size() < kMaxLine) line_.push_back(static_cast<char>(b));
      else too_long_ = true;
    }
  }

  void discontinuity(double host_gap_s) override {
    drain(held_out_, true);  // the rows before the break are decided with what came before it
    timeline_.discontinuity(host_gap_s);
    guard_.rule().forget_anchor();
    line_.clear();  // the half line before the break is not completed by what follows
    too_long_ = false;
    line_start_ = st_.bytes;
  }

  void finish(std::vector<ImuSample>& out) override {
    take_held(held_out_, out);
    if (!lookahead_.empty()) decide_and_flush(out);
    drain(out, true);
  }

  const DecoderStats& stats() const override {
    st_.device_resets = timeline_.resets();
    return st_;
  }
  const RecordingMeta& meta() const override { return meta_; }
  const std::vector<Gap>& gaps() const override { return timeline_.gaps(); }
  std::string describe() const override {
    if (!decided_) return "";
    std::string s = "text lines; time: ";
    s += no_time_ ? "none (rate " + io::detail::format_number(meta_.rate_hz, 3) + " Hz)"
                  : std::string(io::detail::unit_name(time_unit_)) + " (" + time_reason_ + ")";
    s += "; acc: " + std::string(io::detail::unit_name(acc_unit_)) + " (" + acc_reason_ + ")";
    s += "; gyr: " + std::string(io::detail::unit_name(gyr_unit_)) + " (" + gyr_reason_ + ")";
    return s;
  }
  std::uint64_t recognised() const override { return data_lines_; }

 private:
  void bad_line(std::string what) {
    ++st_.bad_lines;
    add_bad(st_, line_start_, line_.size() + 1, "line " + std::to_string(line_no_ + 1) + ": " + what);
  }

  void line(std::vector<ImuSample>& out) {
    std::string_view l(line_);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    for (const char c : l) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u >= 0x7F) return bad_line("non-text bytes (wrong baud rate, or a binary stream? WitMotion boards: --format witmotion)");
    }
    l = io::detail::trim(l);
    if (l.empty()) return;
    if (l.front() == '#') {
      std::string_view body = l.substr(1);
      if (io::detail::apply_meta_line(body, meta_)) {
        declared_units_from_meta();
        if (opt_.rate_hz > 0) meta_.rate_hz = opt_.rate_hz;
      }
      ++st_.lines;
      return;
    }
    const char d = io::detail::detect_delimiter(l);
    io::detail::split_cells(l, d, cells_);
    const auto first = static_cast<unsigned char>(cells_[0].empty() ? ' ' : cells_[0][0]);
    const bool looks_numeric = std::isdigit(first) || first == '-' || first == '+' || first == '.';
    if (!looks_numeric) return header(l);
    row(out);
  }

  void declared_units_from_meta() {
    auto take = [&](const char* key, int group, Unit& unit, std::string& reason) {
      const auto it = meta_.extra.find(key);
      if (it == meta_.extra.end() || reason == "option") return;
      if (const Unit u = io::detail::parse_unit(it->second); io::detail::unit_group(u) == group) {
        unit = u;
        reason = std::string("declared in '# ") + key + ": " + it->second + "'";
      }
    };
    take("time_unit", 0, time_unit_, time_reason_);
    take("acc_unit", 1, acc_unit_, acc_reason_);
    take("gyr_unit", 2, gyr_unit_, gyr_reason_);
  }

  void header(std::string_view l) {
    std::vector<Role> roles;
    std::vector<Unit> units;
    int acc = 0, gyr = 0;
    for (auto c : cells_) {
      const auto r = io::detail::recognise_column(c);
      roles.push_back(r.role);
      units.push_back(r.unit);
      acc += io::detail::is_acc(r.role);
      gyr += io::detail::is_gyr(r.role);
    }
    if (acc != 3 || gyr != 3)
      return bad_line("not a header with 3 accelerometer and 3 gyroscope columns: '" + utf8::excerpt(l, 60) + "'");
    ++st_.lines;
    roles_ = std::move(roles);
    have_header_ = true;
    time_col_ = -1;
    for (std::size_t i = 0; i < roles_.size(); ++i) {
      const Role r = roles_[i];
      const Unit u = units[i];
      const std::string why = "declared in header '" + std::string(cells_[i]) + "'";
      if (r == Role::time) {
        time_col_ = static_cast<int>(i);
        if (io::detail::unit_group(u) == 0 && time_reason_ != "option") time_unit_ = u, time_reason_ = why;
      } else if (io::detail::is_acc(r)) {
        col_[io::detail::axis_of(r)] = static_cast<int>(i);
        if (io::detail::unit_group(u) == 1 && acc_reason_ != "option") acc_unit_ = u, acc_reason_ = why;
      } else if (io::detail::is_gyr(r)) {
        col_[3 + io::detail::axis_of(r)] = static_cast<int>(i);
        if (io::detail::unit_group(u) == 2 && gyr_reason_ != "option") gyr_unit_ = u, gyr_reason_ = why;
      }
    }
    if (time_col_ < 0 && opt_.time_unit == "auto") no_time_ = true;
  }

  void row(std::vector<ImuSample>& out) {
    if (!have_header_) {
      // Without a header: 7 numbers = time + acc + gyr, 6 = acc + gyr (needs a rate).
      if (cells_.size() != 7 && cells_.size() != 6)
        return bad_line(std::to_string(cells_.size()) + " cells and no header line: expected 7 (time, acc x y z, "
                        "gyr x y z) or 6 (acc, gyr)");
      time_col_ = cells_.size() == 7 ? 0 : -1;
      for (int a = 0; a < 6; ++a) col_[a] = a + (time_col_ == 0 ? 1 : 0);
      if (time_col_ < 0) no_time_ = true;
      roles_.assign(cells_.size(), Role::none);
      have_header_ = true;  // a layout by position; a later header line still replaces it
    } else if (cells_.size() != roles_.size()) {
      return bad_line(std::to_string(cells_.size()) + " cells, expected " + std::to_string(roles_.size()));
    }
    RawRow r;
    double t = 0;
    auto num = [&](int col, double& v) {
      const auto c = cells_[static_cast<std::size_t>(col)];
      const auto res = std::from_chars(c.data(), c.data() + c.size(), v);
      return res.ec == std::errc() && res.ptr == c.data() + c.size() && std::isfinite(v);
    };
    for (int a = 0; a < 6; ++a) {
      double v = 0;
      if (!num(col_[a], v))
        return bad_line("cell " + std::to_string(col_[a] + 1) + " '" +
                        utf8::excerpt(cells_[static_cast<std::size_t>(col_[a])], 20) + "' is not a number");
      (a < 3 ? r.acc[a] : r.gyr[a - 3]) = v;
    }
    if (time_col_ >= 0 && !no_time_) {
      // As the device printed it: a wrapping counter is unwrapped, and a stamp that disagrees with its neighbours
      // dropped, by the clock guard when the row is placed (emit).
      if (!num(time_col_, t)) return bad_line("time cell is not a number");
    } else {
      t = static_cast<double>(row_index_);
    }
    ++row_index_;
    ++st_.lines;
    ++data_lines_;
    r.t = t;
    r.line = line_no_ + 1;
    const Held held{r, static_cast<double>(row_index_), line_start_, line_.size() + 1};
    if (!decided_) {
      lookahead_.push_back(held);
      // Everything declared (units, and the rate or a time column to measure it from a few rows): no need to
      // hold rows back for detection, which keeps the live latency (and what a crash can lose) small.
      const bool declared = acc_unit_ != Unit::none && gyr_unit_ != Unit::none &&
                            (no_time_ ? meta_.rate_hz > 0 : time_unit_ != Unit::none) &&
                            (meta_.rate_hz > 0 || lookahead_.size() >= 8);
      if (declared || lookahead_.size() >= opt_.lookahead_rows) decide_and_flush(out);
      return;
    }
    emit(held, out);
  }

  void decide_and_flush(std::vector<ImuSample>& out) {
    std::vector<RawRow> rows;
    for (const auto& x : lookahead_) rows.push_back(x.row);
    if (!no_time_ && time_unit_ == Unit::none) {
      const auto c = io::detail::detect_time_unit(rows);
      time_unit_ = c.unit == Unit::none ? Unit::s : c.unit;
      time_reason_ = c.reason;
    }
    if (acc_unit_ == Unit::none || gyr_unit_ == Unit::none) {
      const auto rest = io::detail::rest_stats(rows, std::max<std::size_t>(5, rows.size() / 2));
      if (acc_unit_ == Unit::none) {
        const auto c = io::detail::detect_acc_unit(rest);
        acc_unit_ = c.unit == Unit::none ? Unit::g : c.unit;
        acc_reason_ = c.reason;
      }
      if (gyr_unit_ == Unit::none) {
        const auto c = io::detail::detect_gyr_unit(rest);
        gyr_unit_ = c.unit == Unit::none ? Unit::dps : c.unit;
        gyr_reason_ = c.reason;
      }
    }
    if (meta_.rate_hz <= 0 && !no_time_) {
      std::vector<double> steps;
      for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i].t > rows[i - 1].t) steps.push_back(rows[i].t - rows[i - 1].t);
      if (!steps.empty()) {
        std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2), steps.end());
        meta_.rate_hz = 1.0 / (steps[steps.size() / 2] * io::detail::to_si(time_unit_));
      }
    }
    if (no_time_ && meta_.rate_hz <= 0) {
      meta_.rate_hz = 100.0;
      time_reason_ = "no time column and no rate declared: assumed 100 Hz";
    }
    decided_ = true;
    if (!no_time_ && meta_.rate_hz > 0)
      guard_.rule().set_nominal_step(1.0 / (meta_.rate_hz * io::detail::to_si(time_unit_)));
    for (const auto& x : lookahead_) emit(x, out);
    lookahead_.clear();
  }

  struct Held {
    RawRow row;
    double slot = 0.0;         // data rows before it
    std::uint64_t offset = 0;  // of the line in the stream
    std::uint64_t bytes = 0;
  };

  // A decided row: stamps go through the clock guard first (rows without time are spaced by the rate).
  void emit(const Held& h, std::vector<ImuSample>& out) {
    if (no_time_) return place(h.row, h.row.t / (meta_.rate_hz > 0 ? meta_.rate_hz : 1.0), false, out);
    guard_.push(h.row.t, h.slot, h);
    drain(out, false);
  }

  void drain(std::vector<ImuSample>& out, bool final) {
    ClockGuard<Held>::Out o;
    while (guard_.pop(o, final)) {
      const Held& h = o.item;
      switch (o.d.verdict) {
        case Verdict::duplicate: ++st_.duplicate_stamps; break;
        case Verdict::outlier:
          ++st_.outlier_stamps;
          add_bad(st_, h.offset, h.bytes,
                  "line " + std::to_string(h.row.line) + ": time " + number(h.row.t) +
                      " disagrees with the lines around it (last kept " + number(o.d.anchor) + ", next " +
                      number(o.d.next) + ") and with the rate (a corrupt stamp?); dropped");
          break;
        default:
          place(h.row, o.d.t * io::detail::to_si(time_unit_), o.d.verdict == Verdict::restart, out);
      }
    }
  }

  void place(const RawRow& r, double dev_s, bool reset, std::vector<ImuSample>& out) {
    const double dt = meta_.rate_hz > 0 ? 1.0 / meta_.rate_hz : 0.0;
    ImuSample s;
    if (!timeline_.place(dev_s, dt, reset, s.t_s)) {
      ++st_.duplicate_stamps;
      return;
    }
    const double ka = io::detail::to_si(acc_unit_), kw = io::detail::to_si(gyr_unit_);
    for (int a = 0; a < 3; ++a) {
      s.acc_mps2[a] = r.acc[a] * ka;
      s.gyr_rad_s[a] = r.gyr[a] * kw;
      if (meta_.acc_range_g > 0 && std::abs(s.acc_mps2[a]) >= 0.999 * meta_.acc_range_g * kG)
        s.clipped |= static_cast<std::uint8_t>(kClipAccX << a);
      if (meta_.gyr_range_dps > 0 && std::abs(s.gyr_rad_s[a]) >= 0.999 * meta_.gyr_range_dps * kDegToRad)
        s.clipped |= static_cast<std::uint8_t>(kClipGyrX << a);
    }
    out.push_back(s);
    ++st_.samples;
  }

  TextOptions opt_;
  std::string line_;
  bool too_long_ = false;
  std::uint64_t line_start_ = 0;
  std::uint64_t line_no_ = 0;
  std::vector<std::string_view> cells_;
  std::vector<Role> roles_;
  bool have_header_ = false;
  int time_col_ = -1;
  int col_[6] = {0, 1, 2, 3, 4, 5};
  bool no_time_ = false;
  Unit time_unit_ = Unit::none, acc_unit_ = Unit::none, gyr_unit_ = Unit::none;
  std::string time_reason_, acc_reason_, gyr_reason_;
  bool decided_ = false;
  std::vector<Held> lookahead_;
  ClockGuard<Held> guard_{text_guard()};
  std::vector<ImuSample> held_out_;  // settled at a break, handed out with the next feed() or finish()
  std::uint64_t row_index_ = 0;
  std::uint64_t data_lines_ = 0;
  Timeline timeline_;
  RecordingMeta meta_;
  mutable DecoderStats st_;
};

}  // namespace

std::unique_ptr<Decoder> make_text_decoder(TextOptions options) {
  return std::make_unique<TextDecoder>(std::move(options));
}
std::unique_ptr<Decoder> make_binary_decoder() { return std::make_unique<BinaryDecoder>(); }

// ---------------------------------------------------------------------------------------------------------------
// StreamDecoder

namespace {
constexpr std::size_t index_of(Format f) { return static_cast<std::size_t>(f) - 1; }
constexpr Format format_at(std::size_t i) { return static_cast<Format>(i + 1); }
}  // namespace

StreamDecoder::StreamDecoder(Format format, TextOptions text) : format_(format) {
  const bool any = format == Format::auto_detect;
  if (any || format == Format::witmotion) dec_[index_of(Format::witmotion)] = make_witmotion_decoder(text.rate_hz);
  if (any || format == Format::binary) dec_[index_of(Format::binary)] = make_binary_decoder();
  if (any || format == Format::text) dec_[index_of(Format::text)] = make_text_decoder(std::move(text));
}

void StreamDecoder::feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) {
  if (format_ != Format::auto_detect) return dec_[index_of(format_)]->feed(bytes, out);
  std::uint64_t best = 0, second = 0;
  std::size_t pick = kKinds;
  for (std::size_t i = 0; i < kKinds; ++i) {
    dec_[i]->feed(bytes, held_[i]);
    const auto r = dec_[i]->recognised();
    if (r > best) {
      second = best;
      best = r;
      pick = i;
    } else if (r > second) {
      second = r;
    }
  }
  // One has 3 records and the others none; or it has 20 and ten times any other (a few chance matches of another
  // format, e.g. "UQ" + a checksum in text, do not hold the decision back for ever).
  if (pick == kKinds || best < 3 || (second > 0 && (best < 20 || best < 10 * second))) return;
  format_ = format_at(pick);
  out.insert(out.end(), held_[pick].begin(), held_[pick].end());
  for (std::size_t i = 0; i < kKinds; ++i) {
    if (i != pick) dec_[i].reset();
    held_[i] = {};
  }
}

void StreamDecoder::discontinuity(double host_gap_s) {
  for (auto& d : dec_)
    if (d) d->discontinuity(host_gap_s);
}

void StreamDecoder::finish(std::vector<ImuSample>& out) {
  if (format_ == Format::auto_detect) {
    // The stream ended before it was recognised: keep whichever recognised most (text on a tie).
    std::size_t pick = index_of(Format::text);
    for (std::size_t i = 0; i < kKinds; ++i)
      if (dec_[i]->recognised() > dec_[pick]->recognised()) pick = i;
    format_ = format_at(pick);
    dec_[pick]->finish(held_[pick]);
    out.insert(out.end(), held_[pick].begin(), held_[pick].end());
    for (auto& h : held_) h = {};
    return;
  }
  dec_[index_of(format_)]->finish(out);
}

const Decoder& StreamDecoder::leading() const {
  if (format_ != Format::auto_detect) return *dec_[index_of(format_)];
  std::size_t pick = index_of(Format::text);
  for (std::size_t i = 0; i < kKinds; ++i)
    if (dec_[i] && dec_[i]->recognised() > dec_[pick]->recognised()) pick = i;
  return *dec_[pick];
}

const DecoderStats& StreamDecoder::stats() const { return leading().stats(); }
const RecordingMeta& StreamDecoder::meta() const { return leading().meta(); }
const std::vector<Gap>& StreamDecoder::gaps() const { return leading().gaps(); }
std::string StreamDecoder::describe() const { return leading().describe(); }
std::uint64_t StreamDecoder::recognised() const { return leading().recognised(); }

}  // namespace stride::wire
