#include "wfsim/engine/hazard.h"

#include <algorithm>

namespace wfsim::engine {

namespace {

// Walks the segments on which h is constant, from `from` to `until`, calling
// visit(start, end, rate) until it returns false.
template <typename Visit>
void for_each_segment(const Hazard& h, double from, double until, Visit&& visit) {
  double t = from;
  while (t < until) {
    double rate = h.factor * h.calendar->value_at(t);
    double end = std::min(until, h.calendar->next_breakpoint_after(t));
    if (h.age != nullptr) {
      const double age = t - h.age_origin;
      rate *= h.age->value_at(age);
      const double age_break = h.age->next_breakpoint_after(age);
      if (age_break != kNever) end = std::min(end, h.age_origin + age_break);
    }
    if (!(end > t)) end = until;  // guards against rounding at a breakpoint
    if (!visit(t, end, rate)) return;
    t = end;
  }
}

}  // namespace

double Hazard::integral(double a, double b) const {
  if (!(b > a)) return 0.0;
  if (age == nullptr && calendar->is_constant()) return factor * calendar->values()[0] * (b - a);
  double total = 0.0;
  for_each_segment(*this, a, b, [&](double start, double end, double rate) {
    total += rate * (end - start);
    return true;
  });
  return total;
}

double Hazard::time_to_threshold(double from, double threshold, double until) const {
  if (age == nullptr && calendar->is_constant()) {
    const double rate = factor * calendar->values()[0];
    if (!(rate > 0.0)) return kNever;
    const double t = from + threshold / rate;
    return t <= until ? t : kNever;
  }
  double left = threshold;
  double result = kNever;
  for_each_segment(*this, from, until, [&](double start, double end, double rate) {
    const double mass = rate * (end - start);
    if (rate > 0.0 && mass >= left) {
      result = std::min(end, start + left / rate);
      return false;
    }
    left -= mass;
    return true;
  });
  return result;
}

}  // namespace wfsim::engine
