// wfsim under mpirun (WFSIM_WITH_MPI): any rank count gives the datasets of
// the same binary run as one process; a rank killed midway leaves every
// committed replication readable, and --resume, under mpirun or not,
// completes the run to the same datasets; SIGTERM to mpirun ends the job
// cleanly with a file that resumes.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_harness.h"
#include "h5_compare.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/results_schema.h"

namespace fs = std::filesystem;
namespace schema = wfsim::engine::results_schema;
using namespace wfsim::testing::cli;
using wfsim::testing::require_same_committed_rows;
using wfsim::testing::require_same_datasets;

namespace {

// mpirun's arguments for `ranks` ranks of wfsim: as root (CI) it must be
// allowed; more ranks than cores are allowed; threads are not pinned to one
// core; shared memory without the single-copy mechanism containers forbid.
std::vector<std::string> mpirun_arguments(int ranks, const std::vector<std::string>& arguments) {
  std::vector<std::string> all;
  if (geteuid() == 0) all.push_back("--allow-run-as-root");
  all.insert(all.end(),
             {"--oversubscribe", "--bind-to", "none", "--mca", "btl_vader_single_copy_mechanism",
              "none", "-np", std::to_string(ranks), WFSIM_BINARY});
  all.insert(all.end(), arguments.begin(), arguments.end());
  return all;
}

pid_t spawn_mpi(int ranks, const std::vector<std::string>& arguments, const fs::path& log) {
  return spawn_program(WFSIM_MPIEXEC, mpirun_arguments(ranks, arguments), log);
}

Outcome run_mpi(int ranks, const std::vector<std::string>& arguments) {
  const fs::path log = scratch_dir() / "mpirun.log";
  Outcome outcome;
  outcome.exit_code = wait_exit_code(spawn_mpi(ranks, arguments, log));
  outcome.output = read_file(log);
  return outcome;
}

std::vector<std::string> with(std::vector<std::string> arguments,
                              const std::vector<std::string>& more) {
  arguments.insert(arguments.end(), more.begin(), more.end());
  return arguments;
}

double root_attribute(const fs::path& file, const std::string& name) {
  return wfsim::engine::read_float_attribute_of(file.string(), "/", name);
}

// The process of rank `rank` among the children of mpirun `launcher`.
std::optional<pid_t> rank_process(pid_t launcher, int rank) {
  const std::string wanted = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = read_file(entry.path() / "stat");
    const auto after_name = stat.rfind(')');
    if (after_name == std::string::npos) continue;
    std::istringstream fields(stat.substr(after_name + 2));
    std::string state;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent != launcher) continue;
    std::string environment = read_file(entry.path() / "environ");
    std::replace(environment.begin(), environment.end(), '\0', '\n');
    if (("\n" + environment).find("\n" + wanted + "\n") != std::string::npos)
      return static_cast<pid_t>(std::stoi(name));
  }
  return std::nullopt;
}

// Every rank's process under mpirun `launcher`.
std::vector<pid_t> rank_processes(pid_t launcher, int ranks) {
  std::vector<pid_t> found;
  for (int rank = 0; rank < ranks; ++rank)
    if (const auto pid = rank_process(launcher, rank)) found.push_back(*pid);
  return found;
}

// mpirun may return while a rank it told to stop is still closing the
// results file (it kills what is left a second later): waits for them all.
void wait_until_gone(const std::vector<pid_t>& processes) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (pid_t pid : processes)
    while (kill(pid, 0) == 0) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::size_t committed_count(const fs::path& file) {
  const auto status =
      wfsim::engine::ResultsFile::open_read_only(file.string()).replication_status();
  return static_cast<std::size_t>(std::count(status.begin(), status.end(), 1));
}

// A kill lands this long after the start of kLongRun: after its first
// commit (start-up and two seconds), well before its end.
constexpr auto kIntoTheRun = std::chrono::seconds(7);

// Programs, mentoring and a trace, small enough for a few seconds.
const std::vector<std::string> kRun = {
    "run", scenario("quickstart_training.yaml"), "-r", "16", "-s", "5", "--trace", "3", "-q"};
// About 18 s of replications on two ranks of the development machine, so
// that signals land midway (see kIntoTheRun).
const std::vector<std::string> kLongRun = {
    "run", scenario("quickstart_training.yaml"), "-r", "6000", "-s", "9", "--trace", "2", "-q"};

// kLongRun on two ranks into `out`, kIntoTheRun after its start: mpirun
// and the two ranks' processes.
struct RunningJob {
  pid_t launcher = 0;
  std::vector<pid_t> ranks;
};
RunningJob long_run_under_way(const fs::path& out, const fs::path& log) {
  fs::remove(out);
  RunningJob job;
  job.launcher = spawn_mpi(2, with(kLongRun, {"-j", "1", "-o", out.string(), "--force"}), log);
  std::this_thread::sleep_for(kIntoTheRun);
  job.ranks = rank_processes(job.launcher, 2);
  REQUIRE(job.ranks.size() == 2);
  return job;
}

fs::path single_process_reference(const std::vector<std::string>& arguments,
                                  const std::string& name) {
  const fs::path out = scratch_dir() / name;
  static std::vector<std::pair<std::vector<std::string>, fs::path>> made;  // Catch re-enters
  for (const auto& [made_arguments, path] : made)
    if (made_arguments == arguments && path == out) return out;
  const Outcome o = run_wfsim(with(arguments, {"-j", "2", "-o", out.string(), "--force"}));
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  made.emplace_back(arguments, out);
  return out;
}

}  // namespace

TEST_CASE("mpirun -np 2 and -np 3 runs give the datasets of the single-process run", "[mpi][run]") {
  const fs::path reference = single_process_reference(kRun, "run_reference.h5");
  for (int ranks : {2, 3}) {
    DYNAMIC_SECTION(ranks << " ranks") {
      const fs::path out = scratch_dir() / ("run_" + std::to_string(ranks) + ".h5");
      const Outcome o = run_mpi(ranks, with(kRun, {"-j", "1", "-o", out.string(), "--force"}));
      INFO(o.output);
      REQUIRE(o.exit_code == 0);
      require_same_datasets(reference, out);
      CHECK(root_attribute(out, schema::kRanks) == ranks);
      CHECK(root_attribute(out, schema::kComplete) == 1.0);
    }
  }
}

TEST_CASE("mpirun -np 2 compare, sweep and sensitivity give the single-process datasets",
          "[mpi][groups]") {
  const std::vector<std::vector<std::string>> commands = {
      {"compare", scenario("quickstart.yaml"), scenario("quickstart_training.yaml"), "-r", "10",
       "-q"},
      {"sweep", scenario("quickstart_training.yaml"), "--vary", "roles.picker.attrition=0.8,1.2",
       "-r", "8", "-q"},
      {"sensitivity", scenario("quickstart_training.yaml"), "--path", "roles.picker.attrition",
       "-r", "6", "-q"}};
  for (const auto& command : commands) {
    DYNAMIC_SECTION(command.front()) {
      const fs::path reference = single_process_reference(command, command.front() + "_1.h5");
      const fs::path out = scratch_dir() / (command.front() + "_mpi.h5");
      const Outcome o = run_mpi(2, with(command, {"-j", "1", "-o", out.string(), "--force"}));
      INFO(o.output);
      REQUIRE(o.exit_code == 0);
      require_same_datasets(reference, out);
      CHECK(root_attribute(out, schema::kComplete) == 1.0);
    }
  }
}

TEST_CASE("shards run under mpirun merge to the single-process datasets", "[mpi][shards]") {
  const fs::path reference = single_process_reference(kRun, "shard_reference.h5");
  std::vector<std::string> merge = {"merge"};
  for (int shard = 0; shard < 2; ++shard) {
    const fs::path out = scratch_dir() / ("shard_" + std::to_string(shard) + ".h5");
    const Outcome o = run_mpi(2, with(kRun, {"-j", "1", "--shard", std::to_string(shard) + "/2",
                                             "-o", out.string(), "--force"}));
    INFO(o.output);
    REQUIRE(o.exit_code == 0);
    merge.push_back(out.string());
  }
  const fs::path merged = scratch_dir() / "shards_merged.h5";
  const Outcome o = run_wfsim(with(merge, {"-o", merged.string(), "--force", "-q"}));
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  require_same_datasets(reference, merged);
}

TEST_CASE(
    "a rank killed midway leaves the committed replications of every rank, and --resume "
    "under mpirun completes the run",
    "[mpi][kill]") {
  const fs::path reference = single_process_reference(kLongRun, "long_reference.h5");
  // A worker, then the coordinator (the writer).
  for (int victim : {1, 0}) {
    DYNAMIC_SECTION("rank " << victim << " killed") {
      const fs::path out = scratch_dir() / "killed_rank.h5";
      const fs::path log = scratch_dir() / "killed_rank.log";
      const RunningJob job = long_run_under_way(out, log);
      REQUIRE(kill(job.ranks[static_cast<std::size_t>(victim)], SIGKILL) == 0);
      const int exit_code = wait_exit_code(job.launcher);
      wait_until_gone(job.ranks);
      INFO(read_file(log));
      CHECK(exit_code != 0);  // the job failed, and says so

      // The file opens as it is (no h5clear) and holds only whole
      // replications, computed by both ranks.
      const std::size_t committed = committed_count(out);
      CHECK(committed > 0);
      CHECK(committed < 6000);
      CHECK(root_attribute(out, schema::kComplete) == 0.0);
      require_same_committed_rows(out.string(), reference.string());

      const Outcome resumed = run_mpi(2, {"run", "--resume", out.string(), "-j", "1", "-q"});
      INFO(resumed.output);
      REQUIRE(resumed.exit_code == 0);
      require_same_datasets(reference, out);
      CHECK(root_attribute(out, schema::kComplete) == 1.0);
    }
  }
}

TEST_CASE("SIGTERM to mpirun ends the job cleanly, and a single process resumes the file",
          "[mpi][signal]") {
  const fs::path reference = single_process_reference(kLongRun, "long_reference.h5");
  const fs::path out = scratch_dir() / "terminated.h5";
  const fs::path log = scratch_dir() / "terminated.log";
  const RunningJob job = long_run_under_way(out, log);
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(kill(job.launcher, SIGTERM) == 0);
  const int exit_code = wait_exit_code(job.launcher);
  wait_until_gone(job.ranks);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  const std::string said = read_file(log);
  INFO(said);
  INFO("exit code " << exit_code);
  CHECK(exit_code != 0);
  CHECK(seconds < 10.0);
  // Rank 0 stopped as a single process would: committed, closed, said how to go on.
  CHECK(said.find("wfsim run --resume") != std::string::npos);

  const std::size_t committed = committed_count(out);
  CHECK(committed > 0);
  CHECK(root_attribute(out, schema::kComplete) == 0.0);
  require_same_committed_rows(out.string(), reference.string());

  const Outcome resumed = run_wfsim({"run", "--resume", out.string(), "-j", "2", "-q"});
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  require_same_datasets(reference, out);
  CHECK(root_attribute(out, schema::kComplete) == 1.0);
}
