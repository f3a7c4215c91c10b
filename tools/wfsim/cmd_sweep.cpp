// `wfsim sweep`: the scenario at every point of a grid or of a Latin
// hypercube over scenario paths, each point with the scenario's seed and
// replications (common random numbers), one results group /points/<k> each,
// then /sweep/table of the point values and KPI means with 95% CIs
// (models/experiments/sweep.h); here its options and what it prints.
#include <fmt/core.h>

#include <boost/program_options.hpp>
#include <optional>
#include <set>

#include "commands.h"
#include "experiment_tables.h"
#include "options.h"
#include "run_options.h"
#include "wfsim/models/experiments/sweep.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

using models::experiments::Sweep;

// A new sweep from the command line.
Sweep create_sweep(const po::variables_map& vm, const std::vector<std::string>& varies) {
  if (!vm.count("scenario")) throw UsageError("wfsim sweep: a SCENARIO.yaml is required");
  if (varies.empty()) throw UsageError("wfsim sweep: at least one --vary PATH=... is required");
  models::experiments::SweepSettings settings;
  settings.scenario_file = vm["scenario"].as<std::string>();
  std::set<std::string> paths;
  for (const std::string& vary : varies) {
    settings.axes.push_back(models::parse_vary(vary));
    if (!paths.insert(settings.axes.back().path).second)
      throw UsageError("wfsim sweep: --vary " + settings.axes.back().path + " is given twice");
  }
  settings.base = models::load_scenario_file(settings.scenario_file);
  settings.plan = plan_settings(vm, "wfsim sweep", settings.base, settings.base.name + "_sweep.h5");
  if (vm.count("lhs")) {
    const std::int64_t n = vm["lhs"].as<std::int64_t>();
    if (n < 1) throw UsageError("wfsim sweep: --lhs N needs N >= 1");
    settings.lhs_points = static_cast<std::size_t>(n);
  }
  return Sweep::create(settings);
}

// "PATH=value PATH=value" of point k.
std::string point_label(const Sweep& sweep, std::size_t k) {
  std::string label;
  for (std::size_t d = 0; d < sweep.varied_paths().size(); ++d)
    label += fmt::format("{}{}={:.6g}", d ? " " : "", sweep.varied_paths()[d],
                         sweep.points()[k].values[d]);
  return label;
}

}  // namespace

int sweep_command(const Arguments& arguments, const Context& context) {
  po::options_description visible(
      "Usage: wfsim sweep SCENARIO.yaml --vary PATH=v1,v2,... [--vary PATH=lo:hi:n]... [options]\n"
      "       wfsim sweep SCENARIO.yaml --lhs N --vary PATH=lo:hi [--vary PATH=lo:hi]... "
      "[options]\n"
      "       wfsim sweep --resume OUT.h5 [-j THREADS] [-q] [--csv FILE]\n\n"
      "Runs the scenario at every point of the grid over all --vary (the first varies\n"
      "slowest), or at N points of a Latin hypercube over the ranges (each of the N\n"
      "equal strata of every range hit once; the sample drawn from a stream seeded by\n"
      "the seed, so it is reproducible). A point is the scenario with PATH=value as by\n"
      "`run --set`; every point runs with the same seed and replications (common random\n"
      "numbers). Writes each point to /points/<k> of one HDF5 file and /sweep/table,\n"
      "and prints per point the values and KPI means with 95% confidence intervals.\n\n"
      "Options");
  std::vector<std::string> varies;
  visible.add_options()("help,h", "show this help")(
      "vary", po::value<std::vector<std::string>>(&varies)->composing(),
      "PATH=v1,v2,... or PATH=lo:hi:n (grid), PATH=lo:hi (with --lhs); repeatable")(
      "lhs", po::value<std::int64_t>(), "Latin hypercube of N points over the --vary ranges");
  add_group_run_options(visible, "the scenario", "NAME_sweep.h5",
                        "also write the table (every KPI) to this CSV file");
  const auto parsed = parse_command_line(arguments, visible, {"scenario"});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  std::optional<Sweep> sweep;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim sweep", "scenario");
    require_results_file_of(vm["resume"].as<std::string>(), "sweep");
    sweep.emplace(Sweep::resume(vm["resume"].as<std::string>()));
  } else {
    sweep.emplace(create_sweep(vm, varies));
  }
  const models::experiments::GroupRuns& runs = sweep->runs();
  const models::experiments::PlanSettings& settings = runs.settings();
  const std::size_t points = sweep->points().size();
  const bool quiet = vm.count("quiet") > 0;
  auto after_run = [&](std::size_t k, const models::ExperimentReport& report) {
    if (!quiet)
      fmt::print(stderr, "point {}/{} ({}): {} of {} replications, {:.2f} s\n", k + 1, points,
                 point_label(*sweep, k), report.outcome.completed, settings.replications,
                 report.outcome.wall_seconds);
  };
  const models::experiments::SweepTable table =
      sweep->run(run_controls(vm, "wfsim sweep", context, runs, after_run));

  if (vm.count("csv")) write_sweep_csv(vm["csv"].as<std::string>(), table);
  if (!quiet) {
    fmt::print("{}: {} points{}, {} replications each, seed {}\n", sweep->scenario_name(), points,
               sweep->latin_hypercube() ? " (Latin hypercube)" : "", settings.replications,
               settings.seed);
    print_sweep_table(stdout, table);
    fmt::print("results: {}\n", settings.output_path);
  }
  if (runs.stopped())
    fmt::print(stderr, "wfsim: interrupted; {} of {} points complete, kept in {}\n",
               table.point.size(), points, settings.output_path);
  return exit_code(runs);
}

}  // namespace wfsim::cli
