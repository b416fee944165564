// Movesense IMU6 JSON: the simulator's run written as notifications (one per line, an array, a Logbook-style
// document), imported and compared with the samples and the analysis of the native recording; damage (a truncated
// line, a line without arrays) counted with its line; errors quote at most ~80 characters; detection.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "firmware_iface/import/movesense_json.hpp"
#include "firmware_iface/import/witmotion_binary.hpp"
#include "format_compare.hpp"
#include "format_writers.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"

namespace stride {
namespace {

const Recording& ms_run() {
  static const Recording rec = [] {
    sim::Settings s;
    s.rate_hz = 208.0;
    s.strides = 12;
    s.rest_before_s = 2.0;
    s.rest_after_s = 1.0;
    Recording r = sim::simulate(s).recording;
    r.samples.resize(r.samples.size() / 8 * 8);  // whole notifications of 8
    return r;
  }();
  return rec;
}

io::Imported import_text(const std::string& text, const io::ImportOptions& o = {}) {
  std::istringstream in(text);
  return io::import_movesense_json(in, "ms.json", o);
}

// 4 decimals in the file; the sensor's ms Timestamps put each sample within about a millisecond.
const test::Tolerance kFourDecimals{1.2e-3, 5.1e-5, 5.1e-5 * 3.14159265358979 / 180};

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

TEST(MovesenseImport, OneNotificationPerLineGivesTheSimulatorsSamples) {
  const auto got = import_text(test::movesense_lines(ms_run(), 208));
  test::expect_same_samples(got.recording, ms_run(), kFourDecimals);
  EXPECT_EQ(got.report.format, "movesense-json");
  EXPECT_DOUBLE_EQ(got.recording.meta.rate_hz, 208.0);
  EXPECT_NE(got.report.rate_reason.find("Uri"), std::string::npos) << got.report.rate_reason;
  EXPECT_EQ(got.report.acc_unit, "m/s^2");
  EXPECT_EQ(got.report.gyr_unit, "deg/s");
  EXPECT_EQ(got.report.skipped, 0u);
  EXPECT_TRUE(got.recording.gaps.empty());
  EXPECT_TRUE(got.report.has_gyro);
}

TEST(MovesenseImport, AnalysisEqualsTheNativeRecordingOfTheSameMotion) {
  const auto got = import_text(test::movesense_lines(ms_run(), 208));
  test::expect_same_gait(got.recording, ms_run());
}

TEST(MovesenseImport, RateFromTheTimestampsWhenNoUri) {
  std::string text;
  for (auto l : lines_of(test::movesense_lines(ms_run(), 208))) {
    const auto body = l.substr(8, l.find(",\"Uri\"") - 8);  // {"Body":X,"Uri":..} -> X
    text += body + "\n";
  }
  const auto got = import_text(text);
  EXPECT_DOUBLE_EQ(got.recording.meta.rate_hz, 208.0);
  EXPECT_NE(got.report.rate_reason.find("Timestamps"), std::string::npos) << got.report.rate_reason;
  test::expect_same_samples(got.recording, ms_run(), kFourDecimals);
}

TEST(MovesenseImport, ArrayAndLogbookDocuments) {
  const auto lines = lines_of(test::movesense_lines(ms_run(), 208));
  std::string array = "[\n", logbook = "{\"Meas\": {\"IMU6\": [\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    array += lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    const auto& l = lines[i];
    logbook += l.substr(8, l.find(",\"Uri\"") - 8) + (i + 1 < lines.size() ? ",\n" : "\n");
  }
  array += "]\n";
  logbook += "]}}\n";
  const auto a = import_text(array);
  test::expect_same_samples(a.recording, ms_run(), kFourDecimals);
  EXPECT_EQ(a.recording.meta.extra.at("movesense_layout"), "a JSON array of notifications");
  const auto b = import_text(logbook);
  test::expect_same_samples(b.recording, ms_run(), kFourDecimals);
  EXPECT_NE(b.recording.meta.extra.at("movesense_layout").find("Logbook"), std::string::npos);
}

TEST(MovesenseImport, DamagedLinesAreCountedWithTheirLineAndQuoteLittle) {
  auto lines = lines_of(test::movesense_lines(ms_run(), 208));
  lines[10] = lines[10].substr(0, lines[10].size() / 2);                   // truncated JSON
  lines[20] = "{\"Body\":{\"Timestamp\":5,\"ArrayMagn\":[]}}";               // no ArrayAcc
  lines[30] = std::string(lines[30]).insert(12, std::string(5000, 'x'));  // long garbage inside
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  text += lines.back().substr(0, 40);  // the file ends mid-line (the recorder was killed)
  const auto got = import_text(text);
  EXPECT_EQ(got.report.skipped, 4u);
  ASSERT_EQ(got.report.issues.size(), 4u);
  EXPECT_EQ(got.report.issues[0].line, 11u);
  EXPECT_EQ(got.report.issues[1].line, 21u);
  EXPECT_EQ(got.report.issues[2].line, 31u);
  EXPECT_EQ(got.report.issues[3].line, lines.size() + 1);
  for (const auto& i : got.report.issues) EXPECT_LT(i.what.size(), 200u) << i.what;
  // The three lost notifications are three gaps; everything else is there.
  EXPECT_EQ(got.recording.samples.size(), ms_run().samples.size() - 3 * 8);
  EXPECT_EQ(got.recording.gaps.size(), 3u);
}

TEST(MovesenseImport, AHugeBadFirstLineIsAShortError) {
  std::string text = "{\"Body\":{\"Timestamp\":1,\"ArrayAcc\":[" + std::string(734000, '9') + "\n";
  try {
    import_text(text);
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_LT(std::string(e.what()).size(), 300u) << std::string(e.what()).substr(0, 400);
  }
}

TEST(MovesenseImport, AccOnlySubscription) {
  std::string text;
  for (auto l : lines_of(test::movesense_lines(ms_run(), 208))) {
    const auto g = l.find(",\"ArrayGyro\"");
    text += l.substr(0, g) + l.substr(l.find("]}", g) + 1) + "\n";
  }
  const auto got = import_text(text);
  EXPECT_FALSE(got.report.has_gyro);
  EXPECT_EQ(got.report.gyr_unit, "none");
  EXPECT_TRUE(std::isnan(got.recording.samples[0].gyr_rad_s[0]));
}

TEST(MovesenseDetect, SamplesYesNativeCsvRandomAndWitmotionNo) {
  std::string why;
  const auto text = test::movesense_lines(ms_run(), 208);
  EXPECT_TRUE(io::looks_like_movesense_json(std::string_view(text).substr(0, 65536), &why));
  EXPECT_NE(why.find("one JSON object per line"), std::string::npos) << why;
  std::ostringstream native;
  io::write_native(native, ms_run());
  EXPECT_FALSE(io::looks_like_movesense_json(native.str().substr(0, 65536), &why)) << why;
  std::mt19937 rng(3);
  std::string random(65536, '\0');
  for (auto& c : random) c = static_cast<char>(rng());
  EXPECT_FALSE(io::looks_like_movesense_json(random, &why));
  EXPECT_FALSE(io::looks_like_witmotion_binary(text.substr(0, 65536), &why)) << why;
  for (const char* name : {"imu6_104hz_lines.json", "logbook_imu6_104hz.json"}) {
    std::ifstream in(test::reference_data() / "formats/movesense" / name);
    ASSERT_TRUE(in) << name;
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_TRUE(io::looks_like_movesense_json(ss.str().substr(0, 65536), &why)) << name;
    EXPECT_FALSE(io::looks_like_witmotion_binary(ss.str().substr(0, 65536), &why)) << name;
    in.clear();
    std::istringstream again(ss.str());
    const auto got = io::import_movesense_json(again, name);
    EXPECT_GT(got.recording.samples.size(), 100u) << name;
    EXPECT_EQ(got.report.skipped, 0u) << name;
    EXPECT_DOUBLE_EQ(got.recording.meta.rate_hz, 104.0) << name;
  }
}

// Writes the reference samples under recordings/reference/formats/movesense/ (run with
// --gtest_also_run_disabled_tests --gtest_filter='*WriteReferenceSamples*'); SOURCE.md there describes them.
TEST(MovesenseImport, DISABLED_WriteReferenceSamples) {
  sim::Settings s;
  s.rate_hz = 104.0;
  s.strides = 2;
  s.rest_before_s = 1.0;
  s.rest_after_s = 0.5;
  const auto rec = sim::simulate(s).recording;
  const auto dir = test::reference_data() / "formats/movesense";
  std::filesystem::create_directories(dir);
  const auto text = test::movesense_lines(rec, 104, 4);
  std::ofstream(dir / "imu6_104hz_lines.json") << text;
  std::string logbook = "{\"Meas\": {\"IMU6\": [\n";
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    logbook += "  " + l.substr(8, l.find(",\"Uri\"") - 8) + (i + 1 < lines.size() ? ",\n" : "\n");
  }
  std::ofstream(dir / "logbook_imu6_104hz.json") << logbook << "]}}\n";
}

}  // namespace
}  // namespace stride
