#include "group_runs.h"

#include <fmt/core.h>

#include <filesystem>

#include "commands.h"
#include "console.h"
#include "signals.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/scenario_loader.h"
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
      "csv", po::value<std::string>(), csv_help.c_str())("shard", po::value<std::string>(),
                                                         kShardHelp)(
      "resume", po::value<std::string>(),
      "finish the interrupted results file FILE with the scenarios and settings stored in it")(
      "quiet,q", "print nothing but errors and warnings");
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

const char* const kShardHelp =
    "run only replications r with r % N == I, for I/N (e.g. 2/8: a task of a job array); "
    "wfsim merge joins the N files";

Shard shard_option(const po::variables_map& vm, const std::string& command) {
  Shard shard;
  if (!vm.count("shard")) return shard;
  const std::string text = vm["shard"].as<std::string>();
  const auto slash = text.find('/');
  auto number = [](const std::string& digits, std::size_t& value) {
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return false;
    value = std::stoul(digits);
    return true;
  };
  if (slash == std::string::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count) || shard.count < 1 || shard.index >= shard.count)
    throw UsageError(
        fmt::format("{}: --shard '{}': give I/N with 0 <= I < N, e.g. --shard 0/4 ... --shard 3/4",
                    command, text));
  return shard;
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
  options.shard = shard_option(vm, command);
  return options;
}

GroupRuns::GroupRuns(const GroupRunOptions& options, const std::string& kind,
                     engine::FileAdditions additions, std::vector<PlannedRun> plan)
    : options_(options), plan_(std::move(plan)) {
  additions.root_strings.insert(additions.root_strings.begin(),
                                {{"wfsim_version", WFSIM_VERSION},
                                 {"git_sha", WFSIM_GIT_SHA},
                                 {"created_utc", models::utc_timestamp_now()},
                                 {"command", kind}});
  additions.root_counts.push_back({"complete", 0});
  additions.root_counts.push_back({"shard_index", options.shard.index});
  additions.root_counts.push_back({"shard_count", options.shard.count});
  std::vector<std::string> groups, labels, texts;
  for (const PlannedRun& run : plan_) {
    groups.push_back(run.group);
    labels.push_back(run.label);
    texts.push_back(run.scenario.resolved_yaml);
  }
  additions.string_datasets.push_back({"plan/groups", groups});
  additions.string_datasets.push_back({"plan/labels", labels});
  additions.string_datasets.push_back({"plan/scenarios", texts});
  // Made whole before it appears: a process killed meanwhile leaves no file
  // without its plan under the output's name.
  engine::create_results_file(options.output, additions, options.overwrite);
  install_stop_handlers();
}

GroupRuns GroupRuns::resume(const std::string& path, const std::string& kind, int threads,
                            bool quiet) {
  require_results_file_of(path, kind);
  models::require_this_build(engine::SourceMark{path, 0, 0},
                             engine::read_string_attribute_of(path, "/", "wfsim_version"),
                             engine::read_string_attribute_of(path, "/", "git_sha"));

  GroupRuns runs;
  runs.resuming_ = true;
  runs.options_.command = "wfsim " + kind + " --resume";
  runs.options_.output = path;
  runs.options_.threads = threads;
  runs.options_.quiet = quiet;
  runs.options_.replications =
      static_cast<std::size_t>(engine::read_float_attribute_of(path, "/", "replications"));
  runs.options_.seed =
      static_cast<std::uint64_t>(engine::read_float_attribute_of(path, "/", "seed"));
  runs.options_.seed_given = true;
  runs.options_.shard.index =
      static_cast<std::size_t>(engine::read_float_attribute_of(path, "/", "shard_index"));
  runs.options_.shard.count =
      static_cast<std::size_t>(engine::read_float_attribute_of(path, "/", "shard_count"));
  const auto groups = engine::read_string_dataset(path, "plan/groups");
  const auto labels = engine::read_string_dataset(path, "plan/labels");
  const auto texts = engine::read_string_dataset(path, "plan/scenarios");
  if (labels.size() != groups.size() || texts.size() != groups.size())
    throw engine::RuntimeError(path + ": /plan is damaged; the file cannot be resumed");
  for (std::size_t k = 0; k < groups.size(); ++k)
    runs.plan_.push_back({groups[k], labels[k],
                          models::load_scenario_text(
                              texts[k], path + ":/plan/scenarios[" + std::to_string(k) + "]")});
  install_stop_handlers();
  return runs;
}

std::optional<models::ExperimentReport> GroupRuns::run(std::size_t k) {
  if (stopped_ || stop_requested().load()) {
    stopped_ = true;
    return std::nullopt;
  }
  PlannedRun& planned = plan_.at(k);
  const models::WorkforceModel model(std::move(planned.scenario));
  models::ExperimentSettings settings;
  if (resuming_ && engine::results_object_exists(options_.output, planned.group)) {
    // The plan holds the group's scenario already: only the settings are read.
    settings = models::stored_settings(options_.output, planned.group);
  } else {
    settings.output_path = options_.output;
    settings.group = planned.group;
    settings.replications = options_.replications;
    settings.seed = options_.seed;
    settings.shard_index = options_.shard.index;
    settings.shard_count = options_.shard.count;
  }
  settings.threads = options_.threads;
  settings.stop = &stop_requested();
  ProgressBar progress(!options_.quiet && stderr_is_terminal());
  settings.on_progress = [&](const engine::RunProgress& p) { progress.update(p); };
  models::ExperimentReport report = models::run_experiment(model, settings);
  progress.finish();
  for (const auto& [index, message] : report.outcome.failures)
    fmt::print(stderr, "wfsim: {}: replication {} (seed {}) failed: {}\n", planned.label, index,
               options_.seed, message);
  failed_ = failed_ || !report.outcome.failures.empty();
  stopped_ = report.outcome.interrupted;
  return report;
}

void GroupRuns::finish() {
  if (stopped_ || failed_ || options_.shard.count > 1) return;  // a shard is never whole
  engine::FileAdditions additions;
  additions.root_counts = {{"complete", 1}};
  engine::add_to_results_file(options_.output, additions);
}

void refuse_options_with_resume(const po::variables_map& vm, const std::string& command,
                                const std::string& positional) {
  for (const auto& [name, value] : vm) {
    if (value.defaulted() || name == "resume" || name == "threads" || name == "quiet" ||
        name == "csv")
      continue;
    throw UsageError(fmt::format(
        "{} --resume: {} cannot be given; the work continues with the scenarios and settings "
        "stored in the file (only {} apply)",
        command, name == positional ? "a SCENARIO.yaml" : "--" + name,
        command == "wfsim run" ? "-j and -q" : "-j, -q and --csv"));
  }
}

std::string results_file_kind(const std::string& path) {
  try {
    return engine::read_string_attribute_of(path, "/", "command");
  } catch (const engine::RuntimeError&) {
    // A `run` file has no `command` attribute (and a file that is not HDF5
    // at all fails at the next reading, which says so).
    return "run";
  }
}

void require_results_file_of(const std::string& path, const std::string& kind) {
  const std::string command = "wfsim " + kind + " --resume";
  if (!std::filesystem::is_regular_file(path))
    throw UsageError(command + ": " + path + " is not a results file");
  const std::string written_by = results_file_kind(path);
  if (written_by == kind) return;
  if (written_by == "run")
    throw UsageError(command + ": " + path + " was not written by wfsim " + kind);
  throw UsageError(fmt::format("{}: {} was written by wfsim {}; resume it with wfsim {} --resume",
                               command, path, written_by, written_by));
}

int GroupRuns::exit_code() const {
  if (stopped_) return interrupted_exit_code();
  return failed_ ? 1 : 0;
}

}  // namespace wfsim::cli
