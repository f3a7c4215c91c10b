// `wfsim sweep` (SPEC §3, §4): grid and Latin hypercube points, their
// results groups and /sweep/table, common random numbers across points, the
// CSV file, the rejections, determinism across thread counts and an
// interrupted sweep; `wfsim sensitivity`'s table, runs and rejections.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_harness.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/results_schema.h"
#include "wfsim/engine/statistics.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/sweep.h"

namespace fs = std::filesystem;
namespace schema = wfsim::engine::results_schema;
using namespace wfsim;
using namespace wfsim::testing::cli;

namespace {

std::vector<double> table_column(const fs::path& file, const std::string& column) {
  return engine::read_float_dataset(file.string(), "sweep/table/" + column);
}

std::vector<double> point_totals(const fs::path& file, int point, const std::string& kpi) {
  return engine::read_float_dataset(file.string(),
                                    "points/" + std::to_string(point) + "/totals/" + kpi);
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, separator)) out.push_back(cell);
  return out;
}

}  // namespace

namespace {
// Each case (extra arguments, a piece of the expected message) on the
// quick-start scenario exits with code 2 and writes no file.
void require_usage_errors(
    const std::string& command, const fs::path& out,
    const std::vector<std::pair<std::vector<std::string>, std::string>>& cases) {
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args = {command,     scenario("quickstart.yaml"), "-r", "2", "-o",
                                     out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const Outcome o = run_wfsim(args);
    INFO(o.output);
    CHECK(o.exit_code == 2);
    CHECK(o.output.find(message) != std::string::npos);
    CHECK(!fs::exists(out));
  }
}
}  // namespace

TEST_CASE("sweep runs every grid point into /points/<k> with its values and tabulates the KPIs",
          "[cli][sweep]") {
  const fs::path out = scratch_dir() / "sweep_grid.h5", csv = scratch_dir() / "sweep_grid.csv";
  const Outcome o =
      run_wfsim({"sweep", scenario("quickstart.yaml"), "--vary", "roles.picker.attrition=0.8,1.2",
                 "--vary", "roles.analyst.growth=0:0.4:3", "-r", "3", "-j", "2", "-o", out.string(),
                 "--force", "--csv", csv.string()});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  CHECK(o.output.find("quickstart: 6 points, 3 replications each, seed 42") != std::string::npos);
  CHECK(o.output.find("roles.picker.attrition") != std::string::npos);
  CHECK(o.output.find("point 6/6") != std::string::npos);

  CHECK(engine::read_string_attribute_of(out.string(), "/", "command") == "sweep");
  CHECK(engine::read_string_attribute_of(out.string(), "/", "design") == "grid");
  CHECK(engine::read_string_list_attribute_of(out.string(), "/", "varied_paths") ==
        std::vector<std::string>{"roles.picker.attrition", "roles.analyst.growth"});
  REQUIRE(engine::list_groups(out.string(), "points").size() == 6);
  const double attrition[] = {0.8, 0.8, 0.8, 1.2, 1.2, 1.2};
  const double growth[] = {0, 0.2, 0.4, 0, 0.2, 0.4};
  for (int k = 0; k < 6; ++k) {
    const std::string group = "points/" + std::to_string(k);
    CHECK(engine::read_float_attribute_of(out.string(), group, "roles.picker.attrition") ==
          Approx(attrition[k]));
    CHECK(engine::read_float_attribute_of(out.string(), group, "roles.analyst.growth") ==
          Approx(growth[k]).margin(1e-12));
    const auto run = engine::ResultsFile::open_existing(out.string(), group);
    CHECK(run.attributes().seed == 42);
    CHECK(run.attributes().replications_completed == 3);
    // The point's scenario is the scenario with the point's values.
    const std::string yaml = run.root_string_attribute(schema::kScenarioYaml);
    CHECK(yaml.find(attrition[k] == 0.8 ? "attrition: 0.8" : "attrition: 1.2") !=
          std::string::npos);
  }

  const Outcome info = run_wfsim({"info", out.string()});
  INFO(info.output);
  CHECK(info.exit_code == 0);
  CHECK(info.output.find("sweep over roles.picker.attrition, roles.analyst.growth (grid; 6 of 6 "
                         "points run") != std::string::npos);
  CHECK(info.output.find("point 5: roles.picker.attrition=1.2 roles.analyst.growth=0.4\n") !=
        std::string::npos);

  // Table means and CIs equal those of each point's /totals.
  CHECK(table_column(out, "point") == std::vector<double>{0, 1, 2, 3, 4, 5});
  CHECK(table_column(out, "roles.analyst.growth")[2] == Approx(0.4));
  CHECK(table_column(out, "replications") == std::vector<double>(6, 3.0));
  for (const char* kpi : models::kKpiNames) {
    const auto mean = table_column(out, std::string(kpi) + "_mean");
    const auto low = table_column(out, std::string(kpi) + "_ci_low");
    const auto high = table_column(out, std::string(kpi) + "_ci_high");
    for (int k = 0; k < 6; ++k) {
      const auto totals = point_totals(out, k, kpi);
      const engine::MeanInterval ci = engine::mean_ci95(totals.data(), totals.size());
      CHECK(mean[k] == ci.mean);
      CHECK(low[k] == ci.mean - ci.half_width);
      CHECK(high[k] == ci.mean + ci.half_width);
    }
  }
  const auto columns =
      engine::read_string_list_attribute_of(out.string(), "sweep/table", "columns");
  REQUIRE(columns.size() == 4 + 3 * models::kKpiNames.size());
  CHECK(columns[0] == "point");
  CHECK(columns[3] == "replications");

  // The CSV file: the same columns and values.
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  CHECK(split(line, ',') == columns);
  const auto cost = table_column(out, "total_cost_mean");
  int rows = 0;
  while (std::getline(in, line)) {
    const auto cells = split(line, ',');
    REQUIRE(cells.size() == columns.size());
    const auto at = std::find(columns.begin(), columns.end(), "total_cost_mean") - columns.begin();
    CHECK(std::stod(cells[at]) == Approx(cost[rows]).epsilon(1e-12));
    ++rows;
  }
  CHECK(rows == 6);
}

TEST_CASE("sweep points share their random numbers", "[cli][sweep][crn]") {
  // The automation wave is at 1.5 years: its size cannot change anything
  // before, so every point's trajectories agree up to then; identical values
  // give identical results.
  const fs::path out = scratch_dir() / "sweep_crn.h5";
  const Outcome o = run_wfsim({"sweep", scenario("quickstart.yaml"), "--vary",
                               "automation_waves.0.fraction=0.05,0.3,0.05", "-r", "3", "-j", "2",
                               "-o", out.string(), "--force", "-q"});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  const auto a = engine::read_float_dataset(out.string(), "points/0/trajectories/headcount");
  const auto b = engine::read_float_dataset(out.string(), "points/1/trajectories/headcount");
  const auto c = engine::read_float_dataset(out.string(), "points/2/trajectories/headcount");
  REQUIRE(a.size() == 3 * 37 * 3);
  CHECK(a == c);
  CHECK(a != b);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t t = 0; t < 18; ++t)  // up to 1.5 years (monthly snapshots)
      for (std::size_t role = 0; role < 3; ++role) {
        const std::size_t i = (r * 37 + t) * 3 + role;
        CHECK(a[i] == b[i]);
      }
  for (const char* kpi : models::kKpiNames)
    CHECK(point_totals(out, 0, kpi) == point_totals(out, 2, kpi));
}

TEST_CASE("sweep --lhs hits each of the N strata of every range once, reproducibly",
          "[cli][sweep][lhs]") {
  const std::vector<models::VarySpec> ranges = {
      models::parse_vary("roles.picker.attrition=0.5:1.5"),
      models::parse_vary("roles.analyst.growth=0:0.4")};
  for (std::size_t n : {1, 7, 50}) {
    const auto points = models::latin_hypercube(ranges, n, 42);
    REQUIRE(points.size() == n);
    for (std::size_t d = 0; d < ranges.size(); ++d) {
      std::set<long> strata;
      for (const auto& p : points) {
        const double x = (p.values[d] - ranges[d].low) / (ranges[d].high - ranges[d].low);
        CHECK(x >= 0.0);
        CHECK(x <= 1.0);
        strata.insert(static_cast<long>(std::floor(x * static_cast<double>(n))));
      }
      CHECK(strata.size() == n);
      CHECK(*strata.rbegin() == static_cast<long>(n) - 1);
    }
    const auto again = models::latin_hypercube(ranges, n, 42);
    for (std::size_t k = 0; k < n; ++k) CHECK(again[k].values == points[k].values);
  }
  CHECK(models::latin_hypercube(ranges, 7, 43)[0].values !=
        models::latin_hypercube(ranges, 7, 42)[0].values);

  const fs::path out = scratch_dir() / "sweep_lhs.h5";
  const Outcome o =
      run_wfsim({"sweep", scenario("quickstart.yaml"), "--lhs", "4", "--vary",
                 "roles.picker.attrition=0.5:1.5", "--vary", "roles.analyst.growth=0:0.4", "-r",
                 "2", "-o", out.string(), "--force"});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  CHECK(engine::read_string_attribute_of(out.string(), "/", "design") == "latin_hypercube");
  const auto expected = models::latin_hypercube(ranges, 4, 42);
  const auto attrition = table_column(out, "roles.picker.attrition");
  REQUIRE(attrition.size() == 4);
  for (int k = 0; k < 4; ++k) {
    CHECK(attrition[k] == expected[k].values[0]);
    CHECK(engine::read_float_attribute_of(out.string(), "points/" + std::to_string(k),
                                          "roles.analyst.growth") == expected[k].values[1]);
  }
}

TEST_CASE("sweep rejects bad --vary, unknown paths and values out of range with exit 2",
          "[cli][sweep]") {
  const fs::path out = scratch_dir() / "sweep_bad.h5";
  fs::remove(out);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--vary", "roles.picker.attrition"}, "no '='"},
      {{"--vary", "roles.picker.attrition=0.5,abc"}, "not a finite number"},
      {{"--vary", "roles.picker.attrition=1:0:3"}, "above hi"},
      {{"--vary", "roles.picker.attrition=0:1:1"}, "whole number from 2"},
      {{"--vary", "roles.picker.attrition=0:1"}, "for --lhs"},
      {{"--lhs", "3", "--vary", "roles.picker.attrition=0.5,1"}, "range PATH=lo:hi"},
      {{"--vary", "roles.nobody.attrition=0.5,1"}, "nobody"},
      {{"--vary", "roles.picker.attrition=-1,1"}, "attrition"},
      {{"--vary", "roles.picker.attrition=1,2", "--vary", "roles.picker.attrition=3"}, "twice"},
      {{}, "--vary"},
  };
  require_usage_errors("sweep", out, cases);
}

TEST_CASE("sweep gives the same results with 1 and 2 threads", "[cli][sweep]") {
  std::vector<fs::path> files;
  for (const std::string threads : {"1", "2"}) {
    files.push_back(scratch_dir() / ("sweep_j" + threads + ".h5"));
    const Outcome o = run_wfsim({"sweep", scenario("quickstart.yaml"), "--lhs", "2", "--vary",
                                 "roles.picker.attrition=0.8:1.2", "-r", "3", "-j", threads, "-o",
                                 files.back().string(), "--force", "-q"});
    INFO(o.output);
    REQUIRE(o.exit_code == 0);
  }
  for (const char* kpi : models::kKpiNames) {
    for (int k = 0; k < 2; ++k)
      CHECK(point_totals(files[0], k, kpi) == point_totals(files[1], k, kpi));
    CHECK(table_column(files[0], std::string(kpi) + "_mean") ==
          table_column(files[1], std::string(kpi) + "_mean"));
  }
  CHECK(engine::read_float_dataset(files[0].string(), "points/1/trajectories/payroll") ==
        engine::read_float_dataset(files[1].string(), "points/1/trajectories/payroll"));
}

TEST_CASE("SIGTERM during a sweep keeps every finished point and their table",
          "[cli][sweep][signals]") {
  const fs::path out = scratch_dir() / "sweep_interrupted.h5";
  const fs::path log = scratch_dir() / "sweep_interrupted.log";
  fs::remove(out);
  // 100 points of 40 replications take several seconds; the signal comes
  // well before the last.
  const pid_t pid =
      spawn({"sweep", scenario("quickstart.yaml"), "--vary", "roles.picker.attrition=1:1.1:100",
             "-r", "40", "-j", "2", "-o", out.string(), "-q"},
            log);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500 * kSanitizerSlowdown));
  REQUIRE(kill(pid, SIGTERM) == 0);
  const int code = wait_exit_code(pid);
  INFO(read_file(log));
  CHECK(code == 143);
  const auto point = table_column(out, "point");
  REQUIRE(!point.empty());
  CHECK(point.size() < 100);
  const auto mean = table_column(out, "total_cost_mean");
  for (std::size_t k = 0; k < point.size(); ++k) {
    CHECK(point[k] == static_cast<double>(k));
    const auto run =
        engine::ResultsFile::open_existing(out.string(), "points/" + std::to_string(k));
    CHECK(run.attributes().replications_completed == 40);
    const auto cost = run.read_series("totals/total_cost");
    CHECK(mean[k] == engine::mean_ci95(cost.data(), cost.size()).mean);
  }
}

TEST_CASE("sensitivity runs each path at -delta and +delta and tabulates the KPI means",
          "[cli][sensitivity]") {
  const fs::path out = scratch_dir() / "sensitivity.h5", csv = scratch_dir() / "sensitivity.csv";
  const Outcome o =
      run_wfsim({"sensitivity", scenario("quickstart.yaml"), "--path", "roles.picker.attrition",
                 "--path", "roles.picker.hiring.cost", "--delta", "0.2", "-r", "3", "-j", "2", "-o",
                 out.string(), "--force", "--csv", csv.string()});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  CHECK(o.output.find("quickstart: sensitivity to ±0.2 of 2 paths") != std::string::npos);
  CHECK(engine::read_string_attribute_of(out.string(), "/", "command") == "sensitivity");

  const auto table = [&](const std::string& column) {
    return engine::read_float_dataset(out.string(), "sensitivity/table/" + column);
  };
  CHECK(table("base_value") == std::vector<double>{1.0, 3000.0});
  CHECK(table("minus_value") == std::vector<double>{0.8, 2400.0});
  CHECK(table("plus_value")[1] == Approx(3600.0));
  const std::string runs = "sensitivity/runs/";
  const std::vector<std::pair<std::string, std::string>> groups = {
      {"minus", "roles.picker.attrition/minus"}, {"plus", "roles.picker.attrition/plus"}};
  for (const char* kpi : models::kKpiNames) {
    const auto base = engine::read_float_dataset(out.string(), runs + "base/totals/" + kpi);
    const double base_mean = engine::mean_ci95(base.data(), base.size()).mean;
    CHECK(table(std::string(kpi) + "_base") == std::vector<double>{base_mean, base_mean});
    for (const auto& [suffix, group] : groups) {
      const auto totals = engine::read_float_dataset(out.string(), runs + group + "/totals/" + kpi);
      CHECK(table(std::string(kpi) + "_" + suffix)[0] ==
            engine::mean_ci95(totals.data(), totals.size()).mean);
    }
  }
  // Common random numbers: the hiring cost changes costs, never what happens.
  for (const char* kpi : {"exits", "external_hires", "final_headcount"}) {
    const auto base = engine::read_float_dataset(out.string(), runs + "base/totals/" + kpi);
    CHECK(engine::read_float_dataset(
              out.string(), runs + "roles.picker.hiring.cost/minus/totals/" + kpi) == base);
    CHECK(engine::read_float_dataset(out.string(),
                                     runs + "roles.picker.hiring.cost/plus/totals/" + kpi) == base);
  }
  CHECK(table("hiring_cost_minus")[1] < table("hiring_cost_base")[1]);
  CHECK(table("hiring_cost_plus")[1] > table("hiring_cost_base")[1]);

  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  const auto header = split(line, ',');
  CHECK(header ==
        engine::read_string_list_attribute_of(out.string(), "sensitivity/table", "columns"));
  std::getline(in, line);
  CHECK(line.rfind("roles.picker.attrition,1,0.8,1.2,", 0) == 0);

  const Outcome info = run_wfsim({"info", out.string()});
  INFO(info.output);
  CHECK(info.exit_code == 0);
  CHECK(
      info.output.find("sensitivity to ±0.2 of roles.picker.attrition, roles.picker.hiring.cost") !=
      std::string::npos);
  CHECK(info.output.find("run roles.picker.hiring.cost/plus\n") != std::string::npos);
}

TEST_CASE("sensitivity rejects paths that are not numbers in the scenario with exit 2",
          "[cli][sensitivity]") {
  const fs::path out = scratch_dir() / "sensitivity_bad.h5";
  fs::remove(out);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--path", "roles.picker.growth"}, "does not set roles.picker.growth"},
      {{"--path", "roles.picker.tenure_multipliers"}, "not a single number"},
      {{"--path", "roles.nobody.attrition"}, "does not set roles.nobody"},
      {{"--path", "roles.picker.attrition", "--delta", "1.5"}, "--delta"},
      {{"--path", "roles.picker.attrition", "--path", "roles.picker.attrition"}, "twice"},
      {{}, "--path"},
  };
  require_usage_errors("sensitivity", out, cases);
}
