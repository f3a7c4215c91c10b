// `wfsim sensitivity`: one-at-a-time changes of ±Δ (relative) around a
// scenario, path by path, every run with the scenario's seed and replications
// (common random numbers); per KPI the means at −Δ and +Δ (tornado data) in
// /sensitivity/table, the runs under /sensitivity/runs.
#include <fmt/core.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>
#include <optional>
#include <set>

#include "commands.h"
#include "console.h"
#include "csv_file.h"
#include "group_runs.h"
#include "options.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

constexpr const char* kHeadlineKpis[] = {"total_cost", "final_headcount", "exits"};

std::string yaml_number(double value) {
  return fmt::format("{}", value);
}

std::vector<double> kpi_means(const models::ExperimentReport& report) {
  std::vector<double> means;
  for (const models::KpiRow& row : report.kpis) means.push_back(row.interval.mean);
  return means;
}

}  // namespace

int sensitivity_command(const Arguments& arguments) {
  po::options_description visible(
      "Usage: wfsim sensitivity SCENARIO.yaml --path PATH [--path PATH]... [options]\n\n"
      "Runs the scenario, then for each PATH (a number written in the scenario, as in\n"
      "`run --set`) the scenario with that value times 1 - delta and times 1 + delta,\n"
      "the others as they are. Every run uses the scenario's seed and replications\n"
      "(common random numbers). Prints per headline KPI the means at -delta and +delta\n"
      "by path, largest swing first (tornado data), and writes every KPI's means to\n"
      "/sensitivity/table of one HDF5 file.\n\n"
      "Options");
  std::vector<std::string> paths;
  visible.add_options()("help,h", "show this help")(
      "path", po::value<std::vector<std::string>>(&paths)->composing(),
      "a PATH to perturb (repeatable)")("delta", po::value<double>()->default_value(0.1),
                                        "relative change, 0 < delta < 1");
  add_group_run_options(visible, "the scenario", "NAME_sensitivity.h5",
                        "also write the table (every KPI) to this CSV file");
  const auto parsed = parse_command_line(arguments, visible, {"scenario"});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  std::optional<GroupRuns> group_runs;
  double delta = 0.0;
  std::string scenario_name;
  std::vector<double> base_values, minus_values, plus_values;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim sensitivity", "scenario");
    const std::string path = vm["resume"].as<std::string>();
    group_runs.emplace(GroupRuns::resume(
        path, "sensitivity", threads_option(vm, "wfsim sensitivity"), vm.count("quiet") > 0));
    delta = std::stod(engine::read_string_attribute_of(path, "/", "delta"));
    paths = engine::read_string_list_attribute_of(path, "/", "paths");
    scenario_name = engine::read_string_attribute_of(path, "/", "scenario_name");
    const models::Scenario& base = group_runs->plan().at(0).scenario;
    for (const std::string& p : paths) {
      const double value = models::number_at_path(base, p);
      base_values.push_back(value);
      minus_values.push_back(value * (1.0 - delta));
      plus_values.push_back(value * (1.0 + delta));
    }
  } else {
    if (!vm.count("scenario")) throw UsageError("wfsim sensitivity: a SCENARIO.yaml is required");
    if (paths.empty()) throw UsageError("wfsim sensitivity: at least one --path PATH is required");
    delta = vm["delta"].as<double>();
    if (!(delta > 0.0 && delta < 1.0))
      throw UsageError(
          fmt::format("wfsim sensitivity: --delta must be above 0 and below 1, got {}", delta));
    const std::string file = vm["scenario"].as<std::string>();
    models::Scenario base = models::load_scenario_file(file);
    scenario_name = base.name;
    const GroupRunOptions options =
        group_run_options(vm, "wfsim sensitivity", base, base.name + "_sensitivity.h5");

    // Every run is loaded (and so validated) before anything runs.
    std::set<std::string> seen;
    std::vector<PlannedRun> plan;
    for (const std::string& path : paths) {
      const std::string clean = models::parse_override(path + "=0").path;
      if (!seen.insert(clean).second)
        throw UsageError("wfsim sensitivity: --path " + clean + " is given twice");
      const double value = models::number_at_path(base, clean);
      if (value == 0.0)
        fmt::print(stderr, "wfsim sensitivity: warning: {} is 0 in the scenario; ±{} leaves it 0\n",
                   clean, delta);
      base_values.push_back(value);
      minus_values.push_back(value * (1.0 - delta));
      plus_values.push_back(value * (1.0 + delta));
    }
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const std::string path = models::parse_override(paths[i] + "=0").path;
      for (const bool plus : {false, true}) {
        const double value = plus ? plus_values[i] : minus_values[i];
        plan.push_back({fmt::format("sensitivity/runs/{}/{}", path, plus ? "plus" : "minus"),
                        fmt::format("{}={:.10g}", path, value),
                        models::load_scenario_file(file, {{path, yaml_number(value)}})});
      }
      paths[i] = path;
    }
    engine::FileAdditions additions;
    additions.root_strings = {{"scenario_name", base.name},
                              {"scenario_yaml", base.resolved_yaml},
                              {"delta", fmt::format("{}", delta)}};
    additions.root_string_lists = {{"paths", paths}};
    additions.root_counts = {{"seed", options.seed}, {"replications", options.replications}};
    plan.insert(plan.begin(), PlannedRun{"sensitivity/runs/base", "base", std::move(base)});
    group_runs.emplace(options, "sensitivity", std::move(additions), std::move(plan));
  }
  const GroupRunOptions& options = group_runs->options();
  const std::string& output = options.output;

  std::vector<std::vector<double>> means;  // per finished run, in run order
  for (std::size_t k = 0; k < group_runs->plan().size(); ++k) {
    const std::string label = group_runs->plan()[k].label;
    std::optional<models::ExperimentReport> report = group_runs->run(k);
    if (!report) break;
    const engine::RunOutcome& outcome = report->outcome;
    if (!options.quiet)
      fmt::print(stderr, "run {}/{} ({}): {} of {} replications, {:.2f} s\n", means.size() + 1,
                 group_runs->plan().size(), label, outcome.completed, options.replications,
                 outcome.wall_seconds);
    if (group_runs->stopped()) break;
    means.push_back(kpi_means(*report));
  }

  // Rows: the paths whose two runs (and the base) finished.
  const std::size_t rows = means.empty() ? 0 : (means.size() - 1) / 2;
  std::vector<std::string> names = {"path", "base_value", "minus_value", "plus_value"};
  std::vector<std::vector<double>> columns(3);
  for (std::size_t i = 0; i < rows; ++i) {
    columns[0].push_back(base_values[i]);
    columns[1].push_back(minus_values[i]);
    columns[2].push_back(plus_values[i]);
  }
  for (int k = 0; k < models::kKpiCount; ++k) {
    for (const char* suffix : {"_base", "_minus", "_plus"}) {
      names.push_back(std::string(models::kKpiNames[k]) + suffix);
      std::vector<double> column;
      for (std::size_t i = 0; i < rows; ++i) {
        const std::size_t run = suffix[1] == 'b' ? 0 : suffix[1] == 'm' ? 1 + 2 * i : 2 + 2 * i;
        column.push_back(means[run][k]);
      }
      columns.push_back(std::move(column));
    }
  }
  const std::vector<std::string> row_paths(paths.begin(), paths.begin() + rows);
  engine::FileAdditions table;
  table.string_datasets.push_back({"sensitivity/table/path", row_paths});
  for (std::size_t c = 0; c < columns.size(); ++c)
    table.datasets.push_back({"sensitivity/table/" + names[c + 1], {rows}, columns[c]});
  table.object_string_lists.push_back({"sensitivity/table", "columns", names});
  table.removals = {"sensitivity/table"};  // an interrupted run's, of fewer paths
  engine::add_to_results_file(output, table);
  group_runs->finish();

  if (vm.count("csv")) {
    CsvFile csv(vm["csv"].as<std::string>());
    csv.row(names);
    for (std::size_t i = 0; i < rows; ++i) {
      std::vector<std::string> cells = {row_paths[i]};
      for (const auto& column : columns) cells.push_back(CsvFile::number(column[i]));
      csv.row(cells);
    }
    csv.close();
  }

  if (!options.quiet && !means.empty()) {
    fmt::print("{}: sensitivity to ±{} of {} paths, {} replications per run, seed {}\n",
               scenario_name, delta, paths.size(), options.replications, options.seed);
    std::size_t width = 20;
    for (const std::string& p : row_paths) width = std::max(width, p.size());
    for (const char* kpi : kHeadlineKpis) {
      const int k =
          static_cast<int>(std::find_if(models::kKpiNames.begin(), models::kKpiNames.end(),
                                        [&](const char* n) { return std::string(n) == kpi; }) -
                           models::kKpiNames.begin());
      std::vector<std::size_t> order(rows);
      for (std::size_t i = 0; i < rows; ++i) order[i] = i;
      auto swing = [&](std::size_t i) {
        return std::fabs(means[2 + 2 * i][k] - means[1 + 2 * i][k]);
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return swing(a) > swing(b); });
      fmt::print("\n{} (base mean {})\n", kpi, format_number(means[0][k]));
      fmt::print("{:<{}} {:>14} {:>14} {:>14}\n", "path", width, "-delta", "+delta", "swing");
      for (std::size_t i : order)
        fmt::print("{:<{}} {:>14} {:>14} {:>14}\n", row_paths[i], width,
                   format_number(means[1 + 2 * i][k]), format_number(means[2 + 2 * i][k]),
                   format_number(swing(i)));
    }
    fmt::print("means over each run's replications; every KPI in /sensitivity/table\n");
    fmt::print("results: {}\n", output);
  }
  if (group_runs->stopped())
    fmt::print(stderr, "wfsim: interrupted; {} of {} paths complete, kept in {}\n", rows,
               paths.size(), output);
  return group_runs->exit_code();
}

}  // namespace wfsim::cli
