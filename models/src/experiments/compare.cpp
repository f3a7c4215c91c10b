#include "wfsim/models/experiments/compare.h"

#include <fmt/core.h>

#include <set>

#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace wfsim::models::experiments {

namespace {

// What a comparison requires of its policies: the base's horizon and
// resolution, and names distinct from each other.
void check_comparable(const std::vector<ComparedScenario>& scenarios) {
  const ComparedScenario& base = scenarios.front();
  std::set<std::string> names{base.scenario.name};
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const ComparedScenario& policy = scenarios[i];
    const engine::SourceMark mark{policy.file, 0, 0};
    if (policy.scenario.horizon_years != base.scenario.horizon_years)
      throw engine::InputError(
          mark, "horizon_years",
          fmt::format("{} differs from the base's {} ({}); compared scenarios need the same "
                      "horizon",
                      policy.scenario.horizon_years, base.scenario.horizon_years, base.file));
    if (policy.scenario.snapshots_per_year != base.scenario.snapshots_per_year)
      throw engine::InputError(
          mark, "snapshots_per_year",
          fmt::format("{} differs from the base's {} ({}); compared scenarios need the same "
                      "resolution",
                      policy.scenario.snapshots_per_year, base.scenario.snapshots_per_year,
                      base.file));
    if (!names.insert(policy.scenario.name).second)
      throw engine::InputError(
          mark, "name",
          fmt::format("'{}' is the name of another compared scenario; every scenario of a "
                      "comparison needs its own name (its results group /scenarios/<name>)",
                      policy.scenario.name));
  }
}

engine::FileAdditions comparison_datasets(const ComparisonTable& table) {
  engine::FileAdditions additions;
  additions.removals = {"comparison"};  // an interrupted run's, of fewer policies
  for (const PolicyComparison& c : table.policies) {
    const std::string group = "comparison/" + c.policy + "/";
    for (const KpiComparison& row : c.kpis) {
      std::vector<std::pair<std::string, std::string>> attributes = {
          {"definition", fmt::format("{} - {}, replication by replication (NaN where either run "
                                     "lacks the replication)",
                                     c.policy, table.base)}};
      // A difference of a KPI has the KPI's unit, label and kind.
      for (const MetricInfo& kpi : kKpis)
        if (row.name == kpi.name)
          for (auto& attribute : metric_attributes(kpi)) attributes.push_back(std::move(attribute));
      additions.datasets.push_back(
          {group + row.name, {row.differences.size()}, row.differences, std::move(attributes)});
    }
    const RoiComparison& roi = c.roi;
    additions.datasets.push_back(
        {group + "roi",
         {3},
         {roi.ratio.estimate, roi.ratio.low, roi.ratio.high},
         {{"columns", "estimate, ci95_low, ci95_high"},
          {"definition",
           "mean(total_cost[base] - total_cost[policy]) / mean((program_spend + mentoring_cost)"
           "[policy] - (program_spend + mentoring_cost)[base]) over the paired replications"},
          {"interval", fmt::format("paired percentile bootstrap, {} resamples, stream key {}",
                                   kRoiBootstrapResamples, kRoiBootstrapSeed)},
          {"status", roi.available ? "ok"
                                   : "n/a: the 95% CI of the extra investment contains 0 "
                                     "(values NaN)"}}});
  }
  return additions;
}

}  // namespace

std::vector<ComparedScenario> load_compared_scenarios(const std::vector<std::string>& files) {
  std::vector<ComparedScenario> scenarios;
  for (const std::string& file : files) scenarios.push_back({file, load_scenario_file(file)});
  check_comparable(scenarios);
  return scenarios;
}

Comparison Comparison::create(ComparisonSettings settings) {
  if (settings.scenarios.size() < 2)
    throw engine::InputError(engine::SourceMark{}, "",
                             "a comparison needs a base and at least one policy");
  check_comparable(settings.scenarios);
  std::vector<std::string> names;
  for (const ComparedScenario& compared : settings.scenarios)
    names.push_back(compared.scenario.name);
  // The file says what it holds before anything runs.
  engine::FileAdditions additions;
  additions.root_strings = {{"base", names[0]}};
  additions.root_string_lists = {
      {"scenarios", names}, {"policies", std::vector<std::string>(names.begin() + 1, names.end())}};
  additions.root_counts = {{"seed", settings.plan.seed},
                           {"replications", settings.plan.replications},
                           {"roi_bootstrap_resamples", kRoiBootstrapResamples}};
  std::vector<PlannedRun> plan;
  for (ComparedScenario& compared : settings.scenarios) {
    const std::string name = compared.scenario.name;
    plan.push_back({"scenarios/" + name, name, std::move(compared.scenario)});
  }
  return Comparison(
      GroupRuns::create(settings.plan, "compare", std::move(additions), std::move(plan)));
}

Comparison Comparison::resume(const std::string& path) {
  return Comparison(GroupRuns::resume(path, "compare"));
}

std::vector<std::string> Comparison::names() const {
  std::vector<std::string> names;
  for (const PlannedRun& run : runs_.plan()) names.push_back(run.label);
  return names;
}

ComparisonTable Comparison::run(const RunControls& controls) {
  const std::vector<std::string> scenarios = names();
  const std::vector<ExperimentReport> finished = runs_.run_all(controls);
  ComparisonTable table;
  table.base = scenarios.front();
  for (std::size_t i = 1; i < finished.size(); ++i)
    table.policies.push_back(compare_runs(scenarios[i], finished[0].totals, finished[0].committed,
                                          finished[i].totals, finished[i].committed));
  runs_.finish(comparison_datasets(table));
  return table;
}

}  // namespace wfsim::models::experiments
