#include "run_options.h"

#include <fmt/core.h>

#include <filesystem>
#include <memory>

#include "commands.h"
#include "console.h"
#include "signals.h"
#include "wfsim/engine/error.h"

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

models::experiments::PlanSettings plan_settings(const po::variables_map& vm,
                                                const std::string& command,
                                                const models::Scenario& base,
                                                const std::string& default_output) {
  models::experiments::PlanSettings settings;
  threads_option(vm, command);  // checked before the file is made
  settings.replications = replications_option(vm, command, base.replications);
  settings.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : base.seed;
  settings.output_path = vm.count("output") ? vm["output"].as<std::string>() : default_output;
  settings.overwrite = vm.count("force") > 0;
  refuse_existing_output(settings.output_path, settings.overwrite);
  const Shard shard = shard_option(vm, command);
  settings.shard_index = shard.index;
  settings.shard_count = shard.count;
  return settings;
}

models::experiments::RunControls run_controls(
    const po::variables_map& vm, const std::string& command, const Context& context,
    const models::experiments::GroupRuns& runs,
    std::function<void(std::size_t, const models::ExperimentReport&)> after_run) {
  install_stop_handlers();
  models::experiments::RunControls controls;
  controls.threads = threads_option(vm, command);
  controls.stop = &stop_requested();
  controls.context = context.run;
  auto progress = std::make_shared<ProgressBar>(!vm.count("quiet") && stderr_is_terminal());
  controls.on_progress = [progress](const engine::RunProgress& p) { progress->update(p); };
  controls.on_run_end = [progress, &runs, after_run = std::move(after_run)](
                            std::size_t k, const models::ExperimentReport& report) {
    progress->finish();
    for (const auto& [index, message] : report.outcome.failures)
      fmt::print(stderr, "wfsim: {}: replication {} (seed {}) failed: {}\n", runs.plan()[k].label,
                 index, runs.settings().seed, message);
    after_run(k, report);
  };
  return controls;
}

int exit_code(const models::experiments::GroupRuns& runs) {
  if (runs.stopped()) return interrupted_exit_code();
  return runs.failed() ? 1 : 0;
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

void require_results_file_of(const std::string& path, const std::string& kind) {
  const std::string command = "wfsim " + kind + " --resume";
  if (!std::filesystem::is_regular_file(path))
    throw UsageError(command + ": " + path + " is not a results file");
  const std::string written_by = models::experiments::results_file_kind(path);
  if (written_by == kind) return;
  if (written_by == "run")
    throw UsageError(command + ": " + path + " was not written by wfsim " + kind);
  throw UsageError(fmt::format("{}: {} was written by wfsim {}; resume it with wfsim {} --resume",
                               command, path, written_by, written_by));
}

}  // namespace wfsim::cli
