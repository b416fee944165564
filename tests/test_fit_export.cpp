// FIT out and compare (tools/session/fit_export, fit_compare; `stride export`, `analyze --fit`, `stride compare`):
// every record read back exactly by our reader, the same file from the recording and from its JSON, accepted by an
// independent reader (gpsbabel), and a session compared with its own export lines up at 0 %.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "firmware_iface/fit/profile.hpp"
#include "firmware_iface/fit/reader.hpp"
#include "firmware_iface/fit/writer.hpp"
#include "test_support.hpp"
#include "tools/history/history_store.hpp"
#include "tools/session/analyze_session.hpp"
#include "tools/session/fit_compare.hpp"
#include "tools/session/fit_export.hpp"
#include "tools/session/slim_document.hpp"

namespace stride::test {
namespace {

using nlohmann::json;
namespace p = fit::profile;

const std::string kRun = (source_dir() / "recordings/sim_run_rearfoot_3.5mps.csv").string();
const std::string kLeft = (source_dir() / "recordings/sim_two_feet_overstride_left.csv").string();
const std::string kRight = (source_dir() / "recordings/sim_two_feet_overstride_right.csv").string();
constexpr const char* kStart = "2025-05-01T07:30:00Z";
constexpr double kStartUnix = 1746084600;  // 2025-05-01T07:30:00Z

const json& run_doc() {
  static const json doc = session::load_session_document(kRun);
  return doc;
}

std::vector<const fit::Message*> of(const fit::FitFile& f, std::uint16_t global) {
  std::vector<const fit::Message*> out;
  for (const auto& m : f.messages)
    if (m.global == global) out.push_back(&m);
  return out;
}

// The raw value a scaled quantity must have in the file (nullopt: not measured -> the invalid value).
std::optional<double> raw_of(double v, double scale) {
  if (!std::isfinite(v)) return std::nullopt;
  return std::round(v * scale);
}

TEST(FitExport, ParsesIsoStartTimesAsUtc) {
  EXPECT_EQ(*session::parse_iso_utc("2025-05-01T07:30:00Z"), kStartUnix);
  EXPECT_EQ(*session::parse_iso_utc("2025-05-01T09:30:00+02:00"), kStartUnix);
  EXPECT_EQ(*session::parse_iso_utc("2025-05-01T02:30-0500"), kStartUnix);
  EXPECT_EQ(*session::parse_iso_utc("2025-05-01 07:30"), kStartUnix);
  EXPECT_EQ(*session::parse_iso_utc("2025-05-01"), kStartUnix - 7.5 * 3600);
  EXPECT_FALSE(session::parse_iso_utc("").has_value());
  EXPECT_FALSE(session::parse_iso_utc("yesterday").has_value());
  EXPECT_FALSE(session::parse_iso_utc("2025-13-01").has_value());
}

// A document is input: its duration sets how many records are made. 1e300 crashed the cast to a count, 1e10
// filled the memory (2.4 GB in 20 s); both are refused now, naming what was expected.
TEST(FitExport, AnAbsurdSessionDurationIsRefusedNotAllocated) {
  session::FitExportOptions o;
  o.start_iso = kStart;
  for (const double d : {1e300, 1e10, 7 * 86400.0 + 1, std::numeric_limits<double>::infinity()}) {
    auto timeline = session::stride_timeline(run_doc(), o.start_iso, 0, "none");
    timeline.duration_s = d;
    try {
      (void)session::build_fit_activity(timeline, o);
      ADD_FAILURE() << d << " s was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("at most 7 days"), std::string::npos) << e.what();
    }
  }
  auto timeline = session::stride_timeline(run_doc(), o.start_iso, 0, "none");
  timeline.duration_s = 600;  // ten minutes: fine, one record a second
  EXPECT_EQ(session::build_fit_activity(timeline, o).records.size(), 600u);
}

TEST(FitExport, EveryRecordReadsBackExactly) {
  session::FitExportOptions o;
  o.start_iso = kStart;
  o.lap_m = 40;  // a short simulated run: several laps
  const auto timeline = session::stride_timeline(run_doc(), o.start_iso, 0, "none");
  EXPECT_EQ(timeline.start_source, "--start");
  const auto activity = session::build_fit_activity(timeline, o);
  const auto bytes = session::encode_fit_activity(activity, o);
  const fit::FitFile f = fit::decode(bytes, "export.fit");

  const auto ids = of(f, p::mesg::file_id);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(*ids[0]->raw(p::file_id::type), p::file_id::kTypeActivity);
  EXPECT_EQ(*ids[0]->raw(p::file_id::manufacturer), p::kManufacturerDevelopment);
  EXPECT_EQ(ids[0]->field(p::file_id::product_name)->text(), "stride");
  EXPECT_EQ(of(f, p::mesg::device_info).size(), 1u);
  EXPECT_EQ(of(f, p::mesg::developer_data_id).size(), 1u);
  EXPECT_EQ(of(f, p::mesg::field_description).size(), session::stride_developer_fields().size());

  const auto records = of(f, p::mesg::record);
  ASSERT_EQ(records.size(), activity.records.size());
  ASSERT_GE(records.size(), 20u);
  int with_values = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE("record " + std::to_string(i));
    const auto& m = *records[i];
    const auto& r = activity.records[i];
    EXPECT_EQ(*m.timestamp(), static_cast<std::uint32_t>(kStartUnix - fit::kFitEpochUnixS) + i);
    EXPECT_EQ(m.raw(p::record::distance), raw_of(r.distance_m, 100));
    EXPECT_EQ(m.raw(p::record::speed), raw_of(r.speed_mps, 1000));
    EXPECT_EQ(m.raw(p::record::enhanced_speed), raw_of(r.speed_mps, 1000));
    EXPECT_EQ(m.raw(p::record::stance_time), raw_of(r.stance_time_ms, 10));
    EXPECT_EQ(m.raw(p::record::stance_time_percent), raw_of(r.stance_time_percent, 100));
    EXPECT_EQ(m.raw(p::record::step_length), raw_of(r.step_length_m * 1000, 10));
    EXPECT_EQ(m.field(p::record::stance_time_balance), nullptr);  // one foot: no balance
    if (std::isfinite(r.cadence_spm)) {
      ++with_values;
      // strides/min = cadence + fractional_cadence / 128, to 1/256 of a stride per minute
      const double rpm = *m.raw(p::record::cadence) + *m.raw(p::record::fractional_cadence) / 128;
      EXPECT_NEAR(rpm * 2, r.cadence_spm, 1.0 / 128 + 1e-9);
    } else {
      EXPECT_FALSE(m.raw(p::record::cadence).has_value());
    }
    ASSERT_EQ(m.developer_fields.size(), 5u);
    const double dev[] = {r.fsa_deg, r.pronation_excursion_deg, r.pronation_velocity_dps, r.impact_g, r.flight_ms};
    for (std::size_t d = 0; d < 5; ++d) {
      const auto& field = m.developer_fields[d];
      ASSERT_TRUE(field.description.has_value());
      EXPECT_EQ(field.description->name, session::stride_developer_fields()[d].name);
      EXPECT_EQ(field.description->units, session::stride_developer_fields()[d].units);
      if (std::isfinite(dev[d])) EXPECT_EQ(static_cast<float>(*field.value.value()), static_cast<float>(dev[d]));
      else EXPECT_FALSE(field.value.value().has_value());
    }
  }
  EXPECT_GE(with_values * 4, static_cast<int>(records.size()) * 3);  // the simulated run stands ~3 s at each end
  // The values are the run's: 3.5 m/s simulated, a rearfoot strike.
  const auto& mid = activity.records[records.size() / 2];
  EXPECT_NEAR(mid.speed_mps, 3.5, 0.35);
  EXPECT_GT(mid.fsa_deg, 8);

  const auto laps = of(f, p::mesg::lap);
  ASSERT_EQ(laps.size(), activity.laps.size());
  EXPECT_GE(laps.size(), 2u);
  double lap_distance = 0;
  for (const auto* l : laps) lap_distance += *l->scaled(p::lap::total_distance, 100);
  const auto sessions = of(f, p::mesg::session);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_NEAR(lap_distance, *sessions[0]->scaled(p::session::total_distance, 100), 0.01 * laps.size());
  EXPECT_NEAR(*sessions[0]->scaled(p::session::total_distance, 100), activity.records.back().distance_m, 0.006);
  EXPECT_EQ(*sessions[0]->raw(p::session::sport), p::kSportRunning);
  EXPECT_EQ(*sessions[0]->raw(p::session::num_laps), laps.size());
  EXPECT_EQ(of(f, p::mesg::activity).size(), 1u);
}

TEST(FitExport, TwoFeetWriteTheStanceTimeBalance) {
  ScratchDir dir;
  const auto r = run_stride({"analyze", "--left", kLeft, "--right", kRight, "--quiet", "--fit", (dir / "two.fit").string(),
                             "--json", (dir / "two.json").string()},
                            dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const auto f = fit::read_file((dir / "two.fit").string());
  int balanced = 0;
  for (const auto* m : of(f, p::mesg::record))
    if (const auto b = m->scaled(p::record::stance_time_balance, 100)) {
      ++balanced;
      EXPECT_GT(*b, 40);
      EXPECT_LT(*b, 60);
    }
  EXPECT_GT(balanced, 10);
  EXPECT_TRUE(of(f, p::mesg::session)[0]->raw(p::session::avg_stance_time_balance).has_value());
}

// load_session_document keeps of each stride only what the timeline reads (a day's document held whole took 512 MB):
// the timeline of the slim document equals the full one's, field for field, for two feet.
TEST(FitExport, ALoadedDocumentKeepsOnlyTheTimelinesStrideFieldsAndGivesTheSameTimeline) {
  ScratchDir dir;
  const auto r = run_stride({"analyze", "--left", kLeft, "--right", kRight, "--quiet", "--json",
                             (dir / "two.json").string()},
                            dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json full = json::parse(read_text(dir / "two.json"));
  const json slim = session::load_session_document((dir / "two.json").string());
  std::size_t strides = 0, fields_full = 0, fields_slim = 0;
  for (const char* side : {"left", "right"}) {
    const json& a = full["feet"][side]["strides"];
    const json& b = slim["feet"][side]["strides"];
    ASSERT_EQ(a.size(), b.size()) << side;
    for (std::size_t i = 0; i < a.size(); ++i) {
      ++strides;
      fields_full += a[i].size();
      fields_slim += b[i].size();
      for (const auto& [key, value] : b[i].items()) {
        EXPECT_TRUE(session::timeline_reads_stride_field(key)) << key;
        EXPECT_EQ(value, a[i][key]) << side << " stride " << i << " " << key;
      }
    }
  }
  ASSERT_GT(strides, 40u);
  EXPECT_LT(fields_slim * 2, fields_full);  // 13 of 34 fields kept
  EXPECT_EQ(slim["feet"]["left"]["summary"], full["feet"]["left"]["summary"]);  // only stride objects are slimmed
  const auto ta = session::stride_timeline(full, kStart, 0, "none");
  const auto tb = session::stride_timeline(slim, kStart, 0, "none");
  ASSERT_EQ(ta.strides.size(), tb.strides.size());
  EXPECT_EQ(ta.duration_s, tb.duration_s);
  const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  for (std::size_t i = 0; i < ta.strides.size(); ++i) {
    const auto &x = ta.strides[i], &y = tb.strides[i];
    EXPECT_EQ(x.foot, y.foot);
    for (const auto& [u, v] : {std::pair{x.ic_unix_s, y.ic_unix_s}, {x.next_ic_unix_s, y.next_ic_unix_s},
                               {x.cadence_spm, y.cadence_spm}, {x.gct_ms, y.gct_ms}, {x.flight_ms, y.flight_ms},
                               {x.stride_length_m, y.stride_length_m}, {x.speed_mps, y.speed_mps},
                               {x.fsa_deg, y.fsa_deg}, {x.pronation_excursion_deg, y.pronation_excursion_deg},
                               {x.pronation_velocity_dps, y.pronation_velocity_dps},
                               {x.peak_impact_g, y.peak_impact_g}})
      EXPECT_TRUE(same(u, v)) << "stride " << i << ": " << u << " vs " << v;
  }
}

// The SAX filter's edges: dropped values that are arrays and objects (nested), a "strides" that is not an array,
// arrays of arrays, the same keys outside stride objects (kept), and malformed input (the parser's own error).
TEST(FitExport, TheSlimParseDropsOnlyStrideFieldsTheTimelineDoesNotRead) {
  const std::string text = R"({"strides": 3, "a": {"strides": [
      {"ic_s": 1.5, "tc_s": 1.7, "invalid_codes": ["x", ["y", {"z": []}]], "next_ic_s": 2.5,
       "spatial": {"pos": [1, 2], "q": {"w": 1}}, "valid": true, "foot": "left", "pos_x_m": null},
      [{"tc_s": 4}], {}, {"tc_s": {"deep": [[[]]]}}],
    "tc_s": 9, "list": [[{"tc_s": 1}]]}})";
  std::istringstream in(text);
  const json slim = session::parse_keeping_timeline_fields(in);
  const json expected = json::parse(R"({"strides": 3, "a": {"strides": [
      {"ic_s": 1.5, "next_ic_s": 2.5, "valid": true, "foot": "left"}, [{"tc_s": 4}], {}, {}],
    "tc_s": 9, "list": [[{"tc_s": 1}]]}})");
  EXPECT_EQ(slim, expected) << slim.dump();
  std::istringstream bad(R"({"strides": [{"tc_s": [1, 2}]})");
  EXPECT_THROW(session::parse_keeping_timeline_fields(bad), json::parse_error);
}

TEST(FitExportCli, RecordingAndItsJsonGiveTheSameFile) {
  ScratchDir dir;
  const auto a = run_stride({"analyze", kRun, "--quiet", "--json", (dir / "run.json").string(), "--fit",
                             (dir / "from_analyze.fit").string()},
                            dir);
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_NE(a.err.find("no start time"), std::string::npos) << a.err;  // the simulated file has none: said so
  const auto b = run_stride({"export", (dir / "run.json").string(), "--fit", (dir / "from_json.fit").string()}, dir);
  ASSERT_EQ(b.exit_code, 0) << b.describe();
  const auto c = run_stride({"export", kRun, "--fit", (dir / "from_recording.fit").string()}, dir);
  ASSERT_EQ(c.exit_code, 0) << c.describe();
  const std::string fa = read_text(dir / "from_analyze.fit");
  EXPECT_EQ(fa, read_text(dir / "from_json.fit"));
  EXPECT_EQ(fa, read_text(dir / "from_recording.fit"));
  EXPECT_NO_THROW(fit::read_file((dir / "from_json.fit").string()));
  // Errors: a file that is not a session, a bad --start.
  write_text(dir / "bad.json", "{\"strides\": []}");
  const auto bad = run_stride({"export", (dir / "bad.json").string(), "--fit", (dir / "x.fit").string()}, dir);
  EXPECT_EQ(bad.exit_code, 1) << bad.describe();
  EXPECT_NE(bad.err.find("bad.json: not a session document"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir / "x.fit"));
  write_text(dir / "future.json", R"({"schema": "stride.session/9", "feet": {}})");
  const auto future = run_stride({"export", (dir / "future.json").string(), "--fit", (dir / "x.fit").string()}, dir);
  EXPECT_EQ(future.exit_code, 1) << future.describe();
  EXPECT_NE(future.err.find("future.json: schema 'stride.session/9'"), std::string::npos) << future.err;
  EXPECT_FALSE(fs::exists(dir / "x.fit"));
  const auto bad_start = run_stride({"export", kRun, "--fit", (dir / "x.fit").string(), "--start", "soon"}, dir);
  EXPECT_EQ(bad_start.exit_code, 1) << bad_start.describe();
  EXPECT_NE(bad_start.err.find("'soon'"), std::string::npos) << bad_start.err;
}

// gpsbabel's garmin_fit reader, as an independent check: it must take the file without an error or warning.
// It only turns records with a position into track points, and stride has no GPS, so the track is empty; the
// check that matters is that it parses the header, every definition, the developer fields and both CRCs.
TEST(FitExportCli, GpsbabelAcceptsTheFile) {
  if (std::system("command -v gpsbabel >/dev/null 2>&1") != 0) GTEST_SKIP() << "gpsbabel is not installed";
  ScratchDir dir;
  const auto e = run_stride({"export", kRun, "--fit", (dir / "run.fit").string(), "--start", kStart}, dir);
  ASSERT_EQ(e.exit_code, 0) << e.describe();
  const std::string cmd = "gpsbabel -t -i garmin_fit -f '" + (dir / "run.fit").string() + "' -o unicsv -F '" +
                          (dir / "out.csv").string() + "' 2>'" + (dir / "babel.err").string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_text(dir / "babel.err");
  EXPECT_EQ(read_text(dir / "babel.err"), "");
  // A damaged copy is refused by gpsbabel too: the check has teeth.
  std::string bytes = read_text(dir / "run.fit");
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);
  write_text(dir / "bad.fit", bytes);
  const std::string bad = "gpsbabel -t -i garmin_fit -f '" + (dir / "bad.fit").string() + "' -o unicsv -F '" +
                          (dir / "bad.csv").string() + "' 2>/dev/null";
  EXPECT_NE(std::system(bad.c_str()), 0);
}

// The same reader on a file that has positions (so that gpsbabel turns its records into points): the count and the
// times it reports are the ones written, with stride's developer fields in every record.
TEST(FitExportCli, GpsbabelReadsTheWritersTimesAndPoints) {
  if (std::system("command -v gpsbabel >/dev/null 2>&1") != 0) GTEST_SKIP() << "gpsbabel is not installed";
  ScratchDir dir;
  fit::Writer w(p::kProfileVersion);
  const auto t0 = static_cast<std::uint32_t>(kStartUnix - fit::kFitEpochUnixS);
  w.write(p::mesg::file_id, {fit::OutField::num(p::file_id::type, fit::BaseType::enum_, p::file_id::kTypeActivity),
                             fit::OutField::num(p::file_id::manufacturer, fit::BaseType::uint16, 255),
                             fit::OutField::num(p::file_id::time_created, fit::BaseType::uint32, t0)});
  w.add_developer(0, {}, 1);
  fit::DeveloperFieldDescription d;
  d.type = fit::BaseType::float32;
  d.name = "Foot strike angle";
  d.units = "deg";
  w.describe_field(d);
  constexpr int kPoints = 30;
  for (int i = 0; i < kPoints; ++i)
    w.write(p::mesg::record,
            {fit::OutField::num(p::kTimestamp, fit::BaseType::uint32, t0 + i),
             fit::OutField::num(p::record::position_lat, fit::BaseType::sint32, 556000000 + 1000 * i),  // semicircles
             fit::OutField::num(p::record::position_long, fit::BaseType::sint32, 150000000),
             fit::OutField::num(p::record::distance, fit::BaseType::uint32, 350 * i)},
            {{0, 0, 10.0 + i}});
  const auto bytes = w.finish();
  write_text(dir / "pos.fit", std::string(bytes.begin(), bytes.end()));
  const std::string cmd = "gpsbabel -t -i garmin_fit -f '" + (dir / "pos.fit").string() + "' -o unicsv,utc=0 -F '" +
                          (dir / "pos.csv").string() + "' 2>'" + (dir / "babel.err").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_text(dir / "babel.err");
  EXPECT_EQ(read_text(dir / "babel.err"), "");
  const auto lines = split_lines(read_text(dir / "pos.csv"));
  ASSERT_EQ(lines.size(), kPoints + 1u) << read_text(dir / "pos.csv");
  EXPECT_NE(lines[1].find("2025/05/01,07:30:00"), std::string::npos) << lines[0] << "\n" << lines[1];
  EXPECT_NE(lines.back().find("2025/05/01,07:30:29"), std::string::npos) << lines.back();
}

TEST(FitCompare, ASessionBesideItsOwnExportAgreesAndNeedsTheClocksToOverlap) {
  ScratchDir dir;
  const auto e = run_stride({"export", kRun, "--fit", (dir / "watch.fit").string(), "--start", kStart, "--lap-m", "40"}, dir);
  ASSERT_EQ(e.exit_code, 0) << e.describe();
  const auto r = run_stride({"compare", kRun, (dir / "watch.fit").string(), "--start", kStart, "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json j = json::parse(r.out);
  EXPECT_TRUE(j["overlap"].get<bool>());
  ASSERT_GE(j["segments"].size(), 3u);  // the overlap and the laps
  const auto& whole = j["segments"][0]["metrics"];
  for (const char* m : {"cadence_spm", "gct_ms", "step_length_m", "speed_mps"}) {
    SCOPED_TRACE(m);
    ASSERT_TRUE(whole[m]["diff_pct"].is_number()) << whole.dump(2);
    EXPECT_LT(std::abs(whole[m]["diff_pct"].get<double>()), 3.0);  // per-second means vs per-stride means
  }
  EXPECT_NEAR(j["calibration"]["factor"].get<double>(), 1.0, 0.05);
  // The table names every metric.
  const auto t = run_stride({"compare", kRun, (dir / "watch.fit").string(), "--start", kStart}, dir);
  ASSERT_EQ(t.exit_code, 0) << t.describe();
  for (const char* label : {"Cadence [steps/min]", "Contact time [ms]", "Step length [m]", "Speed [m/s]", "Distance [m]", "lap 1"})
    EXPECT_NE(t.out.find(label), std::string::npos) << t.out;
  // An hour off: no overlap, both ranges and the --offset that lines them up.
  const auto off = run_stride({"compare", kRun, (dir / "watch.fit").string(), "--start", "2025-05-01T06:30:00Z"}, dir);
  EXPECT_EQ(off.exit_code, 1) << off.describe();
  EXPECT_NE(off.err.find("do not overlap"), std::string::npos) << off.err;
  EXPECT_NE(off.err.find("2025-05-01T06:30:00Z"), std::string::npos) << off.err;
  EXPECT_NE(off.err.find("2025-05-01T07:30:00Z"), std::string::npos) << off.err;
  EXPECT_NE(off.err.find("--offset 3600"), std::string::npos) << off.err;
  const auto fixed = run_stride({"compare", kRun, (dir / "watch.fit").string(), "--start", "2025-05-01T06:30:00Z",
                                 "--offset", "3600", "--json"},
                                dir);
  EXPECT_EQ(fixed.exit_code, 0) << fixed.describe();
  // --calibrate-from: the factor alone.
  const auto cal = run_stride({"compare", kRun, "--calibrate-from", (dir / "watch.fit").string(), "--start", kStart}, dir);
  ASSERT_EQ(cal.exit_code, 0) << cal.describe();
  EXPECT_EQ(cal.out.rfind("calibration factor 1.0", 0), 0u) << cal.out;
  // --save: stored per athlete and shoe in the history.
  const std::string db = (dir / "h.sqlite").string();
  const auto saved = run_stride({"compare", kRun, "--calibrate-from", (dir / "watch.fit").string(), "--start", kStart,
                                 "--save", "--db", db, "--athlete", "ana", "--shoe", "pegasus"},
                                dir);
  ASSERT_EQ(saved.exit_code, 0) << saved.describe();
  EXPECT_NE(saved.err.find("calibration 1 saved"), std::string::npos) << saved.err;
  const auto rows = history::HistoryStore(db, history::HistoryStore::Mode::read_only).calibrations("ana");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].shoe, "pegasus");
  EXPECT_NEAR(rows[0].factor, 1.0, 0.05);
  EXPECT_EQ(rows[0].session_start, kStart);
  const auto no_cal = run_stride({"compare", kRun, (dir / "watch.fit").string(), "--save", "--db", db}, dir);
  EXPECT_EQ(no_cal.exit_code, 2) << no_cal.describe();
}

TEST(FitCompare, ReadsARealWatchFileAndSaysWhenItDoesNotOverlap) {
  ScratchDir dir;
  const auto watch = reference_data() / "formats/fit_fenix5_running_dynamics/garmin-fenix-5-run.fit";
  const auto r = run_stride({"compare", kRun, watch.string(), "--start", kStart}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("watch 2017-06-11T14:34:09Z"), std::string::npos) << r.err;  // 07:34:09 PDT
  // Moved onto the watch's clock, the simulated run lines up with the watch's first minute.
  const auto aligned = run_stride({"compare", kRun, watch.string(), "--start", "2017-06-11T14:34:09Z", "--json"}, dir);
  ASSERT_EQ(aligned.exit_code, 0) << aligned.describe();
  const json j = json::parse(aligned.out);
  EXPECT_TRUE(j["segments"][0]["metrics"]["cadence_spm"]["watch"].is_number());
  EXPECT_TRUE(j["segments"][0]["metrics"]["gct_ms"]["watch"].is_number());
}

}  // namespace
}  // namespace stride::test
