#include "wfsim/engine/runner.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace wfsim::engine {

namespace {

// Finished replications on their way to the writer thread. Bounded, so that
// results never pile up faster than the writer drains them. A mutex and a
// condition variable (not a lock-free queue) keep the hand-over visible to
// ThreadSanitizer; it carries one item per replication, so its cost is nil.
class ResultChannel {
 public:
  explicit ResultChannel(std::size_t capacity) : capacity_(capacity) {}

  void push(std::unique_ptr<ReplicationResult> item) {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    ready_.notify_one();
  }
  // Waits up to `timeout` for an item; false if none came.
  bool pop(std::unique_ptr<ReplicationResult>& item, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [&] { return !items_.empty(); })) return false;
    item = std::move(items_.front());
    items_.pop_front();
    space_.notify_one();
    return true;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::unique_ptr<ReplicationResult>> items_;
};

// Runs body(k) for k in [0, count) on `threads` threads.
template <typename Body>
void parallel_over(std::size_t count, int threads, Body&& body) {
#if defined(WFSIM_THREAD_SANITIZER)
  // libtbb is not instrumented, so ThreadSanitizer would report its internal
  // synchronisation as races; under TSan, plain threads take the indices.
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t k = next++; k < count; k = next++) body(k);
    });
  for (std::thread& thread : pool) thread.join();
#else
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, count, 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t k = range.begin(); k != range.end(); ++k) body(k);
        },
        tbb::simple_partitioner());
  });
#endif
}

}  // namespace

int resolve_thread_count(int threads) {
  if (threads > 0) return threads;
  return std::max(1, tbb::this_task_arena::max_concurrency());
}

RunOutcome run_replications(const std::vector<std::size_t>& pending,
                            const std::function<ReplicationResult(std::size_t)>& simulate,
                            const std::function<void(ReplicationResult&)>& consume,
                            const std::function<void()>& commit, const RunnerOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const int threads = resolve_thread_count(options.threads);
  RemoteReplications* const remote = options.remote;
  auto stopping = [&] {
    return (options.stop != nullptr && options.stop->load()) ||
           (remote != nullptr && remote->interrupted());
  };
  // Set when the consumer fails (e.g. the disk is full): nothing new starts.
  std::atomic<bool> consumer_failed{false};

  ResultChannel finished(2 * static_cast<std::size_t>(threads) + 2);
  std::thread producer([&] {
    parallel_over(pending.size(), threads, [&](std::size_t k) {
      if (stopping() || consumer_failed.load()) return;
      auto result = std::make_unique<ReplicationResult>();
      try {
        *result = simulate(pending[k]);
      } catch (const Cancelled&) {
        return;
      } catch (const std::exception& error) {
        // One failed replication must not cancel the others.
        result = std::make_unique<ReplicationResult>();
        result->error = error.what();
      }
      result->index = pending[k];
      finished.push(std::move(result));
    });
    finished.push(nullptr);  // end of results
  });

  RunOutcome outcome;
  const std::size_t total = pending.size() + (remote != nullptr ? remote->count() : 0);
  // With remote results to take, the loop wakes often to look for them.
  const std::chrono::milliseconds wait(remote != nullptr ? 2 : 50);
  bool remote_stopped = false;
  auto stop_remote = [&] {
    if (remote != nullptr && !remote_stopped) remote->stop();
    remote_stopped = true;
  };
  auto last_commit = Clock::now();
  auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  auto take = [&](ReplicationResult& result) {
    if (!result.error.empty()) {
      outcome.failures.emplace_back(result.index, result.error);
    } else {
      outcome.events += result.events;
      consume(result);
      ++outcome.completed;
    }
    if (options.on_progress)
      options.on_progress(
          {outcome.completed + outcome.failures.size(), total, seconds_since(start)});
  };
  bool local_done = false;
  try {
    for (;;) {
      std::unique_ptr<ReplicationResult> result;
      if (!local_done && finished.pop(result, wait)) {
        if (!result)
          local_done = true;
        else
          take(*result);
      } else if (local_done && remote != nullptr && !remote->finished()) {
        std::this_thread::sleep_for(wait);
      }
      if (remote != nullptr) {
        if (stopping()) stop_remote();
        while (auto arrived = remote->poll()) take(*arrived);
      }
      const bool done = local_done && (remote == nullptr || remote->finished());
      if (done || seconds_since(last_commit) >= options.commit_interval_seconds) {
        commit();
        last_commit = Clock::now();
      }
      if (done) break;
    }
  } catch (...) {
    // The replications in flight finish and are dropped; then the error goes
    // to the caller, whose file keeps what was committed before.
    consumer_failed.store(true);
    stop_remote();
    for (std::unique_ptr<ReplicationResult> result; !local_done;)
      if (finished.pop(result, std::chrono::milliseconds(50)) && !result) local_done = true;
    producer.join();
    while (remote != nullptr && !remote->finished()) {
      while (remote->poll()) {
      }
      std::this_thread::sleep_for(wait);
    }
    throw;
  }
  producer.join();
  outcome.interrupted = stopping() && outcome.completed + outcome.failures.size() < total;
  outcome.wall_seconds = seconds_since(start);
  return outcome;
}

}  // namespace wfsim::engine
