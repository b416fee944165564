// A whole archive of recordings at once (`stride batch`, docs/batch.md): folders and globs expanded into files,
// the files planned into sessions as `analyze` plans them (two feet paired), the sessions analysed on worker
// threads, and per session a document, a stride CSV fragment, an HTML report and a done-marker keyed by the hash of
// its inputs, so that a killed batch resumes and a changed file is redone. The summary outputs (index CSV, all
// strides CSV, HTML index) are rebuilt from the markers, by a one-shot run or by `--merge` after sharded runs
// (Slurm job arrays, Kubernetes Indexed Jobs: a deterministic round-robin share of the sessions sorted by path).
// May include tools/session, tools/report, fmt and nlohmann/json; no argument parsing, no terminal handling.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/session/analyze_session.hpp"
#include "tools/session/two_feet.hpp"

namespace stride::batch {

// This task's share: sessions i with i % count == index (of the plan sorted by path).
struct Shard {
  unsigned index = 0;
  unsigned count = 1;
};
// "I/K" with 0 <= I < K; nullopt otherwise.
std::optional<Shard> parse_shard(std::string_view text);

// The recording files named by `inputs`: a file as given; a folder searched recursively for *.csv, *.tsv, *.zip and
// *.strideb (hidden entries and anything inside `out_dir` skipped); a pattern with * ? [ expanded by glob(3) (folders it
// matches searched as above). Sorted, without duplicates. An input that names nothing becomes a problem
// ("INPUT: no such file or folder"), reported as a failed row rather than stopping the batch.
struct Expanded {
  std::vector<std::string> files;
  std::vector<std::string> problems;  // the inputs that named nothing, each with its reason
};
Expanded expand_inputs(const std::vector<std::string>& inputs, const std::string& out_dir);

// One session of the batch and the name of its outputs in OUT/sessions/ (NAME.json, NAME.html, NAME.strides.csv,
// NAME.done.json): the file's stem (+ "_two_feet"), made unique with 8 hex digits of its path's hash if needed.
struct PlannedSession {
  session::SessionFiles files;
  std::string name;
};
// session::plan_sessions (pairing unless `pair` is false), sorted by label; the same files give the same plan.
std::vector<PlannedSession> plan_batch(const std::vector<std::string>& files, bool pair);
std::vector<PlannedSession> shard_of(const std::vector<PlannedSession>& plan, Shard shard);

// One row of the index.
struct SessionRow {
  std::string file;                   // the session's label: "a.csv" or "left.csv + right.csv"
  std::string name;                   // its outputs' name in sessions/ (empty for an input that named nothing)
  std::string status;                 // "ok"; "failed" (error says why); "skipped" (done by an earlier run: the
                                      // inputs' hash matched its marker, nothing was redone)
  double duration_s = std::numeric_limits<double>::quiet_NaN();
  int strides = 0;                    // all strides (both feet for a pair)
  int valid_strides = 0;
  double distance_m = std::numeric_limits<double>::quiet_NaN();  // two feet: the mean of the feet's distances
  std::string flags;                  // flag ids, ';'-separated, in the document's order
  std::string error;
  bool has_json = false;              // sessions/NAME.json was written (also for a session without strides)
  bool has_report = false;            // sessions/NAME.html was written
};

struct Settings {
  std::string out_dir;
  unsigned jobs = 1;                  // worker threads
  bool html = true;                   // an HTML report per session
  session::AnalyzeRequest request;    // import options, pipeline and flag settings (summary and csv are set here)
  // Everything besides the input bytes that changes a session's outputs (tool version, flag settings): part of the
  // key, so a changed setting redoes every session.
  std::string key_salt;
};

// The key of a session's done-marker: the salt, each input's path and the FNV-1a hash of its bytes.
std::string session_key(const session::SessionFiles& files, const std::string& salt);

struct Progress {
  std::size_t done = 0, total = 0, failed = 0, skipped = 0;
  double elapsed_s = 0;
  std::string last;                   // the session just finished
};

struct RunResult {
  std::vector<SessionRow> rows;       // in plan order
  std::string system_error;           // not empty: an output could not be written (a full disk); the batch stopped
};

// Analyses `plan` on settings.jobs threads: a session whose marker matches its key is skipped (status "skipped");
// every other one is analysed and its outputs written through session::OutputFile, the marker last. A session that
// fails is a failed row; only a failed write stops the batch. `progress` is called (serialised) after each session.
RunResult run_sessions(const std::vector<PlannedSession>& plan, const Settings& settings,
                       const std::function<void(const Progress&)>& progress = {});

// The rows as the markers in OUT/sessions/ record them: for the planned sessions (a missing marker or one whose key
// no longer matches is a failed row saying so), or, with no plan, every marker found there.
std::vector<SessionRow> collect_rows(const std::string& out_dir, const std::vector<PlannedSession>& plan,
                                     const std::string& key_salt);
std::vector<SessionRow> collect_all_rows(const std::string& out_dir);
// Rows for the inputs that named nothing.
std::vector<SessionRow> problem_rows(const std::vector<std::string>& problems);

// OUT/index.csv, OUT/strides.csv (the sessions' fragments under one header, as `analyze --csv` writes it) and
// OUT/index.html (self-contained; links each session's report, else its JSON). Rows are written sorted by file.
void write_summary(const std::string& out_dir, std::vector<SessionRow> rows);

// The sbatch scripts of a sharded run: OUT/stride-batch.sbatch (an array of `shards` tasks, each
// `EXE ARGS --shard $SLURM_ARRAY_TASK_ID/K`) and OUT/stride-batch-merge.sbatch (`EXE MERGE_ARGS`), both run in
// `workdir`, logs in OUT/slurm/. Returns the commands that submit them (the merge with afterok on the array).
struct SlurmJob {
  std::string exe;                    // the exact stride binary
  std::vector<std::string> args;      // batch arguments for every task (inputs, --out, options; not --shard)
  std::vector<std::string> merge_args;
  std::string workdir;
  std::string out_dir;                // as given (relative to workdir)
  unsigned shards = 1;
  unsigned cpus_per_task = 0;         // 0: Slurm's default
};
std::string write_slurm_scripts(const SlurmJob& job);

// Single-quoted for a POSIX shell.
std::string shell_quote(std::string_view s);

}  // namespace stride::batch
