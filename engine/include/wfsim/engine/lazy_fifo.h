// A first-in-first-out queue whose entries are removed lazily.
//
// Waiting lists (open vacancies, the redeployment pool) lose members from the
// middle all the time. Unlinking from an intrusive list would touch two more
// records at random places in memory; instead an entry carries a stamp, the
// owner decides whether it is still live, and dead entries are skipped when
// they reach the front or dropped in bulk when they outnumber live ones.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>

namespace wfsim::engine {

template <typename Entry>
class LazyFifo {
 public:
  void push(const Entry& entry) { items_.push_back(entry); }

  // The oldest live entry, or nullptr; dead entries before it are dropped.
  template <typename IsLive>
  const Entry* front(IsLive is_live) {
    while (!items_.empty() && !is_live(items_.front())) items_.pop_front();
    return items_.empty() ? nullptr : &items_.front();
  }

  // The oldest live entry that satisfies `wanted`, or nullptr.
  template <typename IsLive, typename Wanted>
  const Entry* find_first(IsLive is_live, Wanted wanted) const {
    for (const Entry& e : items_)
      if (is_live(e) && wanted(e)) return &e;
    return nullptr;
  }

  // Keeps memory proportional to the live entries (amortised O(1) a push).
  template <typename IsLive>
  void compact(std::size_t live_count, IsLive is_live) {
    if (items_.size() <= 8 * live_count + 256) return;
    items_.erase(
        std::remove_if(items_.begin(), items_.end(), [&](const Entry& e) { return !is_live(e); }),
        items_.end());
  }

  template <typename IsLive>
  std::size_t count_live(IsLive is_live) const {
    return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), is_live));
  }

  std::size_t size() const { return items_.size(); }

 private:
  std::deque<Entry> items_;
};

}  // namespace wfsim::engine
