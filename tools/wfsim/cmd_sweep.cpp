// `wfsim sweep`: the scenario at every point of a grid or of a Latin
// hypercube over scenario paths, each point with the scenario's seed and
// replications (common random numbers), one results group /points/<k> each,
// then /sweep/table of the point values and KPI means with 95% CIs.
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
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"
#include "wfsim/models/sweep.h"

namespace po = boost::program_options;

namespace wfsim::cli {

namespace {

// The KPIs of the printed table; the CSV file and /sweep/table hold them all.
constexpr const char* kHeadlineKpis[] = {"total_cost", "final_headcount", "exits"};

struct FinishedPoint {
  std::size_t index = 0;
  std::size_t replications = 0;  // completed
  std::vector<models::KpiRow> kpis;
};

struct Column {
  std::string name;
  std::vector<double> values;
};

// The columns of /sweep/table and of the CSV file: point, one per varied
// path, replications, then <kpi>_mean, <kpi>_ci_low, <kpi>_ci_high per KPI.
std::vector<Column> table_columns(const std::vector<models::VarySpec>& axes,
                                  const std::vector<models::SweepPoint>& points,
                                  const std::vector<FinishedPoint>& finished) {
  std::vector<Column> columns;
  columns.push_back({"point", {}});
  for (const models::VarySpec& axis : axes) columns.push_back({axis.path, {}});
  columns.push_back({"replications", {}});
  for (const char* kpi : models::kKpiNames) {
    columns.push_back({std::string(kpi) + "_mean", {}});
    columns.push_back({std::string(kpi) + "_ci_low", {}});
    columns.push_back({std::string(kpi) + "_ci_high", {}});
  }
  for (const FinishedPoint& p : finished) {
    std::size_t c = 0;
    columns[c++].values.push_back(static_cast<double>(p.index));
    for (double value : points[p.index].values) columns[c++].values.push_back(value);
    columns[c++].values.push_back(static_cast<double>(p.replications));
    for (const models::KpiRow& row : p.kpis) {
      const engine::MeanInterval& ci = row.interval;
      columns[c++].values.push_back(ci.mean);
      columns[c++].values.push_back(ci.mean - ci.half_width);
      columns[c++].values.push_back(ci.mean + ci.half_width);
    }
  }
  return columns;
}

void write_csv(const std::string& path, const std::vector<Column>& columns) {
  CsvFile csv(path);
  std::vector<std::string> cells;
  for (const Column& column : columns) cells.push_back(column.name);
  csv.row(cells);
  for (std::size_t r = 0; r < columns.front().values.size(); ++r) {
    cells.clear();
    for (const Column& column : columns) cells.push_back(CsvFile::number(column.values[r]));
    csv.row(cells);
  }
  csv.close();
}

std::string interval_text(const engine::MeanInterval& ci) {
  if (std::isnan(ci.half_width)) return format_number(ci.mean) + " [n/a]";
  return fmt::format("{} [{}, {}]", format_number(ci.mean), format_number(ci.mean - ci.half_width),
                     format_number(ci.mean + ci.half_width));
}

void print_table(std::FILE* out, const std::vector<models::VarySpec>& axes,
                 const std::vector<models::SweepPoint>& points,
                 const std::vector<FinishedPoint>& finished) {
  std::vector<std::size_t> widths;
  fmt::print(out, "{:>5}", "point");
  for (const models::VarySpec& axis : axes) {
    widths.push_back(std::max<std::size_t>(10, axis.path.size()));
    fmt::print(out, "  {:>{}}", axis.path, widths.back());
  }
  fmt::print(out, "  {:>4}", "reps");
  for (const char* kpi : kHeadlineKpis) fmt::print(out, "  {:>34}", kpi);
  fmt::print(out, "\n");
  for (const FinishedPoint& p : finished) {
    fmt::print(out, "{:>5}", p.index);
    for (std::size_t d = 0; d < axes.size(); ++d)
      fmt::print(out, "  {:>{}}", fmt::format("{:.6g}", points[p.index].values[d]), widths[d]);
    fmt::print(out, "  {:>4}", p.replications);
    for (const char* kpi : kHeadlineKpis)
      for (const models::KpiRow& row : p.kpis)
        if (row.name == kpi) fmt::print(out, "  {:>34}", interval_text(row.interval));
    fmt::print(out, "\n");
  }
  fmt::print(out, "KPI mean [95% CI] over each point's replications; every KPI in /sweep/table\n");
}

engine::FileAdditions table_additions(const std::vector<Column>& columns) {
  engine::FileAdditions additions;
  std::vector<std::string> names;
  for (const Column& column : columns) {
    additions.datasets.push_back(
        {"sweep/table/" + column.name, {column.values.size()}, column.values});
    names.push_back(column.name);
  }
  additions.object_string_lists.push_back({"sweep/table", "columns", names});
  return additions;
}

std::string point_label(const std::vector<models::VarySpec>& axes,
                        const models::SweepPoint& point) {
  std::string label;
  for (std::size_t d = 0; d < axes.size(); ++d)
    label += fmt::format("{}{}={:.6g}", d ? " " : "", axes[d].path, point.values[d]);
  return label;
}

}  // namespace

int sweep_command(const Arguments& arguments) {
  po::options_description visible(
      "Usage: wfsim sweep SCENARIO.yaml --vary PATH=v1,v2,... [--vary PATH=lo:hi:n]... [options]\n"
      "       wfsim sweep SCENARIO.yaml --lhs N --vary PATH=lo:hi [--vary PATH=lo:hi]... "
      "[options]\n"
      "       wfsim sweep --resume OUT.h5 [-j THREADS] [-q] [--csv FILE]\n\n"
      "Runs the scenario at every point of the grid over all --vary (the first varies\n"
      "slowest), or at N points of a Latin hypercube over the ranges (each of the N\n"
      "equal strata of every range hit once; the sample drawn from a stream seeded by\n"
      "the seed, so it is reproducible). A point is the scenario with PATH=value as by\n"
      "`run --set`; every point runs with the same seed and replications (common random\n"
      "numbers). Writes each point to /points/<k> of one HDF5 file and /sweep/table,\n"
      "and prints per point the values and KPI means with 95% confidence intervals.\n\n"
      "Options");
  std::vector<std::string> varies;
  visible.add_options()("help,h", "show this help")(
      "vary", po::value<std::vector<std::string>>(&varies)->composing(),
      "PATH=v1,v2,... or PATH=lo:hi:n (grid), PATH=lo:hi (with --lhs); repeatable")(
      "lhs", po::value<std::int64_t>(), "Latin hypercube of N points over the --vary ranges");
  add_group_run_options(visible, "the scenario", "NAME_sweep.h5",
                        "also write the table (every KPI) to this CSV file");
  const auto parsed = parse_command_line(arguments, visible, {"scenario"});
  if (!parsed) return 0;  // --help
  const po::variables_map& vm = *parsed;
  std::optional<GroupRuns> runs;
  std::vector<models::VarySpec> axes;
  std::vector<models::SweepPoint> points;
  std::string scenario_name;
  bool lhs = false;
  if (vm.count("resume")) {
    refuse_options_with_resume(vm, "wfsim sweep", "scenario");
    const std::string path = vm["resume"].as<std::string>();
    runs.emplace(
        GroupRuns::resume(path, "sweep", threads_option(vm, "wfsim sweep"), vm.count("quiet") > 0));
    for (const std::string& varied :
         engine::read_string_list_attribute_of(path, "/", "varied_paths"))
      axes.push_back(models::VarySpec{varied, false, 0.0, 0.0, {}, {}});
    const std::vector<double> values = engine::read_float_dataset(path, "plan/point_values");
    points.resize(runs->plan().size());
    if (values.size() != points.size() * axes.size())
      throw engine::RuntimeError(path + ": /plan is damaged; the file cannot be resumed");
    for (std::size_t k = 0; k < points.size(); ++k)
      points[k].values.assign(values.begin() + k * axes.size(),
                              values.begin() + (k + 1) * axes.size());
    scenario_name = engine::read_string_attribute_of(path, "/", "scenario_name");
    lhs = engine::read_string_attribute_of(path, "/", "design") == "latin_hypercube";
  } else {
    if (!vm.count("scenario")) throw UsageError("wfsim sweep: a SCENARIO.yaml is required");
    if (varies.empty()) throw UsageError("wfsim sweep: at least one --vary PATH=... is required");
    const std::string file = vm["scenario"].as<std::string>();

    std::set<std::string> paths;
    for (const std::string& vary : varies) {
      axes.push_back(models::parse_vary(vary));
      if (!paths.insert(axes.back().path).second)
        throw UsageError("wfsim sweep: --vary " + axes.back().path + " is given twice");
    }
    const models::Scenario base = models::load_scenario_file(file);
    scenario_name = base.name;

    const GroupRunOptions options =
        group_run_options(vm, "wfsim sweep", base, base.name + "_sweep.h5");
    lhs = vm.count("lhs") > 0;
    if (lhs) {
      const std::int64_t n = vm["lhs"].as<std::int64_t>();
      if (n < 1) throw UsageError("wfsim sweep: --lhs N needs N >= 1");
      points = models::latin_hypercube(axes, static_cast<std::size_t>(n), options.seed);
    } else {
      points = models::grid_points(axes);
    }

    // Every point is loaded (and so validated) before anything runs.
    std::vector<PlannedRun> plan;
    std::vector<double> point_values;
    for (std::size_t k = 0; k < points.size(); ++k) {
      plan.push_back({fmt::format("points/{}", k), fmt::format("point {}", k),
                      models::load_scenario_file(file, models::point_overrides(axes, points[k]))});
      point_values.insert(point_values.end(), points[k].values.begin(), points[k].values.end());
    }

    engine::FileAdditions additions;
    additions.root_strings = {{"scenario_name", base.name},
                              {"design", lhs ? "latin_hypercube" : "grid"},
                              {"scenario_yaml", base.resolved_yaml}};
    std::vector<std::string> path_list;
    for (const models::VarySpec& axis : axes) path_list.push_back(axis.path);
    additions.root_string_lists = {{"varied_paths", path_list}};
    additions.root_counts = {
        {"seed", options.seed}, {"replications", options.replications}, {"points", points.size()}};
    additions.datasets.push_back(
        {"plan/point_values", {points.size(), axes.size()}, std::move(point_values)});
    if (lhs)
      additions.root_strings.push_back({"lhs_stream",
                                        "engine::RandomStream(mix64(seed ^ "
                                        "kLhsStreamKey)), models/sweep.h"});
    runs.emplace(options, "sweep", std::move(additions), std::move(plan));
  }
  const GroupRunOptions& options = runs->options();
  const std::string& output = options.output;

  std::vector<FinishedPoint> finished;
  for (std::size_t k = 0; k < points.size(); ++k) {
    std::optional<models::ExperimentReport> report = runs->run(k);
    if (!report) break;
    engine::FileAdditions values;
    for (std::size_t d = 0; d < axes.size(); ++d)
      values.object_floats.push_back({runs->plan()[k].group, axes[d].path, points[k].values[d]});
    engine::add_to_results_file(output, values);

    const engine::RunOutcome& outcome = report->outcome;
    if (!options.quiet)
      fmt::print(stderr, "point {}/{} ({}): {} of {} replications, {:.2f} s\n", k + 1,
                 points.size(), point_label(axes, points[k]), outcome.completed,
                 options.replications, outcome.wall_seconds);
    if (runs->stopped()) break;
    finished.push_back({k, outcome.completed, std::move(report->kpis)});
  }

  const std::vector<Column> columns = table_columns(axes, points, finished);
  engine::FileAdditions table = table_additions(columns);
  table.removals = {"sweep/table"};  // an interrupted run's, of fewer points
  engine::add_to_results_file(output, table);
  runs->finish();
  if (vm.count("csv")) write_csv(vm["csv"].as<std::string>(), columns);
  if (!options.quiet) {
    fmt::print("{}: {} points{}, {} replications each, seed {}\n", scenario_name, points.size(),
               lhs ? " (Latin hypercube)" : "", options.replications, options.seed);
    print_table(stdout, axes, points, finished);
    fmt::print("results: {}\n", output);
  }
  if (runs->stopped())
    fmt::print(stderr, "wfsim: interrupted; {} of {} points complete, kept in {}\n",
               finished.size(), points.size(), output);
  return runs->exit_code();
}

}  // namespace wfsim::cli
