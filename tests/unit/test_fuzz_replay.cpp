// The fuzz target's seed corpus and every input it ever failed on
// (tests/fuzz/corpus, tests/fuzz/regressions), replayed through the same
// entry logic in the ordinary build: each input is accepted or rejected with
// an InputError, and an accepted scenario keeps the loader's promises.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenario_input.h"

namespace {

namespace fs = std::filesystem;
using wfsim::fuzzing::check_scenario_input;
using wfsim::fuzzing::ScenarioWorkspace;
using wfsim::fuzzing::split_scenario_input;
using wfsim::fuzzing::Verdict;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> inputs_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.')
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

struct ReplayCount {
  int accepted = 0;
  int rejected = 0;
};

// Unexpected exceptions (LoaderInvariantBroken among them) escape and fail
// the test case with their message.
ReplayCount replay(const std::vector<fs::path>& files) {
  ScenarioWorkspace workspace;
  ReplayCount count;
  for (const fs::path& file : files) {
    INFO("input: " << file.string());
    const Verdict verdict = check_scenario_input(read_file(file), workspace);
    (verdict == Verdict::accepted ? count.accepted : count.rejected) += 1;
  }
  return count;
}

const fs::path kFuzzDir = WFSIM_FUZZ_DIR;

}  // namespace

TEST_CASE("every seed of the fuzz corpus is accepted or rejected with an input error", "[fuzz]") {
  const std::vector<fs::path> files = inputs_in(kFuzzDir / "corpus");
  REQUIRE(files.size() >= 20);
  const ReplayCount count = replay(files);
  // The seeds must reach both the validator's errors and the accepted path.
  CHECK(count.accepted >= 5);
  CHECK(count.rejected >= 10);
}

TEST_CASE("every input the fuzzer failed on is now accepted or rejected with an input error",
          "[fuzz]") {
  const std::vector<fs::path> files = inputs_in(kFuzzDir / "regressions");
  const ReplayCount count = replay(files);
  CHECK(count.accepted + count.rejected == static_cast<int>(files.size()));
}

TEST_CASE("a fuzz input splits into a base file, policy files and --set lines", "[fuzz]") {
  const auto input = split_scenario_input(
      "wfsim: 1\r\n#@policy\nextends: base.yaml\n#@set\nseed=3\n\nroles.a.headcount=4\n"
      "#@policy\nextends: policy1.yaml\n");
  CHECK(input.base == "wfsim: 1\r\n");
  REQUIRE(input.policies.size() == 2);
  CHECK(input.policies[0] == "extends: base.yaml\n");
  CHECK(input.policies[1] == "extends: policy1.yaml\n");
  CHECK(input.sets == std::vector<std::string>{"seed=3", "roles.a.headcount=4"});
}

TEST_CASE("a fuzz input is loaded as `wfsim run POLICY --set ...` loads it", "[fuzz]") {
  ScenarioWorkspace workspace;
  const std::string base =
      "wfsim: 1\nname: base\nhorizon_years: 2\nroles:\n  - id: a\n    headcount: 10\n";
  CHECK(check_scenario_input(base, workspace) == Verdict::accepted);
  CHECK(check_scenario_input(base + "#@set\nroles.a.headcount=-1\n", workspace) ==
        Verdict::rejected);
  CHECK(check_scenario_input(base + "#@set\nno equals sign\n", workspace) == Verdict::rejected);
  CHECK(check_scenario_input(base + "#@policy\nextends: base.yaml\nname: policy\n", workspace) ==
        Verdict::accepted);
  // The files of an earlier input are gone: a policy2.yaml that loads on
  // its own is not there for the next input to extend.
  CHECK(check_scenario_input(base + "#@policy\nextends: base.yaml\nname: p\n#@policy\n" + base,
                             workspace) == Verdict::accepted);
  CHECK(check_scenario_input(base + "#@policy\nextends: policy2.yaml\nname: p\n", workspace) ==
        Verdict::rejected);
  CHECK(check_scenario_input("[", workspace) == Verdict::rejected);
}
