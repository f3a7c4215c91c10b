// Running the `wfsim` program from tests: a child process in its own group,
// its stdout and stderr captured, its exit code as a shell reports it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wfsim::testing::cli {

namespace fs = std::filesystem;

// How many times slower the program runs in a sanitizer build: waits that
// must land midway through a run scale by it.
#if defined(WFSIM_THREAD_SANITIZER) || defined(WFSIM_ADDRESS_SANITIZER)
constexpr int kSanitizerSlowdown = 8;
#else
constexpr int kSanitizerSlowdown = 1;
#endif

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline fs::path scratch_dir() {
  fs::path dir = fs::temp_directory_path() / ("wfsim_cli_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

// Starts `program` (a path) with `arguments`, its output going to `log`. A
// non-zero `address_space_bytes` caps the child's address space, so that a
// runaway allocation fails instead of swapping the machine; a non-zero
// `file_size_bytes` caps the files it writes, as a full disk would (writes
// beyond fail with EFBIG instead of raising SIGXFSZ).
inline pid_t spawn_program(const std::string& program, const std::vector<std::string>& arguments,
                           const fs::path& log, std::size_t address_space_bytes = 0,
                           std::size_t file_size_bytes = 0) {
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);  // its own group: signals reach it as they would from a shell
    if (address_space_bytes > 0) {
      const rlimit limit{address_space_bytes, address_space_bytes};
      setrlimit(RLIMIT_AS, &limit);
    }
    if (file_size_bytes > 0) {
      signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{file_size_bytes, file_size_bytes};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> argv;
    std::string binary = program;
    argv.push_back(binary.data());
    std::vector<std::string> copy = arguments;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// The same for WFSIM_BINARY.
inline pid_t spawn(const std::vector<std::string>& arguments, const fs::path& log,
                   std::size_t address_space_bytes = 0, std::size_t file_size_bytes = 0) {
  return spawn_program(WFSIM_BINARY, arguments, log, address_space_bytes, file_size_bytes);
}

inline int wait_exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Outcome run_wfsim(const std::vector<std::string>& arguments) {
  const fs::path log = scratch_dir() / "output.log";
  Outcome outcome;
  outcome.exit_code = wait_exit_code(spawn(arguments, log));
  outcome.output = read_file(log);
  return outcome;
}

inline std::string scenario(const std::string& name) {
  return std::string(WFSIM_SCENARIO_DIR) + "/" + name;
}

}  // namespace wfsim::testing::cli
