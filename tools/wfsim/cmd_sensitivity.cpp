// `wfsim sensitivity`: one-at-a-time changes of ±Δ (relative) around a
// scenario, path by path, every run with the scenario's seed and replications
// (common random numbers); per KPI the means at −Δ and +Δ (tornado data) in
// /sensitivity/table, the runs under /sensitivity/runs.
#include <fmt/core.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "commands.h"
#include "console.h"
#include "options.h"
#include "signals.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/h5_writer.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

constexpr const char* kHeadlineKpis[] = {"total_cost", "final_headcount", "exits"};

struct Run {
  std::string group;  // under the file's root
  std::string label;
  models::Scenario scenario;
};

std::string yaml_number(double value) {
  return fmt::format("{}", value);
}

std::vector<double> kpi_means(const models::ExperimentReport& report) {
  std::vector<double> means;
  for (const models::KpiRow& row : report.kpis) means.push_back(row.interval.mean);
  return means;
}

std::string csv_number(double value) {
  return std::isnan(value) ? std::string("n/a") : fmt::format("{}", value);
}

}  // namespace

int sensitivity_command(const Arguments& arguments) {
  po::options_description visible(
      "Usage: wfsim sensitivity SCENARIO.yaml --path PATH [--path PATH]... [options]\n\n"
      "Runs the scenario, then for each PATH (a number written in the scenario, as in\n"
      "`run --set`) the scenario with that value times 1 - delta and times 1 + delta,\n"
      "the others as they are. Every run uses the scenario's seed and replications\n"
      "(common random numbers). Prints per headline KPI the means at -delta and +delta\n"
      "by path, largest swing first (tornado data), and writes every KPI's means to\n"
      "/sensitivity/table of one HDF5 file.\n\n"
      "Options");
  std::vector<std::string> paths;
  visible.add_options()("help,h", "show this help")(
      "path", po::value<std::vector<std::string>>(&paths)->composing(),
      "a PATH to perturb (repeatable)")("delta", po::value<double>()->default_value(0.1),
                                        "relative change, 0 < delta < 1")(
      "replications,r", po::value<std::int64_t>(),
      "replications per run (default: the "
      "scenario's)")("seed,s", po::value<std::uint64_t>(), "random seed (default: the scenario's)")(
      "threads,j", po::value<int>()->default_value(0), "worker threads (0 = every core)")(
      "output,o", po::value<std::string>(), "results file (default: NAME_sensitivity.h5)")(
      "force", "overwrite an existing results file")(
      "csv", po::value<std::string>(), "also write the table (every KPI) to this CSV file")(
      "quiet,q", "print nothing but errors and warnings");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("scenario", 1);

  const po::variables_map vm = parse_options(arguments, visible, hidden, positional);
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  if (!vm.count("scenario")) throw UsageError("wfsim sensitivity: a SCENARIO.yaml is required");
  if (paths.empty()) throw UsageError("wfsim sensitivity: at least one --path PATH is required");
  const double delta = vm["delta"].as<double>();
  if (!(delta > 0.0 && delta < 1.0))
    throw UsageError(
        fmt::format("wfsim sensitivity: --delta must be above 0 and below 1, got {}", delta));
  const std::string file = vm["scenario"].as<std::string>();
  models::Scenario base = models::load_scenario_file(file);

  std::size_t replications = static_cast<std::size_t>(base.replications);
  if (vm.count("replications")) {
    const std::int64_t r = vm["replications"].as<std::int64_t>();
    if (r < 1) throw UsageError("wfsim sensitivity: --replications must be at least 1");
    replications = static_cast<std::size_t>(r);
  }
  const std::uint64_t seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : base.seed;
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw UsageError("wfsim sensitivity: --threads must be >= 0");
  const bool quiet = vm.count("quiet") > 0;

  // Every run is loaded (and so validated) before anything runs.
  std::set<std::string> seen;
  std::vector<double> base_values, minus_values, plus_values;
  std::vector<Run> runs;
  for (const std::string& path : paths) {
    const std::string clean = models::parse_override(path + "=0").path;
    if (!seen.insert(clean).second)
      throw UsageError("wfsim sensitivity: --path " + clean + " is given twice");
    const double value = models::number_at_path(base, clean);
    if (value == 0.0)
      fmt::print(stderr, "wfsim sensitivity: warning: {} is 0 in the scenario; ±{} leaves it 0\n",
                 clean, delta);
    base_values.push_back(value);
    minus_values.push_back(value * (1.0 - delta));
    plus_values.push_back(value * (1.0 + delta));
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string path = models::parse_override(paths[i] + "=0").path;
    for (const bool plus : {false, true}) {
      const double value = plus ? plus_values[i] : minus_values[i];
      runs.push_back({fmt::format("sensitivity/runs/{}/{}", path, plus ? "plus" : "minus"),
                      fmt::format("{}={:.10g}", path, value),
                      models::load_scenario_file(file, {{path, yaml_number(value)}})});
    }
    paths[i] = path;
  }
  runs.insert(runs.begin(), Run{"sensitivity/runs/base", "base", base});

  const std::string output =
      vm.count("output") ? vm["output"].as<std::string>() : base.name + "_sensitivity.h5";
  const bool overwrite = vm.count("force") > 0;
  if (!overwrite && std::filesystem::exists(output))
    throw UsageError(output + " exists; use --force to overwrite it or -o another file");

  engine::create_empty_results_file(output, overwrite);
  engine::FileAdditions additions;
  additions.root_strings = {{"wfsim_version", WFSIM_VERSION},
                            {"git_sha", WFSIM_GIT_SHA},
                            {"created_utc", models::utc_timestamp_now()},
                            {"command", "sensitivity"},
                            {"scenario_name", base.name},
                            {"scenario_yaml", base.resolved_yaml},
                            {"delta", fmt::format("{}", delta)}};
  additions.root_string_lists = {{"paths", paths}};
  additions.root_counts = {{"seed", seed}, {"replications", replications}};
  engine::add_to_results_file(output, additions);
  install_stop_handlers();

  std::vector<std::vector<double>> means;  // per finished run, in run order
  bool interrupted = false, failed = false;
  for (Run& run : runs) {
    if (stop_requested().load()) {
      interrupted = true;
      break;
    }
    const models::WorkforceModel model(std::move(run.scenario));
    models::ExperimentSettings settings;
    settings.output_path = output;
    settings.group = run.group;
    settings.replications = replications;
    settings.seed = seed;
    settings.threads = threads;
    settings.stop = &stop_requested();
    ProgressBar progress(!quiet && stderr_is_terminal());
    settings.on_progress = [&](const engine::RunProgress& p) { progress.update(p); };
    const models::ExperimentReport report = models::run_experiment(model, settings);
    progress.finish();
    const engine::RunOutcome& outcome = report.outcome;
    if (!quiet)
      fmt::print(stderr, "run {}/{} ({}): {} of {} replications, {:.2f} s\n", means.size() + 1,
                 runs.size(), run.label, outcome.completed, replications, outcome.wall_seconds);
    for (const auto& [index, message] : outcome.failures)
      fmt::print(stderr, "wfsim: {}: replication {} (seed {}) failed: {}\n", run.label, index, seed,
                 message);
    failed = failed || !outcome.failures.empty();
    if (outcome.interrupted) {
      interrupted = true;
      break;
    }
    means.push_back(kpi_means(report));
  }

  // Rows: the paths whose two runs (and the base) finished.
  const std::size_t rows = means.empty() ? 0 : (means.size() - 1) / 2;
  std::vector<std::string> names = {"path", "base_value", "minus_value", "plus_value"};
  std::vector<std::vector<double>> columns(3);
  for (std::size_t i = 0; i < rows; ++i) {
    columns[0].push_back(base_values[i]);
    columns[1].push_back(minus_values[i]);
    columns[2].push_back(plus_values[i]);
  }
  for (int k = 0; k < models::kKpiCount; ++k) {
    for (const char* suffix : {"_base", "_minus", "_plus"}) {
      names.push_back(std::string(models::kKpiNames[k]) + suffix);
      std::vector<double> column;
      for (std::size_t i = 0; i < rows; ++i) {
        const std::size_t run = suffix[1] == 'b' ? 0 : suffix[1] == 'm' ? 1 + 2 * i : 2 + 2 * i;
        column.push_back(means[run][k]);
      }
      columns.push_back(std::move(column));
    }
  }
  const std::vector<std::string> row_paths(paths.begin(), paths.begin() + rows);
  engine::FileAdditions table;
  table.string_datasets.push_back({"sensitivity/table/path", row_paths});
  for (std::size_t c = 0; c < columns.size(); ++c)
    table.datasets.push_back({"sensitivity/table/" + names[c + 1], {rows}, columns[c]});
  table.object_string_lists.push_back({"sensitivity/table", "columns", names});
  engine::add_to_results_file(output, table);

  if (vm.count("csv")) {
    const std::string csv = vm["csv"].as<std::string>();
    std::FILE* out = std::fopen(csv.c_str(), "w");
    if (out == nullptr) throw engine::RuntimeError(csv + ": cannot write the CSV file");
    for (std::size_t c = 0; c < names.size(); ++c) fmt::print(out, "{}{}", c ? "," : "", names[c]);
    fmt::print(out, "\n");
    for (std::size_t i = 0; i < rows; ++i) {
      fmt::print(out, "{}", row_paths[i]);
      for (const auto& column : columns) fmt::print(out, ",{}", csv_number(column[i]));
      fmt::print(out, "\n");
    }
    if (std::fclose(out) != 0) throw engine::RuntimeError(csv + ": cannot write the CSV file");
  }

  if (!quiet && !means.empty()) {
    fmt::print("{}: sensitivity to ±{} of {} paths, {} replications per run, seed {}\n", base.name,
               delta, paths.size(), replications, seed);
    std::size_t width = 20;
    for (const std::string& p : row_paths) width = std::max(width, p.size());
    for (const char* kpi : kHeadlineKpis) {
      const int k =
          static_cast<int>(std::find_if(models::kKpiNames.begin(), models::kKpiNames.end(),
                                        [&](const char* n) { return std::string(n) == kpi; }) -
                           models::kKpiNames.begin());
      std::vector<std::size_t> order(rows);
      for (std::size_t i = 0; i < rows; ++i) order[i] = i;
      auto swing = [&](std::size_t i) {
        return std::fabs(means[2 + 2 * i][k] - means[1 + 2 * i][k]);
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return swing(a) > swing(b); });
      fmt::print("\n{} (base mean {})\n", kpi, format_number(means[0][k]));
      fmt::print("{:<{}} {:>14} {:>14} {:>14}\n", "path", width, "-delta", "+delta", "swing");
      for (std::size_t i : order)
        fmt::print("{:<{}} {:>14} {:>14} {:>14}\n", row_paths[i], width,
                   format_number(means[1 + 2 * i][k]), format_number(means[2 + 2 * i][k]),
                   format_number(swing(i)));
    }
    fmt::print("means over each run's replications; every KPI in /sensitivity/table\n");
    fmt::print("results: {}\n", output);
  }
  if (interrupted) {
    fmt::print(stderr, "wfsim: interrupted; {} of {} paths complete, kept in {}\n", rows,
               paths.size(), output);
    return interrupted_exit_code();
  }
  return failed ? 1 : 0;
}

}  // namespace wfsim::cli
