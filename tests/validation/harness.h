// Helpers for validation tests: build small scenarios in code, run many
// replications, and compare Monte Carlo means with exact values within 4
// standard errors (the SE estimated from the sample itself).
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "wfsim/engine/runner.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/parameters.h"
#include "wfsim/models/workforce.h"

namespace wfsim::testing {

inline models::Role make_role(const std::string& id, std::int64_t headcount, double attrition) {
  models::Role role = models::with_defaults<models::Role>();
  role.id = id;
  role.name = id;
  role.headcount = headcount;
  role.attrition = engine::PiecewiseConstant(attrition);
  return role;
}

inline models::Program make_program(const std::string& id, models::Program::Type type,
                                    std::vector<std::string> eligible_roles, double enrollment_rate,
                                    double duration_months) {
  models::Program program = models::with_defaults<models::Program>();
  program.id = id;
  program.name = id;
  program.type = type;
  program.eligible_roles = std::move(eligible_roles);
  program.enrollment_rate = engine::PiecewiseConstant(enrollment_rate);
  program.duration_months = engine::Distribution::fixed_value(duration_months);
  return program;
}

inline models::Scenario make_scenario(double horizon, int snapshots_per_year,
                                      std::vector<models::Role> roles) {
  models::Scenario s = models::with_defaults<models::Scenario>();
  s.name = "validation";
  s.horizon_years = horizon;
  s.snapshots_per_year = snapshots_per_year;
  s.roles = std::move(roles);
  s.displacement.redeployment_window_months = 0.0;
  return s;
}

// Every replication's series, with the state checked against a recount at
// every snapshot.
class Runs {
 public:
  // `every_event`: the recount runs after every event, not only at snapshots.
  Runs(const models::Scenario& scenario, std::size_t replications, std::uint64_t seed,
       bool every_event = false)
      : model_(scenario), results_(replications) {
    std::vector<std::size_t> pending(replications);
    for (std::size_t i = 0; i < replications; ++i) pending[i] = i;
    models::SimulationOptions options;
    options.check_invariants = true;
    options.check_every_event = every_event;
    const auto outcome = engine::run_replications(
        pending, [&](std::size_t i) { return model_.simulate(seed, i, options); },
        [&](engine::ReplicationResult& r) { results_[r.index] = std::move(r); }, [] {}, {});
    INFO((outcome.failures.empty() ? std::string() : outcome.failures.front().second));
    REQUIRE(outcome.failures.empty());
  }

  const models::WorkforceModel& model() const { return model_; }
  std::size_t size() const { return results_.size(); }
  const engine::ReplicationResult& operator[](std::size_t i) const { return results_[i]; }

  // Role metric at snapshot k for replication i.
  double role_metric(std::size_t i, int metric, int k, int role = 0) const {
    const std::size_t R = model_.scenario().roles.size();
    return results_[i].series[models::role_series_index(metric)]
                             [static_cast<std::size_t>(k) * R + static_cast<std::size_t>(role)];
  }
  // A flow summed over snapshots 1..k.
  double cumulative(std::size_t i, int metric, int k, int role = 0) const {
    double total = 0.0;
    for (int j = 1; j <= k; ++j) total += role_metric(i, metric, j, role);
    return total;
  }
  double kpi(std::size_t i, int kpi) const {
    return results_[i].series[models::kpi_series_index(kpi)][0];
  }
  // Program metric at snapshot k for replication i.
  double program_metric(std::size_t i, int metric, int k, int program = 0) const {
    const std::size_t P = model_.scenario().programs.size();
    return results_[i].series[models::program_series_index(metric)]
                             [static_cast<std::size_t>(k) * P + static_cast<std::size_t>(program)];
  }
  // A program flow summed over snapshots 1..k.
  double program_cumulative(std::size_t i, int metric, int k, int program = 0) const {
    double total = 0.0;
    for (int j = 1; j <= k; ++j) total += program_metric(i, metric, j, program);
    return total;
  }
  double program_total(std::size_t i, int kpi, int program = 0) const {
    return results_[i]
        .series[models::program_kpi_series_index(kpi)][static_cast<std::size_t>(program)];
  }
  int snapshot_at(double t) const {
    return static_cast<int>(std::lround(t * model_.scenario().snapshots_per_year));
  }

 private:
  models::WorkforceModel model_;
  std::vector<engine::ReplicationResult> results_;
};

// The flow identities of SPEC §4 between snapshots k−1 and k (k ≥ 1) of
// replication i: per role Δpositions = jobs_created − jobs_destroyed −
// positions_closed; summed over roles Δemployees = hires − exits − layoffs.
inline void require_flow_identities(const Runs& runs, std::size_t i, int k) {
  const int R = static_cast<int>(runs.model().scenario().roles.size());
  double employees_change = 0.0, hires = 0.0, exits = 0.0, layoffs = 0.0;
  for (int r = 0; r < R; ++r) {
    INFO("replication " << i << ", snapshot " << k << ", role " << r);
    REQUIRE(runs.role_metric(i, models::kPositions, k, r) -
                runs.role_metric(i, models::kPositions, k - 1, r) ==
            runs.role_metric(i, models::kJobsCreated, k, r) -
                runs.role_metric(i, models::kJobsDestroyed, k, r) -
                runs.role_metric(i, models::kPositionsClosed, k, r));
    employees_change += runs.role_metric(i, models::kEmployees, k, r) -
                        runs.role_metric(i, models::kEmployees, k - 1, r);
    hires += runs.role_metric(i, models::kHires, k, r);
    exits += runs.role_metric(i, models::kExits, k, r);
    layoffs += runs.role_metric(i, models::kLayoffs, k, r);
  }
  REQUIRE(employees_change == hires - exits - layoffs);
}

struct Estimate {
  double mean = 0.0;
  double standard_error = 0.0;
};

template <typename Sample>
Estimate estimate(std::size_t n, Sample sample) {
  double sum = 0.0, sum_sq = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += sample(i);
  const double mean = sum / n;
  for (std::size_t i = 0; i < n; ++i) sum_sq += (sample(i) - mean) * (sample(i) - mean);
  return {mean, std::sqrt(sum_sq / (n - 1) / n)};
}

// The Monte Carlo mean lies within 4 standard errors of the exact value.
inline void check_within_4se(const Estimate& e, double exact, const std::string& what) {
  INFO(what << ": mean " << e.mean << ", exact " << exact << ", SE " << e.standard_error);
  REQUIRE(e.standard_error > 0.0);  // a degenerate sample would make the check vacuous
  CHECK(std::fabs(e.mean - exact) <= 4.0 * e.standard_error);
}

}  // namespace wfsim::testing
