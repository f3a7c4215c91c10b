#include "wfsim/engine/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/math/distributions/students_t.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "wfsim/engine/streams.h"

namespace wfsim::engine {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const double* values, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += values[i];
  return sum / static_cast<double>(n);
}

// Two-pass sample standard deviation around a known mean.
double sd_of(const double* values, std::size_t n, double mean) {
  if (n < 2) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = values[i] - mean;
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(n - 1));
}

}  // namespace

double quantile_sorted(const double* sorted, std::size_t n, double p) {
  if (n == 0) return kNaN;
  const double h = p * static_cast<double>(n - 1);
  const double floor_h = std::floor(h);
  std::size_t lo = static_cast<std::size_t>(floor_h);
  if (lo >= n - 1) return sorted[n - 1];
  const double gamma = h - floor_h;
  const double a = sorted[lo];
  const double b = sorted[lo + 1];
  const double diff = b - a;
  // numpy's _lerp: interpolate from the nearer end for better rounding.
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

Summary summarize(const double* values, std::size_t n) {
  if (n == 0) return {kNaN, kNaN, kNaN, kNaN, kNaN};
  std::vector<double> sorted(values, values + n);
  if (std::any_of(sorted.begin(), sorted.end(), [](double v) { return std::isnan(v); })) {
    return {kNaN, kNaN, kNaN, kNaN, kNaN};
  }
  Summary s{};
  s.mean = mean_of(values, n);
  s.sd = sd_of(values, n, s.mean);
  std::sort(sorted.begin(), sorted.end());
  s.p05 = quantile_sorted(sorted.data(), n, 0.05);
  s.p50 = quantile_sorted(sorted.data(), n, 0.50);
  s.p95 = quantile_sorted(sorted.data(), n, 0.95);
  return s;
}

MeanInterval mean_ci95(const double* values, std::size_t n) {
  MeanInterval ci{kNaN, kNaN, kNaN, n};
  if (n == 0) return ci;
  ci.mean = mean_of(values, n);
  ci.sd = sd_of(values, n, ci.mean);
  if (n < 2) return ci;
  const boost::math::students_t t_dist(static_cast<double>(n - 1));
  const double t = boost::math::quantile(t_dist, 0.975);
  ci.half_width = t * ci.sd / std::sqrt(static_cast<double>(n));
  return ci;
}

MeanInterval paired_difference_ci95(const double* a, const double* b, std::size_t n) {
  std::vector<double> diff(n);
  for (std::size_t i = 0; i < n; ++i) diff[i] = a[i] - b[i];
  return mean_ci95(diff.data(), n);
}

RatioInterval paired_bootstrap_ratio_ci95(const double* num, const double* den, std::size_t n,
                                          std::size_t resamples, std::uint64_t seed) {
  RatioInterval out{kNaN, kNaN, kNaN, 0};
  if (n == 0) return out;
  out.estimate = mean_of(num, n) / mean_of(den, n);
  RandomStream stream(mix64(seed ^ 0xB0075742A9B0075EULL));
  boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> ratios;
  ratios.reserve(resamples);
  for (std::size_t b = 0; b < resamples; ++b) {
    double sum_num = 0.0, sum_den = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = pick(stream);
      sum_num += num[i];
      sum_den += den[i];
    }
    const double ratio = sum_num / sum_den;  // the 1/n factors cancel
    if (!std::isnan(ratio)) ratios.push_back(ratio);
  }
  out.resamples = ratios.size();
  if (ratios.empty()) return out;
  std::sort(ratios.begin(), ratios.end());
  out.low = quantile_sorted(ratios.data(), ratios.size(), 0.025);
  out.high = quantile_sorted(ratios.data(), ratios.size(), 0.975);
  return out;
}

}  // namespace wfsim::engine
