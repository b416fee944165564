#include "tools/session/live_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>


#include "analysis/event_detection.hpp"
#include "analysis/pipeline.hpp"
#include "analysis/saturation.hpp"
#include "analysis/streaming_events.hpp"
#include "analysis/streaming_spatial.hpp"
#include "analysis/streaming_strides.hpp"
#include "stride/exit_codes.hpp"
#include "tools/session/session_json.hpp"

namespace stride::session {
namespace {

using Clock = LiveInput::Clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double median_of(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace

class LiveSession::Impl {
 public:
  Impl(const LiveSessionOptions& o, const LiveInputOptions& io, LiveInput& in, std::mutex& out)
      : o_(o), in_(in), out_mutex_(out), who_(io.who), foot_(side_from_string(io.side).value_or(Side::unknown)),
        settings_(for_placement({}, placement_from_string(io.placement).value_or(Placement::shoe))) {}

  void on_samples(std::span<const ImuSample> batch, Clock::time_point arrival) {
    if (batch.empty() || gave_up_) return;
    if (detector_)  // bounded: a TC is looked up at most a stride and the detector's delay after it arrived
      while (arrivals_.size() > 1 && arrivals_.front().t_last < batch.back().t_s - 10.0) arrivals_.pop_front();
    arrivals_.push_back({batch.back().t_s, arrival});
    if (!detector_) {
      warm_.insert(warm_.end(), batch.begin(), batch.end());
      const double have = warm_.back().t_s - warm_.front().t_s;
      if (have >= o_.warmup_min_s && warm_.back().t_s >= next_try_s_) {
        next_try_s_ = warm_.back().t_s + 1.0;
        try_calibrate(have);
      }
      return;
    }
    for (const auto& s : batch) feed(s);
  }

  // End of the stream: the last IC, and the final word.
  int finish(bool stream_ended) {
    if (!detector_) {
      const double have = warm_.empty() ? 0.0 : warm_.back().t_s - warm_.front().t_s;
      if (!gave_up_ && !warm_.empty() && have >= 1.0) try_calibrate(have);  // a short stream: one last try
      if (!detector_) {
        if (!gave_up_)
          fmt::print(stderr, "{}: the stream {} during the warm-up ({:.1f} s of samples): no strides\n",
                     who_, stream_ended ? "ended" : "was stopped", have);
        return kBadInput;
      }
    }
    ev_.events.clear();
    detector_->finish(ev_);
    take_events();
    if (spatial_) {
      spatial_out_.clear();
      spatial_->finish(spatial_out_);
      for (const auto& s : spatial_out_) emit_spatial(s);
    }
    summary();
    return kOk;
  }

  bool gave_up() const { return gave_up_; }

 private:
  void try_calibrate(double have) {
    const double interval = median_interval_s(warm_);
    rate_ = interval > 0 ? 1.0 / interval : 0.0;
    std::string waiting;
    MountingCalibration::Result m;
    if (rate_ <= 0) {
      waiting = "no sample rate yet";
    } else {
      m = MountingCalibration(settings_.calibration).run(warm_, rate_);
      if (!m.ok) {
        waiting = "mounting calibration: " + m.message;
      } else {
        const auto ev = ImpactPitchDetector(settings_.events).detect(warm_, m, rate_);
        const auto ics = static_cast<std::size_t>(std::count_if(
            ev.events.begin(), ev.events.end(), [](const GaitEvent& e) { return e.kind == EventKind::initial_contact; }));
        if (ics < o_.warmup_strides)
          waiting = fmt::format("strides: {} of {} seen (keep moving)", ics, o_.warmup_strides);
      }
    }
    if (!waiting.empty()) {
      if (have >= o_.warmup_limit_s) {
        gave_up_ = true;
        fmt::print(stderr,
                   "{}: no calibration after {:.1f} s of samples (limit --warmup-limit {:g} s): {}.\n"
                   "  The warm-up needs a still moment (gyro bias, 'up') and a few strides of walking or running "
                   "with the sensor on the shoe.\n",
                   who_, have, o_.warmup_limit_s, waiting);
        in_.fail(kBadInput);
        return;
      }
      fmt::print(stderr, "{}: warming up, {:.1f} s buffered: waiting for {}\n", who_, have, waiting);
      return;
    }
    mounting_ = m;
    RecordingMeta meta = in_.decoder().meta();
    const Saturation sat = find_saturation(warm_, rate_, meta);
    detector_ = std::make_unique<StreamingEventDetector>(settings_.events, mounting_, rate_);
    strides_ = std::make_unique<StreamingStrideBuilder>(settings_.strides, foot_, sat, rate_);
    if (meta.placement != Placement::shin)
      spatial_ = std::make_unique<StreamingSpatial>(settings_.trajectory, mounting_, foot_, sat, rate_, settings_.plausibility);
    calibrated_at_ = Clock::now();
    fmt::print(stderr, "{}: calibrated on {:.1f} s at {:.0f} Hz (pitch share {:.2f}, sign vote {:.2f}){}{}\n",
               who_, have, rate_, m.pitch_share, m.sign_vote, m.message.empty() ? "" : ": ", m.message);
    for (const auto& s : warm_) feed(s);
    warm_.clear();
    warm_.shrink_to_fit();
    std::fflush(stdout);
  }

  void feed(const ImuSample& s) {
    strides_->push_sample(s);
    if (spatial_) spatial_->push_sample(s);
    ev_.events.clear();
    ev_.midswings.clear();
    ev_.ic_jerk_mps3.clear();
    ev_.tc_rate_rad_s.clear();
    detector_->push(s, ev_);
    if (!ev_.events.empty()) take_events();
  }

  void take_events() {
    out_.clear();
    spatial_out_.clear();
    for (const auto& e : ev_.events) {
      strides_->push_event(e, in_.decoder().gaps(), out_);
      if (spatial_) spatial_->push_event(e, spatial_out_);
    }
    for (const auto& s : out_) emit(s);
    for (const auto& s : spatial_out_) emit_spatial(s);
  }

  // The host time the bytes holding sample time t arrived.
  std::optional<Clock::time_point> arrival_of(double t) {
    for (const auto& a : arrivals_)
      if (a.t_last >= t) return a.at;
    return std::nullopt;
  }

  void emit(const Stride& s) {
    const auto now = Clock::now();
    const auto arrived = arrival_of(s.tc_s > 0 ? s.tc_s : s.next_ic_s);
    const double late = arrived ? seconds(now - *arrived) : std::nan("");
    const bool warmup = arrived && *arrived < calibrated_at_;
    ++n_;
    if (s.valid) {
      ++valid_;
      stride_times_.push_back(s.stride_time_s);
      gct_.push_back(s.gct_ms);
      flight_.push_back(s.flight_ms);
      impact_.push_back(s.peak_impact_g);
    }
    if (!warmup && arrived) latency_.push_back(late);
    printed_.push_back({s.ic_s, s.tc_s > 0 ? s.tc_s : s.next_ic_s, n_, s.valid});
    if (printed_.size() > 8) printed_.pop_front();  // spatial values follow within a stride
    const std::lock_guard lock(out_mutex_);
    if (o_.json) {
      auto j = stride_json(s);
      j["type"] = "stride";
      j["emitted_after_tc_s"] = late;
      j["from_warmup"] = warmup;
      fmt::print("{}\n", j.dump());
    } else {
      fmt::print("{:>5} {:>5} {:>9.3f} {:>8.3f} {:>8.1f} {:>8.0f} {:>8.0f} {:>7.1f} {:>8.3f}  {}\n", to_string(s.foot), n_, s.ic_s,
                 s.stride_time_s, s.cadence_spm, s.gct_ms, s.flight_ms, s.peak_impact_g, late,
                 s.valid ? "yes" : "no: " + s.invalid_reason());
    }
    std::fflush(stdout);
  }

  // A stride's spatial values, after its line: matched to it by the IC.
  void emit_spatial(const Stride& s) {
    const auto it = std::find_if(printed_.begin(), printed_.end(),
                                 [&](const Printed& p) { return std::abs(p.ic_s - s.ic_s) < 1e-6; });
    if (it == printed_.end()) return;  // a stride before the first one printed
    const auto now = Clock::now();
    const auto arrived = arrival_of(it->tc_s);
    const double late = arrived ? seconds(now - *arrived) : std::nan("");
    const bool warmup = arrived && *arrived < calibrated_at_;
    if (!warmup && arrived) spatial_latency_.push_back(late);
    if (it->valid && s.valid && std::isfinite(s.stride_length_m)) {
      length_.push_back(s.stride_length_m);
      speed_.push_back(s.speed_mps);
      distance_m_ += s.stride_length_m;
    }
    if (it->valid && s.valid && std::isfinite(s.fsa_deg)) fsa_.push_back(s.fsa_deg);
    if (it->valid && s.valid && std::isfinite(s.pronation_excursion_deg)) pronation_.push_back(s.pronation_excursion_deg);
    const std::lock_guard lock(out_mutex_);
    if (o_.json) {
      const auto all = stride_json(s);
      nlohmann::json j = {{"type", "spatial"}, {"foot", all.at("foot")}, {"stride", it->n}, {"ic_s", s.ic_s}};
      for (const char* k : {"stride_length_m", "speed_mps", "fsa_deg", "strike_pattern", "toe_off_angle_deg",
                            "pronation_excursion_deg", "pronation_velocity_dps", "max_clearance_m",
                            "turning_angle_deg", "pos_x_m", "pos_y_m", "spatial_issue", "valid", "invalid_reason", "invalid_codes"})
        j[k] = all.at(k);
      j["emitted_after_tc_s"] = late;
      j["from_warmup"] = warmup;
      fmt::print("{}\n", j.dump());
    } else {
      fmt::print("{:>5} {:>5} {:>9.3f}  length {:.3f} m, speed {:.2f} m/s, FSA {:+.1f} deg ({}), pronation {:.1f} deg, "
                 "late {:.3f} s{}\n",
                 to_string(s.foot), it->n, s.ic_s, s.stride_length_m, s.speed_mps, s.fsa_deg,
                 to_string(s.strike_pattern), s.pronation_excursion_deg, late,
                 s.spatial_issue().empty() ? "" : "  (" + s.spatial_issue() + ")");
    }
    std::fflush(stdout);
  }

  void summary() {
    std::vector<double> cad;
    for (double t : stride_times_) cad.push_back(120.0 / t);
    fmt::print(stderr, "{}: {} strides, {} valid; median cadence {:.1f} steps/min, contact {:.0f} ms, "
                       "flight {:.0f} ms, peak impact {:.1f} g\n",
               who_, n_, valid_, median_of(cad), median_of(gct_), median_of(flight_), median_of(impact_));
    if (!latency_.empty())
      fmt::print(stderr, "  latency from the toe-off's arrival to its line: median {:.3f} s, max {:.3f} s ({} strides "
                         "after the warm-up)\n",
                 median_of(latency_), *std::max_element(latency_.begin(), latency_.end()), latency_.size());
    if (spatial_)
      fmt::print(stderr, "  spatial: {} strides with a length, {:.1f} m; median stride length {:.3f} m, speed {:.2f} m/s, "
                         "FSA {:+.1f} deg, pronation excursion {:.1f} deg\n",
                 length_.size(), distance_m_, median_of(length_), median_of(speed_), median_of(fsa_),
                 median_of(pronation_));
    if (!spatial_latency_.empty())
      fmt::print(stderr, "  latency from the toe-off's arrival to its spatial values: median {:.3f} s, max {:.3f} s (they "
                         "need the next stance's zero-velocity window, known at its toe-off)\n",
                 median_of(spatial_latency_),
                 *std::max_element(spatial_latency_.begin(), spatial_latency_.end()));
  }

  struct Arrival {
    double t_last;
    Clock::time_point at;
  };
  struct Printed {  // a stride whose line is out, waiting for its spatial values
    double ic_s, tc_s;
    std::size_t n;
    bool valid;
  };

  const LiveSessionOptions o_;
  LiveInput& in_;
  std::mutex& out_mutex_;   // two feet: two sessions on two threads share stdout
  std::string who_;
  Side foot_;
  PipelineSettings settings_;
  Clock::time_point calibrated_at_;
  std::vector<ImuSample> warm_;
  double next_try_s_ = 0.0;
  bool gave_up_ = false;
  double rate_ = 0.0;
  MountingCalibration::Result mounting_;
  std::unique_ptr<StreamingEventDetector> detector_;
  std::unique_ptr<StreamingStrideBuilder> strides_;
  std::unique_ptr<StreamingSpatial> spatial_;  // shoe placement only
  EventResult ev_;
  std::vector<Stride> out_, spatial_out_;
  std::deque<Printed> printed_;
  std::deque<Arrival> arrivals_;
  std::size_t n_ = 0, valid_ = 0;
  std::vector<double> stride_times_, gct_, flight_, impact_, latency_;  // 8 bytes a stride: ~80 kB for two hours
  std::vector<double> length_, speed_, fsa_, pronation_, spatial_latency_;
  double distance_m_ = 0;
};

LiveSession::LiveSession(const LiveSessionOptions& o, const LiveInputOptions& io, LiveInput& in, std::mutex& out)
    : p_(std::make_unique<Impl>(o, io, in, out)) {}
LiveSession::~LiveSession() = default;
void LiveSession::on_samples(std::span<const ImuSample> batch, LiveInput::Clock::time_point arrival) {
  p_->on_samples(batch, arrival);
}
int LiveSession::finish(bool stream_ended) { return p_->finish(stream_ended); }

void print_live_table_header() {
  fmt::print("{:>5} {:>5} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8}  {}\n", "foot", "#", "ic_s", "stride_s", "cad_spm",
             "gct_ms", "flight_ms", "impact_g", "late_s", "valid");
  std::fflush(stdout);
}

}  // namespace stride::session
