// The tables of `compare`, `sweep` and `sensitivity` on the console and in
// their CSV files (models/experiments: the tables themselves).
#pragma once

#include <cstdio>
#include <string>

#include "wfsim/models/experiments/compare.h"
#include "wfsim/models/experiments/sensitivity.h"
#include "wfsim/models/experiments/sweep.h"

namespace wfsim::cli {

// Per policy: the KPI means of both runs and the paired differences with
// their 95% CIs, and the ROI.
void print_comparison(std::FILE* out, const models::experiments::ComparisonTable& table);
void write_comparison_csv(const std::string& path,
                          const models::experiments::ComparisonTable& table);

// Per point: the values and the headline KPIs' means [95% CI].
void print_sweep_table(std::FILE* out, const models::experiments::SweepTable& table);
void write_sweep_csv(const std::string& path, const models::experiments::SweepTable& table);

// Per headline KPI: the means at -delta and +delta by path, largest swing
// first (tornado data).
void print_tornado(std::FILE* out, const models::experiments::SensitivityTable& table);
void write_sensitivity_csv(const std::string& path,
                           const models::experiments::SensitivityTable& table);

}  // namespace wfsim::cli
