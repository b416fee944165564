// Files as the real apps export them (recordings/reference/real_exports/: an excerpt of a real export where its
// licence allows, else the real export's exact layout with the simulator's numbers; each SOURCE.md says which).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <sstream>

#include "analysis/pipeline.hpp"
#include "cli_runner.hpp"
#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/protocol/unit_detection.hpp"
#include "format_compare.hpp"
#include "real_export_layouts.hpp"
#include "sim_fixtures.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"
#include "test_support.hpp"
#include "zip_fixture.hpp"

namespace stride {
namespace {

namespace fs = std::filesystem;
namespace layout = test::real_layout;

fs::path real_exports() { return test::reference_data() / "real_exports"; }

// A 200 Hz run of 12 strides (MetaBase streams at 200 Hz packed; phyphox phones give 100-500 Hz).
const sim::Result& run() {
  static const sim::Result r = test::run_between_rests(12, 200, 21);
  return r;
}

// The imported recording analysed as the native one (same side and placement: the files say neither) gives its gait.
void expect_same_gait_as_native(io::Imported imp, const Recording& rec) {
  imp.recording.meta.side = rec.meta.side;
  imp.recording.meta.placement = rec.meta.placement;
  test::expect_same_gait(imp.recording, rec);
}

bool has_note(const io::Imported& imp, const std::string& text) {
  for (const auto& n : imp.report.notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

io::Imported import_text(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  return io::import_csv(in, name);
}

// ---- MetaBase: streamed samples come three to a stamp ----

TEST(RealExports, MetaBaseStreamedBlocksKeepEverySample) {
  const Recording& rec = run().recording;
  const auto acc = import_text(layout::metabase_streamed(rec, false), "MetaWear_Accelerometer.csv");
  EXPECT_EQ(acc.report.format, "metawear");
  EXPECT_EQ(acc.report.duplicate_stamps, 0u);  // before: two rows in three dropped as repeats
  EXPECT_EQ(acc.report.skipped, 0u);
  EXPECT_EQ(acc.report.samples, rec.samples.size() / 3 * 3);
  EXPECT_TRUE(has_note(acc, "blocks of rows sharing one time stamp")) << testing::PrintToString(acc.report.notes);
  // Spread over each 30 ms connection event (six samples), the clock is even again: 5 ms steps.
  const auto& s = acc.recording.samples;
  ASSERT_GT(s.size(), 100u);
  EXPECT_NEAR(s[40].t_s - s[39].t_s, 0.005, 0.0006);
  EXPECT_NEAR((s.back().t_s - s.front().t_s) / static_cast<double>(s.size() - 1), 0.005, 0.0001);
  EXPECT_NEAR(s[7].acc_mps2.x(), rec.samples[7].acc_mps2.x(), 0.0005 * test::vendor::kG + 1e-9);
}

TEST(RealExports, MetaBaseStreamedPairGivesTheNativeGait) {
  const Recording& rec = run().recording;
  test::ScratchDir dir;
  const fs::path a = dir.path() / "MetaWear_2024-03-17T09.48.52.324_E2EDDF1A1AA4_Accelerometer.csv";
  const fs::path g = dir.path() / "MetaWear_2024-03-17T09.48.52.324_E2EDDF1A1AA4_Gyroscope.csv";
  test::write_text(a, layout::metabase_streamed(rec, false));
  test::write_text(g, layout::metabase_streamed(rec, true));
  io::Imported imp = io::import_input({a.string(), g.string()});
  EXPECT_NEAR(imp.recording.meta.rate_hz, 200.0, 1.0);
  EXPECT_TRUE(imp.recording.gaps.empty());
  expect_same_gait_as_native(imp, rec);
}

TEST(RealExports, MetaBaseCommittedFilesReadWithTheirLayout) {
  for (const char* name : {"MetaWear_2024-03-17T09.48.52.324_E2EDDF1A1AA4_Accelerometer.csv",
                           "MetaWear_2024-03-17T09.48.52.324_E2EDDF1A1AA4_Gyroscope.csv"}) {
    const auto imp = io::import_file((real_exports() / "metabase" / name).string());
    EXPECT_EQ(imp.report.format, "metawear") << name;
    EXPECT_NE(imp.report.format_reason.find("epoc (ms),timestamp"), std::string::npos) << imp.report.format_reason;
    EXPECT_EQ(imp.report.samples, 1200u) << name;  // 400 notifications of three
    EXPECT_EQ(imp.report.skipped, 0u) << name;
    EXPECT_EQ(imp.report.duplicate_stamps, 0u) << name;
  }
}

// ---- Sensor Logger: an excerpt of a real iOS export (MIT) ----

TEST(RealExports, SensorLoggerIosGyroscopeReadsAsWritten) {
  const auto gyr = io::import_file((real_exports() / "sensor_logger_bennyjhui" / "Gyroscope.csv").string());
  EXPECT_EQ(gyr.report.format, "sensor-logger");
  EXPECT_EQ(gyr.report.gyr_unit, "rad/s");
  EXPECT_EQ(gyr.report.time_unit, "s");  // seconds_elapsed, not the ns epoch
  ASSERT_EQ(gyr.recording.samples.size(), 300u);
  EXPECT_EQ(gyr.report.skipped, 0u);
  // First row "1760565906248623000,0.103623046875,-0.839608907699585,-0.10497740656137466,-0.539340615272522":
  // columns z,y,x.
  const auto& s0 = gyr.recording.samples.front();
  EXPECT_DOUBLE_EQ(s0.gyr_rad_s.x(), -0.539340615272522);
  EXPECT_DOUBLE_EQ(s0.gyr_rad_s.y(), -0.10497740656137466);
  EXPECT_DOUBLE_EQ(s0.gyr_rad_s.z(), -0.839608907699585);
  // Last row at seconds_elapsed 3.102283935546875: 299 steps of ~10.03 ms (the phone's 100 Hz).
  EXPECT_NEAR(gyr.recording.samples.back().t_s, 3.102283935546875 - 0.103623046875, 1e-12);
  EXPECT_NEAR(gyr.recording.meta.rate_hz, 99.7, 0.2);
}

TEST(RealExports, SensorLoggerIosAccelerometerWithoutGravityIsRefusedSayingWhatToGive) {
  try {
    io::import_file((real_exports() / "sensor_logger_bennyjhui" / "Accelerometer.csv").string());
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Accelerometer.csv line 1: Sensor Logger's Accelerometer.csv has gravity removed"),
              std::string::npos) << what;
    EXPECT_NE(what.find("Gravity.csv beside it"), std::string::npos) << what;
  }
}

// An Android export as the app writes it (a real one, app 1.28 on a Galaxy S24: ten files; Metadata.csv in the
// older schema without 'standardisation' and without a final newline; an empty Annotation.csv; uncalibrated
// accelerometer and gyroscope files beside the calibrated ones).
void write_android_export(const fs::path& x, const Recording& rec) {
  namespace vendor = test::vendor;
  fs::create_directories(x);
  test::write_text(x / "TotalAcceleration.csv", vendor::sensor_logger(rec, false));
  test::write_text(x / "Gyroscope.csv", vendor::sensor_logger(rec, true));
  test::write_text(x / "Accelerometer.csv", vendor::sensor_logger_ios(rec, "Accelerometer", true));
  test::write_text(x / "Gravity.csv", vendor::sensor_logger_ios(rec, "Gravity", true));
  test::write_text(x / "AccelerometerUncalibrated.csv", vendor::sensor_logger(rec, false));
  test::write_text(x / "GyroscopeUncalibrated.csv", vendor::sensor_logger(rec, true));
  test::write_text(x / "Annotation.csv", "");
  test::write_text(x / "Metadata.csv",
                   "version,device name,recording epoch time,recording time,recording timezone,platform,appVersion,"
                   "device id,sensors,sampleRateMs\n3,SM-S926U1,1710697732324,2024-03-17_18-48-52,Europe/Berlin,"
                   "android,1.28,37c29426-27fd-4ad3-a356-42ce4313d67e,Accelerometer|Gravity|Gyroscope|Annotation|"
                   "TotalAcceleration|GyroscopeUncalibrated|AccelerometerUncalibrated,10|10|10|10|10|10|10");
}

TEST(RealExports, SensorLoggerAndroidExportFolderReadsTotalAccelerationAndGyroscope) {
  const Recording& rec = run().recording;
  test::ScratchDir dir;
  const fs::path x = dir.path() / "2024-03-17_18-48-52";
  write_android_export(x, rec);
  io::Imported imp = io::import_input({x.string()});
  EXPECT_EQ(imp.report.format, "sensor-logger");
  ASSERT_EQ(imp.report.files.size(), 2u) << testing::PrintToString(imp.report.files);
  EXPECT_EQ(fs::path(imp.report.files[0]).filename(), "TotalAcceleration.csv");
  EXPECT_EQ(fs::path(imp.report.files[1]).filename(), "Gyroscope.csv");
  EXPECT_TRUE(has_note(imp, "skipped AccelerometerUncalibrated.csv")) << testing::PrintToString(imp.report.notes);
  EXPECT_TRUE(has_note(imp, "skipped GyroscopeUncalibrated.csv")) << testing::PrintToString(imp.report.notes);
  expect_same_gait_as_native(imp, rec);
}

// ---- phyphox ----

TEST(RealExports, PhyphoxMultiSensorExportJoinsAccelerometerAndGyroscope) {
  const Recording& rec = run().recording;
  test::ScratchDir dir;
  const fs::path x = dir.path() / "Sensors 2024-03-17 19-48-52";
  fs::create_directories(x / "meta");
  using layout::PhyphoxSensor;
  test::write_text(x / "Accelerometer.csv", layout::phyphox_sensor(rec, PhyphoxSensor::accelerometer));
  test::write_text(x / "Gyroscope.csv", layout::phyphox_sensor(rec, PhyphoxSensor::gyroscope));
  test::write_text(x / "Linear Accelerometer.csv", layout::phyphox_sensor(rec, PhyphoxSensor::linear_accelerometer));
  test::write_text(x / "Magnetometer.csv", layout::phyphox_sensor(rec, PhyphoxSensor::magnetometer));
  test::write_text(x / "meta" / "device.csv", layout::phyphox_device_csv());
  test::write_text(x / "meta" / "time.csv", layout::phyphox_time_csv(rec.samples.back().t_s));
  io::Imported imp = io::import_input({x.string()});
  EXPECT_EQ(imp.report.format, "phyphox");
  EXPECT_NE(imp.report.format_reason.find("'X (m/s^2)'"), std::string::npos) << imp.report.format_reason;
  EXPECT_EQ(imp.report.acc_unit, "m/s^2");
  EXPECT_EQ(imp.report.gyr_unit, "rad/s");
  EXPECT_TRUE(has_note(imp, "joined Gyroscope.csv")) << testing::PrintToString(imp.report.notes);
  ASSERT_EQ(imp.report.files.size(), 2u);  // Linear Accelerometer.csv (no gravity) and Magnetometer.csv not read
  EXPECT_EQ(fs::path(imp.report.files[0]).filename(), "Accelerometer.csv");
  EXPECT_EQ(fs::path(imp.report.files[1]).filename(), "Gyroscope.csv");
  expect_same_gait_as_native(imp, rec);
}

TEST(RealExports, PhyphoxLinearAccelerometerFileIsRefusedByItsName) {
  try {
    import_text(layout::phyphox_sensor(run().recording, layout::PhyphoxSensor::linear_accelerometer),
                "Linear Accelerometer.csv");
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("phyphox 'Linear Accelerometer.csv' has gravity removed"), std::string::npos)
        << e.what();
  }
}

TEST(RealExports, PhyphoxCommittedFilesKeepJavasNumberFormat) {
  const auto acc = io::import_file((real_exports() / "phyphox_multi_sensor" / "Accelerometer.csv").string());
  EXPECT_EQ(acc.report.format, "phyphox");
  EXPECT_EQ(acc.report.samples, 300u);
  EXPECT_EQ(acc.report.skipped, 0u);
  EXPECT_NEAR(acc.recording.meta.rate_hz, 200.0, 0.01);
  EXPECT_EQ(layout::java_sci(0.0033524064), "3.352406400E-3");
  EXPECT_EQ(layout::java_sci(9.849455833), "9.849455833E0");
  EXPECT_EQ(layout::java_sci(-12.5), "-1.250000000E1");
}

TEST(RealExports, PhyphoxAccelerationOnlyExportReadsAsItsAccelerometer) {
  // phyphox 'Acceleration with g' exports one file, "Raw Data.csv", with meta/: read accelerometer-only, as the
  // file alone is (before: "no gyroscope file found").
  const fs::path x = real_exports() / "phyphox_acceleration_with_g";
  const io::Imported imp = io::import_input({x.string()});
  EXPECT_EQ(imp.report.format, "phyphox");
  EXPECT_FALSE(imp.report.has_gyro);
  EXPECT_EQ(imp.report.samples, 400u);
  EXPECT_TRUE(has_note(imp, "Raw Data.csv read alone (accelerometer only)"))
      << testing::PrintToString(imp.report.notes);
}

// ---- Movesense: a DataLogger/Logbook export of IMU9 ----

TEST(RealExports, MovesenseLogbookImu9ReadsAccelerometerAndGyroscope) {
  const auto imp = io::import_file((real_exports() / "movesense_logbook_imu9" / "MovesenseLog_1_104.json").string());
  EXPECT_EQ(imp.report.format, "movesense-json");
  EXPECT_EQ(imp.report.samples, 400u);  // 50 blocks of eight; the magnetometer is not read
  EXPECT_EQ(imp.report.skipped, 0u);
  EXPECT_NEAR(imp.recording.meta.rate_hz, 104.0, 1.0);
  EXPECT_NEAR(imp.recording.samples.front().acc_mps2.norm(), 9.81, 0.3);
}

// ---- WitMotion WT901SD: 0x51..0x54 cycles, no time packets ----

TEST(RealExports, WitMotionSdCardFileNeedsItsRateAndSaysSo) {
  const Recording& rec = run().recording;
  const auto bytes = layout::wt901sd(rec);
  test::ScratchDir dir;
  const fs::path f = dir.path() / "DATA.TXT";
  test::write_text(f, std::string(bytes.begin(), bytes.end()));
  const auto assumed = io::import_file(f.string());
  EXPECT_EQ(assumed.report.format, "witmotion");
  EXPECT_EQ(assumed.report.samples, rec.samples.size());
  EXPECT_DOUBLE_EQ(assumed.recording.meta.rate_hz, 10.0);
  EXPECT_TRUE(has_note(assumed, "give --rate HZ")) << testing::PrintToString(assumed.report.notes);
  const SessionResult too_slow = analyze(assumed.recording);
  EXPECT_EQ(too_slow.quality.samples, rec.samples.size());  // read, though too slow to analyse (was 0)
  io::ImportOptions o;
  o.rate_hz = 200;
  io::Imported imp = io::import_file(f.string(), o);
  EXPECT_FALSE(has_note(imp, "give --rate HZ"));
  expect_same_gait_as_native(imp, rec);
}

TEST(RealExports, WitMotionCommittedSdCardFile) {
  io::ImportOptions o;
  o.rate_hz = 100;
  const auto imp = io::import_file((real_exports() / "witmotion_sd" / "DATA.TXT").string(), o);
  EXPECT_EQ(imp.report.format, "witmotion");
  EXPECT_NE(imp.report.format_reason.find("0x51 0x52 0x53 0x54"), std::string::npos) << imp.report.format_reason;
  EXPECT_EQ(imp.report.samples, 300u);
  EXPECT_EQ(imp.report.skipped, 0u);
  EXPECT_NEAR(imp.recording.samples.back().t_s, 2.99, 1e-9);
}

TEST(RealExports, WitMotionRecordCsvOfTheNewerSoftwareGivesTheNativeGait) {
  const Recording& rec = run().recording;
  io::Imported imp = import_text(layout::witmotion_record_csv(rec), "_WT901BLE67(d6-a8-b9-ee-a0-b7)_0.csv");
  EXPECT_EQ(imp.report.format, "witmotion-text");
  EXPECT_EQ(imp.report.samples, rec.samples.size());
  EXPECT_EQ(imp.report.skipped, 0u);
  EXPECT_EQ(imp.report.acc_unit, "g");
  EXPECT_EQ(imp.report.gyr_unit, "deg/s");
  expect_same_gait_as_native(imp, rec);
}

// ---- Shimmer Consensys: the device's name is the user's ----

TEST(RealExports, ShimmerWithAUserNamedDeviceGivesTheNativeGait) {
  const Recording& rec = run().recording;
  for (const std::string device : {"S_SeatHead", "imu", "Shimmer_5F42"}) {
    io::Imported imp = import_text(layout::shimmer_named(rec, device), "Session10_" + device + "_Calibrated_PC.csv");
    EXPECT_EQ(imp.report.format, "shimmer") << device;  // before: "no accelerometer columns found" for the first two
    EXPECT_EQ(imp.report.samples, rec.samples.size()) << device;
    EXPECT_EQ(imp.report.time_unit, "ms") << device;
    expect_same_gait_as_native(imp, rec);
  }
  EXPECT_EQ(layout::java_double(1.7327890275714417e12), "1.7327890275714417E12");
}

// ---- "t","x","y","z": one sensor per file, no unit and no sensor in the header (the app is unknown) ----

// The pair written into `folder` as Accelerometer.csv and Gyroscope.csv.
void write_txyz_pair(const fs::path& folder, const Recording& rec, layout::TxyzUnits units = {}) {
  fs::create_directories(folder);
  test::write_text(folder / "Accelerometer.csv", layout::txyz_sensor(rec, false, units));
  test::write_text(folder / "Gyroscope.csv", layout::txyz_sensor(rec, true, units));
}

TEST(RealExports, TxyzPairGivesTheNativeGaitWhateverItsUnitsAndClock) {
  const Recording& rec = run().recording;
  struct Variant {
    layout::TxyzUnits units;
    const char *acc, *gyr, *time;
  };
  for (const Variant v : {Variant{{false, false}, "m/s^2", "rad/s", "s"}, Variant{{true, false}, "g", "deg/s", "s"},
                          Variant{{false, true}, "m/s^2", "rad/s", "ms"}, Variant{{true, true}, "g", "deg/s", "ms"}}) {
    SCOPED_TRACE(std::string(v.acc) + " " + v.gyr + " " + v.time);
    test::ScratchDir dir;
    write_txyz_pair(dir.path(), rec, v.units);
    // Given in either order: the file names say which is which.
    for (const bool gyro_first : {false, true}) {
      const std::string a = (dir.path() / "Accelerometer.csv").string(), g = (dir.path() / "Gyroscope.csv").string();
      io::Imported imp = io::import_input(gyro_first ? std::vector{g, a} : std::vector{a, g});
      EXPECT_EQ(imp.report.format, "txyz");
      EXPECT_NE(imp.report.format_reason.find("columns x,y,z are the accelerometer: file name 'Accelerometer.csv'"),
                std::string::npos) << imp.report.format_reason;
      EXPECT_EQ(imp.report.acc_unit, v.acc) << imp.report.acc_unit_reason;
      EXPECT_EQ(imp.report.gyr_unit, v.gyr) << imp.report.gyr_unit_reason;
      EXPECT_EQ(imp.report.time_unit, v.time) << imp.report.time_unit_reason;
      EXPECT_NE(imp.report.acc_unit_reason.find("detected: median |a| at rest"), std::string::npos);
      EXPECT_NE(imp.report.gyr_unit_reason.find("a gait in " + std::string(v.gyr)), std::string::npos)
          << imp.report.gyr_unit_reason;
      EXPECT_TRUE(has_note(imp, "joined Gyroscope.csv")) << testing::PrintToString(imp.report.notes);
      EXPECT_EQ(imp.report.skipped, 0u);
      EXPECT_NEAR(imp.recording.meta.rate_hz, 200.0, 0.5);
      expect_same_gait_as_native(imp, rec);
    }
  }
}

TEST(RealExports, TxyzPairReadsFromItsFolderAndItsZip) {
  const Recording& rec = run().recording;
  test::ScratchDir dir;
  const fs::path x = dir.path() / "export";
  write_txyz_pair(x, rec, {true, true});
  test::zip_folder(x, dir.path() / "export.zip");
  for (const fs::path& given : {x, dir.path() / "export.zip"}) {
    io::Imported imp = io::import_input({given.string()});
    EXPECT_EQ(imp.report.format, "txyz") << given;
    EXPECT_EQ(imp.report.gyr_unit, "deg/s") << given;
    expect_same_gait_as_native(imp, rec);
  }
}

// The rule on its own: every 99th percentile a foot or shin gait shows (2-15 rad/s) is read right in both units, and
// what lies outside both ranges is refused, not guessed.
TEST(RealExports, TxyzAngularRateRuleCannotConfuseAGaitInEitherUnit) {
  using io::detail::Unit;
  const auto unit_of = [](double p99) {
    io::detail::RestStats rest;
    rest.gyr_p99 = p99;
    rest.gyr_noise = 0.5;  // a noisy deg/s-like rest: the rule must not look at it
    return io::detail::detect_gyr_unit_from_motion(rest).unit;
  };
  for (double rad_s = 2.0; rad_s <= 15.0; rad_s += 0.5) {
    EXPECT_EQ(unit_of(rad_s), Unit::rad_s) << rad_s;
    EXPECT_EQ(unit_of(rad_s * 180.0 / std::numbers::pi), Unit::dps) << rad_s;
  }
  for (double unclear : {0.0, 0.02, 1.4, 31.0, 49.0}) EXPECT_EQ(unit_of(unclear), Unit::none) << unclear;
}

// The clock's rule: a step at 10 Hz-4 kHz in one unit never looks like a step at those rates in another; a ns clock
// at 3.2 kHz is ns (the generic rule, for 5 Hz-5 kHz, would read it as us), a step between the ranges is refused.
TEST(RealExports, TxyzClockRuleReadsImuRatesInEachUnitAndRefusesTheRest) {
  using io::detail::Unit;
  const auto unit_of = [](double step) {
    std::vector<io::detail::RawRow> rows(50);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].t = 1000.0 * step + static_cast<double>(i) * step;
    return io::detail::detect_time_unit_at_imu_rates(rows).unit;
  };
  for (const double rate_hz : {10.0, 50.0, 100.0, 200.0, 1000.0, 4000.0}) {
    EXPECT_EQ(unit_of(1.0 / rate_hz), Unit::s) << rate_hz;
    EXPECT_EQ(unit_of(1e3 / rate_hz), Unit::ms) << rate_hz;
    EXPECT_EQ(unit_of(1e6 / rate_hz), Unit::us) << rate_hz;
    EXPECT_EQ(unit_of(1e9 / rate_hz), Unit::ns) << rate_hz;
  }
  EXPECT_EQ(unit_of(1e9 / 3200.0), Unit::ns);
  for (const double between : {0.15, 150.0, 1.5e5, 1e9}) EXPECT_EQ(unit_of(between), Unit::none) << between;
  // In a file: refused naming the option, read with it.
  std::string text = "\"t\",\"x\",\"y\",\"z\"\n";
  for (int i = 0; i < 40; ++i) text += std::to_string(150 * i) + ",0.1,0.2,9.8\n";
  try {
    import_text(text, "Accelerometer.csv");
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("Accelerometer.csv line 1: cannot tell the unit of the time column 't': median "
                                         "step 150.0, integer stamps: no IMU rate of 10 Hz-4 kHz in s, ms, us or ns; "
                                         "give --time-unit s, ms, us or ns"),
              std::string::npos) << e.what();
  }
  io::ImportOptions o;
  o.time_unit = "us";
  std::istringstream in(text);
  EXPECT_NEAR(io::import_csv(in, "Accelerometer.csv", o).recording.meta.rate_hz, 1e6 / 150.0, 1.0);
}

// At rest the angular rate is noise: rad/s and deg/s cannot be told apart without guessing, so the file is refused
// naming the option; given the option, it reads.
TEST(RealExports, TxyzGyroscopeAtRestIsRefusedNamingTheOptionThatReadsIt) {
  Recording rest = run().recording;
  rest.samples.resize(300);  // 1.5 s of the 2 s at rest before the run
  test::ScratchDir dir;
  write_txyz_pair(dir.path(), rest);
  const std::vector<std::string> pair{(dir.path() / "Accelerometer.csv").string(),
                                      (dir.path() / "Gyroscope.csv").string()};
  try {
    io::import_input(pair);
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Gyroscope.csv line 1: cannot tell the unit of the angular-rate column 'x'"),
              std::string::npos) << what;
    EXPECT_NE(what.find("too little motion to tell rad/s from deg/s"), std::string::npos) << what;
    EXPECT_NE(what.find("give --gyr-unit rad/s or --gyr-unit deg/s"), std::string::npos) << what;
  }
  io::ImportOptions o;
  o.gyr_unit = "rad/s";
  const io::Imported imp = io::import_input(pair, o);
  EXPECT_EQ(imp.report.gyr_unit, "rad/s");
  EXPECT_EQ(imp.report.gyr_unit_reason, "set by options");
  EXPECT_EQ(imp.report.acc_unit, "m/s^2");  // |a| at rest tells the acceleration's unit
  // The folder: the gyroscope file is still the gyroscope (not skipped, the accelerometer not read alone).
  try {
    io::import_input({dir.path().string()});
    FAIL() << "no error";
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("give --gyr-unit rad/s or --gyr-unit deg/s"), std::string::npos) << e.what();
  }
  // The command line pairs the two files whatever their units (what a file holds does not depend on them): refused
  // as one recording, not analysed as an accelerometer alone; with the option, read as one recording.
  const auto refused = test::run_stride({"analyze", pair[0], pair[1]}, dir);
  EXPECT_NE(refused.exit_code, 0) << refused.describe();
  EXPECT_NE(refused.err.find("Gyroscope.csv line 1: cannot tell the unit"), std::string::npos) << refused.describe();
  EXPECT_EQ(refused.out.find("accelerometer only"), std::string::npos) << refused.describe();
  const auto given = test::run_stride({"analyze", pair[0], pair[1], "--gyr-unit", "rad/s"}, dir);
  EXPECT_NE((given.out + given.err).find("Accelerometer.csv + "), std::string::npos) << given.describe();
  EXPECT_EQ(given.err.find("cannot tell"), std::string::npos) << given.describe();
}

// The options win over what the data suggest: a rad/s gyroscope declared deg/s is read as deg/s.
TEST(RealExports, TxyzUnitsInferredAreOverriddenByTheOptions) {
  const Recording& rec = run().recording;
  test::ScratchDir dir;
  write_txyz_pair(dir.path(), rec);
  io::ImportOptions o;
  o.gyr_unit = "deg/s";
  o.acc_unit = "m/s^2";
  o.time_unit = "s";
  const std::vector<std::string> pair{(dir.path() / "Accelerometer.csv").string(),
                                      (dir.path() / "Gyroscope.csv").string()};
  const io::Imported imp = io::import_input(pair, o);
  EXPECT_EQ(imp.report.gyr_unit, "deg/s");
  EXPECT_EQ(imp.report.gyr_unit_reason, "set by options");
  EXPECT_EQ(imp.report.acc_unit_reason, "set by options");
  EXPECT_EQ(imp.report.time_unit_reason, "set by options");
  // The same numbers as the inferred reading (rad/s), taken as deg/s: every angular rate pi/180 of it.
  const io::Imported inferred = io::import_input(pair);
  EXPECT_EQ(inferred.report.gyr_unit, "rad/s");
  ASSERT_EQ(imp.recording.samples.size(), inferred.recording.samples.size());
  double peak = 0.0;
  for (std::size_t i = 0; i < imp.recording.samples.size(); ++i) {
    const Eigen::Vector3d w = inferred.recording.samples[i].gyr_rad_s;
    peak = std::max(peak, w.norm());
    ASSERT_LE((imp.recording.samples[i].gyr_rad_s - w * std::numbers::pi / 180.0).norm(), 1e-12 * (1.0 + w.norm()))
        << i;
  }
  EXPECT_GT(peak, 5.0);  // a foot's swing was read: the check compared real motion
}

TEST(RealExports, TxyzFileWhoseNameSaysNoSensorIsRefusedSayingHowToName) {
  const std::string text = layout::txyz_sensor(run().recording, false);
  for (const auto& [name, expected] :
       std::vector<std::pair<std::string, std::string>>{
           {"data.csv", "data.csv line 1: columns t,x,y,z do not say which sensor, and the file name 'data.csv' does "
                        "not either; name the files Accelerometer.csv and Gyroscope.csv"},
           {"Linear Accelerometer.csv", "columns t,x,y,z of 'Linear Accelerometer.csv' are, by the file's name, not "
                                        "the accelerometer with gravity nor the gyroscope"}}) {
    try {
      import_text(text, name);
      FAIL() << name << ": no error";
    } catch (const io::ImportError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
  // acc*/gyr* names, as the folder's pairing ranks them, are read.
  EXPECT_EQ(import_text(text, "acc_left.csv").report.has_gyro, false);
  EXPECT_EQ(import_text(layout::txyz_sensor(run().recording, true), "gyr_left.csv").report.has_acc, false);
}

TEST(RealExports, TxyzCommittedPairReadsWithTheUnitsItWasWrittenIn) {
  const fs::path x = real_exports() / "txyz";
  const io::Imported imp = io::import_input({(x / "Accelerometer.csv").string(), (x / "Gyroscope.csv").string()});
  EXPECT_EQ(imp.report.format, "txyz");
  EXPECT_EQ(imp.report.acc_unit, "g");
  EXPECT_EQ(imp.report.gyr_unit, "deg/s");
  EXPECT_EQ(imp.report.time_unit, "ms");
  EXPECT_EQ(imp.report.skipped, 0u);
  EXPECT_NEAR(imp.recording.meta.rate_hz, 100.0, 0.01);
  EXPECT_NEAR(imp.recording.samples.front().acc_mps2.norm(), 9.81, 0.3);  // at rest
}

// What the summary prints: the format with the file-name reason, and each unit with the rule that chose it.
TEST(RealExports, TxyzCommandLineSaysWhatItInferred) {
  test::ScratchDir dir;
  write_txyz_pair(dir.path(), run().recording, {true, true});
  const auto r = test::run_stride({"analyze", (dir.path() / "Accelerometer.csv").string(),
                                   (dir.path() / "Gyroscope.csv").string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("units: acc g (detected: median |a| at rest"), std::string::npos) << all;
  EXPECT_NE(all.find("gyro deg/s (detected: 99th percentile |w|"), std::string::npos) << all;
  EXPECT_NE(all.find("time ms"), std::string::npos) << all;
}

// Writes recordings/reference/real_exports/* (the files without a licence to copy: our numbers, their layout).
TEST(RealExports, DISABLED_WriteLayoutSamples) {
  const fs::path dir = real_exports();
  for (const char* sub :
       {"metabase", "phyphox_multi_sensor", "phyphox_acceleration_with_g/meta", "movesense_logbook_imu9"})
    fs::create_directories(dir / sub);
  Recording rec = run().recording;
  Recording head = rec;
  head.samples.resize(1200);  // 6 s at 200 Hz
  test::write_text(dir / "metabase" / "MetaWear_2024-03-17T09.48.52.324_E2EDDF1A1AA4_Accelerometer.csv",
                   layout::metabase_streamed(head, false));
  test::write_text(dir / "metabase" / "MetaWear_2024-03-17T09.48.52.324_E2EDDF1A1AA4_Gyroscope.csv",
                   layout::metabase_streamed(head, true));
  head.samples.resize(300);
  using layout::PhyphoxSensor;
  test::write_text(dir / "phyphox_multi_sensor" / "Accelerometer.csv",
                   layout::phyphox_sensor(head, PhyphoxSensor::accelerometer));
  test::write_text(dir / "phyphox_multi_sensor" / "Gyroscope.csv",
                   layout::phyphox_sensor(head, PhyphoxSensor::gyroscope));
  head = rec;
  head.samples.resize(400);
  std::string raw = "\"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y (m/s^2)\",\"Acceleration z (m/s^2)\","
                    "\"Absolute acceleration (m/s^2)\"\n";
  for (const auto& s : head.samples)
    raw += layout::java_sci(s.t_s + 0.0335) + "," + layout::java_sci(s.acc_mps2.x()) + "," +
           layout::java_sci(s.acc_mps2.y()) + "," + layout::java_sci(s.acc_mps2.z()) + "," +
           layout::java_sci(s.acc_mps2.norm()) + "\n";
  test::write_text(dir / "phyphox_acceleration_with_g" / "Raw Data.csv", raw);
  test::write_text(dir / "phyphox_acceleration_with_g" / "meta" / "device.csv", layout::phyphox_device_csv());
  test::write_text(dir / "phyphox_acceleration_with_g" / "meta" / "time.csv",
                   layout::phyphox_time_csv(head.samples.back().t_s + 0.04));
  sim::Settings s104;
  s104.strides = 2;
  s104.rate_hz = 104;
  s104.seed = 21;
  Recording m = sim::simulate(s104).recording;
  m.samples.resize(400);
  test::write_text(dir / "movesense_logbook_imu9" / "MovesenseLog_1_104.json", layout::movesense_logbook_imu9(m));
  sim::Settings s100 = s104;
  s100.rate_hz = 100;
  Recording w = sim::simulate(s100).recording;
  w.samples.resize(300);
  fs::create_directories(dir / "shimmer");
  test::write_text(dir / "shimmer" / "Session10_S_SeatHead_Calibrated_PC.csv", layout::shimmer_named(w, "S_SeatHead"));
  fs::create_directories(dir / "witmotion_record");
  test::write_text(dir / "witmotion_record" / "_WT901BLE67(d6-a8-b9-ee-a0-b7)_0.csv", layout::witmotion_record_csv(w));
  write_txyz_pair(dir / "txyz", sim::simulate(s100).recording, {true, true});  // whole: rest, two strides, rest
  const auto sd = layout::wt901sd(w);
  fs::create_directories(dir / "witmotion_sd");
  test::write_text(dir / "witmotion_sd" / "DATA.TXT", std::string(sd.begin(), sd.end()));
}

}  // namespace
}  // namespace stride
