// What the tables of the experiments share: named columns of numbers (as
// the file stores them and the CSV files repeat them), and the KPIs the
// commands print of them.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "wfsim/models/metrics.h"

namespace wfsim::models::experiments {

struct TableColumn {
  std::string name;
  std::vector<double> values;
};

// The KPIs printed of a sweep or sensitivity table; the tables, their files
// and CSV files hold every KPI.
inline constexpr std::array<Kpi, 3> headline_kpis() {
  return {kKpiTotalCost, kKpiFinalHeadcount, kKpiExits};
}

}  // namespace wfsim::models::experiments
