#include "wfsim/models/workforce.h"

#include <cmath>

#include "replication.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/metrics.h"

namespace wfsim::models {

std::size_t role_series_index(int metric) {
  return static_cast<std::size_t>(metric);
}
std::size_t program_series_index(int metric) {
  return static_cast<std::size_t>(kRoleMetricCount + metric);
}
std::size_t kpi_series_index(int kpi) {
  return static_cast<std::size_t>(kRoleMetricCount + kProgramMetricCount + kpi);
}
std::size_t program_kpi_series_index(int kpi) {
  return static_cast<std::size_t>(kRoleMetricCount + kProgramMetricCount + kKpiCount + kpi);
}

WorkforceModel::WorkforceModel(Scenario scenario) : scenario_(std::move(scenario)) {
  snapshot_count_ = scenario_.snapshot_count();
  horizon_ = static_cast<double>(snapshot_count_ - 1) / scenario_.snapshots_per_year;
  roles_.resize(scenario_.roles.size());
  for (std::size_t r = 0; r < scenario_.roles.size(); ++r) {
    const Role& spec = scenario_.roles[r];
    CompiledRole& role = roles_[r];
    role.key = engine::hash_string(spec.id);
    role.spec = &scenario_.roles[r];
    if (!spec.tenure_multipliers.empty()) {
      std::vector<double> starts, values;
      for (const auto& [tenure, multiplier] : spec.tenure_multipliers) {
        starts.push_back(tenure);
        values.push_back(multiplier);
      }
      role.tenure_multiplier.emplace(std::move(starts), std::move(values));
    }
    role.transfer_total = engine::PiecewiseConstant(0.0);
    for (const auto& [target, rate] : spec.transfers) {
      if (rate.is_zero()) continue;
      role.transfer_targets.emplace_back(scenario_.role_index(target), &rate);
      role.transfer_total = role.transfer_total.plus(rate);
    }
    role.has_transfers = !role.transfer_targets.empty();
    role.has_growth = !spec.growth.is_zero() || !spec.new_positions_per_year.is_zero();
    role.has_automation = !spec.automation.is_zero();
    role.time_to_fill_years = spec.hiring.time_to_fill_months / 12.0;
    // Mean positions under growth g and n new positions a year, at the
    // highest rates: (N + n/g)·e^(gT) − n/g, or N + nT without growth.
    const double g = spec.growth.max_value(), n = spec.new_positions_per_year.max_value();
    const double N = static_cast<double>(spec.headcount + spec.vacancies);
    const double expected =
        g > 0.0 ? (N + n / g) * std::exp(std::min(g * horizon_, 20.0)) - n / g : N + n * horizon_;
    expected_positions_ += static_cast<std::size_t>(std::min(expected * 1.02, 1e9)) + 16;
    const double turnover =
        spec.attrition.max_value() + spec.automation.max_value() + role.transfer_total.max_value();
    expected_queue_pushes_ +=
        static_cast<std::size_t>(std::min(expected * (1.0 + 2.0 * turnover * horizon_), 1e10));
  }
  for (const engine::SeriesSpec& spec : output_layout().series) {
    std::size_t size = 1;
    for (std::size_t d : spec.dims) size *= d;
    series_sizes_.push_back(size);
  }
}

engine::OutputLayout WorkforceModel::output_layout() const {
  const std::size_t T = static_cast<std::size_t>(snapshot_count_);
  const std::size_t R = scenario_.roles.size();
  const std::size_t P = scenario_.programs.size();
  engine::OutputLayout layout;
  for (const char* name : kRoleMetricNames)
    layout.series.push_back(
        {std::string("trajectories/") + name, {T, R}, std::string("summary/") + name});
  for (const char* name : kProgramMetricNames)
    layout.series.push_back(
        {std::string("program_trajectories/") + name, {T, P}, std::string("summary/") + name});
  for (const char* name : kKpiNames)
    layout.series.push_back(
        {std::string("totals/") + name, {}, std::string("summary/totals/") + name});
  for (const char* name : kProgramKpiNames)
    layout.series.push_back({std::string("program_totals/") + name,
                             {P},
                             std::string("summary/program_totals/") + name});

  std::vector<double> time(T);
  for (std::size_t k = 0; k < T; ++k)
    time[k] = static_cast<double>(k) / scenario_.snapshots_per_year;
  layout.float_datasets.emplace_back("time", std::move(time));
  std::vector<std::string> role_ids, program_ids;
  for (const Role& role : scenario_.roles) role_ids.push_back(role.id);
  for (const Program& program : scenario_.programs) program_ids.push_back(program.id);
  layout.string_datasets.emplace_back("roles", std::move(role_ids));
  layout.string_datasets.emplace_back("programs", std::move(program_ids));
  layout.trace_event_names.assign(kEventNames.begin(), kEventNames.end());
  return layout;
}

engine::ReplicationResult WorkforceModel::simulate(std::uint64_t seed, std::size_t replication,
                                                   const SimulationOptions& options) const {
  detail::Replication run(*this, seed, replication, options);
  return run.run();
}

std::vector<std::string> WorkforceModel::unsimulated_sections() const {
  std::vector<std::string> sections;
  if (!scenario_.programs.empty()) sections.emplace_back("programs");
  if (scenario_.mentoring) sections.emplace_back("mentoring");
  if (scenario_.budget) sections.emplace_back("budget");
  return sections;
}

}  // namespace wfsim::models
