#include "wfsim/engine/distribution.h"

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

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

double Distribution::support_min() const {
  switch (kind) {
    case Kind::fixed:
      return value;
    case Kind::exponential:
    case Kind::lognormal:
    case Kind::gamma:
      return (sd == 0.0 && kind != Kind::exponential) ? mean : 0.0;
    case Kind::uniform:
    case Kind::triangular:
      return min;
  }
  return value;
}

double Distribution::support_max() const {
  switch (kind) {
    case Kind::fixed:
      return value;
    case Kind::exponential:
    case Kind::lognormal:
    case Kind::gamma:
      return (sd == 0.0 && kind != Kind::exponential) ? mean
                                                      : std::numeric_limits<double>::infinity();
    case Kind::uniform:
    case Kind::triangular:
      return max;
  }
  return value;
}

const char* Distribution::kind_name(Kind kind) {
  switch (kind) {
    case Kind::fixed:
      return "fixed";
    case Kind::exponential:
      return "exponential";
    case Kind::lognormal:
      return "lognormal";
    case Kind::gamma:
      return "gamma";
    case Kind::uniform:
      return "uniform";
    case Kind::triangular:
      return "triangular";
  }
  return "?";
}

}  // namespace wfsim::engine
