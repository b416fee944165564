// `stride analyze FILE...`: import, run the offline pipeline, print a summary; JSON and CSV on request.
#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <memory>

#include "tools/session/analyze_session.hpp"
#include "tools/session/fit_export.hpp"
#include "tools/session/output_file.hpp"
#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/cli/save_options.hpp"
#include "tools/history/history_save.hpp"
#include "tools/session/session_json.hpp"

namespace stride::cli {
using namespace session;
using namespace history;
namespace {

struct AnalyzeOptions {
  std::vector<std::string> files;
  std::string json_path;
  std::string trajectory_path;
  std::string csv_path;
  std::string fit_path;  // --fit: one session: this file; several: a folder, one STEM.fit each
  std::string format = "auto";
  std::string sensor;
  std::string side;
  std::string placement;
  std::string ic_convention = "force";  // force | kinematic (docs/events.md)
  double rate_hz = 0;
  std::string acc_unit = "auto";
  std::string gyr_unit = "auto";
  std::string time_unit = "auto";
  double acc_range_g = 0;
  double gyr_range_dps = 0;
  std::string flags_settings_path;
  std::string left, right;
  bool no_pair = false;
  bool quiet = false;
  HistoryCliOptions history;  // --save --db --athlete --shoe --date
};

int run(const AnalyzeOptions& o) {
  // glibc raises its mmap threshold to the size of each large block freed (up to 32 MiB): after the first read's
  // held samples (~32 MB) are let go, every later allocation below that comes from the heap, and what is freed
  // there stays with the process. A fixed threshold (its initial 128 KiB) gives large blocks back when freed: 24 h
  // at 1 kHz peaked at 124 MB with the dynamic threshold, 81 MB with this; same CPU (docs/measuring.md).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  AnalyzeRequest request;
  if (!load_flag_settings_option(o.flags_settings_path, "stride analyze", request.flag_settings)) return kBadArguments;
  if (o.left.empty() != o.right.empty()) {
    fmt::print(stderr, "stride analyze: --left and --right go together (the two feet of one session)\n");
    return kBadArguments;
  }
  std::error_code same_ec;
  if (!o.left.empty() && std::filesystem::equivalent(o.left, o.right, same_ec)) {
    fmt::print(stderr, "stride analyze: --left and --right are the same file ({}): one foot cannot be both feet\n",
               o.left);
    return kBadArguments;
  }
  const bool both_sensors = o.sensor == "both";
  std::vector<SessionFiles> sessions;
  if (!o.left.empty()) sessions.push_back({o.left, o.right, ""});
  if (both_sensors) {
    for (const auto& f : o.files) sessions.push_back({f, f, ""});
  } else {
    const auto planned = plan_sessions(o.files, !o.no_pair);
    sessions.insert(sessions.end(), planned.begin(), planned.end());
  }
  if (sessions.empty()) {
    fmt::print(stderr, "stride analyze: no input: give recording files, or --left FILE --right FILE\n");
    return kBadArguments;
  }
  request.import.format = o.format;
  request.import.sensor = both_sensors ? "" : o.sensor;
  request.import.rate_hz = o.rate_hz;
  request.import.acc_unit = o.acc_unit;
  request.import.gyr_unit = o.gyr_unit;
  request.import.time_unit = o.time_unit;
  request.import.acc_range_g = o.acc_range_g;
  request.import.gyr_range_dps = o.gyr_range_dps;
  request.side = o.side;
  request.placement = o.placement;
  // The IC convention: the force onset (the impact, default) or the end of late-swing dorsiflexion, which is what
  // marker-based motion capture (Zeni 2008) calls heel strike, 15-25 ms earlier on a walk: for comparing like with like.
  request.settings.events.ic_feature = o.ic_convention == "kinematic" ? ImpactPitchDetector::IcFeature::dorsiflexion_end
                                                                     : ImpactPitchDetector::IcFeature::impact_jump;
  const bool json_to_stdout = o.json_path == "-";
  if (!o.quiet && !json_to_stdout) request.summary = stdout;
  if (o.history.save)  // the history: save each session and add its load flags before they are shown
    request.before_output = [&o, &request](const StreamedDocument& doc, std::vector<Flag>& flags) {
      return save_analyzed(o.history, request.flag_settings, doc.without_strides(), flags);  // reads no stride
    };

  // Progress only for a person watching (stderr is a terminal): which session, and the stages of a long one.
  const bool tty = isatty(STDERR_FILENO);
  const bool progress = tty && sessions.size() > 1;
  std::unique_ptr<OutputFile> csv;  // committed when every session is in it
  if (!o.csv_path.empty()) {
    csv = std::make_unique<OutputFile>(o.csv_path);
    write_stride_csv_header(csv->stream());
    request.csv = &csv->stream();
  }
  const bool json_per_file_dir = !o.json_path.empty() && !json_to_stdout && sessions.size() > 1;
  if (json_per_file_dir) {  // one JSON per session in this folder
    std::error_code ec;
    if (std::filesystem::exists(o.json_path, ec) && !std::filesystem::is_directory(o.json_path, ec)) {
      fmt::print(stderr, "stride analyze: --json {}: {} sessions need a folder (one JSON each), and this is a file\n",
                 o.json_path, sessions.size());
      return kBadArguments;
    }
    if (std::filesystem::create_directories(o.json_path, ec); ec) {
      fmt::print(stderr, "stride analyze: --json {}: cannot make the folder: {}\n", o.json_path, ec.message());
      return kSystemFailure;
    }
  }
  int analysed = 0;
  for (std::size_t f = 0; f < sessions.size(); ++f) {
    const auto& files = sessions[f];
    const auto& path = files.path;
    if (progress) fmt::print(stderr, "[{}/{}] {}\n", f + 1, sessions.size(), path);
    std::error_code size_error;
    const bool long_file = tty && std::filesystem::file_size(path, size_error) > (50u << 20) && !size_error;
    if (long_file) fmt::print(stderr, "  reading and analysing {} ({} MB)...\n", path, std::filesystem::file_size(path) >> 20);
    // --trajectory (one sensor): the smoothed pose of every sample, streamed to CSV as the analysis produces it.
    std::unique_ptr<OutputFile> trajectory;
    request.trajectory_sink = {};
    if (!o.trajectory_path.empty() && files.two_feet()) {
      fmt::print(stderr, "stride analyze: --trajectory is written for one-sensor sessions only; skipped for {}\n", path);
    } else if (!o.trajectory_path.empty()) {
      const std::string out_path =
          sessions.size() > 1 ? (std::filesystem::path(o.trajectory_path) /
                                 (std::filesystem::path(path).stem().string() + "_trajectory.csv")).string()
                              : o.trajectory_path;
      if (sessions.size() > 1) std::filesystem::create_directories(o.trajectory_path);
      trajectory = std::make_unique<OutputFile>(out_path);
      trajectory->stream() << "t_s,pos_x_m,pos_y_m,pos_z_m,vel_x_mps,vel_y_mps,vel_z_mps,q_w,q_x,q_y,q_z,zero_velocity\n";
      request.trajectory_sink = [&out = trajectory->stream()](std::size_t, const FootPose& p) {
        out << fmt::format("{:.5f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.6f},{:.6f},{:.6f},{:.6f},{}\n", p.t_s,
                           p.pos_m.x(), p.pos_m.y(), p.pos_m.z(), p.vel_mps.x(), p.vel_mps.y(), p.vel_mps.z(),
                           p.q_nav_sensor.w(), p.q_nav_sensor.x(), p.q_nav_sensor.y(), p.q_nav_sensor.z(),
                           p.zero_velocity ? 1 : 0);
      };
    }
    const SessionOutcome outcome = analyse_session(files, request);
    if (outcome.exit_code != 0) return outcome.exit_code;  // e.g. the history database could not be written
    if (trajectory) trajectory->commit();
    if (outcome.analysed()) ++analysed;
    else fmt::print(stderr, "stride analyze: {}\n", outcome.error);
    if (outcome.doc.is_null()) continue;
    if (!o.json_path.empty()) {
      if (json_to_stdout) {
        write_document_stdout(outcome.doc, sessions.size() > 1 ? -1 : 2);  // several: one document a line
      } else {
        const std::string stem = std::filesystem::path(path).stem().string() + (files.two_feet() ? "_two_feet" : "");
        const std::string out_path =
            json_per_file_dir ? (std::filesystem::path(o.json_path) / (stem + ".json")).string() : o.json_path;
        write_document_file(out_path, outcome.doc, 2);
      }
    }
    if (!o.fit_path.empty() && outcome.analysed()) {
      const std::string stem = std::filesystem::path(path).stem().string() + (files.two_feet() ? "_two_feet" : "");
      if (sessions.size() > 1) std::filesystem::create_directories(o.fit_path);
      const std::string fit_out =
          sessions.size() > 1 ? (std::filesystem::path(o.fit_path) / (stem + ".fit")).string() : o.fit_path;
      if (const int rc = write_fit_for(outcome.doc.materialise(), fit_out, {}, "stride analyze"); rc != kOk) return rc;
    }
  }
  if (csv) csv->commit();
  return analysed > 0 ? kOk : kBadInput;
}

}  // namespace

Action add_analyze(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd = app.add_subcommand("analyze", "Analyse recordings offline: events, strides, temporal metrics");
  cmd->alias("analyse");
  cmd->add_option("files", o->files, "Recordings: files (stride native CSV, the formats of `stride formats`), an "
                                     "app's export folder or zip, or an accelerometer file and its gyroscope file")
      ->check(existing_path());
  cmd->add_option("--left", o->left, "Two feet: the left foot's recording (with --right; clocks aligned by the "
                                     "files' host_t0_unix_s, else both assumed to start at once)")
      ->check(existing_file());
  cmd->add_option("--right", o->right, "Two feet: the right foot's recording")->check(existing_file());
  cmd->add_flag("--no-pair", o->no_pair,
                "Analyse every file alone, even files recorded together (same session_id, left and right)");
  cmd->add_option("--json", o->json_path, "Write the session as JSON to PATH ('-' = stdout; a folder for several files)");
  cmd->add_option("--csv", o->csv_path, "Write one row per stride to PATH");
  cmd->add_option("--fit", o->fit_path, "Write the session as a FIT activity to PATH (a folder for several files; "
                                        "docs/fit.md)");
  cmd->add_option("--trajectory", o->trajectory_path,
                  "Write the foot's smoothed position and orientation per sample as CSV to PATH (a folder for several "
                  "files); nav frame: x along the first heading, y left, z up; q = sensor to nav");
  cmd->add_option("--format", o->format, "Input format: auto, or a name from `stride formats`")
      ->check(format_name());
  cmd->add_option("--sensor", o->sensor, "Which sensor of a multi-sensor file (gaitmap: left_sensor | right_sensor | both = a two-feet session)");
  cmd->add_option("--rate", o->rate_hz, "Sample rate in Hz, for files without a time column (WitMotion text: "
                                        "replaces its host clock)")->check(positive());
  cmd->add_option("--acc-range", o->acc_range_g, "Raw-count files (Arduino 'a/g:'): accelerometer full scale in g "
                                                 "(default 2)")->check(positive());
  cmd->add_option("--gyr-range", o->gyr_range_dps, "Raw-count files: gyroscope full scale in deg/s (default 250)")
      ->check(positive());
  cmd->add_option("--acc-unit", o->acc_unit, "Accelerometer unit: auto | g | m/s^2 | mg")->check(acc_unit());
  cmd->add_option("--gyr-unit", o->gyr_unit, "Gyroscope unit: auto | deg/s (dps) | rad/s | mdps")->check(gyr_unit());
  cmd->add_option("--time-unit", o->time_unit, "Time column unit: auto | s | ms | us | ns")->check(time_unit());
  cmd->add_option("--side", o->side, "Override the foot: left | right")->check(CLI::IsMember({"left", "right"}));
  cmd->add_option("--placement", o->placement, "Override the placement: shoe | shin")
      ->check(CLI::IsMember({"shoe", "shin"}));
  cmd->add_option("--ic-convention", o->ic_convention,
                  "Which instant is IC (shoe): force = the force onset, the impact (default); kinematic = the end of "
                  "late-swing dorsiflexion, as marker-based motion capture defines heel strike (docs/events.md)")
      ->check(CLI::IsMember({"force", "kinematic"}));
  cmd->add_option("--flags-settings", o->flags_settings_path,
                  "JSON object of knee-pain flag thresholds to override (keys and defaults: docs/flags.md)")
      ->check(existing_file());
  cmd->add_flag("--quiet,-q", o->quiet, "No terminal summary");
  add_save_options(cmd, o->history);
  return [o] { return run(*o); };
}

}  // namespace stride::cli
