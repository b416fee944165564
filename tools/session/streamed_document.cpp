#include "tools/session/streamed_document.hpp"

#include <algorithm>
#include <cstdio>

#include "tools/session/output_file.hpp"
#include "tools/session/session_json.hpp"

namespace stride::session {
namespace {

using nlohmann::json;

constexpr std::size_t kPieceBytes = std::size_t{64} << 10;

// Writes a document whose strides are apart as json::dump(indent) writes the whole one. Only the objects on the way
// from the root to a foot's "strides" (the root, "feet", the foot) and the strides' arrays are laid out here, by
// the serializer's rules (nlohmann/json 3.x: "{\n", the key, "\": ", the value, ",\n" between members, the closing
// bracket on its own line at the parent's indent; "[]" and "{}" when empty; no spaces at all when compact). Every
// other value, a stride's object included, is json's own dump, indented to its depth by a run of spaces after each
// of its newlines (a JSON text has newlines only between tokens: strings escape theirs).
class Writer {
 public:
  Writer(const std::function<void(std::string_view)>& sink, int indent) : sink_(sink), indent_(indent) {}

  void hole(const json* at, const std::vector<Stride>* strides) { holes_.emplace_back(at, strides); }
  void on_the_way(const json* object) { ways_.push_back(object); }

  void value(const json& v, int depth) {
    if (const auto h = std::find_if(holes_.begin(), holes_.end(), [&](const auto& x) { return x.first == &v; });
        h != holes_.end())
      strides(*h->second, depth);
    else if (std::find(ways_.begin(), ways_.end(), &v) != ways_.end())
      object(v, depth);
    else
      dumped(v.dump(indent_), depth);
  }

  void finish() {
    if (!buffer_.empty()) sink_(buffer_);
    buffer_.clear();
  }

 private:
  bool pretty() const { return indent_ >= 0; }

  void put(std::string_view s) {
    buffer_ += s;
    if (buffer_.size() >= kPieceBytes) finish();
  }
  void pad(int depth) { buffer_.append(static_cast<std::size_t>(depth * indent_), ' '); }

  // Opening bracket, the members or elements by `each(i, depth)`, closing bracket.
  template <class Each>
  void container(char open, char close, std::size_t n, int depth, Each each) {
    if (n == 0) {
      put({&open, 1});
      put({&close, 1});
      return;
    }
    put({&open, 1});
    if (pretty()) put("\n");
    for (std::size_t i = 0; i < n; ++i) {
      if (pretty()) pad(depth + 1);
      each(i, depth + 1);
      if (i + 1 < n) put(pretty() ? ",\n" : ",");
    }
    if (pretty()) {
      put("\n");
      pad(depth);
    }
    put({&close, 1});
  }

  void object(const json& o, int depth) {
    auto it = o.begin();
    container('{', '}', o.size(), depth, [&](std::size_t, int inner) {
      put(json(it.key()).dump());
      put(pretty() ? ": " : ":");
      value(it.value(), inner);
      ++it;
    });
  }

  void strides(const std::vector<Stride>& all, int depth) {
    container('[', ']', all.size(), depth,
              [&](std::size_t i, int inner) { dumped(document_stride_json(all[i]).dump(indent_), inner); });
  }

  void dumped(const std::string& text, int depth) {
    std::size_t from = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
      put(std::string_view(text).substr(from, nl + 1 - from));
      pad(depth);
      from = nl + 1;
    }
    put(std::string_view(text).substr(from));
  }

  const std::function<void(std::string_view)>& sink_;
  const int indent_;
  std::string buffer_;
  std::vector<std::pair<const json*, const std::vector<Stride>*>> holes_;
  std::vector<const json*> ways_;
};

// The foot's object under "feet", or nullptr.
const json* foot_object(const json& doc, const std::string& foot) {
  if (!doc.is_object() || !doc.contains("feet") || !doc["feet"].is_object()) return nullptr;
  const auto it = doc["feet"].find(foot);
  return it != doc["feet"].end() && it->is_object() ? &*it : nullptr;
}

}  // namespace

json document_stride_json(const Stride& stride) {
  json j = stride_json(stride);
  make_valid_utf8(j);
  return j;
}

void StreamedDocument::add_strides(const std::string& foot, std::vector<Stride> strides) {
  if (!foot_object(without_strides_, foot)) return;
  without_strides_["feet"][foot]["strides"] = json::array();
  strides_.push_back({foot, std::move(strides)});
}

json StreamedDocument::materialise() const {
  json doc = without_strides_;
  for (const auto& f : strides_) {
    json& all = doc["feet"][f.foot]["strides"];
    all.get_ref<json::array_t&>().reserve(f.strides.size());
    for (const auto& s : f.strides) all.push_back(document_stride_json(s));
  }
  return doc;
}

void StreamedDocument::write(const std::function<void(std::string_view)>& sink, int indent) const {
  Writer out(sink, indent);
  for (const auto& f : strides_) {
    const json& foot = without_strides_.at("feet").at(f.foot);
    out.hole(&foot.at("strides"), &f.strides);
    out.on_the_way(&foot);
  }
  if (!strides_.empty() && without_strides_.contains("feet")) {  // the root and "feet" lead to every foot
    out.on_the_way(&without_strides_.at("feet"));
    out.on_the_way(&without_strides_);
  }
  out.value(without_strides_, 0);
  out.finish();
}

void write_document_file(const std::string& path, const StreamedDocument& doc, int indent) {
  OutputFile file(path);
  std::ostream& stream = file.stream();
  doc.write([&](std::string_view piece) { stream.write(piece.data(), static_cast<std::streamsize>(piece.size())); },
            indent);
  stream << '\n';
  file.commit();
}

void write_document_stdout(const StreamedDocument& doc, int indent) {
  doc.write([](std::string_view piece) { write_stdout(piece); }, indent);
  write_stdout("\n");
}

}  // namespace stride::session
