// Exact event times for hazards that vary in time.
//
// A process with hazard h(t) fires when its integrated hazard ∫h reaches a
// unit-exponential threshold E drawn once (integrated-hazard thresholds).
// When h changes mid-way (a new multiplier, a new role), the unconsumed part
// of E carries over: the event time stays exact, with no per-step Bernoulli
// approximation. Here h(t) = factor × calendar(t) × age(t − age_origin),
// both factors piecewise constant, e.g. a role's attrition RATE times a
// tenure multiplier.
#pragma once

#include <algorithm>

#include "wfsim/engine/piecewise.h"

namespace wfsim::engine {

struct Hazard {
  const PiecewiseConstant* calendar = nullptr;  // required
  const PiecewiseConstant* age = nullptr;       // optional: a function of t − age_origin
  double age_origin = 0.0;
  double factor = 1.0;

  // ∫_a^b h(t) dt for a <= b.
  double integral(double a, double b) const;
  // The t >= from at which ∫_from^t h = threshold, or kNever if that is
  // later than `until` (pass kNever for the true time, however late).
  double time_to_threshold(double from, double threshold, double until) const {
    if (age != nullptr && calendar->is_constant())
      return time_to_threshold_by_age(from, threshold, until);
    double left_at_until = 0.0;
    return time_to_threshold(from, threshold, until, left_at_until);
  }
  // The same time; when it is later than `until`, `left_at_until` receives
  // what is left of the threshold there (to continue the walk with another
  // hazard), else 0.
  double time_to_threshold(double from, double threshold, double until,
                           double& left_at_until) const {
    // A constant hazard, the common case, is answered here: no call.
    if (age != nullptr || !calendar->is_constant())
      return time_to_threshold_walk(from, threshold, until, left_at_until);
    left_at_until = 0.0;
    const double rate = factor * calendar->values()[0];
    if (!(rate > 0.0)) {
      left_at_until = threshold;
      return kNever;
    }
    const double t = from + threshold / rate;
    if (t <= until) return t;
    left_at_until = std::max(0.0, threshold - rate * std::max(0.0, until - from));
    return kNever;
  }
  // ∫_from^∞ h: finite when the hazard is 0 after its last breakpoint, else kNever.
  double tail_mass(double from) const;

 private:
  double time_to_threshold_walk(double from, double threshold, double until,
                                double& left_at_until) const;
  double time_to_threshold_by_age(double from, double threshold, double until) const;
};

}  // namespace wfsim::engine
