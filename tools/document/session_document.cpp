#include "tools/document/session_document.hpp"

#include <algorithm>

namespace stride::document {
namespace {

using nlohmann::json;

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

bool is_object_member(const json& j, const char* key) {
  const json* m = member(j, key);
  return m && m->is_object();
}

std::string string_member(const json& j, const char* key) {
  const json* m = member(j, key);
  return m && m->is_string() ? m->get<std::string>() : std::string();
}

// A value from the document, short enough for a one-line message whatever the document holds.
std::string shown(const json& value) {
  std::string s = value.is_string() ? value.get<std::string>()
                                    : value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

}  // namespace

Layout layout_of(const json& doc) {
  if (!doc.is_object()) return Layout::not_a_session;
  if (const json* schema = member(doc, "schema")) {
    if (!schema->is_string() || schema->get<std::string>() != kSchema) return Layout::unknown_schema;
    return is_object_member(doc, "feet") ? Layout::current : Layout::not_a_session;
  }
  if (const json* session = member(doc, "session"); session && session->is_string())
    return session->get<std::string>() == "two_feet" && is_object_member(doc, "feet") ? Layout::two_feet_v1
                                                                                     : Layout::not_a_session;
  return is_object_member(doc, "summary") ? Layout::one_sensor_v1 : Layout::not_a_session;
}

bool is_session_document(const json& doc) {
  const Layout l = layout_of(doc);
  return l == Layout::current || l == Layout::one_sensor_v1 || l == Layout::two_feet_v1;
}

void check_readable(const json& doc, const std::string& source) {
  if (is_session_document(doc)) return;
  if (layout_of(doc) == Layout::unknown_schema) {
    const json& schema = *member(doc, "schema");
    const std::string found = shown(schema);
    if (!schema.is_string())
      throw DocumentError(source + ": \"schema\" is " + found + "; expected the string \"" + kSchema + "\"");
    if (found.rfind("stride.session/", 0) == 0)
      throw DocumentError(source + ": schema '" + found + "' is not one this stride reads (it reads " + kSchema +
                          " and the unversioned documents of earlier versions): written by a newer stride? Update "
                          "stride, or analyse the recording again with this one");
    throw DocumentError(source + ": schema '" + found + "' is not a stride session document (expected " + kSchema +
                        ", docs/session-json.md)");
  }
  if (!doc.is_object())
    throw DocumentError(source + ": not a session document: a JSON " + std::string(doc.type_name()) +
                        ", expected an object with \"schema\": \"" + kSchema + "\"");
  if (member(doc, "schema"))
    throw DocumentError(source + ": a " + kSchema + " document without a \"feet\" object (docs/session-json.md)");
  throw DocumentError(source + ": not a session document: expected \"schema\": \"" + kSchema +
                      "\" and \"feet\", or an earlier stride's document (\"summary\" at the top, or \"session\": "
                      "\"two_feet\")");
}

std::vector<Foot> feet(const json& doc) {
  std::vector<Foot> out;
  switch (layout_of(doc)) {
    case Layout::current:
    case Layout::two_feet_v1: {
      const json& all = *member(doc, "feet");
      for (const char* side : {"left", "right", "unknown"})
        if (is_object_member(all, side)) out.push_back({side, member(all, side)});
      break;
    }
    case Layout::one_sensor_v1: {
      const json* meta = member(doc, "metadata");
      out.push_back({foot_key(meta ? string_member(*meta, "side") : std::string()), &doc});
      break;
    }
    case Layout::not_a_session:
    case Layout::unknown_schema:
      break;
  }
  return out;
}

bool is_two_feet(const json& doc) {
  const auto f = feet(doc);
  return f.size() >= 2 && f[0].side == "left" && f[1].side == "right";
}

std::string foot_key(const std::string& declared_side) {
  return declared_side == "left" || declared_side == "right" ? declared_side : "unknown";
}

std::int64_t count_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  const double v = it->get<double>();
  if (!(v > 0)) return 0;
  return static_cast<std::int64_t>(std::min(v, 9007199254740992.0));
}

}  // namespace stride::document
