// `sensitivity` as an experiment: one-at-a-time changes of ±delta
// (relative) around a scenario, path by path. The plan: the base
// (/sensitivity/runs/base), then per path the scenario with that number
// times 1 - delta (/sensitivity/runs/<path>/minus) and times 1 + delta
// (.../plus). Root attributes: scenario_name, scenario_yaml, delta, paths,
// seed, replications; /sensitivity/table of the KPI means (tornado data).
#pragma once

#include <string>
#include <vector>

#include "wfsim/models/experiments/group_runs.h"
#include "wfsim/models/experiments/tables.h"
#include "wfsim/models/scenario.h"

namespace wfsim::models::experiments {

struct SensitivitySettings {
  std::string scenario_file;       // every run is this file with one number changed
  Scenario base;                   // the file as it is
  std::vector<std::string> paths;  // distinct; each a number written in the scenario
  double delta = 0.1;              // 0 < delta < 1
  PlanSettings plan;
};

// /sensitivity/table: a row per path whose two runs (and the base) finished,
// in path order; the KPI means in the order of kKpiNames.
struct SensitivityTable {
  std::vector<std::string> paths;
  std::vector<double> base_value, minus_value, plus_value;
  // Of the base run: empty until it finished (then also without rows).
  std::vector<double> base_means;                            // [kpi]
  std::vector<std::vector<double>> minus_means, plus_means;  // [kpi][row]
};

// The number columns of /sensitivity/table as the file and the CSV file
// have them, after the column `path` (the rows' paths): base_value,
// minus_value, plus_value, then <kpi>_base, <kpi>_minus and <kpi>_plus per
// KPI.
std::vector<TableColumn> table_columns(const SensitivityTable& table);

class Sensitivity {
 public:
  // Reads each path's number in the base, loads (and so validates) every
  // changed scenario and creates the file with its plan; nothing runs yet.
  // Throws engine::InputError for a path that is not a number in the
  // scenario, engine::RuntimeError if the file cannot be written.
  static Sensitivity create(const SensitivitySettings& settings);
  // A file create() made, to finish it (GroupRuns::resume).
  static Sensitivity resume(const std::string& path);

  const std::string& scenario_name() const { return scenario_name_; }
  double delta() const { return delta_; }
  const std::vector<std::string>& paths() const { return paths_; }
  // Each path's number in the base scenario.
  const std::vector<double>& base_values() const { return base_values_; }
  const GroupRuns& runs() const { return runs_; }

  // Runs what is not finished yet, then writes /sensitivity/table of the
  // paths finished (replacing a resumed file's) and finishes the file.
  SensitivityTable run(const RunControls& controls);

 private:
  explicit Sensitivity(GroupRuns runs) : runs_(std::move(runs)) {}

  GroupRuns runs_;
  std::string scenario_name_;
  double delta_ = 0.0;
  std::vector<std::string> paths_;
  std::vector<double> base_values_;
};

}  // namespace wfsim::models::experiments
