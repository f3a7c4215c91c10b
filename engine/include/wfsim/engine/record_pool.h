// Records addressed by a 32-bit index, allocated in fixed chunks and reused
// after release.
//
// For state that only some entities have at a time (an employee's program
// and mentoring record): memory follows the records in use, without the
// doubling slack of a vector, and a record never moves, so a reference to
// one stays valid while others are allocated.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace wfsim::engine {

template <typename T>
class RecordPool {
 public:
  static constexpr unsigned kChunkBits = 12;  // 4096 records a chunk
  static constexpr std::uint32_t kChunkMask = (1u << kChunkBits) - 1;

  // A default-initialised record's index; the caller sets every field.
  std::uint32_t allocate() {
    if (!free_.empty()) {
      const std::uint32_t index = free_.back();
      free_.pop_back();
      return index;
    }
    if ((size_ & kChunkMask) == 0) chunks_.emplace_back(new T[std::size_t{1} << kChunkBits]);
    return size_++;
  }
  void release(std::uint32_t index) { free_.push_back(index); }

  T& operator[](std::uint32_t index) { return chunks_[index >> kChunkBits][index & kChunkMask]; }
  const T& operator[](std::uint32_t index) const {
    return chunks_[index >> kChunkBits][index & kChunkMask];
  }
  std::size_t in_use() const { return size_ - free_.size(); }
  std::uint32_t allocated() const { return size_; }  // indices below are records, held or free

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::uint32_t size_ = 0;
  std::vector<std::uint32_t> free_;
};

}  // namespace wfsim::engine
