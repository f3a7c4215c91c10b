// Cluster over MPI (WFSIM_WITH_MPI). Messages are byte strings
// (cluster_messages.h) tagged by kind; the coordinator and the workers poll
// with MPI_Iprobe and sleep between polls, so that a rank that waits leaves
// its core to the ranks that compute.
// The C interface only: not the C++ bindings OpenMPI and MPICH would add.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <thread>

#include "wfsim/engine/cluster.h"
#include "wfsim/engine/error.h"

namespace wfsim::engine {

namespace {

enum Tag : int {
  kBatch = 1,     // coordinator -> worker: a Batch
  kRelease = 2,   // coordinator -> worker: the exit code (encode_number)
  kStop = 3,      // coordinator -> worker: the batch number (encode_number)
  kResult = 4,    // worker -> coordinator: a ReplicationResult
  kBatchEnd = 5,  // worker -> coordinator: a BatchEnd
};

constexpr auto kPollPause = std::chrono::milliseconds(1);

void send_bytes(const std::vector<char>& bytes, int to, int tag) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw RuntimeError(fmt::format(
        "a message of {:.1f} GB is too large to send between ranks (a replication's trace, most "
        "likely): trace fewer replications, or run it without mpirun",
        static_cast<double>(bytes.size()) / 1e9));
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

// Receives the message `status` describes (from MPI_Iprobe).
std::vector<char> receive_bytes(const MPI_Status& status) {
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  std::vector<char> bytes(static_cast<std::size_t>(size));
  MPI_Recv(bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return bytes;
}

// The coordinator's view of the replications its workers run for one batch.
class WorkerReplications : public RemoteReplications {
 public:
  WorkerReplications(int workers, std::size_t count, std::uint64_t batch)
      : workers_(workers), count_(count), batch_(batch) {}

  std::size_t count() const override { return count_; }

  std::unique_ptr<ReplicationResult> poll() override {
    for (;;) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
      if (!arrived) return nullptr;
      const std::vector<char> bytes = receive_bytes(status);
      if (status.MPI_TAG == kResult)
        return std::make_unique<ReplicationResult>(decode_result(bytes));
      const BatchEnd end = status.MPI_TAG == kBatchEnd ? decode_batch_end(bytes) : BatchEnd{};
      if (status.MPI_TAG != kBatchEnd || end.number != batch_)
        throw RuntimeError(fmt::format("rank {} sent an unexpected message (tag {})",
                                       status.MPI_SOURCE, status.MPI_TAG));
      if (end.interrupted) interrupted_.store(true);
      ++ended_;
    }
  }

  bool finished() const override { return ended_ == workers_; }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    for (int worker = 1; worker <= workers_; ++worker)
      send_bytes(encode_number(static_cast<std::int64_t>(batch_)), worker, kStop);
  }

  bool interrupted() const override { return interrupted_.load(); }

 private:
  int workers_;
  std::size_t count_;
  std::uint64_t batch_;
  int ended_ = 0;
  bool stopped_ = false;
  std::atomic<bool> interrupted_{false};
};

}  // namespace

Cluster::Cluster(int& argc, char**& argv, bool launched_by_mpi) {
  if (!launched_by_mpi) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  joined_ = true;
  if (provided < MPI_THREAD_FUNNELED) {
    fmt::print(stderr, "wfsim: this MPI library cannot be used from a threaded program\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Cluster::~Cluster() {
  if (joined_) {
    if (is_coordinator()) release_workers(1);  // only if main() did not
    MPI_Finalize();
  }
}

Cluster::Dispatch Cluster::dispatch(Batch batch, const std::vector<std::size_t>& pending) {
  if (size_ == 1) return {pending, nullptr};
  batch.number = ++batches_;
  std::vector<std::vector<std::size_t>> shares(static_cast<std::size_t>(size_));
  for (std::size_t k = 0; k < pending.size(); ++k) shares[k % shares.size()].push_back(pending[k]);
  std::size_t remote_count = 0;
  for (int worker = 1; worker < size_; ++worker) {
    batch.indices = std::move(shares[static_cast<std::size_t>(worker)]);
    remote_count += batch.indices.size();
    send_bytes(encode_batch(batch), worker, kBatch);
  }
  return {std::move(shares[0]),
          std::make_unique<WorkerReplications>(size_ - 1, remote_count, batch.number)};
}

void Cluster::release_workers(int exit_code) {
  if (!joined_ || released_ || !is_coordinator()) return;
  released_ = true;
  for (int worker = 1; worker < size_; ++worker)
    send_bytes(encode_number(exit_code), worker, kRelease);
}

void Cluster::abort_job(int exit_code) {
  if (joined_) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::exit(exit_code);
}

std::optional<Batch> Cluster::next_batch(int& exit_code) {
  for (;;) {
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
    if (!arrived) {
      std::this_thread::sleep_for(kPollPause);
      continue;
    }
    const std::vector<char> bytes = receive_bytes(status);
    switch (status.MPI_TAG) {
      case kBatch:
        return decode_batch(bytes);
      case kRelease:
        exit_code = static_cast<int>(decode_number(bytes));
        return std::nullopt;
      case kStop:
        break;  // for a batch this worker had finished already
      default:
        throw RuntimeError(
            fmt::format("rank 0 sent an unexpected message (tag {})", status.MPI_TAG));
    }
  }
}

void Cluster::send_result(const ReplicationResult& result) {
  send_bytes(encode_result(result), 0, kResult);
}

void Cluster::end_batch(const Batch& batch, bool interrupted) {
  send_bytes(encode_batch_end({batch.number, interrupted}), 0, kBatchEnd);
}

bool Cluster::asked_to_stop(const Batch& batch) {
  int arrived = 0;
  MPI_Status status;
  MPI_Iprobe(0, kStop, MPI_COMM_WORLD, &arrived, &status);
  if (!arrived) return false;
  return decode_number(receive_bytes(status)) == static_cast<std::int64_t>(batch.number);
}

}  // namespace wfsim::engine
