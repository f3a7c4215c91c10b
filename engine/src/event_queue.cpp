#include "wfsim/engine/event_queue.h"

#include <algorithm>
#include <cmath>

namespace wfsim::engine {

EventQueue::EventQueue(double horizon, std::size_t expected_pushes) : horizon_(horizon) {
  std::size_t count = std::clamp<std::size_t>(expected_pushes / 512, 64, std::size_t{1} << 20);
  buckets_.resize(count);
  inverse_width_ = horizon > 0.0 ? static_cast<double>(count) / horizon : 0.0;
}

std::size_t EventQueue::bucket_of(double time) const {
  double scaled = time * inverse_width_;
  std::size_t index = scaled <= 0.0 ? 0 : static_cast<std::size_t>(scaled);
  index = std::min(index, buckets_.size() - 1);
  return std::max(index, current_);
}

void EventQueue::push(double time, std::uint32_t order, std::uint32_t target) {
  if (!(time <= horizon_)) return;  // also drops NaN
  const QueueEntry entry{time, order, target};
  const std::size_t index = bucket_of(time);
  std::vector<QueueEntry>& bucket = buckets_[index];
  if (bucket.capacity() == 0 && !spare_buffers_.empty()) {
    bucket.swap(spare_buffers_.back());
    spare_buffers_.pop_back();
  }
  if (index == current_ && current_sorted_)
    insert_sorted(bucket, cursor_, entry);  // the clock is inside this bucket
  else if (index == current_ + 1 && next_sorted_)
    insert_sorted(bucket, 0, entry);
  else
    bucket.push_back(entry);
  ++size_;
}

void EventQueue::insert_sorted(std::vector<QueueEntry>& bucket, std::size_t from,
                               const QueueEntry& entry) {
  auto position =
      std::upper_bound(bucket.begin() + static_cast<std::ptrdiff_t>(from), bucket.end(), entry);
  bucket.insert(position, entry);
}

void EventQueue::open_current_bucket() {
  std::vector<QueueEntry>& bucket = buckets_[current_];
  std::sort(bucket.begin(), bucket.end());
  cursor_ = 0;
  current_sorted_ = true;
}

bool EventQueue::pop_until_slow(double limit, QueueEntry& out) {
  while (size_ > 0) {
    if (!current_sorted_) open_current_bucket();
    std::vector<QueueEntry>& bucket = buckets_[current_];
    if (cursor_ < bucket.size()) {
      if (bucket[cursor_].time > limit) return false;
      out = bucket[cursor_++];
      --size_;
      if (!next_sorted_ && cursor_ + kLookahead >= bucket.size() &&
          current_ + 1 < buckets_.size()) {
        std::vector<QueueEntry>& next = buckets_[current_ + 1];
        std::sort(next.begin(), next.end());
        next_sorted_ = true;
      }
      return true;
    }
    // Recycle the consumed bucket's buffer (a few: most buckets start
    // filling long before the clock reaches them) and move on.
    if (spare_buffers_.size() < kMaxSpareBuffers) {
      bucket.clear();
      spare_buffers_.push_back(std::move(bucket));
    }
    std::vector<QueueEntry>().swap(bucket);
    if (current_ + 1 >= buckets_.size()) break;
    ++current_;
    cursor_ = 0;
    current_sorted_ = next_sorted_;
    next_sorted_ = false;
  }
  return false;
}

}  // namespace wfsim::engine
