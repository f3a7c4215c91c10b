// A worker rank of an MPI job: the replications the coordinator sends, run
// on this rank's threads with the same simulate_replication() as rank 0.
#include <optional>
#include <string>

#include "wfsim/models/experiment.h"
#include "wfsim/models/scenario_loader.h"

namespace wfsim::models {

namespace {
// How often a worker looks for a stop from the coordinator or a signal.
constexpr double kStopPollSeconds = 0.02;
}  // namespace

int serve_as_worker(engine::Cluster& cluster, const std::atomic<bool>& interrupted,
                    std::optional<std::size_t> failing_replication) {
  int exit_code = 0;
  std::string model_text;
  std::optional<WorkforceModel> model;
  while (std::optional<engine::Batch> batch = cluster.next_batch(exit_code)) {
    // The batches of one run share a model; a new run brings a new one.
    if (!model || batch->model != model_text) {
      model.reset();
      model.emplace(load_scenario_text(batch->model, "the scenario from rank 0"));
      model_text = batch->model;
    }
    std::atomic<bool> stop{false};
    engine::RunnerOptions options;
    options.threads = batch->threads;
    options.commit_interval_seconds = kStopPollSeconds;
    options.stop = &stop;
    auto simulate = [&](std::size_t index) {
      return simulate_replication(*model, batch->seed, index, batch->trace_replications, &stop,
                                  failing_replication);
    };
    auto send = [&](engine::ReplicationResult& result) { cluster.send_result(result); };
    auto look_for_stop = [&] {
      if (interrupted.load() || cluster.asked_to_stop(*batch)) stop.store(true);
    };
    const engine::RunOutcome outcome =
        engine::run_replications(batch->indices, simulate, send, look_for_stop, options);
    for (const auto& [index, message] : outcome.failures) {
      engine::ReplicationResult failed;
      failed.index = index;
      failed.error = message;
      cluster.send_result(failed);
    }
    cluster.end_batch(*batch, outcome.interrupted && interrupted.load());
  }
  return exit_code;
}

}  // namespace wfsim::models
