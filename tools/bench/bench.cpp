// wfsim_bench: speed and memory of the simulation kernel.
//
// For each scenario and thread count it runs replications in a fresh child
// process (so peak memory belongs to that configuration alone) and prints wall
// seconds per replication, events per second (SPEC §3 events) and the peak
// memory in flight per employee and replication:
//   (peak RSS − RSS before the first replication) / (employees × threads).
// Results are simulated but not written: this measures the kernel; the
// end-to-end figure is `wfsim run` itself.
#include <fmt/core.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "wfsim/engine/process_memory.h"
#include "wfsim/engine/runner.h"
#include "wfsim/models/scenario_loader.h"
#include "wfsim/models/workforce.h"

namespace po = boost::program_options;

namespace {

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

struct Measurement {
  double wall_seconds = 0;
  std::uint64_t events = 0;
  long baseline_kib = 0;
};

Measurement measure(const wfsim::models::WorkforceModel& model, std::size_t replications,
                    int threads) {
  std::vector<std::size_t> pending(replications);
  for (std::size_t i = 0; i < replications; ++i) pending[i] = i;
  Measurement m;
  m.baseline_kib = resident_kib();
  wfsim::engine::RunnerOptions options;
  options.threads = threads;
  const auto outcome = wfsim::engine::run_replications(
      pending, [&](std::size_t i) { return model.simulate(model.scenario().seed, i, {}); },
      [](wfsim::engine::ReplicationResult&) {}, [] {}, options);
  if (!outcome.failures.empty()) throw std::runtime_error(outcome.failures.front().second);
  m.wall_seconds = outcome.wall_seconds;
  m.events = outcome.events;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  wfsim::engine::return_large_blocks_to_system();
  po::options_description options(
      "Usage: wfsim_bench [SCENARIO.yaml...] [options]\n\n"
      "Default scenarios: the 100k heavy-churn workload and the flagship.\n\nOptions");
  std::vector<int> thread_counts{1, 2};
  options.add_options()("help,h", "show this help")(
      "replications,r", po::value<std::size_t>()->default_value(8),
      "replications per measurement (per thread count; use a multiple of the threads)")(
      "threads,j", po::value<std::vector<int>>(&thread_counts)->multitoken(),
      "thread counts to measure (default: 1 2)");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::options_description all;
  all.add(options).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "wfsim_bench: " << error.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  std::vector<std::string> scenarios = {WFSIM_SOURCE_DIR "/scenarios/bench_heavy_churn_100k.yaml",
                                        WFSIM_SOURCE_DIR "/scenarios/amazon_baseline_2019.yaml"};
  if (vm.count("scenario")) scenarios = vm["scenario"].as<std::vector<std::string>>();
  const std::size_t replications = vm["replications"].as<std::size_t>();

  fmt::print("{:<26} {:>7} {:>5} {:>11} {:>13} {:>13} {:>9} {:>10}\n", "scenario", "threads",
             "reps", "s/rep", "events/rep", "events/s", "peak MiB", "B/employee");
  for (const std::string& path : scenarios) {
    for (int threads : thread_counts) {
      int pipe_fds[2];
      if (pipe(pipe_fds) != 0) return 1;
      const pid_t child = fork();
      if (child == 0) {
        close(pipe_fds[0]);
        try {
          const wfsim::models::WorkforceModel model(wfsim::models::load_scenario_file(path));
          const Measurement m = measure(model, replications, threads);
          const std::string line =
              fmt::format("{} {} {} {} {}\n", model.scenario().name, m.wall_seconds, m.events,
                          m.baseline_kib, model.scenario().initial_employees());
          if (write(pipe_fds[1], line.data(), line.size()) < 0) _exit(1);
          _exit(0);
        } catch (const std::exception& error) {
          std::cerr << "wfsim_bench: " << error.what() << "\n";
          _exit(1);
        }
      }
      close(pipe_fds[1]);
      std::string text;
      char buffer[512];
      ssize_t n;
      while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) text.append(buffer, n);
      close(pipe_fds[0]);
      int status = 0;
      rusage usage{};
      wait4(child, &status, 0, &usage);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
      char name[256];
      double wall = 0;
      unsigned long long events = 0;
      long baseline = 0, employees = 0;
      if (std::sscanf(text.c_str(), "%255s %lf %llu %ld %ld", name, &wall, &events, &baseline,
                      &employees) != 5)
        return 1;
      const double peak_mib = usage.ru_maxrss / 1024.0;
      const double per_employee =
          (usage.ru_maxrss - baseline) * 1024.0 / (static_cast<double>(employees) * threads);
      fmt::print("{:<26} {:>7} {:>5} {:>11.4f} {:>13.0f} {:>13.3g} {:>9.1f} {:>10.0f}\n", name,
                 threads, replications, wall / replications,
                 static_cast<double>(events) / replications, events / wall, peak_mib, per_employee);
      std::fflush(stdout);
    }
  }
  return 0;
}
