// End-to-end tests of `stride convert` and of `stride analyze` on .strideb files: the real executable, the
// repository's recordings. Converting never changes the analysis: analyze of a CSV and of its .strideb give the
// same document but for where the bytes came from (import, input); the tolerance is zero, as the samples are the
// same doubles.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "firmware_iface/protocol/strideb.hpp"
#include "test_support.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

constexpr int kOk = 0, kBadInput = 1, kBadArguments = 2;

fs::path recording(const std::string& name) { return source_dir() / "recordings" / name; }

void convert(const ScratchDir& dir, const fs::path& in, const fs::path& out) {
  const auto r = run_stride({"convert", in.string(), out.string()}, dir);
  ASSERT_EQ(r.exit_code, kOk) << r.describe();
  EXPECT_NE(r.err.find("wrote " + out.string()), std::string::npos) << r.err;
}

json analyze(const ScratchDir& dir, std::vector<std::string> files) {
  std::vector<std::string> args = {"analyze"};
  args.insert(args.end(), files.begin(), files.end());
  args.insert(args.end(), {"--json", "-"});
  const auto r = run_stride(args, dir);
  EXPECT_EQ(r.exit_code, kOk) << r.describe();
  return json::parse(r.out);
}

// The document without what depends on the file's bytes rather than its samples: the import report (format,
// lines) and the input (file name, hash).
json figures(json doc) {
  for (auto& [side, foot] : doc["feet"].items()) {
    foot.erase("import");
    foot.erase("input");
  }
  return doc;
}

TEST(CliConvert, CsvToStridebAndBackIsByteIdentical) {
  const ScratchDir dir;
  const fs::path csv = recording("sim_run_rearfoot_3.5mps.csv");
  convert(dir, csv, dir / "run.strideb");
  convert(dir, dir / "run.strideb", dir / "back.csv");
  EXPECT_EQ(read_text(dir / "back.csv"), read_text(csv));
  EXPECT_LT(fs::file_size(dir / "run.strideb"), fs::file_size(csv) / 2);
}

TEST(CliConvert, AnalyzeOfTheStridebGivesTheCsvsFigures) {
  const ScratchDir dir;
  const fs::path csv = recording("sim_run_rearfoot_3.5mps.csv");
  convert(dir, csv, dir / "run.strideb");
  const json a = analyze(dir, {csv.string()});
  const json b = analyze(dir, {(dir / "run.strideb").string()});
  ASSERT_TRUE(a["feet"].contains("right") || a["feet"].contains("left"));
  EXPECT_FALSE(a["feet"].begin()->at("strides").empty());
  EXPECT_EQ(figures(a), figures(b)) << "tolerance 0: the same doubles go into the same pipeline";
  EXPECT_EQ(b["feet"].begin()->at("import").at("format"), "strideb");
}

TEST(CliConvert, TwoFeetRecordedTogetherStillPairAsStrideb) {
  const ScratchDir dir;
  const fs::path l = recording("sim_two_feet_overstride_left.csv"), r = recording("sim_two_feet_overstride_right.csv");
  convert(dir, l, dir / "l.strideb");
  convert(dir, r, dir / "r.strideb");
  const json a = analyze(dir, {l.string(), r.string()});
  const json b = analyze(dir, {(dir / "l.strideb").string(), (dir / "r.strideb").string()});
  ASSERT_TRUE(b["feet"].contains("left") && b["feet"].contains("right")) << "paired by session_id and side";
  EXPECT_EQ(figures(a), figures(b));
}

TEST(CliConvert, AnyImportableInputToEitherFormatGivesTheSameSamples) {
  const ScratchDir dir;
  const fs::path txt = source_dir() / "recordings/reference/formats/witmotion/wt901_200hz_time.TXT";
  convert(dir, txt, dir / "w.strideb");
  convert(dir, txt, dir / "w.csv");
  const auto bin = io::import_file((dir / "w.strideb").string());
  const auto text = io::import_file((dir / "w.csv").string());
  ASSERT_EQ(bin.recording.samples.size(), text.recording.samples.size());
  ASSERT_GT(bin.recording.samples.size(), 500u);
  for (std::size_t i = 0; i < bin.recording.samples.size(); ++i) {
    const auto& x = bin.recording.samples[i];
    const auto& y = text.recording.samples[i];
    ASSERT_EQ(x.t_s, y.t_s) << i;
    ASSERT_EQ(x.acc_mps2, y.acc_mps2) << i;
    ASSERT_EQ(x.gyr_rad_s, y.gyr_rad_s) << i;
  }
  EXPECT_EQ(bin.recording.meta.extra, text.recording.meta.extra);

  // A phone app's accelerometer file and gyroscope file, joined as analyze joins them.
  const fs::path phyphox = source_dir() / "recordings/reference/formats/phyphox";
  const auto r = run_stride({"convert", (phyphox / "Accelerometer.csv").string(), (phyphox / "Gyroscope.csv").string(),
                             (dir / "p.strideb").string()},
                            dir);
  ASSERT_EQ(r.exit_code, kOk) << r.describe();
  const auto joined = io::import_file((dir / "p.strideb").string());
  EXPECT_GT(joined.recording.samples.size(), 400u);
  EXPECT_TRUE(joined.report.has_gyro && joined.report.has_acc);
  const auto alone = run_stride({"convert", (phyphox / "Accelerometer.csv").string(), (dir / "a.csv").string()}, dir);
  ASSERT_EQ(alone.exit_code, kOk) << alone.describe();
  EXPECT_NE(alone.err.find("no gyroscope (written as NaN)"), std::string::npos) << alone.err;
}

TEST(CliConvert, BadOutputNameAndUnreadableInputAreRefused) {
  const ScratchDir dir;
  const fs::path csv = recording("sim_run_rearfoot_3.5mps.csv");
  const auto ext = run_stride({"convert", csv.string(), (dir / "run.txt").string()}, dir);
  EXPECT_EQ(ext.exit_code, kBadArguments) << ext.describe();
  EXPECT_NE(ext.err.find("expected a name ending in .csv (native CSV) or .strideb"), std::string::npos) << ext.err;
  EXPECT_FALSE(fs::exists(dir / "run.txt"));

  write_text(dir / "junk.bin", std::string("\x89STRIDEB\x07\x00\x00\x00", 12) + std::string(40, 'x'));
  const auto junk = run_stride({"convert", (dir / "junk.bin").string(), (dir / "out.csv").string()}, dir);
  EXPECT_EQ(junk.exit_code, kBadInput) << junk.describe();
  EXPECT_NE(junk.err.find("junk.bin: byte 8: format version 7"), std::string::npos) << junk.err;
  EXPECT_FALSE(fs::exists(dir / "out.csv")) << "nothing written when nothing could be read";
}

TEST(CliConvert, AnalyzeOfACutStridebReadsItsWholeBlocksAndSaysSo) {
  const ScratchDir dir;
  const fs::path csv = recording("sim_run_rearfoot_3.5mps.csv");
  convert(dir, csv, dir / "run.strideb");
  std::string bytes = read_text(dir / "run.strideb");
  bytes.resize(bytes.size() - 1000);  // a recording killed while it wrote its last block
  write_text(dir / "cut.strideb", bytes);
  const auto r = run_stride({"analyze", (dir / "cut.strideb").string(), "--json", "-"}, dir);
  ASSERT_EQ(r.exit_code, kOk) << r.describe();
  const json foot = *json::parse(r.out)["feet"].begin();
  EXPECT_EQ(foot["import"]["samples"], 3 * 4096) << "the last of 4 blocks is cut";
  ASSERT_EQ(foot["import"]["issues"].size(), 1u);
  EXPECT_NE(foot["import"]["issues"][0]["what"].get<std::string>().find("the file ends inside a block"),
            std::string::npos);
  EXPECT_FALSE(foot["strides"].empty());
}

}  // namespace
}  // namespace stride::test
