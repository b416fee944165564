#include "import_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>

#include "../protocol/columns.hpp"
#include "content_hash.hpp"
#include "../protocol/unit_detection.hpp"
#include "join_streams.hpp"
#include "sensor_logger_gravity.hpp"
#include "stride/resample.hpp"
#include "zip_archive.hpp"

namespace stride::io {
namespace {

namespace fs = std::filesystem;
using detail::ascii_lower;
using detail::format_number;

using Opener = std::function<std::unique_ptr<std::istream>()>;

std::optional<Holds> holds_of(const Opener& open, const std::string& name, const ImportOptions& options,
                              std::string* why_not = nullptr) {
  try {
    const auto in = open();  // (the reader keeps a reference to it)
    CsvReader reader(*in, name, options);
    return Holds{reader.report().has_acc, reader.report().has_gyro};
  } catch (const ImportError& e) {
    if (why_not) *why_not = e.what();
  }
  // What a file holds does not depend on its units: a file refused only because its numbers cannot tell the angular
  // rate's unit (a t,x,y,z gyroscope at rest) still holds a gyroscope, and is paired; reading it then says why and
  // which option to give (instead of its accelerometer file being read alone).
  if (!options.gyr_unit.empty() && options.gyr_unit != "auto") return std::nullopt;
  ImportOptions declared = options;
  declared.gyr_unit = "rad/s";
  try {
    const auto in = open();
    CsvReader reader(*in, name, declared);
    return Holds{reader.report().has_acc, reader.report().has_gyro};
  } catch (const ImportError&) {
    return std::nullopt;
  }
}

std::string holds_text(const std::optional<Holds>& h) {
  if (!h) return "cannot be read";
  return h->acc && h->gyr ? "accelerometer and gyroscope" : h->acc ? "accelerometer only" : "gyroscope only";
}

// One recording from two parts, whichever order they came in.
Imported join_parts(Imported first, Imported second) {
  const bool first_acc = first.report.has_acc && !first.report.has_gyro;
  const bool second_acc = second.report.has_acc && !second.report.has_gyro;
  const bool first_gyr = first.report.has_gyro && !first.report.has_acc;
  const bool second_gyr = second.report.has_gyro && !second.report.has_acc;
  if (first_acc && second_gyr) return join_streams(std::move(first), std::move(second));
  if (first_gyr && second_acc) return join_streams(std::move(second), std::move(first));
  const auto says = [](const Imported& p) {
    return p.report.source + " holds " +
           holds_text(Holds{p.report.has_acc, p.report.has_gyro});
  };
  throw ImportError(first.report.source + " and " + second.report.source +
                    ": expected one accelerometer file and one gyroscope file of the same recording; " + says(first) +
                    ", " + says(second) + ". Give two sensors' files as --left FILE --right FILE instead");
}

// Members of an export (a folder or a zip), and how to open them.
struct Export {
  std::string path;                                       // the folder or zip
  std::vector<std::string> members;                       // relative names
  std::function<std::unique_ptr<std::istream>(const std::string&)> open;
  bool folder = false;                                    // members are files of their own (else zip entries)
};

bool is_data_file(const std::string& name) {
  const std::string lower = ascii_lower(name);
  const std::string ext = fs::path(lower).extension().string();
  const std::string base = fs::path(lower).filename().string();
  if (ext != ".csv" && ext != ".txt" && ext != ".tsv") return false;
  if (base.empty() || base.front() == '.') return false;
  return lower.rfind("meta/", 0) != 0 && lower.find("/meta/") == std::string::npos &&
         lower.rfind("__macosx/", 0) != 0;
}

// Lower is better: the file an app meant for this sensor first (Sensor Logger's TotalAcceleration.csv holds
// gravity; its Accelerometer.csv does not on Android), then anything else that reads as that sensor.
int acc_rank(const std::string& name) {
  const std::string base = ascii_lower(fs::path(name).stem().string());
  if (base.find("gravity") != std::string::npos || base.find("linear") != std::string::npos ||
      base.find("user") != std::string::npos)
    return 99;  // gravity alone, or acceleration without it: not what the filters need
  if (base.find("totalacceleration") != std::string::npos) return 0;
  if (base.find("accelerometer") != std::string::npos) return 1;
  if (base.find("acc") != std::string::npos) return 2;
  return 3;
}

int gyr_rank(const std::string& name) {
  const std::string base = ascii_lower(fs::path(name).stem().string());
  if (base.find("uncalibrated") != std::string::npos) return 2;
  if (base.find("gyro") != std::string::npos) return 0;
  return 1;
}

Imported import_member(const Export& x, const std::string& member, const ImportOptions& options) {
  return import_any([&] { return x.open(member); }, x.path + "/" + member, options);
}

// Sensor Logger without TotalAcceleration.csv (iOS): Accelerometer.csv + Gravity.csv, the sign from Metadata.csv.
Imported import_gravity_pair(const Export& x, const GravityPair& pair, const ImportOptions& options) {
  ImportOptions part = options;
  part.acc_part = true;
  Imported user = import_member(x, pair.user, part);
  Imported gravity = import_member(x, pair.gravity, part);
  const GravitySign sign = pair.metadata.empty()
                               ? sensor_logger_gravity_sign(nullptr, "")
                               : sensor_logger_gravity_sign(x.open(pair.metadata).get(), x.path + "/" + pair.metadata);
  return add_gravity(std::move(user), std::move(gravity), sign);
}

Imported import_export(const Export& x, const ImportOptions& options) {
  struct Candidate {
    std::string member;
    Holds holds;
  };
  std::vector<Candidate> both, acc, gyr;
  std::vector<std::string> notes, unreadable;
  auto pair = find_gravity_pair(x.members);
  if (pair && !has_sensor_logger_header(*x.open(pair->user))) pair.reset();
  const auto in_pair = [&](const std::string& m) {
    return pair && (m == pair->user || m == pair->gravity || m == pair->metadata);
  };
  for (const auto& m : x.members) {
    if (!is_data_file(m) || in_pair(m)) continue;
    std::string why;
    const auto h = holds_of([&] { return x.open(m); }, x.path + "/" + m, options, &why);
    if (!h) {
      unreadable.push_back(m + " (" + why + ")");
      continue;
    }
    if (h->acc && h->gyr) both.push_back({m, *h});
    else if (h->acc && acc_rank(m) < 99) acc.push_back({m, *h});
    else if (h->gyr) gyr.push_back({m, *h});
    else notes.push_back("skipped " + m + ": " + (h->acc ? "gravity or linear acceleration, not the sensor's own" : "no sensor read"));
  }
  const auto list = [](const std::vector<Candidate>& v) {
    std::string s;
    for (const auto& c : v) s += (s.empty() ? "" : ", ") + c.member;
    return s;
  };
  Imported r;
  std::vector<std::string> read;  // the members the recording comes from, in the order they are joined
  if (both.size() == 1) {
    read = {both.front().member};
    r = import_member(x, both.front().member, options);
  } else if (both.size() > 1) {
    throw ImportError(x.path + ": holds " + std::to_string(both.size()) + " recordings (" + list(both) +
                      "); analyse them one at a time (give the file's path)");
  } else if (pair && !gyr.empty()) {
    std::stable_sort(gyr.begin(), gyr.end(), [](auto& a, auto& b) { return gyr_rank(a.member) < gyr_rank(b.member); });
    for (const auto& a : acc) notes.push_back("skipped " + a.member + ": the acceleration is " + pair->user + " + " + pair->gravity);
    for (std::size_t i = 1; i < gyr.size(); ++i) notes.push_back("skipped " + gyr[i].member + ": " + gyr[0].member + " is the gyroscope file");
    read = {pair->user, pair->gravity, gyr.front().member};
    if (!pair->metadata.empty()) read.push_back(pair->metadata);
    r = join_streams(import_gravity_pair(x, *pair, options), import_member(x, gyr.front().member, options));
  } else if (!acc.empty() && !gyr.empty()) {
    std::stable_sort(acc.begin(), acc.end(), [](auto& a, auto& b) { return acc_rank(a.member) < acc_rank(b.member); });
    std::stable_sort(gyr.begin(), gyr.end(), [](auto& a, auto& b) { return gyr_rank(a.member) < gyr_rank(b.member); });
    for (std::size_t i = 1; i < acc.size(); ++i) notes.push_back("skipped " + acc[i].member + ": " + acc[0].member + " is the accelerometer file");
    for (std::size_t i = 1; i < gyr.size(); ++i) notes.push_back("skipped " + gyr[i].member + ": " + gyr[0].member + " is the gyroscope file");
    read = {acc.front().member, gyr.front().member};
    r = join_streams(import_member(x, acc.front().member, options), import_member(x, gyr.front().member, options));
  } else if (!acc.empty() && gyr.empty() && !pair) {
    // An export of the accelerometer alone (phyphox 'Acceleration with g': Raw Data.csv and meta/): read as the file
    // itself would be, accelerometer only, and said so.
    std::stable_sort(acc.begin(), acc.end(), [](auto& a, auto& b) { return acc_rank(a.member) < acc_rank(b.member); });
    for (std::size_t i = 1; i < acc.size(); ++i)
      notes.push_back("skipped " + acc[i].member + ": " + acc[0].member + " is the accelerometer file");
    notes.push_back("no gyroscope file in " + x.path + ": " + acc.front().member + " read alone (accelerometer only)");
    read = {acc.front().member};
    r = import_member(x, acc.front().member, options);
  } else {
    std::string found;
    if (pair) found += pair->user + " + " + pair->gravity + ": accelerometer only (gravity added back)";
    for (const auto& c : acc) found += (found.empty() ? "" : "; ") + c.member + ": accelerometer only";
    for (const auto& c : gyr) found += (found.empty() ? "" : "; ") + c.member + ": gyroscope only";
    for (const auto& u : unreadable) found += (found.empty() ? "" : "; ") + u;
    const std::string missing = acc.empty() && gyr.empty() && !pair ? "no sensor file"
                                : acc.empty() && !pair             ? "no accelerometer file (with gravity)"
                                                                   : "no gyroscope file";
    throw ImportError(x.path + ": " + missing + " found; expected an app's export holding an accelerometer and a "
                      "gyroscope recording (e.g. Accelerometer.csv and Gyroscope.csv)" +
                      (found.empty() ? std::string() : "; found: " + found));
  }
  // What the session's hash covers: a zip's own bytes; a folder's member files (a folder has no bytes to hash).
  r.report.files = {x.path};
  if (x.folder) {
    r.report.files.clear();
    for (const auto& m : read) r.report.files.push_back((fs::path(x.path) / m).string());
  }
  if (both.size() == 1) r.report.notes.push_back("read " + both.front().member + " from " + x.path);
  r.report.notes.insert(r.report.notes.end(), notes.begin(), notes.end());
  return r;
}

// A folder's files; `only`: just these (relative names), without listing the folder.
Export folder_export(const std::string& path, std::vector<std::string> only = {}) {
  const bool list = only.empty();
  Export x{path, std::move(only), {}, true};
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path, ec); list && !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) x.members.push_back(fs::relative(it->path(), path, ec).generic_string());
  if (list && ec) throw ImportError(path + ": cannot list the folder: " + ec.message());
  std::sort(x.members.begin(), x.members.end());
  x.open = [path](const std::string& m) -> std::unique_ptr<std::istream> {
    auto in = std::make_unique<std::ifstream>(fs::path(path) / m, std::ios::binary);
    if (!*in) throw ImportError(path + "/" + m + ": cannot open it");
    return in;
  };
  return x;
}

// The Sensor Logger files beside an Accelerometer.csv without TotalAcceleration.csv (iOS): names in its folder.
std::optional<GravityPair> gravity_beside(const std::string& path) {
  const fs::path file(path);
  if (ascii_lower(file.filename().string()) != "accelerometer.csv") return std::nullopt;
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::vector<std::string> names;
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  auto pair = find_gravity_pair(names);
  if (pair && pair->user != file.filename().string()) return std::nullopt;  // another case of the name
  std::ifstream in(file, std::ios::binary);
  if (pair && !has_sensor_logger_header(in)) return std::nullopt;
  return pair;
}

// `stride analyze Accelerometer.csv Gyroscope.csv` of an iOS Sensor Logger export: read as that folder holding
// these two files and the Gravity.csv (and Metadata.csv) beside Accelerometer.csv. Nullopt for other files, or when
// the gyroscope file is in another folder (then the accelerometer file says it has no gravity).
std::optional<Export> gravity_pair_export(const std::vector<std::string>& parts) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto pair = gravity_beside(parts[i]);
    const fs::path other(parts[1 - i]);
    if (!pair || fs::path(parts[i]).parent_path() != other.parent_path()) continue;
    const fs::path folder = fs::path(parts[i]).parent_path();
    std::vector<std::string> files{pair->user, pair->gravity, other.filename().string()};
    if (!pair->metadata.empty()) files.push_back(pair->metadata);
    return folder_export(folder.empty() ? "." : folder.string(), std::move(files));
  }
  return std::nullopt;
}

// import_file with the file's bytes hashed as the reader reads them (from `seed`: one file after another). Only the
// stream the reader reads to its end is hashed: import_any may open the file once more first, to look at its head.
Imported import_hashed(const std::string& path, const ImportOptions& options, Fnv1a64 seed = {}) {
  std::filebuf file;
  std::unique_ptr<HashingStreambuf> hashing;
  Imported r = import_any(
      [&]() -> std::unique_ptr<std::istream> {
        file.close();
        if (!file.open(path, std::ios::in | std::ios::binary))
          throw ImportError("cannot open '" + path + "': " + std::strerror(errno) + "; expected a readable recording");
        hashing = std::make_unique<HashingStreambuf>(file, seed);
        return std::make_unique<std::istream>(hashing.get());
      },
      path, options);
  if (!hashing) return r;  // (import_any always opens the file it reads)
  r.report.fnv1a64 = hashing->finish().state;  // (with what a reader left unread, e.g. a binary format's trailer)
  return r;
}

// True when the file reads as a gyroscope alone (a phone app's Gyroscope.csv), from its head only.
bool gyro_only(const std::string& path, const ImportOptions& options) {
  const auto h = peek_holds(path, options);
  return h && h->gyr && !h->acc;
}

// An accelerometer file and its gyroscope file, hashed in the order the joined recording names them
// (report.files: accelerometer first), whichever order they were given in.
Imported import_two_parts(const std::vector<std::string>& parts, const ImportOptions& options) {
  const bool swapped = gyro_only(parts[0], options);
  Imported acc_first = import_hashed(parts[swapped ? 1 : 0], options);
  Imported then = import_hashed(parts[swapped ? 0 : 1], options, Fnv1a64{*acc_first.report.fnv1a64});
  const std::uint64_t both = *then.report.fnv1a64;
  const std::vector<std::string> hashed{acc_first.report.source, then.report.source};
  Imported r = swapped ? join_parts(std::move(then), std::move(acc_first))
                       : join_parts(std::move(acc_first), std::move(then));
  r.report.fnv1a64.reset();
  if (r.report.files == hashed) r.report.fnv1a64 = both;  // else the session hashes the files in their order
  return r;
}

}  // namespace

std::optional<Holds> peek_holds(const std::string& path, const ImportOptions& options) {
  if (!std::ifstream(path, std::ios::binary)) return std::nullopt;
  ImportOptions o = options;
  o.acc_part = gravity_beside(path).has_value();  // iOS Sensor Logger: gravity is added back when it is read
  return holds_of([&path] { return std::make_unique<std::ifstream>(path, std::ios::binary); }, path, o);
}

std::vector<std::string> companion_files(const std::string& path) {
  const auto pair = gravity_beside(path);
  if (!pair) return {};
  const fs::path folder = fs::path(path).parent_path();
  std::vector<std::string> out{(folder / pair->gravity).string()};
  if (!pair->metadata.empty()) out.push_back((folder / pair->metadata).string());
  return out;
}

void regularise_clock(Imported& imported) {
  auto& rec = imported.recording;
  const ClockRegularity clock = clock_regularity(rec.samples);
  if (!clock.irregular()) return;
  const double dt = clock.mean_interval_s;
  const std::size_t before = rec.samples.size();
  rec.samples = resample_uniform(rec.samples, dt, kIrregularGapFactor * dt);
  rec.meta.rate_hz = 1.0 / dt;
  rec.gaps = find_gaps(rec.samples, dt, kRegularGapFactor);
  auto& rep = imported.report;
  rep.samples = rec.samples.size();
  rep.rate_reason = "mean interval " + format_number(dt * 1e3, 3) + " ms of an irregular clock (resampled)";
  rep.notes.push_back("irregular clock (a phone's?): " + format_number(100.0 * clock.off_beat_share(), 1) +
                      " % of the intervals are more than 20 % off the median " +
                      format_number(clock.median_interval_s * 1e3, 3) +
                      " ms (longest " + format_number(clock.max_step_s * 1e3, 1) + " ms); resampled onto a uniform " +
                      format_number(1.0 / dt, 1) + " Hz grid by linear interpolation (" + std::to_string(before) +
                      " samples -> " + std::to_string(rec.samples.size()) + "); a gap is a step over " +
                      format_number(kIrregularGapFactor, 0) + " intervals");
}

Imported import_input(const std::vector<std::string>& parts, const ImportOptions& options) {
  Imported r;
  if (parts.size() == 1) {
    const std::string& path = parts.front();
    std::error_code ec;
    if (fs::is_directory(path, ec)) r = import_export(folder_export(path), options);
    else if (looks_like_zip(path)) {
      const ZipArchive zip(path);
      Export x{path, {}, [&zip](const std::string& m) { return zip.open(m); }};
      for (const auto& m : zip.members()) x.members.push_back(m.name);
      r = import_export(x, options);
    } else if (const auto pair = gravity_beside(path)) {  // iOS Sensor Logger's accelerometer file alone
      const Export x = folder_export(fs::path(path).has_parent_path() ? fs::path(path).parent_path().string() : ".",
                                     {pair->user, pair->gravity, pair->metadata});
      r = import_gravity_pair(x, *pair, options);
      r.report.files.clear();
      for (const auto& m : {pair->user, pair->gravity, pair->metadata})
        if (!m.empty()) r.report.files.push_back((fs::path(x.path) / m).string());
    } else {
      r = import_hashed(path, options);
    }
  } else if (parts.size() == 2) {
    if (const auto x = gravity_pair_export(parts)) r = import_export(*x, options);
    else r = import_two_parts(parts, options);
  } else {
    throw ImportError("expected one recording file, a folder or zip export, or an accelerometer file and its "
                      "gyroscope file; got " + std::to_string(parts.size()) + " files");
  }
  regularise_clock(r);
  return r;
}

}  // namespace stride::io
