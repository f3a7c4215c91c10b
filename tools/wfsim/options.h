// Boost.Program_options parsing shared by the subcommands: --help and the
// positional arguments handled once; its exceptions become UsageError (exit
// code 2).
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>

#include "commands.h"

namespace wfsim::cli {

// A command's positional arguments: the name they have in the variables map
// and how many there may be (1: a string, -1: any number, a vector).
struct Positional {
  std::string name;
  int count = 1;
};

// Parses `arguments` against `visible` and the positional arguments. With
// --help, prints `visible` on stdout and returns nothing: the command then
// exits with 0.
std::optional<boost::program_options::variables_map> parse_command_line(
    const Arguments& arguments, const boost::program_options::options_description& visible,
    const Positional& positional);

}  // namespace wfsim::cli
