// Bytes the test program asked of operator new: the global operator new of the test binary is replaced
// (alloc_counter.cpp) to count them, so that a test can bound what a piece of code allocates without timing it.
#pragma once

#include <cstddef>

namespace stride::test {

// Total bytes requested from operator new / new[] so far, all threads (monotonic; frees are not subtracted).
std::size_t bytes_allocated();

// Bytes requested between construction and now.
class AllocationMeter {
 public:
  AllocationMeter() : start_(bytes_allocated()) {}
  std::size_t bytes() const { return bytes_allocated() - start_; }

 private:
  std::size_t start_;
};

}  // namespace stride::test
