// Bytes the test program asked of operator new: the global operator new of the test binary is replaced
// (alloc_counter.cpp) to count them, so that a test can bound what a piece of code allocates without timing it.
#pragma once

#include <algorithm>
#include <cstddef>

namespace stride::test {

// Total bytes requested from operator new / new[] so far, all threads (monotonic; frees are not subtracted).
std::size_t bytes_allocated();

// Bytes held now (malloc's usable size of every live block from operator new), and the most held since
// reset_peak_live_bytes().
std::size_t live_bytes();
std::size_t peak_live_bytes();
void reset_peak_live_bytes();

// The most bytes held at once between construction and now, beyond what was held at construction (one meter at a
// time: it resets the peak).
class PeakMeter {
 public:
  PeakMeter() : start_(live_bytes()) { reset_peak_live_bytes(); }
  std::size_t peak_bytes() const { return peak_live_bytes() - std::min(start_, peak_live_bytes()); }

 private:
  std::size_t start_;
};

// Bytes requested between construction and now.
class AllocationMeter {
 public:
  AllocationMeter() : start_(bytes_allocated()) {}
  std::size_t bytes() const { return bytes_allocated() - start_; }

 private:
  std::size_t start_;
};

}  // namespace stride::test
