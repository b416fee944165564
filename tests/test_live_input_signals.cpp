// What SIGINT does once every live input has ended: nothing. A recording that stopped by itself (its board left) is
// writing its summary; the Ctrl-C its user sends to stop it must not kill it halfway with 130.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <vector>

#include "cli_runner.hpp"
#include "tools/session/live_input.hpp"

namespace stride::test {
namespace {

using session::LiveInput;

void (*sigint_action())(int) {
  struct sigaction now {};
  sigaction(SIGINT, nullptr, &now);
  return now.sa_handler;
}

TEST(LiveInputSignals, SigintIsIgnoredOnceEveryInputHasEnded) {
  ScratchDir dir;
  const auto path = dir / "board.txt";
  {
    std::ofstream f(path);
    for (int i = 0; i < 50; ++i) f << i * 10 << ",0.1,0.2,9.8,0.01,0.02,0.03\n";  // ms, m/s², rad/s text lines
  }
  session::LiveInputOptions o;
  o.port = "file://" + path.string();
  o.who = "test";
  std::signal(SIGINT, SIG_DFL);
  {
    std::vector<std::unique_ptr<LiveInput>> inputs;
    inputs.push_back(std::make_unique<LiveInput>(o));
    const std::vector<int> rcs = session::run_inputs(inputs, [](std::size_t) { return LiveInput::Handlers{}; });
    ASSERT_EQ(rcs.size(), 1u);
    EXPECT_EQ(rcs[0], 0);
    EXPECT_GT(inputs[0]->samples(), 0u) << "the file's lines were not decoded: the input did not run";
    EXPECT_EQ(sigint_action(), SIG_IGN) << "during the wrap-up, with the inputs still alive";
  }
  // asio gives a signal back to SIG_DFL when its last set lets go of it: the inputs are gone now.
  EXPECT_EQ(sigint_action(), SIG_IGN) << "after the inputs were destroyed";
  std::raise(SIGINT);  // ignored: the test goes on
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace
}  // namespace stride::test
