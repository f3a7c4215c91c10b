// The options `run`, `compare`, `sweep` and `sensitivity` share, and what
// the last three share around the experiments of several runs
// (models/experiments): their plan settings from the command line, the
// controls of their runs (threads, the stop flag of SIGINT/SIGTERM, the
// progress bar, failed replications reported) and their exit code.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "commands.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/experiments/group_runs.h"
#include "wfsim/models/scenario.h"

namespace wfsim::cli {

// -r, -s, -j, -o, --force, --csv, --shard, --resume and -q, with the help
// texts of a command whose runs default to `defaults_from` ("the base",
// "the scenario") and whose file defaults to `default_output`
// ("BASE_compare.h5").
void add_group_run_options(boost::program_options::options_description& visible,
                           const std::string& defaults_from, const std::string& default_output,
                           const std::string& csv_help);

// The checked values of -r, -s, -o, --force and --shard, the seed and
// replications defaulting to `base`'s; `command` names the subcommand in
// messages ("wfsim sweep"). Refuses an existing output without --force.
models::experiments::PlanSettings plan_settings(const boost::program_options::variables_map& vm,
                                                const std::string& command,
                                                const models::Scenario& base,
                                                const std::string& default_output);

// --shard I/N: the replications r with r % N == I (a task of a job array).
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

// The option checks `run` shares with the commands above.
std::size_t replications_option(const boost::program_options::variables_map& vm,
                                const std::string& command, std::int64_t scenario_default);
int threads_option(const boost::program_options::variables_map& vm, const std::string& command);
Shard shard_option(const boost::program_options::variables_map& vm, const std::string& command);
// "--shard I/N": what the option says in help texts.
extern const char* const kShardHelp;
void refuse_existing_output(const std::string& output, bool overwrite);

// The controls of the runs of `runs`: -j, the stop handlers installed, a
// progress bar on a terminal unless -q, and after each run its failed
// replications on stderr under its label, then `after_run` (what the
// command says of the run).
models::experiments::RunControls run_controls(
    const boost::program_options::variables_map& vm, const std::string& command,
    const Context& context, const models::experiments::GroupRuns& runs,
    std::function<void(std::size_t, const models::ExperimentReport&)> after_run);

// 130/143 when stopped, 1 when a replication failed, else 0.
int exit_code(const models::experiments::GroupRuns& runs);

// Refuses the options a `--resume FILE` takes from the file (all but -j,
// -q and --csv); `positional` names the command's positional arguments.
void refuse_options_with_resume(const boost::program_options::variables_map& vm,
                                const std::string& command, const std::string& positional);

// Throws UsageError unless `path` is a regular file written by `kind`
// ("run", "compare", ...), naming the command that wrote it otherwise.
void require_results_file_of(const std::string& path, const std::string& kind);

}  // namespace wfsim::cli
