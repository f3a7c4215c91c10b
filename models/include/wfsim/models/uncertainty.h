// Uncertain parameters (SPEC §1, second-order Monte Carlo): a number written
// `{uncertain: DIST}` takes one value per replication, F⁻¹(U), with U from a
// stream keyed by (seed, replication, PATH), or by NAME when `shared`.
//
// U depends on nothing else — not on the DIST, the other parameters or the
// policy — so two scenarios compared with the same seed see the same U for
// the same PATH (common random numbers), and parameters sharing a NAME move
// together (perfectly rank-correlated).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wfsim/models/scenario.h"

namespace wfsim::models {

// The key of a parameter's stream: hash("parameter:" + PATH), or
// hash("shared:" + NAME).
std::uint64_t parameter_stream_key(const UncertainParameter& parameter);

// The level U of each uncertain parameter in one replication, in the order
// of Scenario::uncertain_parameters; U in [2^-53, 1 − 2^-53].
std::vector<double> parameter_levels(const Scenario& scenario, std::uint64_t seed,
                                     std::size_t replication);

// F⁻¹(level), rounded half to even for a count.
double parameter_value(const UncertainParameter& parameter, double level);

// Every uncertain parameter's value in one replication.
std::vector<double> parameter_values(const Scenario& scenario, std::uint64_t seed,
                                     std::size_t replication);

// The nearest whole number, ties to the even one (2.5 → 2, 3.5 → 4).
double round_half_even(double x);

// A DIST as it is written in a scenario, e.g. "{dist: uniform, min: 0.1, max: 0.3}".
std::string describe_distribution(const Distribution& dist);

// The datasets /parameters/<name> of a results file. A parameter of its own
// is stored under its PATH. Parameters sharing a NAME are stored once under
// the NAME, with the values of the first of them; one whose DIST or rounding
// differs from that first one takes other values and is stored under its
// PATH as well.
struct ParameterDataset {
  std::string name;                // PATH or NAME
  std::size_t parameter = 0;       // index of the parameter whose values it holds
  std::vector<std::string> paths;  // every parameter whose values these are
};
std::vector<ParameterDataset> parameter_datasets(const Scenario& scenario);

}  // namespace wfsim::models
