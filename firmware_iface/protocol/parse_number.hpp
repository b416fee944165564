// Text -> double for the CSV reader's hot loop. fast_float (Debian libfast-float-dev, header-only) is correctly
// rounded like std::from_chars, so the value is bit for bit the same; inlined, it is faster on the native format's
// 17-digit numbers. Whatever it does not read completely as a normal number (zero, subnormal, infinite, NaN, an
// error, a partial read) is read again by std::from_chars, so such cells, their errors and messages stay exactly as
// std::from_chars makes them (libstdc++ reports an underflow to zero or a subnormal as out of range).
#pragma once

#include <charconv>
#include <cmath>
#include <fast_float/fast_float.h>
#include <system_error>

namespace stride::io::detail {

inline std::from_chars_result parse_double(const char* first, const char* last, double& value) {
  double v = 0.0;
  const auto r = fast_float::from_chars(first, last, v);
  if (r.ec == std::errc() && r.ptr == last && std::isnormal(v)) {
    value = v;
    return {r.ptr, r.ec};
  }
  return std::from_chars(first, last, value);
}

}  // namespace stride::io::detail
