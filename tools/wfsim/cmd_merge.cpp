// `wfsim merge`: joins the files of `--shard I/N` runs (the tasks of a job
// array) into the file one process would have written: the same datasets,
// summaries and tables, with merged_shards = N among the attributes.
#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <map>

#include "commands.h"
#include "options.h"
#include "run_options.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_merge.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/results_schema.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/experiments/group_runs.h"

namespace po = boost::program_options;
namespace schema = wfsim::engine::results_schema;

namespace wfsim::cli {

namespace {

struct ShardFile {
  std::string path;
  std::string kind;  // the command that wrote it
  std::size_t index = 0;
  std::size_t count = 1;
  std::size_t replications = 0;
  std::vector<std::string> groups;  // "" for a `run` file
};

std::size_t count_attribute(const std::string& path, const std::string& name) {
  return static_cast<std::size_t>(engine::read_float_attribute_of(path, "/", name));
}

ShardFile read_shard(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw UsageError("wfsim merge: " + path + " is not a results file");
  ShardFile shard;
  shard.path = path;
  shard.kind = models::experiments::results_file_kind(path);
  std::string version, sha;
  try {
    version = engine::read_string_attribute_of(path, "/", schema::kWfsimVersion);
    sha = engine::read_string_attribute_of(path, "/", schema::kGitSha);
  } catch (const engine::RuntimeError& error) {
    throw UsageError("wfsim merge: " + path + " is not a results file: " + error.what());
  }
  models::require_this_build(engine::SourceMark{path, 0, 0}, version, sha);
  try {
    shard.index = count_attribute(path, schema::kShardIndex);
    shard.count = count_attribute(path, schema::kShardCount);
  } catch (const engine::RuntimeError&) {
    throw UsageError("wfsim merge: " + path + " has no shard attributes");
  }
  if (shard.count < 2)
    throw UsageError("wfsim merge: " + path + " was not written with --shard I/N");
  shard.replications = count_attribute(path, schema::kReplications);
  shard.groups = shard.kind == "run" ? std::vector<std::string>{""}
                                     : engine::read_string_dataset(path, "plan/groups");
  return shard;
}

// What must be equal in every shard for them to be slices of one run.
std::map<std::string, std::vector<std::string>> what_was_run(const ShardFile& shard) {
  std::map<std::string, std::vector<std::string>> facts;
  facts["the command"] = {shard.kind};
  facts["the shard count"] = {std::to_string(shard.count)};
  for (const char* name : {schema::kSeed, schema::kReplications})
    facts[std::string("the ") + name] = {
        fmt::format("{}", engine::read_float_attribute_of(shard.path, "/", name))};
  if (shard.kind == "run") {
    facts["the scenario"] = {
        engine::read_string_attribute_of(shard.path, "/", schema::kScenarioYaml)};
    facts["the trace count"] = {fmt::format(
        "{}", engine::read_float_attribute_of(shard.path, "/", schema::kTraceReplications))};
  } else {
    for (const char* name : {"plan/groups", "plan/labels", "plan/scenarios"})
      facts[std::string("/") + name] = engine::read_string_dataset(shard.path, name);
    if (engine::results_object_exists(shard.path, "plan/point_values")) {
      std::vector<std::string> values;
      for (double v : engine::read_float_dataset(shard.path, "plan/point_values"))
        values.push_back(fmt::format("{}", v));
      facts["/plan/point_values"] = values;
    }
  }
  return facts;
}

// Throws UsageError unless `shard` committed every replication of its slice.
void require_whole_slice(const ShardFile& shard) {
  for (const std::string& group : shard.groups) {
    std::size_t missing = 0;
    if (!group.empty() && !engine::results_object_exists(shard.path, group)) {
      missing = models::replications_in_shard(shard.replications, shard.index, shard.count);
    } else {
      const std::vector<std::uint8_t> status =
          engine::ResultsFile::open_read_only(shard.path, group).replication_status();
      for (std::size_t r = shard.index; r < status.size(); r += shard.count)
        missing += status[r] ? 0 : 1;
    }
    if (missing > 0)
      throw UsageError(fmt::format(
          "wfsim merge: {} (shard {}/{}) lacks {} of its replications{}: finish it with "
          "wfsim {} --resume {}, then merge",
          shard.path, shard.index, shard.count, missing, group.empty() ? "" : " in /" + group,
          shard.kind, shard.path));
  }
}

std::vector<ShardFile> checked_shards(const std::vector<std::string>& paths) {
  std::vector<ShardFile> shards;
  for (const std::string& path : paths) shards.push_back(read_shard(path));
  std::sort(shards.begin(), shards.end(),
            [](const ShardFile& a, const ShardFile& b) { return a.index < b.index; });
  const auto reference = what_was_run(shards.front());
  for (const ShardFile& shard : shards) {
    auto refuse = [&](const std::string& what) {
      throw UsageError(
          fmt::format("wfsim merge: {} and {} differ in {}: they are not shards of one run",
                      shards.front().path, shard.path, what));
    };
    // Files of different commands hold different facts: the command first.
    if (shard.kind != shards.front().kind) refuse("the command");
    for (const auto& [what, value] : what_was_run(shard)) {
      const auto expected = reference.find(what);
      if (expected == reference.end() || value != expected->second) refuse(what);
    }
  }
  const std::size_t count = shards.front().count;
  std::vector<std::string> seen(count);
  for (const ShardFile& shard : shards) {
    if (!seen[shard.index].empty())
      throw UsageError(fmt::format("wfsim merge: {} and {} are both shard {}/{}", seen[shard.index],
                                   shard.path, shard.index, count));
    seen[shard.index] = shard.path;
  }
  std::vector<std::string> absent;
  for (std::size_t i = 0; i < count; ++i)
    if (seen[i].empty()) absent.push_back(fmt::format("{}/{}", i, count));
  if (!absent.empty())
    throw UsageError(fmt::format("wfsim merge: shard{} {} {} missing (give all {} files)",
                                 absent.size() == 1 ? "" : "s", fmt::join(absent, ", "),
                                 absent.size() == 1 ? "is" : "are", count));
  for (const ShardFile& shard : shards) require_whole_slice(shard);
  return shards;
}

}  // namespace

int merge_command(const Arguments& arguments, const Context& context) {
  po::options_description visible(
      "Usage: wfsim merge SHARD.h5... -o OUT.h5 [--force] [-q]\n\n"
      "Joins the files of one run, compare, sweep or sensitivity made with --shard I/N\n"
      "(every I from 0 to N-1, each finished) into the file one process would have\n"
      "written: the same datasets, summaries and tables. Refuses files of another\n"
      "scenario, plan, seed, replication count or wfsim build.\n\n"
      "Options");
  visible.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                    "the merged results file (required)")(
      "force", "overwrite an existing OUT.h5")("quiet,q", "print nothing but errors");
  const auto parsed = parse_command_line(arguments, visible, {"shards", -1});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  if (!vm.count("shards")) throw UsageError("wfsim merge: give the shard files");
  if (!vm.count("output")) throw UsageError("wfsim merge: -o OUT.h5 is required");
  const std::string output = vm["output"].as<std::string>();
  refuse_existing_output(output, vm.count("force") > 0);
  const std::vector<ShardFile> shards = checked_shards(vm["shards"].as<std::vector<std::string>>());

  // Built beside the output and renamed at the end: OUT.h5 appears whole or
  // not at all, and the shards are only read.
  const std::string partial = output + ".merging";
  std::filesystem::copy_file(shards.front().path, partial,
                             std::filesystem::copy_options::overwrite_existing);
  const std::size_t count = shards.size();
  for (const std::string& group : shards.front().groups) {
    engine::ResultsFile into = engine::ResultsFile::open_existing(partial, group);
    for (std::size_t k = 1; k < count; ++k)
      engine::copy_committed_replications(
          engine::ResultsFile::open_read_only(shards[k].path, group), into);
    into.mark_merged(count);
    into.close();
  }
  const std::string& kind = shards.front().kind;
  if (kind != "run") {
    engine::FileAdditions additions;
    additions.root_counts = {
        {schema::kShardIndex, 0}, {schema::kShardCount, 1}, {schema::kMergedShards, count}};
    engine::add_to_results_file(partial, additions);
  }
  // Every replication is in: what --resume does to a finished file (the
  // summaries, the command's tables, `complete`) is what is left.
  const Arguments finish = {"--resume", partial, "-q"};
  const int finished = kind == "run"       ? run_command(finish, context)
                       : kind == "compare" ? compare_command(finish, context)
                       : kind == "sweep"   ? sweep_command(finish, context)
                                           : sensitivity_command(finish, context);
  if (finished != 0)
    throw engine::RuntimeError(
        fmt::format("wfsim merge: finishing {} failed (exit code {})", partial, finished));
  std::filesystem::rename(partial, output);
  if (!vm.count("quiet"))
    fmt::print("wfsim merge: {} shards of a {} of {} replications{} joined in {}\n", count, kind,
               shards.front().replications,
               kind == "run" ? "" : fmt::format(" x {} runs", shards.front().groups.size()),
               output);
  return 0;
}

}  // namespace wfsim::cli
