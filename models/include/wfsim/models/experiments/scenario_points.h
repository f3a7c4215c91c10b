// Where the values of an experiment's points meet scenarios: the numbers
// read at scenario paths and the scenario at a point. Sweeps and
// sensitivity analyses reach scenarios through these two functions only.
#pragma once

#include <string>
#include <vector>

#include "wfsim/models/scenario.h"

namespace wfsim::models::experiments {

// A value of a scenario path (as in `run --set`) at a point.
struct PathValue {
  std::string path;
  double value = 0.0;
  // The value as the user wrote it (`--vary PATH=v1,v2`), kept so in the
  // point's scenario text; empty for a computed value.
  std::string written;
};

// The scenario of `scenario_file` with every path of `point` set to its
// value, loaded and validated. Throws engine::InputError.
Scenario scenario_at_point(const std::string& scenario_file, const std::vector<PathValue>& point);

// The number at `path` as written in the resolved scenario. Throws
// engine::InputError when the path does not lead to a single number.
double number_at(const Scenario& scenario, const std::string& path);

}  // namespace wfsim::models::experiments
