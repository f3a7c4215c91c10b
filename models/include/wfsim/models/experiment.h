// Runs a scenario's replications into a results file: the workforce model on
// the engine's parallel runner and HDF5 writer. Shared by the commands.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wfsim/engine/runner.h"
#include "wfsim/engine/statistics.h"
#include "wfsim/models/workforce.h"

namespace wfsim::models {

struct ExperimentSettings {
  std::string output_path;
  // Empty: the results at the file's root (a new file). Otherwise the results
  // group of that name in the existing file output_path (`compare`).
  std::string group;
  std::size_t replications = 0;
  std::uint64_t seed = 1;
  int threads = 0;
  bool overwrite = false;
  std::size_t trace_replications = 0;  // --trace K: the first K replications
  double commit_interval_seconds = 2.0;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const engine::RunProgress&)> on_progress;
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
  int threads = 1;
};

ExperimentReport run_experiment(const WorkforceModel& model, const ExperimentSettings& settings);

// "2026-11-22T14:46:18Z"
std::string utc_timestamp_now();

}  // namespace wfsim::models
