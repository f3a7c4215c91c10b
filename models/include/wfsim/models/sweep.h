// Parameter sweeps (SPEC §3, `sweep`): the points of a grid or of a Latin
// hypercube over scenario paths. A point is the scenario with each varied
// path at its value (experiments/scenario_points.h); every point runs with the scenario's seed and
// replication count, so replication i of every point uses the same random
// streams (common random numbers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wfsim::models {

// The LHS sample's random stream: engine::RandomStream(mix of the scenario
// seed and this key), see latin_hypercube().
inline constexpr std::uint64_t kLhsStreamKey = 0x4C48533230323601ULL;

// One `--vary PATH=...`. Grid forms: `v1,v2,...` (the values as written) and
// `lo:hi:n` (n >= 2 evenly spaced values from lo to hi). LHS form: `lo:hi`.
struct VarySpec {
  std::string path;
  bool is_range = false;         // `lo:hi` (only with --lhs)
  double low = 0.0, high = 0.0;  // of a range
  std::vector<double> values;    // of a grid axis
  // Each value as written (`v1,v2,...`); empty where computed (`lo:hi:n`).
  std::vector<std::string> written;
};

// Parses "PATH=..."; throws engine::InputError (exit 2) for bad syntax, a
// value that is not a finite number, n < 2, or lo > hi.
VarySpec parse_vary(const std::string& argument);

// A point of a sweep: one value per varied path, in --vary order.
struct SweepPoint {
  std::vector<double> values;
  std::vector<std::string> written;  // as in VarySpec; empty where computed
};

// Every combination of the axes; the first --vary varies slowest. Throws
// engine::InputError if an axis is a range (`lo:hi` needs --lhs).
std::vector<SweepPoint> grid_points(const std::vector<VarySpec>& axes);

// n points of a Latin hypercube: for each range d, the n strata
// [lo + (hi - lo) j / n, lo + (hi - lo) (j + 1) / n) are each hit exactly once,
// point k taking stratum perm_d(k) at a uniform position inside it. The
// permutations (Fisher-Yates) and positions come from one RandomStream keyed
// by engine::mix64(seed ^ kLhsStreamKey), drawn range by range: for range d,
// n - 1 draws of the shuffle, then n positions. Throws engine::InputError if an
// axis is not a range, or n < 1.
std::vector<SweepPoint> latin_hypercube(const std::vector<VarySpec>& ranges, std::size_t n,
                                        std::uint64_t seed);

}  // namespace wfsim::models
