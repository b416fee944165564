// An istream buffer over a string the benchmark keeps: no copy into a stringstream per iteration.
#pragma once

#include <streambuf>
#include <string>

namespace stride::bench {

struct MemoryBuf : std::streambuf {
  explicit MemoryBuf(const std::string& s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

}  // namespace stride::bench
