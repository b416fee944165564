// stride: a gait lab for a cheap IMU on the shoe. Data to stdout, messages to stderr.
#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/output_file.hpp"

int main(int argc, char** argv) {
  using namespace stride;
  using namespace stride::cli;
  // A file-size limit (ulimit -f) then fails the write with EFBIG, which is reported, instead of killing us silently.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"stride " STRIDE_VERSION ": running and walking gait from a shoe-mounted IMU"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "stride " STRIDE_VERSION " (" STRIDE_COMMIT ")");
  std::map<CLI::App*, Action> actions;
  auto add = [&](Action (*adder)(CLI::App&)) {
    const auto before = app.get_subcommands([](const CLI::App*) { return true; });
    Action a = adder(app);
    const auto after = app.get_subcommands([](const CLI::App*) { return true; });
    actions[after.back()] = std::move(a);
    (void)before;
  };
  add(add_analyze);
  add(add_simulate);
  add(add_ports);
  add(add_record);
  add(add_replay);
  add(add_live);
  add(add_report);
  add(add_history);
  add(add_formats);
  add(add_export);
  add(add_convert);
  add(add_compare);
  add(add_batch);
  // A mistyped option is named as such, with what was probably meant, before CLI11 reports something else about
  // the words around it (e.g. "File does not exist" for the value after "--jsn").
  if (argc > 1)
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      if (sub->check_name(argv[1])) {
        const std::string bad = unknown_option(*sub, std::vector<std::string>(argv + 2, argv + argc));
        if (!bad.empty()) {
          fmt::print(stderr, "stride {}: {}\nRun with --help for more information.\n", sub->get_name(), bad);
          return kBadArguments;
        }
      }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kBadArguments;
  }
  for (auto& [sub, action] : actions)
    if (sub->parsed()) {
      try {
        const int rc = action();
        if (!session::stdout_ok()) {
          fmt::print(stderr, "stride: cannot write to standard output: {}\n", std::strerror(errno));
          return kSystemFailure;
        }
        return rc;
      } catch (const session::OutputError& e) {  // names the file and the OS's reason
        fmt::print(stderr, "stride {}: {}\n", sub->get_name(), e.what());
        return kSystemFailure;
      } catch (const std::exception& e) {
        fmt::print(stderr, "stride: {}\n", e.what());
        return kSystemFailure;
      }
    }
  return kBadArguments;
}
