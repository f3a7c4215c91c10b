// Accounting identities (SPEC §4) on every snapshot of every replication of a
// scenario that exercises every process, plus behaviour of the vacancy-
// filling order and of common random numbers.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace wfsim;
using namespace wfsim::models;
using wfsim::testing::make_role;
using wfsim::testing::make_scenario;
using wfsim::testing::Runs;

namespace {

Scenario busy_scenario() {
  Role picker = make_role("picker", 400, 1.0);
  picker.tenure_multipliers = {{0.0, 2.0}, {0.5, 1.0}};
  picker.initial_tenure_years.kind = Distribution::Kind::exponential;
  picker.initial_tenure_years.mean = 1.0;
  picker.automation = engine::PiecewiseConstant({0.0, 1.0}, {0.05, 0.2});
  picker.hiring.time_to_fill_months = 1.0;
  picker.transfers = {{"analyst", engine::PiecewiseConstant(0.05)},
                      {"lead", engine::PiecewiseConstant(0.02)}};
  Role analyst = make_role("analyst", 50, 0.2);
  analyst.vacancies = 10;
  analyst.growth = engine::PiecewiseConstant(0.3);
  analyst.hiring.time_to_fill_months = 4.0;
  analyst.automation = engine::PiecewiseConstant(0.1);
  Role lead = make_role("lead", 40, 0.3);
  lead.backfill = false;
  lead.new_positions_per_year = engine::PiecewiseConstant(5.0);
  lead.hiring.enabled = false;
  Scenario s = make_scenario(3.0, 12, {picker, analyst, lead});
  s.displacement.redeployment_window_months = 2.0;
  s.automation_waves.push_back({1.5, "picker", 0.2});
  s.automation_waves.push_back({2.0, "analyst", 0.5});
  return s;
}

}  // namespace

TEST_CASE("positions, employees and flows balance on every snapshot", "[validation][accounting]") {
  const Runs runs(busy_scenario(), 40, 11);
  const int T = runs.model().snapshot_count();
  const int R = 3;
  double transfers = 0.0, layoffs = 0.0, redeployed = 0.0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (int k = 0; k < T; ++k) {
      for (int r = 0; r < R; ++r) {
        REQUIRE(runs.role_metric(i, kPositions, k, r) ==
                runs.role_metric(i, kHeadcount, k, r) + runs.role_metric(i, kVacancies, k, r));
        REQUIRE(runs.role_metric(i, kEmployees, k, r) >=
                runs.role_metric(i, kHeadcount, k, r) + runs.role_metric(i, kDisplaced, k, r));
      }
      if (k > 0) wfsim::testing::require_flow_identities(runs, i, k);
    }
    for (int r = 0; r < R; ++r) {
      transfers += runs.cumulative(i, kTransfersOut, T - 1, r);
      layoffs += runs.cumulative(i, kLayoffs, T - 1, r);
      redeployed += runs.cumulative(i, kInternalFills, T - 1, r);
    }
    // Totals are the sums of the flows.
    double exits_total = 0.0;
    for (int r = 0; r < R; ++r) exits_total += runs.cumulative(i, kExits, T - 1, r);
    REQUIRE(runs.kpi(i, kKpiExits) == exits_total);
    REQUIRE(runs.kpi(i, kKpiTotalCost) == runs.kpi(i, kKpiHiringCost) +
                                              runs.kpi(i, kKpiSeveranceCost) +
                                              runs.kpi(i, kKpiVacancyCost));
  }
  // The scenario really exercised transfers, layoffs and internal fills.
  CHECK(transfers > 0);
  CHECK(layoffs > 0);
  CHECK(redeployed > transfers);
}

TEST_CASE("displaced workers take open vacancies first, the rest are laid off when the window ends",
          "[validation][accounting]") {
  // 10 filled and 5 open positions, no hiring, no attrition: a wave removes
  // every filled position at t = 1; five are redeployed at once into the open
  // positions and five wait three months, then are laid off.
  Role role = make_role("worker", 10, 0.0);
  role.vacancies = 5;
  role.hiring.enabled = false;
  role.severance = 1000;
  Scenario s = make_scenario(2.0, 4, {role});
  s.displacement.redeployment_window_months = 3.0;
  s.automation_waves.push_back({1.0, "worker", 1.0});
  const Runs runs(s, 3, 5);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const int wave = runs.snapshot_at(1.0), end = runs.snapshot_at(1.25);
    CHECK(runs.role_metric(i, kJobsDestroyed, wave) == 10);
    CHECK(runs.role_metric(i, kInternalFills, wave) == 5);
    CHECK(runs.role_metric(i, kHeadcount, wave) == 5);
    CHECK(runs.role_metric(i, kVacancies, wave) == 0);
    CHECK(runs.role_metric(i, kDisplaced, wave) == 5);
    CHECK(runs.role_metric(i, kEmployees, wave) == 10);
    CHECK(runs.role_metric(i, kLayoffs, wave) == 0);
    CHECK(runs.role_metric(i, kLayoffs, end) == 5);
    CHECK(runs.role_metric(i, kDisplaced, end) == 0);
    CHECK(runs.kpi(i, kKpiSeveranceCost) == 5000);
  }
}

TEST_CASE("a pool worker is redeployed into a vacancy that opens during the window",
          "[validation][accounting]") {
  // A wave displaces all 10 workers at t = 1 with no vacancy open; from
  // t = 1.25 new positions open (about 1,000 a year, no external hiring), and
  // the six-month window lets every pool worker take one: nobody is laid off.
  Role role = make_role("worker", 10, 0.0);
  role.hiring.enabled = false;
  role.new_positions_per_year = engine::PiecewiseConstant({0.0, 1.25}, {0.0, 1000.0});
  Scenario s = make_scenario(2.0, 4, {role});
  s.displacement.redeployment_window_months = 6.0;
  s.automation_waves.push_back({1.0, "worker", 1.0});
  const Runs runs(s, 3, 8);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    CHECK(runs.role_metric(i, kDisplaced, runs.snapshot_at(1.0)) == 10);
    CHECK(runs.role_metric(i, kInternalFills, runs.snapshot_at(1.0)) == 0);
    CHECK(runs.role_metric(i, kDisplaced, runs.snapshot_at(1.5)) == 0);
    CHECK(runs.cumulative(i, kInternalFills, runs.snapshot_at(1.5)) == 10);
    CHECK(runs.kpi(i, kKpiLayoffs) == 0);
    CHECK(runs.kpi(i, kKpiExternalHires) == 0);
  }
}

TEST_CASE("with hiring off, displaced workers fill the role's vacancies and nobody is hired",
          "[validation][accounting]") {
  // Automation displaces workers while attrition keeps opening vacancies;
  // with hiring off, every vacancy of the role is filled from inside.
  Role role = make_role("worker", 500, 0.5);
  role.automation = engine::PiecewiseConstant(0.5);
  role.hiring.enabled = false;
  Scenario s = make_scenario(2.0, 12, {role});
  s.displacement.redeployment_window_months = 6.0;
  const Runs runs(s, 20, 6);
  double internal = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    internal += runs.kpi(i, kKpiInternalFills);
    CHECK(runs.kpi(i, kKpiExternalHires) == 0);
  }
  CHECK(internal > 0);
}

TEST_CASE("a replication is a pure function of (scenario, seed, replication)", "[validation]") {
  const WorkforceModel model(busy_scenario());
  const auto a = model.simulate(9, 4, {});
  const auto b = model.simulate(9, 4, {});
  const auto c = model.simulate(9, 5, {});
  REQUIRE(a.series == b.series);
  REQUIRE(a.events == b.events);
  REQUIRE(a.series != c.series);
}

TEST_CASE("a policy that differs only from year y on leaves every earlier snapshot identical",
          "[validation][crn]") {
  const Scenario base = busy_scenario();
  Scenario wave_later = base;
  wave_later.automation_waves.push_back({2.5, "picker", 0.3});
  Scenario attrition_later = base;
  attrition_later.roles[0].attrition = engine::PiecewiseConstant({0.0, 2.5}, {1.0, 1.5});
  Scenario hiring_slower_later = base;
  hiring_slower_later.roles[2].new_positions_per_year =
      engine::PiecewiseConstant({0.0, 2.5}, {5.0, 20.0});
  // Programs and mentoring whose windows open at 2.5.
  Scenario program_later = base;
  {
    Program retrain = wfsim::testing::make_program("retrain", Program::Type::reskilling,
                                                   {"picker", "lead"}, 0.4, 4.0);
    retrain.target_roles = {{"analyst", 1.0}};
    retrain.accepts_displaced = true;
    retrain.full_time = true;
    retrain.active_years.from = 2.5;
    retrain.dropout = engine::PiecewiseConstant(0.2);
    retrain.cost = {1000.0, 200.0};
    program_later.programs.push_back(retrain);
    program_later.budget = Budget{1e6, engine::PiecewiseConstant(4e5)};
  }
  Scenario mentoring_later = base;
  {
    Mentoring m = with_defaults<Mentoring>();
    m.mentor_roles = {"analyst", "lead"};
    m.mentor_share = 0.5;
    m.mentees_per_mentor = 2;
    m.active_years.from = 2.5;
    m.new_hires = true;
    m.open_to_roles = {"picker"};
    m.open_enrollment_rate = engine::PiecewiseConstant(0.3);
    m.effects.mentee_attrition_multiplier = 0.5;
    m.effects.mentor_attrition_multiplier = 0.8;
    mentoring_later.mentoring = m;
  }
  const WorkforceModel base_model(base);
  for (const Scenario& policy :
       {wave_later, attrition_later, hiring_slower_later, program_later, mentoring_later}) {
    const WorkforceModel policy_model(policy);
    const int T = base_model.snapshot_count();
    const int R = 3;
    const int first_differing = static_cast<int>(2.5 * base.snapshots_per_year);
    for (std::size_t rep = 0; rep < 5; ++rep) {
      const auto a = base_model.simulate(77, rep, {});
      const auto b = policy_model.simulate(77, rep, {});
      for (int m = 0; m < kRoleMetricCount; ++m)
        for (int k = 0; k < first_differing; ++k)
          for (int r = 0; r < R; ++r) {
            const std::size_t cell = static_cast<std::size_t>(k * R + r);
            INFO("metric " << kRoleMetricNames[m] << ", snapshot " << k << ", role " << r);
            REQUIRE(a.series[role_series_index(m)][cell] == b.series[role_series_index(m)][cell]);
          }
      // And the policy does change something afterwards.
      bool differs = false;
      for (int m = 0; m < kRoleMetricCount && !differs; ++m)
        for (int k = first_differing; k < T && !differs; ++k)
          for (int r = 0; r < R; ++r)
            differs =
                differs || a.series[role_series_index(m)][static_cast<std::size_t>(k * R + r)] !=
                               b.series[role_series_index(m)][static_cast<std::size_t>(k * R + r)];
      CHECK(differs);
    }
  }
}
