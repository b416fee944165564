// The FIT codec (firmware_iface/fit/): CRC, writer -> reader round trip of every base type and of developer fields,
// hand-built files for big-endian definitions and compressed timestamps, errors naming the file and byte offset,
// and real watch files (recordings/reference/formats/) read against what they are known to hold.
#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "firmware_iface/fit/crc.hpp"
#include "firmware_iface/fit/profile.hpp"
#include "firmware_iface/fit/reader.hpp"
#include "firmware_iface/fit/writer.hpp"
#include "test_support.hpp"

namespace {

using namespace stride::fit;
namespace fs = std::filesystem;

std::vector<std::uint8_t> str_bytes(const std::string& s) { return {s.begin(), s.end()}; }

// Wraps records into a FIT file with a 14-byte header and both CRCs right.
std::vector<std::uint8_t> wrap(const std::vector<std::uint8_t>& records) {
  std::vector<std::uint8_t> f = {14, 0x10, 0x34, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T'};
  const auto n = static_cast<std::uint32_t>(records.size());
  for (int b = 0; b < 4; ++b) f[4 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(n >> (8 * b));
  const auto h = crc16(f.data(), 12);
  f.push_back(static_cast<std::uint8_t>(h));
  f.push_back(static_cast<std::uint8_t>(h >> 8));
  f.insert(f.end(), records.begin(), records.end());
  const auto c = crc16(f.data(), f.size());
  f.push_back(static_cast<std::uint8_t>(c));
  f.push_back(static_cast<std::uint8_t>(c >> 8));
  return f;
}

TEST(FitCrc, IsCrc16ArcOnTheCheckString) {
  const auto s = str_bytes("123456789");
  EXPECT_EQ(crc16(s.data(), s.size()), 0xBB3D);  // CRC-16/ARC check value: the FIT CRC is that algorithm
  EXPECT_EQ(crc16(nullptr, 0), 0);
}

TEST(FitCodec, EveryBaseTypeRoundTripsWithInvalidValues) {
  Writer w(profile::kProfileVersion);
  const std::vector<std::pair<BaseType, double>> cases = {
      {BaseType::enum_, 4},          {BaseType::sint8, -100},        {BaseType::uint8, 254},
      {BaseType::sint16, -32000},    {BaseType::uint16, 65534},      {BaseType::sint32, -2000000000},
      {BaseType::uint32, 4294967294.0}, {BaseType::float32, 1.5},   {BaseType::float64, -1234.56789},
      {BaseType::uint8z, 1},         {BaseType::uint16z, 65535},     {BaseType::uint32z, 7},
      {BaseType::sint64, -5e15},     {BaseType::uint64, 9e15},       {BaseType::uint64z, 3}};
  std::vector<OutField> valid, invalid;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    valid.push_back(OutField::num(static_cast<std::uint8_t>(i), cases[i].first, cases[i].second));
    invalid.push_back(OutField::opt(static_cast<std::uint8_t>(i), cases[i].first, std::nullopt));
  }
  valid.push_back(OutField::str(100, "stride"));
  invalid.push_back(OutField::str(100, "", 7));
  w.write(300, valid);
  w.write(300, invalid);
  const auto bytes = w.finish();
  const FitFile f = decode(bytes, "roundtrip.fit");
  ASSERT_EQ(f.messages.size(), 2u);
  const auto& a = f.messages[0];
  const auto& b = f.messages[1];
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(to_string(cases[i].first));
    const auto n = static_cast<std::uint8_t>(i);
    ASSERT_NE(a.field(n), nullptr);
    EXPECT_EQ(a.field(n)->type, cases[i].first);
    ASSERT_TRUE(a.raw(n).has_value());
    EXPECT_DOUBLE_EQ(*a.raw(n), cases[i].second);
    EXPECT_FALSE(b.raw(n).has_value());  // the invalid pattern reads back as "no value"
  }
  EXPECT_EQ(a.field(100)->text(), "stride");
  EXPECT_FALSE(b.field(100)->valid());
  EXPECT_EQ(f.headers.at(0).profile_version, profile::kProfileVersion);
  EXPECT_EQ(f.headers.at(0).data_size + 14u + 2u, bytes.size());
}

TEST(FitCodec, OutOfRangeValuesAreRefusedNotWrapped) {
  Writer w(profile::kProfileVersion);
  EXPECT_THROW(w.write(20, {OutField::num(4, BaseType::uint8, 255)}), FitError);  // 255 is uint8's invalid value
  EXPECT_THROW(w.write(20, {OutField::num(4, BaseType::uint8, -1)}), FitError);
  EXPECT_THROW(w.write(20, {}, {{1, 0, 2.0}}), FitError);  // a developer field nobody described
  // 2^64 - 1 and 2^63 - 1 are the invalid patterns, but as doubles they round up to 2^64 and 2^63, which no 64-bit
  // integer holds (the cast was undefined; found by fuzz/fuzz_fit_roundtrip.cpp).
  EXPECT_THROW(w.write(20, {OutField::num(4, BaseType::uint64, 18446744073709551615.0)}), FitError);
  EXPECT_THROW(w.write(20, {OutField::num(4, BaseType::uint64z, 18446744073709551615.0)}), FitError);
  EXPECT_THROW(w.write(20, {OutField::num(4, BaseType::sint64, 9223372036854775807.0)}), FitError);
  EXPECT_THROW(w.write(20, {OutField::num(4, BaseType::float32, 1e39)}), FitError);  // beyond float's range
  EXPECT_EQ(w.messages(), 0u);
}

TEST(FitCodec, TheWholeRangeOfEachTypeRoundTrips) {
  Writer w(profile::kProfileVersion);
  // The extremes each type can hold: signed from -2^(n-1) (was refused) up to below the invalid pattern; the
  // 64-bit ones up to the largest double under 2^63 / 2^64.
  const std::vector<std::pair<BaseType, double>> cases = {
      {BaseType::sint8, -128},        {BaseType::sint8, 126},         {BaseType::sint16, -32768},
      {BaseType::sint32, -2147483648.0}, {BaseType::sint64, -9223372036854775808.0},
      {BaseType::sint64, 9223372036854774784.0}, {BaseType::uint64, 18446744073709549568.0},
      {BaseType::uint64z, 18446744073709549568.0}, {BaseType::uint8z, 255}};
  std::vector<OutField> fields;
  for (std::size_t i = 0; i < cases.size(); ++i)
    fields.push_back(OutField::num(static_cast<std::uint8_t>(i), cases[i].first, cases[i].second));
  w.write(300, fields);
  const FitFile f = decode(w.finish(), "extremes.fit");
  ASSERT_EQ(f.messages.size(), 1u);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(to_string(cases[i].first) + " " + std::to_string(cases[i].second));
    const auto v = f.messages[0].raw(static_cast<std::uint8_t>(i));
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, cases[i].second);
  }
}

TEST(FitCodec, DeveloperFieldsCarryTheirDescriptions) {
  Writer w(profile::kProfileVersion);
  std::array<std::uint8_t, 16> app{};
  app[0] = 0xAB;
  w.add_developer(0, app, 7);
  DeveloperFieldDescription d;
  d.field_number = 3;
  d.type = BaseType::float32;
  d.name = "Foot strike angle";
  d.units = "deg";
  w.describe_field(d);
  d.field_number = 4;
  d.type = BaseType::uint16;
  d.name = "Flight time";
  d.units = "ms";
  w.describe_field(d);
  for (int i = 0; i < 3; ++i)
    w.write(profile::mesg::record, {OutField::num(profile::kTimestamp, BaseType::uint32, 1000000000 + i)},
            {{3, 0, 10.25 + i}, {4, 0, i == 1 ? std::nan("") : 80.0 + i}});
  const FitFile f = decode(w.finish(), "dev.fit");
  std::vector<const Message*> records;
  for (const auto& m : f.messages)
    if (m.global == profile::mesg::record) records.push_back(&m);
  ASSERT_EQ(records.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const auto* fsa = records[static_cast<std::size_t>(i)]->developer("Foot strike angle");
    ASSERT_NE(fsa, nullptr);
    EXPECT_EQ(fsa->description->units, "deg");
    EXPECT_EQ(fsa->value.type, BaseType::float32);
    EXPECT_FLOAT_EQ(static_cast<float>(*fsa->value.value()), static_cast<float>(10.25 + i));
    const auto* flight = records[static_cast<std::size_t>(i)]->developer("Flight time");
    ASSERT_NE(flight, nullptr);
    if (i == 1) EXPECT_FALSE(flight->value.value().has_value());
    else EXPECT_DOUBLE_EQ(*flight->value.value(), 80.0 + i);
  }
  const auto& id = f.messages.at(0);
  EXPECT_EQ(id.global, profile::mesg::developer_data_id);
  EXPECT_EQ(id.field(profile::developer_data_id::application_id)->bytes.at(0), 0xAB);
}

TEST(FitCodec, BigEndianDefinitionsAndCompressedTimestamps) {
  // Local 0: record, big-endian, fields 253 uint32 and 6 uint16; then a little-endian local 1 with one uint16.
  std::vector<std::uint8_t> r = {0x40, 0, 1, 0x00, 20, 2, 253, 4, 0x86, 6, 2, 0x84,
                                 0x00, 0x3B, 0x9A, 0xCA, 0x1E, 0x0B, 0xB8,  // t = 1000000030 (…1E), speed 3000
                                 0x41, 0, 0, 20, 0, 1, 6, 2, 0x84,
                                 // compressed headers on local 1: offsets 0x1F then 0x01 (rolls over 32 s)
                                 static_cast<std::uint8_t>(0x80 | (1 << 5) | 0x1F), 0xD0, 0x07,
                                 static_cast<std::uint8_t>(0x80 | (1 << 5) | 0x01), 0xA0, 0x0F};
  const FitFile f = decode(wrap(r), "be.fit");
  ASSERT_EQ(f.messages.size(), 3u);
  EXPECT_EQ(*f.messages[0].timestamp(), 1000000030u);
  EXPECT_DOUBLE_EQ(*f.messages[0].raw(6), 3000);
  EXPECT_TRUE(f.messages[1].compressed_timestamp);
  EXPECT_EQ(*f.messages[1].timestamp(), 1000000031u);  // …1E -> offset 1F: +1
  EXPECT_DOUBLE_EQ(*f.messages[1].raw(6), 2000);
  EXPECT_EQ(*f.messages[2].timestamp(), 1000000033u);  // offset 01 < 1F: next 32-s block
  EXPECT_DOUBLE_EQ(*f.messages[2].raw(6), 4000);
}

TEST(FitCodec, TruncationAndBadCrcNameTheFileAndTheByte) {
  Writer w(profile::kProfileVersion);
  w.write(20, {OutField::num(253, BaseType::uint32, 1000000000), OutField::num(6, BaseType::uint16, 3000)});
  auto bytes = w.finish();
  auto cut = bytes;
  cut.resize(bytes.size() - 5);
  try {
    decode(cut, "cut.fit");
    FAIL() << "truncated file accepted";
  } catch (const FitError& e) {
    EXPECT_NE(std::string(e.what()).find("cut.fit: byte " + std::to_string(cut.size())), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  auto bad = bytes;
  bad[20] ^= 0x01;
  try {
    decode(bad, "bad.fit");
    FAIL() << "damaged file accepted";
  } catch (const FitError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.fit: byte " + std::to_string(bytes.size() - 2)), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CRC"), std::string::npos) << e.what();
  }
  // A data size that lies (says less than there is) puts the truncation inside a message: named by its offset.
  std::vector<std::uint8_t> r = {0x40, 0, 0, 20, 0, 1, 6, 2, 0x84, 0x00, 0xB8};  // the data message lacks a byte
  try {
    decode(wrap(r), "short.fit");
    FAIL();
  } catch (const FitError& e) {
    EXPECT_NE(std::string(e.what()).find("short.fit: byte 23: truncated data message"), std::string::npos) << e.what();
  }
  EXPECT_THROW(decode(str_bytes("not a fit file at all"), "text.fit"), FitError);
}

// --- real files -------------------------------------------------------------------------------------------------

fs::path formats() { return stride::test::reference_data() / "formats"; }

std::vector<const Message*> of(const FitFile& f, std::uint16_t global) {
  std::vector<const Message*> out;
  for (const auto& m : f.messages)
    if (m.global == global) out.push_back(&m);
  return out;
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    std::string c;
    while (std::getline(s, c, ',')) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

TEST(FitReference, Fenix5RecordsMatchTheCompanionCsv) {
  const auto dir = formats() / "fit_fenix5_running_dynamics";
  const FitFile f = read_file((dir / "garmin-fenix-5-run.fit").string());
  const auto records = of(f, profile::mesg::record);
  const auto rows = csv_rows(dir / "garmin-fenix-5-run-records.csv");
  ASSERT_EQ(rows.size(), 21u);
  ASSERT_EQ(records.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("record " + std::to_string(i));
    const auto& row = rows[i];
    const auto& m = *records[i];
    std::tm tm{};
    std::istringstream ts(row[0]);
    ts >> std::get_time(&tm, "%a %b %d %H:%M:%S PDT %Y");
    ASSERT_FALSE(ts.fail()) << row[0];
    const double unix_s = static_cast<double>(timegm(&tm)) + 7 * 3600;  // PDT = UTC-7
    EXPECT_DOUBLE_EQ(fit_to_unix(*m.timestamp()), unix_s);
    EXPECT_DOUBLE_EQ(*m.raw(profile::record::heart_rate), std::stod(row[1]));
    EXPECT_DOUBLE_EQ(m.raw(profile::record::cadence).value_or(0), std::stod(row[2]));
    const auto speed = m.field(profile::record::enhanced_speed) ? m.scaled(profile::record::enhanced_speed, 1000)
                                                                : m.scaled(profile::record::speed, 1000);
    EXPECT_NEAR(speed.value_or(0), std::stod(row[3]), 1e-9);
    EXPECT_NEAR(*m.scaled(profile::record::distance, 100), std::stod(row[4]), 1e-9);
    EXPECT_DOUBLE_EQ(*m.raw(profile::record::position_lat), std::stod(row[5]));
    EXPECT_DOUBLE_EQ(*m.raw(profile::record::position_long), std::stod(row[6]));
    const auto alt = m.field(78) ? m.scaled(78, 5, 500) : m.scaled(2, 5, 500);  // enhanced_altitude or altitude
    EXPECT_NEAR(alt.value_or(NAN), std::stod(row[7]), 1e-9);
    EXPECT_DOUBLE_EQ(*m.raw(13), std::stod(row[8]));  // temperature, sint8 °C
  }
  // Running dynamics (FORMATS.md §4): the first records hold the invalid 0xFFFF, the fifth holds (raw) 39=730,
  // 40=3950, 41=2850, 84=5409, 85=6580, cadence 90 + 0/128 strides/min.
  EXPECT_FALSE(records[0]->raw(profile::record::stance_time).has_value());
  const auto& r3 = *records[4];
  ASSERT_TRUE(r3.raw(profile::record::stance_time).has_value());
  EXPECT_DOUBLE_EQ(*r3.scaled(profile::record::vertical_oscillation, 10), 73.0);
  EXPECT_DOUBLE_EQ(*r3.scaled(profile::record::stance_time_percent, 100), 39.5);
  EXPECT_DOUBLE_EQ(*r3.scaled(profile::record::stance_time, 10), 285.0);
  EXPECT_DOUBLE_EQ(*r3.scaled(profile::record::stance_time_balance, 100), 54.09);
  EXPECT_DOUBLE_EQ(*r3.scaled(profile::record::step_length, 10), 658.0);
  EXPECT_DOUBLE_EQ(*r3.raw(profile::record::cadence), 90);
  EXPECT_DOUBLE_EQ(*r3.raw(profile::record::fractional_cadence), 0);
  int with_dynamics = 0;
  for (const auto* m : records)
    if (m->raw(profile::record::stance_time)) {
      ++with_dynamics;
      // stance_time_percent is contact time over the stride (one foot's cycle), about 35-45 % when running.
      EXPECT_GE(*m->scaled(profile::record::stance_time_percent, 100), 35);
      EXPECT_LE(*m->scaled(profile::record::stance_time_percent, 100), 50);
      EXPECT_TRUE(m->raw(profile::record::step_length).has_value());
    }
  EXPECT_EQ(with_dynamics, 18);
  const auto sessions = of(f, profile::mesg::session);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(*sessions[0]->raw(profile::session::sport), profile::kSportRunning);
}

TEST(FitReference, Fenix2RunHas2809RecordsWithRunningDynamics) {
  const FitFile f = read_file((formats() / "fit_fenix5_running_dynamics" / "activity-small-fenix2-run.fit").string());
  const auto records = of(f, profile::mesg::record);
  EXPECT_EQ(records.size(), 2809u);
  int stance = 0;
  for (const auto* m : records) stance += m->raw(profile::record::stance_time).has_value();
  EXPECT_GT(stance, 2000);
  for (std::size_t i = 1; i < records.size(); ++i)  // time never runs backwards
    ASSERT_GE(*records[i]->timestamp(), *records[i - 1]->timestamp());
}

TEST(FitReference, StrydDeveloperFieldsKeepNamesUnitsAndValues) {
  const FitFile f = read_file((formats() / "fit_developer_fields_stryd" / "developer-types-sample.fit").string());
  const auto records = of(f, profile::mesg::record);
  EXPECT_EQ(records.size(), 3424u);
  const auto descriptions = of(f, profile::mesg::field_description);
  EXPECT_GE(descriptions.size(), 4u);
  int power = 0, lss = 0;
  const DeveloperField* speed = nullptr;
  for (const auto* m : records) {
    if (const auto* d = m->developer("Form Power"); d && d->value.value()) {
      ++power;
      EXPECT_EQ(d->description->units, "Watts");
      EXPECT_GE(*d->value.value(), 0);
      EXPECT_LT(*d->value.value(), 500);
    }
    if (const auto* d = m->developer("Leg Spring Stiffness"); d && d->value.value()) {
      ++lss;
      EXPECT_EQ(d->description->units, "KN/m");
    }
    if (!speed) speed = m->developer("Speed");
  }
  EXPECT_GT(power, 1000);
  EXPECT_GT(lss, 1000);
  ASSERT_NE(speed, nullptr);
  EXPECT_EQ(speed->description->units, "M/S");
  // This Stryd build wrote the native field's number (record.speed = 6) into native_mesg_num (field 14) and left
  // native_field_num (15) out; the reader reports what is there.
  EXPECT_EQ(speed->description->native_mesg_num, 6);
  EXPECT_FALSE(speed->description->native_field_num.has_value());
  EXPECT_FLOAT_EQ(static_cast<float>(*records[999]->developer("Speed")->value.value()), 2.08984375f);
  EXPECT_DOUBLE_EQ(*records[999]->developer("Form Power")->value.value(), 98);
}

}  // namespace
