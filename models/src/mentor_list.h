// The mentors taking mentees, in the order requests are served: least
// loaded first, ties by each mentor's priority draw, then by index.
//
// One binary heap per load, in contiguous memory. Listings are removed
// lazily: the model says through `is_live` whether a listing still holds
// (the mentor is still listed, at that load), and dead ones are dropped when
// they reach a heap's top or when they outnumber the live ones. A balanced
// tree keyed the same way costs a cache miss per level on every pairing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace wfsim::models::detail {

class MentorList {
 public:
  struct Listing {
    std::uint64_t priority;
    std::uint32_t agent;
    std::uint16_t load;
  };

  void list(std::uint16_t load, std::uint64_t priority, std::uint32_t agent) {
    if (load >= heaps_.size()) heaps_.resize(std::size_t{load} + 1);
    push(Listing{priority, agent, load});
    lowest_ = std::min<std::size_t>(lowest_, load);
    ++live_;
  }

  // The caller has made a listing dead (is_live now false for it).
  template <typename IsLive>
  void unlisted(IsLive&& is_live) {
    --live_;
    if (entries_ > 2 * live_ + kSlack) compact(is_live);
  }

  // The first live listing whose agent is not `excluded`, or `none`.
  template <typename IsLive>
  std::uint32_t first(std::uint32_t excluded, std::uint32_t none, IsLive&& is_live) {
    for (std::size_t load = lowest_; load < heaps_.size(); ++load) {
      std::vector<Listing>& heap = heaps_[load];
      drop_dead_tops(heap, is_live);
      if (heap.empty()) {
        if (load == lowest_) ++lowest_;  // every heap below lowest_ is empty
        continue;
      }
      if (heap.front().agent != excluded) return heap.front().agent;
      // The excluded agent is on top: look past it, then put it back.
      const Listing held = heap.front();
      pop(heap);
      --entries_;
      std::uint32_t found = none;
      for (std::size_t l = load; l < heaps_.size() && found == none; ++l) {
        std::vector<Listing>& h = heaps_[l];
        for (drop_dead_tops(h, is_live); !h.empty() && h.front().agent == excluded;
             drop_dead_tops(h, is_live))
          pop(h), --entries_;  // a duplicate listing of the excluded agent
        if (!h.empty()) found = h.front().agent;
      }
      push(held);
      return found;
    }
    return none;
  }

  std::size_t size() const { return live_; }

 private:
  static constexpr std::size_t kSlack = 1024;

  static bool later(const Listing& a, const Listing& b) {
    return a.priority != b.priority ? a.priority > b.priority : a.agent > b.agent;
  }
  void push(const Listing& listing) {
    std::vector<Listing>& heap = heaps_[listing.load];
    heap.push_back(listing);
    std::push_heap(heap.begin(), heap.end(), later);
    ++entries_;
  }
  static void pop(std::vector<Listing>& heap) {
    std::pop_heap(heap.begin(), heap.end(), later);
    heap.pop_back();
  }
  template <typename IsLive>
  void drop_dead_tops(std::vector<Listing>& heap, IsLive& is_live) {
    while (!heap.empty() && !is_live(heap.front())) {
      pop(heap);
      --entries_;
    }
  }
  // Keeps one listing per live agent (a live listing carries the agent's
  // load, so there is one live load per agent) and rebuilds the heaps, in
  // time linear in the listings.
  template <typename IsLive>
  void compact(IsLive& is_live) {
    entries_ = 0;
    lowest_ = std::numeric_limits<std::size_t>::max();
    for (std::size_t load = 0; load < heaps_.size(); ++load) {
      std::vector<Listing>& heap = heaps_[load];
      std::size_t kept = 0;
      for (const Listing& listing : heap) {
        if (!is_live(listing)) continue;
        if (listing.agent >= seen_.size()) seen_.resize(std::size_t{listing.agent} + 1, false);
        if (seen_[listing.agent]) continue;
        seen_[listing.agent] = true;
        heap[kept++] = listing;
      }
      heap.resize(kept);
      for (const Listing& listing : heap) seen_[listing.agent] = false;
      std::make_heap(heap.begin(), heap.end(), later);
      entries_ += kept;
      if (kept > 0) lowest_ = std::min(lowest_, load);
    }
  }

  std::vector<std::vector<Listing>> heaps_;  // by load
  std::size_t lowest_ = std::numeric_limits<std::size_t>::max();
  std::size_t entries_ = 0;  // listings held, live or dead
  std::size_t live_ = 0;
  std::vector<bool> seen_;  // compact(): agents already kept, all false between calls
};

}  // namespace wfsim::models::detail
