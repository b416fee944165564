// End-to-end tests of `stride analyze`: the real executable on real files, good ones made by `stride simulate` and
// bad ones made by corrupting copies of them. Checks the exit codes, the JSON and CSV outputs, and that every
// error message names the file (and the line, and what was expected) without the process ever dying of a signal.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "cli_runner.hpp"
#include "event_references.hpp"
#include "session_doc.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

// Exit codes of tools/commands.hpp.
constexpr int kOk = 0, kBadInput = 1, kBadArguments = 2;

// Makes a recording with `stride simulate`; returns its path (the truth is beside it, <stem>.truth.json).
fs::path simulate(const ScratchDir& dir, const std::string& name, std::vector<std::string> extra = {}) {
  const fs::path out = dir / name;
  std::vector<std::string> args = {"simulate", "--out", out.string()};
  if (extra.empty()) extra = {"--strides", "12", "--rate", "500", "--seed", "3"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_stride(args, dir);
  if (r.exit_code != 0) ADD_FAILURE() << "simulate failed: " << r.describe();
  return out;
}

fs::path truth_of(const fs::path& rec) { return rec.parent_path() / (rec.stem().string() + ".truth.json"); }

// `stride analyze FILE --json - [more]`: asserts a clean exit and returns the one JSON document on stdout.
json analyze_json(const ScratchDir& dir, const fs::path& file, std::vector<std::string> more = {},
                  int expected_exit = kOk) {
  std::vector<std::string> args = {"analyze", file.string(), "--json", "-"};
  args.insert(args.end(), more.begin(), more.end());
  const auto r = run_stride(args, dir);
  EXPECT_FALSE(r.signalled) << r.describe();
  EXPECT_EQ(r.exit_code, expected_exit) << r.describe();
  try {
    return json::parse(r.out);  // strict: anything besides one document on stdout is an error
  } catch (const json::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON document: " << e.what() << "\n" << r.describe();
    return json{};
  }
}

// The same, and the document's one foot (a one-sensor session: "feet" holds the sensor's side only).
json analyze_foot(const ScratchDir& dir, const fs::path& file, std::vector<std::string> more = {},
                  int expected_exit = kOk) {
  return only_foot(analyze_json(dir, file, std::move(more), expected_exit));
}

// Index of the header line of a native file (the first line that is not a `#` comment).
std::size_t header_index(const std::vector<std::string>& lines) {
  std::size_t i = 0;
  while (i < lines.size() && lines[i].starts_with("#")) ++i;
  return i;
}

// Replaces cell `col` (0-based) of a comma-separated line.
std::string with_cell(const std::string& line, std::size_t col, const std::string& value) {
  std::size_t begin = 0;
  for (std::size_t c = 0; c < col; ++c) begin = line.find(',', begin) + 1;
  const std::size_t end = std::min(line.find(',', begin), line.size());
  return line.substr(0, begin) + value + line.substr(end);
}

// Any failure of a bad-input test must be an orderly exit with a code we defined, never a signal.
void expect_orderly(const RunResult& r) {
  EXPECT_FALSE(r.signalled) << r.describe();
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2) << r.describe();
}

std::vector<std::size_t> issue_lines(const json& doc) {
  std::vector<std::size_t> lines;
  for (const auto& i : doc["import"]["issues"]) lines.push_back(i["line"].get<std::size_t>());
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Good input: accuracy through the file format, the JSON and CSV outputs.

TEST(CliAnalyze, SimulatedRunMatchesTruthThroughTheFileFormat) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv");
  const json truth = json::parse(read_text(truth_of(rec)));
  const json doc = analyze_foot(dir, rec);
  ASSERT_TRUE(doc.contains("strides")) << doc.dump(1).substr(0, 1000);

  const auto& strides = doc["strides"];
  ASSERT_GE(strides.size(), truth["strides"].size() - 1) << "most truth strides should be found";
  for (const auto& s : strides)
    for (const char* key : {"foot", "ic_s", "tc_s", "next_ic_s", "stride_time_s", "gct_ms", "swing_ms", "flight_ms",
                            "cadence_spm", "peak_impact_g", "valid"})
      ASSERT_TRUE(s.contains(key)) << "stride lacks '" << key << "': " << s.dump();

  // Every detected stride starts within 2 ms of a true initial contact, and every true stride is found.
  const auto truth_ic = truth["ic_s"].get<std::vector<double>>();
  auto nearest = [](const std::vector<double>& v, double t) {
    double best = 1e9;
    for (double x : v) best = std::min(best, std::abs(x - t));
    return best;
  };
  std::vector<double> found_ic;
  for (const auto& s : strides) {
    const double ic = s["ic_s"].get<double>();
    found_ic.push_back(ic);
    EXPECT_LT(nearest(truth_ic, ic), 0.002) << "stride IC at " << ic << " s";
    EXPECT_LT(nearest(truth_ic, s["next_ic_s"].get<double>()), 0.002) << "stride next IC of " << ic;
    EXPECT_EQ(s["foot"], "right");  // the simulator's default side, carried by the file's metadata
  }
  for (const auto& ts : truth["strides"]) {
    const double ic = ts["ic_s"].get<double>();
    EXPECT_LT(nearest(found_ic, ic), 0.002) << "true stride at " << ic << " s was not found";
  }

  // The mean contact time from the session summary is within 3 % of the truth.
  double truth_gct_ms = 0;
  for (const auto& ts : truth["strides"]) truth_gct_ms += 1e3 * (ts["tc_s"].get<double>() - ts["ic_s"].get<double>());
  truth_gct_ms /= static_cast<double>(truth["strides"].size());
  const double gct_mean = doc["summary"]["metrics"]["gct_ms"]["mean"].get<double>();
  EXPECT_NEAR(gct_mean, truth_gct_ms, 0.03 * truth_gct_ms);

  // Reproducible: the input hash and every setting are in the document.
  EXPECT_EQ(doc["input"]["fnv1a64"].get<std::string>().size(), 16u);
  EXPECT_EQ(doc["input"]["file"], rec.string());
  EXPECT_TRUE(doc["settings"].contains("calibration") && doc["settings"].contains("events") &&
              doc["settings"].contains("strides"));
  EXPECT_NEAR(doc["data_quality"]["nominal_rate_hz"].get<double>(), 500.0, 0.5);
  EXPECT_EQ(doc["import"]["format"], "stride-native");
  EXPECT_EQ(doc["import"]["skipped_lines"], 0);
}

// One layout for one and two sensors (docs/session-json.md): a one-sensor session is a document with one foot,
// under its declared side, or "unknown" when the file declares none; its flags name that side.
TEST(CliAnalyze, OneSensorIsADocumentWithOneFootUnderItsSide) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv", {"--strides", "8", "--rate", "200", "--seed", "3"});
  const json doc = analyze_json(dir, rec);
  EXPECT_EQ(doc["schema"], "stride.session/2");
  ASSERT_TRUE(doc["feet"].is_object());
  EXPECT_EQ(doc["feet"].size(), 1u);
  EXPECT_TRUE(doc["feet"].contains("right")) << "the simulator's side, from the file's metadata";
  EXPECT_TRUE(doc["bilateral"].is_null());
  EXPECT_FALSE(doc.contains("summary") || doc.contains("strides") || doc.contains("session")) << "only the envelope";
  ASSERT_FALSE(doc["flags"].empty()) << "a short run: the data_quality flag says the gait flags need more";
  for (const auto& f : doc["flags"]) EXPECT_EQ(f["side"], "right") << f.dump();
  EXPECT_FALSE(doc["feet"]["right"].contains("flags")) << "flags live at the top only";

  auto lines = split_lines(read_text(rec));
  for (auto& l : lines)
    if (l.starts_with("# side:")) l = "# side: unknown";
  write_text(dir / "undeclared.csv", join_lines(lines));
  const json undeclared = analyze_json(dir, dir / "undeclared.csv");
  ASSERT_TRUE(undeclared["feet"].contains("unknown")) << undeclared["feet"].dump().substr(0, 200);
  EXPECT_EQ(undeclared["feet"].size(), 1u);
  ASSERT_FALSE(undeclared["flags"].empty());
  for (const auto& f : undeclared["flags"]) EXPECT_EQ(f["side"], "unknown") << f.dump();
  // Apart from the side, the foot's content is what it was: the same strides at the same times.
  ASSERT_EQ(undeclared["feet"]["unknown"]["strides"].size(), doc["feet"]["right"]["strides"].size());
  EXPECT_EQ(undeclared["feet"]["unknown"]["strides"][0]["ic_s"], doc["feet"]["right"]["strides"][0]["ic_s"]);
}

TEST(CliAnalyze, HashChangesWithTheInputAndStaysForTheSameBytes) {
  ScratchDir dir;
  const auto a = simulate(dir, "a.csv", {"--strides", "4", "--seed", "1"});
  const auto b = simulate(dir, "b.csv", {"--strides", "4", "--seed", "2"});
  fs::copy_file(a, dir / "a2.csv");
  const auto ha = analyze_foot(dir, a)["input"]["fnv1a64"];
  EXPECT_EQ(ha, analyze_foot(dir, dir / "a2.csv")["input"]["fnv1a64"]);
  EXPECT_NE(ha, analyze_foot(dir, b)["input"]["fnv1a64"]);
}

TEST(CliAnalyze, CsvHasOneRowPerStrideUnderNamedColumns) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv");
  const auto csv = dir / "strides.csv";
  const auto r = run_stride({"analyze", rec.string(), "--csv", csv.string(), "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = only_foot(json::parse(r.out));
  const auto lines = split_lines(read_text(csv));
  ASSERT_FALSE(lines.empty());
  std::vector<std::string> columns;
  for (std::size_t at = 0;;) {
    const auto comma = lines[0].find(',', at);
    columns.push_back(lines[0].substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  for (const char* name : {"foot", "ic_s", "tc_s", "next_ic_s", "stride_time_s", "gct_ms", "swing_ms", "flight_ms",
                           "cadence_spm", "peak_impact_g", "valid"})
    EXPECT_NE(std::find(columns.begin(), columns.end(), name), columns.end()) << "CSV header lacks " << name;
  EXPECT_EQ(lines.size() - 1, doc["strides"].size());
  // The first row's IC is the first stride's IC (5 decimals: 10 us).
  const auto ic_col = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "ic_s") - columns.begin());
  std::size_t at = 0;
  for (std::size_t c = 0; c < ic_col; ++c) at = lines[1].find(',', at) + 1;
  EXPECT_NEAR(std::stod(lines[1].substr(at)), doc["strides"][0]["ic_s"].get<double>(), 1e-5);
}

TEST(CliAnalyze, JsonFolderGetsOneDocumentPerInput) {
  ScratchDir dir;
  const auto a = simulate(dir, "first.csv", {"--strides", "5", "--seed", "1"});
  const auto b = simulate(dir, "second.csv", {"--strides", "5", "--seed", "2"});
  const auto out = dir / "reports";
  const auto r = run_stride({"analyze", a.string(), b.string(), "--json", out.string(), "--quiet"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(r.out.empty()) << "--quiet and JSON to files: nothing on stdout; got " << r.out;
  for (const char* stem : {"first", "second"}) {
    const auto p = out / (std::string(stem) + ".json");
    ASSERT_TRUE(fs::exists(p)) << p;
    const json doc = only_foot(json::parse(read_text(p)));
    EXPECT_NE(doc["input"]["file"].get<std::string>().find(stem), std::string::npos);
    EXPECT_GE(doc["strides"].size(), 4u);
  }
}

// --ic-convention: the same walk's ICs at the force onset (default) and at the end of late-swing dorsiflexion,
// against the motion capture's straight-walking ICs (Zeni 2008, a kinematic convention: docs/events.md). Measured:
// force +20 ms, kinematic +3 ms (EventsTable.*); the document says which convention it used.
TEST(CliAnalyze, IcConventionKinematicMatchesTheMarkerConvention) {
  ScratchDir dir;
  const fs::path walk = reference_data() / "gaitmap_example/imu_sample.csv";
  const GaitmapEvents ref = gaitmap_events("left");
  const auto mean_ic_error_ms = [&](const json& foot) {
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < ref.ic_s.size(); ++i) {
      if (ref.ic_turn[i]) continue;
      double best = 1e9;
      for (const auto& s : foot["strides"]) {
        const double e = s["ic_s"].get<double>() - ref.ic_s[i];
        if (std::abs(e) < std::abs(best)) best = e;
      }
      if (std::abs(best) > 0.1) continue;
      sum += best;
      ++n;
    }
    EXPECT_GE(n, 20);
    return 1e3 * sum / std::max(n, 1);
  };
  const std::vector<std::string> left = {"--format", "gaitmap", "--sensor", "left_sensor"};
  const json force = analyze_foot(dir, walk, left);
  auto kinematic_args = left;
  kinematic_args.insert(kinematic_args.end(), {"--ic-convention", "kinematic"});
  const json kinematic = analyze_foot(dir, walk, kinematic_args);
  EXPECT_EQ(force["settings"]["events"]["ic_convention"], "force");
  EXPECT_EQ(kinematic["settings"]["events"]["ic_convention"], "kinematic");
  const double force_ms = mean_ic_error_ms(force), kinematic_ms = mean_ic_error_ms(kinematic);
  std::printf("gaitmap left, straight ICs vs Zeni: force %+.1f ms, kinematic %+.1f ms\n", force_ms, kinematic_ms);
  EXPECT_GT(force_ms, 10.0);
  EXPECT_LT(std::abs(kinematic_ms), 6.0);
  const auto r = run_stride({"analyze", walk.string(), "--ic-convention", "heel"}, dir);
  EXPECT_EQ(r.exit_code, kBadArguments) << r.describe();
}

TEST(CliAnalyze, WalkingCadenceWithinTwoPercentAndNoFlight) {
  ScratchDir dir;
  const auto rec = simulate(dir, "walk.csv", {"--walk", "--strides", "12", "--rate", "500", "--seed", "5"});
  const json truth = json::parse(read_text(truth_of(rec)));
  const json doc = analyze_foot(dir, rec);
  const double simulated = truth["settings"]["cadence_spm"].get<double>();
  ASSERT_EQ(simulated, 112.0);
  const auto& m = doc["summary"]["metrics"];
  ASSERT_TRUE(m.contains("cadence_spm")) << doc["summary"].dump(1);
  EXPECT_NEAR(m["cadence_spm"]["mean"].get<double>(), simulated, 0.02 * simulated);
  EXPECT_GE(doc["summary"]["strides_valid"].get<int>(), 10);
  EXPECT_EQ(m["flight_ms"]["max"].get<double>(), 0.0);
  for (const auto& s : doc["strides"]) EXPECT_EQ(s["flight_ms"].get<double>(), 0.0) << s.dump();
}

TEST(CliAnalyze, DataToStdoutMessagesToStderr) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv", {"--strides", "5"});
  const auto r = run_stride({"analyze", rec.string(), "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  json parsed;
  EXPECT_NO_THROW(parsed = json::parse(r.out)) << r.out.substr(0, 300);
  EXPECT_TRUE(parsed.is_object() && parsed.contains("feet") && only_foot(parsed).contains("strides"));
  // Without --json the human summary goes to stdout; with --quiet nothing does.
  const auto summary = run_stride({"analyze", rec.string()}, dir);
  EXPECT_NE(summary.out.find("strides:"), std::string::npos) << summary.describe();
  EXPECT_NE(summary.out.find("ground contact"), std::string::npos) << summary.describe();
  const auto quiet = run_stride({"analyze", rec.string(), "--quiet"}, dir);
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_TRUE(quiet.out.empty()) << quiet.out;
}

// ---------------------------------------------------------------------------------------------------------------
// The command line itself.

TEST(CliAnalyze, HelpAndBadArguments) {
  ScratchDir dir;
  const auto help = run_stride({"--help"}, dir);
  EXPECT_EQ(help.exit_code, 0) << help.describe();
  EXPECT_NE(help.out.find("analyze"), std::string::npos);
  EXPECT_NE(help.out.find("simulate"), std::string::npos);
  const auto sub_help = run_stride({"analyze", "--help"}, dir);
  EXPECT_EQ(sub_help.exit_code, 0) << sub_help.describe();
  EXPECT_NE(sub_help.out.find("--json"), std::string::npos);
  EXPECT_NE(sub_help.out.find("--rate"), std::string::npos);

  const auto rec = simulate(dir, "run.csv", {"--strides", "3"});
  const auto unknown = run_stride({"analyze", rec.string(), "--no-such-option"}, dir);
  expect_orderly(unknown);
  EXPECT_EQ(unknown.exit_code, kBadArguments) << unknown.describe();
  EXPECT_NE(unknown.err.find("--no-such-option"), std::string::npos) << unknown.err;
  EXPECT_TRUE(unknown.out.empty());

  const auto nothing = run_stride({}, dir);
  EXPECT_EQ(nothing.exit_code, kBadArguments) << nothing.describe();
  const auto bad_value = run_stride({"analyze", rec.string(), "--rate", "-5"}, dir);
  EXPECT_EQ(bad_value.exit_code, kBadArguments) << bad_value.describe();
  const auto bad_choice = run_stride({"analyze", rec.string(), "--acc-unit", "furlongs"}, dir);
  EXPECT_EQ(bad_choice.exit_code, kBadArguments) << bad_choice.describe();
}

TEST(CliAnalyze, MissingFileIsABadArgument) {
  ScratchDir dir;
  const auto missing = (dir / "not-there.csv").string();
  const auto r = run_stride({"analyze", missing}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kBadArguments) << r.describe();
  EXPECT_NE(r.err.find("not-there.csv"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------------------------------------------
// Bad input: each gives a clear message naming the file, and never a crash.

TEST(CliAnalyze, EmptyFileIsBadInput) {
  ScratchDir dir;
  const auto p = dir / "empty.csv";
  write_text(p, "");
  const auto r = run_stride({"analyze", p.string()}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kBadInput) << r.describe();
  EXPECT_NE(r.err.find("empty.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected"), std::string::npos) << r.err;
}

TEST(CliAnalyze, BinaryJunkIsBadInput) {
  ScratchDir dir;
  std::mt19937 rng(11);
  std::string junk(64 * 1024, '\0');
  for (char& c : junk) c = static_cast<char>(rng() & 0xFF);
  for (std::size_t i = 0; i < junk.size(); i += 97) junk[i] = '\0';  // NULs for sure
  const auto p = dir / "junk.bin";
  write_text(p, junk);
  const auto r = run_stride({"analyze", p.string(), "--json", "-"}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kBadInput) << r.describe();
  EXPECT_NE(r.err.find("junk.bin"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("binary"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << "no half document on stdout";

  // Junk without NULs (high bytes and control characters) is caught too.
  for (char& c : junk)
    if (c == '\0') c = '\x01';
  write_text(p, junk);
  const auto r2 = run_stride({"analyze", p.string()}, dir);
  expect_orderly(r2);
  EXPECT_EQ(r2.exit_code, kBadInput) << r2.describe();
  EXPECT_NE(r2.err.find("junk.bin"), std::string::npos) << r2.err;
}

TEST(CliAnalyze, TruncatedLastLineIsSkippedAndCounted) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv");
  std::string text = read_text(rec);
  const auto total_lines = split_lines(text).size();
  text.pop_back();                                   // the final '\n'
  const auto last_comma = text.rfind(',');
  text.resize(last_comma + 3);                       // cut the last number after two characters
  const auto p = dir / "cut.csv";
  write_text(p, text);
  const json doc = analyze_foot(dir, p);
  EXPECT_EQ(doc["import"]["skipped_lines"], 1);
  EXPECT_EQ(issue_lines(doc), std::vector<std::size_t>{total_lines});
  EXPECT_GE(doc["strides"].size(), 11u);
  // The terminal summary says so too.
  const auto r = run_stride({"analyze", p.string()}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("1 lines skipped"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line " + std::to_string(total_lines)), std::string::npos) << r.out;
}

TEST(CliAnalyze, BadCellsAreSkippedWithTheirLineNumbers) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv");
  auto lines = split_lines(read_text(rec));
  const std::size_t h = header_index(lines);
  // Rows in the middle of the gait; 1-based file line = index + 1.
  const std::size_t rows[] = {h + 2000, h + 3001, h + 4002, h + 5003};
  lines[rows[0]] = with_cell(lines[rows[0]], 5, "NaN");
  lines[rows[1]] = with_cell(lines[rows[1]], 2, "abc");
  lines[rows[2]] = with_cell(lines[rows[2]], 0, "abc");
  lines[rows[3]] = with_cell(lines[rows[3]], 6, "nan");
  const auto p = dir / "cells.csv";
  write_text(p, join_lines(lines));
  const json doc = analyze_foot(dir, p);
  EXPECT_EQ(doc["import"]["skipped_lines"], 4);
  std::vector<std::size_t> expected;
  for (auto i : rows) expected.push_back(i + 1);
  EXPECT_EQ(issue_lines(doc), expected);
  const std::string what = doc["import"]["issues"][1]["what"];
  EXPECT_NE(what.find("'abc'"), std::string::npos) << what;
  EXPECT_NE(what.find("expected acc_y"), std::string::npos) << what;
  EXPECT_GE(doc["strides"].size(), 11u);
}

TEST(CliAnalyze, TimeGoingBackwardsIsSkippedAndCounted) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv");
  auto lines = split_lines(read_text(rec));
  const std::size_t h = header_index(lines);
  const std::size_t rows[] = {h + 2500, h + 4000, h + 5500};
  for (auto i : rows) {
    const double t = std::stod(lines[i]);
    lines[i] = with_cell(lines[i], 0, std::to_string(t - 0.5));
  }
  const auto p = dir / "backwards.csv";
  write_text(p, join_lines(lines));
  const json doc = analyze_foot(dir, p);
  EXPECT_EQ(doc["import"]["skipped_lines"], 3);
  std::vector<std::size_t> expected;
  for (auto i : rows) expected.push_back(i + 1);
  EXPECT_EQ(issue_lines(doc), expected);
  for (const auto& issue : doc["import"]["issues"])
    EXPECT_NE(issue["what"].get<std::string>().find("backwards"), std::string::npos) << issue.dump();
  EXPECT_GE(doc["strides"].size(), 11u);
}

TEST(CliAnalyze, UnknownColumnsAreListedAndIgnored) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv");
  auto lines = split_lines(read_text(rec));
  const std::size_t h = header_index(lines);
  lines[h] += ",temperature_degc,battery_v";
  for (std::size_t i = h + 1; i < lines.size(); ++i) lines[i] += ",31.5,3.91";
  const auto p = dir / "extra.csv";
  write_text(p, join_lines(lines));
  const json doc = analyze_foot(dir, p);
  const auto ignored = doc["import"]["ignored_columns"].get<std::vector<std::string>>();
  EXPECT_EQ(ignored, (std::vector<std::string>{"temperature_degc", "battery_v"}));
  EXPECT_EQ(doc["import"]["skipped_lines"], 0);
  EXPECT_GE(doc["strides"].size(), 11u);
}

// A generic CSV (no native metadata) with the given header, from a native file's data rows.
std::string as_generic(const fs::path& native, const std::string& header, bool drop_time) {
  const auto lines = split_lines(read_text(native));
  std::string out = header + "\n";
  for (std::size_t i = header_index(lines) + 1; i < lines.size(); ++i)
    out += (drop_time ? lines[i].substr(lines[i].find(',') + 1) : lines[i]) + "\n";
  return out;
}

TEST(CliAnalyze, ImpossibleUnitsNameTheColumnAndWhatWasExpected) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run.csv", {"--strides", "6"});
  const auto p = dir / "units.csv";
  // Declared g, but the numbers are m/s^2: |a| at rest reads 9.8 "g".
  write_text(p, as_generic(rec, "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (rad/s),gyr_y (rad/s),gyr_z (rad/s)",
                           false));
  const auto r = run_stride({"analyze", p.string(), "--json", "-"}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kBadInput) << r.describe();
  EXPECT_NE(r.err.find("units.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("acc_x (g)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected about 1 g"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);

  // The same file with the right units declared reads fine.
  write_text(p, as_generic(rec, "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gyr_x (rad/s),gyr_y (rad/s),"
                                "gyr_z (rad/s)",
                           false));
  const json doc = analyze_foot(dir, p);
  EXPECT_EQ(doc["import"]["format"], "generic-csv");
  EXPECT_GE(doc["strides"].size(), 5u);
}

TEST(CliAnalyze, NoTimeColumnNeedsRate) {
  ScratchDir dir;
  const auto rec = simulate(dir, "run200.csv", {"--strides", "8", "--rate", "200", "--seed", "4"});
  const auto p = dir / "notime.csv";
  write_text(p, as_generic(rec, "acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gyr_x (rad/s),gyr_y (rad/s),gyr_z (rad/s)",
                           true));
  const auto r = run_stride({"analyze", p.string()}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kBadInput) << r.describe();
  EXPECT_NE(r.err.find("notime.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--rate"), std::string::npos) << r.err;

  const json doc = analyze_foot(dir, p, {"--rate", "200"});
  EXPECT_NEAR(doc["data_quality"]["nominal_rate_hz"].get<double>(), 200.0, 0.01);
  EXPECT_GE(doc["strides"].size(), 7u);
  // Time is rebuilt from the rate: strides still line up with the truth (which starts at the first sample too).
  const json truth = json::parse(read_text(truth_of(rec)));
  const double first_truth_ic = truth["strides"][0]["ic_s"];
  double best = 1e9;
  for (const auto& s : doc["strides"]) best = std::min(best, std::abs(s["ic_s"].get<double>() - first_truth_ic));
  EXPECT_LT(best, 0.006);
}

TEST(CliAnalyze, OneBadFileDoesNotStopTheGoodOne) {
  ScratchDir dir;
  const auto good = simulate(dir, "good.csv", {"--strides", "5"});
  const auto bad = dir / "bad.csv";
  write_text(bad, "");
  const auto out = dir / "reports";
  const auto r = run_stride({"analyze", bad.string(), good.string(), "--json", out.string(), "--quiet"}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kOk) << r.describe();
  EXPECT_NE(r.err.find("bad.csv"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("good.csv"), std::string::npos) << "only the bad file is complained about: " << r.err;
  EXPECT_TRUE(fs::exists(out / "good.json"));
  EXPECT_FALSE(fs::exists(out / "bad.json"));

  // Both bad: bad input.
  const auto junk = dir / "junk.csv";
  write_text(junk, std::string("\0\0\0\x01\x02", 5));
  const auto both = run_stride({"analyze", bad.string(), junk.string(), "--quiet"}, dir);
  expect_orderly(both);
  EXPECT_EQ(both.exit_code, kBadInput) << both.describe();
  EXPECT_NE(both.err.find("bad.csv"), std::string::npos) << both.err;
  EXPECT_NE(both.err.find("junk.csv"), std::string::npos) << both.err;
}

TEST(CliAnalyze, ReadableButGaitlessFileIsBadInputWithAReason) {
  ScratchDir dir;
  // Standing still: a valid recording with no strides at all.
  std::string text = "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gyr_x (rad/s),gyr_y (rad/s),gyr_z (rad/s)\n";
  for (int i = 0; i < 2000; ++i) text += std::to_string(i * 0.005) + ",0.01,-0.02,9.81,0.001,0.002,-0.001\n";
  const auto p = dir / "still.csv";
  write_text(p, text);
  const auto r = run_stride({"analyze", p.string(), "--quiet"}, dir);
  expect_orderly(r);
  EXPECT_EQ(r.exit_code, kBadInput) << r.describe();
  EXPECT_NE(r.err.find("still.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no strides"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stride::test
