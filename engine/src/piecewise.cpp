#include "wfsim/engine/piecewise.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace wfsim::engine {

PiecewiseConstant::PiecewiseConstant(std::vector<double> starts, std::vector<double> values)
    : starts_(std::move(starts)), values_(std::move(values)) {
  if (starts_.empty() || starts_.size() != values_.size() || starts_.front() != 0.0)
    throw std::invalid_argument("piecewise function needs matching breakpoints starting at 0");
  for (std::size_t i = 1; i < starts_.size(); ++i)
    if (!(starts_[i] > starts_[i - 1]))
      throw std::invalid_argument("piecewise breakpoints must be strictly increasing");
}

void PiecewiseConstant::append(double start, double value) {
  if (!(start > starts_.back()))
    throw std::invalid_argument("piecewise breakpoints must be strictly increasing");
  starts_.push_back(start);
  values_.push_back(value);
}

std::size_t PiecewiseConstant::segment_search(double t) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
  return it == starts_.begin() ? 0 : static_cast<std::size_t>(it - starts_.begin()) - 1;
}

double PiecewiseConstant::next_breakpoint_after(double t) const {
  if (starts_.size() == 1) return kNever;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
  return it == starts_.end() ? kNever : *it;
}

bool PiecewiseConstant::all_zero() const {
  return std::all_of(values_.begin(), values_.end(), [](double v) { return v == 0.0; });
}

double PiecewiseConstant::max_value() const {
  return *std::max_element(values_.begin(), values_.end());
}

double PiecewiseConstant::min_value() const {
  return *std::min_element(values_.begin(), values_.end());
}

double PiecewiseConstant::integral_walk(double a, double b) const {
  double total = 0.0;
  std::size_t i = segment_at(a);
  double t = a;
  while (t < b) {
    double end = i + 1 < starts_.size() ? std::min(starts_[i + 1], b) : b;
    total += values_[i] * (end - t);
    t = end;
    ++i;
  }
  return total;
}

namespace {
template <typename Combine>
PiecewiseConstant combine(const PiecewiseConstant& a, const PiecewiseConstant& b, Combine op) {
  std::vector<double> starts;
  std::merge(a.starts().begin(), a.starts().end(), b.starts().begin(), b.starts().end(),
             std::back_inserter(starts));
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<double> values;
  values.reserve(starts.size());
  for (double s : starts) values.push_back(op(a.value_at(s), b.value_at(s)));
  return PiecewiseConstant(std::move(starts), std::move(values));
}
}  // namespace

PiecewiseConstant PiecewiseConstant::times(const PiecewiseConstant& other) const {
  return combine(*this, other, [](double x, double y) { return x * y; });
}

PiecewiseConstant PiecewiseConstant::plus(const PiecewiseConstant& other) const {
  return combine(*this, other, [](double x, double y) { return x + y; });
}

PiecewiseConstant PiecewiseConstant::scaled(double factor) const {
  std::vector<double> values = values_;
  for (double& v : values) v *= factor;
  return PiecewiseConstant(starts_, std::move(values));
}

}  // namespace wfsim::engine
