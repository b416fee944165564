#include "tools/session/analyze_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <optional>
#include <sstream>

#include "firmware_iface/import/formats.hpp"
#include "analysis/streaming_pipeline.hpp"
#include "firmware_iface/import/import_input.hpp"
#include "firmware_iface/import/streamed_input.hpp"
#include "tools/session/first_read_samples.hpp"
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

// One sensor's input opened for the streaming path (analysis/streaming_pipeline.hpp) by its first read, which also
// gathered pass 1 of the analysis. A file of at most q.stream_above_samples samples is held from that read (its
// samples in `imported`, no second parse) and analysed whole, the faster way while the recording is small; a larger
// text file is spooled by that read (FirstReadSamples), so it is parsed once.
struct OpenedFoot {
  io::Imported imported;             // the header (meta, gaps, clock marks, report); the samples when held
  RecordingScan scan;                // over the samples as the file has them
  bool scan_current = true;          // false once the times were moved (two feet on one clock): scan again
  bool held = true;
  std::function<void(const io::SampleSink&)> replay;  // when not held: the samples again, in blocks
  double scale = 1.0, shift = 0.0;   // how the times were moved (move_clock): the scan's are the file's
};

// nullopt when the streaming path does not cover the input (said by its header, or by its clock once read).
std::optional<OpenedFoot> open_foot(const std::vector<std::string>& parts, const io::ImportOptions& options,
                                    const AnalyzeRequest& q) {
  OpenedFoot foot;
  const bool spool = q.spool && !io::replays_binary(parts, options);  // a .strideb replays as fast
  FirstReadSamples kept(q.stream_above_samples, q.spool_dir, spool);
  const auto first_read = [&](std::span<const ImuSample> block) {
    foot.scan.add(block);
    kept.add(block);
  };
  const auto refuse = [&q](const RecordingMeta& meta) {  // before the samples: no read wasted on a fallback
    Recording overridden{meta, {}, {}, {}};
    apply_overrides(overridden, q);
    return streamed_not_covered(overridden.meta);
  };
  io::StreamedOpen opened = io::open_streamed(parts, options, first_read, refuse);
  if (!opened.file) return std::nullopt;
  foot.imported = std::move(opened.file->header);
  check_for_analysis(foot.imported, parts);
  apply_overrides(foot.imported.recording, q);
  foot.held = kept.holding();
  if (foot.held) foot.imported.recording.samples = kept.take_held();
  else foot.replay = kept.replay(std::move(opened.file->replay), foot.imported.report);
  return foot;
}

// An input the streaming path does not cover: imported whole, held.
OpenedFoot imported_whole(const std::vector<std::string>& parts, const io::ImportOptions& options,
                          const AnalyzeRequest& q) {
  OpenedFoot foot;
  foot.imported = import_for_analysis(parts, options);
  apply_overrides(foot.imported.recording, q);
  return foot;
}

// t -> scale * t + shift for the foot's samples (as retime does for a held recording), gaps and clock marks.
void move_clock(OpenedFoot& foot, double scale, double shift) {
  if (scale == 1.0 && shift == 0.0) return;
  retime(foot.imported.recording, scale, shift);
  foot.scale = scale;
  foot.shift = shift;
  if (foot.held) return;
  foot.scan_current = false;
  foot.replay = [inner = std::move(foot.replay), scale, shift](const io::SampleSink& sink) {
    std::vector<ImuSample> moved;
    inner([&](std::span<const ImuSample> block) {
      moved.assign(block.begin(), block.end());
      for (auto& x : moved) x.t_s = scale * x.t_s + shift;
      sink(moved);
    });
  };
}

// A streamed foot held after all: its samples from its replay, so the file is not parsed again (the spool, or a
// .strideb's blocks; the file itself only where no spool could be written), on the clock move_clock put them on.
void hold_replayed(OpenedFoot& foot) {
  std::vector<ImuSample>& samples = foot.imported.recording.samples;
  samples.reserve(foot.scan.samples());
  foot.replay([&](std::span<const ImuSample> block) { samples.insert(samples.end(), block.begin(), block.end()); });
  foot.replay = nullptr;  // the spool goes
  foot.held = true;
}

// The foot analysed: whole when held, else in passes. One the passes decline (the samples said no: no gyroscope,
// clipping to repair, ...) before analysing anything or sending a pose to the trajectory sink is held from its
// replay and analysed whole.
SessionResult analyse_foot(OpenedFoot& foot, const AnalyzeRequest& q,
                           const std::function<void(std::size_t, const FootPose&)>& trajectory_sink) {
  if (!foot.held) {
    const RecordingPasses passes{foot.imported.recording.meta, foot.imported.recording.gaps, foot.replay};
    StreamedAnalysis analysed =
        analyze_streamed(passes, q.settings, trajectory_sink, {}, foot.scan_current ? &foot.scan : nullptr);
    if (analysed.result) return std::move(*analysed.result);
    hold_replayed(foot);
  }
  return analyze(foot.imported.recording, q.settings, trajectory_sink);
}

// What the trust windows read of a foot analysed by analyse_foot: its replay, or its held samples in blocks.
StreamedTrustFoot trust_foot(const OpenedFoot& foot, std::string side, const SessionResult& result) {
  const auto& samples = foot.imported.recording.samples;
  if (foot.held) {
    const double interval = median_interval_s(samples);
    return {std::move(side), &result, samples.size(), samples.empty() ? 0.0 : samples.front().t_s,
            samples.empty() ? 0.0 : samples.back().t_s, interval > 0 ? 1.0 / interval : 0.0,
            [&samples](const io::SampleSink& sink) {
              for (std::size_t i = 0; i < samples.size(); i += io::kBlockSamples)
                sink(std::span(samples).subspan(i, std::min(io::kBlockSamples, samples.size() - i)));
            }};
  }
  // The first read's statistics, on the clock the samples were moved to.
  const double interval = foot.scale * foot.scan.intervals().median_s();
  const auto moved = [&foot](double t) { return foot.scale * t + foot.shift; };
  return {std::move(side), &result, foot.scan.samples(), moved(foot.scan.first_t_s()), moved(foot.scan.last_t_s()),
          interval > 0 ? 1.0 / interval : 0.0, foot.replay};
}

SessionOutcome one_sensor(const SessionFiles& files, const AnalyzeRequest& q) {
  SessionOutcome out;
  const std::string path = files.label();
  out.label = path;
  std::optional<OpenedFoot> opened;
  if (q.streaming) opened = open_foot(files.parts(), q.import, q);
  OpenedFoot foot = opened ? std::move(*opened) : imported_whole(files.parts(), q.import, q);
  SessionResult result = analyse_foot(foot, q, q.trajectory_sink);
  const io::Imported& imported = foot.imported;
  std::vector<Flag> flags = evaluate_flags(result.strides, result.quality, result.summary,
                                           imported.recording.meta.placement, q.flag_settings);
  const Side side = imported.recording.meta.side;
  for (auto& f : flags) f.side = side == Side::unknown ? "" : std::string(to_string(side));
  if (result.strides.empty())
    out.error = fmt::format("{}: no strides could be analysed ({})", path,
                            result.warnings.empty() ? "no reason given" : result.warnings.back());
  json doc = session_without_strides_json(
      {path, input_hash(imported, files.parts()), &imported, &result, &q.settings, &flags, &q.flag_settings});
  const std::string side_key = document::foot_key(std::string(to_string(side)));
  doc["trust_windows"] =
      foot.held ? trust_windows_json(flags, {{side_key, &imported.recording, &result}}, q.settings.trajectory)
                : trust_windows_json(flags, {trust_foot(foot, side_key, result)}, q.settings.trajectory);
  // The strides go into the document as they are (moved, not copied) after the summary and the CSV have read them.
  out.doc = StreamedDocument(std::move(doc));
  if (!finish(out, flags, q)) return out;
  if (q.summary) print_summary(q.summary, path, imported, result, &flags);
  if (q.csv) write_stride_csv_rows(*q.csv, path, result.strides);
  out.doc.add_strides(side_key, std::move(result.strides));
  return out;
}

SessionOutcome two_feet(const SessionFiles& files, const AnalyzeRequest& q) {
  SessionOutcome out;
  const bool same_file = files.path == files.right_path;
  out.label = same_file ? files.path : files.path + " + " + files.right_path;
  io::ImportOptions lo = q.import, ro = q.import;
  if (same_file) lo.sensor = "left_sensor", ro.sensor = "right_sensor";
  // The streaming path: each file's first read on a thread of its own (a held file keeps its samples from it). A
  // file it does not cover is imported whole, the other keeping what its first read kept (it is not parsed again);
  // without it both are imported whole, one after the other: importing both at once put both imports' peaks of
  // memory together, ~45 MB more for an hour at 1 kHz (docs/measuring.md), for ~0.5 s.
  std::optional<OpenedFoot> left, right;
  if (q.streaming) {
    auto right_open = std::async(std::launch::async, [&] { return open_foot({files.right_path}, ro, q); });
    left = open_foot({files.path}, lo, q);
    right = right_open.get();
  }
  if (!left) left = imported_whole({files.path}, lo, q);
  if (!right) right = imported_whole({files.right_path}, ro, q);
  Recording& lrec = left->imported.recording;
  Recording& rrec = right->imported.recording;
  if (same_file && (lrec.meta.sensor != "left_sensor" || rrec.meta.sensor != "right_sensor")) {
    out.error = files.path + ": --sensor both needs a file holding both feet (the gaitmap layout: left_sensor and "
                "right_sensor columns); this one holds one sensor. Analyse it alone, or give --left FILE --right FILE";
    return out;
  }
  lrec.meta.side = Side::left;
  rrec.meta.side = Side::right;
  ClockAlignment clock;
  TwoFeetResult r;
  if (left->held && right->held) {
    clock = align_clocks(lrec, rrec, same_file);
    r = analyze_two_feet(lrec, rrec, q.settings);
  } else {
    std::optional<double> right_first;
    if (right->held ? !rrec.samples.empty() : right->scan.samples() > 0)
      right_first = right->held ? rrec.samples.front().t_s : right->scan.first_t_s();
    clock = plan_clocks(lrec, rrec, right_first, same_file);
    move_clock(*left, 1.0, clock.left_shift_s);
    move_clock(*right, clock.right_scale, clock.right_shift_s);
    // Each foot on a core, as analyze_two_feet does.
    auto right_result = std::async(std::launch::async, [&] { return analyse_foot(*right, q, {}); });
    SessionResult left_result = analyse_foot(*left, q, {});
    r = combine_two_feet(std::move(left_result), right_result.get());
  }
  const io::Imported& left_imported = left->imported;
  const io::Imported& right_imported = right->imported;

  auto left_flags = evaluate_flags(r.left.strides, r.left.quality, r.left.summary, lrec.meta.placement,
                                   q.flag_settings);
  auto right_flags = evaluate_flags(r.right.strides, r.right.quality, r.right.summary,
                                    rrec.meta.placement, q.flag_settings);
  for (auto& x : left_flags) x.side = "left";
  for (auto& x : right_flags) x.side = "right";
  std::vector<Flag> flags = merge_feet(std::move(left_flags), std::move(right_flags));
  auto asym = evaluate_asymmetry(r.left.strides, r.right.strides, q.flag_settings);
  for (auto& x : asym) x.side = "both";
  flags.insert(flags.end(), asym.begin(), asym.end());
  order_flags(flags);

  if (r.left.strides.empty() && r.right.strides.empty())
    out.error = fmt::format("{}: no strides could be analysed on either foot", out.label);
  const std::string left_hash = input_hash(left_imported, {files.path});
  const std::string right_hash = same_file ? left_hash : input_hash(right_imported, {files.right_path});
  json doc = two_feet_session_without_strides_json(
      {{files.path, left_hash, &left_imported, &r.left, &q.settings, nullptr, &q.flag_settings},
       {files.right_path, right_hash, &right_imported, &r.right, &q.settings, nullptr, &q.flag_settings},
       &r.bilateral, &clock, &flags});
  doc["trust_windows"] =
      left->held && right->held
          ? trust_windows_json(flags, {{"left", &lrec, &r.left}, {"right", &rrec, &r.right}}, q.settings.trajectory)
          : trust_windows_json(flags, {trust_foot(*left, "left", r.left), trust_foot(*right, "right", r.right)},
                               q.settings.trajectory);
  out.doc = StreamedDocument(std::move(doc));
  if (!finish(out, flags, q)) return out;
  if (q.summary) print_two_feet_summary(q.summary, out.label, left_imported, right_imported, r, clock, flags);
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
