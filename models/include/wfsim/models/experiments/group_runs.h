// The core of every experiment of several runs (`compare`, `sweep`,
// `sensitivity`): a plan of named runs, each into its own results group of
// one file, every run with the same seed and replications (common random
// numbers), run one after another; stopped cleanly by the stop flag and
// finished later from the plan stored in the file (resume).
//
// The file holds, besides what the experiment adds: wfsim_version, git_sha,
// created_utc, `command` (the experiment's kind), complete (0 until every
// run finished whole), shard_index and shard_count as root attributes, and
// the plan as /plan/groups, /plan/labels and /plan/scenarios (each run's
// resolved scenario).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/runner.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/scenario.h"

namespace wfsim::models::experiments {

// What every run of a plan shares and its file stores.
struct PlanSettings {
  std::string output_path;
  bool overwrite = false;  // replace an existing file (not stored)
  std::size_t replications = 0;
  std::uint64_t seed = 0;
  // Only the replications r with r % shard_count == shard_index run (a task
  // of a job array, joined by `wfsim merge`).
  std::size_t shard_index = 0;
  std::size_t shard_count = 1;
};

// One run of a plan: its results group, its label in messages and the
// scenario it runs.
struct PlannedRun {
  std::string group;
  std::string label;
  Scenario scenario;
};

// How the runs run this time, none of it stored (a resume may change it),
// and what the caller is told while they do.
struct RunControls {
  int threads = 0;  // 0: every core
  // Once true, no further replication or run starts; what finished is kept.
  const std::atomic<bool>* stop = nullptr;
  RunContext context;
  // Progress of the run in progress.
  std::function<void(const engine::RunProgress&)> on_progress;
  // After each run that started (one stopped midway too): its index in the
  // plan and its report (failed replications in report.outcome.failures).
  std::function<void(std::size_t, const ExperimentReport&)> on_run_end;
};

class GroupRuns {
 public:
  // Creates the file of a new plan, of `kind` ("compare", "sweep", ...),
  // with `additions` (what the experiment says of itself before anything
  // runs) and the plan. Nothing runs yet. Throws engine::RuntimeError.
  static GroupRuns create(const PlanSettings& settings, const std::string& kind,
                          engine::FileAdditions additions, std::vector<PlannedRun> plan);

  // Opens a file create() made, to finish it: the plan and settings come from
  // the file. Throws engine::InputError if it is not a `kind` file or another
  // wfsim version or commit wrote it, engine::RuntimeError if it is damaged.
  static GroupRuns resume(const std::string& path, const std::string& kind);

  const PlanSettings& settings() const { return settings_; }
  // The scenario of a run is handed to its model when the run starts.
  const std::vector<PlannedRun>& plan() const { return plan_; }
  bool resuming() const { return resuming_; }

  // Runs the plan in order (a run whose group is in the file already is
  // finished, not begun again) until it is done or stopped, calling
  // `after_each` then controls.on_run_end after each run that started.
  // Returns the reports of the runs that finished whole, which are the
  // first runs of the plan.
  std::vector<ExperimentReport> run_all(
      const RunControls& controls,
      const std::function<void(std::size_t, const ExperimentReport&)>& after_each = {});

  // Adds what the experiment computed from its runs to the file (replacing
  // `additions.removals`: a resumed run's tables), then sets `complete` when
  // every run finished whole (never for a shard).
  void finish(const engine::FileAdditions& additions);

  // How many runs finished whole (the first of the plan).
  std::size_t finished_runs() const { return finished_runs_; }
  // A stop came before the plan was done.
  bool stopped() const { return stopped_; }
  // A replication failed (its run went on without it).
  bool failed() const { return failed_; }

 private:
  GroupRuns() = default;
  std::optional<ExperimentReport> run(std::size_t k, const RunControls& controls);

  PlanSettings settings_;
  std::vector<PlannedRun> plan_;
  bool resuming_ = false;
  std::size_t finished_runs_ = 0;
  bool stopped_ = false;
  bool failed_ = false;
};

// The experiment that wrote a results file: "run", "compare", "sweep" or
// "sensitivity" (its `command` attribute; "run" if it has none).
std::string results_file_kind(const std::string& path);

}  // namespace wfsim::models::experiments
