#include "wfsim/engine/distribution.h"

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <limits>

namespace wfsim::engine {

double Distribution::sample(RandomStream& stream) const {
  switch (kind) {
    case Kind::fixed:
      return value;
    case Kind::exponential:
      return mean * stream.unit_exponential();
    case Kind::lognormal: {
      if (sd == 0.0) return mean;
      // Parameterised by the mean and sd of the variable itself (SPEC §1).
      const double sigma2 = std::log1p((sd * sd) / (mean * mean));
      const double mu = std::log(mean) - 0.5 * sigma2;
      return boost::random::lognormal_distribution<double>(mu, std::sqrt(sigma2))(stream);
    }
    case Kind::gamma: {
      if (sd == 0.0) return mean;
      const double shape = (mean * mean) / (sd * sd);
      const double scale = (sd * sd) / mean;
      return boost::random::gamma_distribution<double>(shape, scale)(stream);
    }
    case Kind::uniform:
      if (max == min) return min;
      return boost::random::uniform_real_distribution<double>(min, max)(stream);
    case Kind::triangular:
      if (max == min) return min;
      return boost::random::triangle_distribution<double>(min, mode, max)(stream);
  }
  return value;
}

namespace {
// Overflow gives +inf (the caller checks the range); other errors throw.
using QuantilePolicy = boost::math::policies::policy<
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>>;
}  // namespace

double Distribution::quantile(double u) const {
  switch (kind) {
    case Kind::fixed:
      return value;
    case Kind::exponential:
      return -mean * std::log1p(-u);
    case Kind::lognormal: {
      if (sd == 0.0) return mean;
      const double sigma2 = std::log1p((sd * sd) / (mean * mean));
      const double mu = std::log(mean) - 0.5 * sigma2;
      return boost::math::quantile(
          boost::math::lognormal_distribution<double, QuantilePolicy>(mu, std::sqrt(sigma2)), u);
    }
    case Kind::gamma: {
      if (sd == 0.0) return mean;
      const double shape = (mean * mean) / (sd * sd);
      const double scale = (sd * sd) / mean;
      return boost::math::quantile(
          boost::math::gamma_distribution<double, QuantilePolicy>(shape, scale), u);
    }
    case Kind::uniform:
      return min + u * (max - min);
    case Kind::triangular: {
      if (max == min) return min;
      // F(x) = (x − a)² / ((b − a)(c − a)) up to the mode c, then
      // 1 − (b − x)² / ((b − a)(b − c)).
      const double width = max - min;
      if (u * width < mode - min) return min + std::sqrt(u * width * (mode - min));
      return max - std::sqrt((1.0 - u) * width * (max - mode));
    }
  }
  return value;
}

double Distribution::expected_value() const {
  switch (kind) {
    case Kind::fixed:
      return value;
    case Kind::exponential:
    case Kind::lognormal:
    case Kind::gamma:
      return mean;
    case Kind::uniform:
      return 0.5 * (min + max);
    case Kind::triangular:
      return (min + mode + max) / 3.0;
  }
  return value;
}

std::pair<double, double> Distribution::support() const {
  switch (kind) {
    case Kind::fixed:
      return {value, value};
    case Kind::exponential:
      return {0.0, std::numeric_limits<double>::infinity()};
    case Kind::lognormal:
    case Kind::gamma:
      if (sd == 0.0) return {mean, mean};  // degenerate: always the mean
      return {0.0, std::numeric_limits<double>::infinity()};
    case Kind::uniform:
    case Kind::triangular:
      return {min, max};
  }
  return {value, value};
}

}  // namespace wfsim::engine
