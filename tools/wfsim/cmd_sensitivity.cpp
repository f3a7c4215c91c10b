// `wfsim sensitivity`: one-at-a-time changes of ±Δ (relative) around a
// scenario, path by path, every run with the scenario's seed and replications
// (common random numbers); per KPI the means at −Δ and +Δ (tornado data) in
// /sensitivity/table, the runs under /sensitivity/runs
// (models/experiments/sensitivity.h); here its options and what it prints.
#include <fmt/core.h>

#include <boost/program_options.hpp>
#include <optional>
#include <set>

#include "commands.h"
#include "experiment_tables.h"
#include "options.h"
#include "run_options.h"
#include "wfsim/models/experiments/sensitivity.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

using models::experiments::Sensitivity;

// A new sensitivity analysis from the command line, after the warnings
// about numbers that are 0.
Sensitivity create_sensitivity(const po::variables_map& vm, const std::vector<std::string>& paths) {
  if (!vm.count("scenario")) throw UsageError("wfsim sensitivity: a SCENARIO.yaml is required");
  if (paths.empty()) throw UsageError("wfsim sensitivity: at least one --path PATH is required");
  models::experiments::SensitivitySettings settings;
  settings.delta = vm["delta"].as<double>();
  if (!(settings.delta > 0.0 && settings.delta < 1.0))
    throw UsageError(fmt::format("wfsim sensitivity: --delta must be above 0 and below 1, got {}",
                                 settings.delta));
  settings.scenario_file = vm["scenario"].as<std::string>();
  settings.base = models::load_scenario_file(settings.scenario_file);
  settings.plan =
      plan_settings(vm, "wfsim sensitivity", settings.base, settings.base.name + "_sensitivity.h5");
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    settings.paths.push_back(models::parse_override(path + "=0").path);
    if (!seen.insert(settings.paths.back()).second)
      throw UsageError("wfsim sensitivity: --path " + settings.paths.back() + " is given twice");
  }
  Sensitivity sensitivity = Sensitivity::create(settings);
  for (std::size_t i = 0; i < sensitivity.paths().size(); ++i)
    if (sensitivity.base_values()[i] == 0.0)
      fmt::print(stderr, "wfsim sensitivity: warning: {} is 0 in the scenario; ±{} leaves it 0\n",
                 sensitivity.paths()[i], settings.delta);
  return sensitivity;
}

}  // namespace

int sensitivity_command(const Arguments& arguments, const Context& context) {
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
  std::optional<Sensitivity> sensitivity;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim sensitivity", "scenario");
    require_results_file_of(vm["resume"].as<std::string>(), "sensitivity");
    sensitivity.emplace(Sensitivity::resume(vm["resume"].as<std::string>()));
  } else {
    sensitivity.emplace(create_sensitivity(vm, paths));
  }
  const models::experiments::GroupRuns& runs = sensitivity->runs();
  const models::experiments::PlanSettings& settings = runs.settings();
  const bool quiet = vm.count("quiet") > 0;
  auto after_run = [&](std::size_t k, const models::ExperimentReport& report) {
    if (!quiet)
      fmt::print(stderr, "run {}/{} ({}): {} of {} replications, {:.2f} s\n", k + 1,
                 runs.plan().size(), runs.plan()[k].label, report.outcome.completed,
                 settings.replications, report.outcome.wall_seconds);
  };
  const models::experiments::SensitivityTable table =
      sensitivity->run(run_controls(vm, "wfsim sensitivity", context, runs, after_run));

  if (vm.count("csv")) write_sensitivity_csv(vm["csv"].as<std::string>(), table);
  if (!quiet && !table.base_means.empty()) {
    fmt::print("{}: sensitivity to ±{} of {} paths, {} replications per run, seed {}\n",
               sensitivity->scenario_name(), sensitivity->delta(), sensitivity->paths().size(),
               settings.replications, settings.seed);
    print_tornado(stdout, table);
    fmt::print("means over each run's replications; every KPI in /sensitivity/table\n");
    fmt::print("results: {}\n", settings.output_path);
  }
  if (runs.stopped())
    fmt::print(stderr, "wfsim: interrupted; {} of {} paths complete, kept in {}\n",
               table.paths.size(), sensitivity->paths().size(), settings.output_path);
  return exit_code(runs);
}

}  // namespace wfsim::cli
