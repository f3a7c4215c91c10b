#include "options.h"

#include <iostream>
#include <vector>

namespace po = boost::program_options;

namespace wfsim::cli {

std::optional<po::variables_map> parse_command_line(const Arguments& arguments,
                                                    const po::options_description& visible,
                                                    const Positional& positional) {
  po::options_description hidden;
  if (positional.count == 1)
    hidden.add_options()(positional.name.c_str(), po::value<std::string>());
  else
    hidden.add_options()(positional.name.c_str(), po::value<std::vector<std::string>>());
  po::positional_options_description order;
  order.add(positional.name.c_str(), positional.count);
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(order).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return std::nullopt;
  }
  return vm;
}

}  // namespace wfsim::cli
