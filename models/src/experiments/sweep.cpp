#include "wfsim/models/experiments/sweep.h"

#include <fmt/core.h>

#include <algorithm>

#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/experiments/scenario_points.h"
#include "wfsim/models/metrics.h"

namespace wfsim::models::experiments {

namespace {

std::vector<PathValue> point_values(const std::vector<std::string>& paths,
                                    const SweepPoint& point) {
  std::vector<PathValue> values;
  for (std::size_t d = 0; d < paths.size(); ++d)
    values.push_back({paths[d], point.values[d], point.written[d]});
  return values;
}

}  // namespace

Sweep Sweep::create(const SweepSettings& settings) {
  std::vector<std::string> paths;
  for (const VarySpec& axis : settings.axes) {
    if (std::find(paths.begin(), paths.end(), axis.path) != paths.end())
      throw engine::InputError(engine::SourceMark{"--vary"}, axis.path, "varied twice");
    paths.push_back(axis.path);
  }
  const bool lhs = settings.lhs_points > 0;
  std::vector<SweepPoint> points =
      lhs ? models::latin_hypercube(settings.axes, settings.lhs_points, settings.plan.seed)
          : models::grid_points(settings.axes);

  // Every point is loaded (and so validated) before anything runs.
  std::vector<PlannedRun> plan;
  std::vector<double> values;
  for (std::size_t k = 0; k < points.size(); ++k) {
    plan.push_back({fmt::format("points/{}", k), fmt::format("point {}", k),
                    scenario_at_point(settings.scenario_file, point_values(paths, points[k]))});
    values.insert(values.end(), points[k].values.begin(), points[k].values.end());
  }

  const Scenario& base = settings.base;
  engine::FileAdditions additions;
  additions.root_strings = {{"scenario_name", base.name},
                            {"design", lhs ? "latin_hypercube" : "grid"},
                            {"scenario_yaml", base.resolved_yaml}};
  additions.root_string_lists = {{"varied_paths", paths}};
  additions.root_counts = {{"seed", settings.plan.seed},
                           {"replications", settings.plan.replications},
                           {"points", points.size()}};
  additions.datasets.push_back({"plan/point_values", {points.size(), paths.size()}, values});
  if (lhs)
    additions.root_strings.push_back(
        {"lhs_stream", "engine::RandomStream(mix64(seed ^ kLhsStreamKey)), models/sweep.h"});

  Sweep sweep(GroupRuns::create(settings.plan, "sweep", std::move(additions), std::move(plan)));
  sweep.scenario_name_ = base.name;
  sweep.latin_hypercube_ = lhs;
  sweep.paths_ = std::move(paths);
  sweep.points_ = std::move(points);
  return sweep;
}

Sweep Sweep::resume(const std::string& path) {
  Sweep sweep(GroupRuns::resume(path, "sweep"));
  sweep.paths_ = engine::read_string_list_attribute_of(path, "/", "varied_paths");
  const std::size_t dimensions = sweep.paths_.size();
  const std::vector<double> values = engine::read_float_dataset(path, "plan/point_values");
  sweep.points_.resize(sweep.runs_.plan().size());
  if (values.size() != sweep.points_.size() * dimensions)
    throw engine::RuntimeError(path + ": /plan is damaged; the file cannot be resumed");
  for (std::size_t k = 0; k < sweep.points_.size(); ++k)
    sweep.points_[k].values.assign(values.begin() + k * dimensions,
                                   values.begin() + (k + 1) * dimensions);
  sweep.scenario_name_ = engine::read_string_attribute_of(path, "/", "scenario_name");
  sweep.latin_hypercube_ =
      engine::read_string_attribute_of(path, "/", "design") == "latin_hypercube";
  return sweep;
}

SweepTable Sweep::run(const RunControls& controls) {
  const std::string& output = runs_.settings().output_path;
  // Each point's values go to its group, even when a stop cut it short.
  auto write_point_values = [&](std::size_t k, const ExperimentReport&) {
    engine::FileAdditions values;
    for (std::size_t d = 0; d < paths_.size(); ++d)
      values.object_floats.push_back({runs_.plan()[k].group, paths_[d], points_[k].values[d]});
    engine::add_to_results_file(output, values);
  };
  const std::vector<ExperimentReport> finished = runs_.run_all(controls, write_point_values);

  SweepTable table;
  table.varied_paths = paths_;
  table.values.resize(paths_.size());
  table.kpis.resize(kKpiCount);
  for (std::size_t k = 0; k < finished.size(); ++k) {
    table.point.push_back(k);
    for (std::size_t d = 0; d < paths_.size(); ++d) table.values[d].push_back(points_[k].values[d]);
    table.replications.push_back(finished[k].outcome.completed);
    for (int i = 0; i < kKpiCount; ++i) {
      const engine::MeanInterval& ci = finished[k].kpis[static_cast<std::size_t>(i)].interval;
      SweepTable::KpiColumns& kpi = table.kpis[static_cast<std::size_t>(i)];
      kpi.mean.push_back(ci.mean);
      kpi.ci_low.push_back(ci.mean - ci.half_width);
      kpi.ci_high.push_back(ci.mean + ci.half_width);
    }
  }

  engine::FileAdditions additions;
  additions.removals = {"sweep/table"};  // an interrupted run's, of fewer points
  std::vector<std::string> names;
  for (TableColumn& column : table_columns(table)) {
    names.push_back(column.name);
    const std::size_t rows = column.values.size();
    additions.datasets.push_back({"sweep/table/" + column.name, {rows}, std::move(column.values)});
  }
  additions.object_string_lists.push_back({"sweep/table", "columns", names});
  runs_.finish(additions);
  return table;
}

std::vector<TableColumn> table_columns(const SweepTable& table) {
  auto as_numbers = [](const std::vector<std::size_t>& counts) {
    return std::vector<double>(counts.begin(), counts.end());
  };
  std::vector<TableColumn> columns;
  columns.push_back({"point", as_numbers(table.point)});
  for (std::size_t d = 0; d < table.varied_paths.size(); ++d)
    columns.push_back({table.varied_paths[d], table.values[d]});
  columns.push_back({"replications", as_numbers(table.replications)});
  for (std::size_t i = 0; i < table.kpis.size(); ++i) {
    const std::string kpi = kKpiNames[i];
    columns.push_back({kpi + "_mean", table.kpis[i].mean});
    columns.push_back({kpi + "_ci_low", table.kpis[i].ci_low});
    columns.push_back({kpi + "_ci_high", table.kpis[i].ci_high});
  }
  return columns;
}

}  // namespace wfsim::models::experiments
