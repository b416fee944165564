// The streaming offline path (analysis/streaming_pipeline.hpp, firmware_iface/import/streamed_input.hpp) against the
// whole-recording one: the same figures, and memory that does not grow with the recording.
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "analysis/zero_phase_stream.hpp"
#include "analysis/mounting_calibration_passes.hpp"
#include "analysis/streaming_pipeline.hpp"
#include "firmware_iface/import/streamed_input.hpp"
#include "firmware_iface/protocol/strideb.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_paths.hpp"
#include "tools/session/analyze_session.hpp"

namespace stride {
namespace {

// Tolerance on every figure: the streaming path runs the same arithmetic except the zero-phase smoothing of |w|,
// which it does over each stance (StreamingSpatial) and over blocks (the calibration's vote) instead of the whole
// recording; the filters forget their start to rounding, so the figures agree to ~1e-12.
constexpr double kTolerance = 1e-9;

// The recording replayed in blocks of varying size (1 .. 5000 samples), so block edges fall anywhere.
RecordingPasses passes_of(const Recording& rec) {
  return {rec.meta, rec.gaps, [&rec](const std::function<void(std::span<const ImuSample>)>& sink) {
            std::mt19937 draw(7);
            std::uniform_int_distribution<std::size_t> size(1, 5000);
            const std::span<const ImuSample> all = rec.samples;
            for (std::size_t at = 0; at < all.size();) {
              const std::size_t n = std::min(size(draw), all.size() - at);
              sink(all.subspan(at, n));
              at += n;
            }
          }};
}

Recording simulated(double speed, double cadence, double duty, int strides, double rate, std::uint64_t seed) {
  sim::Settings s;
  s.speed_mps = speed;
  s.cadence_spm = cadence;
  s.duty_factor = duty;
  s.strides = strides;
  s.rate_hz = rate;
  s.seed = seed;
  return sim::simulate(s).recording;
}

void expect_near_or_both_nan(double a, double b, const char* what, std::size_t k) {
  if (std::isnan(a) || std::isnan(b)) {
    EXPECT_EQ(std::isnan(a), std::isnan(b)) << what << " of stride " << k << ": " << a << " vs " << b;
    return;
  }
  EXPECT_NEAR(a, b, kTolerance * std::max(1.0, std::abs(b))) << what << " of stride " << k;
}

void expect_same_session(const SessionResult& streamed, const SessionResult& batch) {
  EXPECT_EQ(streamed.warnings, batch.warnings);
  ASSERT_EQ(streamed.events.events.size(), batch.events.events.size());
  for (std::size_t k = 0; k < batch.events.events.size(); ++k) {
    EXPECT_EQ(streamed.events.events[k].sample, batch.events.events[k].sample) << "event " << k;
    EXPECT_EQ(streamed.events.events[k].kind, batch.events.events[k].kind) << "event " << k;
  }
  ASSERT_EQ(streamed.strides.size(), batch.strides.size());
  for (std::size_t k = 0; k < batch.strides.size(); ++k) {
    const Stride& a = streamed.strides[k];
    const Stride& b = batch.strides[k];
    EXPECT_EQ(a.valid, b.valid) << "stride " << k;
    EXPECT_EQ(a.invalid_codes(), b.invalid_codes()) << "stride " << k;
    EXPECT_EQ(a.invalid_reason(), b.invalid_reason()) << "stride " << k;
    EXPECT_EQ(a.spatial_issue(), b.spatial_issue()) << "stride " << k;
    EXPECT_EQ(a.strike_pattern, b.strike_pattern) << "stride " << k;
    for (auto [name, x, y] : {std::tuple{"ic_s", a.ic_s, b.ic_s}, {"tc_s", a.tc_s, b.tc_s},
                              {"peak_impact_g", a.peak_impact_g, b.peak_impact_g},
                              {"stride_length_m", a.stride_length_m, b.stride_length_m},
                              {"speed_mps", a.speed_mps, b.speed_mps}, {"fsa_deg", a.fsa_deg, b.fsa_deg},
                              {"toe_off_angle_deg", a.toe_off_angle_deg, b.toe_off_angle_deg},
                              {"pronation_excursion_deg", a.pronation_excursion_deg, b.pronation_excursion_deg},
                              {"pronation_velocity_dps", a.pronation_velocity_dps, b.pronation_velocity_dps},
                              {"max_clearance_m", a.max_clearance_m, b.max_clearance_m},
                              {"turning_angle_deg", a.turning_angle_deg, b.turning_angle_deg},
                              {"pos_x_m", a.pos_x_m, b.pos_x_m}, {"pos_y_m", a.pos_y_m, b.pos_y_m}})
      expect_near_or_both_nan(x, y, name, k);
  }
  EXPECT_EQ(streamed.spatial.ok, batch.spatial.ok);
  EXPECT_EQ(streamed.spatial.zero_velocity_windows, batch.spatial.zero_velocity_windows);
  EXPECT_EQ(streamed.spatial.saturated_strides, batch.spatial.saturated_strides);
  EXPECT_NEAR(streamed.spatial.distance_m, batch.spatial.distance_m, kTolerance * batch.spatial.distance_m + 1e-12);
  EXPECT_NEAR(streamed.spatial.loop_closure_m, batch.spatial.loop_closure_m, 1e-6);
  EXPECT_EQ(streamed.spatial.rest_steps, batch.spatial.rest_steps);
  EXPECT_NEAR(streamed.spatial.rest_steps_m, batch.spatial.rest_steps_m, 1e-6);
  EXPECT_EQ(streamed.quality.samples, batch.quality.samples);
  EXPECT_EQ(streamed.quality.nominal_rate_hz, batch.quality.nominal_rate_hz);
  EXPECT_EQ(streamed.quality.interval_jitter_ms, batch.quality.interval_jitter_ms);
  EXPECT_EQ(streamed.quality.clipped_gyr_samples, batch.quality.clipped_gyr_samples);
  EXPECT_EQ(streamed.summary.strides_valid, batch.summary.strides_valid);
  EXPECT_EQ(streamed.summary.duration_s, batch.summary.duration_s);
}

// JSON documents equal but for numbers within kTolerance (relative, at least absolute for small values).
void expect_same_json(const nlohmann::json& a, const nlohmann::json& b, const std::string& at) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    if (std::isnan(x) || std::isnan(y)) {
      EXPECT_EQ(std::isnan(x), std::isnan(y)) << at;
      return;
    }
    EXPECT_NEAR(x, y, kTolerance * std::max(1.0, std::abs(y))) << at;
    return;
  }
  ASSERT_EQ(a.type(), b.type()) << at;
  if (a.is_object()) {
    ASSERT_EQ(a.size(), b.size()) << at;
    for (auto it = b.begin(); it != b.end(); ++it) {
      ASSERT_TRUE(a.contains(it.key())) << at << "/" << it.key();
      expect_same_json(a.at(it.key()), it.value(), at + "/" + it.key());
    }
  } else if (a.is_array()) {
    ASSERT_EQ(a.size(), b.size()) << at;
    for (std::size_t i = 0; i < a.size(); ++i) expect_same_json(a[i], b[i], at + "/" + std::to_string(i));
  } else {
    EXPECT_EQ(a, b) << at;
  }
}

TEST(ZeroPhaseStream, EqualsFiltfiltAtEveryLength) {
  const ButterworthLowpass lp({2, 8.0, 1000.0});
  std::mt19937 draw(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (std::size_t n : {1u, 2u, 7u, 8u, 50u, 333u, 5000u, 40000u}) {
    std::vector<double> x(n), batch(n), streamed;
    double level = 0;
    for (auto& v : x) v = (level += 0.1 * noise(draw)) + noise(draw);
    lp.filtfilt(x, batch);
    ZeroPhaseStream z(lp, 2000, 1000);
    for (double v : x) z.push(v, streamed);
    z.finish(streamed);
    ASSERT_EQ(streamed.size(), n);
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(streamed[i] - batch[i]));
    EXPECT_LT(worst, 1e-12) << n << " samples";
  }
}

TEST(MountingCalibrationPasses, EqualsRunOnSimulatedRuns) {
  for (const Recording& rec : {simulated(3.5, 170, 0.35, 40, 500, 1), simulated(1.4, 112, 0.62, 40, 200, 2),
                               simulated(5.0, 180, 0.25, 60, 1000, 3)}) {
    const double rate = 1.0 / median_interval_s(rec.samples);
    const MountingCalibration::Result batch = MountingCalibration().run(rec.samples, rate);
    MountingCalibrationPasses passes({}, rate, rec.samples.size());
    int count = 0;
    while (!passes.done()) {
      passes.push(rec.samples);
      passes.end_pass();
      ASSERT_LE(++count, 5);
    }
    const auto& r = passes.result();
    ASSERT_TRUE(batch.ok);
    EXPECT_EQ(r.ok, batch.ok);
    EXPECT_EQ(r.message, batch.message);
    EXPECT_EQ(r.segment_from_sensor, batch.segment_from_sensor);  // the same arithmetic: bit for bit
    EXPECT_EQ(r.gyr_bias_rad_s, batch.gyr_bias_rad_s);
    EXPECT_EQ(r.gravity_mps2, batch.gravity_mps2);
    EXPECT_EQ(r.sign_vote, batch.sign_vote);
    EXPECT_EQ(r.pitch_share, batch.pitch_share);
  }
}

TEST(StreamingPipeline, EqualsBatchOnSimulatedRunsAndWalks) {
  for (const Recording& rec : {simulated(3.5, 170, 0.35, 60, 1000, 11), simulated(1.4, 112, 0.62, 40, 200, 12),
                               simulated(0.9, 96, 0.66, 30, 100, 13), simulated(6.0, 184, 0.22, 80, 500, 14)}) {
    const SessionResult batch = analyze(rec, PipelineSettings{});
    const StreamedAnalysis streamed = analyze_streamed(passes_of(rec), PipelineSettings{});
    ASSERT_TRUE(streamed.result) << streamed.not_covered;
    EXPECT_GE(batch.strides.size(), 25u);
    expect_same_session(*streamed.result, batch);
  }
}

// The steps out of rest (analysis/rest_steps.hpp) are counted alike: the standing start's (from the rest's
// footprint, found by StreamingSpatial as its first window) and the one after each stop; a recording that starts
// moving (no rest before its first IC) has no standing start to add.
TEST(StreamingPipeline, StepsOutOfRestEqualBatch) {
  sim::Settings stops;
  stops.strides = 30;
  stops.pauses = 2;
  stops.pause_s = 3.0;
  stops.rate_hz = 200;
  stops.seed = 15;
  sim::Settings moving = stops;
  moving.pauses = 0;
  moving.rest_before_s = 0;  // the heel rises at the first sample
  moving.seed = 16;
  for (const auto& [settings, steps] : {std::pair{stops, 3u}, std::pair{moving, 0u}}) {
    const Recording rec = sim::simulate(settings).recording;
    const SessionResult batch = analyze(rec, PipelineSettings{});
    const StreamedAnalysis streamed = analyze_streamed(passes_of(rec), PipelineSettings{});
    ASSERT_TRUE(streamed.result) << streamed.not_covered;
    EXPECT_EQ(batch.spatial.rest_steps, steps) << "pauses " << settings.pauses;
    expect_same_session(*streamed.result, batch);
  }
}

TEST(StreamingPipeline, TrajectoryRowsEqualBatch) {
  const Recording rec = simulated(3.5, 170, 0.35, 20, 500, 21);
  std::vector<std::pair<std::size_t, Eigen::Vector3d>> batch, streamed;
  analyze(rec, PipelineSettings{}, [&](std::size_t i, const FootPose& p) { batch.emplace_back(i, p.pos_m); });
  analyze_streamed(passes_of(rec), PipelineSettings{},
                   [&](std::size_t i, const FootPose& p) { streamed.emplace_back(i, p.pos_m); });
  ASSERT_EQ(streamed.size(), batch.size());
  for (std::size_t k = 0; k < batch.size(); ++k) {
    ASSERT_EQ(streamed[k].first, batch[k].first);
    EXPECT_LT((streamed[k].second - batch[k].second).norm(), 1e-9) << "sample " << batch[k].first;
  }
}

TEST(StreamingPipeline, SaysWhatItDoesNotCover) {
  Recording shin = simulated(3.5, 170, 0.35, 10, 200, 31);
  shin.meta.placement = Placement::shin;
  EXPECT_FALSE(analyze_streamed(passes_of(shin), PipelineSettings{}).result);
  // A gyroscope at its range (declared here, 250 deg/s, far below a run's swing): the clip repair needs it whole.
  Recording clipped = simulated(3.5, 170, 0.35, 10, 200, 32);
  clipped.meta.gyr_range_dps = 250;
  const StreamedAnalysis r = analyze_streamed(passes_of(clipped), PipelineSettings{});
  EXPECT_FALSE(r.result);
  EXPECT_NE(r.not_covered.find("clipped"), std::string::npos) << r.not_covered;
}

// Ranges not declared (most exported files): the flat-top search takes one more pass, and the result is analyze()'s.
TEST(StreamingPipeline, UndeclaredRangesTakeOnePassMoreAndEqualBatch) {
  Recording rec = simulated(3.5, 170, 0.35, 10, 200, 33);
  const StreamedAnalysis declared = analyze_streamed(passes_of(rec), PipelineSettings{});
  ASSERT_TRUE(declared.result) << declared.not_covered;
  rec.meta.acc_range_g = 0;
  rec.meta.gyr_range_dps = 0;
  const StreamedAnalysis r = analyze_streamed(passes_of(rec), PipelineSettings{});
  ASSERT_TRUE(r.result) << r.not_covered;
  EXPECT_EQ(r.passes, declared.passes + 1);
  const SessionResult batch = analyze(rec);
  ASSERT_EQ(r.result->strides.size(), batch.strides.size());
  ASSERT_GT(batch.strides.size(), 5u);
  for (std::size_t i = 0; i < batch.strides.size(); ++i) {
    EXPECT_EQ(r.result->strides[i].ic_s, batch.strides[i].ic_s) << i;
    EXPECT_NEAR(r.result->strides[i].stride_length_m, batch.strides[i].stride_length_m, 1e-9) << i;
  }
  EXPECT_EQ(r.result->quality.acc_limit_mps2, batch.quality.acc_limit_mps2);
}

// Peak memory does not grow with the recording's samples: 10 and 40 minutes of running at 200 Hz. What is kept per
// stride (the stride, its events, their vectors' growth) may grow, by at most 2 KiB a stride; holding the samples
// would add ~18 KiB a stride at this rate (0.7 s x 200 Hz x ~125 B), so a path that held them fails here.
TEST(StreamingPipeline, PeakMemoryIsFlatInTheRecordingsLength) {
  const auto peak_of = [](int minutes, std::size_t& strides) {
    const Recording rec = simulated(3.5, 170, 0.35, minutes * 85, 200, 41);
    const RecordingPasses passes = passes_of(rec);
    const test::PeakMeter meter;
    const StreamedAnalysis r = analyze_streamed(passes, PipelineSettings{});
    strides = r.result ? r.result->strides.size() : 0;
    if (r.result) {  // held in chunks, then moved into vectors of exactly their size: no doubling's spare capacity
      EXPECT_EQ(r.result->strides.capacity(), r.result->strides.size()) << minutes << " min";
      EXPECT_EQ(r.result->events.events.capacity(), r.result->events.events.size()) << minutes << " min";
    }
    return meter.peak_bytes();
  };
  std::size_t strides10 = 0, strides40 = 0;
  const std::size_t peak10 = peak_of(10, strides10), peak40 = peak_of(40, strides40);
  ASSERT_GT(strides40, 3 * strides10);
  EXPECT_LT(static_cast<double>(peak40), 1.5 * static_cast<double>(peak10)) << peak10 << " -> " << peak40 << " B";
  EXPECT_LT(peak40 - std::min(peak40, peak10), 2048 * (strides40 - strides10)) << peak10 << " -> " << peak40 << " B";
}

// The command's session document: streaming and whole-recording paths give the same JSON on the repository's
// single-file recordings (the ones the streaming path covers; the others fall back and are trivially equal),
// trust_windows included (the streamed one from an extra pass that keeps only the windows' samples, those of each
// flag's evidence strides too when flags share a window). The files are
// small, so streaming is forced (stream_above_samples = 0).
TEST(StreamingPipeline, SessionDocumentEqualsBatchOnRepositoryRecordings) {
  const std::string root = STRIDE_SOURCE_DIR;
  int covered = 0;
  std::size_t trust_windows = 0, zero_velocity = 0, shared = 0;
  for (const char* file : {"recordings/sim_run_rearfoot_3.5mps.csv", "recordings/sim_walk_1.4mps.csv",
                           "recordings/sim_run_low_cadence_3.2mps.csv",
                           "recordings/sim_two_feet_overstride_left.csv",
                           "recordings/reference/xio_gait_tracking/short_walk.csv",
                           "recordings/reference/microstrain_footprint_walks/SensorConnectData_31.csv"}) {
    session::SessionFiles files{root + "/" + file, "", ""};
    session::AnalyzeRequest q;
    q.streaming = false;
    const session::SessionOutcome batch = session::analyse_session(files, q);
    q.streaming = true;
    q.stream_above_samples = 0;
    const session::SessionOutcome streamed = session::analyse_session(files, q);
    EXPECT_EQ(streamed.error, batch.error) << file;
    expect_same_json(streamed.doc.materialise(), batch.doc.materialise(), file);
    const io::StreamedOpen open = io::open_streamed(files.parts(), {}, {}, streamed_not_covered);
    covered += open.file ? 1 : 0;
    if (open.file && streamed.doc.without_strides().contains("trust_windows"))
      for (const auto& w : streamed.doc.without_strides()["trust_windows"]) {
        ++trust_windows;
        zero_velocity += w["zero_velocity_s"].size();
        shared += w.contains("other_flags");
      }
    std::printf("  %s: %s\n", file, open.file ? "streamed" : ("whole: " + open.not_covered).c_str());
  }
  EXPECT_GE(covered, 3);
  // The comparison above means something for the trust view: streamed files had windows with stances in them.
  EXPECT_GE(trust_windows, 2u);
  EXPECT_GE(zero_velocity, 2u);
  EXPECT_GE(shared, 1u) << "a window of two flags, each with its evidence strides (the demo's low cadence)";
}

// The size policy: a file of at most stream_above_samples samples is held from the first read and analysed whole,
// a larger one streamed; either side of the threshold (forced here on one file) gives the batch document.
TEST(StreamingPipeline, SizeThresholdGivesTheSameDocumentEitherSide) {
  session::SessionFiles files{std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_two_feet_overstride_left.csv", "", ""};
  session::AnalyzeRequest q;
  std::size_t poses = 0;  // the trajectory sink sees the same poses on either side
  q.trajectory_sink = [&](std::size_t, const FootPose&) { ++poses; };
  q.streaming = false;
  const session::SessionOutcome batch = session::analyse_session(files, q);
  const std::size_t batch_poses = poses;
  ASSERT_GT(batch_poses, 0u);
  const io::StreamedOpen open = io::open_streamed(files.parts(), {}, {}, streamed_not_covered);
  ASSERT_TRUE(open.file) << open.not_covered;  // else both sides fall back and the test says nothing
  std::size_t samples = 0;
  open.file->replay([&](std::span<const ImuSample> b) { samples += b.size(); });
  ASSERT_GT(samples, 1000u);
  q.streaming = true;
  for (const std::size_t threshold : {samples - 1, samples, std::size_t{500'000}}) {
    q.stream_above_samples = threshold;
    poses = 0;
    const session::SessionOutcome out = session::analyse_session(files, q);
    EXPECT_EQ(out.error, batch.error) << threshold;
    expect_same_json(out.doc.materialise(), batch.doc.materialise(), "threshold " + std::to_string(threshold));
    EXPECT_EQ(poses, batch_poses) << threshold;
  }
}

// A .strideb is replayed through StridebReader's blocks: streamed (forced), held and whole give the same document.
TEST(StreamingPipeline, StridebStreamedEqualsBatch) {
  const Recording rec =
      io::import_file(std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_two_feet_overstride_left.csv").recording;
  const std::string path = ::testing::TempDir() + "stream_equal.strideb";
  {
    std::ofstream out(path, std::ios::binary);
    io::write_strideb(out, rec, 1000);  // blocks that do not line up with the replay's
  }
  const session::SessionFiles files{path, "", ""};
  const io::StreamedOpen open = io::open_streamed(files.parts(), {}, {}, streamed_not_covered);
  ASSERT_TRUE(open.file) << open.not_covered;
  EXPECT_EQ(open.file->header.report.format, "strideb");
  session::AnalyzeRequest q;
  q.streaming = false;
  const session::SessionOutcome batch = session::analyse_session(files, q);
  ASSERT_TRUE(batch.analysed()) << batch.error;
  ASSERT_FALSE(batch.doc.without_strides()["trust_windows"].empty());
  q.streaming = true;
  for (const std::size_t threshold : {std::size_t{0}, std::size_t{500'000}}) {
    q.stream_above_samples = threshold;
    const session::SessionOutcome out = session::analyse_session(files, q);
    EXPECT_EQ(out.error, batch.error) << threshold;
    expect_same_json(out.doc.materialise(), batch.doc.materialise(), "strideb, threshold " + std::to_string(threshold));
  }
  std::remove(path.c_str());
}

// Two feet, each foot's file read in passes (forced), one held and one streamed, or both held: the same document
// as the whole recordings give, trust windows included; also when the right file must be moved onto the left's
// clock (host-clock marks with an offset and a drift), which the streamed foot does on each replay.
TEST(StreamingPipeline, TwoFeetDocumentEqualsBatch) {
  const std::string root = STRIDE_SOURCE_DIR;
  Recording left = io::import_file(root + "/recordings/sim_two_feet_overstride_left.csv").recording;
  Recording right = io::import_file(root + "/recordings/sim_two_feet_overstride_right.csv").recording;
  const std::string left_marked = ::testing::TempDir() + "two_feet_marked_left.csv";
  const std::string right_marked = ::testing::TempDir() + "two_feet_marked_right.csv";
  {
    // The right board's clock runs 30 ppm slow and its host saw it start 0.4 s after the left's.
    for (double t = 0; t < left.samples.back().t_s; t += 2.0) {
      left.clock_marks.push_back({t, 1767225600.0 + t});
      right.clock_marks.push_back({t, 1767225600.4 + t * (1.0 + 30e-6)});
    }
    std::ofstream l(left_marked, std::ios::binary), r(right_marked, std::ios::binary);
    io::write_native(l, left);
    io::write_native(r, right);
  }
  for (const auto& [lpath, rpath, source] :
       {std::tuple{root + "/recordings/sim_two_feet_overstride_left.csv",
                   root + "/recordings/sim_two_feet_overstride_right.csv", "host_clock"},
        std::tuple{left_marked, right_marked, "host_clock_marks"}}) {
    const session::SessionFiles files{lpath, rpath, ""};
    session::AnalyzeRequest q;
    q.streaming = false;
    const session::SessionOutcome batch = session::analyse_session(files, q);
    ASSERT_TRUE(batch.analysed()) << batch.error;
    EXPECT_EQ(batch.doc.without_strides()["bilateral"]["clock"]["source"], source);
    ASSERT_FALSE(batch.doc.without_strides()["trust_windows"].empty()) << "the comparison would say nothing of the trust windows";
    q.streaming = true;
    // Both streamed; the left held and the right streamed (the files hold ~44 300 samples each); both held.
    for (const std::size_t threshold : {std::size_t{0}, left.samples.size(), std::size_t{500'000}}) {
      q.stream_above_samples = threshold;
      const session::SessionOutcome out = session::analyse_session(files, q);
      EXPECT_EQ(out.error, batch.error) << threshold;
      expect_same_json(out.doc.materialise(), batch.doc.materialise(), std::string(source) + ", threshold " + std::to_string(threshold));
    }
  }
  EXPECT_GT(left.samples.size(), 40'000u);
  EXPECT_GT(right.samples.size(), left.samples.size());  // so the middle threshold holds the left foot only
  std::remove(left_marked.c_str());
  std::remove(right_marked.c_str());
}

// How often each of some files is opened (inotify's IN_OPEN events), to show that a file is read once. Every open
// is followed by its close before the next (the readers open a file, read it, close it), so no two opens are
// coalesced into one event.
class OpenCounter {
 public:
  explicit OpenCounter(const std::vector<std::string>& paths) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    for (const auto& p : paths) watches_.push_back(inotify_add_watch(fd_, p.c_str(), IN_OPEN | IN_CLOSE));
  }
  ~OpenCounter() { close(fd_); }
  OpenCounter(const OpenCounter&) = delete;
  OpenCounter& operator=(const OpenCounter&) = delete;
  bool ok() const {
    return fd_ >= 0 && std::all_of(watches_.begin(), watches_.end(), [](int w) { return w >= 0; });
  }
  // The opens of each path since the last call, in the order given.
  std::vector<int> take() {
    std::vector<int> opens(watches_.size(), 0);
    alignas(inotify_event) char buf[1 << 16];
    for (ssize_t got; (got = read(fd_, buf, sizeof buf)) > 0;)
      for (ssize_t at = 0; at < got;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
        const auto w = std::find(watches_.begin(), watches_.end(), e->wd);
        if ((e->mask & IN_OPEN) && w != watches_.end()) ++opens[static_cast<std::size_t>(w - watches_.begin())];
        at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    return opens;
  }

 private:
  int fd_;
  std::vector<int> watches_;
};

// The right foot's file rewritten: without its gyroscope columns (the passes decline it once they have read it),
// or placed on the shin (the streaming path does not cover it).
std::string right_foot_variant(const std::string& right, const std::string& variant) {
  std::ifstream in(right, std::ios::binary);
  const std::string path = ::testing::TempDir() + "read_once_right_" + variant + ".csv";
  std::ofstream out(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (variant == "shin" && line == "# placement: shoe") line = "# placement: shin";
    if (variant == "no_gyro" && !line.starts_with("#")) {  // the first four columns: t_s and the accelerometer
      std::size_t comma = 0;
      for (int i = 0; i < 4 && comma != std::string::npos; ++i) comma = line.find(',', comma + (i > 0));
      line.resize(std::min(comma, line.size()));
    }
    out << line << '\n';
  }
  return path;
}

// Two feet where the streaming path reads one file and not the other through: the passes declined the right foot
// after its first read (no gyroscope), or do not cover it at all (shin). The left file, and the declined right
// file, are opened only as often as their first read alone opens them (a look at the head for a .strideb, then
// open_streamed's looks and its read): the later passes and a declined foot's whole analysis replay the spool or
// the held samples. The document is the batch's, held or streamed.
TEST(StreamingPipeline, TwoFeetReadEachCoveredFileOnce) {
  const std::string root = STRIDE_SOURCE_DIR;
  // A private copy: inotify counts every process's opens, and other tests (ctest -j) read the repository's file at
  // the same time (CI once counted 7 opens for a first read of one).
  const std::string left = ::testing::TempDir() + "read_once_left.csv";
  std::filesystem::copy_file(root + "/recordings/sim_two_feet_overstride_left.csv", left,
                             std::filesystem::copy_options::overwrite_existing);
  for (const std::string variant : {"no_gyro", "shin"}) {
    const std::string right = right_foot_variant(root + "/recordings/sim_two_feet_overstride_right.csv", variant);
    OpenCounter opens({left, right});
    ASSERT_TRUE(opens.ok()) << std::strerror(errno);
    const std::vector<int> first_read = [&] {
      for (const auto& path : {left, right}) {  // as the session's first read: is it a .strideb? then the read
        io::replays_binary({path});
        io::open_streamed({path}, {}, {}, streamed_not_covered);
      }
      return opens.take();
    }();
    ASSERT_GE(first_read[0], 1) << "no open seen: the count says nothing";
    const session::SessionFiles files{left, right, ""};
    session::AnalyzeRequest q;
    q.streaming = false;
    const session::SessionOutcome batch = session::analyse_session(files, q);
    ASSERT_TRUE(batch.analysed()) << batch.error;
    opens.take();
    q.streaming = true;
    for (const std::size_t threshold : {std::size_t{0}, std::size_t{500'000}}) {  // streamed, held
      q.stream_above_samples = threshold;
      const session::SessionOutcome out = session::analyse_session(files, q);
      const std::vector<int> session = opens.take();
      const std::string what = variant + ", threshold " + std::to_string(threshold);
      EXPECT_EQ(session[0], first_read[0]) << what << ": the left file was read again";
      if (variant == "no_gyro") {
        EXPECT_EQ(session[1], first_read[1]) << what << ": the right file was read again";
      }
      EXPECT_EQ(out.error, batch.error) << what;
      expect_same_json(out.doc.materialise(), batch.doc.materialise(), what);
    }
    if (variant == "no_gyro") {  // the declined file alone, streamed: read once too, and the batch's document
      const session::SessionFiles alone{right, "", ""};
      q.streaming = false;
      const session::SessionOutcome alone_batch = session::analyse_session(alone, q);
      ASSERT_TRUE(alone_batch.analysed()) << alone_batch.error;
      opens.take();
      q.streaming = true;
      q.stream_above_samples = 0;
      const session::SessionOutcome out = session::analyse_session(alone, q);
      EXPECT_EQ(opens.take()[1], first_read[1]) << "one foot: the declined file was read again";
      expect_same_json(out.doc.materialise(), alone_batch.doc.materialise(), "no_gyro, one foot");
    }
    std::remove(right.c_str());
  }
  std::remove(left.c_str());
}

// Both paths check the settings alike (pipeline_steps::Stages), before any sample is touched: a bad value of each
// stage's settings throws, naming its stage and field, from analyze() and from analyze_streamed() without a replay.
TEST(StreamingPipeline, BadSettingsAreRefusedAlikeBeforeAnySample) {
  const Recording rec = simulated(3.5, 170, 0.35, 6, 200, 51);
  const std::vector<std::pair<std::string, std::function<void(PipelineSettings&)>>> bad = {
      {"MountingCalibration: rest_window_s", [](PipelineSettings& s) { s.calibration.rest_window_s = 0; }},
      {"ImpactPitchDetector: stance_lowpass_hz", [](PipelineSettings& s) { s.events.stance_lowpass_hz = 0; }},
      {"StrideBuilder: max_gap_s", [](PipelineSettings& s) { s.strides.max_gap_s = 0; }},
      {"FootTrajectory: zv_relative", [](PipelineSettings& s) { s.trajectory.zv_relative = -1; }},
      {"max_speed_mps", [](PipelineSettings& s) { s.plausibility.max_speed_mps = -1; }}};
  for (const auto& [named, spoil] : bad) {
    PipelineSettings settings;
    spoil(settings);
    std::string whole, streamed;
    try {
      analyze(rec, settings);
    } catch (const std::invalid_argument& e) {
      whole = e.what();
    }
    bool replayed = false;
    const RecordingPasses passes{rec.meta, rec.gaps, [&](const io::SampleSink&) { replayed = true; }};
    try {
      analyze_streamed(passes, settings, {});
    } catch (const std::invalid_argument& e) {
      streamed = e.what();
    }
    EXPECT_NE(whole.find(named), std::string::npos) << named << ": " << whole;
    EXPECT_EQ(streamed, whole) << named;
    EXPECT_FALSE(replayed) << named;
  }
}

// A recording still being written (or replaced) between passes: the pass that finds fewer samples says so.
TEST(StreamedInput, AFileThatShrinksBetweenPassesIsAnError) {
  const std::string path = ::testing::TempDir() + "stream_shrinks.csv";
  Recording rec = simulated(3.5, 170, 0.35, 6, 200, 51);
  const auto write = [&](const Recording& r) {
    std::ofstream out(path, std::ios::binary);
    io::write_native(out, r);
  };
  write(rec);
  const io::StreamedOpen open = io::open_streamed({path});
  ASSERT_TRUE(open.file) << open.not_covered;
  std::size_t seen = 0;
  open.file->replay([&](std::span<const ImuSample> b) { seen += b.size(); });
  EXPECT_EQ(seen, rec.samples.size());
  rec.samples.resize(rec.samples.size() / 2);
  write(rec);
  try {
    open.file->replay([](std::span<const ImuSample>) {});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("changed while it was read"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace stride
