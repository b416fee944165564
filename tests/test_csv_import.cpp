// Importer for other tools' CSV: spellings, delimiters, time and unit detection, and bad input.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>

#include "alloc_counter.hpp"
#include "stride/recording_io.hpp"
#include "stride/utf8.hpp"

namespace stride::io {
namespace {

constexpr double kG = 9.80665;
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr std::string_view kNativeHeaderText =
    "t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s";

// A small synthetic walk in SI: 1.5 s standing, then steps (acc swings of +-1.5 g, gyro up to ~6 rad/s).
std::vector<ImuSample> synthetic_walk(double rate_hz = 100.0, double seconds = 6.0, std::uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n(0.0, 1.0);
  std::vector<ImuSample> out;
  const auto count = static_cast<std::size_t>(seconds * rate_hz);
  for (std::size_t i = 0; i < count; ++i) {
    ImuSample s;
    s.t_s = static_cast<double>(i) / rate_hz;
    const double m = s.t_s < 1.5 ? 0.0 : 1.0;
    const double w = 2 * std::numbers::pi * 1.0 * s.t_s;
    s.acc_mps2 = {0.5 + m * 12 * std::sin(w) + 0.03 * n(rng), -0.3 + m * 4 * std::cos(w) + 0.03 * n(rng),
                  9.78 + m * 15 * std::sin(2 * w) + 0.03 * n(rng)};
    s.gyr_rad_s = {m * 1.5 * std::sin(w) + 0.003 * n(rng), m * 6.0 * std::cos(w) + 0.003 * n(rng),
                   m * 0.8 * std::sin(3 * w) + 0.003 * n(rng)};
    out.push_back(s);
  }
  return out;
}

struct Layout {
  std::string header;            // column names joined by the delimiter below
  char delim = ',';
  double time_factor = 1.0;      // seconds -> file unit; 0 = no time column
  double time_offset = 0.0;      // added to the file's time (device clocks)
  double acc_factor = 1.0;       // m/s^2 -> file unit
  double gyr_factor = 1.0;       // rad/s -> file unit
  bool integer_time = false;
  std::string eol = "\n";
};

std::string write_csv(const std::vector<ImuSample>& samples, const Layout& l) {
  std::string out = l.header + l.eol;
  char buf[64];
  for (const auto& s : samples) {
    std::string line;
    auto cell = [&](double v, const char* fmt) {
      std::snprintf(buf, sizeof buf, fmt, v);
      if (!line.empty()) line += l.delim;
      line += buf;
    };
    if (l.time_factor > 0)
      cell(std::round((s.t_s * l.time_factor + l.time_offset) * (l.integer_time ? 1 : 1e9)) / (l.integer_time ? 1 : 1e9),
           l.integer_time ? "%.0f" : "%.9g");
    for (int k = 0; k < 3; ++k) cell(s.acc_mps2[k] * l.acc_factor, "%.10g");
    for (int k = 0; k < 3; ++k) cell(s.gyr_rad_s[k] * l.gyr_factor, "%.10g");
    out += line + l.eol;
  }
  return out;
}

Imported import_text(const std::string& text, const ImportOptions& opt = {}, const std::string& name = "x.csv") {
  std::istringstream in(text);
  return import_csv(in, name, opt);
}

void expect_close(const std::vector<ImuSample>& truth, const Imported& got, double time_tol = 1e-9) {
  ASSERT_EQ(got.recording.samples.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const ImuSample& a = truth[i];
    const ImuSample& b = got.recording.samples[i];
    ASSERT_NEAR(a.t_s, b.t_s, time_tol) << "sample " << i;
    ASSERT_LT((a.acc_mps2 - b.acc_mps2).norm(), 1e-6) << "sample " << i;
    ASSERT_LT((a.gyr_rad_s - b.gyr_rad_s).norm(), 1e-6) << "sample " << i;
  }
}

std::string expect_import_error(const std::string& text, const ImportOptions& opt = {},
                                const std::string& name = "x.csv") {
  try {
    import_text(text, opt, name);
  } catch (const ImportError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected ImportError for:\n" << text.substr(0, 300);
  return {};
}

#define EXPECT_CONTAINS(hay, needle) \
  EXPECT_NE(std::string(hay).find(needle), std::string::npos) << "'" << (needle) << "' not in: " << (hay)

// ---- spellings -------------------------------------------------------------------------------------------------

struct Spelling {
  std::string header;
  double acc_factor, gyr_factor;
  const char* acc_unit;
  const char* gyr_unit;
};

class GenericSpellings : public ::testing::TestWithParam<Spelling> {};

TEST_P(GenericSpellings, MapsColumnsAndUnits) {
  const auto truth = synthetic_walk();
  Layout l;
  l.header = GetParam().header;
  l.acc_factor = GetParam().acc_factor;
  l.gyr_factor = GetParam().gyr_factor;
  const Imported got = import_text(write_csv(truth, l));
  EXPECT_EQ(got.report.acc_unit, GetParam().acc_unit);
  EXPECT_EQ(got.report.gyr_unit, GetParam().gyr_unit);
  EXPECT_EQ(got.report.skipped, 0u);
  expect_close(truth, got);
  EXPECT_NEAR(got.recording.meta.rate_hz, 100.0, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(
    Headers, GenericSpellings,
    ::testing::Values(
        Spelling{"t,ax,ay,az,gx,gy,gz", 1, 1, "m/s^2", "rad/s"},
        Spelling{"time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z", 1 / kG, 1, "g", "rad/s"},
        Spelling{"timestamp,accX,accY,accZ,gyro_x,gyro_y,gyro_z", 1, 1 / kDeg, "m/s^2", "deg/s"},
        Spelling{"Time (s),AccX,AccY,AccZ,GyroX,GyroY,GyroZ", 1 / kG, 1 / kDeg, "g", "deg/s"},
        Spelling{"t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s", 1, 1, "m/s^2", "rad/s"},
        Spelling{"Time (s),Accelerometer X (g),Accelerometer Y (g),Accelerometer Z (g),Gyroscope X (deg/s),"
                 "Gyroscope Y (deg/s),Gyroscope Z (deg/s)",
                 1 / kG, 1 / kDeg, "g", "deg/s"},
        Spelling{"Time,inertial-6253.76535:scaledAccelX,inertial-6253.76535:scaledAccelY,"
                 "inertial-6253.76535:scaledAccelZ,inertial-6253.76535:scaledGyroX,inertial-6253.76535:scaledGyroY,"
                 "inertial-6253.76535:scaledGyroZ",
                 1 / kG, 1, "g", "rad/s"},
        Spelling{"\"T\",\"acc_x [m/s^2]\",\"acc_y [m/s^2]\",\"acc_z [m/s^2]\",\"gyr_x [dps]\",\"gyr_y [dps]\","
                 "\"gyr_z [dps]\"",
                 1, 1 / kDeg, "m/s^2", "deg/s"},
        Spelling{"t,a_x (m/s\xC2\xB2),a_y (m/s\xC2\xB2),a_z (m/s\xC2\xB2),w_x (rad/s),w_y (rad/s),w_z (rad/s)", 1, 1,
                 "m/s^2", "rad/s"}));

TEST(CsvImport, DeclaredUnitsAreReportedAsDeclared) {
  Layout l;
  l.header = "Time (s),Accelerometer X (g),Accelerometer Y (g),Accelerometer Z (g),Gyroscope X (deg/s),"
             "Gyroscope Y (deg/s),Gyroscope Z (deg/s)";
  l.acc_factor = 1 / kG;
  l.gyr_factor = 1 / kDeg;
  const Imported got = import_text(write_csv(synthetic_walk(), l));
  EXPECT_EQ(got.report.acc_unit_reason, "declared in header 'Accelerometer X (g)'");
  EXPECT_EQ(got.report.gyr_unit_reason, "declared in header 'Gyroscope X (deg/s)'");
  EXPECT_EQ(got.report.time_unit_reason, "declared in header 'Time (s)'");
}

TEST(CsvImport, UnusedColumnsAreListed) {
  const std::string text =
      "time,acc_x,acc_y,acc_z,mag_x,gyr_x,gyr_y,gyr_z,temperature\n"
      "0,0,0,9.81,0.3,0,0,0,25\n0.01,0,0,9.81,0.3,0,0,0,25\n";
  const Imported got = import_text(text);
  EXPECT_EQ(got.report.ignored_columns, (std::vector<std::string>{"mag_x", "temperature"}));
  ASSERT_EQ(got.recording.samples.size(), 2u);
  EXPECT_NEAR(got.recording.samples[1].acc_mps2.z(), 9.81, 1e-12);
}

// ---- delimiters, BOM, CRLF, comments ------------------------------------------------------------------------------

TEST(CsvImport, SemicolonWithDecimalCommaTabAndWhitespace) {
  const auto truth = synthetic_walk();
  for (char d : {';', '\t', ' '}) {
    Layout l;
    l.delim = d;
    l.header = std::string("t") + d + "ax" + d + "ay" + d + "az" + d + "gx" + d + "gy" + d + "gz";
    std::string text = write_csv(truth, l);
    const Imported got = import_text(text);
    EXPECT_EQ(got.report.delimiter, d);
    expect_close(truth, got);
    if (d == ';') {  // European spreadsheets: decimal commas inside semicolon-separated cells
      for (char& c : text)
        if (c == '.') c = ',';
      expect_close(truth, import_text(text));
    }
  }
}

TEST(CsvImport, BomCrlfAndMetadataComments) {
  const auto truth = synthetic_walk();
  Layout l;
  l.header = "t,ax,ay,az,gx,gy,gz";
  l.eol = "\r\n";
  const std::string text = "\xEF\xBB\xBF# board: test rig\r\n# side: right\r\n# a plain comment\r\n\r\n" + write_csv(truth, l);
  const Imported got = import_text(text);
  expect_close(truth, got);
  EXPECT_EQ(got.recording.meta.board, "test rig");
  EXPECT_EQ(got.recording.meta.side, Side::right);
}

// ---- time ----------------------------------------------------------------------------------------------------

TEST(CsvImport, MillisecondAndMicrosecondClocksDeclaredOrDetected) {
  const auto truth = synthetic_walk(200.0);
  struct Case {
    std::string time_name;
    double factor;
    double offset;
    const char* unit;
  };
  for (const Case& c : {Case{"time_ms", 1e3, 0, "ms"}, Case{"Timestamp (us)", 1e6, 19150794, "us"},
                        Case{"Time (\xC2\xB5s)", 1e6, 0, "us"}, Case{"timestamp", 1e3, 5000, "ms"},
                        Case{"timestamp", 1e6, 123456789, "us"}}) {
    Layout l;
    l.header = c.time_name + ",ax,ay,az,gx,gy,gz";
    l.time_factor = c.factor;
    l.time_offset = c.offset;
    l.integer_time = true;
    const Imported got = import_text(write_csv(truth, l));
    EXPECT_EQ(got.report.time_unit, c.unit) << c.time_name;
    expect_close(truth, got, 1e-9);
    if (c.offset != 0) {
      EXPECT_EQ(got.recording.meta.extra.at("device_t0"), std::to_string(static_cast<long long>(c.offset)));
    } else {
      EXPECT_EQ(got.recording.meta.extra.count("device_t0"), 0u);
    }
    if (c.time_name == "timestamp") {
      EXPECT_CONTAINS(got.report.time_unit_reason, "detected");
    }
  }
}

TEST(CsvImport, NoTimeColumnNeedsRate) {
  const auto truth = synthetic_walk(100.0);
  Layout l;
  l.header = "ax,ay,az,gx,gy,gz";
  l.time_factor = 0;
  const std::string text = write_csv(truth, l);
  const std::string err = expect_import_error(text, {}, "walk.csv");
  EXPECT_CONTAINS(err, "no time column found in walk.csv (header: ax, ay, az, gx, gy, gz); pass --rate HZ");
  ImportOptions opt;
  opt.rate_hz = 100.0;
  const Imported got = import_text(text, opt);
  expect_close(truth, got, 1e-12);
  EXPECT_EQ(got.report.time_unit, "none (rate 100 Hz)");
  EXPECT_EQ(got.recording.meta.rate_hz, 100.0);
}

// ---- unit detection ------------------------------------------------------------------------------------------

TEST(CsvImport, DetectsAccAndGyroUnitsBothWays) {
  const auto truth = synthetic_walk();
  for (bool acc_g : {false, true}) {
    for (bool gyr_deg : {false, true}) {
      Layout l;
      l.header = "t,ax,ay,az,gx,gy,gz";
      l.acc_factor = acc_g ? 1 / kG : 1.0;
      l.gyr_factor = gyr_deg ? 1 / kDeg : 1.0;
      const Imported got = import_text(write_csv(truth, l));
      EXPECT_EQ(got.report.acc_unit, acc_g ? "g" : "m/s^2");
      EXPECT_EQ(got.report.gyr_unit, gyr_deg ? "deg/s" : "rad/s");
      EXPECT_CONTAINS(got.report.acc_unit_reason, "detected: median |a| at rest");
      EXPECT_CONTAINS(got.report.gyr_unit_reason, "detected");
      expect_close(truth, got);
    }
  }
}

TEST(CsvImport, DetectsGyroUnitOfAStillDeviceFromItsNoise) {
  const auto still = synthetic_walk(100.0, 1.4);  // only the standing part: gyro noise 0.003 per axis
  Layout l;
  l.header = "t,ax,ay,az,gx,gy,gz";
  l.gyr_factor = 0.1 / 0.003;  // a deg/s file: MEMS noise ~0.1 deg/s
  const Imported deg = import_text(write_csv(still, l));
  EXPECT_EQ(deg.report.gyr_unit, "deg/s") << deg.report.gyr_unit_reason;
  EXPECT_CONTAINS(deg.report.gyr_unit_reason, "noise at rest");
  l.gyr_factor = 0.6;  // a rad/s file: noise ~0.0018 rad/s (0.1 deg/s)
  const Imported rad = import_text(write_csv(still, l));
  EXPECT_EQ(rad.report.gyr_unit, "rad/s") << rad.report.gyr_unit_reason;
}

TEST(CsvImport, OptionsOverrideHeaderUnits) {
  const auto truth = synthetic_walk();
  Layout l;
  l.header = "t,acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gx,gy,gz";  // header lies: the data are in g
  l.acc_factor = 1 / kG;
  ImportOptions opt;
  opt.acc_unit = "g";
  opt.gyr_unit = "rad/s";
  const Imported got = import_text(write_csv(truth, l), opt);
  EXPECT_EQ(got.report.acc_unit_reason, "set by options");
  expect_close(truth, got);
}

// ---- bad input -----------------------------------------------------------------------------------------------

TEST(CsvImportErrors, EmptyFile) {
  EXPECT_CONTAINS(expect_import_error("", {}, "empty.csv"), "empty.csv: empty file");
  EXPECT_CONTAINS(expect_import_error("# only: metadata\n\n", {}, "c.csv"), "c.csv line 2: no header line");
}

TEST(CsvImportErrors, BinaryJunk) {
  std::string nul = "t,ax\n0,1\n";
  nul += std::string("\0\x01\x02", 3);
  EXPECT_CONTAINS(expect_import_error(nul, {}, "junk.bin"), "junk.bin line 3: binary data (NUL byte");
  std::mt19937 rng(1);
  std::string noise;
  for (int i = 0; i < 4000; ++i) noise += static_cast<char>(0x80 + rng() % 0x7F);
  EXPECT_CONTAINS(expect_import_error(noise, {}, "noise.dat"), "noise.dat line 1: mostly non-printable bytes");
}

TEST(CsvImportErrors, UnknownColumns) {
  const std::string err = expect_import_error("foo,bar\n1,2\n", {}, "x.csv");
  EXPECT_CONTAINS(err, "x.csv line 1: no accelerometer columns found; expected names like acc_x, ax");
  EXPECT_CONTAINS(err, "found: foo, bar");
  // No gyroscope columns at all is an accelerometer-only file (tests/test_acc_only.cpp); some of them is an error.
  EXPECT_CONTAINS(expect_import_error("t,ax,ay,az,gx,gy,mag_x\n0,0,0,9.8,0,0,1\n"), "no gyr_z column found");
  EXPECT_CONTAINS(expect_import_error("t,ax,ay,gx,gy,gz\n"), "no acc_z column found");
  EXPECT_CONTAINS(expect_import_error("0,1,2,3,4,5,6\n"), "holds numbers, not column names");
}

TEST(CsvImportErrors, BadCellsAreSkippedWithLineNumbersAndGoodRowsKept) {
  const auto truth = synthetic_walk();
  Layout l;
  l.header = "t,ax,ay,az,gx,gy,gz";
  std::string text = write_csv(truth, l);
  // Replace lines 11, 21 and 31 (samples 9, 19, 29) with bad ones, and truncate the last line.
  std::vector<std::string> lines;
  std::istringstream ss(text);
  for (std::string s; std::getline(ss, s);) lines.push_back(s);
  lines[10] = "0.09,0.5,-0.3,9.78,0.1,abc,0.2";
  lines[20] = "0.19,nan,-0.3,9.78,0.1,0.1,0.2";
  lines[30] = "0.29,0.5,-0.3,9.78,0.1,0.1";
  lines.back() = lines.back().substr(0, lines.back().rfind(','));
  std::string bad;
  for (const auto& s : lines) bad += s + "\n";
  const Imported got = import_text(bad, {}, "bad.csv");
  EXPECT_EQ(got.report.skipped, 4u);
  ASSERT_EQ(got.report.issues.size(), 4u);
  EXPECT_EQ(got.report.issues[0].line, 11u);
  EXPECT_EQ(got.report.issues[0].what, "cell 6 'abc' is not a number (expected gyr_y)");
  EXPECT_EQ(to_string(got.report.issues[0], "bad.csv"), "bad.csv line 11: cell 6 'abc' is not a number (expected gyr_y)");
  EXPECT_EQ(got.report.issues[1].line, 21u);
  EXPECT_EQ(got.report.issues[1].what, "cell 2 'nan' is not a finite number (expected acc_x)");
  EXPECT_EQ(got.report.issues[2].line, 31u);
  EXPECT_EQ(got.report.issues[2].what, "has 6 cells, expected 7 (line cut short?)");
  EXPECT_EQ(got.report.issues[3].line, lines.size());
  EXPECT_EQ(got.recording.samples.size(), truth.size() - 4);
  EXPECT_EQ(got.report.samples, truth.size() - 4);
  // The kept samples are the good ones, untouched.
  EXPECT_NEAR(got.recording.samples[9].t_s, truth[10].t_s, 1e-12);
}

TEST(CsvImportErrors, TimeGoingBackwardsIsSkippedAndRepeatedStampsCounted) {
  std::string text = "t,ax,ay,az,gx,gy,gz\n";
  const double times[] = {0.00, 0.01, 0.02, 0.02, 0.015, 0.03, 0.03, 0.04};
  for (double t : times) text += std::to_string(t) + ",0.1,0.2,9.8,0,0,0\n";
  const Imported got = import_text(text, {}, "back.csv");
  EXPECT_EQ(got.recording.samples.size(), 5u);
  EXPECT_EQ(got.report.duplicate_stamps, 2u);
  EXPECT_EQ(got.report.skipped, 1u);
  ASSERT_EQ(got.report.issues.size(), 1u);
  EXPECT_EQ(got.report.issues[0].line, 6u);
  EXPECT_CONTAINS(got.report.issues[0].what, "time goes backwards: 0.015 after 0.02 (expected increasing time)");
}

TEST(CsvImportErrors, ASingleStampFarAheadIsDroppedNotEverythingAfterIt) {
  std::string text = "t,ax,ay,az,gx,gy,gz\n";
  const double times[] = {0.00, 0.01, 0.02, 70.03, 0.04, 0.05, 0.06};
  for (double t : times) text += std::to_string(t) + ",0.1,0.2,9.8,0,0,0\n";
  const Imported got = import_text(text, {}, "jump.csv");
  EXPECT_EQ(got.recording.samples.size(), 6u);
  ASSERT_EQ(got.report.issues.size(), 1u);
  EXPECT_EQ(got.report.issues[0].line, 5u);
  EXPECT_CONTAINS(got.report.issues[0].what, "time 70.03 is ahead of the next row's 0.04");
}

TEST(CsvImportErrors, ImpossibleUnitsNameTheColumnAndWhatWasFound) {
  const auto truth = synthetic_walk();
  Layout l;
  l.header = "t,Accelerometer X (g),Accelerometer Y (g),Accelerometer Z (g),gx,gy,gz";  // but data in m/s^2
  const std::string err = expect_import_error(write_csv(truth, l), {}, "lies.csv");
  EXPECT_CONTAINS(err, "lies.csv line 1: acceleration column 'Accelerometer X (g)' taken as g");
  EXPECT_CONTAINS(err, "|a| at rest (lines ");
  EXPECT_CONTAINS(err, ") is 9.8");  // ~9.8 g found
  EXPECT_CONTAINS(err, "expected about 1 g (0.5-2 g)");

  Layout r;
  r.header = "t,ax,ay,az,gyr_x (rad/s),gyr_y (rad/s),gyr_z (rad/s)";  // but data in deg/s
  r.gyr_factor = 1 / kDeg;
  EXPECT_CONTAINS(expect_import_error(write_csv(truth, r)), "angular-rate column 'gyr_x (rad/s)' taken as rad/s");

  Layout z;
  z.header = "t,ax,ay,az,gx,gy,gz";
  z.acc_factor = 1000;  // mg? no unit fits
  EXPECT_CONTAINS(expect_import_error(write_csv(truth, z)),
                  "cannot tell the unit of the acceleration column 'ax'");
  ImportOptions bad_option;
  bad_option.acc_unit = "furlongs";
  EXPECT_CONTAINS(expect_import_error(write_csv(truth, z), bad_option), "unknown acceleration unit 'furlongs'");
}

TEST(CsvImportErrors, MissingFileNamesThePath) {
  try {
    import_file("/nonexistent/dir/walk.csv");
    FAIL() << "no error";
  } catch (const ImportError& e) {
    EXPECT_CONTAINS(e.what(), "cannot open '/nonexistent/dir/walk.csv'");
  }
}

TEST(CsvImportErrors, HeaderOnlyFileGivesAnEmptyRecording) {
  const Imported got = import_text("t,ax,ay,az,gx,gy,gz\n");
  EXPECT_TRUE(got.recording.samples.empty());
  EXPECT_EQ(got.report.skipped, 0u);
}

TEST(CsvImportErrors, ManyBadLinesKeepFiftyIssuesAndCountAll) {
  std::string text = "t,ax,ay,az,gx,gy,gz\n";
  for (int i = 0; i < 300; ++i) {
    text += std::to_string(i * 0.01) + (i % 3 == 0 ? ",x" : ",0.1") + ",0.2,9.8,0,0,0\n";
  }
  const Imported got = import_text(text);
  EXPECT_EQ(got.report.skipped, 100u);
  EXPECT_EQ(got.report.issues.size(), 50u);
  EXPECT_EQ(got.recording.samples.size(), 200u);
}

TEST(CsvImportErrors, MangledDataNeverCrashesAndKeepsMostRows) {
  const auto truth = synthetic_walk(100.0, 8.0);
  Layout l;
  l.header = "t,ax,ay,az,gx,gy,gz";
  const std::string clean = write_csv(truth, l);
  std::mt19937 rng(17);
  const std::string junk = "x,.-+e\n\r\"#;\t \0";
  for (int round = 0; round < 200; ++round) {
    std::string text = clean;
    for (int k = 0; k < 20; ++k) {
      const std::size_t at = l.header.size() + 1 + rng() % (text.size() - l.header.size() - 1);
      switch (rng() % 3) {
        case 0: text[at] = junk[rng() % junk.size()]; break;
        case 1: text.erase(at, 1 + rng() % 30); break;
        default: text.insert(at, 1, junk[rng() % junk.size()]);
      }
    }
    text.resize(text.size() - rng() % 40);
    try {
      const Imported got = import_text(text, {}, "mangled.csv");
      EXPECT_GT(got.recording.samples.size(), truth.size() / 2);
      EXPECT_LE(got.report.samples + got.report.skipped + got.report.duplicate_stamps, got.report.lines - 1);
      for (std::size_t i = 1; i < got.recording.samples.size(); ++i)
        ASSERT_GT(got.recording.samples[i].t_s, got.recording.samples[i - 1].t_s);
    } catch (const ImportError& e) {
      // Acceptable only when the mangling hit the header or the binary sniffing (NUL bytes).
      EXPECT_NE(std::string(e.what()).find("mangled.csv"), std::string::npos) << e.what();
    }
  }
}

// ---- gaitmap layout ------------------------------------------------------------------------------------------

TEST(CsvImport, GaitmapLayoutPicksTheSensorAndRate) {
  std::string text =
      "sensor,left_sensor,right_sensor,left_sensor,right_sensor,left_sensor,right_sensor,left_sensor,right_sensor,"
      "left_sensor,right_sensor,left_sensor,right_sensor\n"
      "axis,acc_x,acc_x,acc_y,acc_y,acc_z,acc_z,gyr_x,gyr_x,gyr_y,gyr_y,gyr_z,gyr_z\n";
  for (int i = 0; i < 10; ++i) text += std::to_string(i) + ",1,-1,2,-2,9.5,9.6,10,-10,20,-20,30,-30\n";
  const Imported left = import_text(text);
  EXPECT_EQ(left.report.format, "gaitmap");
  EXPECT_EQ(left.recording.meta.side, Side::left);
  EXPECT_DOUBLE_EQ(left.recording.meta.rate_hz, 204.8);
  ASSERT_EQ(left.recording.samples.size(), 10u);
  EXPECT_DOUBLE_EQ(left.recording.samples[9].t_s, 9 / 204.8);
  EXPECT_DOUBLE_EQ(left.recording.samples[0].acc_mps2.y(), 2.0);
  EXPECT_NEAR(left.recording.samples[0].gyr_rad_s.z(), 30 * kDeg, 1e-15);
  ImportOptions opt;
  opt.sensor = "right_sensor";
  opt.rate_hz = 102.4;
  const Imported right = import_text(text, opt);
  EXPECT_EQ(right.recording.meta.side, Side::right);
  EXPECT_DOUBLE_EQ(right.recording.samples[9].t_s, 9 / 102.4);
  EXPECT_DOUBLE_EQ(right.recording.samples[0].acc_mps2.y(), -2.0);
  opt.sensor = "middle_sensor";
  EXPECT_CONTAINS(expect_import_error(text, opt, "g.csv"),
                  "g.csv line 1: no sensor 'middle_sensor' in this gaitmap file; found: left_sensor, right_sensor");
}


// ---- time stamps: the clock guard shared with the live decoders (issue 14) ----------------------------------------

std::string walk_text(const std::vector<ImuSample>& truth, const std::vector<std::string>& stamps) {
  std::string text = "t,ax,ay,az,gx,gy,gz\n";
  char buf[64];
  for (std::size_t i = 0; i < truth.size(); ++i) {
    text += stamps[i];
    for (int k = 0; k < 3; ++k) text += (std::snprintf(buf, sizeof buf, ",%.10g", truth[i].acc_mps2[k]), buf);
    for (int k = 0; k < 3; ++k) text += (std::snprintf(buf, sizeof buf, ",%.10g", truth[i].gyr_rad_s[k]), buf);
    text += "\n";
  }
  return text;
}

std::vector<std::string> stamps_us(const std::vector<ImuSample>& truth, double t0_us = 0) {
  std::vector<std::string> out;
  for (const auto& s : truth) out.push_back(std::to_string(std::llround(t0_us + s.t_s * 1e6)));
  return out;
}

TEST(CsvImportTime, OneCorruptedDigitAndABurstAreSkippedTheRestKept) {
  const auto truth = synthetic_walk(100.0, 20.0);
  auto stamps = stamps_us(truth, 3'000'000);
  stamps[500] += "00";  // x 100
  std::mt19937 rng(5);
  for (std::size_t i = 1200; i < 1206; ++i) stamps[i] = std::to_string(rng() % 4'000'000'000u);
  const Imported got = import_text(walk_text(truth, stamps), {}, "glitch.csv");
  EXPECT_GE(got.recording.samples.size(), truth.size() - 7);
  EXPECT_LE(got.recording.samples.size(), truth.size() - 1);
  EXPECT_EQ(got.report.clock_restarts, 0u);
  const double d = got.recording.samples.back().t_s - got.recording.samples.front().t_s;
  EXPECT_NEAR(d, truth.back().t_s, 0.01 * truth.back().t_s);
  EXPECT_EQ(got.report.issues[0].line, 502u);
  EXPECT_CONTAINS(got.report.issues[0].what, "ahead of the next row's");
  EXPECT_TRUE(got.recording.gaps.size() <= 2) << got.recording.gaps.size();
}

TEST(CsvImportTime, AClockRestartIsFollowedNotEverythingAfterItSkipped) {
  // Before, every row after a device restart was skipped as "time goes backwards".
  const auto truth = synthetic_walk(100.0, 10.0);
  auto stamps = stamps_us(truth, 7'000'000);
  for (std::size_t i = 600; i < truth.size(); ++i)
    stamps[i] = std::to_string(std::llround(200 + (truth[i].t_s - truth[600].t_s) * 1e6));
  const Imported got = import_text(walk_text(truth, stamps), {}, "restart.csv");
  EXPECT_EQ(got.recording.samples.size(), truth.size());
  EXPECT_EQ(got.report.clock_restarts, 1u);
  EXPECT_EQ(got.report.skipped, 0u);
  EXPECT_TRUE(got.recording.gaps.empty());
  const double d = got.recording.samples.back().t_s - got.recording.samples.front().t_s;
  EXPECT_NEAR(d, truth.back().t_s, 0.01 * truth.back().t_s);
}

TEST(CsvImportTime, AnAbsurdGapGivesABoundedMissingCount) {
  // Before: llround(1e302) is unspecified: "1 gaps (9223372036854775807 samples)" or anything.
  const std::string text = "# stride_format: 1\n# rate_hz: 100\n" + std::string(kNativeHeaderText) +
                           "\n0,0,0,9.8,0,0,0\n1e300,0,0,9.8,0,0,0\n";
  std::istringstream in(text);
  CsvReader reader(in, "absurd.csv");
  std::vector<ImuSample> out(4);
  EXPECT_EQ(reader.read(out), 2u);
  ASSERT_EQ(reader.gaps().size(), 1u);
  EXPECT_EQ(reader.gaps()[0].missing_samples, kMaxMissingSamples);
  const Imported got = import_text(text, {}, "absurd.csv");
  ASSERT_EQ(got.recording.gaps.size(), 1u);
  EXPECT_EQ(got.recording.gaps[0].missing_samples, kMaxMissingSamples);
}

// ---- bounded memory and messages on any input (issue 14) ----------------------------------------------------

// A scratch folder for generated inputs, removed at the end.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = std::filesystem::temp_directory_path() /
          ("stride_limits_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

// Imports a file and returns the error message (empty when it imported), with the bytes allocated meanwhile.
struct Attempt {
  std::string error;
  std::size_t allocated = 0;
  Imported got;
};
Attempt attempt(const std::string& path, const ImportOptions& opt = {}) {
  Attempt a;
  test::AllocationMeter meter;
  try {
    a.got = import_file(path, opt);
  } catch (const ImportError& e) {
    a.error = e.what();
  }
  a.allocated = meter.bytes();
  return a;
}

constexpr std::size_t kMB = std::size_t{1} << 20;

TEST(CsvImportLimits, AHugeHeaderLineIsRefusedEarlyWithAShortMessage) {
  // Issue 14: a 60 MB header of 30 M column names took 3.7 GB and 55 s; here 3 MB of 1.5 M names.
  Scratch s;
  std::string header;
  for (int i = 0; i < 1'500'000; ++i) header += "c,";
  const auto path = s.write("wide.csv", header + "\n1,2,3\n");
  const auto a = attempt(path);
  EXPECT_CONTAINS(a.error, path + " line 1: a line of 3000000 bytes before the first data row, over the limit of 1 MB");
  EXPECT_LT(a.error.size(), 400u) << a.error.size();
  EXPECT_LT(a.allocated, 8 * kMB);
}

TEST(CsvImportLimits, TooManyColumnsAreRefusedWithAShortMessage) {
  // Issue 14: a 10^6-column file printed an 8.9 MB message. 200 000 columns fit in a 1 MB line.
  Scratch s;
  std::string header = "t,ax,ay,az,gx,gy,gz";
  for (int i = 0; i < 200'000; ++i) header += ",x";
  const auto path = s.write("columns.csv", header + "\n0,0,0,9.8,0,0,0\n");
  const auto a = attempt(path);
  EXPECT_CONTAINS(a.error, path + " line 1: the header has 200007 columns, more than the 4096 read (max_columns)");
  EXPECT_LT(a.error.size(), 400u) << a.error.size();
  EXPECT_LT(a.allocated, 8 * kMB);
  // Under the limit, a header of unknown names lists a few of them, not all.
  std::string unknown;
  for (int i = 0; i < 4000; ++i) unknown += (i ? ",name" : "name") + std::to_string(i);
  const auto b = attempt(s.write("unknown.csv", unknown + "\n1,2\n"));
  EXPECT_CONTAINS(b.error, "no accelerometer columns found");
  EXPECT_CONTAINS(b.error, "(4000 in all)");
  EXPECT_LT(b.error.size(), 400u) << b.error;
}

TEST(CsvImportLimits, AFileWithoutANewlineIsRefusedWithoutCopyingIt) {
  // Issue 14: 100 MB without a newline took 950 MB and copied all of it into the error message; here 12 MB.
  Scratch s;
  std::string body;
  body.reserve(12 * kMB);
  while (body.size() < 12 * kMB) body += "1.25,";
  const auto path = s.write("one_line.csv", body);
  const auto a = attempt(path);
  EXPECT_CONTAINS(a.error, path + " line 1: a line of");
  EXPECT_CONTAINS(a.error, "over the limit of 1 MB (max_line_bytes)");
  EXPECT_LT(a.error.size(), 400u) << a.error.size();
  EXPECT_LT(a.allocated, 8 * kMB);
  body.clear();
  body.shrink_to_fit();
}

TEST(CsvImportLimits, AnOverlongDataLineIsSkippedAndTheRestRead) {
  const auto truth = synthetic_walk();
  auto text = write_csv(truth, {"t,ax,ay,az,gx,gy,gz"});
  const std::size_t at = text.find('\n', text.size() / 2) + 1;
  const std::size_t line_no = static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
  std::string junk(20 * kMB, '7');
  text.insert(at, junk + "\n");
  junk.clear();
  junk.shrink_to_fit();
  Scratch s;
  const auto path = s.write("long_row.csv", text);
  text.clear();
  text.shrink_to_fit();
  const auto a = attempt(path);
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.got.recording.samples.size(), truth.size());
  ASSERT_EQ(a.got.report.issues.size(), 1u);
  EXPECT_EQ(a.got.report.issues[0].line, line_no);
  EXPECT_CONTAINS(a.got.report.issues[0].what, "longer than 1 MB (max_line_bytes; 20971520 bytes), skipped");
  EXPECT_LT(a.got.report.issues[0].what.size(), 200u);
  EXPECT_LT(a.allocated, 8 * kMB);  // the samples need about 40 kB
}

TEST(CsvImportLimits, MetadataBeyondTheHeaderLimitIsRefused) {
  Scratch s;
  std::string text;
  for (int i = 0; text.size() < 2 * kMB; ++i) text += "# key" + std::to_string(i) + ": some value\n";
  text += "t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n";
  const auto path = s.write("meta.csv", text);
  const auto a = attempt(path);
  EXPECT_CONTAINS(a.error, path + " line ");
  EXPECT_CONTAINS(a.error, "the metadata and header lines before the first data row exceed 1 MB (max_header_bytes)");
  EXPECT_LT(a.allocated, 8 * kMB);
  // The limits are settings.
  ImportOptions big;
  big.max_header_bytes = 4 * kMB;
  const auto b = attempt(path, big);
  EXPECT_EQ(b.error, "");
  EXPECT_LE(b.got.recording.meta.extra.size(), 256u);  // unknown keys kept up to a bound
  ImportOptions bad;
  bad.max_columns = 2;
  EXPECT_CONTAINS(attempt(path, bad).error, "options: max_columns = 2; expected at least 6");
}

TEST(CsvImportLimits, SkippedCellsAreQuotedOnCodePointsWithControlsEscaped) {
  // Issue 14: a micro sign cut in half by the cell excerpt made the JSON writer throw; an escape sequence in a cell
  // went to the terminal raw.
  const auto truth = synthetic_walk();
  auto lines = std::vector<std::string>();
  {
    std::istringstream in(write_csv(truth, {"t,ax,ay,az,gx,gy,gz"}));
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  auto cell_replaced = [](const std::string& line, int cell, const std::string& with) {
    std::size_t b = 0;
    for (int i = 0; i < cell; ++i) b = line.find(',', b) + 1;
    const std::size_t e = line.find(',', b);
    return line.substr(0, b) + with + line.substr(e);
  };
  lines[10] = cell_replaced(lines[10], 2, std::string(23, '1') + "\u00B5\u00B5\u00B5\u00B5");
  lines[20] = cell_replaced(lines[20], 3, "\x1B]0;pwned\x07\x1B[2J");
  lines[30] = cell_replaced(lines[30], 4, "caf\xE9\xFF");
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  const Imported got = import_text(text, {}, "cells.csv");
  ASSERT_EQ(got.report.issues.size(), 3u);
  for (const auto& i : got.report.issues) {
    EXPECT_TRUE(utf8::is_valid(i.what)) << i.what;
    EXPECT_EQ(i.what.find('\x1B'), std::string::npos) << i.what;
    EXPECT_EQ(i.what.find('\x07'), std::string::npos) << i.what;
    EXPECT_LT(i.what.size(), 200u);
  }
  EXPECT_CONTAINS(got.report.issues[0].what, "cell 3 '" + std::string(23, '1') + "\u00B5...'");
  EXPECT_CONTAINS(got.report.issues[1].what, "cell 4 '\\x1B]0;pwned\\x07\\x1B[2J'");
  EXPECT_CONTAINS(got.report.issues[2].what, "cell 5 'caf\u00E9\u00FF'");  // other bytes read as Windows-1252
}

}  // namespace
}  // namespace stride::io
