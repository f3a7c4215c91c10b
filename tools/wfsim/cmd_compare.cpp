// `wfsim compare`: the base and every policy run with the same seed and
// replications (common random numbers), one results group each, then paired
// differences per KPI and the ROI of each policy against the base.
#include <fmt/core.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>
#include <optional>
#include <set>

#include "commands.h"
#include "console.h"
#include "csv_file.h"
#include "group_runs.h"
#include "options.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/models/comparison.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

struct Loaded {
  std::string file;
  models::Scenario scenario;
};

// The rules of SPEC §3: same horizon and resolution, distinct names.
void check_comparable(const std::vector<Loaded>& scenarios) {
  const Loaded& base = scenarios.front();
  std::set<std::string> names{base.scenario.name};
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const Loaded& policy = scenarios[i];
    const engine::SourceMark mark{policy.file, 0, 0};
    if (policy.scenario.horizon_years != base.scenario.horizon_years)
      throw engine::InputError(
          mark, "horizon_years",
          fmt::format("{} differs from the base's {} ({}); compared scenarios need the same "
                      "horizon",
                      policy.scenario.horizon_years, base.scenario.horizon_years, base.file));
    if (policy.scenario.snapshots_per_year != base.scenario.snapshots_per_year)
      throw engine::InputError(
          mark, "snapshots_per_year",
          fmt::format("{} differs from the base's {} ({}); compared scenarios need the same "
                      "resolution",
                      policy.scenario.snapshots_per_year, base.scenario.snapshots_per_year,
                      base.file));
    if (!names.insert(policy.scenario.name).second)
      throw engine::InputError(
          mark, "name",
          fmt::format("'{}' is the name of another compared scenario; every scenario of a "
                      "comparison needs its own name (its results group /scenarios/<name>)",
                      policy.scenario.name));
  }
}

// The comparison of one policy as it is printed and written to the CSV file.
void print_comparison(std::FILE* out, const std::string& base, const models::PolicyComparison& c) {
  fmt::print(out, "\n{} vs {} ({} paired replications; difference = policy - base)\n", c.policy,
             base, c.pairs);
  fmt::print(out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", "KPI", "base", "policy", "difference",
             "95% CI");
  for (const models::KpiComparison& row : c.kpis) {
    const auto& d = row.difference;
    const std::string interval = std::isnan(d.half_width)
                                     ? std::string("n/a")
                                     : fmt::format("[{}, {}]", format_number(d.mean - d.half_width),
                                                   format_number(d.mean + d.half_width));
    fmt::print(out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", row.name, format_number(row.base_mean),
               format_number(row.policy_mean), format_number(d.mean), interval);
  }
  const models::RoiComparison& roi = c.roi;
  if (roi.available) {
    fmt::print(
        out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", "roi", "", "",
        format_number(roi.ratio.estimate),
        fmt::format("[{}, {}]", format_number(roi.ratio.low), format_number(roi.ratio.high)));
  } else {
    fmt::print(out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", "roi", "", "", "n/a", "n/a");
  }
  fmt::print(out,
             "roi = net saving per extra unit invested = mean(total_cost base - policy) / "
             "mean(program_spend + mentoring_cost, policy - base)");
  if (!roi.available)
    fmt::print(out, "; n/a: the extra investment's 95% CI contains 0");
  else
    fmt::print(out, "; CI by paired bootstrap ({} resamples)", models::kRoiBootstrapResamples);
  fmt::print(out, "\n");
}

void write_csv(const std::string& path, const std::string& base,
               const std::vector<models::PolicyComparison>& comparisons) {
  const auto number = CsvFile::number;
  CsvFile csv(path);
  csv.row({"base", "policy", "kpi", "base_mean", "policy_mean", "difference", "ci95_low",
           "ci95_high", "pairs"});
  for (const models::PolicyComparison& c : comparisons) {
    const std::string pairs = std::to_string(c.pairs);
    for (const models::KpiComparison& row : c.kpis) {
      const auto& d = row.difference;
      csv.row({base, c.policy, row.name, number(row.base_mean), number(row.policy_mean),
               number(d.mean), number(d.mean - d.half_width), number(d.mean + d.half_width),
               pairs});
    }
    const models::RoiComparison& roi = c.roi;
    csv.row({base, c.policy, "roi", "", "", number(roi.ratio.estimate), number(roi.ratio.low),
             number(roi.ratio.high), pairs});
  }
  csv.close();
}

engine::FileAdditions comparison_datasets(const std::string& base,
                                          const std::vector<models::PolicyComparison>& all) {
  engine::FileAdditions additions;
  for (const models::PolicyComparison& c : all) {
    const std::string group = "comparison/" + c.policy + "/";
    for (const models::KpiComparison& row : c.kpis)
      additions.datasets.push_back(
          {group + row.name,
           {row.differences.size()},
           row.differences,
           {{"definition", fmt::format("{} - {}, replication by replication (NaN where either run "
                                       "lacks the replication)",
                                       c.policy, base)}}});
    const models::RoiComparison& roi = c.roi;
    additions.datasets.push_back(
        {group + "roi",
         {3},
         {roi.ratio.estimate, roi.ratio.low, roi.ratio.high},
         {{"columns", "estimate, ci95_low, ci95_high"},
          {"definition",
           "mean(total_cost[base] - total_cost[policy]) / mean((program_spend + mentoring_cost)"
           "[policy] - (program_spend + mentoring_cost)[base]) over the paired replications"},
          {"interval", fmt::format("paired percentile bootstrap, {} resamples, stream key {}",
                                   models::kRoiBootstrapResamples, models::kRoiBootstrapSeed)},
          {"status", roi.available ? "ok"
                                   : "n/a: the 95% CI of the extra investment contains 0 "
                                     "(values NaN)"}}});
  }
  return additions;
}

}  // namespace

int compare_command(const Arguments& arguments) {
  po::options_description visible(
      "Usage: wfsim compare BASE.yaml POLICY.yaml [POLICY2.yaml ...] [options]\n"
      "       wfsim compare --resume OUT.h5 [-j THREADS] [-q] [--csv FILE]\n\n"
      "Runs the base and every policy with the base's seed and replications (common\n"
      "random numbers), writes each run to /scenarios/<name> of one HDF5 file, and\n"
      "prints per KPI the base and policy means and the paired difference (policy - base)\n"
      "with its 95% confidence interval (Student t over the paired replications), and\n"
      "each policy's ROI with a paired-bootstrap 95% interval.\n\n"
      "Options");
  visible.add_options()("help,h", "show this help");
  add_group_run_options(visible, "the base", "BASE_compare.h5",
                        "also write the comparison table to this CSV file");
  const auto parsed = parse_command_line(arguments, visible, {"scenarios", -1});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  std::optional<GroupRuns> runs;
  std::vector<std::string> names;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim compare", "scenarios");
    runs.emplace(GroupRuns::resume(vm["resume"].as<std::string>(), "compare",
                                   threads_option(vm, "wfsim compare"), vm.count("quiet") > 0));
    for (const PlannedRun& run : runs->plan()) names.push_back(run.label);
  } else {
    const std::vector<std::string> files = vm.count("scenarios")
                                               ? vm["scenarios"].as<std::vector<std::string>>()
                                               : std::vector<std::string>{};
    if (files.size() < 2)
      throw UsageError("wfsim compare: a BASE.yaml and at least one POLICY.yaml are required");

    std::vector<Loaded> scenarios;
    for (const std::string& file : files)
      scenarios.push_back({file, models::load_scenario_file(file)});
    check_comparable(scenarios);
    const models::Scenario& base = scenarios.front().scenario;

    const GroupRunOptions options =
        group_run_options(vm, "wfsim compare", base, base.name + "_compare.h5");
    for (std::size_t i = 1; i < scenarios.size() && !options.seed_given; ++i)
      if (scenarios[i].scenario.seed != base.seed)
        fmt::print(stderr,
                   "wfsim compare: warning: {} names seed {}; it runs with the base's seed {} "
                   "(common random numbers)\n",
                   scenarios[i].file, scenarios[i].scenario.seed, base.seed);

    for (const Loaded& loaded : scenarios) names.push_back(loaded.scenario.name);
    // The file says what it holds before anything runs.
    engine::FileAdditions additions;
    additions.root_strings = {{"base", names[0]}};
    additions.root_string_lists = {
        {"scenarios", names},
        {"policies", std::vector<std::string>(names.begin() + 1, names.end())}};
    additions.root_counts = {{"seed", options.seed},
                             {"replications", options.replications},
                             {"roi_bootstrap_resamples", models::kRoiBootstrapResamples}};
    std::vector<PlannedRun> plan;
    for (Loaded& loaded : scenarios)
      plan.push_back(
          {"scenarios/" + loaded.scenario.name, loaded.scenario.name, std::move(loaded.scenario)});
    runs.emplace(options, "compare", std::move(additions), std::move(plan));
  }
  const GroupRunOptions& options = runs->options();
  const std::string& output = options.output;

  std::vector<models::ExperimentReport> reports;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string& name = names[k];
    std::optional<models::ExperimentReport> report = runs->run(k);
    if (!report) break;
    const engine::RunOutcome& outcome = report->outcome;
    if (!options.quiet)
      fmt::print("{}: {} of {} replications, seed {}, {} threads, {:.2f} s, {} events\n", name,
                 outcome.completed, options.replications, options.seed, report->threads,
                 outcome.wall_seconds, outcome.events);
    if (runs->stopped()) break;
    reports.push_back(std::move(*report));
  }

  std::vector<models::PolicyComparison> comparisons;
  for (std::size_t i = 1; i < reports.size(); ++i)
    comparisons.push_back(models::compare_runs(names[i], reports[0].totals, reports[0].committed,
                                               reports[i].totals, reports[i].committed));

  engine::FileAdditions additions = comparison_datasets(names[0], comparisons);
  additions.removals = {"comparison"};  // an interrupted run's, of fewer policies
  engine::add_to_results_file(output, additions);
  runs->finish();

  if (!options.quiet) {
    for (const models::PolicyComparison& c : comparisons) print_comparison(stdout, names[0], c);
    fmt::print("results: {}\n", output);
  }
  if (vm.count("csv")) write_csv(vm["csv"].as<std::string>(), names[0], comparisons);
  if (runs->stopped())
    fmt::print(stderr,
               "wfsim: interrupted; {} of {} scenarios complete, committed replications "
               "kept in {}\n",
               reports.size(), names.size(), output);
  return runs->exit_code();
}

}  // namespace wfsim::cli
