// Programs, budget and mentoring (SPEC §2) against closed forms, and their
// bookkeeping checked after every event over many random small scenarios.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "harness.h"

using namespace wfsim;
using namespace wfsim::models;
using wfsim::testing::check_within_4se;
using wfsim::testing::estimate;
using wfsim::testing::make_program;
using wfsim::testing::make_role;
using wfsim::testing::make_scenario;
using wfsim::testing::Runs;

namespace {
// 2,000 workers of tenure 0 and attrition h over 3 years, nobody replaced,
// offered one program.
Scenario cohort_without_backfill(double h, const Program& program) {
  Role worker = make_role("worker", 2000, h);
  worker.backfill = false;
  Scenario s = make_scenario(3.0, 4, {worker});
  s.programs.push_back(program);
  return s;
}
}  // namespace

TEST_CASE("enrolments N(1−e^−eT) and completions N·e^−qD·(1−e^−e(T−D)) of a part-time program",
          "[validation][programs]") {
  // No attrition, no growth, unlimited seats and money, window [0, T]:
  // each employee enrols at rate e until they first do (once only), stays
  // D years unless the dropout hazard q fires first.
  const double N = 2000, e = 0.5, q = 0.3, D = 1.0;
  Program course = make_program("course", Program::Type::upskilling, {"worker"}, e, 12.0 * D);
  course.dropout = engine::PiecewiseConstant(q);
  Scenario s = make_scenario(3.0, 4, {make_role("worker", 2000, 0.0)});
  s.programs.push_back(course);
  const Runs runs(s, 200, 404);
  for (double t : {0.5, 2.0, 3.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(),
                 [&](std::size_t i) { return runs.program_cumulative(i, kEnrollmentsFlow, k); }),
        N * (1.0 - std::exp(-e * t)), "enrolments by t=" + std::to_string(t));
    const double completions = t > D ? N * std::exp(-q * D) * (1.0 - std::exp(-e * (t - D))) : 0.0;
    if (completions > 0.0)
      check_within_4se(
          estimate(runs.size(),
                   [&](std::size_t i) { return runs.program_cumulative(i, kCompletionsFlow, k); }),
          completions, "completions by t=" + std::to_string(t));
    else
      for (std::size_t i = 0; i < runs.size(); ++i)
        REQUIRE(runs.program_cumulative(i, kCompletionsFlow, k) == 0.0);
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Stocks and flows agree: enrolled = enrolments − completions − dropouts.
    const int T = runs.model().snapshot_count() - 1;
    REQUIRE(runs.program_metric(i, kEnrolled, T) ==
            runs.program_cumulative(i, kEnrollmentsFlow, T) -
                runs.program_cumulative(i, kCompletionsFlow, T) -
                runs.program_cumulative(i, kDropoutsFlow, T));
    REQUIRE(runs.role_metric(i, kInTraining, T) == runs.program_metric(i, kEnrolled, T));
    REQUIRE(runs.program_total(i, kProgramKpiEnrollments) == runs.kpi(i, kKpiEnrollments));
    REQUIRE(runs.kpi(i, kKpiRefused) == 0.0);
    REQUIRE(runs.kpi(i, kKpiExits) == 0.0);
  }
}

TEST_CASE(
    "enrolment after a minimum tenure m, competing with attrition h: "
    "N·e·e^−hm/(e+h)·(1−e^−(e+h)(T−m))",
    "[validation][programs]") {
  // Employees of tenure 0 at t = 0, no backfill: one enrols by T > m if they
  // are still there at m (e^−hm) and then enrol before they leave, the two
  // competing at rates e and h. The voluntary clock is walked across the
  // opening at m and stops at each employee's exit.
  const double N = 2000, h = 0.8, e = 0.6, m = 0.5;
  Program course = make_program("course", Program::Type::upskilling, {"worker"}, e, 3.0);
  course.min_tenure_months = 12.0 * m;
  const Runs runs(cohort_without_backfill(h, course), 200, 606);
  for (double T : {0.25, 1.0, 3.0}) {
    const int k = runs.snapshot_at(T);
    const double expected =
        T > m ? N * e * std::exp(-h * m) / (e + h) * (1.0 - std::exp(-(e + h) * (T - m))) : 0.0;
    const auto enrolments = [&](std::size_t i) {
      return runs.program_cumulative(i, kEnrollmentsFlow, k);
    };
    if (expected > 0.0) {
      check_within_4se(estimate(runs.size(), enrolments), expected,
                       "enrolments by T=" + std::to_string(T));
    } else {
      for (std::size_t i = 0; i < runs.size(); ++i) REQUIRE(enrolments(i) == 0.0);
    }
  }
}

TEST_CASE("a benefit program's multipliers change exits as the derived survival says",
          "[validation][programs]") {
  // One employee: hazard h before enrolling (enrolment rate e), w·h for the
  // D years in the program, m·h for the rest of the career. Survival to T:
  //   S(T) = e^−(e+h)T                                      never enrolled
  //        + ∫_{max(0,T−D)}^T e·e^−(e+h)s · e^−wh(T−s) ds      still enrolled at T
  //        + ∫_0^{T−D} e·e^−(e+h)s · e^−whD · e^−mh(T−s−D) ds  completed
  //        = e^−(e+h)T + e·e^−whT·(e^−c₁a − e^−c₁T)/c₁
  //          + e·e^−whD−mh(T−D)·(1 − e^−c₂(T−D))/c₂,
  // with a = max(0, T−D), c₁ = e+h−wh, c₂ = e+h−mh. Exits = N(1 − S(T)).
  // w below 1 is taken by thinning the exit clock's candidates, above 1 by
  // raising the clock's bound for the D years.
  const double w = GENERATE(0.5, 1.5);
  INFO("while-enrolled multiplier " << w);
  const double N = 2000, h = 0.3, e = 0.6, m = 2.0, D = 0.5;
  Program benefit = make_program("tuition", Program::Type::benefit, {"worker"}, e, 12.0 * D);
  benefit.while_enrolled.attrition_multiplier = w;
  benefit.after_completion.attrition_multiplier = m;
  const Runs runs(cohort_without_backfill(h, benefit), 200, 505);
  for (double T : {0.25, 1.0, 3.0}) {
    const double a = std::max(0.0, T - D), c1 = e + h - w * h, c2 = e + h - m * h;
    double survival = std::exp(-(e + h) * T) +
                      e * std::exp(-w * h * T) * (std::exp(-c1 * a) - std::exp(-c1 * T)) / c1;
    if (T > D)
      survival += e * std::exp(-w * h * D - m * h * (T - D)) * (1.0 - std::exp(-c2 * (T - D))) / c2;
    const int k = runs.snapshot_at(T);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.cumulative(i, kExits, k); }),
        N * (1.0 - survival), "exits by T=" + std::to_string(T));
  }
}

TEST_CASE("a mentored cohort drops out at the multiplied hazard: P = 1 − e^−q·md·D",
          "[validation][programs][mentoring]") {
  // Every participant is paired at enrolment (ample mentors, pairings
  // longer than the program), and every enrolment finishes before T.
  const double md = GENERATE(0.5, 1.5);
  INFO("mentee dropout multiplier " << md);
  const double q = 0.8, D = 0.5;
  Program course = make_program("course", Program::Type::upskilling, {"junior"}, 1.0, 12.0 * D);
  course.dropout = engine::PiecewiseConstant(q);
  course.active_years.to = 2.0;
  Scenario s =
      make_scenario(3.0, 4, {make_role("junior", 1000, 0.0), make_role("senior", 400, 0.0)});
  s.programs.push_back(course);
  Mentoring mentoring = with_defaults<Mentoring>();
  mentoring.mentor_roles = {"senior"};
  mentoring.mentees_per_mentor = 5;
  mentoring.duration_months = 24.0;
  mentoring.programs = {"course"};
  mentoring.effects.mentee_dropout_multiplier = md;
  s.mentoring = mentoring;
  const Runs runs(s, 200, 606);
  const double p = 1.0 - std::exp(-q * md * D);
  // Dropouts − p·enrolments has mean 0 given the enrolments.
  check_within_4se(estimate(runs.size(),
                            [&](std::size_t i) {
                              return runs.kpi(i, kKpiDropouts) - p * runs.kpi(i, kKpiEnrollments);
                            }),
                   0.0, "dropouts − p·enrolments");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    REQUIRE(runs.kpi(i, kKpiEnrollments) ==
            runs.kpi(i, kKpiCompletions) + runs.kpi(i, kKpiDropouts));
    REQUIRE(runs.kpi(i, kKpiPairsStarted) == runs.kpi(i, kKpiEnrollments));
    REQUIRE(runs.kpi(i, kKpiMentoringRefused) == 0.0);
  }
}

TEST_CASE("new hires are mentored for D years: N·(1 − e^−h·min(t,D)) mentees",
          "[validation][mentoring]") {
  // Every exit is replaced at once by a hire who is paired on arrival (ample
  // mentors who never leave, effects all 1). A position holds a mentee at t
  // exactly when its holder was hired in (t − D, t]: when the Poisson(h)
  // renewals of the position put one in that window.
  const double N = 1000, h = 1.0, D = 0.75;
  Scenario s = make_scenario(3.0, 4, {make_role("worker", 1000, h), make_role("senior", 400, 0.0)});
  Mentoring mentoring = with_defaults<Mentoring>();
  mentoring.mentor_roles = {"senior"};
  mentoring.mentees_per_mentor = 5;
  mentoring.duration_months = 12.0 * D;
  mentoring.new_hires = true;
  mentoring.open_to_roles = {"worker"};
  s.mentoring = mentoring;
  const Runs runs(s, 200, 808);
  for (double t : {0.5, 1.0, 2.5}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kMentees, k); }),
        N * (1.0 - std::exp(-h * std::min(t, D))), "mentees at t=" + std::to_string(t));
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    REQUIRE(runs.kpi(i, kKpiPairsStarted) == runs.kpi(i, kKpiExternalHires));
    REQUIRE(runs.kpi(i, kKpiMentoringRefused) == 0.0);
  }
}

namespace {
// 1,000 mentors ("senior", attrition h, nobody replaced) and 2,000 juniors
// who never leave and ask for a mentor at a very high rate in the first
// week only: at once every mentor has two mentees, for D years, its hazard
// multiplied by m meanwhile; no pairing starts after.
Scenario mentors_paired_at_once(double h, double m, double D) {
  Role senior = make_role("senior", 1000, h);
  senior.backfill = false;
  Scenario s = make_scenario(3.0, 4, {senior, make_role("junior", 2000, 0.0)});
  Mentoring mentoring = with_defaults<Mentoring>();
  mentoring.mentor_roles = {"senior"};
  mentoring.mentees_per_mentor = 2;
  mentoring.duration_months = 12.0 * D;
  mentoring.active_years.to = 0.02;
  mentoring.open_to_roles = {"junior"};
  mentoring.open_enrollment_rate = engine::PiecewiseConstant(5000.0);
  mentoring.effects.mentor_attrition_multiplier = m;
  s.mentoring = mentoring;
  return s;
}
}  // namespace

TEST_CASE("a mentor leaves at m·h while it has a mentee: survival N·e^(−m·h·min(t,D) − h·(t−D)⁺)",
          "[validation][mentoring]") {
  // The first mentee changes a mentor's hazard, the second does not; when the
  // pairings end the second-last leaves it alone and the last restores it.
  // m below 1 thins the exit clock's candidates; above 1 it raises the clock.
  const double m = GENERATE(0.5, 1.5);
  INFO("mentor attrition multiplier " << m);
  const double N = 1000, h = 0.5, D = 1.0;
  const Runs runs(mentors_paired_at_once(h, m, D), 200, 909);
  for (double t : {0.5, 1.0, 2.0, 3.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(), [&](std::size_t i) { return runs.role_metric(i, kEmployees, k); }),
        N * std::exp(-m * h * std::min(t, D) - h * std::max(0.0, t - D)),
        "mentors at t=" + std::to_string(t));
  }
  const int during = runs.snapshot_at(0.5), after = runs.snapshot_at(2.0);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    REQUIRE(runs.role_metric(i, kMentors, during) == runs.role_metric(i, kEmployees, during));
    REQUIRE(runs.role_metric(i, kMentors, after) == 0.0);
  }
}

TEST_CASE("a mentor whose exit moves later keeps enrolling: N·e/(e+m·h)·(1 − e^−(e+m·h)t)",
          "[validation][mentoring][programs]") {
  // Each mentor's enrolment clock is walked up to its exit candidate at
  // hazard h; a moment later its first mentee arrives and, at m·h, the
  // candidate is an exit only with probability m. The walk stops at the
  // candidate and must go on from there when it is rejected: else a mentor
  // still employed after it would never enrol, and enrolments would be
  // N·e/(e+h)·(1 − e^−(e+h)t). Pairings outlast the horizon.
  const double N = 1000, h = 0.5, m = 0.5, e = 0.4;
  Scenario s = mentors_paired_at_once(h, m, 4.0);
  s.programs.push_back(make_program("course", Program::Type::upskilling, {"senior"}, e, 120.0));
  const Runs runs(s, 200, 1010);
  for (double t : {1.0, 3.0}) {
    const int k = runs.snapshot_at(t);
    check_within_4se(
        estimate(runs.size(),
                 [&](std::size_t i) { return runs.program_cumulative(i, kEnrollmentsFlow, k); }),
        N * e / (e + m * h) * (1.0 - std::exp(-(e + m * h) * t)),
        "enrolments by t=" + std::to_string(t));
  }
}

namespace {

// A random small scenario that exercises every lever: reskilling into other
// roles, full- and part-time programs, seats for displaced workers, tight
// capacity and budget caps, mentoring with every kind of request.
Scenario random_scenario(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<>(lo, hi)(rng);
  };
  auto chance = [&](double p) { return uniform(0.0, 1.0) < p; };
  auto pick = [&](int n) { return std::uniform_int_distribution<>(0, n - 1)(rng); };
  const int role_count = 2 + pick(3);
  std::vector<Role> roles;
  std::vector<std::string> ids;
  for (int r = 0; r < role_count; ++r) {
    ids.push_back("r" + std::to_string(r));
    Role role = make_role(ids.back(), 20 + pick(60), chance(0.2) ? 0.0 : uniform(0.05, 1.2));
    role.vacancies = pick(5);
    role.backfill = chance(0.8);
    role.hiring.enabled = chance(0.85);
    role.hiring.time_to_fill_months = chance(0.5) ? 0.0 : uniform(0.5, 4.0);
    if (chance(0.5))
      role.automation = engine::PiecewiseConstant({0.0, 1.0}, {uniform(0, 0.3), uniform(0, 0.6)});
    if (chance(0.3)) role.growth = engine::PiecewiseConstant(uniform(0.0, 0.3));
    if (chance(0.4)) role.tenure_multipliers = {{0.0, 2.0}, {0.5, 1.0}};
    if (chance(0.4)) role.initial_tenure_years = Distribution::fixed_value(uniform(0.0, 2.0));
    if (r > 0 && chance(0.4))
      role.transfers = {{ids[0], engine::PiecewiseConstant(uniform(0.0, 0.3))}};
    role.salary = 1000.0 * (1 + pick(5));
    roles.push_back(role);
  }
  Scenario s = make_scenario(2.0 + pick(3), 12, roles);
  s.displacement.redeployment_window_months = chance(0.3) ? 0.0 : uniform(0.5, 6.0);
  s.displacement.first = chance(0.5) ? Displacement::First::redeploy : Displacement::First::reskill;
  if (chance(0.4))
    s.automation_waves.push_back({uniform(0.1, 1.9), ids[pick(role_count)], uniform(0.1, 0.6)});
  const int program_count = 1 + pick(3);
  const Program::Type types[] = {Program::Type::reskilling, Program::Type::upskilling,
                                 Program::Type::outskilling, Program::Type::benefit};
  for (int p = 0; p < program_count; ++p) {
    Program program = make_program("p" + std::to_string(p), types[pick(4)], {ids[pick(role_count)]},
                                   uniform(0.05, 1.5), uniform(0.0, 10.0));
    if (chance(0.5)) program.eligible_roles.push_back(ids[(pick(role_count))]);
    std::sort(program.eligible_roles.begin(), program.eligible_roles.end());
    program.eligible_roles.erase(
        std::unique(program.eligible_roles.begin(), program.eligible_roles.end()),
        program.eligible_roles.end());
    if (program.type == Program::Type::reskilling) {
      program.target_roles.emplace_back(ids[pick(role_count)], uniform(0.5, 2.0));
      const std::string second = ids[pick(role_count)];
      if (second != program.target_roles[0].first) program.target_roles.emplace_back(second, 1.0);
      program.placement_window_months = chance(0.2) ? 0.0 : uniform(0.5, 6.0);
    }
    if (chance(0.3)) {
      program.duration_months.kind = Distribution::Kind::lognormal;
      program.duration_months.mean = uniform(1.0, 9.0);
      program.duration_months.sd = uniform(0.5, 3.0);
    }
    program.min_tenure_months = chance(0.3) ? uniform(0.0, 12.0) : 0.0;
    program.accepts_displaced = chance(0.5);
    program.full_time = chance(0.4);
    if (chance(0.7)) {
      // Constant, or rising at year 1 (seats offered to the pool then).
      const double seats = 1 + pick(8);
      program.capacity = chance(0.5) ? engine::PiecewiseConstant(seats)
                                     : engine::PiecewiseConstant({0.0, 1.0}, {seats, seats + 4});
    }
    if (chance(0.3)) {
      program.active_years.from = uniform(0.0, 1.0);
      program.active_years.to = program.active_years.from + uniform(0.5, 2.0);
    }
    program.dropout = engine::PiecewiseConstant(chance(0.3) ? 0.0 : uniform(0.0, 1.0));
    program.cost = {uniform(0.0, 2000.0), uniform(0.0, 500.0)};
    if (chance(0.3)) program.budget = uniform(5000.0, 40000.0);
    program.while_enrolled.attrition_multiplier = uniform(0.3, 1.5);
    program.after_completion.attrition_multiplier = uniform(0.3, 2.0);
    program.after_completion.salary_multiplier = uniform(1.0, 1.5);
    s.programs.push_back(program);
  }
  if (chance(0.7)) {
    Budget budget;
    if (chance(0.7)) budget.total = uniform(10000.0, 80000.0);
    if (chance(0.6))
      budget.per_year = engine::PiecewiseConstant(
          {0.0, 1.0}, {uniform(5000.0, 30000.0), uniform(5000.0, 30000.0)});
    s.budget = budget;
  }
  if (chance(0.8)) {
    Mentoring m = with_defaults<Mentoring>();
    m.mentor_roles = {ids[pick(role_count)]};
    m.mentor_share = uniform(0.1, 1.0);
    m.mentees_per_mentor = 1 + pick(6);  // more than a record holds inline, too
    m.duration_months = uniform(1.0, 12.0);
    if (chance(0.3)) {
      m.active_years.from = uniform(0.0, 1.0);
      m.active_years.to = m.active_years.from + uniform(0.5, 2.0);
    }
    if (chance(0.7)) m.programs = {s.programs[pick(program_count)].id};
    m.new_hires = chance(0.5);
    m.open_to_roles = {ids[pick(role_count)]};
    m.open_enrollment_rate = engine::PiecewiseConstant(chance(0.2) ? 0.0 : uniform(0.1, 2.0));
    m.cost_per_pair_month = uniform(0.0, 200.0);
    m.effects = {uniform(0.3, 1.5), uniform(0.3, 1.5), uniform(0.5, 2.0), uniform(0.5, 1.5),
                 uniform(0.3, 1.5)};
    s.mentoring = m;
  }
  return s;
}

}  // namespace

TEST_CASE("random scenarios keep every invariant after every event",
          "[validation][programs][property]") {
  // The recount after each event checks: role stocks, enrolled ≤ capacity,
  // commitments within the total, program and yearly caps, mentees ≤
  // mentees_per_mentor × mentors, nobody in two programs, paired twice, or
  // mentor and mentee at once (models/src/recording.cpp).
  double enrolments = 0, refused = 0, placements = 0, pairs = 0, mentoring_refused = 0;
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    const Scenario s = random_scenario(seed);
    INFO("random scenario " << seed);
    const Runs runs(s, 3, seed, /*every_event=*/true);
    const int T = runs.model().snapshot_count();
    for (std::size_t i = 0; i < runs.size(); ++i) {
      for (int k = 1; k < T; ++k) wfsim::testing::require_flow_identities(runs, i, k);
      // The KPI is the sum over programs (in the same order: exactly), and
      // spend stays within the budget up to the rounding of its accrued
      // sums (a few thousand terms × 2^−53, far below the 1e-9 allowed).
      double spend = 0.0;
      for (std::size_t p = 0; p < s.programs.size(); ++p)
        spend += runs.program_total(i, kProgramKpiSpend, static_cast<int>(p));
      REQUIRE(spend == runs.kpi(i, kKpiProgramSpend));
      if (s.budget && s.budget->total) REQUIRE(spend <= *s.budget->total * (1 + 1e-9));
      enrolments += runs.kpi(i, kKpiEnrollments);
      refused += runs.kpi(i, kKpiRefused);
      placements += runs.kpi(i, kKpiPlacements);
      pairs += runs.kpi(i, kKpiPairsStarted);
      mentoring_refused += runs.kpi(i, kKpiMentoringRefused);
    }
  }
  // The random scenarios really reached every branch the invariants guard.
  CHECK(enrolments > 0);
  CHECK(refused > 0);
  CHECK(placements > 0);
  CHECK(pairs > 0);
  CHECK(mentoring_refused > 0);
}

namespace {

Scenario single_program(double capacity, std::optional<double> budget) {
  Role worker = make_role("worker", 600, 0.4);
  worker.automation = engine::PiecewiseConstant(0.1);
  Program course = make_program("course", Program::Type::upskilling, {"worker"}, 0.6, 6.0);
  course.capacity = engine::PiecewiseConstant(capacity);
  course.dropout = engine::PiecewiseConstant(0.3);
  course.accepts_displaced = true;
  course.cost = {500.0, 100.0};
  Scenario s = make_scenario(3.0, 4, {worker});
  s.displacement.redeployment_window_months = 3.0;
  s.programs.push_back(course);
  if (budget) s.budget = Budget{*budget, std::nullopt};
  return s;
}

// Paired difference of mean enrolments (more − less) is not below 0 beyond
// 4 standard errors: a one-sided test with common random numbers.
void check_not_fewer_enrolments(const Scenario& less, const Scenario& more) {
  const Runs a(less, 200, 808), b(more, 200, 808);
  double refused = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) refused += a.kpi(i, kKpiRefused);
  REQUIRE(refused > 0);  // the constraint binds, or the test says nothing
  const auto diff = estimate(a.size(), [&](std::size_t i) {
    return b.kpi(i, kKpiEnrollments) - a.kpi(i, kKpiEnrollments);
  });
  INFO("mean difference " << diff.mean << ", SE " << diff.standard_error);
  CHECK(diff.mean >= -4.0 * diff.standard_error);
  CHECK(diff.mean > 0.0);
}

}  // namespace

TEST_CASE("more capacity or budget does not lower mean enrolments", "[validation][programs]") {
  SECTION("capacity") {
    check_not_fewer_enrolments(single_program(40, {}), single_program(60, {}));
  }
  SECTION("budget") {
    check_not_fewer_enrolments(single_program(1e9, 150000.0), single_program(1e9, 250000.0));
  }
}
