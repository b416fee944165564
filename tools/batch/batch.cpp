#include "tools/batch/batch.hpp"

#include <fmt/format.h>
#include <glob.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "tools/document/session_document.hpp"
#include "tools/report/html_report.hpp"
#include "tools/report/svg_plot.hpp"
#include "tools/session/output_file.hpp"
#include "tools/session/session_json.hpp"

namespace stride::batch {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 14695981039346656037ull) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_recording_name(const fs::path& p) {
  const std::string ext = lower(p.extension().string());
  return ext == ".csv" || ext == ".tsv" || ext == ".zip" || ext == ".strideb";
}

bool hidden(const fs::path& p) {
  const std::string n = p.filename().string();
  return !n.empty() && n[0] == '.';
}

// Canonical (or at least absolute and normal) form, to tell whether a path is inside the output folder.
fs::path canonical_or_normal(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  if (ec) c = fs::absolute(p, ec).lexically_normal();
  return c;
}

bool inside(const fs::path& p, const fs::path& dir) {
  if (dir.empty()) return false;
  const auto rel = canonical_or_normal(p).lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

void add_folder(const fs::path& dir, const fs::path& out, std::vector<std::string>& files) {
  std::error_code ec;
  if (inside(dir, out) || canonical_or_normal(dir) == out) return;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (hidden(p) || (it->is_directory(ec) && (canonical_or_normal(p) == out))) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && is_recording_name(p)) files.push_back(p.string());
  }
}

std::string number(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string();
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

double num(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// The index numbers of a session document (one sensor or two feet).
void fill_from_doc(SessionRow& row, const json& doc) {
  const auto foot = [&](const json& d, double& duration, int& strides, int& valid, double& distance) {
    const json& s = d.contains("summary") ? d["summary"] : json::object();
    duration = num(s, "duration_s");
    strides = static_cast<int>(std::isfinite(num(s, "strides_total")) ? num(s, "strides_total") : 0);
    valid = static_cast<int>(std::isfinite(num(s, "strides_valid")) ? num(s, "strides_valid") : 0);
    distance = d.contains("spatial") ? num(d["spatial"], "distance_m") : std::numeric_limits<double>::quiet_NaN();
  };
  // One sensor or two feet, in any layout (tools/document): duration the longest foot's, strides summed, distance
  // the feet's mean (both feet cover the same ground).
  double distance_sum = 0;
  int distance_n = 0;
  for (const auto& f : document::feet(doc)) {
    double duration = NAN, distance = NAN;
    int strides = 0, valid = 0;
    foot(*f.doc, duration, strides, valid, distance);
    if (std::isfinite(duration)) row.duration_s = std::isfinite(row.duration_s) ? std::max(row.duration_s, duration) : duration;
    row.strides += strides;
    row.valid_strides += valid;
    if (std::isfinite(distance)) {
      distance_sum += distance;
      ++distance_n;
    }
  }
  row.distance_m = distance_n ? distance_sum / distance_n : std::numeric_limits<double>::quiet_NaN();
  std::string ids;
  if (doc.contains("flags") && doc["flags"].is_array())
    for (const auto& f : doc["flags"])
      if (f.contains("id") && f["id"].is_string()) {
        const std::string id = f["id"].get<std::string>();  // once, even when both feet raised it apart
        if ((";" + ids + ";").find(";" + id + ";") == std::string::npos) ids += (ids.empty() ? "" : ";") + id;
      }
  row.flags = ids;
}

json marker_json(const SessionRow& r, const std::string& key, const PlannedSession& s) {
  const auto opt = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  return {{"key", key},
          {"file", r.file},
          {"inputs", s.files.two_feet() && s.files.right_path != s.files.path
                         ? std::vector<std::string>{s.files.path, s.files.right_path}
                         : s.files.parts()},
          {"status", r.status},
          {"duration_s", opt(r.duration_s)},
          {"strides", r.strides},
          {"valid_strides", r.valid_strides},
          {"distance_m", opt(r.distance_m)},
          {"flags", r.flags},
          {"error", r.error},
          {"json", r.has_json},
          {"report", r.has_report}};
}

// A count in a marker. The marker is stride's own file, but it is read back from disk like any input: anything but
// a whole number in an int's range makes the marker unreadable (the session is analysed again), never an integer
// cast of, say, 1e300.
std::optional<int> marker_count(const json& m, const char* key) {
  const json& v = m.at(key);
  if (v.is_number_unsigned()) {
    if (const auto x = v.get<std::uint64_t>(); x <= static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
      return static_cast<int>(x);
  } else if (v.is_number_integer()) {
    if (const auto x = v.get<std::int64_t>(); x >= 0 && x <= std::numeric_limits<int>::max()) return static_cast<int>(x);
  }
  return std::nullopt;
}

std::optional<SessionRow> row_from_marker(const json& m, const std::string& name) {
  try {
    SessionRow r;
    r.name = name;
    r.file = m.at("file").get<std::string>();
    r.status = m.at("status").get<std::string>();
    r.duration_s = num(m, "duration_s");
    const std::optional<int> strides = marker_count(m, "strides"), valid = marker_count(m, "valid_strides");
    if (!strides || !valid) return std::nullopt;
    r.strides = *strides;
    r.valid_strides = *valid;
    r.distance_m = num(m, "distance_m");
    r.flags = m.at("flags").get<std::string>();
    r.error = m.at("error").get<std::string>();
    r.has_json = m.at("json").get<bool>();
    r.has_report = m.at("report").get<bool>();
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::optional<json> read_json(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  try {
    return json::parse(in);
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

fs::path sessions_dir(const std::string& out) { return fs::path(out) / "sessions"; }
fs::path marker_path(const std::string& out, const std::string& name) {
  return sessions_dir(out) / (name + ".done.json");
}

// A marker that says this session is done for this key, with its outputs still there.
std::optional<SessionRow> done_row(const std::string& out, const std::string& name, const std::string& key) {
  const auto m = read_json(marker_path(out, name));
  if (!m || !m->is_object() || m->value("key", "") != key || m->value("status", "") != "ok") return std::nullopt;
  auto row = row_from_marker(*m, name);
  if (!row) return std::nullopt;
  std::error_code ec;
  const auto dir = sessions_dir(out);
  if ((row->has_json && !fs::exists(dir / (name + ".json"), ec)) ||
      (row->has_report && !fs::exists(dir / (name + ".html"), ec)) || !fs::exists(dir / (name + ".strides.csv"), ec))
    return std::nullopt;
  return row;
}

// Analyses one session and writes its outputs, the marker last. Throws session::OutputError on a failed write.
SessionRow process(const PlannedSession& s, const Settings& settings) {
  const std::string key = session_key(s.files, settings.key_salt);
  if (auto row = done_row(settings.out_dir, s.name, key)) {
    row->status = "skipped";
    return *row;
  }
  const fs::path dir = sessions_dir(settings.out_dir);
  std::error_code ec;
  fs::remove(marker_path(settings.out_dir, s.name), ec);  // redone from here on: no stale "done" if we are killed
  SessionRow row;
  row.file = s.files.label();
  row.name = s.name;
  session::AnalyzeRequest request = settings.request;  // each worker its own: nothing mutable is shared
  std::ostringstream csv;
  request.csv = &csv;
  request.summary = nullptr;
  request.before_output = {};
  request.trajectory_sink = {};
  session::SessionOutcome outcome;
  try {
    outcome = session::analyse_session(s.files, request);
  } catch (const std::exception& e) {  // anything the analysis did not expect: this session fails, the batch goes on
    outcome = {};
    outcome.label = row.file;
    outcome.error = fmt::format("{}: {}", row.file, e.what());
  }
  row.status = outcome.analysed() ? "ok" : "failed";
  row.error = outcome.error;
  if (!outcome.doc.is_null()) {
    fill_from_doc(row, outcome.doc.without_strides());
    session::write_document_file((dir / (s.name + ".json")).string(), outcome.doc, 2);
    row.has_json = true;
    if (settings.html) {
      session::write_file((dir / (s.name + ".html")).string(), report::render_html_report({outcome.doc.materialise()}, {}));
      row.has_report = true;
    }
  }
  if (!row.has_json) fs::remove(dir / (s.name + ".json"), ec);
  if (!row.has_report) fs::remove(dir / (s.name + ".html"), ec);
  session::write_file((dir / (s.name + ".strides.csv")).string(), csv.str());
  session::write_file(marker_path(settings.out_dir, s.name).string(), marker_json(row, key, s).dump(2) + "\n");
  return row;
}

std::string url_escape(std::string_view s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string index_html(const std::vector<SessionRow>& rows) {
  using report::svg::escape;
  std::size_t ok = 0, failed = 0, skipped = 0;
  for (const auto& r : rows) (r.status == "failed" ? failed : r.status == "skipped" ? skipped : ok)++;
  std::string h;
  h += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>stride batch</title>\n";
  h += "<style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}"
       "th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
       "td.n{text-align:right;font-variant-numeric:tabular-nums}tr.failed td{background:#fdecea}"
       ".err{color:#a00;font-size:90%;max-width:40em;overflow-wrap:anywhere}</style></head><body>\n";
  h += fmt::format("<h1>stride batch</h1>\n<p>{} session{}: {} ok, {} skipped (done before), {} failed. Data: "
                   "<a href=\"index.csv\">index.csv</a>, <a href=\"strides.csv\">strides.csv</a>.</p>\n",
                   rows.size(), rows.size() == 1 ? "" : "s", ok, skipped, failed);
  h += "<table><thead><tr><th>Session</th><th>Status</th><th>Duration [s]</th><th>Strides</th><th>Valid</th>"
       "<th>Distance [m]</th><th>Flags</th><th>Error</th></tr></thead><tbody>\n";
  for (const auto& r : rows) {
    std::string file = escape(r.file);
    if (r.has_report) file = fmt::format("<a href=\"sessions/{}\">{}</a>", escape(url_escape(r.name + ".html")), file);
    else if (r.has_json) file = fmt::format("<a href=\"sessions/{}\">{}</a>", escape(url_escape(r.name + ".json")), file);
    h += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                     "<td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"err\">{}</td></tr>\n",
                     escape(r.status), file, escape(r.status), number(r.duration_s, 1), r.strides, r.valid_strides,
                     number(r.distance_m, 0), escape(r.flags), escape(r.error));
  }
  h += "</tbody></table>\n</body></html>\n";
  return h;
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Shard s;
  const auto a = text.substr(0, slash), b = text.substr(slash + 1);
  const auto ra = std::from_chars(a.data(), a.data() + a.size(), s.index);
  const auto rb = std::from_chars(b.data(), b.data() + b.size(), s.count);
  if (a.empty() || b.empty() || ra.ec != std::errc() || ra.ptr != a.data() + a.size() || rb.ec != std::errc() ||
      rb.ptr != b.data() + b.size() || s.count == 0 || s.index >= s.count)
    return std::nullopt;
  return s;
}

Expanded expand_inputs(const std::vector<std::string>& inputs, const std::string& out_dir) {
  Expanded e;
  const fs::path out = out_dir.empty() ? fs::path() : canonical_or_normal(out_dir);
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    const auto st = fs::status(in, ec);
    if (fs::is_directory(st)) {
      add_folder(in, out, files);
    } else if (fs::exists(st)) {
      files.push_back(in);
    } else if (in.find_first_of("*?[") != std::string::npos) {
      glob_t g{};
      const int rc = ::glob(in.c_str(), 0, nullptr, &g);
      if (rc == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
          const std::string p = g.gl_pathv[i];
          if (fs::is_directory(p, ec)) add_folder(p, out, files);
          else if (!inside(p, out)) files.push_back(p);
        }
      } else {
        e.problems.push_back(in + ": matches no file");
      }
      globfree(&g);
    } else if (ec && ec != std::errc::no_such_file_or_directory) {
      e.problems.push_back(in + ": " + ec.message());  // EACCES, ENOTDIR, ...: the system's reason, not "no such"
    } else {
      e.problems.push_back(in + ": no such file or folder");
    }
  }
  std::set<std::string> seen;
  for (auto& f : files) {
    if (seen.insert(fs::path(f).lexically_normal().string()).second) e.files.push_back(std::move(f));
  }
  std::sort(e.files.begin(), e.files.end());
  return e;
}

std::vector<PlannedSession> plan_batch(const std::vector<std::string>& files, bool pair) {
  std::vector<PlannedSession> plan;
  for (auto& f : session::plan_sessions(files, pair)) plan.push_back({f, ""});
  std::sort(plan.begin(), plan.end(),
            [](const PlannedSession& a, const PlannedSession& b) { return a.files.label() < b.files.label(); });
  std::map<std::string, int> uses;
  const auto base = [](const PlannedSession& s) {
    return fs::path(s.files.path).stem().string() + (s.files.two_feet() ? "_two_feet" : "");
  };
  for (const auto& s : plan) ++uses[base(s)];
  for (auto& s : plan) {
    s.name = base(s);
    if (uses[s.name] > 1) s.name += fmt::format("-{:08x}", fnv1a(s.files.label()) & 0xffffffffu);
  }
  return plan;
}

std::vector<PlannedSession> shard_of(const std::vector<PlannedSession>& plan, Shard shard) {
  std::vector<PlannedSession> out;
  for (std::size_t i = shard.index; i < plan.size(); i += shard.count) out.push_back(plan[i]);
  return out;
}

std::string session_key(const session::SessionFiles& files, const std::string& salt) {
  std::string text = salt;
  std::vector<std::string> inputs = files.parts();
  if (files.two_feet() && files.right_path != files.path) inputs.push_back(files.right_path);
  if (files.two_feet()) text += "\ntwo_feet";
  for (const auto& p : inputs) text += "\n" + p + "\t" + session::hash_file(p);
  return fmt::format("{:016x}", fnv1a(text));
}

RunResult run_sessions(const std::vector<PlannedSession>& plan, const Settings& settings,
                       const std::function<void(const Progress&)>& progress) {
  RunResult result;
  result.rows.resize(plan.size());
  fs::create_directories(sessions_dir(settings.out_dir));  // throws filesystem_error naming the folder
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  Progress p;
  p.total = plan.size();
  const auto start = std::chrono::steady_clock::now();
  const auto work = [&] {
    while (!stop) {
      const std::size_t i = next++;
      if (i >= plan.size()) return;
      SessionRow row;
      try {
        row = process(plan[i], settings);
      } catch (const std::exception& e) {  // an output could not be written: every later one would fail too
        std::lock_guard lock(mutex);
        if (result.system_error.empty()) result.system_error = e.what();
        stop = true;
        return;
      }
      std::lock_guard lock(mutex);
      ++p.done;
      if (row.status == "failed") ++p.failed;
      if (row.status == "skipped") ++p.skipped;
      p.last = row.file;
      p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      result.rows[i] = std::move(row);
      if (progress) progress(p);
    }
  };
  const unsigned n = std::max(1u, std::min<unsigned>(settings.jobs, static_cast<unsigned>(plan.size())));
  std::vector<std::jthread> workers;
  for (unsigned t = 1; t < n; ++t) workers.emplace_back(work);
  work();
  workers.clear();  // joins
  return result;
}

std::vector<SessionRow> collect_rows(const std::string& out_dir, const std::vector<PlannedSession>& plan,
                                     const std::string& key_salt) {
  std::vector<SessionRow> rows;
  for (const auto& s : plan) {
    const auto m = read_json(marker_path(out_dir, s.name));
    std::optional<SessionRow> row = m ? row_from_marker(*m, s.name) : std::nullopt;
    if (!row) {
      SessionRow r;
      r.file = s.files.label();
      r.name = s.name;
      r.status = "failed";
      r.error = r.file + ": not analysed: no result in " + out_dir + " (did every shard finish?)";
      rows.push_back(r);
      continue;
    }
    if (m->value("key", "") != session_key(s.files, key_salt)) {
      row->status = "failed";
      row->error = row->file + ": the input or the settings changed after it was analysed; run the batch again";
    }
    rows.push_back(*row);
  }
  return rows;
}

std::vector<SessionRow> collect_all_rows(const std::string& out_dir) {
  std::vector<SessionRow> rows;
  std::error_code ec;
  for (fs::directory_iterator it(sessions_dir(out_dir), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string f = it->path().filename().string();
    const std::string suffix = ".done.json";
    if (f.size() <= suffix.size() || f.compare(f.size() - suffix.size(), suffix.size(), suffix) != 0 || f[0] == '.')
      continue;
    const auto m = read_json(it->path());
    if (auto row = m ? row_from_marker(*m, f.substr(0, f.size() - suffix.size())) : std::nullopt)
      rows.push_back(*row);
  }
  return rows;
}

std::vector<SessionRow> problem_rows(const std::vector<std::string>& problems) {
  std::vector<SessionRow> rows;
  for (const auto& p : problems) {
    SessionRow r;
    r.file = p.substr(0, p.rfind(": "));
    r.status = "failed";
    r.error = p;
    rows.push_back(r);
  }
  return rows;
}

void write_summary(const std::string& out_dir, std::vector<SessionRow> rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const SessionRow& a, const SessionRow& b) { return a.file < b.file; });
  const fs::path out(out_dir);
  fs::create_directories(out);
  {
    session::OutputFile index((out / "index.csv").string());
    auto& o = index.stream();
    o << "file,status,duration_s,strides,valid_strides,distance_m,flags,error\n";
    for (const auto& r : rows)
      o << csv_cell(r.file) << ',' << r.status << ',' << number(r.duration_s, 2) << ',' << r.strides << ','
        << r.valid_strides << ',' << number(r.distance_m, 1) << ',' << csv_cell(r.flags) << ',' << csv_cell(r.error)
        << '\n';
    index.commit();
  }
  {
    session::OutputFile strides((out / "strides.csv").string());
    session::write_stride_csv_header(strides.stream());
    for (const auto& r : rows) {
      if (r.name.empty()) continue;
      std::ifstream in(sessions_dir(out_dir) / (r.name + ".strides.csv"), std::ios::binary);
      const std::string rows_of_session{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      strides.stream() << rows_of_session;  // (`<< rdbuf()` of an empty file would set failbit)
    }
    strides.commit();
  }
  session::write_file((out / "index.html").string(), index_html(rows));
}

std::string shell_quote(std::string_view s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string write_slurm_scripts(const SlurmJob& job) {
  const fs::path out(job.out_dir);
  const fs::path logs = out / "slurm";
  fs::create_directories(logs);
  const auto words = [](const std::vector<std::string>& a) {
    std::string s;
    for (const auto& w : a) s += " " + shell_quote(w);
    return s;
  };
  const auto header = [&](const std::string& name, const std::string& log) {
    std::string h = "#!/bin/bash\n";
    h += "# Written by `stride batch --slurm` (docs/batch.md). Submit with the commands it printed.\n";
    h += "#SBATCH --job-name=" + name + "\n";
    h += "#SBATCH --chdir=" + job.workdir + "\n";
    h += "#SBATCH --output=" + (fs::absolute(logs) / log).string() + "\n";
    return h;
  };
  std::string array = header("stride-batch", "stride-batch-%A_%a.out");
  array += fmt::format("#SBATCH --array=0-{}\n", job.shards - 1);
  if (job.cpus_per_task > 0) array += fmt::format("#SBATCH --cpus-per-task={}\n", job.cpus_per_task);
  array += "set -eu\n";
  array += "exec " + shell_quote(job.exe) + words(job.args) +
           fmt::format(" --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\"\n", job.shards);
  std::string merge = header("stride-batch-merge", "stride-batch-merge-%j.out");
  merge += "set -eu\n";
  merge += "exec " + shell_quote(job.exe) + words(job.merge_args) + "\n";
  const fs::path array_path = out / "stride-batch.sbatch", merge_path = out / "stride-batch-merge.sbatch";
  session::write_file(array_path.string(), array);
  session::write_file(merge_path.string(), merge);
  fs::permissions(array_path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  fs::permissions(merge_path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  return fmt::format("array=$(sbatch --parsable {})\nsbatch --parsable --dependency=afterok:\"${{array%%;*}}\" "
                     "--kill-on-invalid-dep=yes {}\n",
                     shell_quote(array_path.string()), shell_quote(merge_path.string()));
}

}  // namespace stride::batch
