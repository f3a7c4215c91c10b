// `compare` as an experiment: the base and every policy, one run each of
// the plan (group /scenarios/<name>), then the paired differences per KPI
// and the ROI of each policy against the base (models/comparison.h) in
// /comparison/<policy>/<kpi> and /comparison/<policy>/roi. Root attributes:
// base, scenarios, policies, seed, replications, roi_bootstrap_resamples.
#pragma once

#include <string>
#include <vector>

#include "wfsim/models/comparison.h"
#include "wfsim/models/experiments/group_runs.h"
#include "wfsim/models/scenario.h"

namespace wfsim::models::experiments {

// A scenario of a comparison and the file it came from (named in errors).
struct ComparedScenario {
  std::string file;
  Scenario scenario;
};

// Loads the files (base first) and checks that they can be compared: the
// same horizon and resolution, distinct names. Throws engine::InputError.
std::vector<ComparedScenario> load_compared_scenarios(const std::vector<std::string>& files);

struct ComparisonSettings {
  std::vector<ComparedScenario> scenarios;  // base first, then the policies
  PlanSettings plan;
};

// Every policy whose run (and the base's) finished against the base.
struct ComparisonTable {
  std::string base;
  std::vector<PolicyComparison> policies;  // in plan order
};

class Comparison {
 public:
  // Checks the scenarios (as load_compared_scenarios) and creates the file
  // with its plan; nothing runs yet.
  static Comparison create(ComparisonSettings settings);
  // A file create() made, to finish it (GroupRuns::resume).
  static Comparison resume(const std::string& path);

  // The scenarios' names, base first: the runs' labels.
  std::vector<std::string> names() const;
  const GroupRuns& runs() const { return runs_; }

  // Runs what is not finished yet, then writes /comparison of the policies
  // finished (replacing a resumed file's) and finishes the file.
  ComparisonTable run(const RunControls& controls);

 private:
  explicit Comparison(GroupRuns runs) : runs_(std::move(runs)) {}

  GroupRuns runs_;
};

}  // namespace wfsim::models::experiments
