#include "wfsim/models/metrics.h"

#include <algorithm>

namespace wfsim::models {

std::vector<Kpi> headline_kpis() {
  std::vector<Kpi> headline;
  for (const MetricInfo& kpi : kKpis)
    if (kpi.headline > 0) headline.push_back(static_cast<Kpi>(kpi.id));
  std::sort(headline.begin(), headline.end(),
            [](Kpi a, Kpi b) { return kKpis[a].headline < kKpis[b].headline; });
  return headline;
}

std::vector<std::pair<std::string, std::string>> metric_attributes(const MetricInfo& metric) {
  std::vector<std::pair<std::string, std::string>> attributes;
  if (metric.headline > 0) attributes.emplace_back("headline", std::to_string(metric.headline));
  attributes.emplace_back("kind", kind_name(metric.kind));
  attributes.emplace_back("label", metric.label);
  attributes.emplace_back("unit", unit_name(metric.unit));
  return attributes;
}

namespace {

template <std::size_t N>
std::string metric_table(const std::array<MetricInfo, N>& table, bool with_headline) {
  std::string text = with_headline
                         ? "| name | kind | unit | label | headline |\n|---|---|---|---|---|\n"
                         : "| name | kind | unit | label |\n|---|---|---|---|\n";
  for (const MetricInfo& metric : table) {
    text += std::string("| `") + metric.name + "` | " + kind_name(metric.kind) + " | " +
            unit_name(metric.unit) + " | " + metric.label + " |";
    if (with_headline)
      text += (metric.headline > 0 ? " " + std::to_string(metric.headline) : std::string()) + " |";
    text += "\n";
  }
  return text;
}

}  // namespace

std::string metric_reference_markdown() {
  std::string headline;
  for (Kpi k : headline_kpis())
    headline += (headline.empty() ? "`" : ", `") + std::string(kKpis[k].name) + "`";
  return "# Metric reference\n\n"
         "Generated from the model's metric tables. Every dataset of a metric in a results\n"
         "file, and each of its summaries (`mean`, `sd`, `p05`, `p50`, `p95`), carries the\n"
         "string attributes `kind`, `unit` and `label` below; a headline KPI's also carry\n"
         "`headline`, its place among them (\"1\" first).\n\n"
         "Kinds: `stock`, the value at the snapshot; `flow`, the count or amount over the\n"
         "interval since the previous snapshot (snapshot 0 is the initial state; events at\n"
         "t = 0 count in the first interval); `total`, a count or amount over the whole\n"
         "horizon (flows summed), per replication; `final`, a stock at the horizon, per\n"
         "replication. Units: `people`, `positions`, `pairs` (mentoring pairs), `attempts`\n"
         "(enrolment attempts), `requests` (mentoring requests), `money` (the scenario's\n"
         "currency unit).\n\n"
         "## Role metrics\n\n"
         "`/trajectories/<name>` `[replications, T, R]`; summaries in `/summary/<name>/`.\n\n" +
         metric_table(kRoleMetrics, false) +
         "\n## Program metrics\n\n"
         "`/program_trajectories/<name>` `[replications, T, P]`; summaries in\n"
         "`/summary/<name>/`.\n\n" +
         metric_table(kProgramMetrics, false) +
         "\n## KPIs\n\n"
         "`/totals/<name>` `[replications]`; summaries in `/summary/totals/<name>/`.\n"
         "`total_cost` = `program_spend + mentoring_cost + hiring_cost + severance_cost +\n"
         "vacancy_cost`; payroll is reported apart. The headline KPIs, shown first in\n"
         "reports: " +
         headline + ".\n\n" + metric_table(kKpis, true) +
         "\n## Program KPIs\n\n"
         "`/program_totals/<name>` `[replications, P]`; summaries in\n"
         "`/summary/program_totals/<name>/`.\n\n" +
         metric_table(kProgramKpis, false);
}

}  // namespace wfsim::models
