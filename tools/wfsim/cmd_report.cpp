// `wfsim report`: runs the Python reporting module (tools/python/wfsim/report.py)
// with an interpreter found deterministically (SPEC §3): WFSIM_PYTHON if set,
// else Debian's /usr/bin/python3, else python3 on PATH, the first that
// imports what the module needs. The child is started with posix_spawn and an
// argument vector, never through a shell.
#include <fcntl.h>
#include <fmt/core.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.h"
#include "options.h"

extern char** environ;

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

constexpr const char* kRequiredModules = "import h5py, numpy, pandas, matplotlib, yaml";
constexpr const char* kDebianPackages =
    "python3-h5py python3-numpy python3-pandas python3-matplotlib python3-yaml";

bool is_executable_file(const std::string& path) {
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

// The environment of the child: ours with the package directory first on
// PYTHONPATH and matplotlib's non-interactive backend.
std::vector<std::string> child_environment() {
  std::vector<std::string> result;
  std::string python_path = WFSIM_PYTHON_DIR;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (text.rfind("PYTHONPATH=", 0) == 0) {
      const std::string previous = text.substr(std::strlen("PYTHONPATH="));
      if (!previous.empty()) python_path += ":" + previous;
    } else if (text.rfind("MPLBACKEND=", 0) != 0) {
      result.push_back(text);
    }
  }
  result.push_back("PYTHONPATH=" + python_path);
  result.push_back("MPLBACKEND=Agg");
  return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// Runs `arguments` (arguments[0] is the program's path) and returns its wait
// status; `quiet` sends its output to /dev/null.
int spawn_and_wait(std::vector<std::string> arguments, bool quiet) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  std::vector<std::string> environment = child_environment();
  std::vector<char*> argv = pointers(arguments);
  std::vector<char*> envp = pointers(environment);
  pid_t child = 0;
  const int error = posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0)
    throw std::runtime_error(fmt::format("cannot run {}: {}", arguments[0], std::strerror(error)));
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(fmt::format("waitpid: {}", std::strerror(errno)));
  }
  return status;
}

bool imports_required_modules(const std::string& interpreter) {
  if (!is_executable_file(interpreter)) return false;
  const int status = spawn_and_wait({interpreter, "-c", kRequiredModules}, true);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::optional<std::string> on_path(const std::string& name,
                                   const std::optional<std::string>& search_path) {
  if (!search_path) return std::nullopt;
  const std::string& directories = *search_path;
  std::size_t start = 0;
  while (start <= directories.size()) {
    const std::size_t end = std::min(directories.find(':', start), directories.size());
    const std::string directory = directories.substr(start, end - start);
    const std::string candidate = (directory.empty() ? "." : directory) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

// SPEC §3: WFSIM_PYTHON overrides; else /usr/bin/python3; else python3 on PATH.
std::string find_interpreter(const Context& context) {
  if (const std::string& chosen = context.wfsim_python; !chosen.empty()) {
    if (!imports_required_modules(chosen))
      throw std::runtime_error(
          fmt::format("WFSIM_PYTHON={} cannot run `{}`: give an interpreter that has them "
                      "(Debian: apt-get install {}) or unset WFSIM_PYTHON",
                      chosen, kRequiredModules, kDebianPackages));
    return chosen;
  }
  if (imports_required_modules("/usr/bin/python3")) return "/usr/bin/python3";
  if (const std::optional<std::string> python = on_path("python3", context.search_path);
      python && imports_required_modules(*python))
    return *python;
  throw std::runtime_error(
      fmt::format("no Python 3 interpreter can run `{}`: install {} (bash tools/install-deps.sh), "
                  "or set WFSIM_PYTHON to an interpreter that has them",
                  kRequiredModules, kDebianPackages));
}

std::string default_output(const std::string& results) {
  const std::string extension = ".h5";
  if (results.size() > extension.size() &&
      results.compare(results.size() - extension.size(), extension.size(), extension) == 0)
    return results.substr(0, results.size() - extension.size()) + ".html";
  return results + ".html";
}

}  // namespace

int report_command(const Arguments& arguments, const Context& context) {
  po::options_description visible(
      "Usage: wfsim report RESULTS.h5 [-o report.html]\n\n"
      "Writes one self-contained HTML page (charts embedded, no external\n"
      "requests, printable to PDF) for a run, compare, sweep or sensitivity\n"
      "file: the scenario's assumptions, KPIs with 95% CIs, fan charts over\n"
      "time; paired differences and ROI of a comparison, KPIs against the\n"
      "parameters of a sweep, tornado charts of a sensitivity analysis.\n\n"
      "Runs tools/python/wfsim/report.py with WFSIM_PYTHON if set, else\n"
      "/usr/bin/python3, else python3 on PATH: the first that imports h5py,\n"
      "numpy, pandas, matplotlib and yaml.\n\n"
      "Options");
  visible.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                    "the HTML file (default: RESULTS with .html)");
  const auto parsed = parse_command_line(arguments, visible, {"file"});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  if (!vm.count("file")) throw UsageError("a RESULTS.h5 is required");
  const std::string results = vm["file"].as<std::string>();
  struct stat status {};
  if (::stat(results.c_str(), &status) != 0 || !S_ISREG(status.st_mode))
    throw UsageError(fmt::format("{}: no such file", results));
  const std::string output =
      vm.count("output") ? vm["output"].as<std::string>() : default_output(results);
  if (output.empty()) throw UsageError("--output is empty");

  const std::string package = std::string(WFSIM_PYTHON_DIR) + "/wfsim/report.py";
  if (::access(package.c_str(), R_OK) != 0)
    throw std::runtime_error(fmt::format("the reporting module {} is missing", package));
  const std::string interpreter = find_interpreter(context);
  const int child =
      spawn_and_wait({interpreter, "-B", "-m", "wfsim.report", results, "-o", output}, false);
  if (WIFEXITED(child)) return WEXITSTATUS(child);
  if (WIFSIGNALED(child)) return 128 + WTERMSIG(child);
  return 1;
}

}  // namespace wfsim::cli
