// The processes of one wfsim job. Built without MPI (the default), or started
// without mpirun, a job is one process and nothing here sends anything.
//
// Built with WFSIM_WITH_MPI and started by mpirun (or srun), rank 0 is the
// coordinator: it reads the command line, runs replications on its own
// threads and is the only process that touches the results file, so the
// file's crash safety is that of a single process. Every other rank is a
// worker: it runs the batches of replications the coordinator sends it, on
// its own threads, and sends each result back, until released. Each
// replication is a pure function of (model, seed, index), so which rank runs
// it changes nothing in the results.
//
// Only the thread that made the Cluster calls MPI (MPI_THREAD_FUNNELED).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "wfsim/engine/cluster_messages.h"
#include "wfsim/engine/runner.h"

namespace wfsim::engine {

// The environment variables a launcher (mpirun, mpiexec, srun) sets in the
// processes of an MPI job: main() looks for them, so that started alone
// wfsim runs as one process without touching MPI.
inline constexpr std::array<const char*, 4> kMpiLauncherVariables = {
    "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};

class Cluster {
 public:
  // Joins the MPI job when `launched_by_mpi` (in a build with MPI), else is
  // one process; one per process, made first thing in main() and kept until
  // it returns. The runs are given it (models::RunContext).
  Cluster(int& argc, char**& argv, bool launched_by_mpi);
  ~Cluster();  // leaves the MPI job
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_coordinator() const { return rank_ == 0; }

  // Coordinator: deals `pending` out round robin over the ranks (the
  // coordinator's share first), sends every worker its share of `batch`
  // (batch.indices and batch.number are filled in here) and returns the
  // coordinator's share and the workers' replications for run_replications
  // (null with one rank).
  struct Dispatch {
    std::vector<std::size_t> own;
    std::unique_ptr<RemoteReplications> remote;
  };
  Dispatch dispatch(Batch batch, const std::vector<std::size_t>& pending);

  // Coordinator: tells every worker to leave with `exit_code` (once; later
  // calls do nothing).
  void release_workers(int exit_code);

  // Ends every process of the job at once with `exit_code` (a worker that
  // cannot go on: the coordinator would otherwise wait for it forever).
  [[noreturn]] void abort_job(int exit_code);

  // Worker: waits for the next batch; nullopt once released, with the
  // coordinator's exit code in `exit_code`.
  std::optional<Batch> next_batch(int& exit_code);
  // Worker: sends a finished (or failed) replication to the coordinator.
  void send_result(const ReplicationResult& result);
  // Worker: the batch is over; `interrupted` if a signal cut it short.
  void end_batch(const Batch& batch, bool interrupted);
  // Worker: whether the coordinator asked to start no more replications of
  // `batch`; never blocks.
  bool asked_to_stop(const Batch& batch);

 private:
  int rank_ = 0;
  int size_ = 1;
  bool joined_ = false;  // MPI was initialised here (and is finalised here)
  bool released_ = false;
  std::uint64_t batches_ = 0;
};

}  // namespace wfsim::engine
