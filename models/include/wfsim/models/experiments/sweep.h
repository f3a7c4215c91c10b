// `sweep` as an experiment: the scenario at every point of a grid or of a
// Latin hypercube over scenario paths (the points: models/sweep.h), each
// point a run of the plan (group /points/<k>, with the point's values as
// attributes), then /sweep/table of the point values and KPI means with 95%
// CIs. Root attributes: scenario_name, design ("grid" or
// "latin_hypercube"), scenario_yaml, varied_paths, seed, replications,
// points (and lhs_stream); /plan/point_values[point][path].
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "wfsim/models/experiments/group_runs.h"
#include "wfsim/models/experiments/tables.h"
#include "wfsim/models/scenario.h"
#include "wfsim/models/sweep.h"

namespace wfsim::models::experiments {

struct SweepSettings {
  std::string scenario_file;   // every point is this file with the point's values
  Scenario base;               // the file as it is
  std::vector<VarySpec> axes;  // one per path, the first varying slowest on a grid
  std::size_t lhs_points = 0;  // 0: the grid of the axes; N: a Latin hypercube of N points
  PlanSettings plan;
};

// /sweep/table: a row per point that finished, in point order.
struct SweepTable {
  struct KpiColumns {
    std::vector<double> mean, ci_low, ci_high;  // over each point's replications
  };
  std::vector<std::string> varied_paths;
  std::vector<std::size_t> point;           // the row's point
  std::vector<std::vector<double>> values;  // values[path][row]
  std::vector<std::size_t> replications;    // completed at the point
  std::vector<KpiColumns> kpis;             // in the order of kKpiNames
};

// The columns of /sweep/table as the file and the CSV file have them:
// point, one per varied path, replications, then <kpi>_mean, <kpi>_ci_low
// and <kpi>_ci_high per KPI.
std::vector<TableColumn> table_columns(const SweepTable& table);

class Sweep {
 public:
  // Makes the points, loads (and so validates) each, and creates the file
  // with its plan; nothing runs yet. Throws engine::InputError for a bad
  // point or path, engine::RuntimeError if the file cannot be written.
  static Sweep create(const SweepSettings& settings);
  // A file create() made, to finish it (GroupRuns::resume).
  static Sweep resume(const std::string& path);

  const std::string& scenario_name() const { return scenario_name_; }
  bool latin_hypercube() const { return latin_hypercube_; }
  const std::vector<std::string>& varied_paths() const { return paths_; }
  const std::vector<SweepPoint>& points() const { return points_; }
  const GroupRuns& runs() const { return runs_; }

  // Runs the points not finished yet, then writes /sweep/table of those
  // finished (replacing a resumed file's) and finishes the file.
  SweepTable run(const RunControls& controls);

 private:
  explicit Sweep(GroupRuns runs) : runs_(std::move(runs)) {}

  GroupRuns runs_;
  std::string scenario_name_;
  bool latin_hypercube_ = false;
  std::vector<std::string> paths_;
  std::vector<SweepPoint> points_;
};

}  // namespace wfsim::models::experiments
