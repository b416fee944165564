#include "tools/session/slim_document.hpp"

#include <vector>

#include "tools/session/fit_export.hpp"

namespace stride::session {
namespace {

using nlohmann::json;

// A SAX filter in front of nlohmann's own DOM builder (what json::parse uses): every event goes through unchanged
// except a stride field the timeline does not read, whose value (a scalar, or an array or object with all it holds)
// is dropped. nlohmann's parser callback does the same after building each value, at twice the parse time.
// json_sax_dom_parser is nlohmann's detail API as of 3.11 (Debian 12's 3.11.2); 3.12 adds an input-adapter template
// argument and a lexer pointer to its constructor: a move to 3.12 must follow it here.
class KeepTimelineFields {
 public:
  explicit KeepTimelineFields(json& out) : dom_(out) {}

  bool null() { return skip_value() || dom_.null(); }
  bool boolean(bool v) { return skip_value() || dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return skip_value() || dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return skip_value() || dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& text) {
    return skip_value() || dom_.number_float(v, text);
  }
  bool string(json::string_t& v) { return skip_value() || dom_.string(v); }
  bool binary(json::binary_t& v) { return skip_value() || dom_.binary(v); }

  bool start_object(std::size_t n) {
    if (skip_container()) return true;
    open(in_strides_array() ? Kind::stride : Kind::object);
    return dom_.start_object(n);
  }
  bool start_array(std::size_t n) {
    if (skip_container()) return true;
    open(after_strides_key_ && !open_.empty() && open_.back() != Kind::array && open_.back() != Kind::strides
             ? Kind::strides
             : Kind::array);
    return dom_.start_array(n);
  }
  bool end_object() { return close() || dom_.end_object(); }
  bool end_array() { return close() || dom_.end_array(); }

  bool key(json::string_t& k) {
    if (skipping_ > 0) return true;
    if (!open_.empty() && open_.back() == Kind::stride && !timeline_reads_stride_field(k)) {
      skip_next_ = true;
      return true;
    }
    after_strides_key_ = k == "strides";
    return dom_.key(k);
  }

  // A template, as the DOM builder's: it throws the parser's own exception type (parse_error, out_of_range).
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
    return dom_.parse_error(position, token, e);
  }

 private:
  enum class Kind { object, array, strides, stride };

  bool in_strides_array() const { return !open_.empty() && open_.back() == Kind::strides; }
  void open(Kind k) {
    open_.push_back(k);
    after_strides_key_ = false;
  }
  // A scalar: inside a dropped container, or itself the dropped value.
  bool skip_value() {
    if (skipping_ > 0) return true;
    if (!skip_next_) return false;
    skip_next_ = false;
    return true;
  }
  // The start of an array or object: one level deeper in a dropped value, or a dropped value's first level.
  bool skip_container() {
    if (skipping_ > 0 || skip_next_) {
      ++skipping_;
      skip_next_ = false;
      return true;
    }
    return false;
  }
  // The end of an array or object: true when it belonged to a dropped value.
  bool close() {
    if (skipping_ > 0) {
      --skipping_;
      return true;
    }
    open_.pop_back();
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<Kind> open_;     // the containers being built, innermost last
  std::size_t skipping_ = 0;   // > 0: inside a dropped array or object, this many levels deep
  bool skip_next_ = false;     // the next value is a dropped field's
  bool after_strides_key_ = false;
};

}  // namespace

nlohmann::json parse_keeping_timeline_fields(std::istream& in) {
  json doc;
  KeepTimelineFields sax(doc);
  json::sax_parse(in, &sax);
  return doc;
}

}  // namespace stride::session
