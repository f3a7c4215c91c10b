// Piecewise-constant functions of time: the RATE of SPEC §1 and the step
// functions (tenure multipliers, capacities, yearly caps) built from it.
#pragma once

// Results must be identical across builds and machines (README, Guarantees):
// -ffast-math and -Ofast reorder and approximate arithmetic. The build also
// passes -ffp-contract=off (CMakeLists.txt), which has no macro to check.
#ifdef __FAST_MATH__
#error "wfsim must not be built with -ffast-math or -Ofast: results would depend on the build"
#endif

#include <cstddef>
#include <limits>
#include <vector>

namespace wfsim::engine {

// f(t) = values[i] for starts[i] <= t < starts[i+1]; the last value holds for
// ever after. starts[0] == 0 and starts is strictly increasing; before 0 the
// first value holds.
class PiecewiseConstant {
 public:
  PiecewiseConstant() : starts_{0.0}, values_{0.0} {}
  explicit PiecewiseConstant(double constant) : starts_{0.0}, values_{constant} {}
  PiecewiseConstant(std::vector<double> starts, std::vector<double> values);

  double value_at(double t) const { return values_[segment_at(t)]; }
  std::size_t segment_at(double t) const {
    // Most functions have a handful of pieces: a scan beats a search.
    const std::size_t n = starts_.size();
    if (n > 8) return segment_search(t);
    std::size_t i = 0;
    while (i + 1 < n && starts_[i + 1] <= t) ++i;
    return i;
  }
  // The first breakpoint strictly after t, or +inf.
  double next_breakpoint_after(double t) const;

  bool is_constant() const { return values_.size() == 1; }
  bool is_zero() const { return values_[0] == 0.0 && (values_.size() == 1 || all_zero()); }
  double max_value() const;
  double min_value() const;

  // ∫_a^b f(t) dt for a <= b.
  double integral(double a, double b) const {
    if (!(b > a)) return 0.0;
    return starts_.size() == 1 ? values_[0] * (b - a) : integral_walk(a, b);
  }

  // Rebuilds the function in place, reusing its storage: `reset(v)` makes it
  // v from 0 on; `append(start, value)` adds a later piece.
  void reset(double first_value) {
    starts_.assign(1, 0.0);
    values_.assign(1, first_value);
  }
  void append(double start, double value);

  const std::vector<double>& starts() const { return starts_; }
  const std::vector<double>& values() const { return values_; }

  // Pointwise product c(t) = f(t) * g(t), with the union of breakpoints.
  PiecewiseConstant times(const PiecewiseConstant& other) const;
  PiecewiseConstant scaled(double factor) const;
  // Pointwise sum, with the union of breakpoints.
  PiecewiseConstant plus(const PiecewiseConstant& other) const;

 private:
  std::size_t segment_search(double t) const;
  bool all_zero() const;
  double integral_walk(double a, double b) const;

  std::vector<double> starts_;
  std::vector<double> values_;
};

constexpr double kNever = std::numeric_limits<double>::infinity();

}  // namespace wfsim::engine
