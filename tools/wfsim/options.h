// Boost.Program_options parsing shared by the subcommands; turns its
// exceptions into UsageError (exit code 2).
#pragma once

#include <boost/program_options.hpp>

#include "commands.h"

namespace wfsim::cli {

boost::program_options::variables_map parse_options(
    const Arguments& arguments, const boost::program_options::options_description& visible,
    const boost::program_options::options_description& hidden,
    const boost::program_options::positional_options_description& positional);

}  // namespace wfsim::cli
