// The session document (docs/session-json.md) as analyse_session hands it out: the JSON without the strides'
// objects, plus each foot's strides as the analysis gave them. A stride held as a nlohmann object costs ~2.7 KB
// (~45 map nodes and keys), as indented text ~1.4 KB, as a `Stride` 336 B; 24 h of running is ~120 000 strides a
// foot, so the document is written one stride at a time (write) and built whole only where a reader needs the
// whole JSON (materialise: the HTML report, FIT export, compare). Both give the same bytes as the whole document's
// dump().
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "stride/gait.hpp"

namespace stride::session {

class StreamedDocument {
 public:
  StreamedDocument() = default;
  // The whole document but for the feet's strides (its strings valid UTF-8: make_valid_utf8).
  explicit StreamedDocument(nlohmann::json without_strides) : without_strides_(std::move(without_strides)) {}
  // The strides of the foot under "feet" with this key (moved in, not copied); its "strides" in without_strides()
  // becomes []. A key with no foot object is ignored.
  void add_strides(const std::string& foot, std::vector<Stride> strides);

  bool is_null() const { return without_strides_.is_null(); }
  // Everything but the strides' objects: the summaries, flags and metadata (what the history and the batch index
  // read), at a size that does not grow with the strides.
  const nlohmann::json& without_strides() const { return without_strides_; }
  nlohmann::json& without_strides() { return without_strides_; }

  // The whole document as one JSON value (what session_to_json used to return).
  nlohmann::json materialise() const;
  // materialise().dump(indent), handed to `sink` in pieces of about 64 KiB: memory flat in the strides.
  void write(const std::function<void(std::string_view)>& sink, int indent) const;

 private:
  struct FootStrides {
    std::string foot;
    std::vector<Stride> strides;
  };
  nlohmann::json without_strides_;
  std::vector<FootStrides> strides_;
};

// One stride's object as the document holds it: stride_json with its strings made valid UTF-8.
nlohmann::json document_stride_json(const Stride& stride);

// The document and a newline to `path` through OutputFile (whole or not at all), or to standard output
// (write_stdout's checks). Throw OutputError.
void write_document_file(const std::string& path, const StreamedDocument& doc, int indent);
void write_document_stdout(const StreamedDocument& doc, int indent);

}  // namespace stride::session
