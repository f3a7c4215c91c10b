// What the tables of the experiments share: named columns of numbers (as
// the file stores them and the CSV files repeat them), and the KPIs the
// commands print of them.
#pragma once

#include <string>
#include <vector>

#include "wfsim/models/metrics.h"

namespace wfsim::models::experiments {

struct TableColumn {
  std::string name;
  std::vector<double> values;
};

// The KPIs printed of a sweep or sensitivity table: the first three
// headline KPIs (metrics.h), for a table that fits a terminal; the tables,
// their files and CSV files hold every KPI.
inline std::vector<Kpi> printed_kpis() {
  std::vector<Kpi> kpis = headline_kpis();
  if (kpis.size() > 3) kpis.resize(3);
  return kpis;
}

}  // namespace wfsim::models::experiments
