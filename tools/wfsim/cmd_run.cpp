#include <fmt/core.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.h"
#include "console.h"
#include "options.h"
#include "run_options.h"
#include "signals.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

int run_command(const Arguments& arguments, const Context& context) {
  po::options_description visible(
      "Usage: wfsim run SCENARIO.yaml [options]\n"
      "       wfsim run --resume OUT.h5 [-j THREADS] [-q]\n\n"
      "Runs the scenario's replications in parallel, writes every trajectory and\n"
      "total to an HDF5 file and prints the KPIs with 95% confidence intervals.\n"
      "Ctrl-C (SIGINT) or SIGTERM stops it, keeping every committed replication;\n"
      "--resume finishes such a file, with the same results as an uninterrupted run.\n\n"
      "Options");
  std::vector<std::string> sets;
  visible.add_options()("help,h", "show this help")("replications,r", po::value<std::int64_t>(),
                                                    "replications (default: the scenario's)")(
      "seed,s", po::value<std::uint64_t>(), "random seed (default: the scenario's)")(
      "threads,j", po::value<int>()->default_value(0), "worker threads (0 = every core)")(
      "output,o", po::value<std::string>(), "results file (default: NAME.h5)")(
      "force", "overwrite an existing results file")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "override PATH=VALUE after loading, e.g. roles.fc_associate.attrition=1.2 (repeatable)")(
      "trace", po::value<std::int64_t>()->default_value(0),
      "record every event of the first K replications in /events")(
      "shard", po::value<std::string>(), kShardHelp)(
      "resume", po::value<std::string>(),
      "finish the interrupted run in this results file (its stored scenario and settings)")(
      "quiet,q", "print nothing but errors");
  const auto parsed = parse_command_line(arguments, visible, {"scenario"});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;

  std::optional<models::Scenario> scenario;
  models::ExperimentSettings settings;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim run", "scenario");
    const std::string path = vm["resume"].as<std::string>();
    require_results_file_of(path, "run");
    models::StoredRun stored;
    try {
      stored = models::stored_run(path);
    } catch (const engine::RuntimeError& error) {
      throw UsageError(
          fmt::format("wfsim run --resume: {} cannot be resumed: {}", path, error.what()));
    }
    scenario = std::move(stored.scenario);
    settings = std::move(stored.settings);
  } else {
    if (!vm.count("scenario")) throw UsageError("wfsim run: a SCENARIO.yaml is required");
    std::vector<models::Override> overrides;
    for (const std::string& set : sets) overrides.push_back(models::parse_override(set));
    scenario = models::load_scenario_file(vm["scenario"].as<std::string>(), overrides);
    settings.replications = replications_option(vm, "wfsim run", scenario->replications);
    settings.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : scenario->seed;
    const std::int64_t trace = vm["trace"].as<std::int64_t>();
    if (trace < 0) throw UsageError("wfsim run: --trace must be >= 0");
    settings.trace_replications = static_cast<std::size_t>(trace);
    settings.output_path =
        vm.count("output") ? vm["output"].as<std::string>() : scenario->name + ".h5";
    settings.overwrite = vm.count("force") > 0;
    const Shard shard = shard_option(vm, "wfsim run");
    settings.shard_index = shard.index;
    settings.shard_count = shard.count;
    refuse_existing_output(settings.output_path, settings.overwrite);
  }
  settings.threads = threads_option(vm, "wfsim run");
  const bool quiet = vm.count("quiet") > 0;

  const models::WorkforceModel model(std::move(*scenario));

  install_stop_handlers();
  settings.stop = &stop_requested();
  ProgressBar progress(!quiet && stderr_is_terminal());
  settings.on_progress = [&](const engine::RunProgress& p) { progress.update(p); };
  settings.context = context.run;
  const models::ExperimentReport report = models::run_experiment(model, settings);
  progress.finish();

  const engine::RunOutcome& outcome = report.outcome;
  if (!quiet) {
    const int ranks = context.run.ranks();
    const bool sharded = settings.shard_count > 1;
    const std::size_t slice = models::replications_in_shard(
        settings.replications, settings.shard_index, settings.shard_count);
    fmt::print("{}: {} of {} replications{}{}, seed {}, {}{} threads, {:.2f} s\n",
               model.scenario().name, outcome.completed, sharded ? slice : settings.replications,
               sharded ? fmt::format(" (shard {}/{} of {})", settings.shard_index,
                                     settings.shard_count, settings.replications)
                       : "",
               settings.resume ? fmt::format(" ({} resumed from the file)", report.resumed) : "",
               settings.seed, ranks > 1 ? fmt::format("{} ranks x ", ranks) : "", report.threads,
               outcome.wall_seconds);
    print_kpi_table(stdout, report.kpis);
    const double rate =
        outcome.wall_seconds > 0 ? static_cast<double>(outcome.events) / outcome.wall_seconds : 0;
    fmt::print("events processed: {} ({:.3g} events/s)\n", outcome.events, rate);
    fmt::print("results: {}\n", settings.output_path);
  }
  for (const auto& [index, message] : outcome.failures)
    fmt::print(stderr, "wfsim: replication {} (seed {}) failed: {}\n", index, settings.seed,
               message);
  if (outcome.interrupted) {
    fmt::print(stderr,
               "wfsim: interrupted; {} committed replications kept in {} (finish it with "
               "wfsim run --resume {})\n",
               outcome.completed, settings.output_path, settings.output_path);
    return interrupted_exit_code();
  }
  if (!outcome.failures.empty())
    fmt::print(stderr, "wfsim: {} of {} replications failed; the others are in {}\n",
               outcome.failures.size(), settings.replications, settings.output_path);
  return outcome.failures.empty() ? 0 : 1;
}

}  // namespace wfsim::cli
