// Importer presets (firmware_iface/import/): each source's layout, written from the simulator's run, imports as
// that preset and gives the gait of the native recording of the same motion; split sources (one sensor per file)
// import with the right axes, units and has_acc/has_gyro; detection, --format, `stride formats`; UTF-16 text.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/pipeline.hpp"
#include "cli_runner.hpp"
#include "firmware_iface/import/formats.hpp"
#include "firmware_iface/protocol/line_source.hpp"
#include "firmware_iface/protocol/range_declaration.hpp"
#include "sim_fixtures.hpp"
#include "stride/exit_codes.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"
#include "vendor_layouts.hpp"

namespace stride {
namespace {

using test::ScratchDir;
namespace vendor = test::vendor;

// A 200 Hz run of 16 strides with the usual sensor effects; ranges inside +-16 g / +-2000 deg/s.
const sim::Result& run() {
  static const sim::Result r = test::run_between_rests(16, 200, 11);
  return r;
}

const SessionResult& native_result() {
  static const SessionResult r = analyze(run().recording);
  return r;
}

double median_of(const SessionResult& r, const std::string& name) {
  for (const auto& m : r.summary.metrics)
    if (m.name == name) return m.median;
  return std::nan("");
}

io::Imported import_text(const std::string& text, const std::string& name, io::ImportOptions o = {}) {
  std::istringstream in(text);
  return io::import_csv(in, name, o);
}

// The vendor file analysed as the native recording: same strides; cadence within 0.5 spm, contact time within one
// sample (5 ms at 200 Hz) and stride length within 2 cm (the rounding of the vendors' number formats moves an
// event by at most a sample; the ZUPT length integrates the rounded values).
void expect_same_gait(io::Imported imp, const std::string& what) {
  imp.recording.meta.side = run().recording.meta.side;
  imp.recording.meta.placement = run().recording.meta.placement;
  const SessionResult got = analyze(imp.recording);
  const SessionResult& want = native_result();
  ASSERT_GE(want.summary.strides_valid, 10u);
  std::printf("  %-22s strides %zu/%zu cadence %.2f/%.2f spm GCT %.1f/%.1f ms length %.3f/%.3f m (file/native)\n",
              what.c_str(), got.summary.strides_valid, want.summary.strides_valid, median_of(got, "cadence_spm"),
              median_of(want, "cadence_spm"), median_of(got, "gct_ms"), median_of(want, "gct_ms"),
              median_of(got, "stride_length_m"), median_of(want, "stride_length_m"));
  EXPECT_NEAR(static_cast<double>(got.summary.strides_valid), static_cast<double>(want.summary.strides_valid), 1.0)
      << what;
  EXPECT_NEAR(median_of(got, "cadence_spm"), median_of(want, "cadence_spm"), 0.5) << what;
  EXPECT_NEAR(median_of(got, "gct_ms"), median_of(want, "gct_ms"), 5.0) << what;
  EXPECT_NEAR(median_of(got, "stride_length_m"), median_of(want, "stride_length_m"), 0.02) << what;
}

// ---- single-file sources: the whole gait ----

TEST(ImportPresets, ShimmerCommaAndTabGiveTheNativeGait) {
  for (const char sep : {',', '\t'}) {
    const auto imp = import_text(vendor::shimmer(run().recording, sep), "walk_Session1_Shimmer_40AC_Calibrated_PC.csv");
    EXPECT_EQ(imp.report.format, "shimmer");
    EXPECT_NE(imp.report.format_reason.find("Accel_WR"), std::string::npos) << imp.report.format_reason;
    EXPECT_EQ(imp.report.acc_unit, "m/s^2");
    EXPECT_NE(imp.report.acc_unit_reason.find("units row"), std::string::npos) << imp.report.acc_unit_reason;
    EXPECT_EQ(imp.report.gyr_unit, "deg/s");
    EXPECT_EQ(imp.report.time_unit, "ms");
    EXPECT_EQ(imp.report.skipped, 0u);
    EXPECT_EQ(imp.report.banner_lines, 0u);  // the sep= line is Excel's hint, not a banner
    ASSERT_EQ(imp.recording.samples.size(), run().recording.samples.size());
    expect_same_gait(imp, std::string("shimmer sep ") + (sep == ',' ? "comma" : "tab"));
  }
}

TEST(ImportPresets, WitMotionTextClockAcrossMidnightGivesTheNativeGait) {
  const auto imp = import_text(vendor::witmotion_text(run().recording, 86400.0 - 10.0), "20240317235950.txt");
  EXPECT_EQ(imp.report.format, "witmotion-text");
  EXPECT_EQ(imp.report.skipped, 0u);
  EXPECT_EQ(imp.report.acc_unit, "g");
  EXPECT_EQ(imp.report.gyr_unit, "deg/s");
  ASSERT_EQ(imp.recording.samples.size(), run().recording.samples.size());
  EXPECT_NEAR(imp.recording.samples.back().t_s, run().recording.samples.back().t_s - run().recording.samples[0].t_s,
              1e-6);  // no jump back at midnight
  EXPECT_TRUE(imp.recording.gaps.empty());
  expect_same_gait(imp, "witmotion text");
}

TEST(ImportPresets, WitMotionTextRateReplacesItsClock) {
  std::string text = vendor::witmotion_text(run().recording, 36000.0);
  // A host clock with jitter: every 7th stamp 3 ms late.
  io::ImportOptions o;
  o.rate_hz = 200;
  const auto imp = import_text(text, "wit.txt", o);
  EXPECT_EQ(imp.report.time_unit, "none (rate 200 Hz)");
  EXPECT_NEAR(imp.recording.samples[100].t_s, 0.5, 1e-12);
  bool noted = false;
  for (const auto& c : imp.report.ignored_columns) noted = noted || c == "Time (--rate given)";
  EXPECT_TRUE(noted);
}

TEST(ImportPresets, ClockTextParses) {
  double v = 0;
  ASSERT_TRUE(io::formats::parse_clock("10:30:00.128", v));
  EXPECT_NEAR(v, 37800.128, 1e-9);
  ASSERT_TRUE(io::formats::parse_clock("2024-03-17 10:30:00.128", v));
  EXPECT_NEAR(v, 1710671400.128, 1e-6);
  ASSERT_TRUE(io::formats::parse_clock("2024/3/17T00:00:01", v));
  EXPECT_NEAR(v, 1710633601.0, 1e-6);
  for (const char* bad : {"", "10:30", "25:00:00", "10:61:00", "2024-13-01 10:00:00", "10:30:00.1x", "abc"})
    EXPECT_FALSE(io::formats::parse_clock(bad, v)) << bad;
}

TEST(ImportPresets, WitMotionCommaExportWithDateTimeAndLeadingBlanks) {
  // The comma style some WitMotion versions write: ", " separators and a date before the clock.
  std::string text = vendor::witmotion_text(run().recording, 36000.0);
  for (std::size_t at = 0; (at = text.find('\t', at)) != std::string::npos;) text.replace(at, 1, ", ");
  for (std::size_t at = text.find('\n') + 1; at < text.size(); at = text.find('\n', at) + 1) text.insert(at, "2024-03-17 ");
  const auto imp = import_text(text, "wit.csv");
  EXPECT_EQ(imp.report.format, "witmotion-text");
  EXPECT_EQ(imp.report.skipped, 0u);
  ASSERT_EQ(imp.recording.samples.size(), run().recording.samples.size());
  EXPECT_NEAR(imp.recording.samples[200].t_s, 1.0, 1e-6);
}

TEST(ImportPresets, Ximu3GivesTheNativeGait) {
  const auto imp = import_text(vendor::ximu3(run().recording), "Inertial.csv");
  EXPECT_EQ(imp.report.format, "ximu3");
  EXPECT_EQ(imp.report.time_unit, "us");
  expect_same_gait(imp, "x-IMU3");
}

TEST(ImportPresets, ArduinoRawCountsAfterBootLinesGiveTheNativeGait) {
  io::ImportOptions o;
  o.rate_hz = 200;
  o.acc_range_g = 16;
  o.gyr_range_dps = 2000;
  const auto imp = import_text(vendor::arduino_raw(run().recording, 16, 16.4), "COM5.log", o);
  EXPECT_EQ(imp.report.format, "arduino");
  EXPECT_EQ(imp.report.banner_lines, 5u);  // ets, rst, Initializing, Testing, MPU6050 (the blank line is not counted)
  EXPECT_EQ(imp.report.skipped, 0u);
  EXPECT_EQ(imp.report.acc_unit, "counts");
  EXPECT_NE(imp.report.acc_unit_reason.find("2048 LSB/g"), std::string::npos) << imp.report.acc_unit_reason;
  EXPECT_NE(imp.report.gyr_unit_reason.find("16.4 LSB"), std::string::npos) << imp.report.gyr_unit_reason;
  EXPECT_EQ(imp.recording.meta.acc_range_g, 16);
  ASSERT_EQ(imp.recording.samples.size(), run().recording.samples.size());
  // Counts quantise: 1/2048 g = 4.8 mm/s^2, 1/16.4 deg/s = 1.1 mrad/s.
  const auto& a = imp.recording.samples[300];
  const auto& b = run().recording.samples[300];
  EXPECT_NEAR(a.acc_mps2.x(), b.acc_mps2.x(), 0.5 * vendor::kG / 2048 + 1e-9);
  EXPECT_NEAR(a.gyr_rad_s.z(), b.gyr_rad_s.z(), 0.5 / 16.4 / vendor::kDegPerRad + 1e-9);
  expect_same_gait(imp, "arduino raw counts");
}

TEST(ImportPresets, ArduinoDefaultsAreMpu6050AndNeedARate) {
  const std::string text = vendor::arduino_raw(run().recording, 2, 131);
  try {
    import_text(text, "log.txt");
    FAIL() << "no rate";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("pass --rate HZ"), std::string::npos) << e.what();
  }
  io::ImportOptions o;
  o.rate_hz = 100;
  const auto imp = import_text(text, "log.txt", o);
  EXPECT_NE(imp.report.acc_unit_reason.find("+-2 g = 16384 LSB/g"), std::string::npos) << imp.report.acc_unit_reason;
  EXPECT_NE(imp.report.gyr_unit_reason.find("131 LSB"), std::string::npos) << imp.report.gyr_unit_reason;
  EXPECT_NEAR(imp.recording.samples[10].acc_mps2.norm(), run().recording.samples[10].acc_mps2.norm(), 0.01);
}

// A range the log declares is the range its counts are in: the sketch printed it at start-up (Adafruit's wording)
// or the file carries stride's metadata line. Before, the MPU-6050 default (+-2 g, 250 deg/s) was applied
// regardless, and the recording read 8 times too small.
TEST(ImportPresets, ArduinoRangeDeclaredInTheLogIsApplied) {
  const std::string counts = vendor::arduino_raw(run().recording, 16, 16.4);
  const std::string body = counts.substr(counts.find("a/g:"));
  io::ImportOptions o;
  o.rate_hz = 200;
  const auto banner = import_text("MPU6050 Found!\r\nAccelerometer range set to: +-16G\r\n"
                                  "Gyro range set to: +- 2000 deg/s\r\nFilter bandwidth set to: 21 Hz\r\n" + body,
                                  "COM5.log", o);
  EXPECT_EQ(banner.report.format, "arduino");
  EXPECT_EQ(banner.report.banner_lines, 4u);
  EXPECT_NE(banner.report.acc_unit_reason.find(
                "+-16 g = 2048 LSB/g (declared in line 2 'Accelerometer range set to: +-16G')"),
            std::string::npos) << banner.report.acc_unit_reason;
  EXPECT_NE(banner.report.gyr_unit_reason.find("+-2000 deg/s = 16.4 LSB/(deg/s) (declared in line 3 'Gyro range"),
            std::string::npos) << banner.report.gyr_unit_reason;
  EXPECT_EQ(banner.recording.meta.acc_range_g, 16);
  EXPECT_EQ(banner.recording.meta.gyr_range_dps, 2000);
  expect_same_gait(banner, "arduino, range in banner");

  const auto meta = import_text("# acc_range_g: 16\n# gyr_range_dps: 2000\n" + body, "log.txt", o);
  EXPECT_NE(meta.report.acc_unit_reason.find("(declared in the '# acc_range_g' line)"), std::string::npos)
      << meta.report.acc_unit_reason;
  EXPECT_NEAR(meta.recording.samples[300].acc_mps2.x(), run().recording.samples[300].acc_mps2.x(),
              0.5 * vendor::kG / 2048 + 1e-9);

  // The options win over the file; nothing declared: the sensor's default, and how to change it.
  o.acc_range_g = 16;
  EXPECT_NE(import_text("Accelerometer range set to: +-4G\n" + body, "log.txt", o).report.acc_unit_reason.find(
                "(--acc-range)"),
            std::string::npos);
  o.acc_range_g = 0;
  const auto plain = import_text(vendor::arduino_raw(run().recording, 2, 131), "log.txt", o);
  EXPECT_NE(plain.report.acc_unit_reason.find("+-2 g = 16384 LSB/g (the sensor's default; --acc-range if the sketch "
                                              "set another)"),
            std::string::npos) << plain.report.acc_unit_reason;
}

TEST(ImportPresets, RangeDeclarationsAreReadOnlyWhenTheySayOne) {
  using io::detail::parse_range_declaration;
  ASSERT_TRUE(parse_range_declaration("Accelerometer range set to: +-8G"));
  EXPECT_EQ(parse_range_declaration("Accelerometer range set to: +-8G")->value, 8.0);
  EXPECT_FALSE(parse_range_declaration("Accelerometer range set to: +-8G")->gyro);
  const auto gyro = parse_range_declaration("Gyro range set to: +- 500 deg/s");
  ASSERT_TRUE(gyro);
  EXPECT_TRUE(gyro->gyro);
  EXPECT_EQ(gyro->value, 500.0);
  EXPECT_EQ(parse_range_declaration("gyro range: 2000 dps")->value, 2000.0);
  EXPECT_FALSE(parse_range_declaration("Filter bandwidth set to: 21 Hz"));
  EXPECT_FALSE(parse_range_declaration("Accelerometer sample rate = 104.00 Hz"));  // no range
  EXPECT_FALSE(parse_range_declaration("Accel and gyro range set"));              // both named, no number
  EXPECT_FALSE(parse_range_declaration("Accelerometer range set to: +-8000G"));   // implausible
  EXPECT_FALSE(parse_range_declaration("Gyro range set to: 5 rad/s"));            // not a unit it reads
}

TEST(ImportPresets, Utf16TabTextGivesTheNativeGait) {
  const auto imp = import_text(vendor::utf16le(vendor::tab_table(run().recording)), "export.txt");
  EXPECT_EQ(imp.report.encoding, "UTF-16 LE");
  EXPECT_EQ(imp.report.format, "generic-csv");
  EXPECT_EQ(imp.report.delimiter, '\t');
  EXPECT_EQ(imp.report.skipped, 0u);
  expect_same_gait(imp, "UTF-16");
}

// Excel's "Unicode text" saved by some tools (and files cut from a longer stream) lack the byte-order mark: the NUL
// beside every ASCII character says UTF-16 and its byte order.
TEST(ImportPresets, Utf16WithoutByteOrderMarkIsDetectedByItsNuls) {
  const std::string le = vendor::utf16le(vendor::tab_table(run().recording)).substr(2);
  const auto imp = import_text(le, "export.txt");
  EXPECT_EQ(imp.report.encoding, "UTF-16 LE without byte-order mark (every second byte NUL)");
  EXPECT_EQ(imp.report.format, "generic-csv");
  EXPECT_EQ(imp.report.skipped, 0u);
  expect_same_gait(imp, "UTF-16 LE, no BOM");
  std::string be = le;
  for (std::size_t i = 0; i + 1 < be.size(); i += 2) std::swap(be[i], be[i + 1]);
  const auto big = import_text(be, "export.txt");
  EXPECT_EQ(big.report.encoding, "UTF-16 BE without byte-order mark (every second byte NUL)");
  ASSERT_EQ(big.recording.samples.size(), imp.recording.samples.size());
  EXPECT_EQ(big.recording.samples[100].acc_mps2, imp.recording.samples[100].acc_mps2);
}

TEST(ImportPresets, NulsThatAreNotUtf16StayBinary) {
  // A NUL beside only some characters, or too few characters to tell, is binary data as before.
  for (const std::string& text : {std::string("t\0i\0m\0e\0,\0\0\0\xFF\x01", 14), std::string("1\0\n\0", 4)}) {
    try {
      import_text(text, "junk.bin");
      FAIL() << "read as text";
    } catch (const io::ImportError& e) {
      EXPECT_NE(std::string(e.what()).find("binary data (NUL byte"), std::string::npos) << e.what();
    }
  }
  // A short UTF-16 text without the mark (ends inside the sniffed head) is read whole.
  std::istringstream in(vendor::utf16le("a,b\nc\n").substr(2));
  io::detail::LineSource src(in);
  std::string_view line;
  ASSERT_TRUE(src.next(line));
  EXPECT_EQ(line, "a,b");
  ASSERT_TRUE(src.next(line));
  EXPECT_EQ(line, "c");
  EXPECT_FALSE(src.next(line));
}

TEST(ImportPresets, Utf8BomIsNamed) {
  const auto imp = import_text("\xEF\xBB\xBF" + vendor::ximu3(run().recording), "Inertial.csv");
  EXPECT_EQ(imp.report.encoding, "UTF-8 with BOM");
  EXPECT_EQ(imp.report.format, "ximu3");
}

TEST(ImportPresets, Utf16TranscodesAcrossBlocksWithSurrogatesAndOddChunks) {
  std::string utf8;
  for (int i = 0; i < 9000; ++i) utf8 += "line " + std::to_string(i) + "\t\xC2\xB0/s\t\xE2\x84\x83\r\n";
  std::string utf16 = vendor::utf16le(utf8);
  utf16 += std::string("\x3D\xD8\x00\xDE", 4);  // U+1F600 as a surrogate pair (last line, no line end)
  std::istringstream in(utf16);
  io::detail::LineSource src(in, 1 << 20, 4096);
  std::string_view line;
  std::size_t n = 0;
  while (src.next(line)) {
    if (n < 9000) ASSERT_EQ(line, "line " + std::to_string(n) + "\t\xC2\xB0/s\t\xE2\x84\x83") << n;
    else EXPECT_EQ(line, "\xF0\x9F\x98\x80");
    ++n;
  }
  EXPECT_EQ(n, 9001u);
  EXPECT_STREQ(src.encoding(), "UTF-16 LE");
}

// ---- split sources: each file one sensor ----

// Imported samples against the simulator's, per axis, within the writer's rounding.
void expect_values(const io::Imported& imp, bool gyro, double tol) {
  const auto& want = run().recording.samples;
  ASSERT_EQ(imp.recording.samples.size(), want.size());
  for (std::size_t i = 0; i < want.size(); i += 97) {
    const auto& a = gyro ? imp.recording.samples[i].gyr_rad_s : imp.recording.samples[i].acc_mps2;
    const auto& b = gyro ? want[i].gyr_rad_s : want[i].acc_mps2;
    for (int k = 0; k < 3; ++k) ASSERT_NEAR(a[k], b[k], tol) << "sample " << i << " axis " << k;
    const auto& other = gyro ? imp.recording.samples[i].acc_mps2 : imp.recording.samples[i].gyr_rad_s;
    ASSERT_TRUE(std::isnan(other.x()));
    ASSERT_NEAR(imp.recording.samples[i].t_s, want[i].t_s - want[0].t_s, 1e-5);
  }
  EXPECT_EQ(imp.report.has_acc, !gyro);
  EXPECT_EQ(imp.report.has_gyro, gyro);
  EXPECT_EQ(imp.report.skipped, 0u);
}

TEST(ImportPresets, PhyphoxAccAndGyroFilesInBothExportStyles) {
  for (const bool comma : {false, true}) {
    const auto acc = import_text(vendor::phyphox(run().recording, false, comma), "Accelerometer.csv");
    EXPECT_EQ(acc.report.format, "phyphox");
    EXPECT_NE(acc.report.format_reason.find("'Acceleration x (m/s^2)'"), std::string::npos) << acc.report.format_reason;
    expect_values(acc, false, 1e-6);
    const auto gyr = import_text(vendor::phyphox(run().recording, true, comma), "Gyroscope.csv");
    EXPECT_EQ(gyr.report.format, "phyphox");
    EXPECT_EQ(gyr.report.acc_unit, "none");
    expect_values(gyr, true, 1e-6);
  }
}

TEST(ImportPresets, PhyphoxLinearAccelerationIsRefusedWithTheExportToUse) {
  std::string text = vendor::phyphox(run().recording, false);
  text.replace(0, text.find('\n'), "\"Time (s)\",\"Linear Acceleration x (m/s^2)\",\"Linear Acceleration y (m/s^2)\","
                                   "\"Linear Acceleration z (m/s^2)\"");
  try {
    import_text(text, "Linear Acceleration.csv");
    FAIL();
  } catch (const io::ImportError& e) {
    const std::string w = e.what();
    EXPECT_NE(w.find("Linear Acceleration.csv line 1"), std::string::npos) << w;
    EXPECT_NE(w.find("export 'Acceleration with g'"), std::string::npos) << w;
  }
}

TEST(ImportPresets, SensorLoggerSensorComesFromTheFileName) {
  const auto acc = import_text(vendor::sensor_logger(run().recording, false), "Phone/TotalAcceleration.csv");
  EXPECT_EQ(acc.report.format, "sensor-logger");
  EXPECT_NE(acc.report.format_reason.find("accelerometer: file name 'TotalAcceleration.csv'"), std::string::npos)
      << acc.report.format_reason;
  EXPECT_EQ(acc.report.time_unit, "s");
  expect_values(acc, false, 1e-6);
  const auto gyr = import_text(vendor::sensor_logger(run().recording, true), "Gyroscope.csv");
  expect_values(gyr, true, 1e-6);
  try {
    import_text(vendor::sensor_logger(run().recording, true), "renamed.csv");
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("keep the app's names"), std::string::npos) << e.what();
  }
}

TEST(ImportPresets, SensorLoggerGravityFreeAccelerometerSaysWhichFileToUse) {
  Recording rec = run().recording;
  const Eigen::Vector3d g = rec.samples[10].acc_mps2;
  for (auto& s : rec.samples) s.acc_mps2 -= g;
  try {
    import_text(vendor::sensor_logger(rec, false), "Accelerometer.csv");
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("gravity removed; give the export's folder or zip, or Accelerometer.csv with "
                                         "Gravity.csv beside it (iOS: stride adds gravity back), or "
                                         "TotalAcceleration.csv (Android)"),
              std::string::npos) << e.what();
  }
}

TEST(ImportPresets, MetaWearAccAndGyroFilesUseElapsed) {
  const auto acc = import_text(vendor::metawear(run().recording, false), "MetaWear_2024-03-17T19.48.52.324_Accelerometer.csv");
  EXPECT_EQ(acc.report.format, "metawear");
  EXPECT_EQ(acc.report.acc_unit, "g");
  expect_values(acc, false, 0.0005 * vendor::kG + 1e-9);
  const auto gyr = import_text(vendor::metawear(run().recording, true), "MetaWear_Gyroscope.csv");
  EXPECT_EQ(gyr.report.gyr_unit, "deg/s");
  expect_values(gyr, true, 0.0005 / vendor::kDegPerRad + 1e-9);
}

// ---- detection, --format, the reference samples ----

struct Sample {
  const char* path;
  const char* format;
  const char* reason;
};

TEST(ImportPresets, ReferenceSamplesAreDetectedWithTheirReason) {
  const Sample samples[] = {
      {"formats/phyphox/Accelerometer.csv", "phyphox", "'Acceleration x (m/s^2)'"},
      {"formats/phyphox/Gyroscope.csv", "phyphox", "'Gyroscope x (rad/s)'"},
      {"formats/sensor_logger/TotalAcceleration.csv", "sensor-logger", "time,seconds_elapsed,z,y,x"},
      {"formats/sensor_logger/Gyroscope.csv", "sensor-logger", "gyroscope: file name"},
      {"formats/metawear/MetaWear_Accelerometer.csv", "metawear", "elapsed (s)"},
      {"formats/metawear/MetaWear_Gyroscope.csv", "metawear", "elapsed (s)"},
      {"formats/shimmer/Shimmer_40AC_Calibrated_PC.csv", "shimmer", "Shimmer_40AC_"},
      {"formats/witmotion_text/20240317103000.txt", "witmotion-text", "Angular velocity X("},
      {"formats/ximu3_csv_udp_inertial/Inertial.csv", "ximu3", "Timestamp (us)"},
  };
  for (const auto& s : samples) {
    const auto imp = io::import_file((test::reference_data() / s.path).string());
    EXPECT_EQ(imp.report.format, s.format) << s.path;
    EXPECT_NE(imp.report.format_reason.find(s.reason), std::string::npos) << s.path << ": " << imp.report.format_reason;
    EXPECT_GT(imp.report.samples, 100u) << s.path;
    EXPECT_EQ(imp.report.skipped, 0u) << s.path;
  }
  io::ImportOptions o;
  o.rate_hz = 100;
  const auto ard = io::import_file((test::reference_data() / "formats/arduino/mpu6050_raw.log").string(), o);
  EXPECT_EQ(ard.report.format, "arduino");
  EXPECT_GT(ard.report.banner_lines, 0u);
  const auto u16 = io::import_file((test::reference_data() / "formats/utf16/unicode_text.txt").string());
  EXPECT_EQ(u16.report.encoding, "UTF-16 LE");
  const auto no_bom = io::import_file((test::reference_data() / "formats/utf16/unicode_text_no_bom.txt").string());
  EXPECT_EQ(no_bom.report.encoding, "UTF-16 LE without byte-order mark (every second byte NUL)");
  EXPECT_EQ(no_bom.recording.samples.size(), u16.recording.samples.size());
}

TEST(ImportPresets, FormatOptionForcesAndUnknownNamesAreListed) {
  const std::string text = vendor::ximu3(run().recording);
  io::ImportOptions o;
  o.format = "generic";
  EXPECT_EQ(import_text(text, "Inertial.csv", o).report.format, "generic-csv");
  o.format = "ximu3";
  const auto forced = import_text(text, "Inertial.csv", o);
  EXPECT_EQ(forced.report.format, "ximu3");
  EXPECT_EQ(forced.report.format_reason.rfind("--format ximu3", 0), 0u) << forced.report.format_reason;
  o.format = "phyphocks";
  try {
    import_text(text, "Inertial.csv", o);
    FAIL();
  } catch (const io::ImportError& e) {
    const std::string w = e.what();
    EXPECT_NE(w.find("unknown format 'phyphocks'"), std::string::npos) << w;
    for (const auto* f : io::formats::all()) EXPECT_NE(w.find(std::string(f->name)), std::string::npos) << w;
  }
}

TEST(ImportPresets, BuiltInLayoutsAreDetectedAsBefore) {
  const auto gait = io::import_file((test::reference_data() / "gaitmap_example/imu_sample.csv").string());
  EXPECT_EQ(gait.report.format, "gaitmap");
  EXPECT_TRUE(gait.report.format_reason.empty());
  std::ostringstream native;
  io::write_native(native, run().recording);
  EXPECT_EQ(import_text(native.str(), "n.csv").report.format, "stride-native");
  // A generic table whose first line is no header still fails on it, as before.
  try {
    import_text("hello world\n1,2,3\n", "x.csv");
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("x.csv line 1: no accelerometer columns"), std::string::npos) << e.what();
  }
}

// ---- the command line ----

TEST(ImportPresetsCli, FormatsVerbListsEveryFormat) {
  ScratchDir dir;
  const auto r = test::run_stride({"formats"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const auto* f : io::formats::all()) {
    std::string entry(1, '\n');  // the name on a line of its own
    entry.append(f->name).push_back('\n');
    EXPECT_NE(r.out.find(entry), std::string::npos) << f->name;
    EXPECT_NE(r.out.find(std::string(f->example_header)), std::string::npos) << f->name;
  }
}

TEST(ImportPresetsCli, GyroOnlyFileIsRefusedAndUnknownFormatListed) {
  ScratchDir dir;
  const auto gyro = dir / "Gyroscope.csv";
  test::write_text(gyro, vendor::phyphox(run().recording, true));
  const auto r = test::run_stride({"analyze", gyro.string()}, dir);
  EXPECT_EQ(r.exit_code, kBadInput) << r.describe();
  EXPECT_NE(r.err.find("holds a gyroscope only"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stride analyze Accelerometer.csv Gyroscope.csv"), std::string::npos) << r.err;
  const auto bad = test::run_stride({"analyze", "--format", "nope", gyro.string()}, dir);
  EXPECT_EQ(bad.exit_code, kBadArguments) << bad.describe();
  EXPECT_NE(bad.err.find("sensor-logger"), std::string::npos) << bad.err;
}

TEST(ImportPresetsCli, SummaryNamesTheFormatAndWhy) {
  ScratchDir dir;
  const auto f = dir / "COM5.log";
  test::write_text(f, vendor::arduino_raw(run().recording, 16, 16.4));
  const auto r = test::run_stride({"analyze", f.string(), "--rate", "200", "--acc-range", "16", "--gyr-range", "2000"},
                                  dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("format: arduino (Arduino MPU6050_raw"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5 lines before the header skipped"), std::string::npos) << r.out;
}

// Writes the samples under recordings/reference/formats/ (run once with --gtest_also_run_disabled_tests).
TEST(ImportPresets, DISABLED_WriteReferenceSamples) {
  sim::Settings s;
  s.strides = 2;
  s.rate_hz = 100;
  s.rest_before_s = 1.0;
  s.rest_after_s = 1.0;
  s.seed = 3;
  const Recording rec = sim::simulate(s).recording;
  const auto dir = test::reference_data() / "formats";
  auto write = [&](const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((dir / rel).parent_path());
    test::write_text(dir / rel, text);
  };
  write("phyphox/Accelerometer.csv", vendor::phyphox(rec, false));
  write("phyphox/Gyroscope.csv", vendor::phyphox(rec, true));
  write("sensor_logger/TotalAcceleration.csv", vendor::sensor_logger(rec, false));
  write("sensor_logger/Gyroscope.csv", vendor::sensor_logger(rec, true));
  for (const char* part : {"Accelerometer", "Gravity", "Gyroscope"})
    write(std::string("sensor_logger_ios/") + part + ".csv", vendor::sensor_logger_ios(rec, part));
  write("sensor_logger_ios/Metadata.csv", vendor::sensor_logger_metadata("ios", false));
  write("metawear/MetaWear_Accelerometer.csv", vendor::metawear(rec, false));
  write("metawear/MetaWear_Gyroscope.csv", vendor::metawear(rec, true));
  write("shimmer/Shimmer_40AC_Calibrated_PC.csv", vendor::shimmer(rec, ','));
  write("witmotion_text/20240317103000.txt", vendor::witmotion_text(rec, 10.5 * 3600));
  write("arduino/mpu6050_raw.log", vendor::arduino_raw(rec, 2, 131));  // the sketch's defaults: +-2 g clips
  write("utf16/unicode_text.txt", vendor::utf16le(vendor::tab_table(rec)));
  write("utf16/unicode_text_no_bom.txt", vendor::utf16le(vendor::tab_table(rec)).substr(2));
}

}  // namespace
}  // namespace stride
