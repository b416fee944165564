#include "streamed_input.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <cmath>
#include <memory>

#include "../protocol/strideb.hpp"
#include "../protocol/unit_detection.hpp"
#include "import_input.hpp"
#include "content_hash.hpp"
#include "movesense_json.hpp"
#include "stride/interval_counts.hpp"
#include "stride/resample.hpp"
#include "witmotion_binary.hpp"
#include "zip_archive.hpp"

namespace stride::io {
namespace {

namespace fs = std::filesystem;

// A step longer than this many look-ahead intervals (CsvReader's rate from its first rows) is kept as a possible
// gap in the first pass; the gaps are the steps beyond kRegularGapFactor whole-file intervals, so every one of them
// is among the candidates while the whole file's interval is at least kCandidateShare / kRegularGapFactor (0.8) of
// the look-ahead's (else: not covered).
constexpr double kCandidateShare = 1.2;
constexpr std::size_t kMaxCandidates = std::size_t{1} << 20;

struct Step {
  double from_s, to_s;
};

std::filebuf open_or_throw(const std::string& path) {
  std::filebuf file;
  if (!file.open(path, std::ios::in | std::ios::binary))
    throw ImportError("cannot open '" + path + "': " + std::strerror(errno) + "; expected a readable recording");
  return file;
}

// The format import_any would choose, when it is not the CSV reader's: empty for CSV.
std::string other_reader(const std::string& path, const ImportOptions& options) {
  if (options.format == kWitmotionBinaryName || options.format == kMovesenseJsonName) return options.format;
  if (options.format == kStridebName) return options.format;
  if (options.format != "auto") return {};
  std::ifstream in(path, std::ios::binary);
  std::string head(std::size_t{1} << 16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (strideb::has_magic(head)) return std::string(kStridebName);
  if (looks_like_witmotion_binary(head)) return std::string(kWitmotionBinaryName);
  if (looks_like_movesense_json(head)) return std::string(kMovesenseJsonName);
  return {};
}

// clock_regularity's verdict from the counted steps (regularise_clock resamples an irregular clock).
bool irregular(const IntervalCounts& counts) {
  const double m = counts.median_s();
  if (m <= 0.0) return false;
  ClockRegularity c;
  c.median_interval_s = m;
  for (const auto& [dt, n] : counts.counts()) {
    if (dt > kIrregularGapFactor * m) continue;
    c.steps += n;
    if (std::abs(dt - m) > kOffBeatTolerance * m) c.off_beat += n;
  }
  return c.irregular();
}

// A pass over the file from its start with a fresh reader (make(stream, path)): the first `expected` samples, in
// blocks; fewer is an error (the file changed since the first read).
template <class MakeReader>
std::function<void(const SampleSink&)> replay_of(const std::string& path, std::size_t expected, MakeReader make) {
  return [path, expected, make](const SampleSink& sink) {
    std::ifstream again(path, std::ios::binary);
    if (!again) throw ImportError("cannot open '" + path + "' again: " + std::strerror(errno));
    auto pass = make(again, path);
    std::vector<ImuSample> samples(kBlockSamples);
    std::size_t seen = 0;
    for (std::size_t got; seen < expected && (got = pass->read(samples)) > 0; seen += got)
      sink(std::span<const ImuSample>(samples.data(), std::min(got, expected - seen)));
    if (seen < expected)
      throw ImportError(path + ": the file changed while it was read (" + std::to_string(expected) + " samples, then " +
                        std::to_string(seen) + "); expected a recording that stays as it is during the analysis");
  };
}

// A .strideb: import_strideb's reading (hashed as open_streamed's CSV read is), its blocks replayed at memory speed.
// `found`: the format was recognised, not forced. Covered when the metadata declares the rate (then the reader finds the gaps as find_gaps does).
StreamedOpen open_streamed_strideb(const std::string& path, bool found, const SampleSink& first_read,
                                   const std::function<std::string(const RecordingMeta&)>& refuse) {
  StreamedOpen out;
  const auto not_covered = [&](std::string why) {
    out.not_covered = std::move(why);
    return out;
  };
  std::filebuf file = open_or_throw(path);
  HashingStreambuf hashing(file, Fnv1a64{});
  std::istream in(&hashing);
  StridebReader reader(in, path);
  if (refuse)
    if (std::string why = refuse(reader.meta()); !why.empty()) return not_covered(std::move(why));
  if (!reader.report().rate_declared) return not_covered("a .strideb without a declared rate");
  IntervalCounts intervals;
  bool any_acc = false, any_gyro = false;
  std::vector<ImuSample> block(kBlockSamples);
  std::size_t total = 0;
  for (std::size_t got; (got = reader.read(block)) > 0; total += got) {
    if (first_read) first_read(std::span<const ImuSample>(block.data(), got));
    for (std::size_t i = 0; i < got; ++i) {
      intervals.add(block[i].t_s);
      any_acc = any_acc || !std::isnan(block[i].acc_mps2.x());
      any_gyro = any_gyro || !std::isnan(block[i].gyr_rad_s.x());
    }
  }
  if (total == 0) return not_covered("no whole block of samples");  // import_strideb names the damage
  if (intervals.full()) return not_covered("too many distinct sample intervals");
  if (irregular(intervals)) return not_covered("an irregular clock (resampled whole)");
  StreamedFile f;
  Imported& h = f.header;
  h.recording.meta = reader.meta();
  h.recording.clock_marks = reader.clock_marks();
  h.recording.gaps = reader.gaps();
  h.report = reader.report();
  h.report.fnv1a64 = hashing.finish().state;
  if (found) h.report.format_reason = kStridebFoundBy;  // as import_any says it
  note_sensors_present(h.report, any_acc, any_gyro);
  f.replay = replay_of(path, total, [](std::istream& again, const std::string& name) {
    return std::make_unique<StridebReader>(again, name);
  });
  out.file = std::move(f);
  return out;
}

}  // namespace

bool replays_binary(const std::vector<std::string>& parts, const ImportOptions& options) {
  return parts.size() == 1 && other_reader(parts.front(), options) == kStridebName;
}

StreamedOpen open_streamed(const std::vector<std::string>& parts, const ImportOptions& options,
                           const SampleSink& first_read,
                           const std::function<std::string(const RecordingMeta&)>& refuse) {
  StreamedOpen out;
  const auto not_covered = [&](std::string why) {
    out.not_covered = std::move(why);
    return out;
  };
  if (parts.size() != 1) return not_covered("two files joined");
  const std::string path = parts.front();
  std::error_code ec;
  if (fs::is_directory(path, ec)) return not_covered("a folder export");
  if (looks_like_zip(path)) return not_covered("a zip export");
  if (!companion_files(path).empty()) return not_covered("a Sensor Logger accelerometer file read with its gravity");
  const std::string other = other_reader(path, options);
  if (other == kStridebName) return open_streamed_strideb(path, options.format == "auto", first_read, refuse);
  if (!other.empty()) return not_covered("the " + other + " format");

  // The first pass: import_hashed's reading (the bytes hashed as the reader reads them), no samples kept.
  std::filebuf file = open_or_throw(path);
  HashingStreambuf hashing(file, Fnv1a64{});
  std::istream in(&hashing);
  CsvReader reader(in, path, options);
  if (refuse)
    if (std::string why = refuse(reader.meta()); !why.empty()) return not_covered(std::move(why));
  const double look_ahead_s = reader.meta().rate_hz > 0 ? 1.0 / reader.meta().rate_hz : 0.0;
  IntervalCounts intervals;
  std::vector<Step> candidates;
  bool first = true;
  double last_t = 0.0;
  std::vector<ImuSample> block(kBlockSamples);
  std::size_t total = 0;
  for (std::size_t got; (got = reader.read(block)) > 0; total += got) {
    if (first_read) first_read(std::span<const ImuSample>(block.data(), got));
    for (std::size_t i = 0; i < got; ++i) {
      const double t = block[i].t_s;
      intervals.add(t);
      if (!first && t - last_t > kCandidateShare * look_ahead_s && candidates.size() <= kMaxCandidates)
        candidates.push_back({last_t, t});
      first = false;
      last_t = t;
    }
  }
  StreamedFile f;
  Imported& h = f.header;
  h.recording.meta = reader.meta();
  h.recording.clock_marks = reader.clock_marks();
  h.report = reader.report();
  h.report.fnv1a64 = hashing.finish().state;
  if (intervals.full()) return not_covered("too many distinct sample intervals");
  if (irregular(intervals)) return not_covered("an irregular clock (resampled whole)");
  // import_csv: the rate, then find_gaps at its interval.
  if (!h.report.rate_declared) {
    const double dt = intervals.median_s();
    if (dt > 0) {
      h.recording.meta.rate_hz = 1.0 / dt;
      h.report.rate_reason = "median interval " + detail::format_number(dt * 1e3, 3) + " ms";
    }
  }
  const double rate = h.recording.meta.rate_hz;
  const double nominal = rate > 0 ? 1.0 / rate : 0.0;
  if (nominal > 0) {
    if (candidates.size() > kMaxCandidates) return not_covered("too many gaps");
    if (kRegularGapFactor * nominal < kCandidateShare * look_ahead_s)
      return not_covered("the interval differs from the look-ahead's");
    for (const auto& c : candidates)
      if (c.to_s - c.from_s > kRegularGapFactor * nominal)
        h.recording.gaps.push_back({c.from_s, c.to_s, missing_samples(c.to_s - c.from_s, nominal)});
  }
  // Every pass must see the samples the first one saw (a recording still being written grows between passes):
  // it stops there, and a pass that found fewer is an error before the caller finishes with it.
  f.replay = replay_of(path, total, [options](std::istream& again, const std::string& name) {
    return std::make_unique<CsvReader>(again, name, options);
  });
  out.file = std::move(f);
  return out;
}

}  // namespace stride::io
