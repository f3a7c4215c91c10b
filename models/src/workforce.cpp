#include "wfsim/models/workforce.h"

#include <algorithm>
#include <cmath>

#include "replication.h"
#include "wfsim/engine/chunk_encoding.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

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

namespace {

// A storage estimate as a count, at most `cap`. Extreme rates make the
// estimate infinite or NaN (inf - inf, 0 * inf), which no integer holds; a
// NaN estimate reserves nothing (storage then grows as needed).
std::size_t capped_count(double estimate, double cap) {
  if (std::isnan(estimate) || estimate <= 0.0) return 0;
  return static_cast<std::size_t>(std::min(estimate, cap));
}

}  // namespace

WorkforceModel::WorkforceModel(Scenario scenario) : scenario_(std::move(scenario)) {
  snapshot_count_ = scenario_.snapshot_count();
  horizon_ = static_cast<double>(snapshot_count_ - 1) / scenario_.snapshots_per_year;
  redeployment_window_years_ = months_to_years(scenario_.displacement.redeployment_window_months);
  if (scenario_.mentoring) pairing_years_ = months_to_years(scenario_.mentoring->duration_months);
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
    role.time_to_fill_years = months_to_years(spec.hiring.time_to_fill_months);
    // Mean positions under growth g and n new positions a year, at the
    // highest rates: (N + n/g)·e^(gT) − n/g, or N + nT without growth.
    const double g = spec.growth.max_value(), n = spec.new_positions_per_year.max_value();
    const double N = static_cast<double>(spec.headcount + spec.vacancies);
    const double expected =
        g > 0.0 ? (N + n / g) * std::exp(std::min(g * horizon_, 20.0)) - n / g : N + n * horizon_;
    expected_positions_ += capped_count(expected * 1.02, 1e9) + 16;
    const double turnover =
        spec.attrition.max_value() + spec.automation.max_value() + role.transfer_total.max_value();
    expected_queue_pushes_ += capped_count(expected * (1.0 + 2.0 * turnover * horizon_), 1e10);
  }
  compile_programs();
  parameter_datasets_ = parameter_datasets(scenario_);
  for (const engine::SeriesSpec& spec : output_layout().series) {
    std::size_t size = 1;
    for (std::size_t d : spec.dims) size *= d;
    series_sizes_.push_back(size);
    compressed_series_.push_back(engine::stored_compressed(size));
  }
}

namespace {
bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}
}  // namespace

void WorkforceModel::compile_programs() {
  const std::size_t role_count = roles_.size();
  programs_.resize(scenario_.programs.size());
  for (std::size_t p = 0; p < programs_.size(); ++p) {
    const Program& spec = scenario_.programs[p];
    CompiledProgram& program = programs_[p];
    program.key = engine::hash_string("program:" + spec.id);
    program.spec = &spec;
    program.duration_months = engine::Sampler(spec.duration_months);
    program.min_tenure_years = months_to_years(spec.min_tenure_months);
    program.targets_role.assign(role_count, false);
    for (const std::string& id : spec.eligible_roles) {
      const int r = scenario_.role_index(id);
      program.eligible_roles.push_back(r);
      if (!spec.enrollment_rate.is_zero()) {
        roles_[r].enrolling.push_back({static_cast<int>(p), program.min_tenure_years,
                                       spec.active_years.from, spec.active_years.to,
                                       spec.enrollment_rate.max_value(), &spec.enrollment_rate});
      }
      if (spec.accepts_displaced) roles_[r].displaced_programs.push_back(static_cast<int>(p));
    }
    for (const auto& [id, weight] : spec.target_roles) {
      const int r = scenario_.role_index(id);
      program.targets.emplace_back(r, weight);
      program.targets_role[r] = true;
    }
    program.placement_window_years = months_to_years(spec.placement_window_months);
    program.cost_per_year = per_month_to_per_year(spec.cost.per_month);
    program.requests_mentor =
        scenario_.mentoring && contains(scenario_.mentoring->programs, spec.id);
    std::vector<double>& offers = program.offer_times;
    if (spec.active_years.from < horizon_) offers.push_back(spec.active_years.from);
    if (spec.capacity) {
      const auto& starts = spec.capacity->starts();
      const auto& values = spec.capacity->values();
      for (std::size_t i = 1; i < starts.size(); ++i)
        if (values[i] > values[i - 1]) offers.push_back(starts[i]);
    }
    if (scenario_.budget && scenario_.budget->per_year)
      for (int year = 1; year < horizon_; ++year) offers.push_back(year);
    std::sort(offers.begin(), offers.end());
    offers.erase(std::unique(offers.begin(), offers.end()), offers.end());
    while (!offers.empty() && offers.back() > horizon_) offers.pop_back();
  }
  for (std::size_t r = 0; r < role_count; ++r) {
    CompiledRole& role = roles_[r];
    if (scenario_.mentoring) {
      const Mentoring& m = *scenario_.mentoring;
      role.mentor_role = contains(m.mentor_roles, role.spec->id);
      role.open_to_mentoring = contains(m.open_to_roles, role.spec->id);
      role.standalone_mentoring = role.open_to_mentoring && !m.open_enrollment_rate.is_zero();
    }
    role.has_voluntary_extras = !role.enrolling.empty() || role.standalone_mentoring;
    for (const CompiledRole::Enrolling& program : role.enrolling)
      role.first_opening_tenure_years =
          std::min(role.first_opening_tenure_years, program.min_tenure_years);
    double bound = role.transfer_total.max_value();
    if (role.standalone_mentoring) bound += scenario_.mentoring->open_enrollment_rate.max_value();
    role.voluntary_rate_bound = bound * CompiledRole::kRoundingMargin;
    double enrolment = 0.0;
    for (const CompiledRole::Enrolling& program : role.enrolling) enrolment += program.max_rate;
    role.enrolment_rate_bound = enrolment * CompiledRole::kRoundingMargin;
  }
}

engine::OutputLayout WorkforceModel::output_layout() const {
  const std::size_t T = static_cast<std::size_t>(snapshot_count_);
  const std::size_t R = scenario_.roles.size();
  const std::size_t P = scenario_.programs.size();
  engine::OutputLayout layout;
  for (const MetricInfo& metric : kRoleMetrics)
    layout.series.push_back({std::string("trajectories/") + metric.name,
                             {T, R},
                             std::string("summary/") + metric.name,
                             metric_attributes(metric)});
  for (const MetricInfo& metric : kProgramMetrics)
    layout.series.push_back({std::string("program_trajectories/") + metric.name,
                             {T, P},
                             std::string("summary/") + metric.name,
                             metric_attributes(metric)});
  for (const MetricInfo& metric : kKpis)
    layout.series.push_back({std::string("totals/") + metric.name,
                             {},
                             std::string("summary/totals/") + metric.name,
                             metric_attributes(metric)});
  for (const MetricInfo& metric : kProgramKpis)
    layout.series.push_back({std::string("program_totals/") + metric.name,
                             {P},
                             std::string("summary/program_totals/") + metric.name,
                             metric_attributes(metric)});

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
  for (const ParameterDataset& dataset : parameter_datasets_) {
    std::string paths;
    for (const std::string& path : dataset.paths) paths += (paths.empty() ? "" : ", ") + path;
    const UncertainParameter& parameter = scenario_.uncertain_parameters[dataset.parameter];
    layout.series.push_back({"parameters/" + dataset.name,
                             {},
                             "",
                             {{"distribution", describe_distribution(parameter.dist)},
                              {"paths", paths},
                              {"rounding", parameter.count ? "half to even" : "none"}}});
  }
  return layout;
}

engine::ReplicationResult WorkforceModel::simulate(std::uint64_t seed, std::size_t replication,
                                                   const SimulationOptions& options) const {
  if (!scenario_.uncertain_parameters.empty()) {
    const std::vector<double> values = parameter_values(scenario_, seed, replication);
    const WorkforceModel drawn(scenario_with_values(scenario_, values));
    engine::ReplicationResult result = drawn.simulate(seed, replication, options);
    for (const ParameterDataset& dataset : parameter_datasets_)
      result.series.push_back({values[dataset.parameter]});
    return result;
  }
  detail::Replication run(*this, seed, replication, options);
  return run.run();
}

}  // namespace wfsim::models
