// The first read's spool (firmware_iface/import/sample_spool.hpp): the samples come back bit for bit, the file never
// has a name in its directory, a spool that cannot be written says why, and the streamed analysis of a text file
// gives the same document, byte for byte, whether its passes read the spool or parse the file again.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "firmware_iface/import/sample_spool.hpp"
#include "firmware_iface/protocol/strideb.hpp"
#include "stride/recording_io.hpp"
#include "test_paths.hpp"
#include "tools/session/analyze_session.hpp"

namespace stride {
namespace {

namespace fs = std::filesystem;

// A fresh empty directory under the test's temporary directory, removed afterwards.
struct ScratchDir {
  fs::path path;
  explicit ScratchDir(const std::string& name) : path(fs::path(::testing::TempDir()) / ("spool_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {})); }
};

// How many of this process's open files lie in `dir` without a name there (such a one reads "DIR/NAME (deleted)").
std::size_t unlinked_files_in(const fs::path& dir) {
  constexpr std::string_view kDeleted = " (deleted)";
  std::size_t n = 0;
  const std::string prefix = fs::canonical(dir).string() + "/";
  for (const auto& fd : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind(prefix, 0) == 0 && target.ends_with(kDeleted)) ++n;
  }
  return n;
}

std::vector<ImuSample> random_samples(std::size_t n) {
  std::mt19937_64 draw(11);
  std::normal_distribution<double> value(0.0, 50.0);
  std::vector<ImuSample> s(n);
  for (std::size_t i = 0; i < n; ++i) {
    s[i].t_s = static_cast<double>(i) * 1e-3 + value(draw) * 1e-9;
    s[i].acc_mps2 = {value(draw), value(draw), value(draw)};
    s[i].gyr_rad_s = {value(draw), i % 7 == 0 ? std::nan("") : value(draw), -0.0};
    s[i].clipped = static_cast<std::uint8_t>(draw() & 0xff);
  }
  return s;
}

bool same_bits(const ImuSample& a, const ImuSample& b) {
  const double x[7] = {a.t_s, a.acc_mps2.x(), a.acc_mps2.y(), a.acc_mps2.z(),
                       a.gyr_rad_s.x(), a.gyr_rad_s.y(), a.gyr_rad_s.z()};
  const double y[7] = {b.t_s, b.acc_mps2.x(), b.acc_mps2.y(), b.acc_mps2.z(),
                       b.gyr_rad_s.x(), b.gyr_rad_s.y(), b.gyr_rad_s.z()};
  return std::memcmp(x, y, sizeof x) == 0 && a.clipped == b.clipped;
}

TEST(SampleSpool, GivesBackEverySampleBitForBitInWholeBlocks) {
  ScratchDir dir("roundtrip");
  const std::vector<ImuSample> in = random_samples(2 * io::kBlockSamples + 1234);
  std::string why;
  const auto spool = io::SampleSpool::create(dir.path.string(), why);
  ASSERT_TRUE(spool) << why;
  // Appended in pieces that do not line up with the spool's blocks.
  for (std::size_t at = 0, piece = 1; at < in.size(); at += piece, piece = piece * 3 + 1)
    spool->append(std::span<const ImuSample>(in).subspan(at, std::min(piece, in.size() - at)));
  ASSERT_TRUE(spool->finish()) << spool->failed();
  EXPECT_EQ(spool->samples(), in.size());
  for (int pass = 0; pass < 2; ++pass) {  // a replay does not disturb the next one
    std::vector<std::size_t> blocks;
    std::size_t k = 0, differ = 0;
    spool->replay([&](std::span<const ImuSample> b) {
      blocks.push_back(b.size());
      for (const auto& s : b) differ += same_bits(s, in[k++]) ? 0 : 1;
    });
    EXPECT_EQ(k, in.size());
    EXPECT_EQ(differ, 0u);
    EXPECT_EQ(blocks, (std::vector<std::size_t>{io::kBlockSamples, io::kBlockSamples, 1234}));
  }
}

TEST(SampleSpool, HasNoNameInItsDirectoryWhileOpenAndNothingAfter) {
  ScratchDir dir("unlinked");
  {
    std::string why;
    const auto spool = io::SampleSpool::create(dir.path.string(), why);
    ASSERT_TRUE(spool) << why;
    spool->append(random_samples(io::kBlockSamples + 5));
    ASSERT_TRUE(spool->finish());
    EXPECT_EQ(unlinked_files_in(dir.path), 1u);  // it exists (else the next line proves nothing) ...
    EXPECT_EQ(dir.entries(), 0u);            // ... with no name, so a killed run leaves nothing behind
  }
  EXPECT_EQ(unlinked_files_in(dir.path), 0u);
  EXPECT_EQ(dir.entries(), 0u);
}

TEST(SampleSpool, ADirectoryThatCannotHoldItIsNamedWithTheReason) {
  const std::string missing = ::testing::TempDir() + "spool_no_such_dir/deeper";
  std::string why;
  EXPECT_FALSE(io::SampleSpool::create(missing, why));
  EXPECT_NE(why.find(missing), std::string::npos) << why;
  EXPECT_NE(why.find(std::strerror(ENOENT)), std::string::npos) << why;
}

// A disk that fills up while the spool is written (here: the file size limit, which fails write() with EFBIG as a
// full disk fails it with ENOSPC): the spool keeps nothing more, and says so.
TEST(SampleSpool, AWriteThatFailsMidwayIsReportedAndNotReplayed) {
  ScratchDir dir("full");
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 100'000;  // bytes: ~1750 samples
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string why;
  const auto spool = io::SampleSpool::create(dir.path.string(), why);
  bool finished = true;
  if (spool) {
    spool->append(random_samples(3 * io::kBlockSamples));
    finished = spool->finish();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_TRUE(spool) << why;
  EXPECT_FALSE(finished);
  EXPECT_NE(spool->failed().find("cannot write"), std::string::npos) << spool->failed();
  EXPECT_NE(spool->failed().find(dir.path.string()), std::string::npos) << spool->failed();
  EXPECT_EQ(unlinked_files_in(dir.path), 0u);  // closed at the failure: the disk space goes back at once
}

TEST(SampleSpool, DefaultDirectoryIsTmpdirElseTmp) {
  const char* was = std::getenv("TMPDIR");
  const std::optional<std::string> saved = was ? std::optional<std::string>(was) : std::nullopt;
  ::setenv("TMPDIR", "/var/tmp/somewhere", 1);
  EXPECT_EQ(io::default_spool_directory(), "/var/tmp/somewhere");
  ::setenv("TMPDIR", "", 1);
  EXPECT_EQ(io::default_spool_directory(), "/tmp");
  ::unsetenv("TMPDIR");
  EXPECT_EQ(io::default_spool_directory(), "/tmp");
  if (saved) ::setenv("TMPDIR", saved->c_str(), 1);
}

// The session: a text file streamed (the threshold lowered so that a small file crosses it after several blocks),
// its passes reading the spool, gives the very document of passes that parse the file again, trust windows
// included; the spool exists during the passes, in the directory asked for, and never has a name there.
TEST(SpooledAnalysis, DocumentIsIdenticalToReparsingAndNothingIsLeft) {
  ScratchDir dir("session");
  const session::SessionFiles files{std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_two_feet_overstride_left.csv",
                                    "", ""};
  session::AnalyzeRequest q;
  q.stream_above_samples = 20'000;  // > 2 blocks held, then spooled
  q.spool = false;
  const session::SessionOutcome reparsed = session::analyse_session(files, q);
  ASSERT_TRUE(reparsed.analysed()) << reparsed.error;
  ASSERT_FALSE(reparsed.doc.without_strides()["trust_windows"].empty());  // so the trust-window pass read the spool too
  q.spool = true;
  q.spool_dir = dir.path.string();
  std::size_t poses = 0, spools_seen = 0, names_seen = 0;
  q.trajectory_sink = [&](std::size_t, const FootPose&) {
    if (poses++ % 5000 != 0) return;  // during the last pass
    spools_seen = std::max(spools_seen, unlinked_files_in(dir.path));
    names_seen = std::max(names_seen, dir.entries());
  };
  const session::SessionOutcome spooled = session::analyse_session(files, q);
  EXPECT_GT(poses, 20'000u);       // streamed: beyond the threshold
  EXPECT_EQ(spools_seen, 1u);      // the passes had a spool in spool_dir
  EXPECT_EQ(names_seen, 0u);
  EXPECT_EQ(spooled.doc.materialise().dump(), reparsed.doc.materialise().dump());
  EXPECT_EQ(unlinked_files_in(dir.path), 0u);
  EXPECT_EQ(dir.entries(), 0u);
}

// The fallback: a spool directory that cannot be written. The passes parse the file again, the figures are the
// same, and the document's import notes say why (once).
TEST(SpooledAnalysis, AnUnwritableSpoolDirectoryFallsBackToReparsingAndSaysSo) {
  const session::SessionFiles files{std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_two_feet_overstride_left.csv",
                                    "", ""};
  session::AnalyzeRequest q;
  q.stream_above_samples = 20'000;
  q.spool = false;
  const session::SessionOutcome reparsed = session::analyse_session(files, q);
  ASSERT_TRUE(reparsed.analysed()) << reparsed.error;
  q.spool = true;
  q.spool_dir = ::testing::TempDir() + "spool_no_such_dir";
  session::SessionOutcome fallback = session::analyse_session(files, q);
  ASSERT_TRUE(fallback.analysed()) << fallback.error;
  nlohmann::json doc = fallback.doc.materialise();
  ASSERT_EQ(doc["feet"].size(), 1u);
  auto& import = doc["feet"].begin().value()["import"];
  ASSERT_TRUE(import.contains("notes")) << import.dump();
  ASSERT_EQ(import["notes"].size(), 1u);
  const std::string note = import["notes"][0];
  EXPECT_NE(note.find(q.spool_dir), std::string::npos) << note;
  EXPECT_NE(note.find("each pass read the file again"), std::string::npos) << note;
  import.erase("notes");
  EXPECT_EQ(doc.dump(), reparsed.doc.materialise().dump());
}

// A file small enough to be held is analysed whole: no spool is made for it.
TEST(SpooledAnalysis, AHeldFileMakesNoSpool) {
  ScratchDir dir("held");
  const session::SessionFiles files{std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_two_feet_overstride_left.csv",
                                    "", ""};
  session::AnalyzeRequest q;  // the default threshold: 400 k samples
  q.spool_dir = dir.path.string();
  std::size_t poses = 0, spools_seen = 0;
  q.trajectory_sink = [&](std::size_t, const FootPose&) {
    if (poses++ % 5000 == 0) spools_seen = std::max(spools_seen, unlinked_files_in(dir.path));
  };
  const session::SessionOutcome out = session::analyse_session(files, q);
  ASSERT_TRUE(out.analysed()) << out.error;
  EXPECT_GT(poses, 0u);
  EXPECT_EQ(spools_seen, 0u);
}

// A .strideb streamed is replayed from its own blocks (already a copy): no spool either.
TEST(SpooledAnalysis, AStridebMakesNoSpool) {
  ScratchDir dir("strideb");
  const Recording rec =
      io::import_file(std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_two_feet_overstride_left.csv").recording;
  const std::string path = (dir.path / "run.strideb").string();
  {
    std::ofstream out(path, std::ios::binary);
    io::write_strideb(out, rec, 1000);
  }
  session::AnalyzeRequest q;
  q.stream_above_samples = 0;  // streamed
  q.spool_dir = dir.path.string();
  std::size_t poses = 0, spools_seen = 0;
  q.trajectory_sink = [&](std::size_t, const FootPose&) {
    if (poses++ % 5000 == 0) spools_seen = std::max(spools_seen, unlinked_files_in(dir.path));
  };
  const session::SessionOutcome out = session::analyse_session({path, "", ""}, q);
  ASSERT_TRUE(out.analysed()) << out.error;
  EXPECT_GT(poses, 0u);
  EXPECT_EQ(spools_seen, 0u);
  EXPECT_EQ(dir.entries(), 1u);  // the .strideb
}

}  // namespace
}  // namespace stride
