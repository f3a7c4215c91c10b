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

// Sorts a bucket by distribution: entries go to one of about as many time
// slots as there are entries (one counting pass), and each slot is sorted on
// its own. Slots are disjoint, ordered ranges of time, so the result is the
// full (time, order, target) order — the same as std::sort gives — at a
// fraction of its comparisons: sorting was a quarter of the kernel's work.
void EventQueue::sort_bucket(std::size_t index) {
  std::vector<QueueEntry>& bucket = buckets_[index];
  const std::size_t n = bucket.size();
  if (n < 64) {
    std::sort(bucket.begin(), bucket.end());
    return;
  }
  const std::size_t slots = n;
  const double start = static_cast<double>(index) / inverse_width_;
  const double scale = inverse_width_ * static_cast<double>(slots);
  slot_of_.resize(n);
  slot_starts_.assign(slots + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double position = (bucket[i].time - start) * scale;
    // Entries clamped into this bucket may lie outside its span: first or last slot.
    const std::size_t slot =
        position <= 0.0 ? 0 : std::min(static_cast<std::size_t>(position), slots - 1);
    slot_of_[i] = static_cast<std::uint32_t>(slot);
    ++slot_starts_[slot + 1];
  }
  for (std::size_t k = 0; k < slots; ++k) slot_starts_[k + 1] += slot_starts_[k];
  sort_scratch_.resize(n);
  for (std::size_t i = 0; i < n; ++i) sort_scratch_[slot_starts_[slot_of_[i]]++] = bucket[i];
  // slot_starts_[k] now holds the end of slot k (and the start of slot k + 1).
  std::size_t begin = 0;
  for (std::size_t k = 0; k < slots; ++k) {
    const std::size_t end = slot_starts_[k];
    if (end - begin > 16) {
      std::sort(sort_scratch_.begin() + static_cast<std::ptrdiff_t>(begin),
                sort_scratch_.begin() + static_cast<std::ptrdiff_t>(end));
    } else {
      for (std::size_t i = begin + 1; i < end; ++i) {  // insertion sort: a slot holds ~1
        const QueueEntry entry = sort_scratch_[i];
        std::size_t j = i;
        for (; j > begin && entry < sort_scratch_[j - 1]; --j)
          sort_scratch_[j] = sort_scratch_[j - 1];
        sort_scratch_[j] = entry;
      }
    }
    begin = end;
  }
  bucket.swap(sort_scratch_);
}

void EventQueue::open_current_bucket() {
  sort_bucket(current_);
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
    current_sorted_ = false;
  }
  return false;
}

}  // namespace wfsim::engine
