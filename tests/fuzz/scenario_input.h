// One fuzz input for the scenario front end, shared by the libFuzzer target
// (tests/fuzz/fuzz_scenario.cpp) and the Catch2 replay of the seed corpus and
// the regression inputs (tests/unit/test_fuzz_replay.cpp).
//
// An input is a base scenario file, optionally followed by sections that
// start with a marker line:
//
//   <base.yaml>
//   #@policy        policy1.yaml (then policy2.yaml, ...), usually `extends: base.yaml`
//   #@set           one `--set PATH=VALUE` argument per line
//
// The markers are YAML comments, so a seed is close to a real file. The last
// file written is the one loaded, as `wfsim run FILE --set ...` would.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace wfsim::fuzzing {

inline constexpr const char* kPolicyMarker = "#@policy";
inline constexpr const char* kSetMarker = "#@set";
// More files add nothing the extends chain of four does not reach.
inline constexpr std::size_t kMaxPolicyFiles = 4;

struct ScenarioInput {
  std::string base;
  std::vector<std::string> policies;  // policy1.yaml, policy2.yaml, ...
  std::vector<std::string> sets;      // PATH=VALUE, one per non-empty line
};

ScenarioInput split_scenario_input(const std::string& data);

// A private directory for the input's files, removed on destruction. Each
// write removes the files of the previous input first, so an `extends` never
// reaches a file another input left behind.
class ScenarioWorkspace {
 public:
  ScenarioWorkspace();
  ~ScenarioWorkspace();
  ScenarioWorkspace(const ScenarioWorkspace&) = delete;
  ScenarioWorkspace& operator=(const ScenarioWorkspace&) = delete;

  const std::filesystem::path& directory() const { return directory_; }
  // Writes the files; returns the path of the one to load.
  std::filesystem::path write(const ScenarioInput& input);

 private:
  std::filesystem::path directory_;
};

// A broken promise of the loader on input it accepted, e.g. a resolved
// scenario that does not load again. Never caught by the fuzz target.
class LoaderInvariantBroken : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

enum class Verdict { accepted, rejected };

// Loads the input as `wfsim run` does (overrides parsed, the file loaded
// with them, the model built) and checks what an accepted scenario promises.
// Returns `rejected` for engine::InputError, the error bad input is designed
// to give; every other exception escapes, LoaderInvariantBroken included.
Verdict check_scenario_input(const std::string& data, ScenarioWorkspace& workspace);

}  // namespace wfsim::fuzzing
