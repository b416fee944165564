// The test binary's global operator new: counts the bytes requested and held (alloc_counter.hpp), then defers to
// malloc.
// The aligned forms are left as the library has them (they allocate and free on their own).
#include "alloc_counter.hpp"

#include <atomic>
#include <malloc.h>

#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> g_bytes{0};
std::atomic<std::size_t> g_live{0}, g_peak{0};

void* counted(std::size_t n) noexcept {
  g_bytes.fetch_add(n, std::memory_order_relaxed);
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p) {
    const std::size_t live = g_live.fetch_add(malloc_usable_size(p), std::memory_order_relaxed) + malloc_usable_size(p);
    std::size_t peak = g_peak.load(std::memory_order_relaxed);
    while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
    }
  }
  return p;
}

void release(void* p) noexcept {
  if (p) g_live.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

std::size_t stride::test::bytes_allocated() { return g_bytes.load(std::memory_order_relaxed); }
std::size_t stride::test::live_bytes() { return g_live.load(std::memory_order_relaxed); }
std::size_t stride::test::peak_live_bytes() { return g_peak.load(std::memory_order_relaxed); }
void stride::test::reset_peak_live_bytes() { g_peak.store(g_live.load(std::memory_order_relaxed), std::memory_order_relaxed); }

void* operator new(std::size_t n) {
  if (void* p = counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
