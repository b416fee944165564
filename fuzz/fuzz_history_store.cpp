// The history's round trip of a session document (tools/history): any JSON is saved with save_session (the path of
// `analyze --save`: document -> row, the load flags from the athlete's other sessions, one transaction) into an
// SQLite database in a temporary folder, read back (HistoryStore::sessions) and shown as `stride history` does
// (athlete_history, its JSON, the CSV, the coach's overview). A saved session must come back with the athlete,
// shoe, input hash and as many metrics and flags as were saved. Refusals are HistoryError; anything else (a crash,
// UB, a leak, another exception, a row that does not come back) is a finding. Seeds: the session_json seeds.
// The database is made once and emptied after every input, so each input meets the same history.
#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tools/history/athlete_history.hpp"
#include "tools/history/history_save.hpp"
#include "tools/history/history_store.hpp"

namespace {

using stride::history::HistoryError;
using stride::history::HistoryStore;

struct Scratch {
  std::string dir, db;
  std::unique_ptr<HistoryStore> reader;  // kept open: the WAL is not made and removed for every input
  sqlite3* raw = nullptr;                // empties the tables between inputs

  Scratch() {
    char tmpl[] = "/tmp/fuzz_history_XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) std::abort();
    dir = tmpl;
    db = dir + "/h.sqlite";
    reader = std::make_unique<HistoryStore>(db, HistoryStore::Mode::read_write);
    if (sqlite3_open(db.c_str(), &raw) != SQLITE_OK) std::abort();
    sqlite3_busy_timeout(raw, 5000);
  }
  ~Scratch() {
    sqlite3_close(raw);
    reader.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  void empty() {
    if (sqlite3_exec(raw, "DELETE FROM flags; DELETE FROM metrics; DELETE FROM sessions; DELETE FROM calibrations",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
      std::abort();
  }
};

Scratch& scratch() {
  static Scratch s;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return 0;
  Scratch& s = scratch();
  stride::history::SessionRow expected;
  try {
    expected = stride::history::session_row_from_document(doc, {});
    const auto saved = stride::history::save_session(s.db, doc, {});
    const auto rows = s.reader->sessions(expected.athlete);
    const stride::history::SessionRow* back = nullptr;
    for (const auto& r : rows)
      if (r.id == saved.session_id) back = &r;
    if (back == nullptr || back->athlete != expected.athlete || back->shoe != expected.shoe ||
        back->input_hash != expected.input_hash || back->metrics.size() != expected.metrics.size() ||
        back->flags.size() != expected.flags.size() + saved.load_flags.size())
      std::abort();
    const auto h = stride::history::athlete_history(rows, "", {}, {});
    (void)stride::history::athlete_history_json(h, {}, nlohmann::json::array())
        .dump(2, ' ', false, nlohmann::json::error_handler_t::strict);  // stored text must be valid UTF-8
    (void)stride::history::sessions_csv(rows);
    (void)stride::history::athlete_overview(expected.athlete, rows, static_cast<long>(back->start_day));
  } catch (const HistoryError&) {
  }
  s.empty();
  return 0;
}
