#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "analysis/butterworth.hpp"
#include "test_support.hpp"

namespace stride {
namespace {

struct GoldenCase {
  ButterworthLowpass::Settings settings;
  std::vector<Biquad> sos;
  std::vector<double> x, y;
};

std::vector<double> numbers_after_tag(const std::string& line) {
  std::vector<double> v;
  std::stringstream ss(line.substr(line.find(',') + 1));
  std::string cell;
  while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
  return v;
}

// Golden vectors come from scipy (tests/golden/make_butterworth_golden.py keeps the generator).
std::vector<GoldenCase> load_golden() {
  std::ifstream in(test::source_dir() / "tests/golden/butterworth_golden.csv");
  std::vector<GoldenCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    auto v = numbers_after_tag(line);
    if (line.rfind("case", 0) == 0) {
      cases.push_back({});
      cases.back().settings = {static_cast<int>(v[0]), v[1], v[2]};
    } else if (line.rfind("sos", 0) == 0) {
      cases.back().sos.push_back({v[0], v[1], v[2], v[3], v[4]});
    } else if (line.rfind("x", 0) == 0) {
      cases.back().x = v;
    } else if (line.rfind("y", 0) == 0) {
      cases.back().y = v;
    }
  }
  return cases;
}

TEST(Butterworth, MatchesScipyDesignAndZeroPhaseOutput) {
  auto cases = load_golden();
  ASSERT_EQ(cases.size(), 4u);
  for (const auto& c : cases) {
    ButterworthLowpass f(c.settings);
    // Section order may differ from scipy's: compare as sets, sorted by a2.
    auto mine = f.sections();
    auto theirs = c.sos;
    ASSERT_EQ(mine.size(), theirs.size());
    auto by_a2 = [](const Biquad& a, const Biquad& b) { return a.a2 < b.a2; };
    std::sort(mine.begin(), mine.end(), by_a2);
    std::sort(theirs.begin(), theirs.end(), by_a2);
    for (std::size_t i = 0; i < mine.size(); ++i) {
      EXPECT_NEAR(mine[i].a1, theirs[i].a1, 1e-12);
      EXPECT_NEAR(mine[i].a2, theirs[i].a2, 1e-12);
    }
    std::vector<double> y(c.x.size());
    f.filtfilt(c.x, y);
    double worst = 0;
    for (std::size_t i = 0; i < y.size(); ++i) worst = std::max(worst, std::abs(y[i] - c.y[i]));
    EXPECT_LT(worst, 1e-9) << "order " << c.settings.order << " fc " << c.settings.cutoff_hz;
  }
}

// FootTrajectory smooths |w| in place (one buffer of the recording's length, not two): same result to the bit.
TEST(Butterworth, FiltfiltInPlaceEqualsOutOfPlace) {
  for (const auto& c : load_golden()) {
    const ButterworthLowpass f(c.settings);
    std::vector<double> y(c.x.size()), in_place = c.x;
    f.filtfilt(c.x, y);
    f.filtfilt(in_place, in_place);
    EXPECT_EQ(in_place, y) << "order " << c.settings.order << " fc " << c.settings.cutoff_hz;
  }
}

TEST(Butterworth, CausalStepHasUnitDcGainAndNoStartTransientAfterReset) {
  ButterworthLowpass f({4, 5.0, 100.0});
  f.reset_to(3.0);
  for (int i = 0; i < 50; ++i) EXPECT_NEAR(f.step(3.0), 3.0, 1e-12);
  f.reset_to(0.0);
  double y = 0;
  for (int i = 0; i < 500; ++i) y = f.step(1.0);
  EXPECT_NEAR(y, 1.0, 1e-9);
}

TEST(Butterworth, AttenuatesAtCutoffByThreeDecibels) {
  const double fs = 1000, fc = 20;
  ButterworthLowpass f({4, fc, fs});
  std::vector<double> x(20000), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(2 * M_PI * fc * static_cast<double>(i) / fs);
  f.filtfilt(x, y);  // forward-backward: gain squared, -6 dB at fc
  double peak = 0;
  for (std::size_t i = 5000; i < 15000; ++i) peak = std::max(peak, std::abs(y[i]));
  EXPECT_NEAR(peak, 0.5, 0.01);
}

TEST(Butterworth, RejectsBadSettingsNamingTheField) {
  try {
    ButterworthLowpass f({3, 5, 100});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("order = 3"), std::string::npos);
  }
  EXPECT_THROW(ButterworthLowpass({4, 60, 100}), std::invalid_argument);
  EXPECT_THROW(ButterworthLowpass({4, 5, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace stride
