// A session document as `stride report` and the history read it (docs/session-json.md): any JSON, or bytes that
// are not JSON at all, through the layout check (tools/document), the report's check and renderer, the history
// report's renderer and the history's document -> row. Refusals are DocumentError, HistoryError or a document that
// is_session_document turns down; anything else is a finding. Seeds: documents of the current layout (*_v2.json)
// and of the earlier one.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "tools/document/session_document.hpp"
#include "tools/history/history_save.hpp"
#include "tools/history/history_store.hpp"
#include "tools/report/history_report.hpp"
#include "tools/report/html_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return 0;
  try {
    stride::document::check_readable(doc, "fuzz input");
  } catch (const stride::document::DocumentError&) {
  }
  if (stride::report::is_session_document(doc)) (void)stride::report::render_html_report({doc}, {});
  (void)stride::report::render_history_report({doc}, {});  // a `stride history --json` document, or anything
  try {
    (void)stride::history::session_row_from_document(doc, {});
  } catch (const stride::history::HistoryError&) {
  }
  return 0;
}
