#include "wfsim/engine/runner.h"

#include <tbb/blocked_range.h>
#include <tbb/concurrent_queue.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <memory>
#include <thread>

namespace wfsim::engine {

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
  auto stopping = [&] { return options.stop != nullptr && options.stop->load(); };

  // Bounded, so finished results never pile up faster than the writer drains them.
  tbb::concurrent_bounded_queue<std::unique_ptr<ReplicationResult>> finished;
  finished.set_capacity(2 * threads + 2);

  std::thread producer([&] {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, pending.size(), 1),
          [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t k = range.begin(); k != range.end(); ++k) {
              if (stopping()) return;
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
            }
          },
          tbb::simple_partitioner());
    });
    finished.push(nullptr);  // end of results
  });

  RunOutcome outcome;
  auto last_commit = Clock::now();
  auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  bool done = false;
  while (!done) {
    std::unique_ptr<ReplicationResult> result;
    if (finished.try_pop(result)) {
      if (!result) {
        done = true;
      } else if (!result->error.empty()) {
        outcome.failures.emplace_back(result->index, result->error);
      } else {
        outcome.events += result->events;
        consume(*result);
        ++outcome.completed;
      }
      if (options.on_progress)
        options.on_progress(
            {outcome.completed + outcome.failures.size(), pending.size(), seconds_since(start)});
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (done || seconds_since(last_commit) >= options.commit_interval_seconds) {
      commit();
      last_commit = Clock::now();
    }
  }
  producer.join();
  outcome.interrupted = stopping() && outcome.completed + outcome.failures.size() < pending.size();
  outcome.wall_seconds = seconds_since(start);
  return outcome;
}

}  // namespace wfsim::engine
