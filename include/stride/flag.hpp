// A gait flag: a pattern the runner's-knee literature associates with knee pain, with the evidence behind it.
// Never a diagnosis. See docs/flags.md and ../shared/FLAGS.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stride {

struct Flag {
  std::string id;                    // e.g. "low_cadence"
  enum Severity { info, warn } severity = info;
  std::string title;                 // one short line: what was seen
  std::string evidence;              // the numbers, in words
  std::vector<std::pair<std::string, double>> values;  // machine-readable: name with unit -> value
  std::size_t strides = 0;           // strides behind the flag
  double from_s = 0.0, to_s = 0.0;   // the time range the evidence covers (seconds from the recording's start)
  std::string rule;                  // the rule and thresholds that fired
  std::string why;                   // why it matters, one sentence
  std::string source;                // the literature behind the rule
  std::string what_to_try;
  std::string trust;                 // data quality, placement, one-foot caveats
  std::string side;                  // whose strides: "left", "right", "both", or "" (one sensor, foot not declared)
};

inline std::string_view to_string(Flag::Severity s) { return s == Flag::warn ? "warn" : "info"; }

}  // namespace stride
