// `stride convert IN [IN2] OUT`: any recording stride imports (a file of `stride formats`, a folder or zip export, an
// accelerometer file and its gyroscope file) ->
// stride's native CSV or binary (.strideb), chosen by OUT's extension. The samples are what `analyze` would read
// (units converted, clock guarded, an irregular clock resampled), so analysing OUT gives IN's figures.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/protocol/strideb.hpp"
#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/output_file.hpp"

namespace stride::cli {
namespace {

struct ConvertOptions {
  std::vector<std::string> paths;  // the input (one path, or two parts), then OUT
  io::ImportOptions import;
};

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

int run(const ConvertOptions& o) {
  const std::vector<std::string> in(o.paths.begin(), o.paths.end() - 1);
  const std::string& out = o.paths.back();
  const std::string in_text = in.size() == 1 ? in[0] : in[0] + " + " + in[1];
  const bool binary = ends_with(out, ".strideb");
  if (!binary && !ends_with(out, ".csv")) {
    fmt::print(stderr, "stride convert: OUT '{}': expected a name ending in .csv (native CSV) or .strideb (binary)\n",
               out);
    return kBadArguments;
  }
  for (const auto& p : in)
    if (std::error_code ec; !std::filesystem::exists(p, ec)) {
      fmt::print(stderr, "stride convert: IN '{}': no such file or folder\n", p);
      return kBadArguments;
    }
  io::Imported imported;
  try {
    imported = io::import_input(in, o.import);
  } catch (const io::ImportError& e) {
    fmt::print(stderr, "stride convert: {}\n", e.what());
    return kBadInput;
  }
  const auto& rep = imported.report;
  for (const auto& note : rep.notes) fmt::print(stderr, "stride convert: {}: {}\n", in_text, note);
  if (!rep.has_gyro || !rep.has_acc)
    fmt::print(stderr, "stride convert: {}: no {} (written as NaN): {}\n", in_text,
               rep.has_gyro ? "accelerometer" : "gyroscope", rep.has_gyro ? rep.acc_unit_reason : rep.gyr_unit_reason);
  if (rep.skipped > 0) {
    fmt::print(stderr, "stride convert: {}: {} {} skipped\n", in_text, rep.skipped,
               rep.format == io::kStridebName ? "damaged blocks" : "lines");
    for (std::size_t k = 0; k < rep.issues.size() && k < 5; ++k)
      fmt::print(stderr, "  {}\n", io::issue_text(rep.issues[k]));
  }
  try {
    session::OutputFile file(out);
    if (binary) io::write_strideb(file.stream(), imported.recording);
    else io::write_native(file.stream(), imported.recording);
    file.commit();
  } catch (const session::OutputError& e) {
    fmt::print(stderr, "stride convert: {}\n", e.what());
    return kSystemFailure;
  }
  const auto& samples = imported.recording.samples;
  fmt::print(stderr, "stride convert: wrote {} ({}, {} samples, {:.1f} s) from {} ({})\n", out,
             binary ? "strideb" : "native CSV", samples.size(), samples.empty() ? 0.0 : samples.back().t_s, in_text,
             rep.format);
  return kOk;
}

}  // namespace

Action add_convert(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  auto* cmd = app.add_subcommand(
      "convert", "Convert a recording to stride's native CSV or binary .strideb (by OUT's extension)");
  cmd->add_option("paths", o->paths,
                  "IN [IN2] OUT: a recording stride reads (`stride formats`), an app's export folder or zip, or an "
                  "accelerometer file and its gyroscope file; then the file to write: NAME.csv (native CSV) or "
                  "NAME.strideb (binary, docs/strideb.md)")
      ->required()
      ->expected(2, 3);
  cmd->add_option("--format", o->import.format, "Input format: auto, or a name from `stride formats`")
      ->check(format_name());
  cmd->add_option("--rate", o->import.rate_hz, "Sample rate in Hz, for files without a time column")
      ->check(positive());
  cmd->add_option("--acc-unit", o->import.acc_unit, "Accelerometer unit: auto | g | m/s^2 | mg")->check(acc_unit());
  cmd->add_option("--gyr-unit", o->import.gyr_unit, "Gyroscope unit: auto | deg/s (dps) | rad/s | mdps")
      ->check(gyr_unit());
  cmd->add_option("--time-unit", o->import.time_unit, "Time column unit: auto | s | ms | us | ns")->check(time_unit());
  return [o] { return run(*o); };
}

}  // namespace stride::cli
