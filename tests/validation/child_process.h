// Runs the `wfsim` program as a child process and measures it: exit code,
// output, wall time and peak resident memory. Shared by the tests that
// check what a user of the program sees.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cli_harness.h"

namespace wfsim::testing {

struct ChildOutcome {
  int exit_code = -1;    // 128 + signal when killed
  std::string output;    // stdout and stderr
  double seconds = 0.0;  // wall time
  long max_rss_kb = 0;   // peak resident set size
  bool timed_out = false;
};

inline std::filesystem::path child_scratch_dir(const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wfsim_" + name + "_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::filesystem::path& path) {
  return cli::read_file(path);
}

// Runs WFSIM_BINARY with `arguments` (see cli::spawn for the address-space
// cap); it is killed after `timeout_seconds`.
inline ChildOutcome run_child(const std::vector<std::string>& arguments,
                              const std::filesystem::path& log, std::size_t address_space_bytes = 0,
                              double timeout_seconds = 600.0) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = cli::spawn(arguments, log, address_space_bytes);
  ChildOutcome outcome;
  int status = 0;
  rusage usage{};
  for (;;) {
    const pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done < 0) break;
    if (elapsed > timeout_seconds && !outcome.timed_out) {
      outcome.timed_out = true;
      kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.max_rss_kb = usage.ru_maxrss;
  outcome.output = slurp(log);
  return outcome;
}

}  // namespace wfsim::testing
