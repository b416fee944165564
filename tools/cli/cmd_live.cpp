// `stride live`: per-stride metrics on screen as they happen (tools/session/live_session.*). The board's stream (as `record` reads it, and
// optionally recorded as `record` writes it) goes through the causal form of the `analyze` pipeline: a warm-up
// buffers samples until the mounting calibration succeeds, then one StreamingEventDetector (the detector `analyze`
// runs offline) and a StreamingStrideBuilder (StrideBuilder on each stride's own span) put out each stride as soon as
// its next IC is known. A StreamingSpatial (the offline trajectory's steps, fed causally) gives each stride's
// spatial values when the next stance's TC is known, about half a stride after the stride's line: they follow in
// a line (object) of their own. Memory stays bounded: a window of the last seconds.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/stream_options.hpp"
#include "tools/session/live_input.hpp"
#include "tools/session/live_session.hpp"

namespace stride::cli {
using namespace session;
namespace {

using Clock = LiveInput::Clock;

struct LiveOptions {
  LiveInputOptions in;
  SensorArgs sensors;             // one --side and one --out (if any) per --port
  LiveSessionOptions session;
};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

int run(const LiveOptions& o) {
  const auto maybe_opts = sensor_options(o.in, o.sensors, false);
  if (!maybe_opts) return kBadArguments;
  const auto& opts = *maybe_opts;
  const std::size_t n = opts.size();
  std::mutex out_mutex;
  std::vector<std::unique_ptr<LiveInput>> inputs;
  std::vector<std::unique_ptr<LiveSession>> sessions;
  for (std::size_t k = 0; k < n; ++k) {
    inputs.push_back(std::make_unique<LiveInput>(opts[k]));
    sessions.push_back(std::make_unique<LiveSession>(o.session, opts[k], *inputs[k], out_mutex));
  }
  const auto started = Clock::now();
  if (!o.session.json) print_live_table_header();
  const std::vector<int> rcs = run_inputs(inputs, [&](std::size_t k) {
    LiveInput::Handlers h;
    h.samples = [s = sessions[k].get()](std::span<const ImuSample> b, Clock::time_point at) { s->on_samples(b, at); };
    return h;
  });
  int worst = kOk;
  for (std::size_t k = 0; k < n; ++k) {
    int rc = rcs[k];
    if (rc == kOk) {
      const int input_rc = inputs[k]->report();
      rc = inputs[k]->samples() == 0 ? input_rc : sessions[k]->finish(!inputs[k]->signalled());
      if (rc == kOk) rc = input_rc;
    }
    worst = std::max(worst, rc);
  }
  const double wall = seconds(Clock::now() - started);
  fmt::print(stderr, "stride live: cpu {:.2f} s in {:.1f} s: {:.1f} % of one core\n", cpu_seconds(), wall,
             wall > 0 ? 100.0 * cpu_seconds() / wall : 0.0);
  return worst;
}

}  // namespace

Action add_live(CLI::App& app) {
  auto o = std::make_shared<LiveOptions>();
  o->in.who = "stride live";
  auto* cmd = app.add_subcommand("live", "Per-stride metrics on screen as they happen, from a board's live stream");
  add_stream_options(cmd, o->in, o->sensors);
  cmd->add_option("--rate", o->in.text.rate_hz,
                  "Sample rate in Hz of text lines without time, or a WitMotion board's output rate (else its 0x50 "
                  "time packets, else the factory default 10 Hz)");
  cmd->add_option("--out,-o", o->sensors.outs,
                  "Also record the stream to this file (stride native CSV), as `record` does (one per --port)");
  cmd->add_flag("--json", o->session.json, "One JSON object per line: per stride (\"type\": \"stride\", the fields of `analyze "
                                    "--json` strides, spatial ones null, plus emitted_after_tc_s), then its spatial "
                                    "values (\"type\": \"spatial\", same names, with stride and ic_s)");
  cmd->add_option("--warmup-limit", o->session.warmup_limit_s, "Give up when no calibration after this many seconds of stream")
      ->check(positive())
      ->capture_default_str();
  cmd->add_option("--warmup-min", o->session.warmup_min_s, "Buffer at least this many seconds before calibrating")
      ->check(positive())
      ->capture_default_str();
  return [o] { return run(*o); };
}

}  // namespace stride::cli
