#include "tools/history/history_store.hpp"

#include <sqlite3.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <chrono>
#include <map>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <thread>
#include <unistd.h>

#include "stride/exit_codes.hpp"
#include "stride/recording.hpp"

namespace stride::history {
namespace {

namespace fs = std::filesystem;

// The schema, version 1. Applied once, inside a BEGIN IMMEDIATE transaction, when user_version is 0.
constexpr const char* kSchema = R"sql(
CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  athlete       TEXT NOT NULL,
  shoe          TEXT NOT NULL,
  start_time    TEXT NOT NULL,
  start_day     REAL NOT NULL,
  date_source   TEXT NOT NULL,
  input_file    TEXT NOT NULL,
  input_hash    TEXT NOT NULL UNIQUE,
  duration_s    REAL,
  distance_m    REAL,
  strides_valid INTEGER NOT NULL,
  strides_total INTEGER NOT NULL,
  placement     TEXT NOT NULL,
  two_feet      INTEGER NOT NULL,
  speed_mps     REAL,
  tool_version  TEXT NOT NULL,
  saved_at      TEXT NOT NULL
);
CREATE INDEX sessions_by_athlete ON sessions (athlete, start_day);
CREATE TABLE metrics (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  side       TEXT NOT NULL,
  metric     TEXT NOT NULL,
  n          INTEGER NOT NULL,
  mean       REAL,
  sd         REAL,
  median     REAL,
  PRIMARY KEY (session_id, side, metric)
);
CREATE TABLE flags (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  ord        INTEGER NOT NULL,
  id         TEXT NOT NULL,
  severity   TEXT NOT NULL,
  title      TEXT NOT NULL,
  side       TEXT NOT NULL,
  PRIMARY KEY (session_id, ord)
);
)sql";

// Version 2 adds the distance calibrations (stride compare --calibrate-from --save).
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE calibrations (
  id                INTEGER PRIMARY KEY,
  athlete           TEXT NOT NULL,
  shoe              TEXT NOT NULL,
  factor            REAL NOT NULL,
  watch_distance_m  REAL,
  stride_distance_m REAL,
  watch_file        TEXT NOT NULL,
  session_start     TEXT NOT NULL,
  saved_at          TEXT NOT NULL
);
CREATE INDEX calibrations_by_athlete ON calibrations (athlete, shoe);
)sql";

std::string errmsg(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

// A prepared statement: bind by position (1-based), step, read columns; finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& path) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw HistoryError("history database '" + path + "': cannot prepare a statement: " + errmsg(db), kSystemFailure);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Statement& bind(int i, double v) {  // NaN -> NULL
    check(std::isfinite(v) ? sqlite3_bind_double(stmt_, i, v) : sqlite3_bind_null(stmt_, i));
    return *this;
  }
  // true: a row is ready; false: done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw HistoryError("history database '" + path_ + "': " + errmsg(db_) + " (" + sqlite3_sql(stmt_) + ", code " +
                           std::to_string(sqlite3_extended_errcode(db_)) + ")",
                       kSystemFailure, sqlite3_extended_errcode(db_), sqlite3_system_errno(db_));
  }
  void run() {
    while (step()) {
    }
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string();
  }
  std::int64_t integer(int c) const { return sqlite3_column_int64(stmt_, c); }
  double real(int c) const {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(stmt_, c);
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK)
      throw HistoryError("history database '" + path_ + "': cannot bind a value: " + errmsg(db_), kSystemFailure);
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  const std::string& path_;
};

void exec(sqlite3* db, const char* sql, const std::string& path) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = (err ? err : errmsg(db)) + " (" + sql + ", code " + std::to_string(sqlite3_extended_errcode(db)) + ")";
    sqlite3_free(err);
    throw HistoryError("history database '" + path + "': " + msg, kSystemFailure, sqlite3_extended_errcode(db),
                       sqlite3_system_errno(db));
  }
}

// BEGIN IMMEDIATE (the write lock up front, so two writers queue on busy_timeout instead of deadlocking on an
// upgrade); rolled back unless commit() was called.
class Transaction {
 public:
  Transaction(sqlite3* db, const std::string& path) : db_(db), path_(path) { exec(db, "BEGIN IMMEDIATE", path); }
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    exec(db_, "COMMIT", path_);
    open_ = false;
  }

 private:
  sqlite3* db_;
  const std::string& path_;
  bool open_ = true;
};

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// Why this process cannot write the database at `path`, asked of the system (SQLite's errno is that of its last
// call, often the -wal or -shm file, and its message says "readonly database" or "disk I/O error" for all of these):
// a full disk, a file or folder it may not write. "" when nothing is found.
std::string write_obstacle(const std::string& path, int sys_errno) {
  const std::string folder = folder_of(path);
  struct statvfs disk {};
  if (sys_errno == ENOSPC || (::statvfs(folder.c_str(), &disk) == 0 && disk.f_bavail == 0))
    return std::string("the disk is full (") + std::strerror(ENOSPC) + ")";
  if (::access(path.c_str(), W_OK) != 0 && errno != ENOENT)
    return std::string("the file is not writable (") + std::strerror(errno) + ")";
  if (::access(folder.c_str(), W_OK) != 0)
    return "its folder '" + folder + "' is not writable (" + std::strerror(errno) + "; SQLite makes its journal there)";
  return {};
}

// A write that SQLite refused for a reason of the system (read-only file or folder, full disk, I/O): said as such,
// naming the file, instead of SQLite's "attempt to write a readonly database (INSERT INTO ...)". Others unchanged.
HistoryError as_write_failure(const HistoryError& e, const std::string& path) {
  const int code = e.sqlite_code() & 0xff;
  if (code != SQLITE_READONLY && code != SQLITE_FULL && code != SQLITE_IOERR && code != SQLITE_CANTOPEN) return e;
  std::string why = write_obstacle(path, code == SQLITE_FULL ? ENOSPC : e.sys_errno());
  if (why.empty()) why = e.sys_errno() ? std::strerror(e.sys_errno()) : sqlite3_errstr(e.sqlite_code());
  return HistoryError("cannot save to the history database '" + path + "': " + why + "; nothing was saved (" +
                          e.what() + ")",
                      kSystemFailure, e.sqlite_code(), e.sys_errno());
}

// Runs a write; a failure the system caused is said as such (as_write_failure).
template <class Write>
auto writing(const std::string& path, Write&& write) {
  try {
    return write();
  } catch (const HistoryError& e) {
    throw as_write_failure(e, path);
  }
}

// "file:/a%20b/h.sqlite?immutable=1": the path percent-encoded for a URI.
std::string immutable_uri(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    }
  }
  return uri + "?immutable=1";
}

std::int64_t user_version(sqlite3* db, const std::string& path) {
  Statement s(db, "PRAGMA user_version", path);
  return s.step() ? s.integer(0) : 0;
}

std::int64_t table_count(sqlite3* db, const std::string& path) {
  Statement s(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", path);
  return s.step() ? s.integer(0) : 0;
}

void check_version(std::int64_t v, const std::string& path) {
  if (v > HistoryStore::kSchemaVersion)
    throw HistoryError("history database '" + path + "' has schema version " + std::to_string(v) +
                           ", newer than this stride knows (" + std::to_string(HistoryStore::kSchemaVersion) +
                           "): update stride, or choose another file with --db",
                       kBadInput);
}

// Switching to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once (without the busy handler)
// while another connection reads or writes: retry for up to busy_timeout. Once WAL, it stays WAL (in the file).
void set_wal(sqlite3* db, const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(st);
      if (rc == SQLITE_ROW && sqlite3_column_text(st, 0)) mode = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (mode == "wal") return;
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || attempt >= 500)
      throw HistoryError("history database '" + path + "': cannot switch to WAL journal mode (" +
                             (mode.empty() ? errmsg(db) : "mode " + mode) + ")",
                         kSystemFailure, sqlite3_extended_errcode(db), sqlite3_system_errno(db));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

double SessionRow::metric_median(const std::string& name) const {
  double sum = 0;
  int n = 0;
  for (const auto& m : metrics)
    if (m.metric == name) {
      if (m.side == "both") return m.median;
      if (std::isfinite(m.median)) {
        sum += m.median;
        ++n;
      }
    }
  return n ? sum / n : std::nan("");
}

HistoryStore::HistoryStore(const std::string& path, Mode mode) : path_(path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw HistoryError("history database '" + path + "' is a folder: give a file path with --db", kBadArguments);
  if (struct stat st {}; mode == Mode::read_only && ::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      throw HistoryError("no history database at '" + path + "': save sessions with `stride analyze FILE --save`",
                         kBadInput);
    // (a folder on the way that may not be searched, a file used as a folder: not "no history database")
    throw HistoryError("cannot read the history database '" + path + "': " + std::strerror(errno), kSystemFailure);
  }
  if (mode == Mode::read_write) {
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::exists(parent, ec)) {
      fs::create_directories(parent, ec);
      if (ec)
        throw HistoryError("cannot create the folder '" + parent.string() + "' for the history database '" + path +
                               "': " + ec.message(),
                           kSystemFailure);
    }
  }
  const int flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const auto open = [&](const std::string& name, int extra) {
    const int rc = sqlite3_open_v2(name.c_str(), &db_, flags | extra | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc == SQLITE_OK) return;
    std::string msg = errmsg(db_);
    if (db_ && sqlite3_system_errno(db_)) msg += std::string(" (") + std::strerror(sqlite3_system_errno(db_)) + ")";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw HistoryError("cannot open the history database '" + path + "': " + msg, kSystemFailure);
  };
  open(path, 0);
  try {
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_extended_result_codes(db_, 1);
    // The first statement reads the header: a file that is not SQLite fails here (SQLITE_NOTADB). Anything else is
    // the system's refusal (a read-only or full filesystem, no permission), said as such.
    std::int64_t version = 0;
    for (bool immutable = false;; immutable = true) {
      try {
        version = user_version(db_, path);
        break;
      } catch (const HistoryError& e) {
        const int code = sqlite3_extended_errcode(db_) & 0xff;
        const int sys = sqlite3_system_errno(db_);
        if (code == SQLITE_NOTADB)
          throw HistoryError("'" + path + "' is not a stride history database (" + e.what() + ")", kBadInput);
        const bool disk_full = code == SQLITE_FULL || (code == SQLITE_IOERR && sys == ENOSPC);
        if (mode == Mode::read_only && (code == SQLITE_CANTOPEN || disk_full) && !immutable) {
          // A WAL database on a read-only filesystem, or on a full disk, cannot make or grow its shared-memory
          // file: read it as immutable (nothing can write it there anyway).
          sqlite3_close_v2(db_);
          db_ = nullptr;
          open(immutable_uri(path), SQLITE_OPEN_URI);
          sqlite3_busy_timeout(db_, 5000);
          sqlite3_extended_result_codes(db_, 1);
          continue;
        }
        // SQLite's errno is that of its last system call (often the -wal or -shm file it could not make: ENOENT);
        // for a save, the file, its folder and the disk are asked directly (EROFS, EACCES, ENOSPC, ...).
        if (mode == Mode::read_write) throw as_write_failure(e, path);
        throw HistoryError("cannot read the history database '" + path + "'" +
                               (sys ? std::string(": ") + std::strerror(sys) : "") + " (" + e.what() + ")",
                           kSystemFailure);
      }
    }
    check_version(version, path);
    if (mode == Mode::read_only) {
      empty_ = version == 0;
      has_calibrations_ = version >= 2;
      if (empty_ && table_count(db_, path) > 0)
        throw HistoryError("'" + path + "' is an SQLite database but not a stride history (no schema version)",
                           kBadInput);
      return;
    }
    // A file this process may not write is opened read-only by SQLite without a word: say so now, not at the
    // first INSERT as "attempt to write a readonly database".
    if (sqlite3_db_readonly(db_, "main") == 1) {
      const std::string why = write_obstacle(path, EACCES);
      throw HistoryError("cannot save to the history database '" + path + "': " +
                             (why.empty() ? "SQLite opened it read-only" : why) + "; nothing was saved",
                         kSystemFailure);
    }
    writing(path, [&] { prepare_for_writing(version); });
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

// WAL, and the schema created or upgraded (each in one transaction, re-checked: another process may have done it).
void HistoryStore::prepare_for_writing(std::int64_t version) {
  const std::string& path = path_;
  set_wal(db_, path);
  exec(db_, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", path);
  if (version == 0) {
    Transaction t(db_, path_);
    const std::int64_t v = user_version(db_, path);  // another process may have created it meanwhile
    check_version(v, path);
    if (v == 0) {
      if (table_count(db_, path) > 0)
        throw HistoryError("'" + path + "' is an SQLite database but not a stride history (no schema version)",
                           kBadInput);
      exec(db_, kSchema, path);
      exec(db_, kSchemaV2, path);
      exec(db_, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str(), path);
    }
    t.commit();
  } else if (version == 1) {  // upgrade in one transaction, re-checked (another process may have done it)
    Transaction t(db_, path_);
    if (user_version(db_, path) == 1) {
      exec(db_, kSchemaV2, path);
      exec(db_, "PRAGMA user_version = 2", path);
    }
    t.commit();
  }
}

HistoryStore::~HistoryStore() {
  if (db_) sqlite3_close_v2(db_);
}

HistoryStore::SaveOutcome HistoryStore::save(SessionRow row, const BeforeWrite& before_write) {
  if (empty_ || !db_) throw HistoryError("history database '" + path_ + "' is open read-only", kSystemFailure);
  return writing(path_, [&] { return save_row(row, before_write); });
}

HistoryStore::SaveOutcome HistoryStore::save_row(SessionRow& row, const BeforeWrite& before_write) {
  Transaction t(db_, path_);
  SaveOutcome out;
  {
    Statement find(db_, "SELECT id FROM sessions WHERE input_hash = ?1", path_);
    find.bind(1, row.input_hash);
    if (find.step()) {
      out.id = find.integer(0);
      out.replaced = true;
    }
  }
  if (before_write) {
    std::vector<SessionRow> others = load(row.athlete);
    std::erase_if(others, [&](const SessionRow& s) { return s.input_hash == row.input_hash; });
    before_write(row, others);
  }
  row.saved_at = utc_now_iso();
  if (out.replaced) {
    // Its metrics and flags go with it (ON DELETE CASCADE); the new row keeps the id.
    Statement del(db_, "DELETE FROM sessions WHERE id = ?1", path_);
    del.bind(1, out.id).run();
  }
  {
    Statement ins(db_,
                  "INSERT INTO sessions (id, athlete, shoe, start_time, start_day, date_source, input_file, input_hash, "
                  "duration_s, distance_m, strides_valid, strides_total, placement, two_feet, speed_mps, tool_version, "
                  "saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                  path_);
    if (out.replaced) ins.bind(1, out.id);  // else NULL: a new rowid
    ins.bind(2, row.athlete).bind(3, row.shoe).bind(4, row.start_time).bind(5, row.start_day);
    ins.bind(6, row.date_source).bind(7, row.input_file).bind(8, row.input_hash).bind(9, row.duration_s);
    ins.bind(10, row.distance_m).bind(11, row.strides_valid).bind(12, row.strides_total).bind(13, row.placement);
    ins.bind(14, std::int64_t{row.two_feet ? 1 : 0}).bind(15, row.speed_mps).bind(16, row.tool_version);
    ins.bind(17, row.saved_at).run();
    if (!out.replaced) out.id = sqlite3_last_insert_rowid(db_);
  }
  {
    Statement m(db_, "INSERT OR REPLACE INTO metrics (session_id, side, metric, n, mean, sd, median) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", path_);
    for (const auto& r : row.metrics) {
      m.reset();
      m.bind(1, out.id).bind(2, r.side).bind(3, r.metric).bind(4, r.n).bind(5, r.mean).bind(6, r.sd).bind(7, r.median);
      m.run();
    }
  }
  {
    Statement f(db_, "INSERT INTO flags (session_id, ord, id, severity, title, side) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                path_);
    for (std::size_t i = 0; i < row.flags.size(); ++i) {
      const auto& r = row.flags[i];
      f.reset();
      f.bind(1, out.id).bind(2, static_cast<std::int64_t>(i)).bind(3, r.id).bind(4, r.severity).bind(5, r.title);
      f.bind(6, r.side).run();
    }
  }
  t.commit();
  return out;
}

std::vector<SessionRow> HistoryStore::load(const std::string& athlete) const {
  std::vector<SessionRow> rows;
  if (empty_) return rows;
  std::map<std::int64_t, std::size_t> at;
  {
    Statement s(db_,
                "SELECT id, athlete, shoe, start_time, start_day, date_source, input_file, input_hash, duration_s, "
                "distance_m, strides_valid, strides_total, placement, two_feet, speed_mps, tool_version, saved_at "
                "FROM sessions WHERE athlete = ?1 ORDER BY start_day, id",
                path_);
    s.bind(1, athlete);
    while (s.step()) {
      SessionRow r;
      r.id = s.integer(0);
      r.athlete = s.text(1);
      r.shoe = s.text(2);
      r.start_time = s.text(3);
      r.start_day = s.real(4);
      r.date_source = s.text(5);
      r.input_file = s.text(6);
      r.input_hash = s.text(7);
      r.duration_s = s.real(8);
      r.distance_m = s.real(9);
      r.strides_valid = s.integer(10);
      r.strides_total = s.integer(11);
      r.placement = s.text(12);
      r.two_feet = s.integer(13) != 0;
      r.speed_mps = s.real(14);
      r.tool_version = s.text(15);
      r.saved_at = s.text(16);
      at[r.id] = rows.size();
      rows.push_back(std::move(r));
    }
  }
  {
    Statement s(db_,
                "SELECT m.session_id, m.side, m.metric, m.n, m.mean, m.sd, m.median FROM metrics m JOIN sessions s "
                "ON s.id = m.session_id WHERE s.athlete = ?1 ORDER BY m.session_id, m.side, m.metric",
                path_);
    s.bind(1, athlete);
    while (s.step())
      if (auto it = at.find(s.integer(0)); it != at.end())
        rows[it->second].metrics.push_back({s.text(1), s.text(2), s.integer(3), s.real(4), s.real(5), s.real(6)});
  }
  {
    Statement s(db_,
                "SELECT f.session_id, f.id, f.severity, f.title, f.side FROM flags f JOIN sessions s "
                "ON s.id = f.session_id WHERE s.athlete = ?1 ORDER BY f.session_id, f.ord",
                path_);
    s.bind(1, athlete);
    while (s.step())
      if (auto it = at.find(s.integer(0)); it != at.end())
        rows[it->second].flags.push_back({s.text(1), s.text(2), s.text(3), s.text(4)});
  }
  return rows;
}

std::vector<SessionRow> HistoryStore::sessions(const std::string& athlete) const {
  // One read transaction: a consistent snapshot even while another process saves.
  if (empty_) return {};
  exec(db_, "BEGIN", path_);
  try {
    auto rows = load(athlete);
    exec(db_, "COMMIT", path_);
    return rows;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<std::string> HistoryStore::athletes() const {
  std::vector<std::string> v;
  if (empty_) return v;
  Statement s(db_, "SELECT DISTINCT athlete FROM sessions ORDER BY athlete", path_);
  while (s.step()) v.push_back(s.text(0));
  return v;
}

std::int64_t HistoryStore::session_count() const {
  if (empty_) return 0;
  Statement s(db_, "SELECT count(*) FROM sessions", path_);
  return s.step() ? s.integer(0) : 0;
}

std::int64_t HistoryStore::save_calibration(CalibrationRow row) {
  if (empty_ || !db_ || !has_calibrations_)
    throw HistoryError("history database '" + path_ + "' is open read-only", kSystemFailure);
  if (!std::isfinite(row.factor) || row.factor <= 0)
    throw HistoryError("a calibration factor must be a positive number", kBadInput);
  return writing(path_, [&] { return save_calibration_row(row); });
}

std::int64_t HistoryStore::save_calibration_row(CalibrationRow& row) {
  Transaction t(db_, path_);
  row.saved_at = utc_now_iso();
  Statement ins(db_,
                "INSERT INTO calibrations (athlete, shoe, factor, watch_distance_m, stride_distance_m, watch_file, "
                "session_start, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                path_);
  ins.bind(1, row.athlete).bind(2, row.shoe).bind(3, row.factor).bind(4, row.watch_distance_m);
  ins.bind(5, row.stride_distance_m).bind(6, row.watch_file).bind(7, row.session_start).bind(8, row.saved_at).run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  t.commit();
  return id;
}

std::vector<CalibrationRow> HistoryStore::calibrations(const std::string& athlete) const {
  std::vector<CalibrationRow> out;
  if (empty_ || !db_ || !has_calibrations_) return out;
  Statement s(db_,
              "SELECT id, athlete, shoe, factor, watch_distance_m, stride_distance_m, watch_file, session_start, "
              "saved_at FROM calibrations WHERE ?1 = '' OR athlete = ?1 ORDER BY id",
              path_);
  s.bind(1, athlete);
  while (s.step()) {
    CalibrationRow r;
    r.id = s.integer(0);
    r.athlete = s.text(1);
    r.shoe = s.text(2);
    r.factor = s.real(3);
    r.watch_distance_m = s.real(4);
    r.stride_distance_m = s.real(5);
    r.watch_file = s.text(6);
    r.session_start = s.text(7);
    r.saved_at = s.text(8);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace stride::history
