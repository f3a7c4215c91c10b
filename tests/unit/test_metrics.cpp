#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "wfsim/models/metrics.h"

using namespace wfsim::models;

namespace {

template <std::size_t N>
void require_well_formed(const std::array<MetricInfo, N>& table, const char* group) {
  INFO(group);
  std::set<std::string> names;
  for (const MetricInfo& metric : table) {
    INFO(metric.name);
    CHECK(names.insert(metric.name).second);
    CHECK(std::string(metric.label).size() > 0);
    CHECK(std::string(kind_name(metric.kind)).size() > 0);
    CHECK(std::string(unit_name(metric.unit)).size() > 0);
  }
}

}  // namespace

TEST_CASE("each metric table names its metrics once, with a label, kind and unit", "[metrics]") {
  require_well_formed(kRoleMetrics, "role metrics");
  require_well_formed(kProgramMetrics, "program metrics");
  require_well_formed(kKpis, "KPIs");
  require_well_formed(kProgramKpis, "program KPIs");
  // Role and program metrics share /summary/<name>: their names must differ.
  for (const MetricInfo& role : kRoleMetrics)
    for (const MetricInfo& program : kProgramMetrics) CHECK(std::string(role.name) != program.name);
}

TEST_CASE("trajectories are stocks and flows, KPIs totals and finals", "[metrics]") {
  for (const MetricInfo& m : kRoleMetrics)
    CHECK((m.kind == MetricKind::stock || m.kind == MetricKind::flow));
  for (const MetricInfo& m : kProgramMetrics)
    CHECK((m.kind == MetricKind::stock || m.kind == MetricKind::flow));
  for (const MetricInfo& m : kKpis)
    CHECK((m.kind == MetricKind::total || m.kind == MetricKind::final));
  for (const MetricInfo& m : kProgramKpis) CHECK(m.kind == MetricKind::total);
  CHECK(kKpis[kKpiFinalHeadcount].kind == MetricKind::final);
  CHECK(kKpis[kKpiExits].kind == MetricKind::total);
  CHECK(kRoleMetrics[kPayroll].kind == MetricKind::flow);
  CHECK(kRoleMetrics[kPayroll].unit == MetricUnit::money);
}

TEST_CASE("the headline KPIs are total cost, final headcount, layoffs, hires, completions, spend",
          "[metrics]") {
  const std::vector<Kpi> expected = {kKpiTotalCost,     kKpiFinalHeadcount, kKpiLayoffs,
                                     kKpiExternalHires, kKpiCompletions,    kKpiProgramSpend};
  CHECK(headline_kpis() == expected);
  // Their places are 1..n, each once, and only KPIs have one.
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(kKpis[expected[i]].headline == static_cast<int>(i) + 1);
  int places = 0;
  for (const MetricInfo& m : kKpis) places += m.headline > 0 ? 1 : 0;
  CHECK(places == static_cast<int>(expected.size()));
  for (const MetricInfo& m : kRoleMetrics) CHECK(m.headline == 0);
  for (const MetricInfo& m : kProgramMetrics) CHECK(m.headline == 0);
  for (const MetricInfo& m : kProgramKpis) CHECK(m.headline == 0);
}

TEST_CASE("a metric's attributes are its kind, label and unit, and a headline KPI's place",
          "[metrics]") {
  using Attributes = std::vector<std::pair<std::string, std::string>>;
  CHECK(metric_attributes(kKpis[kKpiTotalCost]) ==
        Attributes{{"headline", "1"},
                   {"kind", "total"},
                   {"label", "Total cost (programs + mentoring + hiring + severance + vacancies)"},
                   {"unit", "money"}});
  CHECK(metric_attributes(kRoleMetrics[kInTraining]) ==
        Attributes{{"kind", "stock"},
                   {"label", "In training (program participants)"},
                   {"unit", "people"}});
  CHECK(metric_attributes(kKpis[kKpiFinalEmployees]) ==
        Attributes{{"kind", "final"}, {"label", "Employees at the horizon"}, {"unit", "people"}});
}

TEST_CASE("the name arrays are the tables' names in enum order", "[metrics]") {
  CHECK(std::string(kRoleMetricNames[kInTraining]) == "in_training");
  CHECK(std::string(kProgramMetricNames[kCommittedFlow]) == "committed");
  CHECK(std::string(kKpiNames[kKpiFinalHeadcount]) == "final_headcount");
  CHECK(std::string(kProgramKpiNames[kProgramKpiSpend]) == "spend");
  for (std::size_t i = 0; i < kKpis.size(); ++i) CHECK(kKpiNames[i] == kKpis[i].name);
}
