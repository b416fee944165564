// Reading session documents in tests (docs/session-json.md, "schema": "stride.session/2"): a one-sensor session is
// a document with one foot under "feet"; only_foot() is that foot's content (summary, strides, metadata, …).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stride::test {

// The single foot of a one-sensor document; a test failure (and a null value) when there is not exactly one.
inline const nlohmann::json& only_foot(const nlohmann::json& doc) {
  static const nlohmann::json kNone;
  if (!doc.is_object() || !doc.contains("feet") || !doc["feet"].is_object() || doc["feet"].size() != 1) {
    ADD_FAILURE() << "not a one-sensor stride.session/2 document: " << doc.dump().substr(0, 300);
    return kNone;
  }
  return doc["feet"].begin().value();
}

inline nlohmann::json& only_foot(nlohmann::json& doc) {
  return const_cast<nlohmann::json&>(only_foot(static_cast<const nlohmann::json&>(doc)));
}

}  // namespace stride::test
