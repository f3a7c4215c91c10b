// The subcommands of the `wfsim` program. Each parses its own options and
// returns an exit code; errors travel as exceptions to main().
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "wfsim/models/experiment.h"

namespace wfsim::cli {

using Arguments = std::vector<std::string>;

// What main() gives every command: the runs' context (the processes of the
// job, the test hooks) and what the commands take from the environment,
// which only main() reads.
struct Context {
  models::RunContext run;
  std::string wfsim_python;                // WFSIM_PYTHON; empty when unset
  std::optional<std::string> search_path;  // PATH
};

// Bad command-line usage: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int run_command(const Arguments& arguments, const Context& context);
int validate_command(const Arguments& arguments);
int info_command(const Arguments& arguments);
int compare_command(const Arguments& arguments, const Context& context);
int sweep_command(const Arguments& arguments, const Context& context);
int sensitivity_command(const Arguments& arguments, const Context& context);
int report_command(const Arguments& arguments, const Context& context);
int merge_command(const Arguments& arguments, const Context& context);

}  // namespace wfsim::cli
