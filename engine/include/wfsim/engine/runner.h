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
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wfsim/engine/trace.h"

namespace wfsim::engine {

struct ReplicationResult {
  std::size_t index = 0;
  std::vector<std::vector<double>> series;  // in the order of the output layout
  // Series already encoded as their stored chunks (chunk_encoding.h); where
  // encoded[i] is not empty, series[i] is.
  std::vector<std::vector<char>> encoded;
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

// Replications run by other processes (MPI ranks) whose results the
// consumer takes as well, in run_replications' consumer loop. Every call
// comes from the thread that called run_replications.
class RemoteReplications {
 public:
  virtual ~RemoteReplications() = default;
  // How many replications the others run (results and failures to expect).
  virtual std::size_t count() const = 0;
  // A result that has arrived, or nullptr; never blocks.
  virtual std::unique_ptr<ReplicationResult> poll() = 0;
  // True once every other process has sent its last result.
  virtual bool finished() const = 0;
  // Asks the others to start no more replications (idempotent).
  virtual void stop() = 0;
  // True once another process said a signal cut its share short; then this
  // process stops too. Read from any thread.
  virtual bool interrupted() const = 0;
};

struct RunnerOptions {
  int threads = 0;  // 0: every core
  double commit_interval_seconds = 2.0;
  const std::atomic<bool>* stop = nullptr;  // set by a signal handler
  std::function<void(const RunProgress&)> on_progress;
  RemoteReplications* remote = nullptr;  // none: this process runs every replication
};

struct RunOutcome {
  std::size_t completed = 0;
  std::uint64_t events = 0;
  std::vector<std::pair<std::size_t, std::string>> failures;  // index, message
  bool interrupted = false;
  double wall_seconds = 0.0;
};

// Runs simulate(i) for every index in `pending`. consume() and commit() run on
// the calling thread only: consume for each finished replication (and each
// one options.remote delivers), commit at least every commit_interval_seconds
// and once at the end. If either throws, no replication starts after it,
// those in flight (here and remote) finish and are dropped, and the exception
// reaches the caller.
RunOutcome run_replications(const std::vector<std::size_t>& pending,
                            const std::function<ReplicationResult(std::size_t)>& simulate,
                            const std::function<void(ReplicationResult&)>& consume,
                            const std::function<void()>& commit, const RunnerOptions& options);

// The number of threads `threads` = 0 stands for.
int resolve_thread_count(int threads);

}  // namespace wfsim::engine
