// Sensor Logger on iOS (firmware_iface/import/sensor_logger_gravity.hpp): no TotalAcceleration.csv, so the
// acceleration is Accelerometer.csv (gravity removed) + Gravity.csv, with the sign from Metadata.csv. Written from the
// simulator's run in the app's layout (tests/vendor_layouts.hpp), the export must give the native recording's
// samples and gait, whether given as its folder or as `Accelerometer.csv Gyroscope.csv`.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "cli_runner.hpp"
#include "firmware_iface/import/import_input.hpp"
#include "format_compare.hpp"
#include "sim_fixtures.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"
#include "vendor_layouts.hpp"
#include "zip_fixture.hpp"

namespace stride {
namespace {

namespace fs = std::filesystem;
namespace vendor = test::vendor;

// A 100 Hz run (a phone's rate) of 16 strides between rests.
const Recording& run() {
  static const Recording r = test::run_between_rests(16, 100, 17).recording;
  return r;
}

// An iOS export folder: the three sensor files, a file stride does not read, and Metadata.csv unless `metadata` is
// empty ("ios" or "android").
fs::path write_export(const test::ScratchDir& dir, const std::string& metadata = "ios", bool standardised = false) {
  const fs::path exp = dir / "Run-2024-03-17_18-48-52";
  fs::create_directories(exp);
  for (const char* part : {"Accelerometer", "Gravity", "Gyroscope"})
    test::write_text(exp / (std::string(part) + ".csv"), vendor::sensor_logger_ios(run(), part, standardised));
  test::write_text(exp / "Orientation.csv", "time,seconds_elapsed,qz,qy,qx,qw,roll,pitch,yaw\n");
  if (!metadata.empty()) test::write_text(exp / "Metadata.csv", vendor::sensor_logger_metadata(metadata, standardised));
  return exp;
}

bool has_note(const io::Imported& imp, const std::string& text) {
  for (const auto& n : imp.report.notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

// Every sample as the native one: the two files' %.9g values add up to within 1e-6 m/s^2 (on ~10 m/s^2).
void expect_native_samples(const io::Imported& imp) {
  test::expect_same_samples(imp.recording, run(), {1e-6, 1e-6, 1e-6});
}

TEST(SensorLoggerIos, FolderExportGivesTheNativeSamplesAndGait) {
  test::ScratchDir dir;
  const fs::path exp = write_export(dir);
  io::Imported imp = io::import_input({exp.string()});
  EXPECT_EQ(imp.report.format, "sensor-logger");
  EXPECT_TRUE(imp.report.has_acc);
  EXPECT_TRUE(imp.report.has_gyro);
  EXPECT_TRUE(has_note(imp, "acceleration = -(Accelerometer.csv + Gravity.csv)")) << testing::PrintToString(imp.report.notes);
  EXPECT_TRUE(has_note(imp, "Metadata.csv: platform ios, standardisation false"));
  EXPECT_TRUE(has_note(imp, "joined Gyroscope.csv"));
  const std::vector<std::string> files{(exp / "Accelerometer.csv").string(), (exp / "Gravity.csv").string(),
                                       (exp / "Gyroscope.csv").string(), (exp / "Metadata.csv").string()};
  EXPECT_EQ(imp.report.files, files);
  expect_native_samples(imp);
  imp.recording.meta.side = run().meta.side;
  imp.recording.meta.placement = run().meta.placement;
  // Cadence 0.5 spm, contact time 3 ms, stride length 2 cm (format_compare.hpp).
  test::expect_same_gait(imp.recording, run());
}

TEST(SensorLoggerIos, ZipExportWithItsFolderInside) {
  test::ScratchDir dir;
  const fs::path exp = write_export(dir);
  fs::create_directories(dir / "zipped");
  fs::rename(exp, dir / "zipped" / exp.filename());
  test::zip_folder(dir / "zipped", dir / "export.zip");  // members "Run-.../Accelerometer.csv", ...
  const io::Imported imp = io::import_input({(dir / "export.zip").string()});
  EXPECT_TRUE(has_note(imp, "acceleration = -(Accelerometer.csv + Gravity.csv)"));
  EXPECT_EQ(imp.report.files, std::vector<std::string>{(dir / "export.zip").string()});
  expect_native_samples(imp);
}

TEST(SensorLoggerIos, AccelerometerAndGyroscopeFilesFindGravityBeside) {
  test::ScratchDir dir;
  const fs::path exp = write_export(dir);
  for (const auto& parts : {std::vector<std::string>{(exp / "Accelerometer.csv").string(), (exp / "Gyroscope.csv").string()},
                            std::vector<std::string>{(exp / "Gyroscope.csv").string(), (exp / "Accelerometer.csv").string()}}) {
    const io::Imported imp = io::import_input(parts);
    EXPECT_TRUE(has_note(imp, "acceleration = -(Accelerometer.csv + Gravity.csv)"));
    expect_native_samples(imp);
  }
  // The accelerometer file alone: gravity added back, no gyroscope (analysed as accelerometer-only).
  const io::Imported alone = io::import_input({(exp / "Accelerometer.csv").string()});
  EXPECT_TRUE(alone.report.has_acc);
  EXPECT_FALSE(alone.report.has_gyro);
  EXPECT_EQ(alone.report.files.size(), 3u);  // Accelerometer.csv, Gravity.csv, Metadata.csv
  EXPECT_NEAR(alone.recording.samples[500].acc_mps2.z(), run().samples[500].acc_mps2.z(), 1e-6);
  // The command line pairs them (the accelerometer file holds acceleration once its gravity is added back).
  const auto h = io::peek_holds((exp / "Accelerometer.csv").string());
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(h->acc);
  const auto r = test::run_stride({"analyze", (exp / "Accelerometer.csv").string(), (exp / "Gyroscope.csv").string()},
                                  dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("acceleration = -(Accelerometer.csv + Gravity.csv)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("strides: 16 found, 16 valid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("joined Gyroscope.csv (gyroscope, 100.0 Hz) onto Accelerometer.csv"), std::string::npos) << r.out;
  // Named all three (or with Metadata.csv too, as `*.csv` of the sensor files gives them): still one recording.
  const auto three = test::run_stride({"analyze", (exp / "Accelerometer.csv").string(), (exp / "Gravity.csv").string(),
                                       (exp / "Gyroscope.csv").string(), (exp / "Metadata.csv").string()}, dir);
  EXPECT_EQ(three.exit_code, 0) << three.describe();
  EXPECT_NE(three.out.find("strides: 16 found, 16 valid"), std::string::npos) << three.out;
  EXPECT_EQ(three.out.find("Gravity.csv line 1"), std::string::npos) << three.out;
}

TEST(SensorLoggerIos, SignComesFromMetadataOrTheAppDefault) {
  {  // "Standardise Units & Frames" on: Android's sign, said by Metadata.csv.
    test::ScratchDir dir;
    const io::Imported imp = io::import_input({write_export(dir, "ios", true).string()});
    EXPECT_TRUE(has_note(imp, "acceleration = (Accelerometer.csv + Gravity.csv)"));
    EXPECT_TRUE(has_note(imp, "standardisation true"));
    expect_native_samples(imp);
  }
  {  // No Metadata.csv: the app's default (iOS sign), and the note says what to keep if the setting was on.
    test::ScratchDir dir;
    const io::Imported imp = io::import_input({write_export(dir, "").string()});
    EXPECT_TRUE(has_note(imp, "no Metadata.csv: taken as iOS with 'Standardise Units & Frames' off"));
    expect_native_samples(imp);
  }
  {  // Android's Accelerometer.csv + Gravity.csv without TotalAcceleration.csv: Android's sign.
    test::ScratchDir dir;
    const io::Imported imp = io::import_input({write_export(dir, "android", true).string()});
    EXPECT_TRUE(has_note(imp, "platform android"));
    expect_native_samples(imp);
  }
}

TEST(SensorLoggerIos, FailuresNameTheFilesAndWhatToDo) {
  test::ScratchDir dir;
  const fs::path exp = write_export(dir);
  fs::remove(exp / "Gyroscope.csv");
  try {
    io::import_input({exp.string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("no gyroscope file found"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Accelerometer.csv + Gravity.csv: accelerometer only"), std::string::npos)
        << e.what();
  }
  // Gravity from another recording: the clocks do not overlap.
  Recording later = run();
  for (auto& s : later.samples) s.t_s += 3600;
  test::write_text(exp / "Gravity.csv", vendor::sensor_logger_ios(later, "Gravity"));
  test::write_text(exp / "Gyroscope.csv", vendor::sensor_logger_ios(run(), "Gyroscope"));
  try {
    io::import_input({exp.string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    const std::string w = e.what();
    EXPECT_NE(w.find("Accelerometer.csv and "), std::string::npos) << w;
    EXPECT_NE(w.find("Gravity.csv: their clocks do not overlap (accelerometer "), std::string::npos) << w;
  }
  // Accelerometer.csv alone: gravity removed, and the message names the ways to give it.
  const fs::path alone = dir / "alone";
  fs::create_directories(alone);
  test::write_text(alone / "Accelerometer.csv", vendor::sensor_logger_ios(run(), "Accelerometer"));
  try {
    io::import_input({(alone / "Accelerometer.csv").string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("Accelerometer.csv with Gravity.csv beside it"), std::string::npos) << e.what();
  }
  // A Metadata.csv that is not Sensor Logger's.
  test::write_text(exp / "Metadata.csv", "name,value\nphone,x\n");
  test::write_text(exp / "Gravity.csv", vendor::sensor_logger_ios(run(), "Gravity"));
  try {
    io::import_input({exp.string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("Metadata.csv line 2: no platform 'ios' or 'android'"), std::string::npos)
        << e.what();
  }
}

TEST(SensorLoggerIos, OtherAppsFilesOfTheSameNamesReadAsBefore) {
  // phyphox names its files Accelerometer.csv and Gyroscope.csv too; a Gravity.csv beside them changes nothing.
  test::ScratchDir dir;
  test::write_text(dir / "Accelerometer.csv", vendor::phyphox(run(), false));
  test::write_text(dir / "Gyroscope.csv", vendor::phyphox(run(), true));
  test::write_text(dir / "Gravity.csv", vendor::phyphox(run(), false));
  const io::Imported imp = io::import_input({(dir / "Accelerometer.csv").string(), (dir / "Gyroscope.csv").string()});
  EXPECT_EQ(imp.report.format, "phyphox");
  EXPECT_FALSE(has_note(imp, "Gravity.csv"));
  expect_native_samples(imp);
}

TEST(SensorLoggerIos, AndroidExportStillReadsTotalAcceleration) {
  // Android writes TotalAcceleration.csv beside Accelerometer.csv and Gravity.csv: that file is the acceleration.
  test::ScratchDir dir;
  const fs::path exp = write_export(dir, "android", true);
  test::write_text(exp / "TotalAcceleration.csv", vendor::sensor_logger(run(), false));
  const io::Imported imp = io::import_input({exp.string()});
  EXPECT_FALSE(has_note(imp, "Gravity.csv)"));
  EXPECT_TRUE(has_note(imp, "onto TotalAcceleration.csv")) << testing::PrintToString(imp.report.notes);
  expect_native_samples(imp);
}

TEST(SensorLoggerIos, ReferenceSampleReads) {
  const io::Imported imp = io::import_input({(test::reference_data() / "formats/sensor_logger_ios").string()});
  EXPECT_EQ(imp.report.format, "sensor-logger");
  EXPECT_TRUE(has_note(imp, "Metadata.csv: platform ios, standardisation false"));
  EXPECT_GT(imp.report.samples, 300u);
  EXPECT_EQ(imp.report.skipped, 0u);
}

}  // namespace
}  // namespace stride
