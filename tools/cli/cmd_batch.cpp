// `stride batch DIR_OR_GLOB... --out DIR`: a whole archive, resumable, on N threads; `--shard I/K` for one task of
// a job array, `--merge` to build the summaries from the shards' results, `--slurm` to write the sbatch scripts.
// The work is tools/batch/batch.hpp; this file parses, prints progress on a terminal and chooses the exit code.
#include <fmt/format.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>

#include "tools/batch/batch.hpp"
#include "tools/cli/checks.hpp"
#include "tools/cli/commands.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/session/output_file.hpp"

namespace stride::cli {
namespace {

struct BatchOptions {
  std::vector<std::string> inputs;
  std::string out;
  unsigned jobs = 0;
  std::string shard;
  bool merge = false;
  bool slurm = false;
  unsigned shards = 0;
  bool no_pair = false;
  bool no_reports = false;
  std::string flags_settings_path;
};

// The CPUs this process may run on (a Slurm task's or a container's share), else the machine's.
unsigned default_jobs() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<unsigned>(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

// The arguments that choose the sessions and their settings, as given: every shard and the merge repeat them.
std::vector<std::string> common_args(const BatchOptions& o) {
  std::vector<std::string> a{"batch"};
  a.insert(a.end(), o.inputs.begin(), o.inputs.end());
  a.insert(a.end(), {"--out", o.out});
  if (o.no_pair) a.push_back("--no-pair");
  if (!o.flags_settings_path.empty()) a.insert(a.end(), {"--flags-settings", o.flags_settings_path});
  return a;
}

void print_failures(const std::vector<batch::SessionRow>& rows) {
  for (const auto& r : rows)
    if (r.status == "failed") fmt::print(stderr, "stride batch: failed: {}\n", r.error.empty() ? r.file : r.error);
}

int exit_code(const std::vector<batch::SessionRow>& rows) {
  for (const auto& r : rows)
    if (r.status == "failed") return kBadInput;
  return kOk;
}

int run(const BatchOptions& o) {
  batch::Settings settings;
  settings.out_dir = o.out;
  settings.html = !o.no_reports;
  if (!session::load_flag_settings_option(o.flags_settings_path, "stride batch", settings.request.flag_settings))
    return kBadArguments;
  settings.key_salt = fmt::format("stride {}\nflags {}", STRIDE_VERSION,
                                  session::flag_settings_json(settings.request.flag_settings).dump());
  std::optional<batch::Shard> shard;
  if (!o.shard.empty() && !(shard = batch::parse_shard(o.shard))) {
    fmt::print(stderr, "stride batch: --shard {}: expected I/K with 0 <= I < K, e.g. --shard 0/4\n", o.shard);
    return kBadArguments;
  }
  const int modes = (o.merge ? 1 : 0) + (o.slurm ? 1 : 0) + (shard ? 1 : 0);
  if (modes > 1) {
    fmt::print(stderr, "stride batch: --merge, --slurm and --shard are separate steps; give one of them\n");
    return kBadArguments;
  }
  if (o.shards > 0 && !o.slurm) {
    fmt::print(stderr, "stride batch: --shards goes with --slurm (each task then runs --shard I/K)\n");
    return kBadArguments;
  }
  if (o.inputs.empty() && !o.merge) {
    fmt::print(stderr, "stride batch: no input: give folders, files or globs (or --merge --out DIR)\n");
    return kBadArguments;
  }

  if (o.merge) {  // the summaries from what the shards wrote
    std::vector<batch::SessionRow> rows;
    if (o.inputs.empty()) {
      rows = batch::collect_all_rows(o.out);
    } else {
      const auto expanded = batch::expand_inputs(o.inputs, o.out);
      rows = batch::collect_rows(o.out, batch::plan_batch(expanded.files, !o.no_pair), settings.key_salt);
      const auto problems = batch::problem_rows(expanded.problems);
      rows.insert(rows.end(), problems.begin(), problems.end());
    }
    if (rows.empty()) {
      fmt::print(stderr, "stride batch --merge: no session results in {}/sessions\n", o.out);
      return kBadInput;
    }
    batch::write_summary(o.out, rows);
    print_failures(rows);
    fmt::print(stderr, "stride batch --merge: {} sessions -> {}/index.csv, strides.csv, index.html\n", rows.size(),
               o.out);
    return exit_code(rows);
  }

  const auto expanded = batch::expand_inputs(o.inputs, o.out);
  const auto plan = batch::plan_batch(expanded.files, !o.no_pair);
  if (plan.empty() && expanded.problems.empty()) {
    fmt::print(stderr, "stride batch: no recordings (*.csv, *.tsv, *.zip) found in the inputs\n");
    return kBadArguments;
  }

  if (o.slurm) {
    batch::SlurmJob job;
    job.exe = std::filesystem::read_symlink("/proc/self/exe").string();
    job.workdir = std::filesystem::current_path().string();
    job.out_dir = o.out;
    job.shards = o.shards > 0 ? o.shards : static_cast<unsigned>(std::clamp<std::size_t>(plan.size(), 1, 8));
    job.args = common_args(o);
    if (o.jobs > 0) job.args.insert(job.args.end(), {"--jobs", std::to_string(o.jobs)});
    if (o.no_reports) job.args.push_back("--no-reports");
    job.cpus_per_task = o.jobs;
    job.merge_args = common_args(o);
    job.merge_args.push_back("--merge");
    const std::string submit = batch::write_slurm_scripts(job);
    fmt::print(stderr, "stride batch: {} sessions in {} array tasks; submit the array, then the merge after it:\n",
               plan.size(), job.shards);
    session::write_stdout(submit);
    return kOk;
  }

  settings.jobs = o.jobs > 0 ? o.jobs : default_jobs();
  const auto mine = shard ? batch::shard_of(plan, *shard) : plan;
  const bool tty = isatty(STDERR_FILENO);
  const auto progress = [&](const batch::Progress& p) {
    // From the sessions analysed so far (the skipped ones take no time).
    const std::size_t analysed = p.done - p.skipped;
    const double eta = analysed > 0 ? p.elapsed_s / static_cast<double>(analysed) * static_cast<double>(p.total - p.done) : 0;
    fmt::print(stderr, "\r\033[K[{}/{}] {} failed, {} skipped, {:.0f} s, ETA {:.0f} s  {}", p.done, p.total, p.failed,
               p.skipped, p.elapsed_s, eta, p.last);
    if (p.done == p.total) fmt::print(stderr, "\n");
  };
  const auto result = batch::run_sessions(mine, settings, tty ? std::function<void(const batch::Progress&)>(progress)
                                                              : std::function<void(const batch::Progress&)>());
  if (!result.system_error.empty()) {
    if (tty) fmt::print(stderr, "\n");
    fmt::print(stderr, "stride batch: {}; the batch stopped (run it again to resume)\n", result.system_error);
    return kSystemFailure;
  }
  std::size_t ok = 0, skipped = 0, failed = 0;
  for (const auto& r : result.rows) (r.status == "failed" ? failed : r.status == "skipped" ? skipped : ok)++;
  print_failures(result.rows);
  if (shard) {
    // One task of an array: the merge writes the summaries. A session that failed is a result (its marker says
    // why, the merge lists it), not a failure of the task, so the merge's afterok still runs.
    fmt::print(stderr, "stride batch: shard {}/{}: {} sessions: {} analysed, {} skipped, {} failed\n", shard->index,
               shard->count, mine.size(), ok, skipped, failed);
    return kOk;
  }
  auto rows = result.rows;
  const auto problems = batch::problem_rows(expanded.problems);
  rows.insert(rows.end(), problems.begin(), problems.end());
  print_failures(problems);
  batch::write_summary(o.out, rows);
  fmt::print(stderr, "stride batch: {} sessions: {} analysed, {} skipped (done before), {} failed -> {}/index.csv, "
                     "strides.csv, index.html\n",
             rows.size(), ok, skipped, failed + problems.size(), o.out);
  return exit_code(rows);
}

}  // namespace

Action add_batch(CLI::App& app) {
  auto o = std::make_shared<BatchOptions>();
  auto* cmd = app.add_subcommand("batch", "Analyse a whole archive: folders and globs, N threads, resumable; "
                                          "shards for Slurm job arrays (docs/batch.md)");
  cmd->add_option("inputs", o->inputs, "Folders (searched recursively for *.csv, *.tsv, *.zip), files or globs");
  cmd->add_option("--out", o->out, "Output folder: sessions/, index.csv, strides.csv, index.html")->required();
  cmd->add_option("--jobs,-j", o->jobs, "Worker threads (default: the CPUs this process may use)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--shard", o->shard, "Only this share I/K of the sessions (sorted by path, round-robin): one task "
                                       "of a job array ($SLURM_ARRAY_TASK_ID/K, $JOB_COMPLETION_INDEX/K)");
  cmd->add_flag("--merge", o->merge, "Build index.csv, strides.csv and index.html from what the shards wrote "
                                     "(with the inputs: checks that every session is there)");
  cmd->add_flag("--slurm", o->slurm, "Write the sbatch scripts (a job array and its merge) into --out and print how "
                                     "to submit them");
  cmd->add_option("--shards", o->shards, "--slurm: array tasks (default: the sessions, at most 8)")
      ->check(CLI::Range(1u, 1000u));
  cmd->add_flag("--no-pair", o->no_pair, "Analyse every file alone, even files recorded together");
  cmd->add_flag("--no-reports", o->no_reports, "No HTML report per session (the index links the JSON)");
  cmd->add_option("--flags-settings", o->flags_settings_path,
                  "JSON object of flag thresholds to override (docs/flags.md)")
      ->check(existing_file());
  return [o] { return run(*o); };
}

}  // namespace stride::cli
