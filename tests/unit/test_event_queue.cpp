#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <vector>

#include "wfsim/engine/event_queue.h"

using wfsim::engine::EventQueue;
using wfsim::engine::QueueEntry;

TEST_CASE("the queue pops entries in (time, order, target) order", "[engine][queue]") {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> time(0.0, 10.0);
  EventQueue queue(10.0, 1000);
  std::vector<QueueEntry> pushed;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    QueueEntry e{time(rng), static_cast<std::uint32_t>(rng() % 4), i};
    if (i % 7 == 0) e.time = std::floor(e.time);  // exact ties in time
    pushed.push_back(e);
    queue.push(e);
  }
  std::sort(pushed.begin(), pushed.end());
  QueueEntry out{};
  std::vector<QueueEntry> popped;
  while (queue.pop_until(10.0, out)) popped.push_back(out);
  REQUIRE(popped.size() == pushed.size());
  for (std::size_t i = 0; i < popped.size(); ++i) {
    REQUIRE(popped[i].time == pushed[i].time);
    REQUIRE(popped[i].order == pushed[i].order);
    REQUIRE(popped[i].target == pushed[i].target);
  }
}

TEST_CASE("entries pushed while popping come out in order, including at the current time",
          "[engine][queue]") {
  std::mt19937_64 rng(99);
  std::exponential_distribution<double> delay(4.0);
  EventQueue queue(5.0, 64);
  for (std::uint32_t i = 0; i < 200; ++i) queue.push(delay(rng), 1, i);
  double last_time = 0.0;
  std::uint32_t last_order = 0;
  std::uint32_t next_id = 200;
  QueueEntry out{};
  std::size_t pops = 0;
  while (queue.pop_until(5.0, out)) {
    REQUIRE(out.time >= last_time);
    if (out.time == last_time) REQUIRE(out.order >= last_order);
    last_time = out.time;
    last_order = out.order;
    ++pops;
    if (next_id < 20000) {
      queue.push(out.time + delay(rng), 1, next_id++);
      if (next_id % 5 == 0) queue.push(out.time, 2, next_id++);  // same instant, later class
    }
  }
  REQUIRE(pops > 1000);
  REQUIRE(queue.empty());
}

TEST_CASE("pop_until stops at the limit and resumes later", "[engine][queue]") {
  EventQueue queue(10.0, 100);
  queue.push(1.0, 0, 1);
  queue.push(3.0, 0, 2);
  queue.push(2.0, 0, 3);
  QueueEntry out{};
  REQUIRE(queue.pop_until(2.0, out));
  REQUIRE(out.target == 1);
  REQUIRE(queue.pop_until(2.0, out));
  REQUIRE(out.target == 3);
  REQUIRE_FALSE(queue.pop_until(2.0, out));
  queue.push(2.5, 0, 4);  // earlier than what is left, after the cursor moved on
  REQUIRE(queue.pop_until(10.0, out));
  REQUIRE(out.target == 4);
  REQUIRE(queue.pop_until(10.0, out));
  REQUIRE(out.target == 2);
}

TEST_CASE("entries after the horizon are dropped", "[engine][queue]") {
  EventQueue queue(1.0, 10);
  queue.push(1.0, 0, 1);
  queue.push(1.0000001, 0, 2);
  queue.push(std::numeric_limits<double>::infinity(), 0, 3);
  REQUIRE(queue.size() == 1);
}

TEST_CASE("thousands of entries at one instant come out in (order, target) order",
          "[engine][queue]") {
  // A wave puts many entries at one time: they crowd one slot of the bucket's
  // distribution sort, amid entries spread over the rest of the bucket.
  std::mt19937_64 rng(7);
  EventQueue queue(1.0, 512 * 8);
  std::vector<QueueEntry> pushed;
  std::uniform_real_distribution<double> time(0.5, 0.6);
  for (std::uint32_t i = 0; i < 6000; ++i) {
    const QueueEntry e{i % 2 == 0 ? 0.55 : time(rng), static_cast<std::uint32_t>(rng() >> 40), i};
    pushed.push_back(e);
    queue.push(e);
  }
  std::sort(pushed.begin(), pushed.end());
  QueueEntry out{};
  for (const QueueEntry& expected : pushed) {
    REQUIRE(queue.pop_until(1.0, out));
    REQUIRE(out.time == expected.time);
    REQUIRE(out.order == expected.order);
    REQUIRE(out.target == expected.target);
  }
  REQUIRE(queue.empty());
}

TEST_CASE("a queue of many buckets pops what an ordered set would, under any mix of pushes",
          "[engine][queue]") {
  // 1,000 buckets: pushes near the clock (into the bucket being consumed or
  // the next), far ahead, at the current instant and past the horizon, while
  // popping up to limits.
  std::mt19937_64 rng(2024);
  const double horizon = 50.0;
  EventQueue queue(horizon, 512 * 1000);
  std::multiset<QueueEntry> reference;
  const auto push = [&](const QueueEntry& e) {
    queue.push(e);
    if (e.time <= horizon) reference.insert(e);
  };
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::uint32_t next_target = 0;
  double now = 0.0;
  for (int i = 0; i < 20000; ++i)
    push({uniform(rng) * horizon * 1.1, static_cast<std::uint32_t>(rng() % 8), next_target++});
  QueueEntry out{};
  for (double limit = 0.37; limit < horizon + 1.0; limit += 0.37) {
    while (queue.pop_until(limit, out)) {
      REQUIRE_FALSE(reference.empty());
      const QueueEntry expected = *reference.begin();
      reference.erase(reference.begin());
      REQUIRE(out.time == expected.time);
      REQUIRE(out.order == expected.order);
      REQUIRE(out.target == expected.target);
      now = out.time;
      switch (rng() % 4) {
        case 0:  // near: within a bucket or two
          push({now + uniform(rng) * 0.1, static_cast<std::uint32_t>(rng() % 8), next_target++});
          break;
        case 1:  // far: usually a later block
          push({now + uniform(rng) * 20.0, static_cast<std::uint32_t>(rng() % 8), next_target++});
          break;
        case 2:  // this instant, a later class
          push({now, 8 + static_cast<std::uint32_t>(rng() % 8), next_target++});
          break;
        default:
          break;
      }
    }
    REQUIRE(queue.size() == reference.size());
  }
  REQUIRE(queue.empty());
}
