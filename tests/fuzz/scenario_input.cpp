#include "scenario_input.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "wfsim/engine/error.h"
#include "wfsim/models/scenario_loader.h"
#include "wfsim/models/uncertainty.h"
#include "wfsim/models/workforce.h"

namespace wfsim::fuzzing {

namespace fs = std::filesystem;

namespace {

enum class Section { base, policy, set };

std::string policy_file_name(std::size_t index) {
  return "policy" + std::to_string(index + 1) + ".yaml";
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void require(bool condition, const std::string& what) {
  if (!condition) throw LoaderInvariantBroken(what);
}

// What `wfsim run` stores in the results file must load again, to the same
// scenario and the same text.
void check_resolved_text_reloads(const models::Scenario& scenario) {
  models::Scenario again;
  try {
    again = models::load_scenario_text(scenario.resolved_yaml, "resolved.yaml");
  } catch (const engine::InputError& error) {
    throw LoaderInvariantBroken(std::string("the resolved scenario does not load again: ") +
                                error.what() + "\n--- resolved text ---\n" +
                                scenario.resolved_yaml);
  }
  require(again.resolved_yaml == scenario.resolved_yaml,
          "the resolved scenario changes when loaded again:\n" + scenario.resolved_yaml +
              "--- became ---\n" + again.resolved_yaml);
  require(again.name == scenario.name && again.seed == scenario.seed &&
              again.replications == scenario.replications &&
              again.horizon_years == scenario.horizon_years &&
              again.roles.size() == scenario.roles.size() &&
              again.programs.size() == scenario.programs.size() &&
              again.initial_employees() == scenario.initial_employees() &&
              again.uncertain_parameters.size() == scenario.uncertain_parameters.size(),
          "the resolved scenario loads again to a different scenario:\n" + scenario.resolved_yaml);
}

// SPEC §1: bad values are caught before anything runs, so the draws of a
// replication (within the bounds the loader computed) always convert.
void check_replication_draws_convert(const models::Scenario& scenario) {
  if (scenario.uncertain_parameters.empty()) return;
  for (const std::size_t replication : {std::size_t{0}, std::size_t{1}}) {
    const std::vector<double> values =
        models::parameter_values(scenario, scenario.seed, replication);
    try {
      const models::WorkforceModel drawn(models::scenario_with_values(scenario, values));
    } catch (const engine::InputError& error) {
      throw LoaderInvariantBroken(std::string("replication ") + std::to_string(replication) +
                                  " cannot use its draws of an accepted scenario: " + error.what());
    }
  }
}

}  // namespace

ScenarioInput split_scenario_input(const std::string& data) {
  ScenarioInput input;
  Section section = Section::base;
  std::size_t start = 0;
  while (start <= data.size()) {
    std::size_t end = data.find('\n', start);
    const bool last_line = end == std::string::npos;
    if (last_line) end = data.size();
    std::string line = data.substr(start, end - start);
    const std::string with_newline = last_line ? line : line + '\n';
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == kPolicyMarker) {
      section = Section::policy;
      input.policies.emplace_back();
    } else if (line == kSetMarker) {
      section = Section::set;
    } else if (section == Section::base) {
      input.base += with_newline;
    } else if (section == Section::policy) {
      input.policies.back() += with_newline;
    } else if (!line.empty()) {
      input.sets.push_back(line);
    }
    if (last_line) break;
    start = end + 1;
  }
  if (input.policies.size() > kMaxPolicyFiles) input.policies.resize(kMaxPolicyFiles);
  return input;
}

ScenarioWorkspace::ScenarioWorkspace() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/wfsim-fuzz-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  directory_ = pattern;
}

ScenarioWorkspace::~ScenarioWorkspace() {
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

fs::path ScenarioWorkspace::write(const ScenarioInput& input) {
  std::error_code ignored;
  fs::remove(directory_ / "base.yaml", ignored);
  for (std::size_t i = 0; i < kMaxPolicyFiles; ++i)
    fs::remove(directory_ / policy_file_name(i), ignored);
  fs::path loaded = directory_ / "base.yaml";
  write_file(loaded, input.base);
  for (std::size_t i = 0; i < input.policies.size(); ++i) {
    loaded = directory_ / policy_file_name(i);
    write_file(loaded, input.policies[i]);
  }
  return loaded;
}

Verdict check_scenario_input(const std::string& data, ScenarioWorkspace& workspace) {
  const ScenarioInput input = split_scenario_input(data);
  const fs::path file = workspace.write(input);
  models::Scenario scenario;
  std::vector<models::Override> overrides;
  try {
    for (const std::string& set : input.sets) overrides.push_back(models::parse_override(set));
    scenario = models::load_scenario_file(file.string(), overrides);
  } catch (const engine::InputError&) {
    return Verdict::rejected;
  }
  // What `wfsim run` does next; a scenario the loader accepted must compile.
  const models::WorkforceModel model(scenario);
  (void)model.output_layout();
  check_resolved_text_reloads(scenario);
  check_replication_draws_convert(scenario);
  // `wfsim sensitivity --path` reads the number at a PATH: either it is one
  // or the error is an InputError.
  for (const models::Override& override_ : overrides) {
    try {
      (void)models::number_at_path(scenario, override_.path);
    } catch (const engine::InputError&) {
    }
  }
  return Verdict::accepted;
}

}  // namespace wfsim::fuzzing
