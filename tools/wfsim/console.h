// What the commands print: the KPI table and the progress bar.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "wfsim/engine/runner.h"
#include "wfsim/engine/statistics.h"
#include "wfsim/models/experiment.h"

namespace wfsim::cli {

// A number as the tables print it: 4 significant digits above a million,
// whole numbers as such, 3 significant digits otherwise; NaN as "n/a".
std::string format_number(double value);

void print_kpi_table(std::FILE* out, const std::vector<models::KpiRow>& rows);

// The drawn values of uncertain parameters: 5th percentile, median, 95th.
struct ParameterRow {
  std::string name;  // PATH or NAME
  engine::Summary summary;
};
void print_parameter_table(std::FILE* out, const std::vector<ParameterRow>& rows);

// A one-line progress bar with ETA, redrawn on stderr when it is a terminal
// (and silent otherwise, so logs and pipes stay clean).
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(const engine::RunProgress& progress);
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

bool stderr_is_terminal();

}  // namespace wfsim::cli
