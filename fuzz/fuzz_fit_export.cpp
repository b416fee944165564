// A session document turned into a FIT activity, as `stride export SESSION.json --fit` does (tools/session/
// slim_document.hpp, fit_export.hpp): any JSON, or bytes that are not JSON, through the document check, the stride timeline, the
// per-second records and laps, and the FIT encoder; what is written must decode with both CRCs checked. Refusals are
// DocumentError, std::invalid_argument (what the command reports and exits 2 on) and the JSON library's type errors
// for a field of the wrong kind; anything else, a sanitizer report, a timeout or running out of memory is a finding.
// (A "duration_s" of 1e300 crashed the cast to a count of seconds, 1e10 filled the memory: both refused now.)
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "firmware_iface/fit/reader.hpp"
#include "tools/document/session_document.hpp"
#include "tools/session/fit_export.hpp"
#include "tools/session/slim_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Parsed as the command parses it: stride objects slimmed by the SAX filter (tools/session/slim_document.hpp).
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  nlohmann::json doc;
  try {
    doc = stride::session::parse_keeping_timeline_fields(in);
  } catch (const nlohmann::json::exception&) {  // not JSON (parse_error), or a number out of a double's range
    return 0;
  }
  try {
    stride::document::check_readable(doc, "fuzz input");
    stride::session::FitExportOptions o;
    o.lap_m = 1000;
    const auto timeline = stride::session::stride_timeline(doc, "", 1.7e9, "fuzz");
    const auto activity = stride::session::build_fit_activity(timeline, o);
    const auto bytes = stride::session::encode_fit_activity(activity, o);
    (void)stride::fit::decode(bytes, "export.fit");  // throws FitError (not caught: a finding) if unreadable
  } catch (const stride::document::DocumentError&) {
  } catch (const std::invalid_argument&) {
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
