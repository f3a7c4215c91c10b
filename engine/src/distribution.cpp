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
  return Sampler(*this).sample(stream);
}

Sampler::Sampler(const Distribution& d) : kind_(d.kind) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
    case Kind::fixed:
      a_ = d.value;
      break;
    case Kind::exponential:
      a_ = d.mean;
      break;
    case Kind::lognormal: {
      // Parameterised by the mean and sd of the variable itself (SPEC §1).
      const double sigma2 = std::log1p((d.sd * d.sd) / (d.mean * d.mean));
      a_ = std::log(d.mean) - 0.5 * sigma2;
      b_ = std::sqrt(sigma2);
      break;
    }
    case Kind::gamma:
      a_ = (d.mean * d.mean) / (d.sd * d.sd);
      b_ = (d.sd * d.sd) / d.mean;
      break;
    case Kind::uniform:
      a_ = d.min;
      b_ = d.max;
      break;
    case Kind::triangular:
      a_ = d.min;
      b_ = d.mode;
      c_ = d.max;
      break;
  }
  // Without spread, the value itself.
  const bool degenerate =
      ((d.kind == Kind::lognormal || d.kind == Kind::gamma) && d.sd == 0.0) ||
      ((d.kind == Kind::uniform || d.kind == Kind::triangular) && d.max == d.min);
  if (degenerate) {
    kind_ = Kind::fixed;
    a_ = d.kind == Kind::lognormal || d.kind == Kind::gamma ? d.mean : d.min;
  }
}

double Sampler::sample(RandomStream& stream) const {
  using Kind = Distribution::Kind;
  switch (kind_) {
    case Kind::fixed:
      return a_;
    case Kind::exponential:
      return a_ * stream.unit_exponential();
    case Kind::lognormal:
      return boost::random::lognormal_distribution<double>(a_, b_)(stream);
    case Kind::gamma:
      return boost::random::gamma_distribution<double>(a_, b_)(stream);
    case Kind::uniform:
      return boost::random::uniform_real_distribution<double>(a_, b_)(stream);
    case Kind::triangular:
      return boost::random::triangle_distribution<double>(a_, b_, c_)(stream);
  }
  return a_;
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
