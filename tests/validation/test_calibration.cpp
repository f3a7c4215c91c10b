// The shipped scenarios reproduce the public figures they are calibrated to
// (scenarios/README.md lists the sources). Each scenario runs a few
// replications with its own seed. A figure the model should reproduce exactly
// in expectation (a growth factor, a turnover rate) is checked within 4
// standard errors; a figure the calibration only aims at (the pledge's
// 100,000 completions, the WEF shares) is checked against its stated band,
// and the Monte Carlo error of the mean must be small against that band so
// that passing says something about the scenario, not about luck.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "harness.h"
#include "wfsim/models/scenario_loader.h"

using namespace wfsim;
using namespace wfsim::models;
using wfsim::testing::check_within_4se;
using wfsim::testing::Estimate;
using wfsim::testing::estimate;
using wfsim::testing::Runs;

namespace {

Scenario shipped(const std::string& file) {
  return load_scenario_file(std::string(WFSIM_SCENARIO_DIR) + "/" + file);
}

int role_index(const Scenario& s, const std::string& id) {
  for (std::size_t r = 0; r < s.roles.size(); ++r)
    if (s.roles[r].id == id) return static_cast<int>(r);
  FAIL("no role " << id << " in " << s.name);
  return -1;
}

// The mean lies within ±half_width of the target, and 4 standard errors of
// the mean take at most a quarter of the band.
void check_within_band(const Estimate& e, double target, double half_width,
                       const std::string& what) {
  INFO(what << ": mean " << e.mean << ", target " << target << " ± " << half_width << ", SE "
            << e.standard_error);
  REQUIRE(4.0 * e.standard_error <= 0.25 * half_width);
  CHECK(std::fabs(e.mean - target) <= half_width);
}

// The six-year Amazon baseline, run once for the tests that read it.
const Runs& amazon_baseline() {
  static const Scenario s = shipped("amazon_baseline_2019.yaml");
  static const Runs runs(s, 6, s.seed);
  return runs;
}

}  // namespace

TEST_CASE("the baseline's growth roles grow by the published five-year factors", "[calibration]") {
  // Amazon press release 2019: +832%, +505%, +454%, +229%, +160% over five
  // years, and +400% for skilled fulfilment roles. No automation hits these
  // roles, so the expected positions after five years are exactly the factor
  // times the initial ones.
  const Runs& runs = amazon_baseline();
  const Scenario& s = runs.model().scenario();
  const int year5 = runs.snapshot_at(5.0);
  const std::vector<std::pair<std::string, double>> factors = {
      {"data_mapping_specialist", 9.32}, {"data_scientist", 6.05},  {"solutions_architect", 5.54},
      {"security_engineer", 3.29},       {"business_analyst", 2.6}, {"skilled_fulfilment", 5.0}};
  for (const auto& [id, factor] : factors) {
    const int r = role_index(s, id);
    check_within_4se(estimate(runs.size(),
                              [&](std::size_t i) {
                                return runs.role_metric(i, kPositions, year5, r) /
                                       runs.role_metric(i, kPositions, 0, r);
                              }),
                     factor, id + ": positions at year 5 over year 0");
  }
}

TEST_CASE("the baseline's fulfilment turnover is the cited 150% a year", "[calibration]") {
  // NYT 2021: hourly turnover ~150% a year, i.e. exits / average number
  // employed per year. The average is the trapezoidal integral of the role's
  // employees (position holders and the few displaced waiting for a vacancy,
  // who are exposed to attrition too) over the monthly snapshots.
  const Runs& runs = amazon_baseline();
  const Scenario& s = runs.model().scenario();
  const int r = role_index(s, "fc_associate");
  const int last = runs.snapshot_at(s.horizon_years);
  const double dt = 1.0 / s.snapshots_per_year;
  check_within_4se(estimate(runs.size(),
                            [&](std::size_t i) {
                              double person_years = 0.0;
                              for (int k = 1; k <= last; ++k)
                                person_years += 0.5 * dt *
                                                (runs.role_metric(i, kEmployees, k - 1, r) +
                                                 runs.role_metric(i, kEmployees, k, r));
                              return runs.cumulative(i, kExits, last, r) / person_years;
                            }),
                   1.5, "fulfilment exits per employee-year");
}

TEST_CASE("the pledge trains about 100,000 employees for its $700M, about $7,000 each",
          "[calibration]") {
  // Upskilling 2025 FAQ: $700M to upskill 100,000 US employees by 2025;
  // press coverage: ~$7,000 per employee. Bands of ±10%.
  const Scenario s = shipped("amazon_upskilling_2025.yaml");
  REQUIRE((s.budget && s.budget->total && *s.budget->total == 700e6));
  const Runs runs(s, 3, s.seed);
  const auto completions = [&](std::size_t i) { return runs.kpi(i, kKpiCompletions); };
  const auto spend = [&](std::size_t i) { return runs.kpi(i, kKpiProgramSpend); };
  check_within_band(estimate(runs.size(), completions), 100000.0, 10000.0,
                    "completions over six years");
  check_within_band(estimate(runs.size(), spend), 700e6, 70e6, "program spend");
  check_within_band(estimate(runs.size(), [&](std::size_t i) { return spend(i) / completions(i); }),
                    7000.0, 700.0, "cost per completion");
  for (std::size_t i = 0; i < runs.size(); ++i) CHECK(spend(i) <= *s.budget->total);
}

TEST_CASE(
    "in the WEF 2020 employer redundant roles hold 9% and emerging roles 13.5% of positions "
    "by 2025",
    "[calibration]") {
  // WEF Future of Jobs 2020: redundant roles 15.4% -> 9%, emerging roles
  // 7.8% -> 13.5% of the workforce from 2020 to 2025; bands of ±1 point.
  const Scenario s = shipped("wef_future_of_jobs_2020.yaml");
  const Runs runs(s, 20, s.seed);
  const std::vector<std::string> redundant = {"data_entry_clerk", "administrative_secretary",
                                              "accounting_clerk", "customer_information_clerk"};
  const std::vector<std::string> emerging = {"data_analyst",
                                             "ai_ml_specialist",
                                             "digital_marketing_specialist",
                                             "process_automation_specialist",
                                             "software_developer",
                                             "information_security_analyst"};
  const auto share = [&](const std::vector<std::string>& group, int k) {
    return [&runs, &s, group, k](std::size_t i) {
      double in_group = 0.0, total = 0.0;
      for (std::size_t r = 0; r < s.roles.size(); ++r) {
        const double positions = runs.role_metric(i, kPositions, k, static_cast<int>(r));
        total += positions;
        for (const std::string& id : group)
          if (s.roles[r].id == id) in_group += positions;
      }
      return in_group / total;
    };
  };
  // The groups start where the report says.
  CHECK(share(redundant, 0)(0) == Approx(0.154).margin(1e-9));
  CHECK(share(emerging, 0)(0) == Approx(0.078).margin(1e-9));
  const int year5 = runs.snapshot_at(5.0);
  check_within_band(estimate(runs.size(), share(redundant, year5)), 0.09, 0.01,
                    "redundant roles' share of positions at year 5");
  check_within_band(estimate(runs.size(), share(emerging, year5)), 0.135, 0.01,
                    "emerging roles' share of positions at year 5");
}

TEST_CASE("mentoring at scale reaches about 179,000 distinct mentees", "[calibration]") {
  // Chronus / BenefitNews: Amazon's mentoring grew to more than 179,000
  // users; band of ±10%.
  const Scenario s = shipped("mentoring_at_scale.yaml");
  const Runs runs(s, 3, s.seed);
  check_within_band(
      estimate(runs.size(), [&](std::size_t i) { return runs.kpi(i, kKpiDistinctMentees); }),
      179000.0, 17900.0, "distinct mentees over six years");
}
