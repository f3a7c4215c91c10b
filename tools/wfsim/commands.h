// The subcommands of the `wfsim` program. Each parses its own options and
// returns an exit code; errors travel as exceptions to main().
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace wfsim::cli {

using Arguments = std::vector<std::string>;

// Bad command-line usage: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int run_command(const Arguments& arguments);
int validate_command(const Arguments& arguments);
int info_command(const Arguments& arguments);
int compare_command(const Arguments& arguments);
int sweep_command(const Arguments& arguments);
int sensitivity_command(const Arguments& arguments);
int report_command(const Arguments& arguments);
int merge_command(const Arguments& arguments);

}  // namespace wfsim::cli
