#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
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
