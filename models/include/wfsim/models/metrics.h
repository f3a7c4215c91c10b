// Names and order of everything a replication records (SPEC §4).
#pragma once

#include <array>

namespace wfsim::models {

// Role metrics: stocks at the snapshot, flows over (t_{k-1}, t_k].
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
inline constexpr std::array<const char*, kRoleMetricCount> kRoleMetricNames = {
    "headcount",    "positions",        "vacancies",     "employees",
    "displaced",    "in_training",      "exits",         "layoffs",
    "hires",        "internal_fills",   "transfers_out", "jobs_destroyed",
    "jobs_created", "positions_closed", "mentees",       "mentors",
    "payroll"};

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
inline constexpr std::array<const char*, kProgramMetricCount> kProgramMetricNames = {
    "enrolled", "enrollments", "refused", "completions",
    "dropouts", "placements",  "spend",   "committed"};

// Per-replication totals at the horizon (/totals).
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
inline constexpr std::array<const char*, kKpiCount> kKpiNames = {
    "exits",          "layoffs",        "external_hires",  "internal_fills",   "transfers",
    "jobs_destroyed", "jobs_created",   "enrollments",     "refused",          "completions",
    "dropouts",       "placements",     "pairs_started",   "distinct_mentees", "mentoring_refused",
    "program_spend",  "mentoring_cost", "hiring_cost",     "severance_cost",   "vacancy_cost",
    "payroll_cost",   "total_cost",     "final_headcount", "final_employees"};

enum ProgramKpi : int {
  kProgramKpiEnrollments,
  kProgramKpiRefused,
  kProgramKpiCompletions,
  kProgramKpiDropouts,
  kProgramKpiPlacements,
  kProgramKpiSpend,
  kProgramKpiCount
};
inline constexpr std::array<const char*, kProgramKpiCount> kProgramKpiNames = {
    "enrollments", "refused", "completions", "dropouts", "placements", "spend"};

// Events as SPEC §3 counts them (a change of state of an agent or a
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
