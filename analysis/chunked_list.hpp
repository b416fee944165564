// A list that grows in fixed chunks and is handed out as one vector of exactly its size. A std::vector grown by
// push_back holds, while it doubles, the old array and the new one of twice the size (3x the contents), and keeps up
// to 2x afterwards: for the strides of 24 h of running (122 000 Stride of 336 B) that was a 66 MB moment and 44 MB
// kept, against 41 MB of strides. Here the peak is the contents plus one chunk, when take() moves them out.
// A chunk is 256 KiB by default: above the mmap threshold `stride analyze` fixes (128 KiB), so each chunk goes back
// to the system as soon as it is moved. Smaller chunks came from the heap and stayed resident after being freed: the
// 24-hour run's 7.8 MB of events were briefly held twice, the whole command's peak.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace stride {

template <class T>
class ChunkedList {
 public:
  static constexpr std::size_t kChunkBytes = 256 * 1024;
  explicit ChunkedList(std::size_t chunk_size = kChunkBytes / sizeof(T)) : chunk_size_(chunk_size > 0 ? chunk_size : 1) {}

  void push_back(T value) {
    if (chunks_.empty() || chunks_.back().size() == chunk_size_) {
      chunks_.emplace_back();
      chunks_.back().reserve(chunk_size_);
    }
    chunks_.back().push_back(std::move(value));
    ++size_;
  }
  std::size_t size() const { return size_; }

  // Everything pushed, in order, appended to `out` (reserved to its final size first); each chunk is freed as soon
  // as it is moved. The list is empty afterwards.
  void move_into(std::vector<T>& out) {
    out.reserve(out.size() + size_);
    for (auto& chunk : chunks_) {
      for (auto& x : chunk) out.push_back(std::move(x));
      std::vector<T>().swap(chunk);
    }
    chunks_.clear();
    size_ = 0;
  }

 private:
  std::size_t chunk_size_;
  std::size_t size_ = 0;
  std::vector<std::vector<T>> chunks_;
};

}  // namespace stride
