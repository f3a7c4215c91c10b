#include "wfsim/models/uncertainty.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "processes.h"
#include "wfsim/engine/streams.h"

namespace wfsim::models {

std::uint64_t parameter_stream_key(const UncertainParameter& parameter) {
  return engine::hash_string(parameter.shared.empty() ? "parameter:" + parameter.path
                                                      : "shared:" + parameter.shared);
}

std::vector<double> parameter_levels(const Scenario& scenario, std::uint64_t seed,
                                     std::size_t replication) {
  const engine::StreamFactory streams(seed, replication);
  std::vector<double> levels;
  levels.reserve(scenario.uncertain_parameters.size());
  for (const UncertainParameter& parameter : scenario.uncertain_parameters)
    levels.push_back(
        streams.stream(parameter_stream_key(parameter), detail::kParameterProcess).uniform_level());
  return levels;
}

double round_half_even(double x) {
  const double nearest = std::round(x);  // halves away from zero
  if (std::fabs(x - std::trunc(x)) == 0.5) return 2.0 * std::round(x / 2.0);
  return nearest;
}

double parameter_value(const UncertainParameter& parameter, double level) {
  const double x = parameter.dist.quantile(level);
  return parameter.count ? round_half_even(x) : x;
}

std::vector<double> parameter_values(const Scenario& scenario, std::uint64_t seed,
                                     std::size_t replication) {
  std::vector<double> values = parameter_levels(scenario, seed, replication);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = parameter_value(scenario.uncertain_parameters[i], values[i]);
  return values;
}

std::string describe_distribution(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::fixed:
      return fmt::format("{{dist: fixed, value: {}}}", d.value);
    case Distribution::Kind::exponential:
      return fmt::format("{{dist: exponential, mean: {}}}", d.mean);
    case Distribution::Kind::lognormal:
      return fmt::format("{{dist: lognormal, mean: {}, sd: {}}}", d.mean, d.sd);
    case Distribution::Kind::gamma:
      return fmt::format("{{dist: gamma, mean: {}, sd: {}}}", d.mean, d.sd);
    case Distribution::Kind::uniform:
      return fmt::format("{{dist: uniform, min: {}, max: {}}}", d.min, d.max);
    case Distribution::Kind::triangular:
      return fmt::format("{{dist: triangular, min: {}, mode: {}, max: {}}}", d.min, d.mode, d.max);
  }
  return "?";
}

namespace {
// Whether two parameters drawn from the same U take the same value.
bool same_values(const UncertainParameter& a, const UncertainParameter& b) {
  return a.count == b.count && describe_distribution(a.dist) == describe_distribution(b.dist);
}
}  // namespace

std::vector<ParameterDataset> parameter_datasets(const Scenario& scenario) {
  const std::vector<UncertainParameter>& parameters = scenario.uncertain_parameters;
  std::vector<ParameterDataset> datasets;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const UncertainParameter& parameter = parameters[i];
    // The dataset this parameter's values are already in, if any.
    ParameterDataset* home = nullptr;
    for (ParameterDataset& dataset : datasets) {
      const UncertainParameter& holder = parameters[dataset.parameter];
      if (!parameter.shared.empty() && holder.shared == parameter.shared &&
          same_values(holder, parameter))
        home = &dataset;
    }
    if (home) {
      home->paths.push_back(parameter.path);
      continue;
    }
    const bool first_of_name =
        !parameter.shared.empty() &&
        std::none_of(datasets.begin(), datasets.end(),
                     [&](const ParameterDataset& d) { return d.name == parameter.shared; });
    datasets.push_back({first_of_name ? parameter.shared : parameter.path, i, {parameter.path}});
  }
  return datasets;
}

}  // namespace wfsim::models
