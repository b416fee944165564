#include "tools/session/analyze_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "firmware_iface/import/formats.hpp"
#include "analysis/streaming_pipeline.hpp"
#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/import/streamed_input.hpp"
#include "tools/session/flag_settings_json.hpp"
#include "tools/session/session_json.hpp"
#include "tools/session/terminal_summary.hpp"
#include "tools/session/trust_windows.hpp"
#include "tools/document/session_document.hpp"

namespace stride::session {
namespace {

using nlohmann::json;

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> w;
  std::istringstream in(s);
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

std::string join(const std::vector<std::string>& w, std::size_t from, std::size_t to) {
  std::string s;
  for (std::size_t i = from; i < to; ++i) s += (s.empty() ? "" : " ") + w[i];
  return s;
}

// One title for both feet. When the feet differ in one number it is given per foot in place, e.g. "Foot-strike
// angle up +8.6 (left) / +8.9 (right) deg vs the start of the run". When they differ in more (a list of changes,
// or a change one foot lacks), each foot's own words follow the shared lead-in ("Form drifted during the run:"),
// so no number is read against the wrong name.
std::string merged_title(const std::string& left, const std::string& right) {
  if (left == right) return left;
  const auto a = words(left), b = words(right);
  std::size_t pre = 0, suf = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  if (a.size() - pre - suf == 1 && b.size() - pre - suf == 1) {
    const std::string head = join(a, 0, pre), tail = join(a, a.size() - suf, a.size());
    return (head.empty() ? "" : head + " ") + a[pre] + " (left) / " + b[pre] + " (right)" +
           (tail.empty() ? "" : " " + tail);
  }
  std::size_t lead = pre;  // the shared words up to the last one ending in ':'
  while (lead > 0 && a[lead - 1].back() != ':') --lead;
  const std::string head = join(a, 0, lead);
  return (head.empty() ? "" : head + " ") + join(a, lead, a.size()) + " (left); " + join(b, lead, b.size()) +
         " (right)";
}

// A flag both feet raised (same id) is said once, for both feet, with each foot's evidence and numbers.
std::vector<Flag> merge_feet(std::vector<Flag> left, std::vector<Flag> right) {
  std::vector<Flag> out;
  for (auto& l : left) {
    const auto twin = std::find_if(right.begin(), right.end(),
                                   [&](const Flag& r) { return r.id == l.id && r.side == "right"; });
    if (twin == right.end()) {
      out.push_back(std::move(l));
      continue;
    }
    Flag both = l;
    both.side = "both";
    both.title = merged_title(l.title, twin->title);
    if (l.rule != twin->rule) both.rule = "left: " + l.rule + "; right: " + twin->rule;
    both.evidence = "Left: " + l.evidence + " Right: " + twin->evidence;
    both.values.clear();
    for (const auto& [k, v] : l.values) both.values.emplace_back("left_" + k, v);
    for (const auto& [k, v] : twin->values) both.values.emplace_back("right_" + k, v);
    both.strides = l.strides + twin->strides;
    both.from_s = std::min(l.from_s, twin->from_s);
    both.to_s = std::max(l.to_s, twin->to_s);
    if (twin->severity == Flag::warn) both.severity = Flag::warn;
    twin->side.clear();  // taken
    out.push_back(std::move(both));
  }
  for (auto& r : right)
    if (r.side == "right") out.push_back(std::move(r));
  return out;
}

void apply_overrides(Recording& r, const AnalyzeRequest& q) {
  if (!q.side.empty()) r.meta.side = side_from_string(q.side).value_or(Side::unknown);
  if (!q.placement.empty()) r.meta.placement = placement_from_string(q.placement).value_or(Placement::unknown);
}

// The hook before output (the history); its flags go into the document. False: it failed, the session ends.
bool finish(SessionOutcome& out, std::vector<Flag>& flags, const AnalyzeRequest& q) {
  json& doc = out.doc.without_strides();
  make_valid_utf8(doc);  // file names, metadata and quoted cells may come in any encoding (strides: as written)
  if (!q.before_output || !out.error.empty()) return true;
  out.exit_code = q.before_output(out.doc, flags);
  if (out.exit_code != 0) {
    out.error = out.label + ": the session could not be completed";
    return false;
  }
  order_flags(flags);
  doc["flags"] = session_flags_json(flags);
  return true;
}

// Refuses what cannot be analysed alone (a phone app's gyroscope file without its accelerometer) and notes what is
// missing.
void check_for_analysis(io::Imported& imported, const std::vector<std::string>& parts) {
  if (!imported.report.has_acc)
    throw io::ImportError(imported.report.source + " holds a gyroscope only (" + imported.report.format +
                          "); give its accelerometer file too: stride analyze Accelerometer.csv Gyroscope.csv");
  // The apps that write one file per sensor: an accelerometer file alone is analysed, but say what is missing.
  const std::string& f = imported.report.format;
  const io::formats::Format* format = io::formats::find(f);
  if (!imported.report.has_gyro && parts.size() == 1 && format && format->one_sensor_per_file)
    imported.report.notes.push_back(f + " writes the gyroscope in a file of its own: give it too (stride analyze " +
                                    parts.front() + " GYROSCOPE_FILE, or the export's folder or zip) for stride "
                                    "lengths, speed and foot angles");
}

io::Imported import_for_analysis(const std::vector<std::string>& parts, const io::ImportOptions& options) {
  io::Imported imported = io::import_input(parts, options);
  check_for_analysis(imported, parts);
  return imported;
}

// Held samples reserved up front at most (a larger stream_above_samples grows the vector beyond it).
constexpr std::size_t kMaxReservedSamples = std::size_t{1} << 20;

// The streaming path (analysis/streaming_pipeline.hpp): the file read in passes, memory flat. A file of at most
// q.stream_above_samples samples is held from that first read and analysed whole (its samples in `imported`, no
// second parse), the faster way while the recording is small. False when the path does not cover the input; then
// nothing was analysed (and nothing sent to the trajectory sink). `streamed`: how to read the samples again, set when
// they were not held.
bool analyse_streamed(const SessionFiles& files, const AnalyzeRequest& q, io::Imported& imported,
                      SessionResult& result, std::optional<StreamedTrustFoot>& streamed) {
  if (!q.streaming) return false;
  RecordingScan scan;  // pass 1 of the analysis, gathered as the import reads the file
  std::vector<ImuSample> held;
  // Reserved, not grown: a doubling vector holds its old and new buffers together; untouched pages cost nothing.
  held.reserve(std::min(q.stream_above_samples, kMaxReservedSamples));
  bool holding = true;
  const auto first_read = [&](std::span<const ImuSample> block) {
    scan.add(block);
    if (holding && held.size() + block.size() > q.stream_above_samples) {
      holding = false;
      std::vector<ImuSample>().swap(held);  // large: streamed; the memory goes back before the passes
    }
    if (holding) held.insert(held.end(), block.begin(), block.end());
  };
  const auto refuse = [&q](const RecordingMeta& meta) {  // before the samples: no read wasted on a fallback
    Recording overridden{meta, {}, {}, {}};
    apply_overrides(overridden, q);
    return streamed_not_covered(overridden.meta);
  };
  io::StreamedOpen opened = io::open_streamed(files.parts(), q.import, first_read, refuse);
  if (!opened.file) return false;
  imported = std::move(opened.file->header);
  check_for_analysis(imported, files.parts());
  apply_overrides(imported.recording, q);
  if (holding) {
    imported.recording.samples = std::move(held);
    result = analyze(imported.recording, q.settings, q.trajectory_sink);
    return true;
  }
  const RecordingPasses passes{imported.recording.meta, imported.recording.gaps, opened.file->replay};
  StreamedAnalysis analysed = analyze_streamed(passes, q.settings, q.trajectory_sink, {}, &scan);
  if (!analysed.result) return false;
  result = std::move(*analysed.result);
  const double interval = scan.intervals().median_s();
  streamed = StreamedTrustFoot{"", nullptr, scan.samples(), scan.first_t_s(), scan.last_t_s(),
                               interval > 0 ? 1.0 / interval : 0.0, opened.file->replay};
  return true;
}

SessionOutcome one_sensor(const SessionFiles& files, const AnalyzeRequest& q) {
  SessionOutcome out;
  const std::string path = files.label();
  out.label = path;
  io::Imported imported;
  SessionResult result;
  std::optional<StreamedTrustFoot> streamed;
  if (!analyse_streamed(files, q, imported, result, streamed)) {
    imported = import_for_analysis(files.parts(), q.import);
    apply_overrides(imported.recording, q);
    result = analyze(imported.recording, q.settings, q.trajectory_sink);
  }
  std::vector<Flag> flags = evaluate_flags(result.strides, result.quality, result.summary,
                                           imported.recording.meta.placement, q.flag_settings);
  const Side side = imported.recording.meta.side;
  for (auto& f : flags) f.side = side == Side::unknown ? "" : std::string(to_string(side));
  if (result.strides.empty())
    out.error = fmt::format("{}: no strides could be analysed ({})", path,
                            result.warnings.empty() ? "no reason given" : result.warnings.back());
  json doc = session_without_strides_json(
      {path, input_hash(imported, files.parts()), &imported, &result, &q.settings, &flags, &q.flag_settings});
  const std::string foot = document::foot_key(std::string(to_string(side)));
  if (streamed) {
    streamed->side = foot;
    streamed->result = &result;
    doc["trust_windows"] = trust_windows_json(flags, *streamed, q.settings.trajectory);
  } else {
    doc["trust_windows"] = trust_windows_json(flags, {{foot, &imported.recording, &result}}, q.settings.trajectory);
  }
  // The strides go into the document as they are (moved, not copied) after the summary and the CSV have read them.
  out.doc = StreamedDocument(std::move(doc));
  if (!finish(out, flags, q)) return out;
  if (q.summary) print_summary(q.summary, path, imported, result, &flags);
  if (q.csv) write_stride_csv_rows(*q.csv, path, result.strides);
  out.doc.add_strides(foot, std::move(result.strides));
  return out;
}

SessionOutcome two_feet(const SessionFiles& files, const AnalyzeRequest& q) {
  SessionOutcome out;
  const bool same_file = files.path == files.right_path;
  out.label = same_file ? files.path : files.path + " + " + files.right_path;
  io::ImportOptions lo = q.import, ro = q.import;
  if (same_file) lo.sensor = "left_sensor", ro.sensor = "right_sensor";
  // Read one after the other (the analysis below runs the feet in parallel): importing both at once as well put
  // both imports' peaks of memory together, ~45 MB more for an hour at 1 kHz (docs/measuring.md), for ~0.5 s.
  io::Imported left = import_for_analysis({files.path}, lo);
  io::Imported right = import_for_analysis({files.right_path}, ro);
  if (same_file && (left.recording.meta.sensor != "left_sensor" || right.recording.meta.sensor != "right_sensor")) {
    out.error = files.path + ": --sensor both needs a file holding both feet (the gaitmap layout: left_sensor and "
                "right_sensor columns); this one holds one sensor. Analyse it alone, or give --left FILE --right FILE";
    return out;
  }
  apply_overrides(left.recording, q);
  apply_overrides(right.recording, q);
  left.recording.meta.side = Side::left;
  right.recording.meta.side = Side::right;
  const ClockAlignment clock = align_clocks(left.recording, right.recording, same_file);
  TwoFeetResult r = analyze_two_feet(left.recording, right.recording, q.settings);

  auto left_flags = evaluate_flags(r.left.strides, r.left.quality, r.left.summary, left.recording.meta.placement,
                                   q.flag_settings);
  auto right_flags = evaluate_flags(r.right.strides, r.right.quality, r.right.summary,
                                    right.recording.meta.placement, q.flag_settings);
  for (auto& x : left_flags) x.side = "left";
  for (auto& x : right_flags) x.side = "right";
  std::vector<Flag> flags = merge_feet(std::move(left_flags), std::move(right_flags));
  auto asym = evaluate_asymmetry(r.left.strides, r.right.strides, q.flag_settings);
  for (auto& x : asym) x.side = "both";
  flags.insert(flags.end(), asym.begin(), asym.end());
  order_flags(flags);

  if (r.left.strides.empty() && r.right.strides.empty())
    out.error = fmt::format("{}: no strides could be analysed on either foot", out.label);
  const std::string left_hash = input_hash(left, {files.path});
  const std::string right_hash = same_file ? left_hash : input_hash(right, {files.right_path});
  json doc = two_feet_session_without_strides_json(
      {{files.path, left_hash, &left, &r.left, &q.settings, nullptr, &q.flag_settings},
       {files.right_path, right_hash, &right, &r.right, &q.settings, nullptr, &q.flag_settings},
       &r.bilateral, &clock, &flags});
  doc["trust_windows"] = trust_windows_json(
      flags, {{"left", &left.recording, &r.left}, {"right", &right.recording, &r.right}}, q.settings.trajectory);
  out.doc = StreamedDocument(std::move(doc));
  if (!finish(out, flags, q)) return out;
  if (q.summary) print_two_feet_summary(q.summary, out.label, left, right, r, clock, flags);
  if (q.csv) {
    write_stride_csv_rows(*q.csv, files.path, r.left.strides);
    write_stride_csv_rows(*q.csv, files.right_path, r.right.strides);
  }
  out.doc.add_strides("left", std::move(r.left.strides));
  out.doc.add_strides("right", std::move(r.right.strides));
  return out;
}

}  // namespace

SessionOutcome analyse_session(const SessionFiles& files, const AnalyzeRequest& request) {
  try {
    return files.two_feet() ? two_feet(files, request) : one_sensor(files, request);
  } catch (const io::ImportError& e) {
    SessionOutcome out;
    out.label = files.label();
    out.error = e.what();
    return out;
  }
}

}  // namespace stride::session
