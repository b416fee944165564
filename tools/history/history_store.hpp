// The training history: a local SQLite database of sessions (one row per analysed recording), their per-metric
// summaries and their flags. SQLite C API behind small RAII wrappers; every value is a bound parameter.
//
// Concurrency and crash safety: WAL journal, busy_timeout 5 s, every save is one BEGIN IMMEDIATE transaction (a
// session and all its metric and flag rows are there together or not at all). Schema version = PRAGMA
// user_version; a database written by a newer stride is refused with a message that says so. docs/history.md.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace stride::history {

// A failure the user can act on; `exit_code` is one of commands.hpp's Exit values.
// A failed SQLite call also keeps SQLite's extended result code and the errno of its last system call, so that a
// write that failed can be told apart (read-only file or folder, full disk) after the transaction was rolled back.
class HistoryError : public std::runtime_error {
 public:
  HistoryError(const std::string& what, int exit_code, int sqlite_code = 0, int sys_errno = 0)
      : std::runtime_error(what), exit_code_(exit_code), sqlite_code_(sqlite_code), sys_errno_(sys_errno) {}
  int exit_code() const { return exit_code_; }
  int sqlite_code() const { return sqlite_code_; }  // 0: not an SQLite call's failure
  int sys_errno() const { return sys_errno_; }

 private:
  int exit_code_;
  int sqlite_code_;
  int sys_errno_;
};

struct MetricRow {
  std::string side;        // "left", "right", "unknown" (one sensor, foot not declared), "both" (two-feet metrics)
  std::string metric;      // machine name with unit, e.g. "gct_ms"
  std::int64_t n = 0;
  double mean = std::nan(""), sd = std::nan(""), median = std::nan("");  // NaN <-> NULL
};

struct FlagRow {
  std::string id, severity, title, side;
};

struct SessionRow {
  std::int64_t id = 0;                 // set by the store
  std::string athlete;                 // "" = not named
  std::string shoe;                    // "" = not named
  std::string start_time;              // ISO 8601, local time as given
  double start_day = 0;                // days since 1970-01-01 of start_time (local calendar), fractional
  std::string date_source;             // "metadata", "--date", "file modification time", "time of saving"
  std::string input_file;
  std::string input_hash;              // fnv1a64 of the input bytes (two feet: both, joined by '+'): the key
  double duration_s = std::nan("");
  double distance_m = std::nan("");    // NaN: not measured
  std::int64_t strides_valid = 0, strides_total = 0;
  std::string placement;               // "shoe", "shin", "unknown"
  bool two_feet = false;
  double speed_mps = std::nan("");     // median speed of the valid strides
  std::string tool_version;
  std::string saved_at;                // UTC, set by the store
  std::vector<MetricRow> metrics;
  std::vector<FlagRow> flags;

  // The session's value of a metric (the median): the "both" row if there is one, else the mean over the feet.
  double metric_median(const std::string& name) const;
};

// A distance calibration (`stride compare --calibrate-from watch.fit --save`): multiply stride's distance by
// `factor` for this athlete and shoe. Schema version 2.
struct CalibrationRow {
  std::int64_t id = 0;                 // set by the store
  std::string athlete, shoe;           // "" = not named
  double factor = std::nan("");        // watch distance / stride distance
  double watch_distance_m = std::nan(""), stride_distance_m = std::nan("");
  std::string watch_file;              // the FIT file it came from
  std::string session_start;           // ISO 8601 UTC start of the compared overlap
  std::string saved_at;                // UTC, set by the store
};

class HistoryStore {
 public:
  // 1: sessions, metrics, flags. 2: + calibrations (a version-1 database is upgraded when opened for writing).
  static constexpr int kSchemaVersion = 2;
  enum class Mode { read_write, read_only };

  // read_write creates the folder and the database when missing; read_only throws HistoryError (kBadInput) for
  // a missing file. Errors name the path.
  HistoryStore(const std::string& path, Mode mode);
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  struct SaveOutcome {
    std::int64_t id = 0;
    bool replaced = false;             // the same input (hash) was there: updated, not duplicated
  };
  // One transaction: `before_write(row, athlete_sessions)` runs first with every stored session of the row's
  // athlete except the one with the same input hash (e.g. to add the load flags to row.flags), then the row
  // replaces any session with the same input hash, with its metrics and flags.
  using BeforeWrite = std::function<void(SessionRow& row, const std::vector<SessionRow>& athlete_sessions)>;
  SaveOutcome save(SessionRow row, const BeforeWrite& before_write = {});

  // Sessions in time order, with their metrics and flags. athlete: exact match.
  std::vector<SessionRow> sessions(const std::string& athlete) const;
  std::vector<std::string> athletes() const;
  std::int64_t session_count() const;

  std::int64_t save_calibration(CalibrationRow row);  // returns its id
  // Oldest first; "" = every athlete. A version-1 database opened read-only has none.
  std::vector<CalibrationRow> calibrations(const std::string& athlete) const;
  const std::string& path() const { return path_; }

 private:
  std::vector<SessionRow> load(const std::string& athlete) const;
  void prepare_for_writing(std::int64_t version);
  SaveOutcome save_row(SessionRow& row, const BeforeWrite& before_write);
  std::int64_t save_calibration_row(CalibrationRow& row);
  std::string path_;
  sqlite3* db_ = nullptr;
  bool empty_ = false;  // read_only and no schema yet
  bool has_calibrations_ = true;  // false: a version-1 database opened read-only
};

}  // namespace stride::history
