// Monte Carlo means against exact answers (SPEC §5), at a few time points,
// fixed seeds, tolerance 4 standard errors estimated from the sample.
#include <catch2/catch.hpp>
#include <cmath>

#include "harness.h"

using namespace wfsim;
using namespace wfsim::models;
using wfsim::testing::check_within_4se;
using wfsim::testing::estimate;
using wfsim::testing::make_role;
using wfsim::testing::make_scenario;
using wfsim::testing::Runs;

TEST_CASE("pure attrition without backfill leaves N·exp(−h t) employees", "[validation]") {
  const double N = 2000, h = 0.4;
  Role role = make_role("worker", 2000, h);
  role.backfill = false;
  const Runs runs(make_scenario(4.0, 4, {role}), 200, 101);
  for (double t : {1.0, 2.0, 4.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kHeadcount, k); }),
        N * std::exp(-h * t), "headcount at t=" + std::to_string(t));
    for (std::size_t i = 0; i < runs.size(); ++i) {
      REQUIRE(runs.role_metric(i, kEmployees, k) == runs.role_metric(i, kHeadcount, k));
      REQUIRE(runs.cumulative(i, kExits, k) == N - runs.role_metric(i, kHeadcount, k));
      REQUIRE(runs.cumulative(i, kPositionsClosed, k) == runs.cumulative(i, kExits, k));
    }
  }
}

TEST_CASE("attrition with backfill and time to fill gives N·λ/(λ+μ)·(1−e^−(λ+μ)t) vacancies",
          "[validation]") {
  const double N = 1000, lambda = 0.8, months = 3.0, mu = 12.0 / months;
  Role role = make_role("worker", 1000, lambda);
  role.hiring.time_to_fill_months = months;
  const Runs runs(make_scenario(3.0, 12, {role}), 200, 202);
  for (double t : {0.25, 0.5, 2.0}) {
    const int k = runs.snapshot_at(t);
    const double exact = N * lambda / (lambda + mu) * (1.0 - std::exp(-(lambda + mu) * t));
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kVacancies, k); }),
        exact, "vacancies at t=" + std::to_string(t));
    for (std::size_t i = 0; i < runs.size(); ++i) REQUIRE(runs.role_metric(i, kPositions, k) == N);
  }
}

TEST_CASE("automation competing with attrition: N·e^−(h+a)t left, N·a/(h+a)·(1−e^−(h+a)t) laid off",
          "[validation]") {
  const double N = 2000, h = 0.2, a = 0.3;
  Role role = make_role("worker", 2000, h);
  role.backfill = false;
  role.automation = engine::PiecewiseConstant(a);
  const Runs runs(make_scenario(3.0, 4, {role}), 200, 303);
  for (double t : {0.5, 1.5, 3.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kHeadcount, k); }),
        N * std::exp(-(h + a) * t), "headcount at t=" + std::to_string(t));
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.cumulative(i, kLayoffs, k); }),
        N * a / (h + a) * (1.0 - std::exp(-(h + a) * t)),
        "cumulative layoffs at t=" + std::to_string(t));
    for (std::size_t i = 0; i < runs.size(); ++i)
      REQUIRE(runs.cumulative(i, kJobsDestroyed, k) == runs.cumulative(i, kLayoffs, k));
  }
}

TEST_CASE("a wave of fraction f with no redeployment window lays off f·N", "[validation]") {
  const double N = 1000, f = 0.3;
  Role role = make_role("worker", 1000, 0.0);
  Scenario scenario = make_scenario(2.0, 4, {role});
  scenario.automation_waves.push_back({1.0, "worker", f});
  const Runs runs(scenario, 200, 404);
  const int before = runs.snapshot_at(0.75), at = runs.snapshot_at(1.0);
  check_within_4se(
      estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kLayoffs, at); }),
      f * N, "layoffs at the wave");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    REQUIRE(runs.cumulative(i, kLayoffs, before) == 0.0);
    REQUIRE(runs.kpi(i, kKpiLayoffs) == runs.role_metric(i, kLayoffs, at));
    REQUIRE(runs.role_metric(i, kPositions, at) == N - runs.role_metric(i, kLayoffs, at));
  }
}

TEST_CASE("Poisson growth at rate g per position gives N·e^(gt) positions", "[validation]") {
  const double N = 500, g = 0.3;
  Role role = make_role("analyst", 500, 0.0);
  role.growth = engine::PiecewiseConstant(g);
  const Runs runs(make_scenario(3.0, 4, {role}), 200, 505);
  for (double t : {1.0, 3.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kPositions, k); }),
        N * std::exp(g * t), "positions at t=" + std::to_string(t));
    for (std::size_t i = 0; i < runs.size(); ++i)
      REQUIRE(runs.cumulative(i, kJobsCreated, k) == runs.role_metric(i, kPositions, k) - N);
  }
}

TEST_CASE("new positions per year with piecewise growth follow N·e^(gt) + n/g·(e^(gt)−1)",
          "[validation]") {
  // g = 0.2 on [0, 1), 0 after; n = 40 a year throughout.
  const double N = 300, g = 0.2, n = 40;
  Role role = make_role("analyst", 300, 0.0);
  role.growth = engine::PiecewiseConstant({0.0, 1.0}, {g, 0.0});
  role.new_positions_per_year = engine::PiecewiseConstant(n);
  const Runs runs(make_scenario(2.0, 4, {role}), 300, 606);
  const double at_one = N * std::exp(g) + n / g * (std::exp(g) - 1.0);
  check_within_4se(
      estimate(runs.size(),
               [&](std::size_t i) { return runs.role_metric(i, kPositions, runs.snapshot_at(1)); }),
      at_one, "positions at t=1");
  check_within_4se(
      estimate(runs.size(),
               [&](std::size_t i) { return runs.role_metric(i, kPositions, runs.snapshot_at(2)); }),
      at_one + n, "positions at t=2");
}

TEST_CASE("piecewise attrition leaves N·exp(−∫h)", "[validation]") {
  const double N = 2000;
  Role role = make_role("worker", 2000, 0.0);
  role.attrition = engine::PiecewiseConstant({0.0, 2.0}, {0.1, 0.5});
  role.backfill = false;
  const Runs runs(make_scenario(4.0, 4, {role}), 200, 707);
  auto integrated = [](double t) { return t < 2.0 ? 0.1 * t : 0.2 + 0.5 * (t - 2.0); };
  for (double t : {1.0, 3.0, 4.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kHeadcount, k); }),
        N * std::exp(-integrated(t)), "headcount at t=" + std::to_string(t));
  }
}

TEST_CASE("tenure multipliers give survival exp(−∫h·m(tenure))", "[validation]") {
  const double N = 3000, h = 0.5;
  for (double initial_tenure : {0.0, 0.5}) {
    Role role = make_role("worker", 3000, h);
    role.backfill = false;
    role.tenure_multipliers = {{0.0, 3.0}, {0.25, 1.2}, {1.0, 0.6}};
    role.initial_tenure_years = Distribution::fixed_value(initial_tenure);
    const Runs runs(make_scenario(3.0, 4, {role}), 200, 808);
    // ∫_0^t h·m(s + initial_tenure) ds, from the tenure breakpoints.
    auto cumulative_hazard = [&](double t) {
      auto m_integral = [](double tenure) {  // ∫_0^tenure m
        if (tenure < 0.25) return 3.0 * tenure;
        if (tenure < 1.0) return 0.75 + 1.2 * (tenure - 0.25);
        return 0.75 + 0.9 + 0.6 * (tenure - 1.0);
      };
      return h * (m_integral(t + initial_tenure) - m_integral(initial_tenure));
    };
    for (double t : {0.25, 0.75, 2.0, 3.0}) {
      const int k = runs.snapshot_at(t);
      check_within_4se(
          estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kHeadcount, k); }),
          N * std::exp(-cumulative_hazard(t)),
          "headcount at t=" + std::to_string(t) + ", initial tenure " +
              std::to_string(initial_tenure));
    }
  }
}

TEST_CASE("the attrition threshold carries over a transfer: equal rates leave N·exp(−h t) in all",
          "[validation]") {
  // Workers move from A to B at rate 0.8 into B's open positions; both roles
  // have attrition h. Exits must not care where a worker is: the company
  // keeps N·e^(−ht) employees, and B's hazard applies from the move on.
  const double N = 2000, h = 0.3;
  Role a = make_role("a", 2000, h);
  a.backfill = false;
  a.transfers = {{"b", engine::PiecewiseConstant(0.8)}};
  Role b = make_role("b", 0, h);
  b.vacancies = 2000;
  b.hiring.enabled = false;
  b.backfill = false;
  const Runs runs(make_scenario(3.0, 4, {a, b}), 200, 909);
  for (double t : {1.0, 3.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(estimate(runs.size(),
                              [&](std::size_t i) {
                                return runs.role_metric(i, kEmployees, k, 0) +
                                       runs.role_metric(i, kEmployees, k, 1);
                              }),
                     N * std::exp(-h * t), "employees at t=" + std::to_string(t));
  }
  double moved = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) moved += runs.kpi(i, kKpiTransfers);
  CHECK(moved / runs.size() > 0.5 * N);
}

TEST_CASE("a role change switches the attrition hazard: survival exp(−h_a·s − h_b·(t−s))",
          "[validation]") {
  // Everyone moves from A (h_a = 0.2) to B (h_b = 1.0) at rate 50, i.e. almost
  // at once, so survival to t is close to exp(−h_b t); exactly, with the move
  // time S ~ Exp(λ): E[exp(−h_a S − h_b (t − S))] over S < t, plus those
  // still in A. Checked at t = 1.
  const double N = 3000, ha = 0.2, hb = 1.0, lambda = 50.0, t = 1.0;
  Role a = make_role("a", 3000, ha);
  a.backfill = false;
  a.transfers = {{"b", engine::PiecewiseConstant(lambda)}};
  Role b = make_role("b", 0, hb);
  b.vacancies = 3000;
  b.hiring.enabled = false;
  b.backfill = false;
  const Runs runs(make_scenario(1.0, 4, {a, b}), 200, 910);
  // P(alive at t) = e^(−(ha+λ)t) + ∫_0^t λ e^(−(ha+λ)s) e^(−hb (t−s)) ds
  const double stay = std::exp(-(ha + lambda) * t);
  const double moved =
      lambda * std::exp(-hb * t) * (1.0 - std::exp(-(ha + lambda - hb) * t)) / (ha + lambda - hb);
  const int k = runs.snapshot_at(t);
  check_within_4se(estimate(runs.size(),
                            [&](std::size_t i) {
                              return runs.role_metric(i, kEmployees, k, 0) +
                                     runs.role_metric(i, kEmployees, k, 1);
                            }),
                   N * (stay + moved), "employees at t=1");
}
