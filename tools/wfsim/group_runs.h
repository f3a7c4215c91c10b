// What `compare`, `sweep` and `sensitivity` share: the run options, one
// results file holding a group per run, and the runs that fill the groups
// one after another (each with the same seed and replications: common random
// numbers), stopping cleanly on SIGINT/SIGTERM.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "wfsim/engine/results_file.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/scenario.h"

namespace wfsim::cli {

// The checked values of the options below; `command` names the subcommand
// in messages ("wfsim sweep").
// --shard I/N: the replications r with r % N == I (a task of a job array).
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

struct GroupRunOptions {
  std::string command;
  std::size_t replications = 0;
  std::uint64_t seed = 0;
  bool seed_given = false;
  int threads = 0;
  std::string output;
  bool overwrite = false;
  bool quiet = false;
  Shard shard;
};

// -r, -s, -j, -o, --force, --csv and -q, with the help texts of a command
// whose runs default to `defaults_from` ("the base", "the scenario") and
// whose file defaults to `default_output` ("BASE_compare.h5").
void add_group_run_options(boost::program_options::options_description& visible,
                           const std::string& defaults_from, const std::string& default_output,
                           const std::string& csv_help);

GroupRunOptions group_run_options(const boost::program_options::variables_map& vm,
                                  const std::string& command, const models::Scenario& base,
                                  const std::string& default_output);

// The option checks `run` shares with the commands above.
std::size_t replications_option(const boost::program_options::variables_map& vm,
                                const std::string& command, std::int64_t scenario_default);
int threads_option(const boost::program_options::variables_map& vm, const std::string& command);
Shard shard_option(const boost::program_options::variables_map& vm, const std::string& command);
// "--shard I/N": what the option says in help texts.
extern const char* const kShardHelp;
void refuse_existing_output(const std::string& output, bool overwrite);

// One run of a command's file: its group, its label in messages and the
// scenario it runs.
struct PlannedRun {
  std::string group;
  std::string label;
  models::Scenario scenario;
};

class GroupRuns {
 public:
  // Creates the results file with what every such file says of itself
  // (version, commit, creation time, `kind` as `command`, complete = 0),
  // `additions` and the plan (every run's group, label and resolved
  // scenario under /plan, so that --resume can finish it), then installs
  // the stop handlers.
  GroupRuns(const GroupRunOptions& options, const std::string& kind,
            engine::FileAdditions additions, std::vector<PlannedRun> plan);

  // Opens a file the constructor made, to finish it (`--resume FILE`): the
  // plan, seed and replications come from the file. Throws UsageError if it
  // is not a `kind` file, engine::InputError if another wfsim version or
  // commit wrote it.
  static GroupRuns resume(const std::string& path, const std::string& kind, int threads,
                          bool quiet);

  const GroupRunOptions& options() const { return options_; }
  std::vector<PlannedRun>& plan() { return plan_; }
  bool resuming() const { return resuming_; }

  // Runs plan()[k] into its group (finishing the group if the file has it
  // already); nothing if a stop came before it started. Failed replications
  // are reported under its label. After a run that was stopped midway,
  // stopped() is true.
  std::optional<models::ExperimentReport> run(std::size_t k);

  // Sets the file's `complete` attribute when every run finished whole.
  void finish();

  bool stopped() const { return stopped_; }
  // 130/143 when stopped, 1 when a replication failed, else 0.
  int exit_code() const;

 private:
  GroupRuns() = default;

  GroupRunOptions options_;
  std::vector<PlannedRun> plan_;
  bool resuming_ = false;
  bool stopped_ = false;
  bool failed_ = false;
};

// Refuses the options a `--resume FILE` takes from the file (all but -j,
// -q and --csv); `positional` names the command's positional arguments.
void refuse_options_with_resume(const boost::program_options::variables_map& vm,
                                const std::string& command, const std::string& positional);

// The command that wrote a results file: "run", "compare", "sweep" or
// "sensitivity" (its `command` attribute; "run" if it has none).
std::string results_file_kind(const std::string& path);

// Throws UsageError unless `path` is a regular file written by `kind`
// ("run", "compare", ...), naming the command that wrote it otherwise.
void require_results_file_of(const std::string& path, const std::string& kind);

}  // namespace wfsim::cli
