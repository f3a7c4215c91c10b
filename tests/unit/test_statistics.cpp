#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "wfsim/engine/statistics.h"

using Catch::Matchers::WithinRel;
using wfsim::engine::MeanInterval;
using wfsim::engine::Summary;

TEST_CASE("summarize gives numpy's linear quantiles of 1..10", "[statistics]") {
  std::vector<double> x{7, 3, 10, 1, 5, 2, 9, 4, 8, 6};  // order must not matter
  const Summary s = wfsim::engine::summarize(x.data(), x.size());
  CHECK(s.mean == 5.5);
  CHECK_THAT(s.sd, WithinRel(3.0276503540974917, 1e-14));
  CHECK_THAT(s.p05, WithinRel(1.45, 1e-14));
  CHECK(s.p50 == 5.5);
  CHECK_THAT(s.p95, WithinRel(9.55, 1e-14));
}

TEST_CASE("summarize matches numpy.percentile to the last bit", "[statistics]") {
  // Reference values from numpy 1.24 np.percentile(z, [5, 50, 95]).
  std::vector<double> z{0.3, 1.7, -2.2, 9.1, 4.4, 0.01, 3.3};
  const Summary s = wfsim::engine::summarize(z.data(), z.size());
  CHECK(s.p05 == -1.5370000000000001);
  CHECK(s.p50 == 1.7);
  CHECK(s.p95 == 7.689999999999997);
}

TEST_CASE("summarize of one value has zero sd and every quantile equal to it", "[statistics]") {
  const double v = 3.25;
  const Summary s = wfsim::engine::summarize(&v, 1);
  CHECK(s.mean == v);
  CHECK(s.sd == 0.0);
  CHECK(s.p05 == v);
  CHECK(s.p50 == v);
  CHECK(s.p95 == v);
}

TEST_CASE("summarize of nothing or of a NaN is NaN everywhere", "[statistics]") {
  const Summary empty = wfsim::engine::summarize(nullptr, 0);
  CHECK(std::isnan(empty.mean));
  CHECK(std::isnan(empty.sd));
  CHECK(std::isnan(empty.p50));
  std::vector<double> x{1.0, std::nan(""), 2.0};
  const Summary s = wfsim::engine::summarize(x.data(), x.size());
  CHECK(std::isnan(s.mean));
  CHECK(std::isnan(s.p05));
  CHECK(std::isnan(s.p95));
}

TEST_CASE("the 95% CI of the mean uses Student's t with n-1 degrees of freedom", "[statistics]") {
  std::vector<double> y{2, 4, 4, 5, 7};
  const MeanInterval ci = wfsim::engine::mean_ci95(y.data(), y.size());
  CHECK(ci.n == 5);
  CHECK_THAT(ci.mean, WithinRel(4.4, 1e-14));
  CHECK_THAT(ci.sd, WithinRel(1.816590212458495, 1e-14));
  // t_{0.975, 4} = 2.7764451051977987 (scipy.stats.t.ppf).
  CHECK_THAT(ci.half_width / (ci.sd / std::sqrt(5.0)), WithinRel(2.7764451051977987, 1e-12));
  CHECK_THAT(ci.half_width, WithinRel(2.2555946662990443, 1e-12));
}

TEST_CASE("the CI half width is NaN with fewer than two values", "[statistics]") {
  const double v = 1.0;
  const MeanInterval one = wfsim::engine::mean_ci95(&v, 1);
  CHECK(one.mean == 1.0);
  CHECK(std::isnan(one.half_width));
  const MeanInterval none = wfsim::engine::mean_ci95(nullptr, 0);
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.half_width));
}

TEST_CASE("the paired difference CI is the CI of a - b", "[statistics]") {
  std::vector<double> a{10, 12, 9, 14, 11};
  std::vector<double> b{8, 11, 9, 12, 10};
  const MeanInterval ci = wfsim::engine::paired_difference_ci95(a.data(), b.data(), a.size());
  CHECK(ci.n == 5);
  CHECK_THAT(ci.mean, WithinRel(1.2, 1e-14));
  CHECK_THAT(ci.sd, WithinRel(0.8366600265340756, 1e-14));
  CHECK_THAT(ci.half_width, WithinRel(1.0388506336835697, 1e-12));
}

TEST_CASE("the paired bootstrap of a ratio keeps pairs together and is reproducible",
          "[statistics]") {
  // den = 2 num, pair by pair: every resample has ratio exactly 1/2.
  std::vector<double> num{1, 5, 2, 8, 3, 9, 4}, den;
  for (double x : num) den.push_back(2 * x);
  const auto exact = wfsim::engine::paired_bootstrap_ratio_ci95(num.data(), den.data(), 7, 500, 3);
  CHECK(exact.estimate == 0.5);
  CHECK(exact.low == 0.5);
  CHECK(exact.high == 0.5);
  CHECK(exact.resamples == 500);

  // Noisy pairs: the interval brackets the estimate, and is the same for the
  // same key and different for another.
  std::vector<double> saving{3, -1, 4, 1, -5, 9, 2, 6, 5, 3}, invest{2, 1, 2, 3, 1, 4, 2, 3, 2, 2};
  const auto a =
      wfsim::engine::paired_bootstrap_ratio_ci95(saving.data(), invest.data(), 10, 2000, 7);
  const auto b =
      wfsim::engine::paired_bootstrap_ratio_ci95(saving.data(), invest.data(), 10, 2000, 7);
  const auto c =
      wfsim::engine::paired_bootstrap_ratio_ci95(saving.data(), invest.data(), 10, 2000, 8);
  CHECK(a.estimate == Approx(27.0 / 22.0));
  CHECK(a.low < a.estimate);
  CHECK(a.high > a.estimate);
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  CHECK((a.low != c.low || a.high != c.high));

  const auto none = wfsim::engine::paired_bootstrap_ratio_ci95(nullptr, nullptr, 0, 100, 1);
  CHECK(std::isnan(none.estimate));
  CHECK(std::isnan(none.low));
}
