#include "wfsim/engine/hazard.h"

#include <algorithm>

namespace wfsim::engine {

namespace {

// Steps through the pieces of one piecewise function along the clock,
// without searching again at every step.
class PieceCursor {
 public:
  PieceCursor(const PiecewiseConstant& f, double offset, double t)
      : starts_(f.starts()),
        values_(f.values()),
        offset_(offset),
        index_(f.segment_at(t - offset)) {}
  double value() const { return values_[index_]; }
  double next_break() const {
    return index_ + 1 < starts_.size() ? offset_ + starts_[index_ + 1] : kNever;
  }
  void advance_past(double t) {
    while (index_ + 1 < starts_.size() && offset_ + starts_[index_ + 1] <= t) ++index_;
  }

 private:
  const std::vector<double>& starts_;
  const std::vector<double>& values_;
  double offset_;
  std::size_t index_;
};

const PiecewiseConstant kNoAgeFactor(1.0);

// Walks the segments on which h is constant, from `from` to `until`, calling
// visit(start, end, rate) until it returns false.
template <typename Visit>
void for_each_segment(const Hazard& h, double from, double until, Visit&& visit) {
  PieceCursor calendar(*h.calendar, 0.0, from);
  PieceCursor age(h.age != nullptr ? *h.age : kNoAgeFactor, h.age_origin, from);
  double t = from;
  while (t < until) {
    double end = std::min({until, calendar.next_break(), age.next_break()});
    if (!(end > t)) end = until;  // guards against rounding at a breakpoint
    if (!visit(t, end, h.factor * calendar.value() * age.value())) return;
    t = end;
    calendar.advance_past(t);
    age.advance_past(t);
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

// The walk for a hazard that varies (the constant case is inline).
double Hazard::time_to_threshold_walk(double from, double threshold, double until,
                                      double& left_at_until) const {
  left_at_until = 0.0;
  if (age == nullptr && from < until) {
    // Most walks end within the piece they start in: the first step of the
    // walk below, with the same arithmetic, without its cursors.
    const std::vector<double>& starts = calendar->starts();
    const std::size_t i = calendar->segment_at(from);
    if (i + 1 == starts.size() || starts[i + 1] >= until) {
      const double rate = factor * calendar->values()[i];
      if (!(rate > 0.0)) {
        left_at_until = std::max(0.0, threshold);
        return kNever;
      }
      if (until == kNever || rate * (until - from) >= threshold) {
        const double t = from + threshold / rate;
        return t <= until ? std::min(until, t) : kNever;
      }
      left_at_until = std::max(0.0, threshold - rate * (until - from));
      return kNever;
    }
  }
  double left = threshold;
  double result = kNever;
  bool reached = false;
  for_each_segment(*this, from, until, [&](double start, double end, double rate) {
    if (!(rate > 0.0)) return true;  // nothing consumed (and no 0 × ∞ on an open end)
    if (end == kNever || rate * (end - start) >= left) {
      const double t = start + left / rate;
      result = t <= until ? std::min(end, t) : kNever;
      reached = true;
      return false;
    }
    left -= rate * (end - start);
    return true;
  });
  if (!reached) left_at_until = std::max(0.0, left);
  return result;
}

// The common case of a constant calendar and an age factor (a role's
// attrition rate and its tenure multipliers): the walk of for_each_segment
// over the age pieces alone, with the same arithmetic, so the same result.
double Hazard::time_to_threshold_by_age(double from, double threshold, double until) const {
  const double base = factor * calendar->values()[0];
  const std::vector<double>& starts = age->starts();
  const std::vector<double>& values = age->values();
  std::size_t i = age->segment_at(from - age_origin);
  double left = threshold;
  for (double t = from; t < until;) {
    double end = std::min(until, i + 1 < starts.size() ? age_origin + starts[i + 1] : kNever);
    if (!(end > t)) end = until;  // guards against rounding at a breakpoint
    const double rate = base * values[i];
    if (rate > 0.0) {
      if (end == kNever || rate * (end - t) >= left) {
        const double reached = t + left / rate;
        return reached <= until ? std::min(end, reached) : kNever;
      }
      left -= rate * (end - t);
    }
    t = end;
    while (i + 1 < starts.size() && age_origin + starts[i + 1] <= t) ++i;
  }
  return kNever;
}

double Hazard::tail_mass(double from) const {
  double last_break = calendar->starts().back();
  double tail_rate = factor * calendar->values().back();
  if (age != nullptr) {
    last_break = std::max(last_break, age_origin + age->starts().back());
    tail_rate *= age->values().back();
  }
  if (tail_rate > 0.0) return kNever;
  return integral(from, std::max(from, last_break));
}

}  // namespace wfsim::engine
