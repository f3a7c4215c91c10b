#include "group_runs.h"

#include <fmt/core.h>

#include <filesystem>

#include "commands.h"
#include "console.h"
#include "signals.h"
#include "wfsim/models/workforce.h"

namespace po = boost::program_options;

namespace wfsim::cli {

void add_group_run_options(po::options_description& visible, const std::string& defaults_from,
                           const std::string& default_output, const std::string& csv_help) {
  visible.add_options()("replications,r", po::value<std::int64_t>(),
                        ("replications per run (default: " + defaults_from + "'s)").c_str())(
      "seed,s", po::value<std::uint64_t>(),
      ("random seed (default: " + defaults_from + "'s)").c_str())(
      "threads,j", po::value<int>()->default_value(0), "worker threads (0 = every core)")(
      "output,o", po::value<std::string>(),
      ("results file (default: " + default_output + ")").c_str())(
      "force", "overwrite an existing results file")(
      "csv", po::value<std::string>(), csv_help.c_str())("quiet,q",
                                                         "print nothing but errors and warnings");
}

std::size_t replications_option(const po::variables_map& vm, const std::string& command,
                                std::int64_t scenario_default) {
  if (!vm.count("replications")) return static_cast<std::size_t>(scenario_default);
  const std::int64_t r = vm["replications"].as<std::int64_t>();
  if (r < 1) throw UsageError(command + ": --replications must be at least 1");
  return static_cast<std::size_t>(r);
}

int threads_option(const po::variables_map& vm, const std::string& command) {
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw UsageError(command + ": --threads must be >= 0");
  return threads;
}

void refuse_existing_output(const std::string& output, bool overwrite) {
  if (!overwrite && std::filesystem::exists(output))
    throw UsageError(output + " exists; use --force to overwrite it or -o another file");
}

GroupRunOptions group_run_options(const po::variables_map& vm, const std::string& command,
                                  const models::Scenario& base, const std::string& default_output) {
  GroupRunOptions options;
  options.command = command;
  options.replications = replications_option(vm, command, base.replications);
  options.seed_given = vm.count("seed") > 0;
  options.seed = options.seed_given ? vm["seed"].as<std::uint64_t>() : base.seed;
  options.threads = threads_option(vm, command);
  options.output = vm.count("output") ? vm["output"].as<std::string>() : default_output;
  options.overwrite = vm.count("force") > 0;
  refuse_existing_output(options.output, options.overwrite);
  options.quiet = vm.count("quiet") > 0;
  return options;
}

GroupRuns::GroupRuns(const GroupRunOptions& options, const std::string& kind,
                     engine::FileAdditions additions)
    : options_(options) {
  engine::create_empty_results_file(options.output, options.overwrite);
  additions.root_strings.insert(additions.root_strings.begin(),
                                {{"wfsim_version", WFSIM_VERSION},
                                 {"git_sha", WFSIM_GIT_SHA},
                                 {"created_utc", models::utc_timestamp_now()},
                                 {"command", kind}});
  engine::add_to_results_file(options.output, additions);
  install_stop_handlers();
}

std::optional<models::ExperimentReport> GroupRuns::run(models::Scenario scenario,
                                                       const std::string& group,
                                                       const std::string& label) {
  if (stopped_ || stop_requested().load()) {
    stopped_ = true;
    return std::nullopt;
  }
  const models::WorkforceModel model(std::move(scenario));
  models::ExperimentSettings settings;
  settings.output_path = options_.output;
  settings.group = group;
  settings.replications = options_.replications;
  settings.seed = options_.seed;
  settings.threads = options_.threads;
  settings.stop = &stop_requested();
  ProgressBar progress(!options_.quiet && stderr_is_terminal());
  settings.on_progress = [&](const engine::RunProgress& p) { progress.update(p); };
  models::ExperimentReport report = models::run_experiment(model, settings);
  progress.finish();
  for (const auto& [index, message] : report.outcome.failures)
    fmt::print(stderr, "wfsim: {}: replication {} (seed {}) failed: {}\n", label, index,
               options_.seed, message);
  failed_ = failed_ || !report.outcome.failures.empty();
  stopped_ = report.outcome.interrupted;
  return report;
}

int GroupRuns::exit_code() const {
  if (stopped_) return interrupted_exit_code();
  return failed_ ? 1 : 0;
}

}  // namespace wfsim::cli
