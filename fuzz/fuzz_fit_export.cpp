// A session document turned into a FIT activity, as `stride export SESSION.json --fit` does (tools/session/
// fit_export.hpp): any JSON, or bytes that are not JSON, through the document check, the stride timeline, the
// per-second records and laps, and the FIT encoder; what is written must decode with both CRCs checked. Refusals are
// DocumentError, std::invalid_argument (what the command reports and exits 2 on) and the JSON library's type errors
// for a field of the wrong kind; anything else, a sanitizer report, a timeout or running out of memory is a finding.
// (A "duration_s" of 1e300 crashed the cast to a count of seconds, 1e10 filled the memory: both refused now.)
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "firmware_iface/fit/reader.hpp"
#include "tools/document/session_document.hpp"
#include "tools/session/fit_export.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return 0;
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
