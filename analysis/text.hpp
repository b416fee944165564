// Numbers in messages (analysis/ links no formatting library: only Eigen and the standard library).
#pragma once

#include <cstdio>
#include <string>

namespace stride {

inline std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

inline std::string signed_fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, v >= 0 ? "+%.*f" : "%.*f", decimals, v);
  return buf;
}

// A share as a percentage: 0.123 -> "12 %" (pct) or "+12 %" (spct).
inline std::string pct(double share, int decimals = 0) { return fixed(100.0 * share, decimals) + " %"; }
inline std::string spct(double share, int decimals = 0) { return signed_fixed(100.0 * share, decimals) + " %"; }

}  // namespace stride
