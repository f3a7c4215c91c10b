#include "wfsim/engine/event_queue.h"

#include <algorithm>
#include <cmath>

namespace wfsim::engine {

EventQueue::EventQueue(double horizon, std::size_t expected_entries) : horizon_(horizon) {
  std::size_t count = std::clamp<std::size_t>(expected_entries / 32, 64, std::size_t{1} << 22);
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
  if (index == current_ && current_sorted_) {
    // The clock is inside this bucket: keep its unconsumed part sorted.
    auto position = std::upper_bound(bucket.begin() + static_cast<std::ptrdiff_t>(cursor_),
                                     bucket.end(), entry);
    bucket.insert(position, entry);
  } else {
    bucket.push_back(entry);
  }
  ++size_;
}

void EventQueue::open_current_bucket() {
  std::vector<QueueEntry>& bucket = buckets_[current_];
  std::sort(bucket.begin(), bucket.end());
  cursor_ = 0;
  current_sorted_ = true;
}

bool EventQueue::pop_until(double limit, QueueEntry& out) {
  while (size_ > 0) {
    if (!current_sorted_) open_current_bucket();
    std::vector<QueueEntry>& bucket = buckets_[current_];
    if (cursor_ < bucket.size()) {
      if (bucket[cursor_].time > limit) return false;
      out = bucket[cursor_++];
      --size_;
      return true;
    }
    // Release the consumed bucket's memory and move on.
    std::vector<QueueEntry>().swap(bucket);
    if (current_ + 1 >= buckets_.size()) break;
    ++current_;
    current_sorted_ = false;
  }
  return false;
}

}  // namespace wfsim::engine
