// Every metric a replication records, declared once. The enums index the
// kernel's arrays; one table per group gives each enumerator its dataset
// name, kind, unit, label and headline place. The results file's attributes,
// docs/metrics.md and the reports made from a file all come from these
// tables.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace wfsim::models {

// What one value of a metric is. Role and program metrics are stocks at the
// snapshot or flows over (t_{k-1}, t_k]; a KPI is a per-replication total at
// the horizon: flows summed over it, or a stock at it.
enum class MetricKind { stock, flow, total, final };

// What a metric counts. Money is in the scenario's one currency unit.
enum class MetricUnit { people, positions, pairs, attempts, requests, money };

struct MetricInfo {
  int id;            // the enumerator this row describes: rows are in enum order
  const char* name;  // the dataset's name, e.g. "headcount"
  MetricKind kind;
  MetricUnit unit;
  const char* label;  // for people, e.g. "Total cost (programs + mentoring + ...)"
  int headline = 0;   // place among the headline KPIs (1 first); 0 = not one
};

constexpr const char* kind_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::stock:
      return "stock";
    case MetricKind::flow:
      return "flow";
    case MetricKind::total:
      return "total";
    case MetricKind::final:
      return "final";
  }
  return "";
}

constexpr const char* unit_name(MetricUnit unit) {
  switch (unit) {
    case MetricUnit::people:
      return "people";
    case MetricUnit::positions:
      return "positions";
    case MetricUnit::pairs:
      return "pairs";
    case MetricUnit::attempts:
      return "attempts";
    case MetricUnit::requests:
      return "requests";
    case MetricUnit::money:
      return "money";
  }
  return "";
}

namespace detail {
// Whether row i describes enumerator i, for every row: a table that lags
// behind its enum (a row missing, two swapped) does not compile.
template <std::size_t N>
constexpr bool in_enum_order(const std::array<MetricInfo, N>& table) {
  for (std::size_t i = 0; i < N; ++i)
    if (table[i].id != static_cast<int>(i) || table[i].name == nullptr || table[i].label == nullptr)
      return false;
  return true;
}

template <std::size_t N>
constexpr std::array<const char*, N> names_of(const std::array<MetricInfo, N>& table) {
  std::array<const char*, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = table[i].name;
  return names;
}
}  // namespace detail

// Role metrics: /trajectories/<name> [replications, T, R].
enum RoleMetric : int {
  kHeadcount,
  kPositions,
  kVacancies,
  kEmployees,
  kDisplaced,
  kInTraining,
  kExits,
  kLayoffs,
  kHires,
  kInternalFills,
  kTransfersOut,
  kJobsDestroyed,
  kJobsCreated,
  kPositionsClosed,
  kMentees,
  kMentors,
  kPayroll,
  kRoleMetricCount
};
inline constexpr std::array<MetricInfo, kRoleMetricCount> kRoleMetrics = {{
    {kHeadcount, "headcount", MetricKind::stock, MetricUnit::people,
     "Headcount (filled positions)"},
    {kPositions, "positions", MetricKind::stock, MetricUnit::positions,
     "Positions (filled and vacant)"},
    {kVacancies, "vacancies", MetricKind::stock, MetricUnit::positions, "Vacancies"},
    {kEmployees, "employees", MetricKind::stock, MetricUnit::people, "Employees"},
    {kDisplaced, "displaced", MetricKind::stock, MetricUnit::people,
     "Displaced, awaiting redeployment"},
    {kInTraining, "in_training", MetricKind::stock, MetricUnit::people,
     "In training (program participants)"},
    {kExits, "exits", MetricKind::flow, MetricUnit::people, "Voluntary exits"},
    {kLayoffs, "layoffs", MetricKind::flow, MetricUnit::people, "Layoffs"},
    {kHires, "hires", MetricKind::flow, MetricUnit::people, "External hires"},
    {kInternalFills, "internal_fills", MetricKind::flow, MetricUnit::positions,
     "Vacancies filled from inside"},
    {kTransfersOut, "transfers_out", MetricKind::flow, MetricUnit::people,
     "Transfers to other roles"},
    {kJobsDestroyed, "jobs_destroyed", MetricKind::flow, MetricUnit::positions,
     "Positions automated away"},
    {kJobsCreated, "jobs_created", MetricKind::flow, MetricUnit::positions,
     "Positions created by growth"},
    {kPositionsClosed, "positions_closed", MetricKind::flow, MetricUnit::positions,
     "Positions closed without backfill"},
    {kMentees, "mentees", MetricKind::stock, MetricUnit::people, "Mentees"},
    {kMentors, "mentors", MetricKind::stock, MetricUnit::people, "Mentors with mentees"},
    {kPayroll, "payroll", MetricKind::flow, MetricUnit::money, "Payroll"},
}};
static_assert(detail::in_enum_order(kRoleMetrics),
              "kRoleMetrics: one row per RoleMetric, in order");

// Program metrics: /program_trajectories/<name> [replications, T, P].
enum ProgramMetric : int {
  kEnrolled,
  kEnrollmentsFlow,
  kRefusedFlow,
  kCompletionsFlow,
  kDropoutsFlow,
  kPlacementsFlow,
  kSpendFlow,
  kCommittedFlow,
  kProgramMetricCount
};
inline constexpr std::array<MetricInfo, kProgramMetricCount> kProgramMetrics = {{
    {kEnrolled, "enrolled", MetricKind::stock, MetricUnit::people, "Enrolled in programs"},
    {kEnrollmentsFlow, "enrollments", MetricKind::flow, MetricUnit::people, "Program enrolments"},
    {kRefusedFlow, "refused", MetricKind::flow, MetricUnit::attempts,
     "Enrolments refused (no seat or money)"},
    {kCompletionsFlow, "completions", MetricKind::flow, MetricUnit::people, "Program completions"},
    {kDropoutsFlow, "dropouts", MetricKind::flow, MetricUnit::people, "Program dropouts"},
    {kPlacementsFlow, "placements", MetricKind::flow, MetricUnit::people,
     "Graduates placed in target roles"},
    {kSpendFlow, "spend", MetricKind::flow, MetricUnit::money, "Program spend"},
    {kCommittedFlow, "committed", MetricKind::flow, MetricUnit::money,
     "Planned cost of the enrolments"},
}};
static_assert(detail::in_enum_order(kProgramMetrics),
              "kProgramMetrics: one row per ProgramMetric, in order");

// KPIs: /totals/<name> [replications].
enum Kpi : int {
  kKpiExits,
  kKpiLayoffs,
  kKpiExternalHires,
  kKpiInternalFills,
  kKpiTransfers,
  kKpiJobsDestroyed,
  kKpiJobsCreated,
  kKpiEnrollments,
  kKpiRefused,
  kKpiCompletions,
  kKpiDropouts,
  kKpiPlacements,
  kKpiPairsStarted,
  kKpiDistinctMentees,
  kKpiMentoringRefused,
  kKpiProgramSpend,
  kKpiMentoringCost,
  kKpiHiringCost,
  kKpiSeveranceCost,
  kKpiVacancyCost,
  kKpiPayrollCost,
  kKpiTotalCost,
  kKpiFinalHeadcount,
  kKpiFinalEmployees,
  kKpiCount
};
inline constexpr std::array<MetricInfo, kKpiCount> kKpis = {{
    {kKpiExits, "exits", MetricKind::total, MetricUnit::people, "Voluntary exits"},
    {kKpiLayoffs, "layoffs", MetricKind::total, MetricUnit::people, "Layoffs", 3},
    {kKpiExternalHires, "external_hires", MetricKind::total, MetricUnit::people, "External hires",
     4},
    {kKpiInternalFills, "internal_fills", MetricKind::total, MetricUnit::positions,
     "Vacancies filled from inside"},
    {kKpiTransfers, "transfers", MetricKind::total, MetricUnit::people, "Transfers between roles"},
    {kKpiJobsDestroyed, "jobs_destroyed", MetricKind::total, MetricUnit::positions,
     "Positions automated away"},
    {kKpiJobsCreated, "jobs_created", MetricKind::total, MetricUnit::positions,
     "Positions created by growth"},
    {kKpiEnrollments, "enrollments", MetricKind::total, MetricUnit::people, "Program enrolments"},
    {kKpiRefused, "refused", MetricKind::total, MetricUnit::attempts,
     "Enrolments refused (no seat or money)"},
    {kKpiCompletions, "completions", MetricKind::total, MetricUnit::people, "Program completions",
     5},
    {kKpiDropouts, "dropouts", MetricKind::total, MetricUnit::people, "Program dropouts"},
    {kKpiPlacements, "placements", MetricKind::total, MetricUnit::people,
     "Graduates placed in target roles"},
    {kKpiPairsStarted, "pairs_started", MetricKind::total, MetricUnit::pairs,
     "Mentoring pairs started"},
    {kKpiDistinctMentees, "distinct_mentees", MetricKind::total, MetricUnit::people,
     "Distinct mentees"},
    {kKpiMentoringRefused, "mentoring_refused", MetricKind::total, MetricUnit::requests,
     "Mentoring requests refused"},
    {kKpiProgramSpend, "program_spend", MetricKind::total, MetricUnit::money, "Program spend", 6},
    {kKpiMentoringCost, "mentoring_cost", MetricKind::total, MetricUnit::money, "Mentoring cost"},
    {kKpiHiringCost, "hiring_cost", MetricKind::total, MetricUnit::money, "Hiring cost"},
    {kKpiSeveranceCost, "severance_cost", MetricKind::total, MetricUnit::money, "Severance cost"},
    {kKpiVacancyCost, "vacancy_cost", MetricKind::total, MetricUnit::money, "Vacancy cost"},
    {kKpiPayrollCost, "payroll_cost", MetricKind::total, MetricUnit::money,
     "Payroll (not in total cost)"},
    {kKpiTotalCost, "total_cost", MetricKind::total, MetricUnit::money,
     "Total cost (programs + mentoring + hiring + severance + vacancies)", 1},
    {kKpiFinalHeadcount, "final_headcount", MetricKind::final, MetricUnit::people,
     "Headcount at the horizon", 2},
    {kKpiFinalEmployees, "final_employees", MetricKind::final, MetricUnit::people,
     "Employees at the horizon"},
}};
static_assert(detail::in_enum_order(kKpis), "kKpis: one row per Kpi, in order");

// Program KPIs: /program_totals/<name> [replications, P].
enum ProgramKpi : int {
  kProgramKpiEnrollments,
  kProgramKpiRefused,
  kProgramKpiCompletions,
  kProgramKpiDropouts,
  kProgramKpiPlacements,
  kProgramKpiSpend,
  kProgramKpiCount
};
inline constexpr std::array<MetricInfo, kProgramKpiCount> kProgramKpis = {{
    {kProgramKpiEnrollments, "enrollments", MetricKind::total, MetricUnit::people,
     "Program enrolments"},
    {kProgramKpiRefused, "refused", MetricKind::total, MetricUnit::attempts,
     "Enrolments refused (no seat or money)"},
    {kProgramKpiCompletions, "completions", MetricKind::total, MetricUnit::people,
     "Program completions"},
    {kProgramKpiDropouts, "dropouts", MetricKind::total, MetricUnit::people, "Program dropouts"},
    {kProgramKpiPlacements, "placements", MetricKind::total, MetricUnit::people,
     "Graduates placed in target roles"},
    {kProgramKpiSpend, "spend", MetricKind::total, MetricUnit::money, "Program spend"},
}};
static_assert(detail::in_enum_order(kProgramKpis),
              "kProgramKpis: one row per ProgramKpi, in order");

// The names alone, in enum order (views of the tables).
inline constexpr std::array<const char*, kRoleMetricCount> kRoleMetricNames =
    detail::names_of(kRoleMetrics);
inline constexpr std::array<const char*, kProgramMetricCount> kProgramMetricNames =
    detail::names_of(kProgramMetrics);
inline constexpr std::array<const char*, kKpiCount> kKpiNames = detail::names_of(kKpis);
inline constexpr std::array<const char*, kProgramKpiCount> kProgramKpiNames =
    detail::names_of(kProgramKpis);

// The KPIs a reader looks at first (a report's cards, its sweep and
// sensitivity charts), most important first.
std::vector<Kpi> headline_kpis();

// The string attributes of a metric's datasets, in name order: headline (a
// headline KPI's place, "1" first; only for those), kind, label, unit.
std::vector<std::pair<std::string, std::string>> metric_attributes(const MetricInfo& metric);

// docs/metrics.md: every metric of the tables, by group.
std::string metric_reference_markdown();

// Events as the model counts them (a change of state of an agent or a
// position), also the values of the `event` column of /events.
enum class EventKind : unsigned char {
  exit,
  hire,
  redeployment,
  transfer,
  displacement,
  layoff,
  job_created,
  job_destroyed,
  position_closed,
  enrolment,
  completion,
  dropout,
  placement,
  pairing_start,
  pairing_end,
  count
};
inline constexpr std::array<const char*, static_cast<int>(EventKind::count)> kEventNames = {
    "exit",       "hire",        "redeployment",  "transfer",        "displacement",
    "layoff",     "job_created", "job_destroyed", "position_closed", "enrolment",
    "completion", "dropout",     "placement",     "pairing_start",   "pairing_end"};

}  // namespace wfsim::models
