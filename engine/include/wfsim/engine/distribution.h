// Probability distributions of SPEC §1 (DIST), sampled with Boost.Random so
// that draws are identical across standard libraries.
#pragma once

#include <string>
#include <utility>

#include "wfsim/engine/streams.h"

namespace wfsim::engine {

struct Distribution {
  enum class Kind { fixed, exponential, lognormal, gamma, uniform, triangular };
  Kind kind = Kind::fixed;
  // fixed: value; exponential: mean; lognormal/gamma: mean, sd;
  // uniform: min, max; triangular: min, mode, max.
  double value = 0.0;
  double mean = 0.0;
  double sd = 0.0;
  double min = 0.0;
  double mode = 0.0;
  double max = 0.0;

  static Distribution fixed_value(double v) {
    Distribution d;
    d.value = v;
    return d;
  }

  double sample(RandomStream& stream) const;
  // The inverse CDF F⁻¹(u) for 0 < u < 1 (left-continuous: the smallest x
  // with F(x) >= u). Lognormal and gamma use Boost.Math; a value too large
  // for a double is +inf. Used for parameters drawn once per replication
  // (SPEC §1, uncertain parameters), where one U per parameter keeps draws
  // rank-correlated across policies and shared names.
  double quantile(double u) const;
  double expected_value() const;
  // Smallest and largest values the distribution can produce.
  std::pair<double, double> support() const;
  double support_min() const { return support().first; }
  double support_max() const { return support().second; }
};

// A distribution with its parameters worked out once (the lognormal's μ and
// σ from its mean and sd), for the many draws of a replication: the same
// draws as Distribution::sample.
class Sampler {
 public:
  Sampler() = default;
  explicit Sampler(const Distribution& distribution);
  double sample(RandomStream& stream) const;

 private:
  Distribution::Kind kind_ = Distribution::Kind::fixed;
  // fixed: a; exponential: a = mean; lognormal: a = μ, b = σ; gamma:
  // a = shape, b = scale; uniform: a = min, b = max; triangular: a, b, c =
  // min, mode, max.
  double a_ = 0.0, b_ = 0.0, c_ = 0.0;
};

}  // namespace wfsim::engine
