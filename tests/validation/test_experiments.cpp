// The experiments of several runs through the library
// (models/experiments): the tables it returns are those its files hold, a
// plan stopped after a run and resumed gives the tables and datasets of an
// uninterrupted one, and the runs take the cluster and the test hooks from
// the RunContext they are given, never from the environment.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "h5_compare.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/experiments/compare.h"
#include "wfsim/models/experiments/sensitivity.h"
#include "wfsim/models/experiments/sweep.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace fs = std::filesystem;
using namespace wfsim;
using namespace wfsim::models::experiments;
using wfsim::testing::cli::scenario;
using wfsim::testing::cli::scratch_dir;

namespace {

PlanSettings plan_into(const std::string& name, std::size_t replications = 3) {
  PlanSettings plan;
  plan.output_path = (scratch_dir() / (name + ".h5")).string();
  plan.overwrite = true;
  plan.replications = replications;
  plan.seed = 7;
  return plan;
}

SweepSettings grid_sweep(const std::string& name) {
  SweepSettings settings;
  settings.scenario_file = scenario("quickstart.yaml");
  settings.base = models::load_scenario_file(settings.scenario_file);
  settings.axes = {models::parse_vary("roles.picker.attrition=0.8,1.2"),
                   models::parse_vary("roles.analyst.growth=0:0.4:2")};
  settings.plan = plan_into(name);
  return settings;
}

SensitivitySettings sensitivity_of(const std::string& name) {
  SensitivitySettings settings;
  settings.scenario_file = scenario("quickstart.yaml");
  settings.base = models::load_scenario_file(settings.scenario_file);
  settings.paths = {"roles.picker.attrition", "roles.picker.hiring.cost"};
  settings.delta = 0.2;
  settings.plan = plan_into(name);
  return settings;
}

RunControls two_threads() {
  RunControls controls;
  controls.threads = 2;
  return controls;
}

// Controls whose stop flag turns true once the first run of the plan ends:
// the next run does not start.
RunControls stopping_after_first_run(std::atomic<bool>& stop) {
  RunControls controls = two_threads();
  controls.stop = &stop;
  controls.on_run_end = [&stop](std::size_t, const models::ExperimentReport&) { stop = true; };
  return controls;
}

double complete(const std::string& path) {
  return engine::read_float_attribute_of(path, "/", "complete");
}

// Every column of `columns` is the dataset `group`/<name> of the file, bit
// for bit, in the order of the group's `columns` attribute (after `skip`
// string columns).
void require_columns_in_file(const std::vector<TableColumn>& columns, const std::string& path,
                             const std::string& group, std::size_t skip = 0) {
  const auto names = engine::read_string_list_attribute_of(path, group, "columns");
  REQUIRE(names.size() == columns.size() + skip);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    INFO(columns[c].name);
    CHECK(names[c + skip] == columns[c].name);
    const std::vector<double> stored =
        engine::read_float_dataset(path, group + "/" + columns[c].name);
    REQUIRE(stored.size() == columns[c].values.size());
    for (std::size_t r = 0; r < stored.size(); ++r)
      CHECK(std::memcmp(&stored[r], &columns[c].values[r], sizeof(double)) == 0);
  }
}

void require_same_columns(const std::vector<TableColumn>& a, const std::vector<TableColumn>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t c = 0; c < a.size(); ++c) {
    INFO(a[c].name);
    CHECK(a[c].name == b[c].name);
    REQUIRE(a[c].values.size() == b[c].values.size());
    CHECK(std::memcmp(a[c].values.data(), b[c].values.data(),
                      a[c].values.size() * sizeof(double)) == 0);
  }
}

}  // namespace

TEST_CASE("a sweep's table as the library returns it is the /sweep/table of its file",
          "[experiments][sweep]") {
  Sweep sweep = Sweep::create(grid_sweep("library_sweep"));
  const std::string path = sweep.runs().settings().output_path;
  CHECK(sweep.points().size() == 4);
  const SweepTable table = sweep.run(two_threads());
  CHECK_FALSE(sweep.runs().stopped());
  CHECK(table.point == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(table.replications == std::vector<std::size_t>(4, 3));
  CHECK(table.values[1] == std::vector<double>{0, 0.4, 0, 0.4});
  REQUIRE(table.kpis.size() == models::kKpiNames.size());
  require_columns_in_file(table_columns(table), path, "sweep/table");
  CHECK(complete(path) == 1.0);
}

TEST_CASE(
    "a sweep stopped after its first point and resumed through the library gives the table "
    "and datasets of an uninterrupted sweep",
    "[experiments][sweep][resume]") {
  const SweepTable whole = Sweep::create(grid_sweep("library_sweep_whole")).run(two_threads());

  std::atomic<bool> stop{false};
  Sweep stopped = Sweep::create(grid_sweep("library_sweep_stopped"));
  const std::string path = stopped.runs().settings().output_path;
  const SweepTable part = stopped.run(stopping_after_first_run(stop));
  CHECK(stopped.runs().stopped());
  CHECK(stopped.runs().finished_runs() == 1);
  CHECK(part.point == std::vector<std::size_t>{0});
  require_columns_in_file(table_columns(part), path, "sweep/table");
  CHECK(complete(path) == 0.0);

  Sweep resumed = Sweep::resume(path);
  CHECK(resumed.runs().resuming());
  CHECK(resumed.varied_paths() == whole.varied_paths);
  const SweepTable finished = resumed.run(two_threads());
  CHECK_FALSE(resumed.runs().stopped());
  require_same_columns(table_columns(finished), table_columns(whole));
  require_columns_in_file(table_columns(finished), path, "sweep/table");
  wfsim::testing::require_same_datasets((scratch_dir() / "library_sweep_whole.h5").string(), path);
  CHECK(complete(path) == 1.0);
}

TEST_CASE("a comparison's table as the library returns it is the /comparison of its file",
          "[experiments][compare]") {
  ComparisonSettings settings;
  settings.scenarios =
      load_compared_scenarios({scenario("quickstart.yaml"), scenario("quickstart_training.yaml")});
  settings.plan = plan_into("library_compare", 4);
  Comparison comparison = Comparison::create(std::move(settings));
  const std::string path = comparison.runs().settings().output_path;
  CHECK(comparison.names() == std::vector<std::string>{"quickstart", "quickstart_training"});
  const ComparisonTable table = comparison.run(two_threads());
  CHECK(table.base == "quickstart");
  REQUIRE(table.policies.size() == 1);
  const models::PolicyComparison& policy = table.policies[0];
  CHECK(policy.pairs == 4);
  for (const models::KpiComparison& kpi : policy.kpis) {
    INFO(kpi.name);
    const auto stored =
        engine::read_float_dataset(path, "comparison/quickstart_training/" + kpi.name);
    REQUIRE(stored.size() == kpi.differences.size());
    CHECK(std::memcmp(stored.data(), kpi.differences.data(), stored.size() * sizeof(double)) == 0);
  }
  const auto roi = engine::read_float_dataset(path, "comparison/quickstart_training/roi");
  REQUIRE(roi.size() == 3);
  const std::vector<double> returned = {policy.roi.ratio.estimate, policy.roi.ratio.low,
                                        policy.roi.ratio.high};
  CHECK(std::memcmp(roi.data(), returned.data(), 3 * sizeof(double)) == 0);
  CHECK(complete(path) == 1.0);
}

TEST_CASE(
    "a sensitivity analysis resumed through the library gives the table of an "
    "uninterrupted one, and the file holds what the library returns",
    "[experiments][sensitivity][resume]") {
  Sensitivity uninterrupted = Sensitivity::create(sensitivity_of("library_sensitivity_whole"));
  CHECK(uninterrupted.base_values() == std::vector<double>{1.0, 3000.0});
  const SensitivityTable whole = uninterrupted.run(two_threads());
  CHECK(whole.paths == uninterrupted.paths());
  require_columns_in_file(table_columns(whole), uninterrupted.runs().settings().output_path,
                          "sensitivity/table", 1);

  std::atomic<bool> stop{false};
  Sensitivity stopped = Sensitivity::create(sensitivity_of("library_sensitivity_stopped"));
  const std::string path = stopped.runs().settings().output_path;
  const SensitivityTable part = stopped.run(stopping_after_first_run(stop));
  CHECK(part.paths.empty());  // only the base ran
  CHECK(part.base_means.size() == models::kKpiNames.size());

  Sensitivity resumed = Sensitivity::resume(path);
  CHECK(resumed.delta() == 0.2);
  CHECK(resumed.base_values() == uninterrupted.base_values());
  const SensitivityTable finished = resumed.run(two_threads());
  CHECK(finished.paths == whole.paths);
  CHECK(engine::read_string_dataset(path, "sensitivity/table/path") == whole.paths);
  require_same_columns(table_columns(finished), table_columns(whole));
  require_columns_in_file(table_columns(finished), path, "sensitivity/table", 1);
  CHECK(complete(path) == 1.0);
}

TEST_CASE("a file of one experiment is not resumed as another", "[experiments][resume]") {
  const SweepSettings settings = grid_sweep("library_sweep_kind");
  Sweep::create(settings);
  CHECK_THROWS_AS(Comparison::resume(settings.plan.output_path), engine::InputError);
  CHECK_THROWS_AS(Sensitivity::resume(settings.plan.output_path), engine::InputError);
}

TEST_CASE(
    "a replication fails on purpose only when the RunContext names it, never from the "
    "environment",
    "[experiments][failure]") {
  const models::WorkforceModel model(models::load_scenario_file(scenario("quickstart.yaml")));
  models::ExperimentSettings settings;
  settings.output_path = (scratch_dir() / "library_hook.h5").string();
  settings.overwrite = true;
  settings.replications = 4;
  settings.seed = 3;
  settings.threads = 1;
  setenv("WFSIM_FAIL_REPLICATION", "2", 1);
  const models::ExperimentReport unhooked = models::run_experiment(model, settings);
  unsetenv("WFSIM_FAIL_REPLICATION");
  CHECK(unhooked.outcome.failures.empty());
  CHECK(unhooked.outcome.completed == 4);

  settings.context.failing_replication = 2;
  const models::ExperimentReport hooked = models::run_experiment(model, settings);
  REQUIRE(hooked.outcome.failures.size() == 1);
  CHECK(hooked.outcome.failures.begin()->first == 2);
  CHECK(hooked.committed == std::vector<std::uint8_t>{1, 1, 0, 1});
  CHECK(engine::ResultsFile::open_existing(settings.output_path).attributes().ranks == 1);
}
