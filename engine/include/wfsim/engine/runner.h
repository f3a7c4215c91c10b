// The Monte Carlo runner: replications in parallel on a TBB arena, results
// handed to one consumer thread (the file writer) and committed periodically.
//
// Each replication is a pure function of its index; it writes nothing shared.
// Results are stored by index, so the outcome does not depend on the thread
// count or on completion order.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "wfsim/engine/trace.h"

namespace wfsim::engine {

struct ReplicationResult {
  std::size_t index = 0;
  std::vector<std::vector<double>> series;  // in the order of the output layout
  std::uint64_t events = 0;
  std::vector<TraceRow> trace;
  std::string error;  // non-empty when the replication failed
};

// Thrown by a replication that saw the stop flag; it is abandoned.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "replication cancelled"; }
};

struct RunProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  double elapsed_seconds = 0.0;
};

struct RunnerOptions {
  int threads = 0;  // 0: every core
  double commit_interval_seconds = 2.0;
  const std::atomic<bool>* stop = nullptr;  // set by a signal handler
  std::function<void(const RunProgress&)> on_progress;
};

struct RunOutcome {
  std::size_t completed = 0;
  std::uint64_t events = 0;
  std::vector<std::pair<std::size_t, std::string>> failures;  // index, message
  bool interrupted = false;
  double wall_seconds = 0.0;
};

// Runs simulate(i) for every index in `pending`. consume() and commit() run on
// the calling thread only: consume for each finished replication, commit at
// least every commit_interval_seconds and once at the end. If either throws,
// no replication starts after it, those in flight finish and are dropped,
// and the exception reaches the caller.
RunOutcome run_replications(const std::vector<std::size_t>& pending,
                            const std::function<ReplicationResult(std::size_t)>& simulate,
                            const std::function<void(ReplicationResult&)>& consume,
                            const std::function<void()>& commit, const RunnerOptions& options);

// The number of threads `threads` = 0 stands for.
int resolve_thread_count(int threads);

}  // namespace wfsim::engine
