#include <fmt/core.h>

#include <iostream>

#include "commands.h"
#include "options.h"
#include "wfsim/engine/error.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

int validate_command(const Arguments& arguments) {
  po::options_description visible(
      "Usage: wfsim validate SCENARIO.yaml... [--print]\n\n"
      "Checks scenario files without running them; every error names\n"
      "file:line:col and the key. Exit code 2 if any file is invalid.\n\n"
      "Options");
  std::vector<std::string> sets;
  visible.add_options()("help,h", "show this help")("print", "print the resolved scenario")(
      "reference", "print the reference of every scenario parameter (Markdown) and exit")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "override PATH=VALUE before validating (repeatable)");
  const auto parsed = parse_command_line(arguments, visible, {"scenario", -1});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  if (vm.count("reference")) {
    fmt::print("{}", models::parameter_reference_markdown());
    return 0;
  }
  if (!vm.count("scenario")) throw UsageError("wfsim validate: at least one SCENARIO.yaml");

  std::vector<models::Override> overrides;
  for (const std::string& set : sets) overrides.push_back(models::parse_override(set));
  int status = 0;
  for (const std::string& path : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      const models::Scenario scenario = models::load_scenario_file(path, overrides);
      if (vm.count("print")) {
        fmt::print("{}", scenario.resolved_yaml);
      } else {
        const std::size_t uncertain = scenario.uncertain_parameters.size();
        fmt::print("{}: ok ({}: {} roles, {} employees, {} programs, {} years{})\n", path,
                   scenario.name, scenario.roles.size(), scenario.initial_employees(),
                   scenario.programs.size(), scenario.horizon_years,
                   uncertain == 0 ? std::string()
                                  : fmt::format(", {} uncertain parameter{} at their medians",
                                                uncertain, uncertain == 1 ? "" : "s"));
      }
    } catch (const engine::InputError& error) {
      fmt::print(stderr, "{}\n", error.what());
      status = 2;
    }
  }
  return status;
}

}  // namespace wfsim::cli
