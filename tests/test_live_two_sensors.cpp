// Two sensors recorded together: `stride record --port A --port B --side left --side right` on two real
// pseudo-terminals fed by two virtual boards whose clocks differ (one starts later, one runs 0.5 % slow), then
// `stride analyze` pairs the two files and puts them on one clock. The boards' true start times and rates are
// known, so the alignment is checked against them.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "live_child.hpp"
#include "stride/recording_io.hpp"
#include "stride/simulate.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

// "stride replay: first sample at host time 1764070000.123456" -> the number.
double replay_start(const Child& replay) {
  const std::string key = "first sample at host time ";
  const auto err = replay.err();
  const auto at = err.find(key);
  return at == std::string::npos ? NAN : std::stod(err.substr(at + key.size()));
}

TEST(LiveRecord, TwoSensorsAreOneSessionOnOneClock) {
  const auto dir = temp_dir();
  sim::Settings s;
  s.strides = 40;
  s.rate_hz = 200;
  const auto feet = sim::simulate_two_feet(s, s);
  for (const auto* r : {&feet.left, &feet.right}) {
    std::ofstream out(dir / (r == &feet.left ? "sim_left.csv" : "sim_right.csv"));
    io::write_native(out, r->recording);
  }
  // The right board starts ~0.3 s after the left, and its clock runs 0.5 % slow against the host's (its
  // recording plays at 5.025x where the left's plays at 5x). Real crystals differ by tens of ppm, but over hours:
  // this test has 6 s, in which a millisecond of arrival jitter (a loaded machine, sanitizers) is 170 ppm.
  constexpr double kSpeedLeft = 5.0, kSpeedRight = 5.025;
  Child left({"replay", (dir / "sim_left.csv").string(), "--to", "pty", "--speed", "5"}, dir, "replay_left");
  const auto where_left = start_replay(left);
  std::this_thread::sleep_for(300ms);
  Child right({"replay", (dir / "sim_right.csv").string(), "--to", "pty", "--speed", "5.025", "--binary"}, dir,
              "replay_right");
  const auto where_right = start_replay(right);
  ASSERT_FALSE(where_left.empty()) << left.err();
  ASSERT_FALSE(where_right.empty()) << right.err();
  Child rec({"record", "--port", where_left, "--port", where_right, "--side", "left", "--side", "right", "--out",
             (dir / "rec.csv").string(), "--athlete", "T", "--save", "--db", (dir / "h.sqlite").string()},
            dir, "record");
  ASSERT_EQ(left.wait(30s), 0) << left.err();
  ASSERT_EQ(right.wait(30s), 0) << right.err();
  ASSERT_TRUE(rec.wait_for_err("(right): lost", 5s)) << rec.err();
  ASSERT_TRUE(rec.wait_for_err("(left): lost", 5s)) << rec.err();
  rec.stop_after_board_left();
  ASSERT_EQ(rec.wait(10s), 0) << rec.err();

  // Every sample of both boards is in its file, both files name one session, and the host clock was noted.
  const auto got_left = io::import_file((dir / "rec_left.csv").string());
  const auto got_right = io::import_file((dir / "rec_right.csv").string());
  EXPECT_EQ(got_left.recording.samples.size(), feet.left.recording.samples.size());
  EXPECT_EQ(got_right.recording.samples.size(), feet.right.recording.samples.size());
  const auto id = got_left.recording.meta.extra.at("session_id");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(got_right.recording.meta.extra.at("session_id"), id);
  EXPECT_GE(got_left.recording.clock_marks.size(), 4u);
  EXPECT_GE(got_right.recording.clock_marks.size(), 4u);

  // analyze pairs them. Truth: left device time t_L and right t_R both start at their board's start, and host
  // time = start + t / speed, so t_L = (start_R - start_L) * speed_L + t_R * speed_L / speed_R.
  const double start_l = replay_start(left), start_r = replay_start(right);
  ASSERT_TRUE(std::isfinite(start_l) && std::isfinite(start_r)) << left.err() << right.err();
  Child analyze({"analyze", (dir / "rec_left.csv").string(), (dir / "rec_right.csv").string(), "--json", "-",
                 "--quiet"},
                dir, "analyze");
  ASSERT_EQ(analyze.wait(60s), 0) << analyze.err();
  const json doc = json::parse(analyze.out());
  ASSERT_EQ(doc["schema"], "stride.session/2");
  ASSERT_TRUE(doc["feet"].contains("left") && doc["feet"].contains("right")) << "two feet";
  const auto& clock = doc["bilateral"]["clock"];
  EXPECT_EQ(clock["source"], "host_clock_marks");
  const double true_offset = (start_r - start_l) * kSpeedLeft;
  const double got_offset = clock["right_shift_s"].get<double>() - clock["left_shift_s"].get<double>();
  const double true_ppm = (kSpeedLeft / kSpeedRight - 1) * 1e6;
  std::printf("  two boards recorded together: right starts %.4f s later (found %.4f s, in left-board seconds), "
              "drift %.0f ppm (found %.0f ppm), %zu + %zu clock notes\n",
              true_offset, got_offset, true_ppm, clock["drift_ppm"].get<double>(),
              got_left.recording.clock_marks.size(), got_right.recording.clock_marks.size());
  // Host arrival times carry the pty's latency (well under a millisecond when the machine is idle, a few under
  // load), times 5 in board seconds.
  EXPECT_NEAR(got_offset, true_offset, 0.015);
  EXPECT_NEAR(clock["drift_ppm"].get<double>(), true_ppm, 0.1 * std::abs(true_ppm));

  // --save: the session went into the history as one two-feet session of athlete T.
  Child history({"history", "--db", (dir / "h.sqlite").string(), "--json"}, dir, "history");
  ASSERT_EQ(history.wait(20s), 0) << history.err() << rec.err();
  const json h = json::parse(history.out());
  ASSERT_EQ(h["sessions"].size(), 1u) << h.dump(1);
  EXPECT_TRUE(h["sessions"][0]["two_feet"].get<bool>());
  EXPECT_EQ(h["athlete"], "T");
}

}  // namespace
}  // namespace stride::test
