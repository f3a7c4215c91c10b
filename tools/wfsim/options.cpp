#include "options.h"

namespace po = boost::program_options;

namespace wfsim::cli {

po::variables_map parse_options(const Arguments& arguments, const po::options_description& visible,
                                const po::options_description& hidden,
                                const po::positional_options_description& positional) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }
  return vm;
}

}  // namespace wfsim::cli
