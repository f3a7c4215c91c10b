// `wfsim compare`: the base and every policy run with the same seed and
// replications (common random numbers), one results group each, then paired
// differences per KPI and the ROI of each policy against the base
// (models/experiments/compare.h); here its options and what it prints.
#include <fmt/core.h>

#include <boost/program_options.hpp>
#include <optional>

#include "commands.h"
#include "experiment_tables.h"
#include "options.h"
#include "run_options.h"
#include "wfsim/models/experiments/compare.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

using models::experiments::Comparison;

// A new comparison from the command line, after the warnings about its seed.
Comparison create_comparison(const po::variables_map& vm) {
  const std::vector<std::string> files = vm.count("scenarios")
                                             ? vm["scenarios"].as<std::vector<std::string>>()
                                             : std::vector<std::string>{};
  if (files.size() < 2)
    throw UsageError("wfsim compare: a BASE.yaml and at least one POLICY.yaml are required");
  models::experiments::ComparisonSettings settings;
  settings.scenarios = models::experiments::load_compared_scenarios(files);
  const models::Scenario& base = settings.scenarios.front().scenario;
  settings.plan = plan_settings(vm, "wfsim compare", base, base.name + "_compare.h5");
  for (std::size_t i = 1; i < settings.scenarios.size() && !vm.count("seed"); ++i)
    if (settings.scenarios[i].scenario.seed != base.seed)
      fmt::print(stderr,
                 "wfsim compare: warning: {} names seed {}; it runs with the base's seed {} "
                 "(common random numbers)\n",
                 settings.scenarios[i].file, settings.scenarios[i].scenario.seed, base.seed);
  return Comparison::create(std::move(settings));
}

}  // namespace

int compare_command(const Arguments& arguments, const Context& context) {
  po::options_description visible(
      "Usage: wfsim compare BASE.yaml POLICY.yaml [POLICY2.yaml ...] [options]\n"
      "       wfsim compare --resume OUT.h5 [-j THREADS] [-q] [--csv FILE]\n\n"
      "Runs the base and every policy with the base's seed and replications (common\n"
      "random numbers), writes each run to /scenarios/<name> of one HDF5 file, and\n"
      "prints per KPI the base and policy means and the paired difference (policy - base)\n"
      "with its 95% confidence interval (Student t over the paired replications), and\n"
      "each policy's ROI with a paired-bootstrap 95% interval.\n\n"
      "Options");
  visible.add_options()("help,h", "show this help");
  add_group_run_options(visible, "the base", "BASE_compare.h5",
                        "also write the comparison table to this CSV file");
  const auto parsed = parse_command_line(arguments, visible, {"scenarios", -1});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  std::optional<Comparison> comparison;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim compare", "scenarios");
    require_results_file_of(vm["resume"].as<std::string>(), "compare");
    comparison.emplace(Comparison::resume(vm["resume"].as<std::string>()));
  } else {
    comparison.emplace(create_comparison(vm));
  }
  const models::experiments::GroupRuns& runs = comparison->runs();
  const models::experiments::PlanSettings& settings = runs.settings();
  const bool quiet = vm.count("quiet") > 0;
  auto after_run = [&](std::size_t k, const models::ExperimentReport& report) {
    const engine::RunOutcome& outcome = report.outcome;
    if (!quiet)
      fmt::print("{}: {} of {} replications, seed {}, {} threads, {:.2f} s, {} events\n",
                 runs.plan()[k].label, outcome.completed, settings.replications, settings.seed,
                 report.threads, outcome.wall_seconds, outcome.events);
  };
  const models::experiments::ComparisonTable table =
      comparison->run(run_controls(vm, "wfsim compare", context, runs, after_run));

  if (!quiet) {
    print_comparison(stdout, table);
    fmt::print("results: {}\n", settings.output_path);
  }
  if (vm.count("csv")) write_comparison_csv(vm["csv"].as<std::string>(), table);
  if (runs.stopped())
    fmt::print(stderr,
               "wfsim: interrupted; {} of {} scenarios complete, committed replications "
               "kept in {}\n",
               runs.finished_runs(), runs.plan().size(), settings.output_path);
  return exit_code(runs);
}

}  // namespace wfsim::cli
