// Runs the `wfsim` program as a child process and measures it: exit code,
// output, wall time and peak resident memory. Shared by the tests that
// check what a user of the program sees.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs WFSIM_BINARY with `arguments`. The child's address space is capped at
// `address_space_bytes` (0: no cap), so that a runaway allocation fails
// instead of swapping the machine; it is killed after `timeout_seconds`.
inline ChildOutcome run_child(const std::vector<std::string>& arguments,
                              const std::filesystem::path& log, std::size_t address_space_bytes = 0,
                              double timeout_seconds = 600.0) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    if (address_space_bytes > 0) {
      const rlimit limit{address_space_bytes, address_space_bytes};
      setrlimit(RLIMIT_AS, &limit);
    }
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> argv;
    std::string binary = WFSIM_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = arguments;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
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
