// The `wfsim` program: picks the subcommand and maps errors to exit codes
// (SPEC §3: 0 success, 1 runtime failure, 2 bad usage or bad scenario).
#include <fmt/core.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "signals.h"
#include "wfsim/engine/cluster.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/process_memory.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/models/experiment.h"

namespace {

constexpr const char* kUsage =
    "wfsim — discrete-event Monte Carlo simulation of workforce transformation\n\n"
    "Usage: wfsim COMMAND [options]\n\n"
    "Commands:\n"
    "  run SCENARIO.yaml        run replications, write an HDF5 results file, print KPIs\n"
    "  compare BASE.yaml POLICY.yaml..\n"
    "                           run a base and policies with common random numbers; paired\n"
    "                           KPI differences and ROI with 95% confidence intervals\n"
    "  sweep SCENARIO.yaml --vary PATH=v1,v2.. [--vary PATH=lo:hi:n].. [--lhs N]\n"
    "                           the scenario over a grid or a Latin hypercube of parameter\n"
    "                           values (common random numbers); KPI means with 95% CIs\n"
    "  sensitivity SCENARIO.yaml --path PATH.. [--delta 0.1]\n"
    "                           one-at-a-time changes of +-delta per path (common random\n"
    "                           numbers); KPI means at -delta and +delta (tornado data)\n"
    "  merge SHARD.h5.. -o OUT.h5\n"
    "                           join the files of --shard I/N runs (a job array) into the\n"
    "                           file one process would have written\n"
    "  report RESULTS.h5 [-o report.html]\n"
    "                           a self-contained HTML report of any results file: assumptions,\n"
    "                           KPIs with CIs, fan charts, differences and ROI, sweep and\n"
    "                           tornado charts\n"
    "  validate SCENARIO.yaml.. check scenario files (--print: the resolved scenario)\n"
    "  info RESULTS.h5          provenance and KPIs of a results file\n\n"
    "`wfsim COMMAND --help` describes each command's options.\n";

// The environment is read here only; the library and the commands are given
// what it says.
std::optional<std::string> environment_variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

bool launched_by_mpi() {
  for (const char* name : wfsim::engine::kMpiLauncherVariables)
    if (environment_variable(name)) return true;
  return false;
}

// WFSIM_FAIL_REPLICATION=I: replication I fails on purpose (the tests of
// failure isolation).
std::optional<std::size_t> failing_replication() {
  const std::optional<std::string> text = environment_variable("WFSIM_FAIL_REPLICATION");
  if (!text || text->empty()) return std::nullopt;
  return static_cast<std::size_t>(std::strtoull(text->c_str(), nullptr, 10));
}

wfsim::cli::Context command_context(wfsim::engine::Cluster& cluster) {
  wfsim::cli::Context context;
  context.run.cluster = &cluster;
  context.run.failing_replication = failing_replication();
  context.wfsim_python = environment_variable("WFSIM_PYTHON").value_or("");
  context.search_path = environment_variable("PATH");
  return context;
}

int dispatch(const std::string& command, const wfsim::cli::Arguments& arguments,
             const wfsim::cli::Context& context) {
  if (command == "run") return wfsim::cli::run_command(arguments, context);
  if (command == "compare") return wfsim::cli::compare_command(arguments, context);
  if (command == "sweep") return wfsim::cli::sweep_command(arguments, context);
  if (command == "sensitivity") return wfsim::cli::sensitivity_command(arguments, context);
  if (command == "merge") return wfsim::cli::merge_command(arguments, context);
  if (command == "report") return wfsim::cli::report_command(arguments, context);
  if (command == "validate") return wfsim::cli::validate_command(arguments);
  if (command == "info") return wfsim::cli::info_command(arguments);
  throw wfsim::cli::UsageError("unknown command '" + command + "' (try wfsim --help)");
}

// "wfsim run: error: what", where a message that names its command
// ("wfsim run --resume: what") keeps its own name.
void print_error(const std::string& command, const std::string& message) {
  const auto colon = message.find(": ");
  if (message.rfind("wfsim ", 0) == 0 && colon != std::string::npos)
    fmt::print(stderr, "{}: error: {}\n", message.substr(0, colon), message.substr(colon + 2));
  else
    fmt::print(stderr, "wfsim {}: error: {}\n", command, message);
}

// The command line, on the one process or the coordinator (rank 0) of an
// MPI job.
int run_command_line(int argc, char** argv, const wfsim::cli::Context& context) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    fmt::print("wfsim {} (git {})\n", WFSIM_VERSION, WFSIM_GIT_SHA);
    return 0;
  }
  const wfsim::cli::Arguments arguments(argv + 2, argv + argc);
  try {
    return dispatch(command, arguments, context);
  } catch (const wfsim::cli::UsageError& error) {
    print_error(command, error.what());
    return 2;
  } catch (const wfsim::engine::InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    print_error(command, error.what());
    return 1;
  }
}

// Another rank of an MPI job: runs what rank 0 sends until released.
int serve_coordinator(wfsim::engine::Cluster& cluster) {
  wfsim::cli::install_stop_handlers();
  try {
    return wfsim::models::serve_as_worker(cluster, wfsim::cli::stop_requested(),
                                          failing_replication());
  } catch (const std::exception& error) {
    fmt::print(stderr, "wfsim (rank {}): error: {}\n", cluster.rank(), error.what());
    cluster.abort_job(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  wfsim::engine::Cluster cluster(argc, argv, launched_by_mpi());
  wfsim::engine::return_large_blocks_to_system();
  wfsim::engine::skip_hdf5_cleanup_at_exit();
  if (!cluster.is_coordinator()) return serve_coordinator(cluster);
  const int exit_code = run_command_line(argc, argv, command_context(cluster));
  cluster.release_workers(exit_code);
  return exit_code;
}
