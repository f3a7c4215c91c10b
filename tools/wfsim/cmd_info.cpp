#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "console.h"
#include "options.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/statistics.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

// Provenance and KPIs of one run: a `run` file's root or a results group.
void print_run(const engine::ResultsFile& file) {
  const engine::RunAttributes& a = file.attributes();
  const std::vector<std::uint8_t> status = file.replication_status();
  const auto committed = std::count(status.begin(), status.end(), std::uint8_t{1});
  fmt::print("file:         {}\n", file.path());
  fmt::print("scenario:     {}\n", a.scenario_name);
  fmt::print("wfsim:        {} (git {}), schema {}\n", a.wfsim_version, a.git_sha,
             a.schema_version);
  fmt::print("created:      {}\n", a.created_utc);
  fmt::print("seed:         {}\n", a.seed);
  fmt::print("replications: {} committed of {}{}\n", committed, a.replications,
             committed < static_cast<long>(a.replications) ? " (incomplete)" : "");
  fmt::print("threads:      {}{}\n", a.threads,
             a.ranks > 1 ? fmt::format(" on each of {} MPI ranks", a.ranks) : "");
  if (a.shard_count > 1)
    fmt::print("shard:        {}/{} (the replications r with r % {} == {})\n", a.shard_index,
               a.shard_count, a.shard_count, a.shard_index);
  fmt::print("events:       {}\n", a.events_processed);
  fmt::print("wall time:    {:.2f} s\n", a.wall_seconds);

  std::vector<models::KpiRow> rows;
  std::vector<ParameterRow> parameters;
  const std::string parameter_prefix = "parameters/";
  for (const engine::SeriesSpec& spec : file.layout().series) {
    const bool total = spec.path.rfind("totals/", 0) == 0;
    const bool parameter = spec.path.rfind(parameter_prefix, 0) == 0;
    if (!total && !parameter) continue;
    const std::vector<double> values = file.read_series(spec.path);
    std::vector<double> kept;
    for (std::size_t i = 0; i < status.size(); ++i)
      if (status[i] == 1) kept.push_back(values[i]);
    if (total)
      rows.push_back({spec.path.substr(7), engine::mean_ci95(kept.data(), kept.size())});
    else
      parameters.push_back(
          {spec.path.substr(parameter_prefix.size()), engine::summarize(kept.data(), kept.size())});
  }
  if (!rows.empty()) {
    fmt::print("\n");
    print_kpi_table(stdout, rows);
  }
  if (!parameters.empty()) {
    fmt::print("\n");
    print_parameter_table(stdout, parameters);
  }
}

}  // namespace

int info_command(const Arguments& arguments) {
  po::options_description visible(
      "Usage: wfsim info RESULTS.h5\n\n"
      "Prints a results file's provenance, how many replications it holds and\n"
      "the KPIs over the committed ones; for a `compare` file, each scenario's;\n"
      "for a `sweep` file, each point's; for a `sensitivity` file, each run's.\n\n"
      "Options");
  visible.add_options()("help,h", "show this help");
  const auto parsed = parse_command_line(arguments, visible, {"file"});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  if (!vm.count("file")) throw UsageError("wfsim info: a RESULTS.h5 is required");

  const std::string path = vm["file"].as<std::string>();
  // A `sweep` file: one results group per point.
  const std::vector<std::string> varied =
      engine::read_string_list_attribute_of(path, "/", "varied_paths");
  if (!varied.empty()) {
    std::vector<std::string> points = engine::list_groups(path, "points");
    std::sort(points.begin(), points.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    fmt::print("sweep over {} ({}; {} of {} points run; groups /points/<k>, /sweep/table)\n",
               fmt::join(varied, ", "), engine::read_string_attribute_of(path, "/", "design"),
               points.size(), engine::read_float_attribute_of(path, "/", "points"));
    for (const std::string& k : points) {
      const std::string group = "points/" + k;
      std::vector<std::string> values;
      for (const std::string& name : varied)
        values.push_back(
            fmt::format("{}={:.6g}", name, engine::read_float_attribute_of(path, group, name)));
      fmt::print("\npoint {}: {}\n", k, fmt::join(values, " "));
      print_run(engine::ResultsFile::open_existing(path, group));
    }
    return 0;
  }
  // A `sensitivity` file: the base run and two runs per path.
  const std::vector<std::string> perturbed =
      engine::read_string_list_attribute_of(path, "/", "paths");
  if (!perturbed.empty()) {
    fmt::print("sensitivity to ±{} of {} (groups /sensitivity/runs, /sensitivity/table)\n",
               engine::read_string_attribute_of(path, "/", "delta"), fmt::join(perturbed, ", "));
    std::vector<std::string> groups;
    if (!engine::list_groups(path, "sensitivity/runs").empty()) groups.push_back("base");
    for (const std::string& p : perturbed)
      for (const std::string& run : engine::list_groups(path, "sensitivity/runs/" + p))
        groups.push_back(p + "/" + run);
    for (const std::string& group : groups) {
      fmt::print("\nrun {}\n", group);
      print_run(engine::ResultsFile::open_existing(path, "sensitivity/runs/" + group));
    }
    return 0;
  }
  // A `compare` file: one results group per scenario.
  const std::vector<std::string> scenarios =
      engine::read_string_list_attribute_of(path, "/", "scenarios");
  if (scenarios.empty()) {
    print_run(engine::ResultsFile::open_existing(path));
    return 0;
  }
  fmt::print("comparison of {} against {} (groups /scenarios/<name>, /comparison/<policy>)\n",
             fmt::join(scenarios.begin() + 1, scenarios.end(), ", "), scenarios.front());
  const std::vector<std::string> groups = engine::list_groups(path, "scenarios");
  for (const std::string& name : scenarios) {
    fmt::print("\n");
    if (std::find(groups.begin(), groups.end(), name) == groups.end())
      fmt::print("scenario:     {} (not run: the comparison was interrupted)\n", name);
    else
      print_run(engine::ResultsFile::open_existing(path, "scenarios/" + name));
  }
  return 0;
}

}  // namespace wfsim::cli
