// Reads, validates and resolves scenario files (SPEC §1).
//
// Scenario files are untrusted input: the loader reads the file itself (a
// regular file under a size cap), parses it into its own tree through
// yaml-cpp's event parser while rejecting aliases, tags, duplicate keys,
// excessive depth and extra documents, and only then converts the tree into a
// Scenario. Every error is an engine::InputError naming file:line:col and the
// key path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wfsim/models/scenario.h"

namespace wfsim::models {

// One `--set PATH=VALUE`: VALUE is parsed as YAML and replaces the node at
// PATH after merging.
struct Override {
  std::string path;
  std::string value_yaml;
};

// Splits "PATH=VALUE"; throws InputError when there is no '=' or no path.
Override parse_override(const std::string& argument);

// Loads, applies the overrides, validates. Throws engine::InputError.
Scenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides = {});

// The same from text (tests, fuzzing, and the scenario stored in a results
// file). `origin` names the text in messages.
Scenario load_scenario_text(const std::string& text, const std::string& origin,
                            const std::vector<Override>& overrides = {});

// The scenario one replication simulates: every uncertain parameter set to
// its value in `values` (in the order of scenario.uncertain_parameters; see
// parameter_values in uncertainty.h), each written into its typed field at
// its path (set_number_at_path in parameters.h): nothing is read again. The
// result has no uncertain parameters. Throws std::invalid_argument for a
// wrong number of values, engine::InputError for a value outside its range.
Scenario scenario_with_values(const Scenario& scenario, const std::vector<double>& values);

// The number at PATH (as in --set) of the resolved scenario, as written in
// it (after extends and overrides). Throws engine::InputError when PATH does
// not lead to a single number written in the scenario (a default, a
// distribution or a piecewise value is not one).
double number_at_path(const Scenario& scenario, const std::string& path);

// The scenario parameter reference (every section's keys with kind, default,
// range, unit and description) as Markdown, rendered from the tables the
// loader validates with.
std::string parameter_reference_markdown();

// Limits that keep hostile input cheap to reject.
struct LoaderLimits {
  static constexpr std::size_t max_file_bytes = 1 << 20;
  static constexpr int max_depth = 64;
  static constexpr std::size_t max_nodes = 200000;
  static constexpr std::size_t max_scalar_bytes = 64 * 1024;
  // Positions one replication may hold, summed over roles: at t=0, and on
  // average over the horizon with growth at the highest rates.
  static constexpr std::int64_t max_initial_positions = 50'000'000;
};

}  // namespace wfsim::models
