// import_input (firmware_iface/import/): one sensor in two files joined on their clocks, folders and zip exports,
// and irregular phone clocks resampled onto a uniform grid, with jitter no longer read as lost samples.
// The reference is the same motion sampled on a uniform clock: the analysis must agree with it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "analysis/pipeline.hpp"
#include "cli_runner.hpp"
#include "session_doc.hpp"
#include "zip_fixture.hpp"
#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/import/join_streams.hpp"
#include "stride/resample.hpp"
#include "stride/simulate.hpp"

namespace stride {
namespace {

namespace fs = std::filesystem;
using test::zip_folder;

// A run at 1 kHz: the "continuous" motion the other clocks sample.
const sim::Result& dense_run() {
  static const sim::Result r = [] {
    sim::Settings s;
    s.strides = 20;
    s.rate_hz = 1000;
    s.seed = 11;
    s.acc_range_g = 0;  // no clipping: the comparison is about clocks
    s.gyr_range_dps = 0;
    return sim::simulate(s);
  }();
  return r;
}

// The dense run sampled at the given times (linear interpolation of the 1 kHz samples).
std::vector<ImuSample> sample_at(const std::vector<double>& times) {
  const auto& d = dense_run().recording.samples;
  std::vector<ImuSample> out;
  std::size_t k = 0;
  for (const double t : times) {
    while (k + 2 < d.size() && d[k + 1].t_s <= t) ++k;
    out.push_back(interpolate(d[k], d[k + 1], t));
  }
  return out;
}

// Stamps of a phone-like clock: nominal interval plus uniform jitter of +-jitter_s (kept increasing), from start.
std::vector<double> phone_clock(double interval_s, double jitter_s, double start_s, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-jitter_s, jitter_s);
  const double end = dense_run().recording.samples.back().t_s - 0.05;
  std::vector<double> t;
  for (double k = 0;; ++k) {
    const double x = start_s + k * interval_s + u(rng);
    if (x > end) break;
    if (x > 0 && (t.empty() || x > t.back() + 1e-4)) t.push_back(x);
  }
  return t;
}

std::vector<double> uniform_clock(double interval_s) { return phone_clock(interval_s, 0.0, interval_s, 0); }

Recording recording_of(std::vector<ImuSample> samples) {
  Recording r;
  r.meta = dense_run().recording.meta;
  r.meta.rate_hz = 0;
  r.samples = std::move(samples);
  return r;
}

enum class Part { both, acc, gyr };

// CSV as a phone app writes it: seconds since the app's start, m/s^2 and rad/s, one or both sensors.
std::string phone_csv(const std::vector<ImuSample>& samples, Part part) {
  std::ostringstream out;
  // One sensor per file: phyphox's layout ("Acceleration with g" and "Gyroscope rotation rate" exports).
  if (part == Part::acc) out << R"x("Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)")x";
  if (part == Part::gyr) out << R"x("Time (s)","Gyroscope x (rad/s)","Gyroscope y (rad/s)","Gyroscope z (rad/s)")x";
  if (part == Part::both)
    out << "Time (s),Accelerometer X (m/s^2),Accelerometer Y (m/s^2),Accelerometer Z (m/s^2),Gyroscope X (rad/s),"
           "Gyroscope Y (rad/s),Gyroscope Z (rad/s)";
  out << '\n';
  out.precision(10);
  for (const auto& s : samples) {
    out << s.t_s;
    if (part != Part::gyr) out << ',' << s.acc_mps2.x() << ',' << s.acc_mps2.y() << ',' << s.acc_mps2.z();
    if (part != Part::acc) out << ',' << s.gyr_rad_s.x() << ',' << s.gyr_rad_s.y() << ',' << s.gyr_rad_s.z();
    out << '\n';
  }
  return out.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

SessionResult analyse(const Recording& rec) { return analyze(rec, PipelineSettings{}); }

// The figures a runner reads, on two clocks of the same motion: means over the strides (a 100 Hz clock places each
// event within +-5 ms; a stride's cadence then varies by +-1 %, the mean over 20 strides by far less).
void expect_same_gait(const SessionResult& got, const SessionResult& ref, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_GE(ref.summary.strides_valid, 15u);
  EXPECT_NEAR(static_cast<double>(got.summary.strides_valid), static_cast<double>(ref.summary.strides_valid), 1.0);
  const auto metric = [](const SessionResult& r, const std::string& name) {
    for (const auto& m : r.summary.metrics)
      if (m.name == name) return m.mean;
    return std::nan("");
  };
  EXPECT_NEAR(metric(got, "cadence_spm"), metric(ref, "cadence_spm"), 0.5);
  EXPECT_NEAR(metric(got, "gct_ms"), metric(ref, "gct_ms"), 5.0);  // half a 100 Hz interval
  EXPECT_NEAR(metric(got, "stride_length_m"), metric(ref, "stride_length_m"), 0.02 * metric(ref, "stride_length_m"));
}

TEST(ClockRegularity, ACrystalClockIsRegularAPhoneClockIsNot) {
  const auto uniform = sample_at(uniform_clock(0.01));
  EXPECT_FALSE(clock_regularity(uniform).irregular());
  EXPECT_NEAR(clock_regularity(uniform).median_interval_s, 0.01, 1e-9);
  const auto phone = sample_at(phone_clock(0.01, 0.003, 0.01, 3));
  const auto c = clock_regularity(phone);
  EXPECT_TRUE(c.irregular());
  EXPECT_GT(c.off_beat_share(), 0.2);
  EXPECT_EQ(c.gap_factor(), kIrregularGapFactor);
}

TEST(Resample, ALinearSignalComesBackExactlyOnTheGridAndGapsAreNotBridged) {
  std::vector<ImuSample> in;
  for (double t : {0.0, 0.011, 0.019, 0.032, 0.04, 0.5, 0.512, 0.52}) {  // a 460 ms hole after 0.04
    ImuSample s;
    s.t_s = t;
    s.acc_mps2 = Eigen::Vector3d(2 * t, -t, 9.81);
    s.gyr_rad_s = Eigen::Vector3d(t, 0, 3 * t);
    in.push_back(s);
  }
  const auto out = resample_uniform(in, 0.01, 0.03);
  ASSERT_EQ(out.size(), 8u);  // 0, .01, .02, .03, .04 | .5, .51, .52
  for (const auto& s : out) {
    EXPECT_NEAR(s.acc_mps2.x(), 2 * s.t_s, 1e-12) << s.t_s;
    EXPECT_NEAR(s.gyr_rad_s.z(), 3 * s.t_s, 1e-12) << s.t_s;
  }
  EXPECT_DOUBLE_EQ(out[4].t_s, 0.04);
  EXPECT_DOUBLE_EQ(out[5].t_s, 0.5);  // the grid starts again after the hole
  EXPECT_EQ(find_gaps(out, 0.01).size(), 1u);
}

class ImportInputFiles : public ::testing::Test {
 protected:
  test::ScratchDir scratch_;
  fs::path dir_ = scratch_.path();
};

TEST_F(ImportInputFiles, PhoneJitterIsNotAGapAndTheResampledRunMatchesAUniformClock) {
  const auto phone = sample_at(phone_clock(0.01, 0.004, 0.01, 7));
  write(dir_ / "phone.csv", phone_csv(phone, Part::both));
  // Before: read as it is, jitter of +-4 ms on 10 ms made steps over 15 ms count as lost samples.
  const io::Imported raw = io::import_file((dir_ / "phone.csv").string());
  EXPECT_GT(raw.recording.gaps.size(), 50u);
  const io::Imported r = io::import_input({(dir_ / "phone.csv").string()});
  EXPECT_EQ(r.recording.gaps.size(), 0u);
  ASSERT_EQ(r.report.notes.size(), 1u);
  EXPECT_NE(r.report.notes[0].find("resampled onto a uniform 100.0 Hz grid"), std::string::npos) << r.report.notes[0];
  EXPECT_FALSE(clock_regularity(r.recording.samples).irregular());
  EXPECT_NEAR(r.recording.meta.rate_hz, 100.0, 1.0);
  expect_same_gait(analyse(r.recording), analyse(recording_of(sample_at(uniform_clock(0.01)))), "phone vs uniform");
}

TEST_F(ImportInputFiles, ARealDropoutOnAPhoneClockIsStillAGap) {
  auto t = phone_clock(0.01, 0.003, 0.01, 9);
  t.erase(std::remove_if(t.begin(), t.end(), [](double x) { return x > 5.0 && x < 5.3; }), t.end());
  write(dir_ / "phone.csv", phone_csv(sample_at(t), Part::both));
  const io::Imported r = io::import_input({(dir_ / "phone.csv").string()});
  ASSERT_EQ(r.recording.gaps.size(), 1u);
  EXPECT_NEAR(r.recording.gaps[0].start_s, 4.99, 0.03);  // the file starts at ~0.01 s; the grid is 10 ms
  EXPECT_GE(r.recording.gaps[0].missing_samples, 25u);
}

TEST_F(ImportInputFiles, ABoardsRegularFileIsLeftAsItIs) {
  const auto uniform = sample_at(uniform_clock(0.005));
  write(dir_ / "board.csv", phone_csv(uniform, Part::both));
  const io::Imported plain = io::import_file((dir_ / "board.csv").string());
  const io::Imported r = io::import_input({(dir_ / "board.csv").string()});
  EXPECT_TRUE(r.report.notes.empty());
  ASSERT_EQ(r.recording.samples.size(), plain.recording.samples.size());
  for (std::size_t i = 0; i < r.recording.samples.size(); i += 97)
    EXPECT_EQ(r.recording.samples[i].acc_mps2, plain.recording.samples[i].acc_mps2);
}

// Two files of one sensor, each on its own jittered ticks of one clock, the gyroscope starting 0.37 s later.
void write_split(const fs::path& dir, const std::string& acc_name, const std::string& gyr_name) {
  write(dir / acc_name, phone_csv(sample_at(phone_clock(0.01, 0.002, 0.004, 21)), Part::acc));
  write(dir / gyr_name, phone_csv(sample_at(phone_clock(0.01, 0.002, 0.37, 22)), Part::gyr));
}

TEST_F(ImportInputFiles, AnAccelerometerFileAndAGyroscopeFileAreOneRecording) {
  write_split(dir_, "Accelerometer.csv", "Gyroscope.csv");
  const std::string acc = (dir_ / "Accelerometer.csv").string(), gyr = (dir_ / "Gyroscope.csv").string();
  const io::Imported r = io::import_input({gyr, acc});  // either order
  EXPECT_EQ(r.report.source, acc + " + " + gyr);
  EXPECT_TRUE(r.report.has_acc);
  EXPECT_TRUE(r.report.has_gyro);
  ASSERT_GE(r.report.notes.size(), 1u);
  EXPECT_NE(r.report.notes[0].find("the gyroscope starts 0.36"), std::string::npos) << r.report.notes[0];
  for (const auto& s : r.recording.samples) ASSERT_TRUE(s.gyr_rad_s.allFinite() && s.acc_mps2.allFinite());
  expect_same_gait(analyse(r.recording), analyse(recording_of(sample_at(uniform_clock(0.01)))), "joined vs uniform");
}

TEST_F(ImportInputFiles, TheCommandLineJoinsTheTwoFilesOfOneSensor) {
  write_split(dir_, "Accelerometer.csv", "Gyroscope.csv");
  const auto run = test::run_stride({"analyze", (dir_ / "Accelerometer.csv").string(),
                                     (dir_ / "Gyroscope.csv").string(), "--json", "-"}, scratch_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = test::only_foot(nlohmann::json::parse(run.out));
  EXPECT_NE(doc["input"]["file"].get<std::string>().find(" + "), std::string::npos);
  EXPECT_GE(doc["summary"]["strides_valid"].get<int>(), 15);
  EXPECT_FALSE(doc["import"]["notes"].empty());
}

TEST_F(ImportInputFiles, OneOfTheTwoFilesAloneSaysWhatIsMissing) {
  write_split(dir_, "Accelerometer.csv", "Gyroscope.csv");
  const auto acc = test::run_stride({"analyze", (dir_ / "Accelerometer.csv").string()}, scratch_);
  EXPECT_EQ(acc.exit_code, 0) << acc.describe();  // the accelerometer-only path runs
  EXPECT_NE(acc.out.find("phyphox writes the gyroscope in a file of its own"), std::string::npos) << acc.out;
  const auto gyr = test::run_stride({"analyze", (dir_ / "Gyroscope.csv").string()}, scratch_);
  EXPECT_EQ(gyr.exit_code, 1) << gyr.describe();
  EXPECT_NE(gyr.err.find("Gyroscope.csv holds a gyroscope only (phyphox); give its accelerometer file too"),
            std::string::npos) << gyr.err;
}

TEST_F(ImportInputFiles, ClocksThatDoNotOverlapAreRefusedNamingBothFiles) {
  write(dir_ / "acc.csv", phone_csv(sample_at(phone_clock(0.01, 0.0, 0.01, 1)), Part::acc));
  auto late = sample_at(phone_clock(0.01, 0.0, 0.01, 1));
  for (auto& s : late) s.t_s += 1000.0;
  write(dir_ / "gyr.csv", phone_csv(late, Part::gyr));
  try {
    io::import_input({(dir_ / "acc.csv").string(), (dir_ / "gyr.csv").string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("acc.csv"), std::string::npos) << what;
    EXPECT_NE(what.find("gyr.csv"), std::string::npos) << what;
    EXPECT_NE(what.find("do not overlap"), std::string::npos) << what;
  }
}

TEST_F(ImportInputFiles, TwoAccelerometerFilesAreNotOneSensor) {
  const auto s = sample_at(uniform_clock(0.01));
  write(dir_ / "a.csv", phone_csv(s, Part::acc));
  write(dir_ / "b.csv", phone_csv(s, Part::acc));
  try {
    io::import_input({(dir_ / "a.csv").string(), (dir_ / "b.csv").string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("expected one accelerometer file and one gyroscope file"),
              std::string::npos) << e.what();
  }
}

TEST_F(ImportInputFiles, AFolderOrZipExportIsReadByItsSensorFiles) {
  const fs::path exp = dir_ / "export";
  fs::create_directories(exp / "meta");
  write_split(exp, "Accelerometer.csv", "Gyroscope.csv");
  write(exp / "meta" / "device.csv", "\"property\",\"value\"\n\"model\",\"phone\"\n");
  write(exp / "Notes.txt", "a run in the park\n");
  zip_folder(exp, dir_ / "export.zip");
  for (const fs::path& input : {exp, dir_ / "export.zip"}) {
    SCOPED_TRACE(input.string());
    const io::Imported r = io::import_input({input.string()});
    EXPECT_TRUE(r.report.has_gyro);
    // What the session hashes: a zip's bytes; a folder's sensor files (a folder has no bytes of its own).
    const std::vector<std::string> files =
        input == exp ? std::vector<std::string>{(exp / "Accelerometer.csv").string(), (exp / "Gyroscope.csv").string()}
                     : std::vector<std::string>{input.string()};
    EXPECT_EQ(r.report.files, files);
    expect_same_gait(analyse(r.recording), analyse(recording_of(sample_at(uniform_clock(0.01)))), "export");
  }
  const auto run = test::run_stride({"analyze", (dir_ / "export.zip").string()}, scratch_);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("import: joined Gyroscope.csv"), std::string::npos) << run.out;
}

TEST_F(ImportInputFiles, AZipWithoutSensorFilesSaysWhatItFoundAndWhatWasExpected) {
  const fs::path exp = dir_ / "other";
  fs::create_directories(exp);
  write(exp / "readme.txt", "nothing here\n");
  write(exp / "Gyroscope.csv", phone_csv(sample_at(uniform_clock(0.01)), Part::gyr));
  zip_folder(exp, dir_ / "other.zip");
  try {
    io::import_input({(dir_ / "other.zip").string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("other.zip: no accelerometer file"), std::string::npos) << what;
    EXPECT_NE(what.find("Gyroscope.csv: gyroscope only"), std::string::npos) << what;
  }
  write(dir_ / "broken.zip", std::string("PK\3\4") + std::string(100, 'x'));
  EXPECT_THROW(io::import_input({(dir_ / "broken.zip").string()}), io::ImportError);
}

}  // namespace
}  // namespace stride
