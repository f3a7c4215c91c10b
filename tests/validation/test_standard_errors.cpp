// The standard errors the engine reports are themselves right: over many
// seeds of a closed-form case, z = (reported mean − exact) / (reported SE)
// behaves like a standard normal variate (strictly, Student t with n − 1
// degrees of freedom: E z² = (n − 1)/(n − 3) ≈ 1.07 at n = 30).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "harness.h"
#include "wfsim/engine/statistics.h"

using namespace wfsim::models;
using namespace wfsim::testing;

TEST_CASE(
    "the reported standard errors of pure attrition cover the exact mean as often as they should",
    "[validation][statistics]") {
  // Pure attrition without backfill: the final headcount is
  // Binomial(N, e^−h·T), mean N·e^−h·T.
  const double N = 40, h = 0.5, T = 1.0;
  Role role = make_role("worker", 40, h);
  role.backfill = false;
  const Scenario scenario = make_scenario(T, 1, {role});
  const double exact = N * std::exp(-h * T);
  const std::size_t replications = 30;
  const int seeds = 100;
  int outside = 0;
  double sum_z2 = 0.0;
  for (int seed = 1; seed <= seeds; ++seed) {
    const Runs runs(scenario, replications, static_cast<std::uint64_t>(seed));
    std::vector<double> headcount(replications);
    for (std::size_t i = 0; i < replications; ++i) headcount[i] = runs.kpi(i, kKpiFinalHeadcount);
    const wfsim::engine::MeanInterval reported =
        wfsim::engine::mean_ci95(headcount.data(), headcount.size());
    const double standard_error = reported.sd / std::sqrt(static_cast<double>(reported.n));
    REQUIRE(standard_error > 0.0);
    const double z = (reported.mean - exact) / standard_error;
    if (std::fabs(z) > 1.96) ++outside;
    sum_z2 += z * z;
  }
  const double mean_z2 = sum_z2 / seeds;
  INFO("|z| > 1.96 for " << outside << " of " << seeds << " seeds; mean z² " << mean_z2);
  CHECK(outside <= 15);
  CHECK(mean_z2 >= 0.55);
  CHECK(mean_z2 <= 1.55);
}
