// Reading a session document leniently, for the pages: a missing or null field is "not measured" (NaN, "", a null
// json), never an exception, so a document from an older or other writer still renders.
#pragma once

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace stride::report {

inline const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json null_json;
  if (!j.is_object()) return null_json;
  const auto it = j.find(key);
  return it == j.end() ? null_json : *it;
}

inline double number(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = field(j, key);
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

inline std::string text(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = field(j, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return {};
}

}  // namespace stride::report
