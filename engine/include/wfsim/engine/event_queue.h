// The future-event list of one replication.
//
// Order: (time, order key, target). The order key puts event classes at the
// same instant in a fixed order (high bits) and, within a class, orders
// entities by a priority drawn from their own stream (low bits), so ties are
// never broken by creation order or list position. The target (an index the
// model interprets) makes the order total.
//
// Implementation: a bucketed calendar over [0, horizon]. Pushing appends to
// the bucket of the entry's time; a bucket is sorted when the clock reaches
// it. Entries after the horizon are dropped: they can never fire. Cancelled
// entries are left in place and recognised by the model when popped (lazy
// deletion), which is cheaper than removing them.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace wfsim::engine {

struct QueueEntry {
  double time;
  std::uint32_t order;
  std::uint32_t target;
};

// One 128-bit comparison instead of three: times are never negative, and
// the bits of a non-negative double order exactly as its value. Sorting the
// calendar's buckets is a fifth of the kernel's time; this saves a fifth of it.
inline unsigned __int128 sort_key(const QueueEntry& e) {
  std::uint64_t time_bits;
  std::memcpy(&time_bits, &e.time, sizeof time_bits);
  return (static_cast<unsigned __int128>(time_bits) << 64) |
         (static_cast<std::uint64_t>(e.order) << 32) | e.target;
}

inline bool operator<(const QueueEntry& a, const QueueEntry& b) {
  return sort_key(a) < sort_key(b);
}

// Builds an order key from an event class (0-15, lower first) and a priority.
constexpr std::uint32_t order_key(unsigned event_class, std::uint64_t priority_draw) {
  return (static_cast<std::uint32_t>(event_class) << 28) |
         static_cast<std::uint32_t>(priority_draw >> 36);
}

class EventQueue {
 public:
  // `expected_pushes` (over the whole horizon) sizes the calendar: about 512
  // entries a bucket, measured best: smaller buckets spread pushes over more
  // places in memory, larger ones make sorting dearer.
  EventQueue(double horizon, std::size_t expected_pushes);

  // Entries later than the horizon are dropped. `time` must not be earlier
  // than the last popped entry.
  void push(double time, std::uint32_t order, std::uint32_t target);
  void push(const QueueEntry& entry) { push(entry.time, entry.order, entry.target); }

  // Pops the earliest entry if its time is <= limit.
  bool pop_until(double limit, QueueEntry& out) {
    if (current_sorted_) {  // the common case, inline
      const std::vector<QueueEntry>& bucket = buckets_[current_];
      if (cursor_ < bucket.size()) {
        if (bucket[cursor_].time > limit) return false;
        out = bucket[cursor_++];
        --size_;
        return true;
      }
    }
    return pop_until_slow(limit, out);
  }

  // The entry `ahead` places after the next one, if the bucket being
  // consumed holds it, else nullptr: lets the caller prefetch what the
  // coming events will touch.
  const QueueEntry* peek_ahead(std::size_t ahead) const {
    if (!current_sorted_) return nullptr;
    const std::vector<QueueEntry>& bucket = buckets_[current_];
    return cursor_ + ahead < bucket.size() ? &bucket[cursor_ + ahead] : nullptr;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  double horizon() const { return horizon_; }

 private:
  static constexpr std::size_t kMaxSpareBuffers = 16;
  bool pop_until_slow(double limit, QueueEntry& out);
  std::size_t bucket_of(double time) const;
  void open_current_bucket();
  void sort_bucket(std::size_t index);
  void insert_sorted(std::vector<QueueEntry>& bucket, std::size_t from, const QueueEntry& entry);

  double horizon_;
  double inverse_width_;
  std::vector<std::vector<QueueEntry>> buckets_;
  // Buffers of consumed buckets, handed to buckets that start filling: saves
  // the allocations and copies of growing every bucket from nothing.
  std::vector<std::vector<QueueEntry>> spare_buffers_;
  // Scratch space of sort_bucket(), kept to avoid reallocating.
  std::vector<QueueEntry> sort_scratch_;
  std::vector<std::uint32_t> slot_of_;
  std::vector<std::uint32_t> slot_starts_;
  std::size_t current_ = 0;  // bucket being consumed
  std::size_t cursor_ = 0;   // next entry of the current bucket
  // The bucket being consumed is sorted and takes pushes by insertion.
  bool current_sorted_ = false;
  std::size_t size_ = 0;
};

}  // namespace wfsim::engine
