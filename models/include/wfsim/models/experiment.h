// Runs a scenario's replications into a results file: the workforce model on
// the engine's parallel runner and HDF5 writer. Shared by the commands.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wfsim/engine/cluster.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/runner.h"
#include "wfsim/engine/statistics.h"
#include "wfsim/models/scenario.h"
#include "wfsim/models/workforce.h"

namespace wfsim::models {

// What the program gives every run besides its settings, made in main(): the
// processes the replications are dealt over and the test hooks. None of it
// changes a result.
struct RunContext {
  // The processes of the job (rank 0's view of an MPI job); null: this
  // process alone.
  engine::Cluster* cluster = nullptr;
  // Test hook for failure isolation: this replication throws instead of
  // running, on whichever rank runs it.
  std::optional<std::size_t> failing_replication;

  int ranks() const { return cluster != nullptr ? cluster->size() : 1; }
};

struct ExperimentSettings {
  std::string output_path;
  // Empty: the results at the file's root (a new file). Otherwise the results
  // group of that name in the existing file output_path (`compare`).
  std::string group;
  std::size_t replications = 0;
  std::uint64_t seed = 1;
  int threads = 0;
  bool overwrite = false;
  // Finish the run already in the file (or group) instead of creating it:
  // only replications whose status is not 1 run, and the file's
  // scenario, seed, replications and trace count must be the ones given
  // (see stored_run()).
  bool resume = false;
  std::size_t trace_replications = 0;  // --trace K: the first K replications
  // --shard i/n: only the replications r with r % n == i run (a slice of a
  // job array, joined by `wfsim merge`); stored in the file.
  std::size_t shard_index = 0;
  std::size_t shard_count = 1;
  double commit_interval_seconds = 2.0;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const engine::RunProgress&)> on_progress;
  RunContext context;
};

struct KpiRow {
  std::string name;
  engine::MeanInterval interval;
};

struct ExperimentReport {
  engine::RunOutcome outcome;
  std::vector<KpiRow> kpis;  // over the completed replications
  // Every replication's KPI totals, totals[kpi][replication], in the order of
  // kKpiNames; committed[replication] is 1 where the replication completed.
  std::vector<std::vector<double>> totals;
  std::vector<std::uint8_t> committed;
  // Replications committed before this run started (resume); included in
  // outcome.completed.
  std::size_t resumed = 0;
  int threads = 1;
};

// Throws engine::RuntimeError, before anything is written, if the run would
// need more memory than the machine has (estimated_run_bytes()); and if
// writing fails (e.g. a full disk), after stopping the run, with the file
// left holding every replication committed before and marked incomplete.
ExperimentReport run_experiment(const WorkforceModel& model, const ExperimentSettings& settings);

// Memory a run of `model` on `threads` threads needs at most, roughly:
// every thread's replication at its largest plus the results in flight.
std::size_t estimated_run_bytes(const WorkforceModel& model, int threads);

// Refuses (engine::InputError, exit code 2) a results file written by
// another wfsim version or commit: its replications could differ from the
// ones this build would add. `mark` names the file (and group).
void require_this_build(const engine::SourceMark& mark, const std::string& wfsim_version,
                        const std::string& git_sha);

// What `--resume` needs of a results file (or of one results group): the
// settings it ran with (output_path, group, replications, seed, trace count,
// resume = true) and, for stored_run(), the stored scenario. Throw
// engine::InputError if another build (require_this_build) or another
// scenario schema wrote it.
ExperimentSettings stored_settings(const std::string& path, const std::string& group = "");
struct StoredRun {
  Scenario scenario;
  ExperimentSettings settings;
};
StoredRun stored_run(const std::string& path, const std::string& group = "");

// How many of `replications` replications shard `index` of `count` runs
// (those r with r % count == index).
std::size_t replications_in_shard(std::size_t replications, std::size_t index, std::size_t count);

// Replication `index` of `model`: what every rank runs (with a trace when
// index < trace_replications; cancelled when *stop turns true), its large
// blocks encoded as stored (model.compressed_series()). Throws instead when
// index is `failing_replication` (RunContext's test hook).
engine::ReplicationResult simulate_replication(const WorkforceModel& model, std::uint64_t seed,
                                               std::size_t index, std::size_t trace_replications,
                                               const std::atomic<bool>* stop,
                                               std::optional<std::size_t> failing_replication);

// A worker rank of an MPI job (engine::Cluster): runs the batches the
// coordinator sends until released, then returns the coordinator's exit
// code. `interrupted` is the process's SIGINT/SIGTERM flag;
// `failing_replication` the test hook of RunContext.
int serve_as_worker(engine::Cluster& cluster, const std::atomic<bool>& interrupted,
                    std::optional<std::size_t> failing_replication);

// "2026-11-22T14:46:18Z"
std::string utc_timestamp_now();

}  // namespace wfsim::models
