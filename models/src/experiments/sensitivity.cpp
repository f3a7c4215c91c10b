#include "wfsim/models/experiments/sensitivity.h"

#include <fmt/core.h>

#include <algorithm>

#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/experiments/scenario_points.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace wfsim::models::experiments {

namespace {

double minus(double value, double delta) {
  return value * (1.0 - delta);
}
double plus(double value, double delta) {
  return value * (1.0 + delta);
}

}  // namespace

Sensitivity Sensitivity::create(const SensitivitySettings& settings) {
  const double delta = settings.delta;
  if (!(delta > 0.0 && delta < 1.0))
    throw engine::InputError(engine::SourceMark{"--delta"}, "",
                             fmt::format("must be above 0 and below 1, got {}", delta));
  std::vector<std::string> paths;
  std::vector<double> base_values;
  for (const std::string& given : settings.paths) {
    const std::string path = parse_override(given + "=0").path;
    if (std::find(paths.begin(), paths.end(), path) != paths.end())
      throw engine::InputError(engine::SourceMark{"--path"}, path, "given twice");
    paths.push_back(path);
    base_values.push_back(number_at(settings.base, path));
  }

  // Every run is loaded (and so validated) before anything runs.
  std::vector<PlannedRun> plan;
  plan.push_back({"sensitivity/runs/base", "base", settings.base});
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (const bool up : {false, true}) {
      const double value = up ? plus(base_values[i], delta) : minus(base_values[i], delta);
      plan.push_back({fmt::format("sensitivity/runs/{}/{}", paths[i], up ? "plus" : "minus"),
                      fmt::format("{}={:.10g}", paths[i], value),
                      scenario_at_point(settings.scenario_file, {{paths[i], value, ""}})});
    }
  }
  engine::FileAdditions additions;
  additions.root_strings = {{"scenario_name", settings.base.name},
                            {"scenario_yaml", settings.base.resolved_yaml},
                            {"delta", fmt::format("{}", delta)}};
  additions.root_string_lists = {{"paths", paths}};
  additions.root_counts = {{"seed", settings.plan.seed},
                           {"replications", settings.plan.replications}};

  Sensitivity sensitivity(
      GroupRuns::create(settings.plan, "sensitivity", std::move(additions), std::move(plan)));
  sensitivity.scenario_name_ = settings.base.name;
  sensitivity.delta_ = delta;
  sensitivity.paths_ = std::move(paths);
  sensitivity.base_values_ = std::move(base_values);
  return sensitivity;
}

Sensitivity Sensitivity::resume(const std::string& path) {
  Sensitivity sensitivity(GroupRuns::resume(path, "sensitivity"));
  sensitivity.delta_ = std::stod(engine::read_string_attribute_of(path, "/", "delta"));
  sensitivity.paths_ = engine::read_string_list_attribute_of(path, "/", "paths");
  sensitivity.scenario_name_ = engine::read_string_attribute_of(path, "/", "scenario_name");
  const Scenario& base = sensitivity.runs_.plan().at(0).scenario;
  for (const std::string& p : sensitivity.paths_)
    sensitivity.base_values_.push_back(number_at(base, p));
  return sensitivity;
}

SensitivityTable Sensitivity::run(const RunControls& controls) {
  const std::vector<ExperimentReport> finished = runs_.run_all(controls);
  auto mean = [&](std::size_t run, int kpi) {
    return finished[run].kpis[static_cast<std::size_t>(kpi)].interval.mean;
  };

  // Rows: the paths whose two runs (and the base) finished.
  const std::size_t rows = finished.empty() ? 0 : (finished.size() - 1) / 2;
  SensitivityTable table;
  table.paths.assign(paths_.begin(), paths_.begin() + static_cast<std::ptrdiff_t>(rows));
  table.minus_means.resize(kKpiCount);
  table.plus_means.resize(kKpiCount);
  for (int k = 0; k < kKpiCount && !finished.empty(); ++k) table.base_means.push_back(mean(0, k));
  for (std::size_t i = 0; i < rows; ++i) {
    table.base_value.push_back(base_values_[i]);
    table.minus_value.push_back(minus(base_values_[i], delta_));
    table.plus_value.push_back(plus(base_values_[i], delta_));
    for (int k = 0; k < kKpiCount; ++k) {
      table.minus_means[static_cast<std::size_t>(k)].push_back(mean(1 + 2 * i, k));
      table.plus_means[static_cast<std::size_t>(k)].push_back(mean(2 + 2 * i, k));
    }
  }

  engine::FileAdditions additions;
  additions.removals = {"sensitivity/table"};  // an interrupted run's, of fewer paths
  additions.string_datasets.push_back({"sensitivity/table/path", table.paths});
  std::vector<std::string> names = {"path"};
  for (TableColumn& column : table_columns(table)) {
    names.push_back(column.name);
    additions.datasets.push_back(
        {"sensitivity/table/" + column.name, {rows}, std::move(column.values)});
  }
  additions.object_string_lists.push_back({"sensitivity/table", "columns", names});
  runs_.finish(additions);
  return table;
}

std::vector<TableColumn> table_columns(const SensitivityTable& table) {
  std::vector<TableColumn> columns = {{"base_value", table.base_value},
                                      {"minus_value", table.minus_value},
                                      {"plus_value", table.plus_value}};
  const std::size_t rows = table.paths.size();
  for (std::size_t k = 0; k < table.minus_means.size(); ++k) {
    const std::string kpi = kKpiNames[k];
    const double base = table.base_means.empty() ? 0.0 : table.base_means[k];
    columns.push_back({kpi + "_base", std::vector<double>(rows, base)});
    columns.push_back({kpi + "_minus", table.minus_means[k]});
    columns.push_back({kpi + "_plus", table.plus_means[k]});
  }
  return columns;
}

}  // namespace wfsim::models::experiments
