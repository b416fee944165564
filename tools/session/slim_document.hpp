// A session document parsed with its stride objects slimmed to the fields the stride timeline reads
// (timeline_reads_stride_field in fit_export.hpp): `stride export` and `stride compare` read nothing else of a
// stride, and a day's document parsed whole took 512 MB (24 h at 1 kHz: 122 k strides of 34 fields each).
#pragma once

#include <istream>
#include <nlohmann/json.hpp>

namespace stride::session {

// The whole document, every stride object (an object directly inside an array under the key "strides") with only
// the timeline's fields; the other fields' values are skipped as they are read, never built. Throws what
// nlohmann::json::parse throws on a malformed document.
nlohmann::json parse_keeping_timeline_fields(std::istream& in);

}  // namespace stride::session
