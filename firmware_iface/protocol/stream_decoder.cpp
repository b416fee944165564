#include "stream_decoder.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <system_error>

#include "columns.hpp"
#include "native_format.hpp"
#include "unit_detection.hpp"
#include "wire_format.hpp"

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

}  // namespace

std::string_view to_string(Format f) {
  switch (f) {
    case Format::text: return "text";
    case Format::binary: return "binary";
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
  if (step > 0 && t - last_t_ > 1.5 * step) {
    const double missing = std::round((t - last_t_) / step) - 1.0;
    gaps_.push_back({last_t_, t, static_cast<std::size_t>(std::max(missing, 1.0))});
  }
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

class BinaryDecoder final : public Decoder {
 public:
  void feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) override {
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
    timeline_.discontinuity(host_gap_s);
    len_ = 0;  // a half frame from before the break cannot be completed by what comes after it
    overflow_ = false;
    frame_start_ = st_.bytes;
  }
  void finish(std::vector<ImuSample>&) override {}
  const DecoderStats& stats() const override {
    st_.device_resets = timeline_.resets();
    st_.duplicate_stamps = timeline_.duplicates();
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
    if (const auto mhz = get_u32(p + 9); mhz > 0) meta_.rate_hz = mhz / 1000.0;
    meta_.acc_range_g = get_u16(p + 13);
    meta_.gyr_range_dps = get_u16(p + 15);
  }

  void samples(const std::uint8_t* p, std::size_t m, std::vector<ImuSample>& out) {
    if (m < kPrefixBytes + kSampleHeaderBytes) return bad("sample frame too short (" + std::to_string(m) + " bytes)");
    const std::size_t count = p[18];
    if (count == 0 || count > kMaxBatch) return bad("sample count " + std::to_string(count));
    if (m != kPrefixBytes + kSampleHeaderBytes + count * kSampleBytes)
      return bad("sample frame of " + std::to_string(m) + " bytes for " + std::to_string(count) + " samples");
    const std::uint16_t seq = get_u16(p + 4);
    const std::uint32_t t0 = get_u32(p + 6);
    const std::uint32_t period_ns = get_u32(p + 10);
    const double acc_range = get_u16(p + 14), gyr_range = get_u16(p + 16);
    if (period_ns == 0 || acc_range == 0 || gyr_range == 0) return bad("sample frame with zero period or range");
    ++st_.frames;
    // Sequence: lost frames; clock: unwrap the 32-bit microsecond counter, a step backwards is a restart.
    bool reset = false;
    if (!have_t_) {
      ext_us_ = t0;
      have_t_ = true;
    } else {
      const auto delta = static_cast<std::int32_t>(t0 - last_t0_);
      if (delta < 0) {
        reset = true;  // re-anchored by the timeline
      } else {
        ext_us_ += static_cast<std::uint32_t>(delta);
      }
    }
    last_t0_ = t0;
    // Frames lost: counted while the device runs on (also across a reconnect); a restarted device starts afresh.
    if (have_seq_ && !reset) st_.lost_frames += static_cast<std::uint16_t>(seq - expect_seq_);
    have_seq_ = true;
    expect_seq_ = static_cast<std::uint16_t>(seq + 1);
    const double dt = period_ns * 1e-9;
    meta_.acc_range_g = acc_range;
    meta_.gyr_range_dps = gyr_range;
    if (meta_.rate_hz <= 0) meta_.rate_hz = 1e9 / period_ns;
    const double ka = acc_range / 32768.0 * kG, kw = gyr_range / 32768.0 * kDegToRad;
    const std::uint8_t* s = p + kPrefixBytes + kSampleHeaderBytes;
    for (std::size_t i = 0; i < count; ++i, s += kSampleBytes) {
      ImuSample x;
      const double dev_s = static_cast<double>(ext_us_) * 1e-6 + static_cast<double>(i) * dt;
      if (!timeline_.place(dev_s, dt, reset && i == 0, x.t_s)) continue;
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
  bool have_seq_ = false;
  std::uint16_t expect_seq_ = 0;
  bool have_t_ = false;
  std::uint32_t last_t0_ = 0;
  std::uint64_t ext_us_ = 0;
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
    timeline_.discontinuity(host_gap_s);
    line_.clear();  // the half line before the break is not completed by what follows
    too_long_ = false;
    line_start_ = st_.bytes;
    have_prev_ = false;
  }

  void finish(std::vector<ImuSample>& out) override {
    if (!lookahead_.empty()) decide_and_flush(out);
  }

  const DecoderStats& stats() const override {
    st_.device_resets = timeline_.resets();
    st_.duplicate_stamps = timeline_.duplicates();
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
      if ((u < 0x20 && c != '\t') || u >= 0x7F) return bad_line("non-text bytes (wrong baud rate, or a binary stream?)");
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
    auto take = [&](const char* key, Unit& unit, std::string& reason) {
      const auto it = meta_.extra.find(key);
      if (it == meta_.extra.end() || reason == "option") return;
      if (const Unit u = io::detail::parse_unit(it->second); u != Unit::none) {
        unit = u;
        reason = std::string("declared in '# ") + key + ": " + it->second + "'";
      }
    };
    take("time_unit", time_unit_, time_reason_);
    take("acc_unit", acc_unit_, acc_reason_);
    take("gyr_unit", gyr_unit_, gyr_reason_);
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
    if (acc != 3 || gyr != 3) return bad_line("not a header with 3 accelerometer and 3 gyroscope columns: '" +
                                              std::string(l.substr(0, 60)) + "'");
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
        if (u != Unit::none && time_reason_ != "option") time_unit_ = u, time_reason_ = why;
      } else if (io::detail::is_acc(r)) {
        col_[io::detail::axis_of(r)] = static_cast<int>(i);
        if (u != Unit::none && acc_reason_ != "option") acc_unit_ = u, acc_reason_ = why;
      } else if (io::detail::is_gyr(r)) {
        col_[3 + io::detail::axis_of(r)] = static_cast<int>(i);
        if (u != Unit::none && gyr_reason_ != "option") gyr_unit_ = u, gyr_reason_ = why;
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
      if (!num(col_[a], v)) return bad_line("cell " + std::to_string(col_[a] + 1) + " '" +
                                            std::string(cells_[static_cast<std::size_t>(col_[a])].substr(0, 20)) +
                                            "' is not a number");
      (a < 3 ? r.acc[a] : r.gyr[a - 3]) = v;
    }
    if (time_col_ >= 0 && !no_time_) {
      if (!num(time_col_, t)) return bad_line("time cell is not a number");
      const auto tc = cells_[static_cast<std::size_t>(time_col_)];
      const bool integer = tc.find_first_of(".eE") == std::string_view::npos && t >= 0;
      // A 32-bit counter that wrapped: a large step back from the upper half of the range.
      if (integer && have_prev_ && t < prev_raw_t_ && prev_raw_t_ - t > 2147483648.0 && prev_raw_t_ < 4294967296.0)
        wrap_offset_ += 4294967296.0;
      reset_pending_ |= have_prev_ && t + wrap_offset_ < prev_raw_t_ + wrap_offset_prev_;
      prev_raw_t_ = t;
      wrap_offset_prev_ = wrap_offset_;
      have_prev_ = true;
      t += wrap_offset_;
    } else {
      t = static_cast<double>(row_index_);
    }
    ++row_index_;
    ++st_.lines;
    ++data_lines_;
    r.t = t;
    r.line = line_no_ + 1;
    const bool reset = reset_pending_;
    reset_pending_ = false;
    if (!decided_) {
      lookahead_.push_back({r, reset});
      // Everything declared (units, and the rate or a time column to measure it from a few rows): no need to
      // hold rows back for detection, which keeps the live latency (and what a crash can lose) small.
      const bool declared = acc_unit_ != Unit::none && gyr_unit_ != Unit::none &&
                            (no_time_ ? meta_.rate_hz > 0 : time_unit_ != Unit::none) &&
                            (meta_.rate_hz > 0 || lookahead_.size() >= 8);
      if (declared || lookahead_.size() >= opt_.lookahead_rows) decide_and_flush(out);
      return;
    }
    emit(r, reset, out);
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
    for (const auto& x : lookahead_) emit(x.row, x.reset, out);
    lookahead_.clear();
  }

  void emit(const RawRow& r, bool reset, std::vector<ImuSample>& out) {
    const double dt = meta_.rate_hz > 0 ? 1.0 / meta_.rate_hz : 0.0;
    const double dev_s = no_time_ ? r.t * dt : r.t * io::detail::to_si(time_unit_);
    ImuSample s;
    if (!timeline_.place(dev_s, dt, reset, s.t_s)) return;
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

  struct Held {
    RawRow row;
    bool reset = false;
  };

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
  bool have_prev_ = false;
  double prev_raw_t_ = 0.0;
  double wrap_offset_ = 0.0, wrap_offset_prev_ = 0.0;
  bool reset_pending_ = false;
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

StreamDecoder::StreamDecoder(Format format, TextOptions text) : format_(format) {
  if (format != Format::binary) text_ = make_text_decoder(std::move(text));
  if (format != Format::text) binary_ = make_binary_decoder();
}

void StreamDecoder::feed(std::span<const std::uint8_t> bytes, std::vector<ImuSample>& out) {
  if (format_ == Format::text) return text_->feed(bytes, out);
  if (format_ == Format::binary) return binary_->feed(bytes, out);
  text_->feed(bytes, text_out_);
  binary_->feed(bytes, binary_out_);
  const auto t = text_->recognised(), b = binary_->recognised();
  Format pick = Format::auto_detect;
  if (b >= 3 && t == 0) pick = Format::binary;
  else if (t >= 3 && b == 0) pick = Format::text;
  else if (b >= 3 && t >= 3) pick = b >= t ? Format::binary : Format::text;
  if (pick == Format::auto_detect) return;
  format_ = pick;
  auto& kept = pick == Format::binary ? binary_out_ : text_out_;
  out.insert(out.end(), kept.begin(), kept.end());
  (pick == Format::binary ? text_ : binary_).reset();
  text_out_ = {};
  binary_out_ = {};
}

void StreamDecoder::discontinuity(double host_gap_s) {
  if (text_) text_->discontinuity(host_gap_s);
  if (binary_) binary_->discontinuity(host_gap_s);
}

void StreamDecoder::finish(std::vector<ImuSample>& out) {
  if (format_ == Format::auto_detect) {
    // The stream ended before it was recognised: keep whichever decoded anything.
    const bool text = text_->recognised() >= binary_->recognised();
    format_ = text ? Format::text : Format::binary;
    if (text) {
      text_->finish(text_out_);
      out.insert(out.end(), text_out_.begin(), text_out_.end());
    } else {
      out.insert(out.end(), binary_out_.begin(), binary_out_.end());
    }
    text_out_ = {};
    binary_out_ = {};
    return;
  }
  (format_ == Format::text ? text_ : binary_)->finish(out);
}

namespace {
const Decoder& leading(const std::unique_ptr<Decoder>& text, const std::unique_ptr<Decoder>& binary) {
  if (!text) return *binary;
  if (!binary) return *text;
  return binary->recognised() > text->recognised() ? *binary : *text;
}
}  // namespace

const DecoderStats& StreamDecoder::stats() const { return leading(text_, binary_).stats(); }
const RecordingMeta& StreamDecoder::meta() const { return leading(text_, binary_).meta(); }
const std::vector<Gap>& StreamDecoder::gaps() const { return leading(text_, binary_).gaps(); }
std::string StreamDecoder::describe() const { return leading(text_, binary_).describe(); }
std::uint64_t StreamDecoder::recognised() const { return leading(text_, binary_).recognised(); }

}  // namespace stride::wire
