// wfsim_bench: speed and memory of the simulation kernel.
//
// For each scenario and thread count it runs replications in a fresh child
// process (so peak memory belongs to that configuration alone) and prints wall
// seconds per replication, events per second (SPEC §3 events) and the peak
// memory in flight per employee and replication:
//   (peak RSS − RSS before the first replication) / (employees × threads).
// Results are simulated but not written: this measures the kernel; the
// end-to-end figure is `wfsim run` itself.
//
// A virtual machine's speed drifts by tens of percent within minutes, so a
// speed-up taken from two runs minutes apart measures the drift. With
// --rounds K the thread counts take turns K times; each row shows the median
// round, and the speed-up is the median over rounds of the ratio within one
// round (runs seconds apart).
#include <fmt/core.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

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

struct ChildResult {
  std::string name;
  std::size_t replications = 0;
  double wall_seconds = 0;
  unsigned long long events = 0;
  long baseline_kib = 0;
  long employees = 0;
  long peak_kib = 0;
};

// One measurement in a fresh child process: its peak memory is its own.
struct Child {
  pid_t pid = -1;
  int read_fd = -1;
  std::size_t replications = 0;
};

Child start_child(const std::string& path, std::size_t replications, int threads) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
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
  return {pid, pipe_fds[0], replications};
}

std::optional<ChildResult> finish_child(const Child& child) {
  if (child.pid < 0) return std::nullopt;
  std::string text;
  char buffer[512];
  ssize_t n;
  while ((n = read(child.read_fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  close(child.read_fd);
  int status = 0;
  rusage usage{};
  wait4(child.pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  char name[256];
  ChildResult result;
  if (std::sscanf(text.c_str(), "%255s %lf %llu %ld %ld", name, &result.wall_seconds,
                  &result.events, &result.baseline_kib, &result.employees) != 5)
    return std::nullopt;
  result.name = name;
  result.replications = child.replications;
  result.peak_kib = usage.ru_maxrss;
  return result;
}

// `processes` single-threaded children at once, each running replications /
// processes: what the machine allows N copies of the kernel, with nothing
// shared but the hardware. Reported as one run: the slowest child's time,
// the events and memory of all.
std::optional<ChildResult> measure_concurrently(const std::string& path, std::size_t replications,
                                                int processes) {
  std::vector<Child> children;
  for (int i = 0; i < processes; ++i)
    children.push_back(start_child(
        path, std::max<std::size_t>(1, replications / static_cast<std::size_t>(processes)), 1));
  std::optional<ChildResult> total;
  for (const Child& child : children) {
    const auto result = finish_child(child);
    if (!result) return std::nullopt;
    if (!total) {
      total = result;
      continue;
    }
    total->wall_seconds = std::max(total->wall_seconds, result->wall_seconds);
    total->replications += result->replications;
    total->events += result->events;
    total->baseline_kib += result->baseline_kib;
    total->peak_kib += result->peak_kib;
  }
  return total;
}

double seconds_per_replication(const ChildResult& result) {
  return result.wall_seconds / static_cast<double>(result.replications);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
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
      "thread counts to measure (default: 1 2)")(
      "rounds,k", po::value<std::size_t>()->default_value(1),
      "times the thread counts take turns; rows show the median round")(
      "processes,p",
      "also run N single-threaded processes at once for each thread count N > 1 (rows "
      "\"N procs\"): the speed-up the machine allows without sharing anything");
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

  const std::size_t rounds = std::max<std::size_t>(1, vm["rounds"].as<std::size_t>());

  fmt::print("{:<26} {:>7} {:>5} {:>11} {:>13} {:>13} {:>9} {:>10}  {:<18}\n", "scenario",
             "threads", "reps", "s/rep", "events/rep", "events/s", "peak MiB", "B/employee",
             "speed-up (range)");
  // Configurations: each thread count, then (with --processes) N processes.
  struct Configuration {
    int threads;
    bool processes;
  };
  std::vector<Configuration> configurations;
  for (int threads : thread_counts) configurations.push_back({threads, false});
  if (vm.count("processes"))
    for (int threads : thread_counts)
      if (threads > 1) configurations.push_back({threads, true});
  for (const std::string& path : scenarios) {
    // results[c][k]: configuration c in round k.
    std::vector<std::vector<ChildResult>> results(configurations.size());
    for (std::size_t k = 0; k < rounds; ++k)
      for (std::size_t c = 0; c < configurations.size(); ++c) {
        const Configuration& configuration = configurations[c];
        const auto result =
            configuration.processes
                ? measure_concurrently(path, replications, configuration.threads)
                : finish_child(start_child(path, replications, configuration.threads));
        if (!result) return 1;
        results[c].push_back(*result);
      }
    for (std::size_t c = 0; c < configurations.size(); ++c) {
      const int threads = configurations[c].threads;
      std::vector<ChildResult> sorted = results[c];
      std::sort(sorted.begin(), sorted.end(), [](const ChildResult& a, const ChildResult& b) {
        return seconds_per_replication(a) < seconds_per_replication(b);
      });
      const ChildResult& m = sorted[(sorted.size() - 1) / 2];
      const double per_employee =
          (m.peak_kib - m.baseline_kib) * 1024.0 / (static_cast<double>(m.employees) * threads);
      std::string speed_up = "";
      if (c > 0) {
        std::vector<double> ratios;
        for (std::size_t k = 0; k < rounds; ++k)
          ratios.push_back(seconds_per_replication(results[0][k]) /
                           seconds_per_replication(results[c][k]));
        speed_up = fmt::format("{:.2f}", median(ratios));
        if (rounds > 1)
          speed_up +=
              fmt::format(" ({:.2f}-{:.2f})", *std::min_element(ratios.begin(), ratios.end()),
                          *std::max_element(ratios.begin(), ratios.end()));
      }
      const std::string label =
          configurations[c].processes ? fmt::format("{} procs", threads) : std::to_string(threads);
      fmt::print("{:<26} {:>7} {:>5} {:>11.4f} {:>13.0f} {:>13.3g} {:>9.1f} {:>10.0f}  {:<18}\n",
                 m.name, label, m.replications, seconds_per_replication(m),
                 static_cast<double>(m.events) / m.replications, m.events / m.wall_seconds,
                 m.peak_kib / 1024.0, per_employee, speed_up);
      std::fflush(stdout);
    }
  }
  return 0;
}
