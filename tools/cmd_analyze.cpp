// `stride analyze FILE...`: import, run the offline pipeline, print a summary; JSON and CSV on request.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <memory>

#include "analysis/pipeline.hpp"
#include "analysis/flags.hpp"
#include "commands.hpp"
#include "flag_settings_json.hpp"
#include "history_save.hpp"
#include "session_json.hpp"
#include "stride/recording_io.hpp"
#include "terminal_summary.hpp"

namespace stride::cli {
namespace {

struct AnalyzeOptions {
  std::vector<std::string> files;
  std::string json_path;
  std::string trajectory_path;
  std::string csv_path;
  std::string format = "auto";
  std::string sensor;
  std::string side;
  std::string placement;
  double rate_hz = 0;
  std::string acc_unit = "auto";
  std::string gyr_unit = "auto";
  std::string time_unit = "auto";
  std::string flags_settings_path;
  bool quiet = false;
  HistoryCliOptions history;  // --save --db --athlete --shoe --date
};

int run(const AnalyzeOptions& o) {
  const PipelineSettings settings;
  FlagSettings flag_settings;
  if (!o.flags_settings_path.empty()) {
    try {
      flag_settings = load_flag_settings(o.flags_settings_path);
    } catch (const std::exception& e) {
      fmt::print(stderr, "stride analyze: --flags-settings: {}\n", e.what());
      return kBadArguments;
    }
  }
  // Progress only for a person watching (stderr is a terminal): which file, and the stages of a long one.
  const bool tty = isatty(STDERR_FILENO);
  const bool progress = tty && o.files.size() > 1;
  std::unique_ptr<std::ofstream> csv;
  if (!o.csv_path.empty()) {
    csv = std::make_unique<std::ofstream>(o.csv_path);
    if (!*csv) {
      fmt::print(stderr, "stride analyze: cannot write CSV to '{}'\n", o.csv_path);
      return kSystemFailure;
    }
    write_stride_csv_header(*csv);
  }
  const bool json_to_stdout = o.json_path == "-";
  const bool json_per_file_dir = !o.json_path.empty() && !json_to_stdout && o.files.size() > 1;
  if (json_per_file_dir) std::filesystem::create_directories(o.json_path);
  int analysed = 0;
  for (std::size_t f = 0; f < o.files.size(); ++f) {
    const auto& path = o.files[f];
    if (progress) fmt::print(stderr, "[{}/{}] {}\n", f + 1, o.files.size(), path);
    std::error_code size_error;
    const bool long_file = tty && std::filesystem::file_size(path, size_error) > (50u << 20) && !size_error;
    if (long_file) fmt::print(stderr, "  reading {} ({} MB)...\n", path, std::filesystem::file_size(path) >> 20);
    io::ImportOptions io_opts;
    io_opts.format = o.format;
    io_opts.sensor = o.sensor;
    io_opts.rate_hz = o.rate_hz;
    io_opts.acc_unit = o.acc_unit;
    io_opts.gyr_unit = o.gyr_unit;
    io_opts.time_unit = o.time_unit;
    io::Imported imported;
    try {
      imported = io::import_file(path, io_opts);
    } catch (const io::ImportError& e) {
      fmt::print(stderr, "stride analyze: {}\n", e.what());
      continue;
    }
    if (!o.side.empty()) imported.recording.meta.side = side_from_string(o.side).value_or(Side::unknown);
    if (!o.placement.empty())
      imported.recording.meta.placement = placement_from_string(o.placement).value_or(Placement::unknown);
    // --trajectory: the smoothed pose of every sample, streamed to CSV as the analysis produces it.
    std::unique_ptr<std::ofstream> trajectory;
    std::function<void(std::size_t, const FootPose&)> trajectory_sink;
    if (!o.trajectory_path.empty()) {
      const std::string out_path =
          o.files.size() > 1 ? (std::filesystem::path(o.trajectory_path) /
                                (std::filesystem::path(path).stem().string() + "_trajectory.csv")).string()
                             : o.trajectory_path;
      if (o.files.size() > 1) std::filesystem::create_directories(o.trajectory_path);
      trajectory = std::make_unique<std::ofstream>(out_path);
      if (!*trajectory) {
        fmt::print(stderr, "stride analyze: cannot write the trajectory to '{}'\n", out_path);
        return kSystemFailure;
      }
      *trajectory << "t_s,pos_x_m,pos_y_m,pos_z_m,vel_x_mps,vel_y_mps,vel_z_mps,q_w,q_x,q_y,q_z,zero_velocity\n";
      trajectory_sink = [&out = *trajectory](std::size_t, const FootPose& p) {
        out << fmt::format("{:.5f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.6f},{:.6f},{:.6f},{:.6f},{}\n", p.t_s,
                           p.pos_m.x(), p.pos_m.y(), p.pos_m.z(), p.vel_mps.x(), p.vel_mps.y(), p.vel_mps.z(),
                           p.q_nav_sensor.w(), p.q_nav_sensor.x(), p.q_nav_sensor.y(), p.q_nav_sensor.z(),
                           p.zero_velocity ? 1 : 0);
      };
    }
    if (long_file)
      fmt::print(stderr, "  analysing {} samples ({:.0f} min)...\n", imported.recording.samples.size(),
                 imported.recording.samples.empty() ? 0.0 : imported.recording.samples.back().t_s / 60.0);
    const SessionResult result = analyze(imported.recording, settings, trajectory_sink);
    if (!result.strides.empty()) ++analysed;
    else fmt::print(stderr, "stride analyze: {}: no strides could be analysed ({})\n", path,
                    result.warnings.empty() ? "no reason given" : result.warnings.back());

    std::vector<Flag> flags = evaluate_flags(result.strides, result.quality, result.summary,
                                             imported.recording.meta.placement, flag_settings);
    if (o.history.save)  // the history: save the session, add its load flags
      if (const int rc = save_analyzed(o.history, flag_settings, session_to_json({path, hash_file(path), &imported,
                                       &result, &settings, &flags, &flag_settings}), flags); rc != kOk)
        return rc;
    if (!o.quiet && !json_to_stdout) print_summary(stdout, path, imported, result, &flags);
    if (!o.json_path.empty()) {
      const auto doc = session_to_json({path, hash_file(path), &imported, &result, &settings, &flags, &flag_settings});
      if (json_to_stdout) {
        std::cout << (o.files.size() > 1 ? doc.dump() : doc.dump(2)) << "\n";
      } else {
        const std::string out_path =
            json_per_file_dir
                ? (std::filesystem::path(o.json_path) / (std::filesystem::path(path).stem().string() + ".json")).string()
                : o.json_path;
        std::ofstream out(out_path);
        if (!out) {
          fmt::print(stderr, "stride analyze: cannot write JSON to '{}'\n", out_path);
          return kSystemFailure;
        }
        out << doc.dump(2) << "\n";
      }
    }
    if (csv) write_stride_csv_rows(*csv, path, result.strides);
  }
  return analysed > 0 ? kOk : kBadInput;
}

}  // namespace

Action add_analyze(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd = app.add_subcommand("analyze", "Analyse recordings offline: events, strides, temporal metrics");
  cmd->add_option("files", o->files, "Recording files (stride native CSV, or CSV from boards and tools)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--json", o->json_path, "Write the session as JSON to PATH ('-' = stdout; a folder for several files)");
  cmd->add_option("--csv", o->csv_path, "Write one row per stride to PATH");
  cmd->add_option("--trajectory", o->trajectory_path,
                  "Write the foot's smoothed position and orientation per sample as CSV to PATH (a folder for several "
                  "files); nav frame: x along the first heading, y left, z up; q = sensor to nav");
  cmd->add_option("--format", o->format, "Input format")->check(CLI::IsMember({"auto", "native", "generic", "gaitmap"}));
  cmd->add_option("--sensor", o->sensor, "Which sensor of a multi-sensor file (gaitmap: left_sensor | right_sensor)");
  cmd->add_option("--rate", o->rate_hz, "Sample rate in Hz, for files without a time column")->check(CLI::PositiveNumber);
  cmd->add_option("--acc-unit", o->acc_unit, "Accelerometer unit")->check(CLI::IsMember({"auto", "g", "m/s^2"}));
  cmd->add_option("--gyr-unit", o->gyr_unit, "Gyroscope unit")->check(CLI::IsMember({"auto", "deg/s", "rad/s"}));
  cmd->add_option("--time-unit", o->time_unit, "Time column unit")->check(CLI::IsMember({"auto", "s", "ms", "us"}));
  cmd->add_option("--side", o->side, "Override the foot: left | right")->check(CLI::IsMember({"left", "right"}));
  cmd->add_option("--placement", o->placement, "Override the placement: shoe | shin")
      ->check(CLI::IsMember({"shoe", "shin"}));
  cmd->add_option("--flags-settings", o->flags_settings_path,
                  "JSON object of knee-pain flag thresholds to override (keys and defaults: docs/flags.md)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--quiet,-q", o->quiet, "No terminal summary");
  add_save_options(cmd, o->history);
  return [o] { return run(*o); };
}

}  // namespace stride::cli
