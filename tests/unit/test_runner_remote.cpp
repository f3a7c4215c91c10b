// run_replications with replications run elsewhere (RunnerOptions::remote,
// the MPI ranks): the consumer takes the local and the remote results once
// each, counts them in the outcome and the progress, commits after the last,
// stops the others when it is stopped, and drains them when it fails.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "wfsim/engine/runner.h"

using wfsim::engine::RemoteReplications;
using wfsim::engine::ReplicationResult;
using wfsim::engine::RunnerOptions;
using wfsim::engine::RunOutcome;
using wfsim::engine::RunProgress;

namespace {

using Clock = std::chrono::steady_clock;

// Remote replications delivered from a queue, one every `delay` at most (a
// result becomes available once its time has come). `interrupt_after`
// results, it reports interrupted() and delivers no more.
class FakeRemote : public RemoteReplications {
 public:
  FakeRemote(std::vector<std::size_t> indices, std::chrono::milliseconds delay)
      : delay_(delay), count_(indices.size()), start_(Clock::now()) {
    for (std::size_t i : indices) {
      ReplicationResult r;
      r.index = i;
      r.events = 1000 + i;
      r.series = {{static_cast<double>(i)}};
      queue_.push_back(std::move(r));
    }
  }
  void fail(std::size_t index, const std::string& message) {
    for (ReplicationResult& r : queue_)
      if (r.index == index) {
        r.series.clear();
        r.events = 0;
        r.error = message;
      }
  }
  void interrupt_after(std::size_t delivered) { interrupt_after_ = delivered; }

  std::size_t count() const override { return count_; }
  std::unique_ptr<ReplicationResult> poll() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) ++polls_after_stop_;
    if (delivered_ >= interrupt_after_) {
      interrupted_ = true;
      return nullptr;
    }
    if (queue_.empty()) return nullptr;
    if (Clock::now() < start_ + delay_ * static_cast<int>(delivered_ + 1)) return nullptr;
    auto result = std::make_unique<ReplicationResult>(std::move(queue_.front()));
    queue_.pop_front();
    ++delivered_;
    return result;
  }
  bool finished() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    // After stop() the others finish what they have in flight: they are done
    // once polled again (so finished() says whether the runner drained them).
    if (stopped_) return queue_.empty() || polls_after_stop_ > 0;
    return queue_.empty() || interrupted_;
  }
  void stop() override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stop_calls_;
    stopped_ = true;
  }
  bool interrupted() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return interrupted_;
  }

  int stop_calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_calls_;
  }
  std::size_t delivered() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return delivered_;
  }
  std::size_t left() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<ReplicationResult> queue_;
  std::chrono::milliseconds delay_;
  std::size_t count_;
  Clock::time_point start_;
  std::size_t delivered_ = 0;
  std::size_t interrupt_after_ = static_cast<std::size_t>(-1);
  std::size_t polls_after_stop_ = 0;
  bool interrupted_ = false;
  bool stopped_ = false;
  int stop_calls_ = 0;
};

ReplicationResult local_result(std::size_t i) {
  ReplicationResult r;
  r.index = i;
  r.events = 10 + i;
  r.series = {{static_cast<double>(i)}};
  return r;
}

std::vector<std::size_t> range(std::size_t from, std::size_t to) {
  std::vector<std::size_t> v;
  for (std::size_t i = from; i < to; ++i) v.push_back(i);
  return v;
}

}  // namespace

TEST_CASE("local and remote results are each consumed once, counted, and committed after",
          "[runner]") {
  const std::vector<std::size_t> local = range(0, 40);
  const std::vector<std::size_t> remote_indices = range(40, 65);
  FakeRemote remote(remote_indices, std::chrono::milliseconds(1));

  std::map<std::size_t, int> consumed;
  std::vector<std::string> calls;  // "consume" / "commit" in order
  std::size_t last_total = 0, last_done = 0, progress_calls = 0;
  RunnerOptions options;
  options.threads = 2;
  options.commit_interval_seconds = 1000.0;  // only the final commit
  options.remote = &remote;
  options.on_progress = [&](const RunProgress& p) {
    ++progress_calls;
    last_total = p.total;
    last_done = p.done;
  };
  const RunOutcome outcome = wfsim::engine::run_replications(
      local, local_result,
      [&](ReplicationResult& r) {
        ++consumed[r.index];
        REQUIRE(r.series.size() == 1);
        CHECK(r.series[0][0] == static_cast<double>(r.index));
        calls.push_back("consume");
      },
      [&] { calls.push_back("commit"); }, options);

  REQUIRE(consumed.size() == local.size() + remote_indices.size());
  for (std::size_t i = 0; i < 65; ++i) {
    INFO("replication " << i);
    CHECK(consumed[i] == 1);
  }
  CHECK(outcome.completed == 65);
  std::uint64_t events = 0;
  for (std::size_t i : local) events += 10 + i;
  for (std::size_t i : remote_indices) events += 1000 + i;
  CHECK(outcome.events == events);
  CHECK(outcome.failures.empty());
  CHECK_FALSE(outcome.interrupted);
  CHECK(last_total == 65);
  CHECK(last_done == 65);
  CHECK(progress_calls == 65);
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() == "commit");
  CHECK(std::count(calls.begin(), calls.end(), "commit") == 1);
  CHECK(remote.stop_calls() == 0);
}

TEST_CASE("the run waits for remote results that come after the local ones", "[runner]") {
  // Few local replications, remote results trickling in for ~100 ms: the
  // consumer must not finish when the local ones are done.
  FakeRemote remote(range(3, 13), std::chrono::milliseconds(10));
  std::vector<std::size_t> consumed;
  bool committed_after_last = false;
  RunnerOptions options;
  options.threads = 1;
  options.remote = &remote;
  const RunOutcome outcome = wfsim::engine::run_replications(
      range(0, 3), local_result,
      [&](ReplicationResult& r) {
        consumed.push_back(r.index);
        committed_after_last = false;
      },
      [&] { committed_after_last = true; }, options);
  std::sort(consumed.begin(), consumed.end());
  CHECK(consumed == range(0, 13));
  CHECK(outcome.completed == 13);
  CHECK(committed_after_last);
  CHECK(remote.left() == 0);
}

TEST_CASE("a remote replication that failed is among the failures, not consumed", "[runner]") {
  FakeRemote remote(range(10, 20), std::chrono::milliseconds(0));
  remote.fail(14, "boom on another rank");
  std::vector<std::size_t> consumed;
  std::size_t last_done = 0;
  RunnerOptions options;
  options.threads = 2;
  options.remote = &remote;
  options.on_progress = [&](const RunProgress& p) { last_done = p.done; };
  const RunOutcome outcome = wfsim::engine::run_replications(
      range(0, 10), local_result, [&](ReplicationResult& r) { consumed.push_back(r.index); }, [] {},
      options);
  std::sort(consumed.begin(), consumed.end());
  std::vector<std::size_t> expected = range(0, 20);
  expected.erase(std::find(expected.begin(), expected.end(), 14));
  CHECK(consumed == expected);
  CHECK(outcome.completed == 19);
  REQUIRE(outcome.failures.size() == 1);
  CHECK(outcome.failures[0].first == 14);
  CHECK(outcome.failures[0].second == "boom on another rank");
  CHECK(last_done == 20);
  CHECK_FALSE(outcome.interrupted);
}

TEST_CASE("when the others are interrupted, no more local replications start", "[runner]") {
  // 2000 local replications of 2 ms each on 2 threads would take 2 s; the
  // remote reports an interruption after its third result.
  FakeRemote remote(range(2000, 2010), std::chrono::milliseconds(5));
  remote.interrupt_after(3);
  std::atomic<std::size_t> started{0};
  std::size_t consumed = 0;
  RunnerOptions options;
  options.threads = 2;
  options.remote = &remote;
  const auto start = Clock::now();
  const RunOutcome outcome = wfsim::engine::run_replications(
      range(0, 2000),
      [&](std::size_t i) {
        ++started;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return local_result(i);
      },
      [&](ReplicationResult&) { ++consumed; }, [] {}, options);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  INFO(started.load() << " local replications started in " << seconds << " s");
  CHECK(outcome.interrupted);
  CHECK(remote.stop_calls() >= 1);
  CHECK(started.load() < 1000);
  CHECK(remote.delivered() == 3);
  CHECK(outcome.completed == consumed);
  CHECK(outcome.completed < 2010);
}

TEST_CASE("the stop flag stops the others too", "[runner]") {
  FakeRemote remote(range(500, 600), std::chrono::milliseconds(3));
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> started{0};
  RunnerOptions options;
  options.threads = 2;
  options.remote = &remote;
  options.stop = &stop;
  const RunOutcome outcome = wfsim::engine::run_replications(
      range(0, 500),
      [&](std::size_t i) {
        if (++started == 20) stop = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return local_result(i);
      },
      [](ReplicationResult&) {}, [] {}, options);
  CHECK(outcome.interrupted);
  CHECK(remote.stop_calls() >= 1);
  CHECK(started.load() < 100);
}

TEST_CASE(
    "when consume throws, the others are stopped and drained and the error reaches the "
    "caller",
    "[runner]") {
  SECTION("on a local result") {
    FakeRemote remote(range(100, 150), std::chrono::milliseconds(2));
    std::size_t consumed = 0;
    bool commit_after_throw = false;
    bool threw = false;
    RunnerOptions options;
    options.threads = 2;
    options.remote = &remote;
    REQUIRE_THROWS_WITH(wfsim::engine::run_replications(
                            range(0, 100), local_result,
                            [&](ReplicationResult&) {
                              if (++consumed == 5) {
                                threw = true;
                                throw std::runtime_error("disk full");
                              }
                            },
                            [&] { commit_after_throw = commit_after_throw || threw; }, options),
                        "disk full");
    CHECK(remote.stop_calls() == 1);
    CHECK(remote.finished());
    CHECK_FALSE(commit_after_throw);
  }
  SECTION("on a remote result") {
    FakeRemote remote(range(100, 150), std::chrono::milliseconds(0));
    RunnerOptions options;
    options.threads = 1;
    options.remote = &remote;
    REQUIRE_THROWS_WITH(wfsim::engine::run_replications(
                            range(0, 3), local_result,
                            [&](ReplicationResult& r) {
                              if (r.index == 120) throw std::runtime_error("bad remote row");
                            },
                            [] {}, options),
                        "bad remote row");
    CHECK(remote.stop_calls() == 1);
    CHECK(remote.finished());
  }
}
