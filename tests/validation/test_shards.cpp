// Job arrays: `--shard I/N` runs of run, compare and sweep, each on its own
// thread count, merged by `wfsim merge` in any order, give the datasets of
// the one process run; merge refuses files that are not the N finished
// slices of one run, and leaves no partial output behind.
#include <stdlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "h5_compare.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/results_schema.h"

namespace fs = std::filesystem;
namespace schema = wfsim::engine::results_schema;
using namespace wfsim::testing::cli;
using wfsim::testing::require_same_datasets;

namespace {

constexpr int kShards = 3;

double root_attribute(const fs::path& file, const std::string& name) {
  return wfsim::engine::read_float_attribute_of(file.string(), "/", name);
}

fs::path scratch(const std::string& name) {
  const fs::path dir = scratch_dir() / "shards";
  fs::create_directories(dir);
  return dir / name;
}

std::vector<std::string> with(std::vector<std::string> arguments,
                              const std::vector<std::string>& more) {
  arguments.insert(arguments.end(), more.begin(), more.end());
  return arguments;
}

// `arguments` (a command and its inputs, no -o, -j or --shard) run whole.
fs::path whole_run(const std::vector<std::string>& arguments, const std::string& name) {
  const fs::path out = scratch(name + "_whole.h5");
  const Outcome o = run_wfsim(with(arguments, {"-j", "2", "-o", out.string(), "--force", "-q"}));
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  CHECK(root_attribute(out, schema::kComplete) == 1.0);
  return out;
}

// Shard `index` of `kShards`, on 1 or 2 threads by index.
fs::path shard_run(const std::vector<std::string>& arguments, const std::string& name, int index,
                   int expected_exit_code = 0) {
  const fs::path out = scratch(name + "_shard" + std::to_string(index) + ".h5");
  const std::string shard = std::to_string(index) + "/" + std::to_string(kShards);
  const std::string threads = index % 2 == 0 ? "1" : "2";
  const Outcome o = run_wfsim(
      with(arguments, {"--shard", shard, "-j", threads, "-o", out.string(), "--force", "-q"}));
  INFO(o.output);
  REQUIRE(o.exit_code == expected_exit_code);
  CHECK(root_attribute(out, schema::kComplete) == 0.0);
  CHECK(root_attribute(out, schema::kShardIndex) == index);
  CHECK(root_attribute(out, schema::kShardCount) == kShards);
  return out;
}

std::vector<fs::path> shard_runs(const std::vector<std::string>& arguments,
                                 const std::string& name) {
  std::vector<fs::path> shards;
  for (int i = 0; i < kShards; ++i) shards.push_back(shard_run(arguments, name, i));
  return shards;
}

Outcome merge(std::vector<fs::path> shards, const fs::path& out,
              const std::vector<std::string>& more = {"--force"}) {
  std::vector<std::string> arguments = {"merge"};
  for (const fs::path& shard : shards) arguments.push_back(shard.string());
  arguments.insert(arguments.end(), {"-o", out.string(), "-q"});
  arguments.insert(arguments.end(), more.begin(), more.end());
  return run_wfsim(arguments);
}

// The shards in an order other than their indices'.
std::vector<fs::path> shuffled(std::vector<fs::path> shards, unsigned seed) {
  const std::vector<fs::path> in_order = shards;
  std::mt19937 random(seed);
  while (shards == in_order) std::shuffle(shards.begin(), shards.end(), random);
  return shards;
}

void require_merged_attributes(const fs::path& merged) {
  CHECK(root_attribute(merged, schema::kComplete) == 1.0);
  CHECK(root_attribute(merged, schema::kMergedShards) == kShards);
  CHECK(root_attribute(merged, schema::kShardCount) == 1.0);
  CHECK(root_attribute(merged, schema::kShardIndex) == 0.0);
}

// Merges `shards` shuffled into `name`_merged.h5 and compares with `whole`.
void require_merge_equals(const std::vector<fs::path>& shards, const fs::path& whole,
                          const std::string& name, unsigned seed) {
  const fs::path merged = scratch(name + "_merged.h5");
  const Outcome o = merge(shuffled(shards, seed), merged);
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  CHECK_FALSE(fs::exists(merged.string() + ".merging"));
  require_same_datasets(whole, merged);
  require_merged_attributes(merged);
}

// A refused merge: exit code 2, a message naming `what`, no output at all.
void require_refused(const std::vector<fs::path>& shards, const std::string& what,
                     const std::vector<std::string>& more = {"--force"}) {
  const fs::path out = scratch("refused.h5");
  fs::remove(out);
  const Outcome o = merge(shards, out, more);
  INFO(o.output);
  CHECK(o.exit_code == 2);
  CHECK(o.output.find(what) != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".merging"));
}

const std::vector<std::string> kRun = {
    "run", scenario("quickstart_training.yaml"), "-r", "12", "-s", "5", "--trace", "3"};

}  // namespace

TEST_CASE("run shards merged in any order give the datasets of the whole run", "[shards]") {
  const fs::path whole = whole_run(kRun, "run");
  const std::vector<fs::path> shards = shard_runs(kRun, "run");
  // Each shard holds its own slice only.
  for (int i = 0; i < kShards; ++i) {
    const auto status =
        wfsim::engine::ResultsFile::open_existing(shards[i].string()).replication_status();
    REQUIRE(status.size() == 12);
    for (std::size_t r = 0; r < status.size(); ++r) {
      INFO("shard " << i << ", replication " << r);
      CHECK(status[r] == (static_cast<int>(r % kShards) == i ? 1 : 0));
    }
  }
  require_merge_equals(shards, whole, "run", 1);
}

TEST_CASE("compare shards merged in any order give the datasets of the whole compare", "[shards]") {
  const std::vector<std::string> compare = {
      "compare", scenario("quickstart.yaml"), scenario("quickstart_training.yaml"), "-r", "5", "-s",
      "11"};
  const fs::path whole = whole_run(compare, "compare");
  require_merge_equals(shard_runs(compare, "compare"), whole, "compare", 2);
}

TEST_CASE("sweep shards merged in any order give the datasets of the whole sweep", "[shards]") {
  const std::vector<std::string> sweep = {"sweep",  scenario("quickstart.yaml"),
                                          "--vary", "roles.picker.attrition=0.8,1.2",
                                          "-r",     "4",
                                          "-s",     "3"};
  const fs::path whole = whole_run(sweep, "sweep");
  require_merge_equals(shard_runs(sweep, "sweep"), whole, "sweep", 3);
}

TEST_CASE("an unfinished shard is refused until run --resume finishes it", "[shards]") {
  const fs::path whole = whole_run(kRun, "unfinished");
  std::vector<fs::path> shards;
  shards.push_back(shard_run(kRun, "unfinished", 0));
  // Replication 4 is in shard 1's slice (4 % 3 == 1); it fails, so the
  // shard ends with a slice that is not all committed.
  setenv("WFSIM_FAIL_REPLICATION", "4", 1);
  shards.push_back(shard_run(kRun, "unfinished", 1, 1));
  unsetenv("WFSIM_FAIL_REPLICATION");
  shards.push_back(shard_run(kRun, "unfinished", 2));
  {
    const auto status =
        wfsim::engine::ResultsFile::open_existing(shards[1].string()).replication_status();
    REQUIRE(status.size() == 12);
    CHECK(status[4] == 0);
    CHECK(status[1] == 1);
    CHECK(status[7] == 1);
  }

  require_refused(shards, "--resume " + shards[1].string());
  require_refused(shards, "wfsim run --resume");

  const Outcome resumed = run_wfsim({"run", "--resume", shards[1].string(), "-j", "1", "-q"});
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK(root_attribute(shards[1], schema::kComplete) == 0.0);  // a shard is never whole
  require_merge_equals(shards, whole, "unfinished", 4);
}

TEST_CASE("merge refuses files that are not the finished shards of one run", "[shards]") {
  const std::vector<fs::path> shards = shard_runs(kRun, "refusals");

  SECTION("a shard of another seed") {
    std::vector<std::string> other_seed = kRun;
    *std::find(other_seed.begin(), other_seed.end(), "5") = "6";
    const fs::path other = shard_run(other_seed, "other_seed", 1);
    require_refused({shards[0], other, shards[2]}, "seed");
  }
  SECTION("a missing shard") {
    require_refused({shards[2], shards[0]}, "1/3");
    require_refused({shards[2], shards[0]}, "missing");
  }
  SECTION("a duplicated shard") {
    const fs::path copy = scratch("refusals_shard1_copy.h5");
    fs::copy_file(shards[1], copy, fs::copy_options::overwrite_existing);
    require_refused({shards[0], shards[1], copy, shards[2]}, "both shard 1/3");
    require_refused({shards[0], shards[1], shards[1], shards[2]}, "both shard 1/3");
  }
  SECTION("a results file written without --shard") {
    const fs::path plain = whole_run(kRun, "refusals_plain");
    require_refused({shards[0], plain, shards[2]}, "--shard");
    require_refused({plain}, "--shard");
  }
  SECTION("a file that is no results file") {
    const fs::path text = scratch("not_results.h5");
    std::ofstream(text) << "not an HDF5 file\n";
    require_refused({shards[0], shards[1], shards[2], text}, text.string());
    require_refused({shards[0], shards[1], scratch("absent.h5")}, "absent.h5");
  }
  SECTION("a compare shard among run shards") {
    const std::vector<std::string> compare = {"compare",
                                              scenario("quickstart.yaml"),
                                              scenario("quickstart_training.yaml"),
                                              "-r",
                                              "12",
                                              "-s",
                                              "5"};
    const fs::path other = shard_run(compare, "refusals_compare", 1);
    require_refused({shards[0], other, shards[2]}, "command");
  }
  SECTION("an existing output without --force") {
    const fs::path out = scratch("refusals_existing.h5");
    std::ofstream(out) << "keep me\n";
    const Outcome refused = merge(shards, out, {});
    INFO(refused.output);
    CHECK(refused.exit_code == 2);
    CHECK(refused.output.find("--force") != std::string::npos);
    CHECK(read_file(out) == "keep me\n");
    CHECK_FALSE(fs::exists(out.string() + ".merging"));

    const Outcome forced = merge(shards, out, {"--force"});
    INFO(forced.output);
    CHECK(forced.exit_code == 0);
    require_merged_attributes(out);
  }
}

TEST_CASE("a shard is given as I/N with I < N, and not with --resume", "[shards]") {
  const fs::path out = scratch("bad_shard.h5");
  for (const std::string shard : {"3/3", "x", "1", "-1/3", "1/0", "/3", "1/", "0/3/1"}) {
    for (const std::string command : {"run", "compare", "sweep"}) {
      INFO("--shard " << shard << " on " << command);
      fs::remove(out);
      std::vector<std::string> arguments = {command, scenario("quickstart.yaml")};
      if (command == "compare") arguments.push_back(scenario("quickstart_training.yaml"));
      if (command == "sweep")
        arguments.insert(arguments.end(), {"--vary", "roles.picker.attrition=0.8,1.2"});
      const Outcome o =
          run_wfsim(with(arguments, {"-r", "2", "--shard", shard, "-o", out.string(), "-q"}));
      INFO(o.output);
      CHECK(o.exit_code == 2);
      CHECK(o.output.find("--shard") != std::string::npos);
      CHECK_FALSE(fs::exists(out));
    }
  }

  const fs::path shard = shard_run(kRun, "with_resume", 0);
  const Outcome o = run_wfsim({"run", "--resume", shard.string(), "--shard", "1/3", "-q"});
  INFO(o.output);
  CHECK(o.exit_code == 2);
  CHECK(o.output.find("--shard") != std::string::npos);
  CHECK(root_attribute(shard, schema::kShardIndex) == 0.0);
}
