#include "experiment_tables.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "console.h"
#include "csv_file.h"
#include "wfsim/models/metrics.h"

namespace wfsim::cli {

namespace {

using models::experiments::printed_kpis;

void print_policy(std::FILE* out, const std::string& base, const models::PolicyComparison& c) {
  fmt::print(out, "\n{} vs {} ({} paired replications; difference = policy - base)\n", c.policy,
             base, c.pairs);
  fmt::print(out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", "KPI", "base", "policy", "difference",
             "95% CI");
  for (const models::KpiComparison& row : c.kpis) {
    const auto& d = row.difference;
    const std::string interval = std::isnan(d.half_width)
                                     ? std::string("n/a")
                                     : fmt::format("[{}, {}]", format_number(d.mean - d.half_width),
                                                   format_number(d.mean + d.half_width));
    fmt::print(out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", row.name, format_number(row.base_mean),
               format_number(row.policy_mean), format_number(d.mean), interval);
  }
  const models::RoiComparison& roi = c.roi;
  if (roi.available) {
    fmt::print(
        out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", "roi", "", "",
        format_number(roi.ratio.estimate),
        fmt::format("[{}, {}]", format_number(roi.ratio.low), format_number(roi.ratio.high)));
  } else {
    fmt::print(out, "{:<20} {:>14} {:>14} {:>14} {:>29}\n", "roi", "", "", "n/a", "n/a");
  }
  fmt::print(out,
             "roi = net saving per extra unit invested = mean(total_cost base - policy) / "
             "mean(program_spend + mentoring_cost, policy - base)");
  if (!roi.available)
    fmt::print(out, "; n/a: the extra investment's 95% CI contains 0");
  else
    fmt::print(out, "; CI by paired bootstrap ({} resamples)", models::kRoiBootstrapResamples);
  fmt::print(out, "\n");
}

// "mean [low, high]", or "mean [n/a]" without an interval.
std::string interval_text(double mean, double low, double high) {
  if (std::isnan(low)) return format_number(mean) + " [n/a]";
  return fmt::format("{} [{}, {}]", format_number(mean), format_number(low), format_number(high));
}

// Numbered columns after a first column of strings (if any) as CSV rows.
void write_columns(const std::string& path, const std::vector<std::string>& names,
                   const std::vector<models::experiments::TableColumn>& columns,
                   const std::vector<std::string>& first_column = {}) {
  CsvFile csv(path);
  std::vector<std::string> cells = names;
  for (const auto& column : columns) cells.push_back(column.name);
  csv.row(cells);
  for (std::size_t r = 0; r < columns.front().values.size(); ++r) {
    cells.clear();
    if (!first_column.empty()) cells.push_back(first_column[r]);
    for (const auto& column : columns) cells.push_back(CsvFile::number(column.values[r]));
    csv.row(cells);
  }
  csv.close();
}

}  // namespace

void print_comparison(std::FILE* out, const models::experiments::ComparisonTable& table) {
  for (const models::PolicyComparison& c : table.policies) print_policy(out, table.base, c);
}

void write_comparison_csv(const std::string& path,
                          const models::experiments::ComparisonTable& table) {
  const auto number = CsvFile::number;
  CsvFile csv(path);
  csv.row({"base", "policy", "kpi", "base_mean", "policy_mean", "difference", "ci95_low",
           "ci95_high", "pairs"});
  for (const models::PolicyComparison& c : table.policies) {
    const std::string pairs = std::to_string(c.pairs);
    for (const models::KpiComparison& row : c.kpis) {
      const auto& d = row.difference;
      csv.row({table.base, c.policy, row.name, number(row.base_mean), number(row.policy_mean),
               number(d.mean), number(d.mean - d.half_width), number(d.mean + d.half_width),
               pairs});
    }
    const models::RoiComparison& roi = c.roi;
    csv.row({table.base, c.policy, "roi", "", "", number(roi.ratio.estimate), number(roi.ratio.low),
             number(roi.ratio.high), pairs});
  }
  csv.close();
}

void print_sweep_table(std::FILE* out, const models::experiments::SweepTable& table) {
  std::vector<std::size_t> widths;
  fmt::print(out, "{:>5}", "point");
  for (const std::string& path : table.varied_paths) {
    widths.push_back(std::max<std::size_t>(10, path.size()));
    fmt::print(out, "  {:>{}}", path, widths.back());
  }
  fmt::print(out, "  {:>4}", "reps");
  for (const models::Kpi kpi : printed_kpis()) fmt::print(out, "  {:>34}", models::kKpiNames[kpi]);
  fmt::print(out, "\n");
  for (std::size_t r = 0; r < table.point.size(); ++r) {
    fmt::print(out, "{:>5}", table.point[r]);
    for (std::size_t d = 0; d < widths.size(); ++d)
      fmt::print(out, "  {:>{}}", fmt::format("{:.6g}", table.values[d][r]), widths[d]);
    fmt::print(out, "  {:>4}", table.replications[r]);
    for (const models::Kpi kpi : printed_kpis()) {
      const auto& columns = table.kpis[kpi];
      fmt::print(out, "  {:>34}",
                 interval_text(columns.mean[r], columns.ci_low[r], columns.ci_high[r]));
    }
    fmt::print(out, "\n");
  }
  fmt::print(out, "KPI mean [95% CI] over each point's replications; every KPI in /sweep/table\n");
}

void write_sweep_csv(const std::string& path, const models::experiments::SweepTable& table) {
  write_columns(path, {}, models::experiments::table_columns(table));
}

void print_tornado(std::FILE* out, const models::experiments::SensitivityTable& table) {
  std::size_t width = 20;
  for (const std::string& p : table.paths) width = std::max(width, p.size());
  for (const models::Kpi kpi : printed_kpis()) {
    const std::vector<double>& minus = table.minus_means[kpi];
    const std::vector<double>& plus = table.plus_means[kpi];
    std::vector<std::size_t> order(table.paths.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto swing = [&](std::size_t i) { return std::fabs(plus[i] - minus[i]); };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return swing(a) > swing(b); });
    fmt::print(out, "\n{} (base mean {})\n", models::kKpiNames[kpi],
               format_number(table.base_means[kpi]));
    fmt::print(out, "{:<{}} {:>14} {:>14} {:>14}\n", "path", width, "-delta", "+delta", "swing");
    for (std::size_t i : order)
      fmt::print(out, "{:<{}} {:>14} {:>14} {:>14}\n", table.paths[i], width,
                 format_number(minus[i]), format_number(plus[i]), format_number(swing(i)));
  }
}

void write_sensitivity_csv(const std::string& path,
                           const models::experiments::SensitivityTable& table) {
  write_columns(path, {"path"}, models::experiments::table_columns(table), table.paths);
}

}  // namespace wfsim::cli
