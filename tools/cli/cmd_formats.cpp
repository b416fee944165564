// `stride formats`: the file formats stride reads (the registry in firmware_iface/import/formats.cpp), each with a
// one-line description, the header its source writes, and where the layout is documented.
#include <fmt/format.h>

#include "firmware_iface/import/formats.hpp"
#include "tools/cli/commands.hpp"

namespace stride::cli {

Action add_formats(CLI::App& app) {
  app.add_subcommand("formats", "List the file formats `stride analyze` reads (for --format NAME)");
  return [] {
    fmt::print("Detected automatically; force one with `stride analyze --format NAME FILE`.\n");
    for (const io::formats::Format* f : io::formats::all()) {
      fmt::print("\n{}\n  {}\n  header: {}\n  spec:   {}\n", f->name, f->description, f->example_header, f->spec);
    }
    return static_cast<int>(kOk);
  };
}

}  // namespace stride::cli
