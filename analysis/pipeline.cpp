#include "analysis/pipeline.hpp"

#include <algorithm>
#include <future>

#include "analysis/missing_distance.hpp"
#include "analysis/pipeline_steps.hpp"
#include "analysis/session_stats.hpp"
#include "analysis/shin_metrics.hpp"
#include "analysis/text.hpp"

namespace stride {

PipelineSettings for_placement(PipelineSettings settings, Placement placement) {
  settings.events.shin = placement == Placement::shin;
  settings.calibration.shank = placement == Placement::shin;
  return settings;
}

SessionResult analyze(const Recording& rec) { return analyze(rec, PipelineSettings{}); }

namespace {

// No gyroscope (docs/accelerometer-only.md): up from gravity, events from the specific force, strides and their
// temporal metrics; no trajectory, so length, speed, angles, pronation and clearance stay NaN (null).
SessionResult analyze_without_gyro(const Recording& rec, const PipelineSettings& settings) {
  AccOnlyDetector::Settings quiet_stance = settings.acc_only_events;
  quiet_stance.uncertainty = settings.events.uncertainty;  // one set of uncertainty settings for every detector
  const AccOnlyDetector detector(quiet_stance);
  const StrideBuilder builder(settings.strides);
  const StridePlausibility plausibility(settings.plausibility);
  SessionResult r;
  r.has_gyro = false;
  r.no_gyro_reason = kNoGyroReason;
  r.warnings.push_back(std::string(kNoGyroReason) + " (accelerometer only: events, cadence, contact and flight "
                       "time, impact)");
  // The rest and clipping tests also read the gyroscope: they get zero rates, so only |a| decides there.
  std::vector<ImuSample> zeroed(rec.samples.begin(), rec.samples.end());
  for (auto& s : zeroed) {
    s.gyr_rad_s.setZero();
    s.clipped &= static_cast<std::uint8_t>(~(kClipGyrX | kClipGyrY | kClipGyrZ));
  }
  Recording acc_only{rec.meta, std::move(zeroed), rec.gaps, rec.clock_marks};
  acc_only.meta.gyr_range_dps = 0;
  const double interval = median_interval_s(acc_only.samples);
  const double rate = interval > 0 ? 1.0 / interval : 0.0;
  const Saturation saturation = find_saturation(acc_only.samples, rate, acc_only.meta);
  r.quality = assess_quality(acc_only, saturation);
  if (saturation.acc_inferred)
    r.warnings.push_back("the accelerometer saturates at about " + fixed(r.quality.acc_limit_mps2 / 9.80665, 1) +
                         " g (flat tops in the data; no range declared): clipped impacts are lower bounds");
  if (acc_only.samples.size() < 16 || rate <= 0) {
    r.warnings.push_back("too few samples to analyse (" + std::to_string(acc_only.samples.size()) + ")");
    return r;
  }
  r.mounting = gravity_only_mounting(acc_only.samples, rate, settings.calibration);
  if (!r.mounting.ok) {
    r.warnings.push_back("mounting calibration failed: " + r.mounting.message);
    return r;
  }
  r.warnings.push_back(r.mounting.message);
  r.events = detector.detect(acc_only.samples, r.mounting, rate);
  r.acc_only_events_from = "quiet_stance";
  // A shin or ankle sensor is never still in stance; a foot sensor on a shuffling or bouncy gait may rarely be.
  // Then the impacts, which every placement shows once per stride of its leg, anchor the cycles.
  const auto count_ic = [](const EventResult& e) {
    return std::count_if(e.events.begin(), e.events.end(),
                         [](const GaitEvent& g) { return g.kind == EventKind::initial_contact; });
  };
  const bool shin = rec.meta.placement == Placement::shin;
  ImpactAnchoredDetector::Settings anchored = settings.acc_only_impacts;
  anchored.uncertainty = settings.events.uncertainty;
  anchored.shin = shin;
  EventResult by_impacts = ImpactAnchoredDetector(anchored).detect(acc_only.samples, r.mounting, rate);
  if (shin || 2 * count_ic(r.events) < count_ic(by_impacts)) {
    if (!shin)
      r.warnings.push_back("no gyroscope and the foot was rarely still in stance (" + std::to_string(count_ic(r.events)) +
                           " quiet stances, " + std::to_string(count_ic(by_impacts)) +
                           " impacts): cycles anchored on the impacts, as for a shin or ankle sensor");
    r.events = std::move(by_impacts);
    r.acc_only_events_from = "impacts";
  }
  r.strides = builder.build(r.events.events, acc_only.samples, rec.gaps, rec.meta.side, saturation);
  for (auto& s : r.strides) s.set_spatial_issue(kNoGyroReason);
  plausibility.check_session(r.strides);
  r.spatial.distance_m = Stride::kNaN;  // no lengths: the distance is unknown, not 0
  const double duration = rec.samples.back().t_s - rec.samples.front().t_s;
  r.summary = summarize(r.strides, duration);
  if (r.strides.empty()) r.warnings.push_back("no strides found");
  return r;
}

}  // namespace

SessionResult analyze(const Recording& rec, const PipelineSettings& settings,
                      const std::function<void(std::size_t, const FootPose&)>& trajectory_sink) {
  if (!rec.samples.empty() && !has_gyroscope(rec.samples)) return analyze_without_gyro(rec, settings);
  const pipeline_steps::Stages stages(settings, rec.meta.placement);  // the settings checked

  SessionResult r;
  const double interval = median_interval_s(rec.samples);
  const double rate = interval > 0 ? 1.0 / interval : 0.0;
  const double read_s = rec.samples.empty() ? 0.0 : rec.samples.back().t_s - rec.samples.front().t_s;
  if (!pipeline_steps::rate_usable(r, rate, rec.samples.size(), read_s, settings)) return r;
  const Saturation saturation = find_saturation(rec.samples, rate, rec.meta);
  r.quality = assess_quality(rec, saturation);
  r.summary.duration_s = read_s;  // (summarize sets it again; said also when a later step gives up)
  if (!pipeline_steps::enough_samples(r, saturation, rec.samples.size(), rate, rec.meta.placement)) return r;
  r.mounting = stages.calibration.run(rec.samples, rate);
  if (!pipeline_steps::mounting_usable(r)) return r;

  r.events = stages.detector.detect(rec.samples, r.mounting, rate);
  r.strides = stages.builder.build(r.events.events, rec.samples, rec.gaps, rec.meta.side, saturation);
  if (rec.meta.placement == Placement::shin) {
    add_shin_metrics(r.strides, rec.samples, r.mounting, saturation);
  } else {
    // The trajectory integrates the gyroscope through each swing: a clipped peak turns its attitude wrong, so
    // clipped peaks are rebuilt first (on a copy, made only when something clipped).
    std::vector<ImuSample> rebuilt;
    std::span<const ImuSample> spatial_input = rec.samples;
    if (settings.clip_repair.enabled && any_gyro_clipped(rec.samples, saturation)) {
      rebuilt = rec.samples;
      const ClipRepairResult repair =
          rebuild_clipped_gyro(rebuilt, saturation, rate, settings.clip_repair, r.events.events);
      spatial_input = rebuilt;
      r.warnings.push_back("the gyroscope clipped in " + std::to_string(repair.runs) + " runs; " +
                           std::to_string(repair.rebuilt - repair.rebuilt_by_return) +
                           " rebuilt from the signal either side (a fitted peak)" +
                           (repair.rebuilt_by_return > repair.rebuilt_unclosed
                                ? ", " + std::to_string(repair.rebuilt_by_return - repair.rebuilt_unclosed) +
                                      " from the foot's return to its attitude over the cycle"
                                : std::string()) +
                           (repair.rebuilt_unclosed > 0
                                ? ", " + std::to_string(repair.rebuilt_unclosed) +
                                      " at " + fixed(settings.clip_repair.unclosed_factor, 2) +
                                      " of the height their flanks' slopes give (their cycle did not close)"
                                : std::string()) +
                           ", so their strides keep a length, marked as an estimate");
    }
    r.spatial = add_spatial_metrics(r.strides, spatial_input, r.events.events, r.mounting, rate, rec.meta.side,
                                    saturation, stages.trajectory, trajectory_sink);
    pipeline_steps::spatial_warnings(r, rec.meta.side);
  }
  const double duration = rec.samples.back().t_s - rec.samples.front().t_s;
  pipeline_steps::finish_session(r, settings, stages.plausibility, duration);
  return r;
}

namespace pipeline_steps {

Stages::Stages(const PipelineSettings& settings, Placement placement)
    : placed(for_placement(settings, placement)),
      calibration(placed.calibration),
      detector(placed.events),
      builder(placed.strides),
      trajectory(placed.trajectory),
      plausibility(placed.plausibility) {}

bool rate_usable(SessionResult& r, double rate, std::size_t samples, double duration_s,
                 const PipelineSettings& settings) {
  if (!(rate > 0 && rate < settings.min_rate_hz)) return true;
  r.quality.samples = samples;
  r.quality.nominal_rate_hz = rate;
  r.summary.duration_s = duration_s;
  r.warnings.push_back("the sample rate (" + fixed(rate, rate < 10 ? 2 : 1) + " Hz) is too low for gait events: " +
                       "foot strike and toe-off need at least " + fixed(settings.min_rate_hz, 0) +
                       " Hz (100 Hz or more is best)");
  return false;
}

bool enough_samples(SessionResult& r, const Saturation& saturation, std::size_t samples, double rate,
                    Placement placement) {
  if (saturation.gyr_inferred)
    r.warnings.push_back("the gyroscope saturates at about " + fixed(r.quality.gyr_limit_rad_s * 57.29577951, 0) +
                         " deg/s (flat tops in the data; no range declared): strides whose flat tops cannot be "
                         "rebuilt get no spatial metrics");
  if (saturation.acc_inferred)
    r.warnings.push_back("the accelerometer saturates at about " + fixed(r.quality.acc_limit_mps2 / 9.80665, 1) +
                         " g (flat tops in the data; no range declared): clipped impacts are lower bounds");
  if (samples < 16 || rate <= 0) {
    r.warnings.push_back("too few samples to analyse (" + std::to_string(samples) + ")");
    return false;
  }
  if (placement == Placement::shin)
    r.warnings.push_back("placement is shin: IC from the tibia's impact, TC from the shank's rotation (less precise "
                         "than a shoe sensor)");
  return true;
}

bool mounting_usable(SessionResult& r) {
  if (!r.mounting.ok) {
    r.warnings.push_back("mounting calibration failed: " + r.mounting.message);
    return false;
  }
  if (!r.mounting.message.empty()) r.warnings.push_back(r.mounting.message);
  if (r.mounting.sign_vote < 0.75)
    r.warnings.push_back("the foot's pitch direction is uncertain (only " + fixed(100 * r.mounting.sign_vote, 0) +
                         " % of stance-to-swing transitions agreed)");
  return true;
}

void spatial_warnings(SessionResult& r, Side side) {
  if (!r.spatial.ok) r.warnings.push_back("no zero-velocity phase found: no foot trajectory");
  if (side == Side::unknown) r.warnings.push_back("side unknown: pronation signs assume a right foot (pass --side)");
}

void finish_session(SessionResult& r, const PipelineSettings& settings, const StridePlausibility& plausibility,
                    double duration_s) {
  if (const std::size_t n = withhold_inconsistent_rebuilt(r.strides); n > 0) {
    r.spatial.saturated_strides += n;  // withheld after all
    r.spatial.rebuilt_strides -= std::min(n, r.spatial.rebuilt_strides);
    r.warnings.push_back(std::to_string(n) + " strides measured through rebuilt gyroscope peaks disagreed with their "
                         "neighbours by more than 35 % in speed: their spatial values are withheld");
  }
  // Physical limits, once every value is known; the distance counts only what passed them.
  const std::size_t implausible = plausibility.check_session(r.strides);
  r.spatial.distance_m = valid_distance_m(r.strides);
  if (r.spatial.ok) {  // every valid stride covered ground, measured or not, and so did each step out of a rest
    const MissingDistance missing = estimate_missing_distance(r.strides);
    r.spatial.distance_estimated_m = missing.metres;
    r.spatial.estimated_strides = missing.strides;
    const RestSteps rest = steps_from_rest(r.strides, r.spatial.start_step, settings.plausibility.max_stride_length_m,
                                           settings.trajectory.uncertainty);
    r.spatial.rest_steps = rest.count;
    r.spatial.rest_steps_m = rest.metres;
    r.spatial.distance_m += missing.metres + rest.metres;
    r.spatial.distance_sd_m = distance_sd_m(r.strides, missing.metres, settings.trajectory.uncertainty, rest);
    if (missing.strides > 0)
      r.warnings.push_back(std::to_string(missing.strides) + " valid strides have no measured length; they are " +
                           "counted at their neighbours' speed: " + fixed(missing.metres, 1) + " m of the " +
                           fixed(r.spatial.distance_m, 1) + " m distance is estimated");
  }
  if (implausible > 0)
    r.warnings.push_back(std::to_string(implausible) + " strides failed a physical limit (length, speed, clearance, "
                         "turning or their neighbours; see invalid_reason): no total counts them");
  std::size_t rests = 0;
  for (const auto& s : r.strides)
    rests += s.has_invalid_code("rest_inside") ? 1 : 0;
  if (rests > 0)
    r.warnings.push_back(std::to_string(rests) + " stops (the foot stood still for more than " +
                         fixed(settings.strides.max_rest_s, 1) + " s between two contacts): those intervals are no "
                         "strides");
  r.summary = summarize(r.strides, duration_s);
  if (r.strides.empty()) r.warnings.push_back("no strides found");
}

}  // namespace pipeline_steps

TwoFeetResult analyze_two_feet(const Recording& left, const Recording& right, const PipelineSettings& settings) {
  // The feet share nothing mutable (each analyze() owns its detectors, filters and result; settings and recordings
  // are read only), so the right foot runs on a second core. Its result is taken after the left's: an exception
  // from the left foot is the one that comes out, as when they ran one after the other.
  auto right_result = std::async(std::launch::async, [&] { return analyze(right, settings); });
  SessionResult left_result = analyze(left, settings);
  return combine_two_feet(std::move(left_result), right_result.get());
}

TwoFeetResult combine_two_feet(SessionResult left, SessionResult right) {
  TwoFeetResult r{std::move(left), std::move(right), {}};
  r.bilateral = combine_feet(r.left.strides, r.right.strides);
  for (SessionResult* foot : {&r.left, &r.right}) {
    foot->summary = summarize(foot->strides, foot->summary.duration_s);
    foot->summary.one_foot = false;
  }
  return r;
}

}  // namespace stride
