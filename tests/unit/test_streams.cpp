#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

#include "wfsim/engine/distribution.h"
#include "wfsim/engine/streams.h"

using namespace wfsim::engine;

TEST_CASE("a stream reproduces pinned values for a fixed key", "[engine][streams]") {
  // Golden values: a change here changes every result ever produced.
  StreamFactory factory(20190711, 3);
  RandomStream stream = factory.stream(hash_string("fc_associate"), 1);
  const std::uint64_t first = stream();
  const std::uint64_t second = stream();
  CHECK(first == 0x3f2554f9f1b71933ULL);
  CHECK(second == 0x227308dfc4fdf8e4ULL);
  CHECK(hash_string("fc_associate") == 0x856e70a2b87f7ff6ULL);
  RandomStream exponential(2024);
  CHECK(exponential.unit_exponential() == 0.44951844824770976);
}

TEST_CASE("Boost.Random distributions reproduce pinned values for a fixed stream",
          "[engine][distribution]") {
  // Boost's algorithms, unlike the standard library's, are the same everywhere;
  // these values guard that (and any change of parameterisation).
  Distribution lognormal;
  lognormal.kind = Distribution::Kind::lognormal;
  lognormal.mean = 9.0;
  lognormal.sd = 2.0;
  RandomStream a(2024);
  const double first = lognormal.sample(a);
  const double second = lognormal.sample(a);
  CHECK(first == 9.979186504511727);
  CHECK(second == 8.6095071161878085);

  Distribution gamma;
  gamma.kind = Distribution::Kind::gamma;
  gamma.mean = 6.0;
  gamma.sd = 3.0;
  RandomStream b(2024);
  CHECK(gamma.sample(b) == 5.7514360496659211);

  Distribution triangular;
  triangular.kind = Distribution::Kind::triangular;
  triangular.min = 0.0;
  triangular.mode = 1.0;
  triangular.max = 4.0;
  RandomStream c(2024);
  CHECK(triangular.sample(c) == 1.8850091159172067);
}

TEST_CASE("streams with different keys differ and the same key repeats", "[engine][streams]") {
  StreamFactory a(1, 0), b(1, 1), c(2, 0);
  std::set<std::uint64_t> firsts;
  for (std::uint64_t entity = 0; entity < 1000; ++entity) {
    firsts.insert(a.stream(entity, 1)());
    firsts.insert(a.stream(entity, 2)());
    firsts.insert(b.stream(entity, 1)());
    firsts.insert(c.stream(entity, 1)());
  }
  CHECK(firsts.size() == 4000);
  CHECK(a.stream(5, 1)() == StreamFactory(1, 0).stream(5, 1)());
  CHECK(a.stream(5, 1, 0)() != a.stream(5, 1, 1)());
}

TEST_CASE("role keys hash the id string, not a list position", "[engine][streams]") {
  CHECK(hash_string("data_scientist") == hash_string(std::string("data_") + "scientist"));
  CHECK(hash_string("a") != hash_string("b"));
}

TEST_CASE("uniform draws lie strictly inside (0, 1) with mean 1/2 and variance 1/12",
          "[engine][streams]") {
  RandomStream stream(7);
  const int n = 200000;
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = stream.uniform_open();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sum_sq += u * u;
  }
  const double mean = sum / n;
  const double variance = sum_sq / n - mean * mean;
  CHECK(std::fabs(mean - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / n));
  // (U − 1/2)² has mean 1/12 and variance E[(U − 1/2)⁴] − 1/144 = 1/80 − 1/144.
  CHECK(std::fabs(variance - 1.0 / 12.0) < 4.0 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
}

TEST_CASE("unit exponential thresholds have mean 1", "[engine][streams]") {
  StreamFactory factory(3, 0);
  const int n = 100000;
  double sum = 0.0;
  for (int i = 0; i < n; ++i)
    sum += factory.stream(static_cast<std::uint64_t>(i), 1).unit_exponential();
  CHECK(std::fabs(sum / n - 1.0) < 4.0 / std::sqrt(n));  // sd of Exp(1) is 1
}

namespace {
void check_distribution_moments(const Distribution& dist, double expected_mean,
                                double expected_sd) {
  RandomStream stream(2024);
  const int n = 100000;
  std::vector<double> xs(n);
  double sum = 0.0;
  for (double& x : xs) {
    x = dist.sample(stream);
    REQUIRE(x >= dist.support_min());
    REQUIRE(x <= dist.support_max());
    sum += x;
  }
  const double mean = sum / n;
  double m2 = 0.0, m4 = 0.0;
  for (double x : xs) {
    const double d2 = (x - mean) * (x - mean);
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  CHECK(std::fabs(mean - expected_mean) < 4.0 * expected_sd / std::sqrt(n));
  // The sample variance's standard error, from the sample's fourth moment.
  const double variance_se = std::sqrt((m4 - m2 * m2) / n);
  CHECK(std::fabs(m2 - expected_sd * expected_sd) < 4.0 * variance_se);
}
}  // namespace

TEST_CASE("every DIST kind samples with its documented mean and sd", "[engine][distribution]") {
  Distribution d;
  d.kind = Distribution::Kind::exponential;
  d.mean = 2.0;
  check_distribution_moments(d, 2.0, 2.0);

  d = Distribution{};
  d.kind = Distribution::Kind::lognormal;  // by the variable's own mean and sd
  d.mean = 9.0;
  d.sd = 2.0;
  check_distribution_moments(d, 9.0, 2.0);

  d = Distribution{};
  d.kind = Distribution::Kind::gamma;
  d.mean = 6.0;
  d.sd = 3.0;
  check_distribution_moments(d, 6.0, 3.0);

  d = Distribution{};
  d.kind = Distribution::Kind::uniform;
  d.min = 1.0;
  d.max = 4.0;
  check_distribution_moments(d, 2.5, 3.0 / std::sqrt(12.0));

  d = Distribution{};
  d.kind = Distribution::Kind::triangular;
  d.min = 0.0;
  d.mode = 1.0;
  d.max = 4.0;
  const double var = (0.0 + 1.0 + 16.0 - 0.0 - 0.0 - 4.0) / 18.0;  // (a²+b²+c²−ab−ac−bc)/18
  check_distribution_moments(d, 5.0 / 3.0, std::sqrt(var));
}

TEST_CASE("a fixed DIST always returns its value", "[engine][distribution]") {
  RandomStream stream(1);
  const Distribution d = Distribution::fixed_value(3.5);
  for (int i = 0; i < 10; ++i) CHECK(d.sample(stream) == 3.5);
}

TEST_CASE("a DIST's quantile inverts Boost.Math's CDF", "[engine][distribution]") {
  Distribution lognormal;
  lognormal.kind = Distribution::Kind::lognormal;
  lognormal.mean = 9.0;
  lognormal.sd = 2.0;
  Distribution gamma = lognormal;
  gamma.kind = Distribution::Kind::gamma;
  Distribution exponential;
  exponential.kind = Distribution::Kind::exponential;
  exponential.mean = 2.0;
  Distribution uniform;
  uniform.kind = Distribution::Kind::uniform;
  uniform.min = -1.0;
  uniform.max = 3.0;
  Distribution triangular;
  triangular.kind = Distribution::Kind::triangular;
  triangular.min = 1.0;
  triangular.mode = 2.0;
  triangular.max = 5.0;
  // CDFs written from the parameterisation of SPEC §1, independently of the
  // code under test.
  const double sigma2 = std::log(1.0 + 4.0 / 81.0);
  const boost::math::lognormal_distribution<> lognormal_cdf(std::log(9.0) - sigma2 / 2,
                                                            std::sqrt(sigma2));
  const boost::math::gamma_distribution<> gamma_cdf(81.0 / 4.0, 4.0 / 9.0);
  const boost::math::exponential_distribution<> exponential_cdf(0.5);
  const boost::math::uniform_distribution<> uniform_cdf(-1.0, 3.0);
  const boost::math::triangular_distribution<> triangular_cdf(1.0, 2.0, 5.0);
  for (double u : {1e-9, 0.01, 0.2, 0.25, 0.5, 0.75, 0.9, 0.999999}) {
    INFO("u = " << u);
    CHECK(boost::math::cdf(lognormal_cdf, lognormal.quantile(u)) == Approx(u).epsilon(1e-9));
    CHECK(boost::math::cdf(gamma_cdf, gamma.quantile(u)) == Approx(u).epsilon(1e-9));
    CHECK(boost::math::cdf(exponential_cdf, exponential.quantile(u)) == Approx(u).epsilon(1e-9));
    CHECK(boost::math::cdf(uniform_cdf, uniform.quantile(u)) == Approx(u).epsilon(1e-9));
    CHECK(boost::math::cdf(triangular_cdf, triangular.quantile(u)) == Approx(u).epsilon(1e-9));
  }
  CHECK(triangular.quantile(0.25) == Approx(2.0));  // F(mode) = (2 − 1) / (5 − 1)
  CHECK(Distribution::fixed_value(4.5).quantile(0.3) == 4.5);
}

TEST_CASE("levels lie in [2^-53, 1 - 2^-53] and never reach 0 or 1", "[engine][streams]") {
  CHECK(RandomStream::kLevelMin > 0.0);
  CHECK(RandomStream::kLevelMax < 1.0);
  CHECK(1.0 - RandomStream::kLevelMax == RandomStream::kLevelMin);
  // The extreme raw outputs map to the extreme levels exactly.
  CHECK((static_cast<double>(~0ULL >> 12) + 0.5) * 0x1.0p-52 == RandomStream::kLevelMax);
  CHECK((static_cast<double>(0ULL >> 12) + 0.5) * 0x1.0p-52 == RandomStream::kLevelMin);
  RandomStream stream(7);
  for (int i = 0; i < 100000; ++i) {
    const double u = stream.uniform_level();
    REQUIRE(u >= RandomStream::kLevelMin);
    REQUIRE(u <= RandomStream::kLevelMax);
  }
}
