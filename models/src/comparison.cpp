#include "wfsim/models/comparison.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "wfsim/models/metrics.h"

namespace wfsim::models {

PolicyComparison compare_runs(const std::string& policy,
                              const std::vector<std::vector<double>>& base_totals,
                              const std::vector<std::uint8_t>& base_committed,
                              const std::vector<std::vector<double>>& policy_totals,
                              const std::vector<std::uint8_t>& policy_committed) {
  const std::size_t n = base_committed.size();
  if (policy_committed.size() != n || base_totals.size() != kKpiCount ||
      policy_totals.size() != kKpiCount)
    throw std::invalid_argument("compare_runs: the runs differ in shape");
  std::vector<std::size_t> pairs;  // replications completed in both, in index order
  for (std::size_t i = 0; i < n; ++i)
    if (base_committed[i] && policy_committed[i]) pairs.push_back(i);

  PolicyComparison out;
  out.policy = policy;
  out.pairs = pairs.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto paired = [&](const std::vector<double>& values) {
    std::vector<double> picked;
    picked.reserve(pairs.size());
    for (std::size_t i : pairs) picked.push_back(values[i]);
    return picked;
  };
  for (int k = 0; k < kKpiCount; ++k) {
    KpiComparison row;
    row.name = kKpis[k].name;
    const std::vector<double> base = paired(base_totals[k]);
    const std::vector<double> other = paired(policy_totals[k]);
    row.base_mean = engine::mean_ci95(base.data(), base.size()).mean;
    row.policy_mean = engine::mean_ci95(other.data(), other.size()).mean;
    row.difference = engine::paired_difference_ci95(other.data(), base.data(), pairs.size());
    row.differences.assign(n, nan);
    for (std::size_t i : pairs) row.differences[i] = policy_totals[k][i] - base_totals[k][i];
    out.kpis.push_back(std::move(row));
  }

  std::vector<double> saving, extra;
  for (std::size_t i : pairs) {
    saving.push_back(base_totals[kKpiTotalCost][i] - policy_totals[kKpiTotalCost][i]);
    extra.push_back((policy_totals[kKpiProgramSpend][i] + policy_totals[kKpiMentoringCost][i]) -
                    (base_totals[kKpiProgramSpend][i] + base_totals[kKpiMentoringCost][i]));
  }
  RoiComparison& roi = out.roi;
  roi.saving = engine::mean_ci95(saving.data(), saving.size());
  roi.extra_investment = engine::mean_ci95(extra.data(), extra.size());
  const engine::MeanInterval& e = roi.extra_investment;
  roi.available = e.n >= 2 && !std::isnan(e.half_width) &&
                  (e.mean - e.half_width > 0.0 || e.mean + e.half_width < 0.0);
  roi.ratio = {nan, nan, nan, 0};
  if (roi.available)
    roi.ratio = engine::paired_bootstrap_ratio_ci95(saving.data(), extra.data(), saving.size(),
                                                    kRoiBootstrapResamples, kRoiBootstrapSeed);
  return out;
}

}  // namespace wfsim::models
