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

}  // namespace stride
