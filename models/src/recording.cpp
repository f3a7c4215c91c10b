// What a replication records (the metrics of metrics.h): time integrals,
// snapshots, totals, and the recount that checks the bookkeeping.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>

#include "replication.h"

namespace wfsim::models::detail {

void Replication::advance_integrals(int r, double t) {
  RoleState& role = roles_[r];
  const double dt = t - role.integrals_time;
  role.paid_years += role.salary_weight * dt;
  role.vacancy_years += static_cast<double>(role.vacancies) * dt;
  if (compiled_[r].has_growth) {
    const Role& spec = *compiled_[r].spec;
    role.growth_left -= spec.growth.integral(role.integrals_time, t) *
                            static_cast<double>(role.headcount + role.vacancies) +
                        spec.new_positions_per_year.integral(role.integrals_time, t);
  }
  role.integrals_time = t;
}

void Replication::touch_pairs(double t) {
  pair_years_ += static_cast<double>(pairs_) * (t - pairs_time_);
  pairs_time_ = t;
}

void Replication::event(EventKind kind, std::uint64_t agent_key, int role, double t, int program) {
  ++events_;
  if (options_.trace)
    result_.trace.push_back(engine::TraceRow{
        static_cast<std::uint32_t>(replication_), t, agent_key, static_cast<std::uint8_t>(kind),
        static_cast<std::int16_t>(role), static_cast<std::int16_t>(program)});
}

void Replication::record_snapshot(int k, double t) {
  const std::size_t R = static_cast<std::size_t>(role_count_);
  auto cell = [&](int metric, int r) -> double& {
    return result_.series[role_series_index(metric)]
                         [static_cast<std::size_t>(k) * R + static_cast<std::size_t>(r)];
  };
  static constexpr std::array<std::pair<RoleFlow, RoleMetric>, kFlowCount> kFlowMetrics = {{
      {kFlowExits, kExits},
      {kFlowLayoffs, kLayoffs},
      {kFlowHires, kHires},
      {kFlowInternalFills, kInternalFills},
      {kFlowTransfersOut, kTransfersOut},
      {kFlowJobsDestroyed, kJobsDestroyed},
      {kFlowJobsCreated, kJobsCreated},
      {kFlowPositionsClosed, kPositionsClosed},
  }};
  static_assert(
      [] {
        for (const auto& entry : kFlowMetrics)
          if (kRoleMetrics[entry.second].kind != MetricKind::flow) return false;
        return true;
      }(),
      "a counted flow is a metric the table declares a flow");
  for (int r = 0; r < role_count_; ++r) {
    touch(r, t);
    RoleState& role = roles_[r];
    cell(kHeadcount, r) = static_cast<double>(role.headcount);
    cell(kPositions, r) = static_cast<double>(role.headcount + role.vacancies);
    cell(kVacancies, r) = static_cast<double>(role.vacancies);
    cell(kEmployees, r) = static_cast<double>(role.employees);
    cell(kDisplaced, r) = static_cast<double>(role.displaced);
    cell(kInTraining, r) = static_cast<double>(role.in_training);
    cell(kMentees, r) = static_cast<double>(role.mentees);
    cell(kMentors, r) = static_cast<double>(role.mentors);
    for (const auto& [flow, metric] : kFlowMetrics) {
      cell(metric, r) = static_cast<double>(role.flows[flow]);
      role.flow_totals[flow] += static_cast<double>(role.flows[flow]);
      role.flows[flow] = 0;
    }
    cell(kPayroll, r) = compiled_[r].spec->salary * role.paid_years;
    role.paid_years_total += role.paid_years;
    role.vacancy_years_total += role.vacancy_years;
    role.paid_years = 0.0;
    role.vacancy_years = 0.0;
  }

  const std::size_t P = programs_.size();
  auto program_cell = [&](int metric, std::size_t p) -> double& {
    return result_.series[program_series_index(metric)][static_cast<std::size_t>(k) * P + p];
  };
  static constexpr std::array<std::pair<ProgramFlow, ProgramMetric>, kProgramFlowCount>
      kProgramFlowMetrics = {{
          {kProgramEnrollments, kEnrollmentsFlow},
          {kProgramRefused, kRefusedFlow},
          {kProgramCompletions, kCompletionsFlow},
          {kProgramDropouts, kDropoutsFlow},
          {kProgramPlacements, kPlacementsFlow},
      }};
  static_assert(
      [] {
        for (const auto& entry : kProgramFlowMetrics)
          if (kProgramMetrics[entry.second].kind != MetricKind::flow) return false;
        return true;
      }(),
      "a counted program flow is a metric the table declares a flow");
  for (std::size_t p = 0; p < P; ++p) {
    touch_program(static_cast<int>(p), t);
    ProgramState& program = programs_[p];
    program_cell(kEnrolled, p) = static_cast<double>(program.enrolled);
    for (const auto& [flow, metric] : kProgramFlowMetrics) {
      program_cell(metric, p) = static_cast<double>(program.flows[flow]);
      program.flow_totals[flow] += static_cast<double>(program.flows[flow]);
      program.flows[flow] = 0;
    }
    // Spend accrues: the fixed part at enrolment, per_month while enrolled.
    const double spend =
        program.fixed_spend + compiled_programs_[p].cost_per_year * program.participant_years;
    program_cell(kSpendFlow, p) = spend;
    program_cell(kCommittedFlow, p) = program.committed;
    program.spend_total += spend;
    program.fixed_spend = program.participant_years = program.committed = 0.0;
  }
  touch_pairs(t);
  if (options_.check_invariants) check_invariants(t);
}

void Replication::record_totals() {
  auto kpi = [&](int index) -> double& { return result_.series[kpi_series_index(index)][0]; };
  for (int r = 0; r < role_count_; ++r) {
    const RoleState& role = roles_[r];
    const Role& spec = *compiled_[r].spec;
    kpi(kKpiExits) += role.flow_totals[kFlowExits];
    kpi(kKpiLayoffs) += role.flow_totals[kFlowLayoffs];
    kpi(kKpiExternalHires) += role.flow_totals[kFlowHires];
    kpi(kKpiInternalFills) += role.flow_totals[kFlowInternalFills];
    kpi(kKpiTransfers) += role.flow_totals[kFlowTransfersOut];
    kpi(kKpiJobsDestroyed) += role.flow_totals[kFlowJobsDestroyed];
    kpi(kKpiJobsCreated) += role.flow_totals[kFlowJobsCreated];
    kpi(kKpiHiringCost) += role.flow_totals[kFlowHires] * spec.hiring.cost;
    kpi(kKpiSeveranceCost) += role.flow_totals[kFlowLayoffs] * spec.severance;
    kpi(kKpiVacancyCost) += role.vacancy_years_total * kMonthsPerYear * spec.vacancy_cost_per_month;
    kpi(kKpiPayrollCost) += role.paid_years_total * spec.salary;
    kpi(kKpiFinalHeadcount) += static_cast<double>(role.headcount);
    kpi(kKpiFinalEmployees) += static_cast<double>(role.employees);
  }
  const std::size_t P = programs_.size();
  auto program_kpi = [&](int index, std::size_t p) -> double& {
    return result_.series[program_kpi_series_index(index)][p];
  };
  static constexpr std::array<std::tuple<ProgramFlow, ProgramKpi, Kpi>, kProgramFlowCount>
      kProgramTotals = {{
          {kProgramEnrollments, kProgramKpiEnrollments, kKpiEnrollments},
          {kProgramRefused, kProgramKpiRefused, kKpiRefused},
          {kProgramCompletions, kProgramKpiCompletions, kKpiCompletions},
          {kProgramDropouts, kProgramKpiDropouts, kKpiDropouts},
          {kProgramPlacements, kProgramKpiPlacements, kKpiPlacements},
      }};
  static_assert(
      [] {
        for (const auto& entry : kProgramTotals)
          if (kProgramKpis[std::get<1>(entry)].kind != MetricKind::total ||
              kKpis[std::get<2>(entry)].kind != MetricKind::total)
            return false;
        return true;
      }(),
      "a program flow's sums are KPIs the table declares totals");
  for (std::size_t p = 0; p < P; ++p) {
    const ProgramState& program = programs_[p];
    for (const auto& [flow, program_index, total_index] : kProgramTotals) {
      program_kpi(program_index, p) = program.flow_totals[flow];
      kpi(total_index) += program.flow_totals[flow];
    }
    program_kpi(kProgramKpiSpend, p) = program.spend_total;
    kpi(kKpiProgramSpend) += program.spend_total;
  }
  kpi(kKpiPairsStarted) = static_cast<double>(pairs_started_);
  kpi(kKpiDistinctMentees) = static_cast<double>(distinct_mentees_);
  kpi(kKpiMentoringRefused) = static_cast<double>(mentoring_refused_);
  if (scenario_.mentoring)
    kpi(kKpiMentoringCost) =
        pair_years_ * kMonthsPerYear * scenario_.mentoring->cost_per_pair_month;
  kpi(kKpiTotalCost) = kpi(kKpiProgramSpend) + kpi(kKpiMentoringCost) + kpi(kKpiHiringCost) +
                       kpi(kKpiSeveranceCost) + kpi(kKpiVacancyCost);
}

namespace {
[[noreturn]] void broken(const std::string& what, double t) {
  throw std::logic_error("invariant broken at t = " + std::to_string(t) + ": " + what);
}
}  // namespace

// Recounts every stock from the agents and positions and checks the caps of
// SPEC §2: the incremental bookkeeping must agree with it exactly.
void Replication::check_invariants(double t) const {
  std::vector<RoleState> recount(roles_.size());
  for (const Position& position : positions_) {
    if (position.state == PositionState::filled) {
      ++recount[position.role].headcount;
      const Agent& agent = agents_[position.incumbent];
      if (agent.state != AgentState::working ||
          agent.position != static_cast<std::uint32_t>(&position - positions_.data()))
        broken("a filled position's incumbent does not hold it", t);
    } else if (position.state == PositionState::vacant) {
      ++recount[position.role].vacancies;
    }
  }
  std::vector<std::int64_t> enrolled(programs_.size(), 0);
  std::int64_t mentees = 0, loaded_mentors = 0, pairs = 0;
  std::size_t full_records = 0, histories = 0;
  std::vector<bool> record_held(involvements_.allocated(), false);
  const std::int64_t cap =
      scenario_.mentoring ? scenario_.mentoring->mentees_per_mentor : std::int64_t{0};
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    if (agent.state == AgentState::free) continue;
    RoleState& role = recount[agent.role];
    ++role.employees;
    if (agent.state == AgentState::pool) ++role.displaced;
    if ((agent.state == AgentState::working) != (agent.position != kNone))
      broken("an agent's state disagrees with its position", t);
    // Lazy deletion holds only if a clock never changes under a live mark.
    if (agent.queued != QueuedClock::none && !queued_times_.empty() &&
        queued_time(agent) != queued_times_[a])
      broken("an agent's clock changed while its queue entry stayed live", t);
    // Thinning is exact only while each clock runs at the bound of the
    // agent's state, never below its rates.
    if (!attrition_bounds_.empty()) {
      const AttritionFactors factors = attrition_factors(agent);
      if (factors.bound != attrition_bounds_[a])
        broken("an agent's attrition bound changed without its exit clock", t);
      if (!(factors.actual <= factors.bound)) broken("an agent's hazard exceeds its bound", t);
      if (agent.enrolled() && !compiled_programs_[agent.program].spec->dropout.is_zero() &&
          dropout_factors(agent).bound != dropout_bounds_[a])
        broken("a participant's dropout bound changed without its clock", t);
      if (agent.state == AgentState::working && compiled_[agent.role].has_voluntary_extras) {
        if (voluntary_bound_state(agent).flag_bits() != voluntary_bounds_[a])
          broken("an agent's voluntary bound changed without its clock", t);
        if (agent.has(kMentee) && agent.program == kNoProgram &&
            scenario_.mentoring->effects.mentee_enrollment_multiplier > 1.0 &&
            !agent.voluntary_bound_mentee)
          broken("a mentee's enrolment attempts exceed its voluntary clock's bound", t);
      }
    }
    const Involvement* record = agent.involvement != kNone && !agent.has(kHistoryOnly)
                                    ? &involvements_[agent.involvement]
                                    : nullptr;
    if (record != nullptr) {
      if (record_held[agent.involvement]) broken("an involvement record is shared", t);
      record_held[agent.involvement] = true;
    }
    if (agent.involvement != kNone) ++(record != nullptr ? full_records : histories);
    if (agent.has(kHistoryOnly) &&
        (agent.program != kNoProgram || agent.has(kMentee) || agent.mentee_count > 0))
      broken("an agent in a program or pairing has only its program history", t);
    if (agent.program != kNoProgram) {
      if (record == nullptr || (record->ever_enrolled & (1u << agent.program)) == 0)
        broken("a participant's program is not among those it enrolled in", t);
      if (!agent.has(kGraduate)) {
        ++enrolled[agent.program];
        ++role.in_training;
      }
    }
    if (agent.state == AgentState::away && agent.program == kNoProgram)
      broken("an agent without a position is neither in a program nor in the pool", t);
    if ((completed_programs(agent) & ~ever_enrolled(agent)) != 0)
      broken("a program completed without enrolling", t);
    if (agent.has(kMentee)) {
      ++mentees;
      ++role.mentees;
      if (agent.mentee_count > 0) broken("an agent is mentor and mentee at once", t);
      if (record == nullptr || record->mentor == kNone) broken("a mentee without a mentor", t);
    }
    if (agent.mentee_count > 0) {
      ++loaded_mentors;
      ++role.mentors;
      if (agent.mentee_count > cap) broken("a mentor has more mentees than allowed", t);
      // Each mentee in the list names this mentor: nobody is paired twice.
      std::int64_t listed = 0;
      for (std::uint32_t e : mentees_of(static_cast<std::uint32_t>(a))) {
        if (agents_[e].state == AgentState::free || !agents_[e].has(kMentee) ||
            involvements_[agents_[e].involvement].mentor != a)
          broken("a mentor's list holds someone who is not its mentee", t);
        ++listed;
      }
      if (listed != agent.mentee_count) broken("a mentor's list disagrees with its count", t);
      pairs += listed;
    }
  }
  if (mentees != pairs || pairs != pairs_) broken("pairings disagree with mentees", t);
  std::int64_t displaced = 0;
  for (const RoleState& role : recount) displaced += role.displaced;
  if (displaced != displaced_) broken("the pool total disagrees with a recount", t);
  if (full_records != involvements_.in_use() || histories != histories_.in_use())
    broken("program records are held by nobody", t);
  if (mentees > cap * loaded_mentors) broken("more mentees than mentors can take", t);
  for (std::size_t r = 0; r < roles_.size(); ++r) {
    const RoleState& a = roles_[r];
    const RoleState& b = recount[r];
    if (a.headcount != b.headcount || a.vacancies != b.vacancies || a.employees != b.employees ||
        a.displaced != b.displaced || a.in_training != b.in_training || a.mentees != b.mentees ||
        a.mentors != b.mentors)
      broken("role counts disagree with a recount for role " + compiled_[r].spec->id, t);
    if (a.open_vacancies.count_live([&](const OpenVacancy& v) { return is_live(v); }) !=
        static_cast<std::size_t>(a.vacancies))
      broken("the open-vacancy list disagrees with the vacancy count", t);
    if (a.pool.count_live([&](const PoolMember& m) { return is_live(m); }) !=
        static_cast<std::size_t>(a.displaced))
      broken("the pool list disagrees with the displaced count", t);
    if (a.graduates_waiting.count_live([&](const PoolMember& m) { return is_live_graduate(m); }) !=
        static_cast<std::size_t>(a.graduates))
      broken("the graduate list disagrees with the graduate count", t);
  }
  // Capacity and money (SPEC §2 Budget), with room for rounding of sums.
  const auto within = [](double value, double cap_value) {
    return value <= cap_value + 1e-9 * std::max(1.0, std::abs(cap_value));
  };
  for (std::size_t p = 0; p < programs_.size(); ++p) {
    const Program& spec = *compiled_programs_[p].spec;
    if (enrolled[p] != programs_[p].enrolled) broken("enrolled disagrees with a recount", t);
    // A capacity that falls removes nobody (docs/scenario-language.md), so
    // the bound holds at every instant only while it never falls.
    if (spec.capacity &&
        std::is_sorted(spec.capacity->values().begin(), spec.capacity->values().end()) &&
        static_cast<double>(enrolled[p]) > spec.capacity->value_at(t))
      broken("program " + spec.id + " holds more participants than its capacity", t);
    if (!within(ledger_.committed(static_cast<int>(p)), ledger_.program_cap(static_cast<int>(p))))
      broken("program " + spec.id + " committed more than its budget", t);
  }
  if (!within(ledger_.committed_total(), ledger_.total_cap()))
    broken("commitments exceed the total budget", t);
  for (int year = 0; year < ledger_.years(); ++year)
    if (!within(ledger_.committed_in_year(year), ledger_.year_cap(year)))
      broken("commitments of year " + std::to_string(year) + " exceed its cap", t);
}

}  // namespace wfsim::models::detail
