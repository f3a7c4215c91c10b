// Uncertain parameters (SPEC §1): inverse-CDF draws, their streams, shared
// names, common random numbers across policies, validation, and the scenario
// a replication simulates.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "wfsim/engine/distribution.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/scenario_loader.h"
#include "wfsim/models/uncertainty.h"

namespace {

namespace fs = std::filesystem;
using wfsim::engine::Distribution;
using wfsim::engine::InputError;
using wfsim::models::load_scenario_text;
using wfsim::models::Override;
using wfsim::models::parameter_levels;
using wfsim::models::parameter_values;
using wfsim::models::Scenario;
using wfsim::models::UncertainParameter;

const char* const kHead =
    "wfsim: 1\n"
    "name: uncertain\n"
    "horizon_years: 2\n"
    "roles:\n"
    "  - id: a\n"
    "    headcount: 10\n";

Scenario load(const std::string& text, const std::vector<Override>& overrides = {}) {
  return load_scenario_text(text, "test.yaml", overrides);
}

std::string error_of(const std::string& text) {
  try {
    load(text);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

const UncertainParameter& parameter(const Scenario& s, const std::string& path) {
  for (const UncertainParameter& p : s.uncertain_parameters)
    if (p.path == path) return p;
  FAIL("no uncertain parameter " << path);
  throw std::logic_error("unreachable");
}

std::size_t index_of(const Scenario& s, const std::string& path) {
  for (std::size_t i = 0; i < s.uncertain_parameters.size(); ++i)
    if (s.uncertain_parameters[i].path == path) return i;
  FAIL("no uncertain parameter " << path);
  return 0;
}

// Values of parameter `index` over replications 0..n-1.
std::vector<double> draws(const Scenario& s, std::size_t index, std::size_t n, std::uint64_t seed) {
  std::vector<double> out;
  for (std::size_t r = 0; r < n; ++r) out.push_back(parameter_values(s, seed, r)[index]);
  return out;
}

// The Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)|.
double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = cdf(sample[i]);
    d = std::max({d, (i + 1) / n - f, f - i / n});
  }
  return d;
}

fs::path scratch_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("wfsim_uncertain_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

// ---------------------------------------------------------------------------
// Levels and counts

TEST_CASE("parameter levels reproduce pinned values for a fixed seed", "[uncertain][streams]") {
  // Golden values: a change here changes every uncertain result ever produced.
  const Scenario s =
      load(std::string(kHead) +
           "    attrition: {uncertain: {dist: uniform, min: 0, max: 1}}\n"
           "    salary: {uncertain: {dist: uniform, min: 0, max: 1}, shared: economy}\n");
  const std::vector<double> levels = parameter_levels(s, 20190711, 3);
  REQUIRE(levels.size() == 2);
  CHECK(levels[index_of(s, "roles.a.attrition")] == 0.10048237947540961);
  CHECK(levels[index_of(s, "roles.a.salary")] == 0.40270794269097088);
  CHECK(wfsim::models::parameter_stream_key(parameter(s, "roles.a.salary")) ==
        wfsim::engine::hash_string("shared:economy"));
  CHECK(wfsim::models::parameter_stream_key(parameter(s, "roles.a.attrition")) ==
        wfsim::engine::hash_string("parameter:roles.a.attrition"));
}

TEST_CASE("counts are rounded half to even", "[uncertain]") {
  using wfsim::models::round_half_even;
  CHECK(round_half_even(2.5) == 2.0);
  CHECK(round_half_even(3.5) == 4.0);
  CHECK(round_half_even(-2.5) == -2.0);
  CHECK(round_half_even(2.4999) == 2.0);
  CHECK(round_half_even(2.5001) == 3.0);
  CHECK(round_half_even(7.0) == 7.0);
  const Scenario s =
      load(std::string(kHead) + "    vacancies: {uncertain: {dist: uniform, min: 0, max: 10}}\n");
  const UncertainParameter& p = parameter(s, "roles.a.vacancies");
  CHECK(p.count);
  CHECK(wfsim::models::parameter_value(p, 0.25) == 2.0);  // F⁻¹ = 2.5
  CHECK(wfsim::models::parameter_value(p, 0.35) == 4.0);  // F⁻¹ = 3.5
  CHECK(wfsim::models::parameter_value(p, 0.36) == 4.0);
  CHECK(s.roles[0].vacancies == 5);  // the median
}

// ---------------------------------------------------------------------------
// The loaded scenario

TEST_CASE("uncertain parameters are recorded with their PATH, DIST, NAME and median",
          "[uncertain][loader]") {
  const Scenario s =
      load(std::string(kHead) + R"(    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}}
    salary: {uncertain: {dist: lognormal, mean: 50000, sd: 10000}, shared: pay}
    automation: {piecewise: [[0, 0.01], [1, {uncertain: {dist: triangular, min: 0, mode: 0.02, max: 0.1}}]]}
    hiring: {time_to_fill_months: {uncertain: {dist: exponential, mean: 2}}}
  - id: b
    headcount: {uncertain: {dist: triangular, min: 10, mode: 20, max: 40}}
automation_waves:
  - {at_year: 1, role: a, fraction: {uncertain: {dist: uniform, min: 0, max: 0.2}}}
)");
  // In the order of the parameter reference, whatever the order in the file.
  const std::vector<std::string> paths = {"roles.a.salary",
                                          "roles.a.attrition",
                                          "roles.a.automation.piecewise.1.1",
                                          "roles.a.hiring.time_to_fill_months",
                                          "roles.b.headcount",
                                          "automation_waves.0.fraction"};
  REQUIRE(s.uncertain_parameters.size() == paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) CHECK(s.uncertain_parameters[i].path == paths[i]);
  const UncertainParameter& salary = parameter(s, "roles.a.salary");
  CHECK(salary.shared == "pay");
  CHECK(salary.dist.kind == Distribution::Kind::lognormal);
  CHECK_FALSE(salary.count);
  CHECK(salary.origin == "test.yaml:8:13");
  // The loaded scenario holds the medians.
  CHECK(s.roles[0].attrition.value_at(0.5) == Approx(0.2));
  CHECK(s.roles[0].salary == Approx(50000.0 / std::sqrt(1.0 + 0.04)));  // e^μ
  CHECK(s.roles[0].automation.value_at(1.5) == Approx(0.1 - std::sqrt(0.5 * 0.1 * 0.08)));
  CHECK(s.roles[0].hiring.time_to_fill_months == Approx(2.0 * std::log(2.0)));
  CHECK(s.roles[1].headcount == 23);  // 40 − √(0.5·30·20) = 22.68, rounded
  CHECK(s.automation_waves[0].fraction == Approx(0.1));
  // The resolved text keeps the {uncertain} nodes, so it loads back the same.
  const Scenario again = load_scenario_text(s.resolved_yaml, "resolved.yaml");
  REQUIRE(again.uncertain_parameters.size() == paths.size());
  for (std::size_t r = 0; r < 5; ++r)
    CHECK(parameter_values(again, 3, r) == parameter_values(s, 3, r));
}

TEST_CASE("every PATH names its node for --set", "[uncertain][loader]") {
  const std::string text =
      std::string(kHead) + R"(    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}}
    tenure_multipliers: [[0, {uncertain: {dist: uniform, min: 1, max: 2}}], [1, 1]]
    transfers: {b: {uncertain: {dist: uniform, min: 0, max: 0.1}}}
  - id: b
    headcount: 5
    initial_tenure_years: {uncertain: {dist: uniform, min: 0, max: 3}}
automation_waves:
  - {at_year: {uncertain: {dist: uniform, min: 0.5, max: 1.5}}, role: a, fraction: 0.1}
displacement: {redeployment_window_months: {uncertain: {dist: uniform, min: 1, max: 6}}}
programs:
  - id: p
    type: reskilling
    eligible_roles: [a]
    target_roles: {b: {uncertain: {dist: uniform, min: 1, max: 2}}}
    capacity: {piecewise: [[0, 10], [1, {uncertain: {dist: uniform, min: 10, max: 30}}]]}
    duration_months: {uncertain: {dist: triangular, min: 3, mode: 6, max: 12}}
    dropout: {uncertain: {dist: uniform, min: 0.1, max: 0.3}}
    cost: {fixed: {uncertain: {dist: gamma, mean: 3000, sd: 500}}, per_month: 100}
    after_completion: {attrition_multiplier: {uncertain: {dist: uniform, min: 0.5, max: 1}}}
mentoring:
  mentor_roles: [b]
  mentor_share: {uncertain: {dist: uniform, min: 0.1, max: 0.5}}
  mentees_per_mentor: {uncertain: {dist: uniform, min: 1, max: 4}}
  effects: {mentee_dropout_multiplier: {uncertain: {dist: uniform, min: 0.5, max: 1}}}
budget:
  total: {uncertain: {dist: lognormal, mean: 1000000, sd: 200000}}
  per_year: {uncertain: {dist: uniform, min: 100000, max: 400000}}
)";
  const Scenario s = load(text);
  REQUIRE(s.uncertain_parameters.size() == 17);
  for (const UncertainParameter& p : s.uncertain_parameters) {
    INFO(p.path);
    // Setting the node at PATH to a plain number removes exactly that parameter.
    const Scenario fixed = load(text, {Override{p.path, "1"}});
    CHECK(fixed.uncertain_parameters.size() == 16);
    for (const UncertainParameter& q : fixed.uncertain_parameters) CHECK(q.path != p.path);
  }
}

TEST_CASE("a replication's scenario holds its draws wherever they were written",
          "[uncertain][loader]") {
  const Scenario s =
      load(std::string(kHead) + R"(    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}}
    automation: {piecewise: [[0, 0.01], [1, {uncertain: {dist: uniform, min: 0, max: 0.1}}]]}
    transfers: {b: {uncertain: {dist: uniform, min: 0, max: 0.1}}}
  - id: b
    headcount: {uncertain: {dist: uniform, min: 10, max: 40}}
programs:
  - id: p
    type: upskilling
    eligible_roles: [a]
    capacity: {uncertain: {dist: uniform, min: 10, max: 30}}
    duration_months: {uncertain: {dist: uniform, min: 3, max: 9}}
    cost: {fixed: {uncertain: {dist: uniform, min: 1000, max: 2000}}}
budget:
  per_year: {piecewise: [[0, 5], [1, {uncertain: {dist: uniform, min: 1, max: 2}}]]}
)");
  const std::vector<double> values = {0.15, 0.07, 0.02, 17, 12, 4.5, 1500, 1.25};
  REQUIRE(s.uncertain_parameters.size() == values.size());
  const Scenario r = wfsim::models::scenario_with_values(s, values);
  CHECK(r.uncertain_parameters.empty());
  CHECK(r.roles[0].attrition.value_at(1.7) == 0.15);
  CHECK(r.roles[0].automation.value_at(0.5) == 0.01);
  CHECK(r.roles[0].automation.value_at(1.5) == 0.07);
  CHECK(r.roles[0].transfers.at(0).second.value_at(0.0) == 0.02);
  CHECK(r.roles[1].headcount == 17);
  CHECK(r.programs[0].capacity->value_at(0.0) == 12);
  CHECK(r.programs[0].duration_months.kind == Distribution::Kind::fixed);
  CHECK(r.programs[0].duration_months.value == 4.5);
  CHECK(r.programs[0].cost.fixed == 1500);
  CHECK(r.budget->per_year->value_at(0.5) == 5);
  CHECK(r.budget->per_year->value_at(1.5) == 1.25);
  CHECK(r.resolved_yaml == s.resolved_yaml);
  // Values outside a parameter's range, or a fraction where a count is due,
  // are refused; so is a wrong number of values.
  std::vector<double> bad = values;
  bad[0] = -0.5;
  CHECK_THROWS_AS(wfsim::models::scenario_with_values(s, bad), InputError);
  bad = values;
  bad[3] = 17.5;
  CHECK_THROWS_AS(wfsim::models::scenario_with_values(s, bad), InputError);
  CHECK_THROWS_AS(wfsim::models::scenario_with_values(s, {0.1}), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// Goodness of fit, shared names, common random numbers

TEST_CASE("draws over replications follow their DIST (Kolmogorov-Smirnov, alpha = 0.001)",
          "[uncertain][statistics]") {
  const Scenario s =
      load(std::string(kHead) + R"(    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}}
    salary: {uncertain: {dist: lognormal, mean: 50000, sd: 10000}}
    severance: {uncertain: {dist: triangular, min: 1000, mode: 2000, max: 6000}}
    vacancy_cost_per_month: {uncertain: {dist: gamma, mean: 300, sd: 200}}
    hiring: {time_to_fill_months: {uncertain: {dist: exponential, mean: 2}}}
)");
  constexpr std::size_t n = 2000;
  constexpr std::uint64_t seed = 20240611;
  // Asymptotic critical value of D at alpha = 0.001: sqrt(−ln(alpha/2) / 2) / sqrt(n).
  const double critical = std::sqrt(-std::log(0.001 / 2.0) / 2.0) / std::sqrt(double(n));
  const double sigma2 = std::log(1.0 + 0.04);
  const boost::math::lognormal_distribution<> lognormal(std::log(50000.0) - sigma2 / 2,
                                                        std::sqrt(sigma2));
  const boost::math::gamma_distribution<> gamma(300.0 * 300.0 / 40000.0, 40000.0 / 300.0);
  struct Case {
    std::string path;
    std::function<double(double)> cdf;
  };
  const std::vector<Case> cases = {
      {"roles.a.attrition",
       [](double x) { return boost::math::cdf(boost::math::uniform_distribution<>(0.1, 0.3), x); }},
      {"roles.a.salary", [&](double x) { return boost::math::cdf(lognormal, x); }},
      {"roles.a.severance",
       [](double x) {
         return boost::math::cdf(boost::math::triangular_distribution<>(1000, 2000, 6000), x);
       }},
      {"roles.a.vacancy_cost_per_month", [&](double x) { return boost::math::cdf(gamma, x); }},
      {"roles.a.hiring.time_to_fill_months",
       [](double x) { return boost::math::cdf(boost::math::exponential_distribution<>(0.5), x); }},
  };
  for (const Case& c : cases) {
    const std::vector<double> sample = draws(s, index_of(s, c.path), n, seed);
    const double d = ks_statistic(sample, c.cdf);
    INFO(c.path << ": D = " << d << ", critical value " << critical);
    CHECK(d < critical);
  }
  // The test has power: the same draws against a neighbouring DIST fail it.
  const std::vector<double> attrition = draws(s, index_of(s, "roles.a.attrition"), n, seed);
  CHECK(ks_statistic(attrition, [](double x) {
          return boost::math::cdf(boost::math::uniform_distribution<>(0.1, 0.32), x);
        }) > critical);
}

TEST_CASE("parameters sharing a NAME move together; others are independent",
          "[uncertain][shared]") {
  const std::string roles =
      std::string(kHead) +
      R"(    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}, shared: economy}
    salary: {uncertain: {dist: lognormal, mean: 50000, sd: 10000}}
  - id: b
    headcount: 10
    attrition: {uncertain: {dist: lognormal, mean: 0.4, sd: 0.2}, shared: economy}
    growth: {uncertain: {dist: triangular, min: 0, mode: 0.1, max: 0.5}, shared: economy}
)";
  const Scenario s = load(roles);
  const std::size_t a = index_of(s, "roles.a.attrition");
  const std::size_t b = index_of(s, "roles.b.attrition");
  const std::size_t g = index_of(s, "roles.b.growth");
  const std::size_t salary = index_of(s, "roles.a.salary");
  constexpr std::size_t n = 500;
  std::vector<double> shared_levels, salary_levels;
  std::vector<std::array<double, 3>> values;
  for (std::size_t r = 0; r < n; ++r) {
    const std::vector<double> levels = parameter_levels(s, 11, r);
    REQUIRE(levels[a] == levels[b]);  // one U for the NAME
    REQUIRE(levels[a] == levels[g]);
    shared_levels.push_back(levels[a]);
    salary_levels.push_back(levels[salary]);
    const std::vector<double> v = parameter_values(s, 11, r);
    values.push_back({v[a], v[b], v[g]});
  }
  // Perfect rank correlation: sorted by one, the others are sorted too.
  std::sort(values.begin(), values.end());
  for (std::size_t i = 1; i < n; ++i) {
    CHECK(values[i][1] >= values[i - 1][1]);
    CHECK(values[i][2] >= values[i - 1][2]);
  }
  // A parameter of its own draws from its own stream: the sample correlation
  // of independent uniforms is within 4 standard errors (1/√n) of 0.
  const double mean_shared = std::accumulate(shared_levels.begin(), shared_levels.end(), 0.0) / n;
  const double mean_salary = std::accumulate(salary_levels.begin(), salary_levels.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (shared_levels[i] - mean_shared) * (salary_levels[i] - mean_salary);
    sxx += (shared_levels[i] - mean_shared) * (shared_levels[i] - mean_shared);
    syy += (salary_levels[i] - mean_salary) * (salary_levels[i] - mean_salary);
  }
  CHECK(std::fabs(sxy / std::sqrt(sxx * syy)) < 4.0 / std::sqrt(double(n)));
  // The stream is keyed by the NAME, not by where it is used: moving the
  // shared parameter elsewhere keeps its U.
  const Scenario moved = load(std::string(kHead) +
                              "    severance: {uncertain: {dist: uniform, min: 1, max: 2}, "
                              "shared: economy}\n");
  for (std::size_t r = 0; r < 20; ++r)
    CHECK(parameter_levels(moved, 11, r)[0] == parameter_levels(s, 11, r)[a]);
}

TEST_CASE("two policies see the same U for the same PATH, whatever their DIST",
          "[uncertain][crn]") {
  const fs::path dir = scratch_dir("policies");
  std::ofstream(dir / "base.yaml") << R"(wfsim: 1
name: base
horizon_years: 3
roles:
  - id: a
    headcount: 100
    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}}
  - id: b
    headcount: 20
    salary: {uncertain: {dist: lognormal, mean: 50000, sd: 10000}}
)";
  // The policy adds a role before the others, a program with an uncertain
  // dropout, and changes the attrition DIST.
  std::ofstream(dir / "policy.yaml") << R"(wfsim: 1
name: policy
extends: base.yaml
roles:
  - id: c
    headcount: 5
  - id: a
    attrition: {uncertain: {dist: triangular, min: 0.2, mode: 0.3, max: 0.6}}
programs:
  - id: p
    type: upskilling
    eligible_roles: [a]
    duration_months: 6
    dropout: {uncertain: {dist: uniform, min: 0.1, max: 0.5}}
)";
  const Scenario base = wfsim::models::load_scenario_file((dir / "base.yaml").string());
  const Scenario policy = wfsim::models::load_scenario_file((dir / "policy.yaml").string());
  REQUIRE(policy.uncertain_parameters.size() == 3);
  const std::size_t base_a = index_of(base, "roles.a.attrition");
  const std::size_t base_b = index_of(base, "roles.b.salary");
  const std::size_t policy_a = index_of(policy, "roles.a.attrition");
  const std::size_t policy_b = index_of(policy, "roles.b.salary");
  for (std::size_t r = 0; r < 200; ++r) {
    const std::vector<double> u = parameter_levels(base, 5, r);
    const std::vector<double> v = parameter_levels(policy, 5, r);
    REQUIRE(u[base_a] == v[policy_a]);
    REQUIRE(u[base_b] == v[policy_b]);
    // Each policy applies its own DIST to the common U.
    const std::vector<double> x = parameter_values(policy, 5, r);
    REQUIRE(x[policy_a] == policy.uncertain_parameters[policy_a].dist.quantile(v[policy_a]));
    REQUIRE(parameter_values(base, 5, r)[base_b] == x[policy_b]);
  }
  // Another seed or replication gives another U.
  CHECK(parameter_levels(base, 6, 0)[base_a] != parameter_levels(base, 5, 0)[base_a]);
  CHECK(parameter_levels(base, 5, 1)[base_a] != parameter_levels(base, 5, 0)[base_a]);
  fs::remove_all(dir);
}

// ---------------------------------------------------------------------------
// Validation

TEST_CASE("an uncertain DIST must stay within the parameter's legal range", "[uncertain][checks]") {
  const std::string head = kHead;
  CHECK_THAT(error_of(head + "    attrition: {uncertain: {dist: uniform, min: -0.1, max: 0.3}}\n"),
             Catch::Contains("test.yaml:7:28: error: roles[a].attrition.uncertain: the uniform "
                             "distribution's support (-0.1, 0.3) leaves the legal range "
                             "(expected a number >= 0)"));
  CHECK_THAT(error_of(head + "mentoring: {mentor_roles: [a], mentor_share: {uncertain: {dist: "
                             "uniform, min: 0.5, max: 1.2}}}\n"),
             Catch::Contains("test.yaml:7:58: error: mentoring.mentor_share.uncertain: the "
                             "uniform distribution's support (0.5, 1.2) leaves the legal range "
                             "(expected a number in [0, 1])"));
  CHECK_THAT(error_of(head + "automation_waves: [{at_year: 1, role: a, fraction: {uncertain: "
                             "{dist: triangular, min: 0.5, mode: 0.9, max: 1.1}}}]\n"),
             Catch::Contains("automation_waves[0].fraction.uncertain: the triangular "
                             "distribution's support (0.5, 1.1) leaves the legal range"));
  CHECK_THAT(error_of(head + "automation_waves: [{at_year: {uncertain: {dist: uniform, min: 1, "
                             "max: 3}}, role: a, fraction: 0.1}]\n"),
             Catch::Contains("automation_waves[0].at_year.uncertain: the uniform distribution's "
                             "support (1, 3) leaves the legal range"));
  CHECK_THAT(error_of(head + "    severance: {uncertain: {dist: fixed, value: -1}}\n"),
             Catch::Contains("support {-1} leaves the legal range"));
  // A support open at 0 suits a range open at 0 ...
  CHECK(error_of(head + "mentoring: {mentor_roles: [a], duration_months: {uncertain: {dist: "
                        "lognormal, mean: 12, sd: 3}}}\n")
            .empty());
  CHECK(error_of(head + "automation_waves: [{at_year: 1, role: a, fraction: {uncertain: {dist: "
                        "uniform, min: 0, max: 0.2}}}]\n")
            .empty());
  // ... unless a draw can underflow to 0 there.
  CHECK_THAT(error_of(head + "mentoring: {mentor_roles: [a], duration_months: {uncertain: {dist: "
                             "gamma, mean: 1, sd: 20}}}\n"),
             Catch::Contains("mentoring.duration_months.uncertain: the gamma distribution can "
                             "draw 0, outside the legal range (expected a number > 0)"));
  // A count is checked at the largest value it can draw.
  CHECK_THAT(error_of(head + "    vacancies: {uncertain: {dist: lognormal, mean: 1000000, sd: "
                             "5000000}}\n"),
             Catch::Contains("test.yaml:7:16: error: roles[a].vacancies: initial positions"));
  CHECK_THAT(error_of(head + "mentoring: {mentor_roles: [a], mentees_per_mentor: {uncertain: "
                             "{dist: uniform, min: 0.5, max: 3}}}\n"),
             Catch::Contains("leaves the legal range (expected a whole number in [1, 10000])"));
}

TEST_CASE("malformed uncertain maps are rejected with file:line:col and the key path",
          "[uncertain][checks]") {
  const std::string head = kHead;
  CHECK_THAT(error_of(head + "    attrition: {uncertain: high}\n"),
             Catch::Contains("test.yaml:7:28: error: roles[a].attrition.uncertain: expected a "
                             "DIST (a number or {dist: "));
  CHECK_THAT(error_of(head + "    attrition: {uncertain: }\n"),
             Catch::Contains("roles[a].attrition.uncertain: missing value (expected a DIST"));
  CHECK_THAT(error_of(head + "    attrition: {uncertain: {dist: uniform, min: 0.1}}\n"),
             Catch::Contains("roles[a].attrition.uncertain.max: missing required key \"max\""));
  CHECK_THAT(
      error_of(head +
               "    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.3}, sharde: x}\n"),
      Catch::Contains("test.yaml:7:65: error: roles[a].attrition.sharde: unknown key \"sharde\" "
                      "in {uncertain: DIST, shared: NAME} (did you mean \"shared\"?)"));
  CHECK_THAT(error_of(head + "    attrition: {uncertain: 0.2, shared: Big-Name}\n"),
             Catch::Contains("roles[a].attrition.shared: expected a NAME ([a-z0-9_]+), got "
                             "\"Big-Name\""));
  CHECK_THAT(error_of(head + "    attrition: {uncertian: {dist: uniform, min: 0.1, max: 0.3}}\n"),
             Catch::Contains("(did you mean \"uncertain\"?)"));
  CHECK_THAT(error_of(head + "    salary: {uncertian: 3}\n"),
             Catch::Contains("roles[a].salary: expected a number >= 0, got a map (did you mean "
                             "\"uncertain\"?)"));
  CHECK_THAT(error_of(head + "    attrition: {uncertain: {uncertain: 0.2}}\n"),
             Catch::Contains("roles[a].attrition.uncertain: {uncertain} is not allowed here"));
}

TEST_CASE("only numbers of the policy sections can be uncertain", "[uncertain][checks]") {
  const std::string head = kHead;
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: {uncertain: {dist: uniform, min: 1, "
                      "max: 2}}\nroles: [{id: a, headcount: 1}]\n"),
             Catch::Contains("test.yaml:3:16: error: horizon_years: horizon_years cannot be "
                             "uncertain (only numbers in roles, automation_waves, displacement, "
                             "programs, mentoring and budget can be)"));
  CHECK_THAT(error_of(head + "    attrition: {piecewise: [[0, 0.1], [{uncertain: 1}, 0.2]]}\n"),
             Catch::Contains("roles[a].attrition.piecewise[1][0]: {uncertain} is not allowed "
                             "here"));
  CHECK_THAT(error_of(head + "    initial_tenure_years: {dist: exponential, mean: {uncertain: "
                             "1}}\n"),
             Catch::Contains("roles[a].initial_tenure_years.mean: {uncertain} is not allowed"));
  CHECK_THAT(error_of(head + "    backfill: {uncertain: 1}\n"),
             Catch::Contains("roles[a].backfill: {uncertain} is not allowed here (expected true "
                             "or false"));
  CHECK_THAT(error_of(head + "programs: [{id: p, type: benefit, eligible_roles: [a], "
                             "duration_months: 1, active_years: [{uncertain: 1}, 2]}]\n"),
             Catch::Contains("programs[p].active_years[0]: {uncertain} is not allowed here"));
}
