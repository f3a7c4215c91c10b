// Summary statistics over replications.
//
// Every function here is serial and sums in index order, so a result depends
// only on the values and their order, never on how many threads produced
// them (the caller stores each replication's value at its index).
#pragma once

#include <cstddef>
#include <cstdint>

namespace wfsim::engine {

struct Summary {
  double mean;  // arithmetic mean
  double sd;    // sample standard deviation (divisor n - 1); 0 when n < 2
  double p05;   // 5th percentile
  double p50;   // median
  double p95;   // 95th percentile
};

// Mean, sample sd and the 5/50/95 % quantiles of values[0..n).
//
// Quantiles use linear interpolation between order statistics (Hyndman and
// Fan type 7, numpy's default method "linear"): with x sorted ascending and
// h = (n - 1) p, Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]),
// evaluated exactly as numpy does so the two agree to the last bit.
// n == 0, or any NaN among the values, gives NaN for every field.
Summary summarize(const double* values, std::size_t n);

// The p-quantile (0 <= p <= 1) of sorted[0..n) by the method above.
double quantile_sorted(const double* sorted, std::size_t n, double p);

struct MeanInterval {
  double mean;
  double half_width;  // the 95 % CI is mean ± half_width
  double sd;          // sample standard deviation
  std::size_t n;
};

// 95 % confidence interval of the mean by Student's t:
// half_width = t_{0.975, n-1} · sd / √n. For n < 2 the half width is NaN
// (and for n == 0 the mean too).
MeanInterval mean_ci95(const double* values, std::size_t n);

// The same for the paired differences a[i] - b[i] (common random numbers:
// a and b are two policies' results on the same replication).
MeanInterval paired_difference_ci95(const double* a, const double* b, std::size_t n);

struct RatioInterval {
  double estimate;  // mean(numerator) / mean(denominator) over the sample
  double low;       // 2.5 % and 97.5 % percentiles of the bootstrap ratios
  double high;
  std::size_t resamples;  // bootstrap ratios with a defined value (0/0 dropped)
};

// Paired percentile bootstrap of the ratio of means mean(num) / mean(den):
// each of `resamples` resamples draws n indices with replacement, the same
// indices for both arrays (so the pairing of replication i in num and den is
// kept), from a RandomStream keyed by `seed`; the interval is the 2.5 % and
// 97.5 % quantiles (method of quantile_sorted) of the resampled ratios. Serial
// and a pure function of its arguments. NaN everywhere for n == 0.
RatioInterval paired_bootstrap_ratio_ci95(const double* num, const double* den, std::size_t n,
                                          std::size_t resamples, std::uint64_t seed);

}  // namespace wfsim::engine
