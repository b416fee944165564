// A session document (docs/session-json.md) as a FIT activity (docs/fit.md): file_id, device_info, developer ids
// and field descriptions, one record per second with the native running-dynamics fields and developer fields for
// what FIT has no field for, laps, session, activity. The document is the source (not the recording): it holds
// every per-stride value stride measured, so `stride export run.json --fit` and `stride analyze run.csv --fit`
// write the same file.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stride::session {

// The mean of the finite values added (NaN when none).
struct RunningMean {
  double sum = 0;
  int n = 0;
  void add(double v) {
    if (std::isfinite(v)) sum += v, ++n;
  }
  double mean() const { return n ? sum / n : std::numeric_limits<double>::quiet_NaN(); }
};

// One valid stride on the wall clock: what the FIT export and `stride compare` use.
struct TimedStride {
  std::string foot;                 // left | right | unknown
  double ic_unix_s = 0;             // initial contact
  double next_ic_unix_s = 0;        // the same foot's next contact
  double cadence_spm = 0;           // steps per minute
  double gct_ms = 0;                // NaN: not measured (likewise below)
  double flight_ms = 0;
  double stride_length_m = 0;
  double speed_mps = 0;
  double fsa_deg = 0;
  double pronation_excursion_deg = 0;
  double pronation_velocity_dps = 0;
  double peak_impact_g = 0;
};

struct StrideTimeline {
  double start_unix_s = 0;          // session time 0 on the wall clock (UTC)
  std::string start_source;         // "--start", "metadata start_time", "host_t0_unix_s", or the fallback used
  double duration_s = 0;
  bool two_feet = false;
  std::vector<TimedStride> strides; // valid strides of every foot, in time order
  std::vector<std::string> warnings;
};

// Whether stride_timeline reads this field of a stride object (the ~13 of its ~34: foot, valid, its times and the
// values the FIT export and `stride compare` carry). load_session_document drops the others while it parses.
bool timeline_reads_stride_field(std::string_view key);

// Reads the strides of a one-sensor or two-feet document. Start: `start_iso` if given (ISO 8601; no offset = UTC),
// else the metadata's start_time, else its host_t0_unix_s, else `fallback_unix_s` (the caller says what that was,
// in `fallback_source`). Throws std::invalid_argument for a document without strides or a bad start_iso.
StrideTimeline stride_timeline(const nlohmann::json& doc, const std::string& start_iso, double fallback_unix_s,
                               const std::string& fallback_source);

// ISO 8601 date-time ("2025-05-01T07:30:00Z", "2025-05-01T09:30:00+02:00", "2025-05-01 07:30"; no offset: UTC)
// as Unix seconds; nullopt if it does not parse.
std::optional<double> parse_iso_utc(const std::string& iso);

// One FIT record (one second) in SI-ish units as written; NaN = not written (the field's invalid value).
struct FitSecond {
  std::uint32_t timestamp = 0;      // FIT date_time
  double cadence_spm = 0;           // steps/min (FIT carries strides/min: cadence + fractional_cadence = spm / 2)
  double stance_time_ms = 0;
  double stance_time_percent = 0;   // contact time / stride time, % (as the Fenix 5 sample writes it)
  double stance_time_balance = 0;   // two feet: left foot's share of L+R contact time, %
  double step_length_m = 0;         // stride length / 2
  double speed_mps = 0;
  double distance_m = 0;            // cumulative
  double fsa_deg = 0, pronation_excursion_deg = 0, pronation_velocity_dps = 0, impact_g = 0, flight_ms = 0;
};

struct FitLapSummary {
  std::size_t first_record = 0, end_record = 0;  // [first, end)
  std::uint32_t start_time = 0, end_time = 0;
  double distance_m = 0;
  std::uint32_t strides = 0;        // total_cycles
  double cadence_spm = 0, stance_time_ms = 0, stance_time_percent = 0, stance_time_balance = 0, step_length_m = 0;
};

struct FitExportOptions {
  std::string start_iso;            // --start
  double lap_m = 1000;              // a lap every lap_m metres (0 or no distance: one lap)
  std::string product_name = "stride";
};

struct FitActivity {
  StrideTimeline timeline;
  std::vector<FitSecond> records;
  std::vector<FitLapSummary> laps;
  FitLapSummary total;
};

// The developer fields stride writes (developer_data_index 0), by field number.
struct StrideDevField {
  std::uint8_t number;
  const char* name;
  const char* units;
};
const std::vector<StrideDevField>& stride_developer_fields();

// Builds the records and laps. A record's values: the mean over the valid strides in progress during that second
// (their [IC, next IC) overlaps it); distance: the sum of stride lengths completed by the end of the second
// (two feet: the mean of the feet's sums). Throws std::invalid_argument for a session longer than
// kMaxFitExportSeconds: a document is input, and its duration_s sets how many records are made (1e300 crashed the
// cast, 1e10 filled the memory). Expects what stride_timeline makes: finite times, strides sorted by ic_unix_s (the
// records' cursors and the laps' bisection rely on it).
constexpr double kMaxFitExportSeconds = 7 * 86400.0;  // a week of records: ~70 MB; no foot sensor records longer
FitActivity build_fit_activity(const StrideTimeline& timeline, const FitExportOptions& options);
std::vector<std::uint8_t> encode_fit_activity(const FitActivity& activity, const FitExportOptions& options);

struct FitExportReport {
  std::size_t records = 0, laps = 0;
  std::string start_source;
  double start_unix_s = 0;
  std::vector<std::string> warnings;
};
// The whole path: timeline (start fallback: the input file's modification time minus the duration, else the
// time of export minus the duration), activity, encoding, written through OutputFile (atomic replace).
// Throws std::invalid_argument (nothing to write, bad --start) or OutputError.
FitExportReport export_fit(const nlohmann::json& doc, const std::string& path, const FitExportOptions& options);

}  // namespace stride::session
