#include "wfsim/models/experiments/scenario_points.h"

#include <fmt/core.h>

#include "wfsim/models/scenario_loader.h"

namespace wfsim::models::experiments {

// Today a point is the scenario file loaded again with one override per
// path, as `run --set` gives them: the YAML text of each value replaces the
// node at its path. A computed value is written in its shortest exact form
// (integral values without a fraction, so that integer parameters accept
// them).
Scenario scenario_at_point(const std::string& scenario_file, const std::vector<PathValue>& point) {
  std::vector<Override> overrides;
  for (const PathValue& value : point)
    overrides.push_back(
        {value.path, value.written.empty() ? fmt::format("{}", value.value) : value.written});
  return load_scenario_file(scenario_file, overrides);
}

double number_at(const Scenario& scenario, const std::string& path) {
  return number_at_path(scenario, path);
}

}  // namespace wfsim::models::experiments
