#include "content_hash.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace stride::io {

std::string Fnv1a64::hex() const {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(state));
  return text;
}

HashingStreambuf::HashingStreambuf(std::streambuf& source, Fnv1a64 seed)
    : source_(source), hash_(seed), buf_(std::size_t{1} << 16), worker_([this] { hash_queued(); }) {
  filling_.reserve(kBlock);
}

HashingStreambuf::~HashingStreambuf() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void HashingStreambuf::hash_queued() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closing, and everything handed over is hashed
    std::vector<char> block = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    changed_.notify_all();  // the reader may be waiting for room
    hash_.update(block.data(), block.size());
    block.clear();
    lock.lock();
    spare_.push_back(std::move(block));
  }
}

void HashingStreambuf::hand_over() {
  if (filling_.empty()) return;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kQueued; });
  queue_.push_back(std::move(filling_));
  if (!spare_.empty()) {
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    filling_ = {};
    filling_.reserve(kBlock);
  }
  lock.unlock();
  changed_.notify_all();
}

void HashingStreambuf::hash_later(const char* bytes, std::size_t n) {
  while (n > 0) {
    const std::size_t take = std::min(n, kBlock - filling_.size());
    filling_.insert(filling_.end(), bytes, bytes + take);
    bytes += take;
    n -= take;
    if (filling_.size() == kBlock) hand_over();
  }
}

HashingStreambuf::int_type HashingStreambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  const std::streamsize got = source_.sgetn(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  if (got <= 0) return traits_type::eof();
  hash_later(buf_.data(), static_cast<std::size_t>(got));
  setg(buf_.data(), buf_.data(), buf_.data() + got);
  return traits_type::to_int_type(*gptr());
}

std::streamsize HashingStreambuf::xsgetn(char* dst, std::streamsize n) {
  // What is buffered was handed to the hash when it came in; the rest is read into dst and handed over from there.
  const std::streamsize buffered = std::min<std::streamsize>(n, egptr() - gptr());
  if (buffered > 0) {  // (before the first underflow there is no get area: gptr() is null)
    std::memcpy(dst, gptr(), static_cast<std::size_t>(buffered));
    gbump(static_cast<int>(buffered));
  }
  if (buffered == n) return n;
  const std::streamsize got = source_.sgetn(dst + buffered, n - buffered);
  if (got <= 0) return buffered;
  hash_later(dst + buffered, static_cast<std::size_t>(got));
  return buffered + got;
}

Fnv1a64 HashingStreambuf::finish() {
  setg(buf_.data(), buf_.data(), buf_.data());  // what the reader has not taken was handed over already
  while (underflow() != traits_type::eof()) setg(buf_.data(), buf_.data(), buf_.data());
  hand_over();
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  worker_.join();
  return hash_;
}

}  // namespace stride::io
