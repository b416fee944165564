// The simulator grid the accuracy tests and the README figures use: walking 1.0-1.8 m/s, running 2.5-6 m/s,
// three strike patterns, 100-1000 Hz, realistic noise and bias, a random mounting per run.
#pragma once

#include <string>
#include <vector>

#include "stride/simulate.hpp"

namespace stride::test {

struct GridCase {
  std::string name;
  sim::Settings settings;
};

inline std::vector<GridCase> simulator_grid(std::vector<double> rates, int strides = 20) {
  std::vector<GridCase> grid;
  std::uint64_t seed = 11;
  for (double rate : rates) {
    for (double speed : {1.0, 1.4, 1.8}) {
      for (auto strike : {sim::StrikePattern::rearfoot, sim::StrikePattern::midfoot}) {
        sim::Settings s;
        s.speed_mps = speed;
        s.cadence_spm = 95 + 12 * speed;
        s.duty_factor = 0.62;
        s.toe_off_angle_deg = -55;
        s.strike = strike;
        s.fsa_deg = strike == sim::StrikePattern::rearfoot ? 20 : 3;
        s.rate_hz = rate;
        s.strides = strides;
        s.seed = seed++;
        grid.push_back({"walk " + std::to_string(speed).substr(0, 3) + " m/s " +
                            (strike == sim::StrikePattern::rearfoot ? "rear" : "mid") + " " +
                            std::to_string(int(rate)) + " Hz",
                        s});
      }
    }
    for (double speed : {2.5, 3.5, 4.5, 6.0}) {
      for (auto strike : {sim::StrikePattern::rearfoot, sim::StrikePattern::midfoot, sim::StrikePattern::forefoot}) {
        sim::Settings s;
        s.speed_mps = speed;
        s.cadence_spm = 150 + 5 * speed;
        s.duty_factor = 0.42 - 0.03 * (speed - 2.5);
        s.strike = strike;
        s.fsa_deg = strike == sim::StrikePattern::rearfoot ? 14 : strike == sim::StrikePattern::midfoot ? 2 : -9;
        s.rate_hz = rate;
        s.strides = strides;
        s.seed = seed++;
        const char* names[] = {"rear", "mid", "fore"};
        grid.push_back({"run " + std::to_string(speed).substr(0, 3) + " m/s " + names[static_cast<int>(strike)] +
                            " " + std::to_string(int(rate)) + " Hz",
                        s});
      }
    }
  }
  return grid;
}

}  // namespace stride::test
