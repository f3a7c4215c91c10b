// Uncertain parameters in simulated replications (SPEC §1, §4): each
// replication simulates its own draws, and the results file stores them.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "harness.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/models/experiment.h"
#include "wfsim/models/scenario_loader.h"
#include "wfsim/models/uncertainty.h"

namespace {

namespace fs = std::filesystem;
using wfsim::models::load_scenario_file;
using wfsim::models::load_scenario_text;
using wfsim::models::Override;
using wfsim::models::parameter_values;
using wfsim::models::Scenario;
using wfsim::models::WorkforceModel;

std::size_t index_of(const Scenario& s, const std::string& path) {
  for (std::size_t i = 0; i < s.uncertain_parameters.size(); ++i)
    if (s.uncertain_parameters[i].path == path) return i;
  FAIL("no uncertain parameter " << path);
  return 0;
}

}  // namespace

TEST_CASE("each replication simulates its own draws: exits follow the drawn attrition",
          "[validation][uncertain]") {
  // Pure attrition without hiring or backfill: a replication that draws
  // headcount N and attrition h has Binomial(N, 1 − e^−h) exits in year one.
  const Scenario s = load_scenario_text(R"(wfsim: 1
name: uncertain-attrition
horizon_years: 1
snapshots_per_year: 1
roles:
  - id: a
    headcount: {uncertain: {dist: uniform, min: 800, max: 1200}}
    attrition: {uncertain: {dist: uniform, min: 0.1, max: 1.0}}
    backfill: false
    hiring: {enabled: false}
)",
                                        "attrition.yaml");
  constexpr std::size_t n = 40;
  constexpr std::uint64_t seed = 31;
  const wfsim::testing::Runs runs(s, n, seed);
  const std::size_t headcount = index_of(s, "roles.a.headcount");
  const std::size_t attrition = index_of(s, "roles.a.attrition");
  const std::size_t series = runs[0].series.size();
  double lowest = 1.0, highest = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<double> v = parameter_values(s, seed, i);
    const double N = v[headcount], h = v[attrition];
    lowest = std::min(lowest, h);
    highest = std::max(highest, h);
    INFO("replication " << i << ": N = " << N << ", h = " << h);
    CHECK(runs.role_metric(i, wfsim::models::kHeadcount, 0) == N);
    const double p = 1.0 - std::exp(-h);
    const double exits = runs.role_metric(i, wfsim::models::kExits, 1);
    CHECK(std::fabs(exits - N * p) <= 4.0 * std::sqrt(N * p * (1.0 - p)));
    // The draws travel with the replication's series, last, in dataset order.
    CHECK(runs[i].series[series - 2] == std::vector<double>{N});
    CHECK(runs[i].series[series - 1] == std::vector<double>{h});
  }
  // The check would be vacuous if the draws barely varied.
  CHECK(highest - lowest > 0.5);
}

TEST_CASE("an uncertain parameter with a fixed DIST simulates bit for bit as the plain number",
          "[validation][uncertain]") {
  const std::string quickstart = std::string(WFSIM_SCENARIO_DIR) + "/quickstart.yaml";
  const Scenario plain = load_scenario_file(quickstart);
  const Scenario fixed = load_scenario_file(
      quickstart, {Override{"roles.picker.attrition", "{uncertain: 1.0}"},
                   Override{"roles.analyst.headcount", "{uncertain: {dist: fixed, value: 100}}"},
                   Override{"automation_waves.0.fraction", "{uncertain: 0.10}"}});
  REQUIRE(fixed.uncertain_parameters.size() == 3);
  const WorkforceModel a(plain), b(fixed);
  wfsim::models::SimulationOptions options;
  options.trace = true;
  for (std::size_t r = 0; r < 3; ++r) {
    const auto x = a.simulate(42, r, options);
    const auto y = b.simulate(42, r, options);
    REQUIRE(y.series.size() == x.series.size() + 3);
    CHECK(std::equal(x.series.begin(), x.series.end(), y.series.begin()));
    CHECK(x.events == y.events);
    REQUIRE(x.trace.size() == y.trace.size());
    for (std::size_t k = 0; k < x.trace.size(); ++k) {
      CHECK(x.trace[k].time == y.trace[k].time);
      CHECK(x.trace[k].agent == y.trace[k].agent);
      CHECK(x.trace[k].event == y.trace[k].event);
      CHECK(x.trace[k].role == y.trace[k].role);
    }
  }
}

TEST_CASE("the results file stores every replication's draws under /parameters",
          "[validation][uncertain][h5]") {
  const Scenario s = load_scenario_text(R"(wfsim: 1
name: uncertain-file
horizon_years: 1
roles:
  - id: a
    headcount: {uncertain: {dist: uniform, min: 80, max: 120}}
    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}, shared: economy}
  - id: b
    headcount: 50
    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}, shared: economy}
  - id: c
    headcount: 50
    attrition: {uncertain: {dist: lognormal, mean: 0.2, sd: 0.05}, shared: economy}
)",
                                        "file.yaml");
  const fs::path dir =
      fs::temp_directory_path() / ("wfsim_uncertain_h5_" + std::to_string(getpid()));
  fs::create_directories(dir);
  wfsim::models::ExperimentSettings settings;
  settings.output_path = (dir / "out.h5").string();
  settings.replications = 12;
  settings.seed = 8;
  settings.threads = 1;
  settings.overwrite = true;
  const WorkforceModel model(s);
  const auto report = wfsim::models::run_experiment(model, settings);
  REQUIRE(report.outcome.completed == 12);

  const auto file = wfsim::engine::ResultsFile::open_existing(settings.output_path);
  std::vector<std::string> names;
  for (const auto& spec : file.layout().series)
    if (spec.path.rfind("parameters/", 0) == 0) names.push_back(spec.path);
  // a and b share a NAME and a DIST: stored once, under the NAME; c shares
  // the NAME with another DIST, so its own values are kept under its PATH.
  CHECK(names == std::vector<std::string>{"parameters/roles.a.headcount", "parameters/economy",
                                          "parameters/roles.c.attrition"});
  const auto headcount = file.read_series("parameters/roles.a.headcount");
  const auto economy = file.read_series("parameters/economy");
  const auto c = file.read_series("parameters/roles.c.attrition");
  const auto trajectories = file.read_series("trajectories/headcount");
  REQUIRE(economy.size() == 12);
  for (std::size_t r = 0; r < 12; ++r) {
    const std::vector<double> v = parameter_values(s, 8, r);
    CHECK(headcount[r] == v[index_of(s, "roles.a.headcount")]);
    CHECK(economy[r] == v[index_of(s, "roles.a.attrition")]);
    CHECK(economy[r] == v[index_of(s, "roles.b.attrition")]);
    CHECK(c[r] == v[index_of(s, "roles.c.attrition")]);
    // The simulation used them: the initial headcount is the drawn one.
    CHECK(trajectories[r * model.snapshot_count() * 3] == headcount[r]);
  }
  for (const auto& spec : file.layout().series) {
    if (spec.path != "parameters/economy") continue;
    CHECK(spec.summary_path.empty());
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"distribution", "{dist: uniform, min: 0.1, max: 0.3}"},
        {"paths", "roles.a.attrition, roles.b.attrition"},
        {"rounding", "none"}};
    CHECK(spec.attributes == expected);
  }

  // Without uncertain parameters there is no /parameters at all.
  const WorkforceModel plain(load_scenario_text(
      "wfsim: 1\nname: plain\nhorizon_years: 1\nroles: [{id: a, headcount: 10}]\n", "plain.yaml"));
  for (const auto& spec : plain.output_layout().series)
    CHECK(spec.path.rfind("parameters/", 0) != 0);
  fs::remove_all(dir);
}
