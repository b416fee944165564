// The session document's layout (docs/session-json.md), for readers: which schema a document declares and where
// its feet are, whichever version of stride wrote it. The one place that knows the layouts before
// "stride.session/2" (a one-sensor document with everything at the top; "session": "two_feet"), so that the report,
// the history, batch, FIT export and compare read old documents alike. Pure: JSON in, views and messages out.
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace stride::document {

// The schema every document stride writes declares, at the top: "schema": "stride.session/2".
inline constexpr const char* kSchema = "stride.session/2";

enum class Layout {
  not_a_session,   // any other JSON
  one_sensor_v1,   // no "schema": an earlier stride's one-sensor document ("summary", "strides", … at the top)
  two_feet_v1,     // no "schema": an earlier stride's "session": "two_feet" with "feet": {"left", "right"}
  current,         // "schema": "stride.session/2", "feet": {…}
  unknown_schema,  // a "schema" this stride does not read (a newer stride's, or another tool's)
};
Layout layout_of(const nlohmann::json& doc);

// True for a layout this stride reads (current or one of the earlier ones).
bool is_session_document(const nlohmann::json& doc);

// A reader's bad input: the message names the document (`source`, e.g. its file) and what was found.
class DocumentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws DocumentError unless `doc` is a session document this stride reads: an unknown schema is named as found
// ("run.json: schema 'stride.session/9' is not one this stride reads (it reads stride.session/2 and …)").
void check_readable(const nlohmann::json& doc, const std::string& source);

// One foot (or shin) of a session: its key under "feet" and its one-sensor content (docs/session-json.md).
struct Foot {
  std::string side;             // "left", "right" or "unknown" (the sensor's side was not declared)
  const nlohmann::json* doc;    // points into the document it came from
};

// The feet of a readable document, in the order left, right, unknown (those present as objects); empty for a
// document this stride does not read. An earlier one-sensor document is its own single foot.
std::vector<Foot> feet(const nlohmann::json& doc);

// Both a left and a right foot: the bilateral part may be there.
bool is_two_feet(const nlohmann::json& doc);

// The key a sensor's document goes under in "feet": its declared side ("left", "right"), else "unknown".
std::string foot_key(const std::string& declared_side);

// A count (strides, a metric's n) read from a document as a whole number: absent, not a number, NaN or negative ->
// 0; beyond 2^53 (where a JSON number stops being exact, far beyond any real count) -> 2^53. A document is input
// like any other: a hostile "n": 1e300 must not reach an integer cast (fuzz/fuzz_history_store.cpp found one).
std::int64_t count_field(const nlohmann::json& object, const char* key);

}  // namespace stride::document
