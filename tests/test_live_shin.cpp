// `stride live --placement shin`: the live path takes the shank's rules (tibial-impact IC, the shank's TC, the pitch
// sign from the leg's swing) as `analyze` does for a file that says `# placement: shin`. A simulated shin run with
// short contacts (0.2 s), where the foot's rules get the pitch sign wrong, is replayed over a real pseudo-terminal.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "live_child.hpp"
#include "session_doc.hpp"

namespace stride {
namespace {

using nlohmann::json;
using test::Child;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::vector<json> json_objects(const std::string& text) {
  std::vector<json> v;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] == '{') v.push_back(json::parse(line));
  return v;
}

TEST(LiveShin, ShinPlacementUsesTheShankRules) {
  const auto dir = test::temp_dir();
  const fs::path run = dir / "shin.csv";
  Child sim({"simulate", "--placement", "shin", "--strides", "24", "--rate", "500", "--speed", "4.5",
             "--duty", "0.30", "--cadence", "180", "--seed", "11", "--out", run.string()},
            dir, "simulate");
  ASSERT_EQ(sim.wait(60s), 0) << sim.err();
  Child offline({"analyze", run.string(), "--json", "-", "-q"}, dir, "analyze");
  ASSERT_EQ(offline.wait(60s), 0) << offline.err();
  const auto want = test::only_foot(json::parse(offline.out())).at("strides").get<std::vector<json>>();
  ASSERT_GE(want.size(), 20u);

  Child replay({"replay", run.string(), "--to", "pty", "--speed", "4"}, dir, "replay");
  const std::string where = test::start_replay(replay);
  ASSERT_FALSE(where.empty()) << replay.err();
  Child live({"live", "--port", where, "--json", "--placement", "shin"}, dir, "live");
  ASSERT_EQ(replay.wait(90s), 0) << replay.err();
  // The board went away at the end: "lost /dev/pts/N: ...; stopping" (a pty named by its number is not
  // reopened, another program may get that number) or, through a link or a socket, "...; reconnecting".
  ASSERT_TRUE(live.wait_for_err("lost ", 5s)) << live.err();
  live.stop_after_board_left();
  ASSERT_EQ(live.wait(10s), 0) << live.err();
  const auto got = json_objects(live.out());
  // Every offline stride is found live with the same IC and TC (the board quantises time to 2 ms samples).
  std::size_t matched = 0;
  for (const auto& w : want) {
    const double ic = w.at("ic_s").get<double>();
    const auto it = std::find_if(got.begin(), got.end(),
                                 [&](const json& g) { return std::abs(g.at("ic_s").get<double>() - ic) < 0.0025; });
    if (it == got.end()) continue;
    ++matched;
    EXPECT_NEAR(it->at("tc_s").get<double>(), w.at("tc_s").get<double>(), 0.0025) << "IC " << ic;
  }
  EXPECT_GE(matched, want.size() - 1) << live.err();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace stride
