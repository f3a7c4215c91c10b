// Comparing policies with common random numbers (SPEC §3, `compare`).
//
// Every scenario of a comparison runs with the same seed and replication
// count, so replication i of the base and replication i of a policy share
// their random streams wherever their histories agree (SPEC §2), including
// the draws of uncertain parameters (keyed by PATH, uncertainty.h). The
// comparison therefore works on paired differences, replication by
// replication, over the replications completed in both runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wfsim/engine/statistics.h"

namespace wfsim::models {

// ROI's paired bootstrap: resamples and the key of its random stream. Fixed,
// so that a comparison is a pure function of the runs.
inline constexpr std::size_t kRoiBootstrapResamples = 2000;
inline constexpr std::uint64_t kRoiBootstrapSeed = 20190711;

struct KpiComparison {
  std::string name;
  double base_mean = 0.0;    // over the paired replications
  double policy_mean = 0.0;  // over the paired replications
  // policy − base, replication by replication (NaN where either run lacks
  // the replication), and its 95 % Student t interval over the pairs.
  std::vector<double> differences;
  engine::MeanInterval difference{};
};

// ROI = mean(C_base − C_policy) / mean(I_policy − I_base), C = total_cost,
// I = program_spend + mentoring_cost: net saving per extra unit of money
// invested. `available` is false ("n/a") when the 95 % t interval of the
// extra investment I_policy − I_base contains 0 (or there are under 2 pairs).
struct RoiComparison {
  bool available = false;
  engine::RatioInterval ratio{};            // estimate and paired-bootstrap 95 % CI
  engine::MeanInterval saving{};            // C_base − C_policy
  engine::MeanInterval extra_investment{};  // I_policy − I_base
};

struct PolicyComparison {
  std::string policy;
  std::size_t pairs = 0;            // replications completed in both runs
  std::vector<KpiComparison> kpis;  // in the order of kKpiNames
  RoiComparison roi;
};

// totals[kpi][replication] and committed[replication] of each run, as in
// ExperimentReport. Both runs must have the same number of replications.
PolicyComparison compare_runs(const std::string& policy,
                              const std::vector<std::vector<double>>& base_totals,
                              const std::vector<std::uint8_t>& base_committed,
                              const std::vector<std::vector<double>>& policy_totals,
                              const std::vector<std::uint8_t>& policy_committed);

}  // namespace wfsim::models
