// The spatial metrics through the `stride` command: JSON fields against the simulator's truth, the CSV columns,
// and the per-sample trajectory file.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "session_doc.hpp"

namespace stride::test {
namespace {

using nlohmann::json;

TEST(CliSpatial, StrideLengthAnglesAndTrajectoryFile) {
  ScratchDir dir;
  const fs::path rec = dir / "run.csv", traj = dir / "traj.csv", csv = dir / "strides.csv";
  auto r = run_stride({"simulate", "--out", rec.string(), "--strides", "12", "--rate", "500", "--seed", "9",
                       "--strike", "forefoot", "--speed", "4.0", "--pronation", "10"},
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_stride({"analyze", rec.string(), "--json", "-", "--trajectory", traj.string(), "--csv", csv.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = only_foot(json::parse(r.out));
  const json truth = json::parse(read_text(dir / "run.truth.json"));

  std::size_t compared = 0;
  for (const auto& s : doc["strides"]) {
    for (const auto& t : truth["strides"]) {
      if (std::abs(s["ic_s"].get<double>() - t["ic_s"].get<double>()) > 0.005) continue;
      ++compared;
      EXPECT_NEAR(s["stride_length_m"].get<double>(), t["length_m"].get<double>(), 0.05);
      EXPECT_NEAR(s["speed_mps"].get<double>(), t["speed_mps"].get<double>(), 0.08);
      EXPECT_NEAR(s["fsa_deg"].get<double>(), t["fsa_deg"].get<double>(), 1.5);
      EXPECT_EQ(s["strike_pattern"], "forefoot");
      EXPECT_NEAR(s["pronation_excursion_deg"].get<double>(), t["pronation_excursion_deg"].get<double>(), 1.5);
      EXPECT_TRUE(s["spatial_issue"].get<std::string>().empty());
    }
  }
  EXPECT_GE(compared, 11u);
  EXPECT_GT(doc["spatial"]["distance_m"].get<double>(), 25.0);
  EXPECT_EQ(doc["spatial"]["strike_patterns"]["forefoot"].get<int>(), static_cast<int>(compared));

  // The trajectory file: one row per sample, a header with units, the foot ends where the walk's path ends.
  const auto lines = split_lines(read_text(traj));
  ASSERT_GT(lines.size(), 1000u);
  EXPECT_EQ(lines[0], "t_s,pos_x_m,pos_y_m,pos_z_m,vel_x_mps,vel_y_mps,vel_z_mps,q_w,q_x,q_y,q_z,zero_velocity");
  EXPECT_EQ(lines.size() - 1, static_cast<std::size_t>(doc["data_quality"]["samples"].get<int>()));
  const double end_x = std::stod(lines.back().substr(lines.back().find(',') + 1));
  EXPECT_NEAR(end_x, doc["spatial"]["distance_m"].get<double>(), 0.15 * doc["spatial"]["distance_m"].get<double>());

  // The stride CSV carries the spatial columns.
  const auto rows = split_lines(read_text(csv));
  ASSERT_FALSE(rows.empty());
  for (const char* col : {"stride_length_m", "speed_mps", "fsa_deg", "strike_pattern", "toe_off_angle_deg",
                          "pronation_excursion_deg", "pronation_velocity_dps", "max_clearance_m", "turning_angle_deg",
                          "pos_x_m", "pos_y_m"})
    EXPECT_NE(rows[0].find(col), std::string::npos) << col;
}

}  // namespace
}  // namespace stride::test
