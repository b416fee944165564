// End to end: `stride replay` (the virtual board, at real-time pace) -> a real pseudo-terminal -> `stride live`.
// Live strides come out within about one stride of their toe-off and equal `stride analyze`'s strides of the same
// file (same detector, fed causally); a board that never moves gives up after the warm-up limit; the CPU share
// at 1 kHz. Every test bounds its own time and stops its children.
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "live_child.hpp"
#include "session_doc.hpp"
#include "stride/recording_io.hpp"

namespace stride {
namespace {

using nlohmann::json;
using test::Child;
using test::temp_dir;
using test::Clock;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Removes the test's folder when the test ends (declared before the children, so it goes after them).
struct Cleanup {
  fs::path dir;
  ~Cleanup() {
    std::error_code ec;
    if (const char* keep = std::getenv("STRIDE_KEEP_TEST_FILES"); !(keep && *keep == '1')) fs::remove_all(dir, ec);
  }
};

const std::string kRun = std::string(STRIDE_SOURCE_DIR) + "/recordings/sim_run_rearfoot_3.5mps.csv";

// The JSON lines of one type: "stride" (one per stride, as it happens) or "spatial" (its spatial values, after).
std::vector<json> json_lines(const std::string& text, const std::string& type = "stride") {
  std::vector<json> v;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] == '{') {
      auto j = json::parse(line);
      if (j.value("type", "") == type) v.push_back(std::move(j));
    }
  return v;
}

struct SpatialDiff {
  double worst = 0;
  std::string where;
  void add(double got, double want, const std::string& what) {
    const double d = std::abs(got - want);
    if (!(d <= worst)) worst = d, where = what;
  }
};

// The live spatial values against `analyze`'s strides (matched by IC within `tol` s); prints and returns the
// largest differences: length m, speed m/s, FSA deg, toe-off deg, pronation excursion deg.
std::vector<SpatialDiff> spatial_differences(const std::vector<json>& spatial, const std::vector<json>& want,
                                             double tol, const std::string& what, std::size_t& matched) {
  std::vector<SpatialDiff> d(5);
  matched = 0;
  const char* keys[] = {"stride_length_m", "speed_mps", "fsa_deg", "toe_off_angle_deg", "pronation_excursion_deg"};
  for (const auto& w : want) {
    const double ic = w.at("ic_s").get<double>();
    const auto it = std::find_if(spatial.begin(), spatial.end(),
                                 [&](const json& s) { return std::abs(s.at("ic_s").get<double>() - ic) <= tol; });
    if (it == spatial.end()) {
      ADD_FAILURE() << what << ": no live spatial values for the stride at IC " << ic;
      continue;
    }
    ++matched;
    EXPECT_EQ(it->at("strike_pattern"), w.at("strike_pattern")) << what << " IC " << ic;
    for (std::size_t k = 0; k < 5; ++k) {
      if (w.at(keys[k]).is_null() || it->at(keys[k]).is_null()) {
        EXPECT_EQ(w.at(keys[k]).is_null(), it->at(keys[k]).is_null()) << what << " IC " << ic << " " << keys[k];
        continue;
      }
      d[k].add(it->at(keys[k]).get<double>(), w.at(keys[k]).get<double>(), "IC " + std::to_string(ic));
    }
  }
  std::printf("[ live spatial vs analyze ] %s, %zu strides: max |live - analyze| length %.5f m, speed %.5f m/s, "
              "FSA %.3f deg, toe-off %.3f deg, pronation %.3f deg\n",
              what.c_str(), matched, d[0].worst, d[1].worst, d[2].worst, d[3].worst, d[4].worst);
  return d;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

std::vector<json> analyze_strides(const fs::path& file, const fs::path& dir, const std::string& tag) {
  Child a({"analyze", file.string(), "--json", "-", "-q"}, dir, tag);
  EXPECT_EQ(a.wait(120s), 0) << a.err();
  const auto j = json::parse(a.out());
  return test::only_foot(j).at("strides").get<std::vector<json>>();
}

// Every stride of `want` is in `got` with IC and TC within `tol` s, and the same validity; returns how many were.
std::size_t expect_same_strides(const std::vector<json>& got, const std::vector<json>& want, double tol,
                                const std::string& what) {
  std::size_t matched = 0;
  for (const auto& w : want) {
    const double ic = w.at("ic_s").get<double>();
    const auto it = std::min_element(got.begin(), got.end(), [&](const json& a, const json& b) {
      return std::abs(a.at("ic_s").get<double>() - ic) < std::abs(b.at("ic_s").get<double>() - ic);
    });
    if (it == got.end() || std::abs(it->at("ic_s").get<double>() - ic) > tol) {
      ADD_FAILURE() << what << ": no live stride at IC " << ic;
      continue;
    }
    ++matched;
    EXPECT_NEAR(it->at("tc_s").get<double>(), w.at("tc_s").get<double>(), tol) << what << " IC " << ic;
    EXPECT_NEAR(it->at("next_ic_s").get<double>(), w.at("next_ic_s").get<double>(), tol) << what << " IC " << ic;
    EXPECT_NEAR(it->at("peak_impact_g").get<double>(), w.at("peak_impact_g").get<double>(), 0.05) << what;
    EXPECT_EQ(it->at("valid").get<bool>(), w.at("valid").get<bool>())
        << what << " IC " << ic << ": " << it->at("invalid_reason") << " / " << w.at("invalid_reason");
  }
  EXPECT_EQ(got.size(), want.size()) << what;
  return matched;
}

TEST(LiveMetrics, RealTimeStridesWithinOneStrideOfToeOffAndEqualToAnalyze) {
  const auto dir = temp_dir();
  const Cleanup cleanup{dir};
  Child replay({"replay", kRun, "--to", "pty", "--speed", "1"}, dir, "replay");
  const auto where = start_replay(replay);
  ASSERT_FALSE(where.empty()) << replay.err();
  Child live({"live", "--port", where, "--json", "--side", "right", "--out", (dir / "live.csv").string()}, dir,
             "live");
  ASSERT_EQ(replay.wait(90s), 0) << replay.err();
  // The board went away at the end: "lost /dev/pts/N: ...; stopping" (a pty named by its number is not
  // reopened, another program may get that number) or, through a link or a socket, "...; reconnecting".
  ASSERT_TRUE(live.wait_for_err("lost ", 5s)) << live.err();
  live.stop_after_board_left();
  ASSERT_EQ(live.wait(10s), 0) << live.err();
  const auto strides = json_lines(live.out());
  ASSERT_GE(strides.size(), 10u) << live.err();

  // Latency: from the arrival of the toe-off's sample to the stride's line, strides after the warm-up.
  std::vector<double> late, stride_time;
  for (const auto& s : strides) {
    if (!s.at("from_warmup").get<bool>()) late.push_back(s.at("emitted_after_tc_s").get<double>());
    stride_time.push_back(s.at("stride_time_s").get<double>());
  }
  ASSERT_GE(late.size(), 10u);
  const double med = median(late), worst = *std::max_element(late.begin(), late.end());
  const double one_stride = median(stride_time);
  std::printf("[ live latency ] %zu strides after the warm-up: median %.3f s, max %.3f s; one stride = %.3f s\n",
              late.size(), med, worst, one_stride);
  RecordProperty("latency_median_ms", static_cast<int>(std::lround(med * 1e3)));
  RecordProperty("latency_max_ms", static_cast<int>(std::lround(worst * 1e3)));
  // Within one stride of the toe-off: the stride is out when its next IC is certain, i.e. when the detector's IC
  // window (0.45 of a cycle after mid-swing) has passed.
  EXPECT_LE(med, one_stride);
  EXPECT_LE(worst, one_stride + 0.1);  // a loaded 2-core machine: a little slack

  // The same strides as `analyze` of the file played (the board quantises to its LSBs: 1 sample = 2 ms) and,
  // exactly up to rounding, of the file `live --out` recorded.
  const auto offline = analyze_strides(kRun, dir, "analyze_file");
  EXPECT_EQ(expect_same_strides(strides, offline, 0.002 + 1e-6, "vs the played file"), offline.size());
  const auto recorded = analyze_strides(dir / "live.csv", dir, "analyze_recorded");
  EXPECT_EQ(expect_same_strides(strides, recorded, 0.002 + 1e-6, "vs live --out"), recorded.size());
  EXPECT_NE(live.err().find("latency from the toe-off's arrival"), std::string::npos) << live.err();

  // Spatial values: one object per stride after its line, once the next stance's zero-velocity window is known
  // (at that stance's TC, as the detector emits it: the next mid-swing), so about 1.7 strides after the TC.
  const auto spatial = json_lines(live.out(), "spatial");
  EXPECT_EQ(spatial.size(), strides.size()) << live.err();
  std::vector<double> spatial_late;
  for (std::size_t k = 0; k + 1 < spatial.size(); ++k)  // the last waits for the end of the stream (its next stance
    if (!spatial[k].at("from_warmup").get<bool>())      // is the final rest, closed by no TC)
      spatial_late.push_back(spatial[k].at("emitted_after_tc_s").get<double>());
  ASSERT_GE(spatial_late.size(), 10u);
  const double spatial_med = median(spatial_late);
  const double spatial_worst = *std::max_element(spatial_late.begin(), spatial_late.end());
  std::printf("[ live latency ] spatial values: median %.3f s, max %.3f s after the toe-off's arrival (%zu strides)\n",
              spatial_med, spatial_worst, spatial_late.size());
  RecordProperty("spatial_latency_median_ms", static_cast<int>(std::lround(spatial_med * 1e3)));
  EXPECT_LE(spatial_med, 2 * one_stride);
  EXPECT_LE(spatial_worst, 2 * one_stride + 0.1);
  EXPECT_GT(spatial_med, med);  // after the stride's own line
  for (const auto& s : spatial) EXPECT_FALSE(s.at("stride_length_m").is_null()) << s.dump();

  // The same values as `analyze`. What differs: live calibrates the mounting on the warm-up (the first 3 s and 4
  // strides) instead of the whole file, and (vs the played file) the board rounds the samples to its LSBs.
  std::size_t matched = 0;
  const auto vs_file = spatial_differences(spatial, offline, 0.002 + 1e-6, "vs the played file", matched);
  EXPECT_EQ(matched, offline.size());
  const auto vs_recorded = spatial_differences(spatial, recorded, 0.002 + 1e-6, "vs live --out", matched);
  EXPECT_EQ(matched, recorded.size());
  for (const auto* d : {&vs_file, &vs_recorded}) {
    // Measured: 0.1 mm, 0.1 mm/s, 0.01-0.02 deg (the mounting's few hundredths of a degree); limits ~5-10x that.
    EXPECT_LT((*d)[0].worst, 0.001) << (*d)[0].where;  // length, m
    EXPECT_LT((*d)[1].worst, 0.002) << (*d)[1].where;  // speed, m/s
    EXPECT_LT((*d)[2].worst, 0.1) << (*d)[2].where;    // FSA, deg
    EXPECT_LT((*d)[3].worst, 0.1) << (*d)[3].where;    // toe-off, deg
    EXPECT_LT((*d)[4].worst, 0.1) << (*d)[4].where;    // pronation excursion, deg
  }
  EXPECT_NE(live.err().find("to its spatial values"), std::string::npos) << live.err();
}

TEST(LiveMetrics, AStillBoardGivesUpAfterTheWarmupLimit) {
  const auto dir = temp_dir();
  const Cleanup cleanup{dir};
  Recording still;
  still.meta.rate_hz = 500;
  still.meta.board = "a board on the table";
  std::mt19937 rng(7);
  std::normal_distribution<double> n(0.0, 0.02);
  for (int i = 0; i < 500 * 8; ++i) {
    ImuSample s;
    s.t_s = i / 500.0;
    s.acc_mps2 = Eigen::Vector3d(n(rng), n(rng), 9.80665 + n(rng));
    s.gyr_rad_s = Eigen::Vector3d(n(rng), n(rng), n(rng)) * 0.1;
    still.samples.push_back(s);
  }
  {
    std::ofstream out(dir / "still.csv");
    io::write_native(out, still);
  }
  Child replay({"replay", (dir / "still.csv").string(), "--to", "pty", "--speed", "0"}, dir, "replay");
  const auto where = start_replay(replay);
  ASSERT_FALSE(where.empty()) << replay.err();
  Child live({"live", "--port", where, "--warmup-min", "1", "--warmup-limit", "3", "--json"}, dir, "live");
  const int rc = live.wait(20s);
  EXPECT_EQ(rc, 1) << live.err();
  EXPECT_NE(live.err().find("warming up"), std::string::npos) << live.err();
  EXPECT_NE(live.err().find("no calibration after"), std::string::npos) << live.err();
  EXPECT_NE(live.err().find("--warmup-limit 3"), std::string::npos) << live.err();
  EXPECT_TRUE(live.out().empty()) << live.out();  // no strides
}

TEST(LiveMetrics, TwoSensorsLeftAndRightInOneSession) {
  const auto dir = temp_dir();
  const Cleanup cleanup{dir};
  Child left({"replay", kRun, "--to", "pty", "--speed", "5"}, dir, "replay_left");
  Child right({"replay", kRun, "--to", "pty", "--speed", "5", "--binary"}, dir, "replay_right");
  const auto where_left = start_replay(left), where_right = start_replay(right);
  ASSERT_FALSE(where_left.empty()) << left.err();
  ASSERT_FALSE(where_right.empty()) << right.err();
  Child live({"live", "--port", where_left, "--port", where_right, "--side", "left", "--side", "right", "--json"}, dir,
             "live");
  ASSERT_EQ(left.wait(30s), 0) << left.err();
  ASSERT_EQ(right.wait(30s), 0) << right.err();
  ASSERT_TRUE(live.wait_for_err("(right): lost", 5s)) << live.err();
  ASSERT_TRUE(live.wait_for_err("(left): lost", 5s)) << live.err();
  live.stop_after_board_left();
  ASSERT_EQ(live.wait(10s), 0) << live.err();
  std::size_t n_left = 0, n_right = 0;
  for (const auto& s : json_lines(live.out())) {
    n_left += s.at("foot") == "left";
    n_right += s.at("foot") == "right";
  }
  EXPECT_EQ(n_left, 30u) << live.err();
  EXPECT_EQ(n_right, 30u) << live.err();
  EXPECT_NE(live.err().find("stride live (left): 30 strides, 30 valid"), std::string::npos) << live.err();
  EXPECT_NE(live.err().find("stride live (right): 30 strides, 30 valid"), std::string::npos) << live.err();

  Child bad({"live", "--port", where_left, "--port", where_right}, dir, "bad");
  EXPECT_EQ(bad.wait(10s), 2);
  EXPECT_NE(bad.err().find("give one --side for each"), std::string::npos) << bad.err();
}

// utime + stime of a process, in seconds.
double cpu_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(all.substr(all.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

TEST(LiveMetrics, CpuShareAt1kHzIsSmall) {
  const auto dir = temp_dir();
  const Cleanup cleanup{dir};
  Child sim({"simulate", "--rate", "1000", "--strides", "12", "--out", (dir / "run1k.csv").string()}, dir, "sim");
  ASSERT_EQ(sim.wait(60s), 0) << sim.err();
  Child replay({"replay", (dir / "run1k.csv").string(), "--to", "pty", "--speed", "1"}, dir, "replay");
  const auto where = start_replay(replay);
  ASSERT_FALSE(where.empty()) << replay.err();
  const auto t0 = Clock::now();
  Child live({"live", "--port", where, "--json"}, dir, "live");
  ASSERT_EQ(replay.wait(60s), 0) << replay.err();
  const double cpu = cpu_of(live.pid());
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_TRUE(live.wait_for_err("lost ", 5s)) << live.err();
  live.stop_after_board_left();
  ASSERT_EQ(live.wait(10s), 0) << live.err();
  const auto strides = json_lines(live.out());
  EXPECT_GE(strides.size(), 8u) << live.err();
  std::printf("[ live cpu ] 1 kHz text stream, %.1f s: %.3f s cpu = %.2f %% of one core (%zu strides)\n", wall, cpu,
              100 * cpu / wall, strides.size());
  RecordProperty("cpu_percent_x100", static_cast<int>(std::lround(10000 * cpu / wall)));
  EXPECT_LT(cpu / wall, 0.25);
}

}  // namespace
}  // namespace stride
