#include "replication.h"

#include "processes.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace wfsim::models::detail {

using engine::kNever;

namespace {

// Process identifiers of the random streams (SPEC §2, common random numbers).
constexpr std::uint64_t kPositionSalt = 0x706F736974696F6EULL;  // "position"

}  // namespace

Replication::Replication(const WorkforceModel& model, std::uint64_t seed, std::size_t replication,
                         const SimulationOptions& options)
    : model_(model),
      scenario_(model.scenario()),
      compiled_(model.roles()),
      compiled_programs_(model.programs()),
      streams_(seed, replication),
      replication_(replication),
      options_(options),
      horizon_(model.horizon()),
      snapshots_(model.snapshot_count()),
      role_count_(static_cast<int>(model.roles().size())),
      queue_(model.horizon(), model.expected_queue_pushes()),
      ledger_(model.scenario().budget, model.scenario().programs, model.horizon()) {
  if (const std::optional<Mentoring>& m = scenario_.mentoring) {
    standalone_in_bound_ =
        m->open_enrollment_rate.max_value() * m->duration_months / kMonthsPerYear <= 1.0;
    mentee_enrolment_bound_ = std::max(1.0, m->effects.mentee_enrollment_multiplier);
  }
}

// Keys are already well-mixed hashes: their high bits serve as the
// same-instant priority drawn from the entity's own identity.
std::uint64_t Replication::priority(std::uint64_t key) {
  return key;
}

std::uint64_t Replication::position_key(const Position& position) const {
  return engine::mix64(
      compiled_[position.role].key ^ kPositionSalt ^
      (static_cast<std::uint64_t>(position.index_in_role) * 0x9E3779B97F4A7C15ULL));
}

// A hire's identity: the position and how often it has been filled, so one
// extra hire elsewhere does not shift anyone else's randomness.
std::uint64_t Replication::hire_key(const Position& position) const {
  return engine::mix64(position_key(position) +
                       (static_cast<std::uint64_t>(position.fill_count) + 1) *
                           0xBF58476D1CE4E5B9ULL);
}

// ---------------------------------------------------------------- main loop

// Each event reads an agent, and the position or record it holds, at
// random places in tens of megabytes: the loads of coming events are started
// early, in stages (the agent of an entry far ahead, then, once it has
// arrived, what it points to for an entry nearer, and so on). The kernel
// waits on memory for most of its time: on the development machine this
// took a third off it (models/README.md).
void Replication::prefetch_ahead() const {
  if (const engine::QueueEntry* far = queue_.peek_ahead(kPrefetchDistance)) {
    switch (far->order >> 28) {
      case kClassAgent:
      case kClassProgram:
        __builtin_prefetch(&agents_[far->target]);
        break;
      case kClassHire:
        __builtin_prefetch(&positions_[far->target]);
        break;
      default:
        break;
    }
  }
  if (const engine::QueueEntry* near = queue_.peek_ahead(kPrefetchDistance / 2)) {
    const unsigned event_class = near->order >> 28;
    if (event_class == kClassAgent || event_class == kClassProgram) {
      const Agent& agent = agents_[near->target];
      if (event_class == kClassAgent && agent.position < positions_.size())
        __builtin_prefetch(&positions_[agent.position]);
      if (agent.involvement != kNone)
        __builtin_prefetch(agent.has(kHistoryOnly)
                               ? static_cast<const void*>(&histories_[agent.involvement])
                               : static_cast<const void*>(&involvements_[agent.involvement]));
    }
  }
  // A pairing's end (or a mentee's exit) also reads the mentor, then its record.
  for (const std::size_t ahead : {kPrefetchDistance / 4, kPrefetchDistance / 8}) {
    const engine::QueueEntry* entry = queue_.peek_ahead(ahead);
    if (entry == nullptr) break;
    const unsigned event_class = entry->order >> 28;
    if (event_class != kClassProgram && event_class != kClassAgent) continue;
    const Agent& agent = agents_[entry->target];
    if (!agent.has(kMentee) || agent.has(kHistoryOnly) || agent.involvement == kNone) continue;
    const Agent& mentor = agents_[involvements_[agent.involvement].mentor];
    if (ahead == kPrefetchDistance / 4)
      __builtin_prefetch(&mentor);
    else if (mentor.involvement != kNone && !mentor.has(kHistoryOnly))
      __builtin_prefetch(&involvements_[mentor.involvement]);
  }
}

engine::ReplicationResult Replication::run() {
  result_.index = replication_;
  const std::vector<std::size_t>& sizes = model_.series_sizes();
  result_.series.resize(sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) result_.series[i].assign(sizes[i], 0.0);

  initialise();
  record_snapshot(0, 0.0);
  engine::QueueEntry entry;
  for (int k = 1; k < snapshots_; ++k) {
    const double t_k = static_cast<double>(k) / scenario_.snapshots_per_year;
    while (queue_.pop_until(t_k, entry)) {
      prefetch_ahead();
      dispatch(entry);
      if (options_.check_every_event) check_invariants(entry.time);
    }
    if (options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed))
      throw engine::Cancelled();
    record_snapshot(k, t_k);
  }
  record_totals();
  result_.events = events_;
  return std::move(result_);
}

void Replication::dispatch(const engine::QueueEntry& entry) {
  const double t = entry.time;
  switch (entry.order >> 28) {
    case kClassWave:
      apply_wave(entry.target, t);
      break;
    case kClassAgent:
      handle_agent(entry.target, t);
      break;
    case kClassHire: {
      const Position& position = positions_[entry.target];
      // Stale when an internal fill cancelled the pending hire.
      if (position.state == PositionState::vacant && position.clock == t)
        hire_external(entry.target, t);
      break;
    }
    case kClassGrowth:
      if (roles_[entry.target].growth_next == t) grow(static_cast<int>(entry.target), t);
      break;
    case kClassProgram:
      handle_program_event(entry.target, t);
      break;
    case kClassSeatOffer:
      offer_seats(static_cast<int>(entry.target), t);
      break;
    default:
      throw std::logic_error("unknown event class");
  }
}

// ---------------------------------------------------------------- set-up

void Replication::initialise() {
  roles_.resize(role_count_);
  voluntary_rate_tables_.resize(role_count_);
  for (int r = 0; r < role_count_; ++r) {
    const std::size_t programs = compiled_[r].enrolling.size();
    if (compiled_[r].has_voluntary_extras && programs <= kVoluntaryTableMaxPrograms)
      voluntary_rate_tables_[r].assign(std::size_t{8} << programs, nullptr);
  }
  programs_.resize(compiled_programs_.size());
  // Reserved from the expected growth: doubling a vector of a million
  // records would briefly hold both copies.
  positions_.reserve(model_.expected_positions());
  agents_.reserve(model_.expected_positions());

  for (int r = 0; r < role_count_; ++r) {
    const Role& spec = *compiled_[r].spec;
    RoleState& role = roles_[r];
    for (std::int64_t i = 0; i < spec.headcount; ++i) {
      const std::uint32_t p = create_position(r, PositionState::vacant);
      Position& position = positions_[p];
      const std::uint64_t key = hire_key(position);
      engine::RandomStream tenure_stream = streams_.stream(key, kInitialTenure);
      const double tenure = spec.initial_tenure_years.sample(tenure_stream);
      const std::uint32_t a = new_agent(key, r, -tenure);
      ++role.employees;
      role.salary_weight += 1.0;
      start_attrition(a, 0.0);
      // The initial fill is not an event: the position starts filled.
      ++role.vacancies;
      fill(a, p, 0.0);
    }
    // Initial vacancies open at t = 0 in the order of their own priority draws.
    std::vector<std::uint32_t> open;
    for (std::int64_t i = 0; i < spec.vacancies; ++i)
      open.push_back(create_position(r, PositionState::vacant));
    std::sort(open.begin(), open.end(), [&](std::uint32_t a, std::uint32_t b) {
      const std::uint64_t pa = priority(position_key(positions_[a]));
      const std::uint64_t pb = priority(position_key(positions_[b]));
      return pa != pb ? pa < pb : a < b;
    });
    // Their hires are events at t >= 0 (even without a delay), after snapshot 0.
    for (std::uint32_t p : open) {
      ++role.vacancies;
      vacancy_push(p);
      if (spec.hiring.enabled) schedule_external_hire(p, 0.0);
    }
    if (compiled_[r].has_growth) {
      role.growth_left =
          streams_.stream(compiled_[r].key, kGrowth, role.growth_draws++).unit_exponential();
      schedule_growth(r, 0.0);
    }
  }
  for (std::size_t w = 0; w < scenario_.automation_waves.size(); ++w)
    queue_.push(scenario_.automation_waves[w].at_year, engine::order_key(kClassWave, w),
                static_cast<std::uint32_t>(w));
  for (std::size_t p = 0; p < compiled_programs_.size(); ++p)
    if (compiled_programs_[p].spec->accepts_displaced)
      for (double at : compiled_programs_[p].offer_times)
        queue_.push(at, engine::order_key(kClassSeatOffer, priority(compiled_programs_[p].key)),
                    static_cast<std::uint32_t>(p));
}

std::uint32_t Replication::create_position(int r, PositionState state) {
  RoleState& role = roles_[r];
  Position position{};
  position.clock = kNever;
  position.incumbent = kNone;
  position.fill_count = 0;
  position.index_in_role = role.positions_created++;
  position.role = static_cast<std::uint16_t>(r);
  position.state = state;
  const auto index = static_cast<std::uint32_t>(positions_.size());
  positions_.push_back(position);
  return index;
}

std::uint32_t Replication::new_agent(std::uint64_t key, int role, double tenure_origin) {
  std::uint32_t index;
  if (!free_agents_.empty()) {
    index = free_agents_.back();
    free_agents_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(agents_.size());
    agents_.emplace_back();
  }
  if (options_.check_every_event && queued_times_.size() < agents_.size()) {
    queued_times_.resize(agents_.size());
    attrition_bounds_.resize(agents_.size());
    dropout_bounds_.resize(agents_.size());
    voluntary_bounds_.resize(agents_.size());
  }
  Agent& agent = agents_[index];
  agent.key = key;
  agent.queued = QueuedClock::none;
  agent.queued_entries = 0;
  agent.clocks_changed = true;
  agent.voluntary_bound_mentee = false;
  agent.exit_time = agent.voluntary_time = kNever;
  agent.tenure_origin = tenure_origin;
  agent.position = kNone;
  agent.involvement = kNone;
  agent.role = static_cast<std::uint16_t>(role);
  agent.program = kNoProgram;
  agent.flags = 0;
  agent.mentee_count = 0;
  agent.state = AgentState::working;
  return index;
}

void Replication::free_agent(std::uint32_t a) {
  Agent& agent = agents_[a];
  agent.state = AgentState::free;
  release_involvement(agent);
  set_attrition_excess(a, 0.0);
  free_agents_.push_back(a);
}

void Replication::release_involvement(Agent& agent) {
  if (agent.involvement == kNone) return;
  if (agent.has(kHistoryOnly))
    histories_.release(agent.involvement);
  else
    involvements_.release(agent.involvement);
  agent.involvement = kNone;
  agent.flags &= static_cast<std::uint8_t>(~kHistoryOnly);
}

Involvement& Replication::involve(std::uint32_t a) {
  Agent& agent = agents_[a];
  if (agent.involvement == kNone || agent.has(kHistoryOnly)) {
    const std::uint32_t index = involvements_.allocate();
    Involvement& record = involvements_[index];
    record.scheduled = kUnscheduled;
    record.program_end = record.dropout_time = record.pairing_end = kNever;
    record.enrolled_at = record.planned_cost = 0.0;
    record.mentor = kNone;
    record.ever_enrolled = ever_enrolled(agent);
    record.completed = completed_programs(agent);
    release_involvement(agent);
    agent.involvement = index;
  }
  return involvements_[agent.involvement];
}

void Replication::release_if_idle(std::uint32_t a) {
  Agent& agent = agents_[a];
  if (agent.involvement == kNone || agent.has(kHistoryOnly) || agent.program != kNoProgram ||
      agent.has(kMentee) || agent.mentee_count > 0)
    return;
  const Involvement& record = involvements_[agent.involvement];
  const ProgramHistory history{record.ever_enrolled, record.completed};
  release_involvement(agent);
  if (history.ever_enrolled == 0) return;
  agent.involvement = histories_.allocate();
  histories_[agent.involvement] = history;
  agent.flags |= kHistoryOnly;
}

void Replication::record_attrition_excess(std::uint32_t a, double excess) {
  if (excess != 0.0)
    attrition_excess_[a] = excess;
  else
    attrition_excess_.erase(a);
}

double Replication::attrition_excess(std::uint32_t a) const {
  if (attrition_excess_.empty()) return 0.0;
  const auto found = attrition_excess_.find(a);
  return found != attrition_excess_.end() ? found->second : 0.0;
}

std::uint32_t Replication::completed_programs(const Agent& agent) const {
  if (agent.involvement == kNone) return 0;
  return agent.has(kHistoryOnly) ? histories_[agent.involvement].completed
                                 : involvements_[agent.involvement].completed;
}

// ---------------------------------------------------------------- hazards

engine::Hazard Replication::attrition_hazard(const Agent& agent) const {
  const CompiledRole& role = compiled_[agent.role];
  engine::Hazard hazard;
  hazard.calendar = &role.spec->attrition;
  if (role.tenure_multiplier) hazard.age = &*role.tenure_multiplier;
  hazard.age_origin = agent.tenure_origin;
  hazard.factor = attrition_factors(agent).bound;
  return hazard;
}

// A completed program's multiplier lasts for the rest of the career: one
// below this counts in the bound as it is (the clock moves at completion),
// lest most candidates of its graduates be rejected; the others as at least 1.
constexpr double kLeastThinnedLastingMultiplier = 0.5;

Replication::AttritionFactors Replication::attrition_factors(const Agent& agent) const {
  // Program and mentoring state lives in the record: without one, no multiplier.
  if (agent.involvement == kNone) return {1.0, 1.0};
  AttritionFactors factors{1.0, 1.0};
  const auto apply = [&](double multiplier) {
    factors.actual *= multiplier;
    factors.bound *= std::max(1.0, multiplier);
  };
  for (std::uint32_t done = completed_programs(agent); done != 0; done &= done - 1) {
    const double multiplier =
        compiled_programs_[__builtin_ctz(done)].spec->after_completion.attrition_multiplier;
    if (multiplier < kLeastThinnedLastingMultiplier) {
      factors.actual *= multiplier;
      factors.bound *= multiplier;
    } else {
      apply(multiplier);
    }
  }
  if (agent.enrolled())
    apply(compiled_programs_[agent.program].spec->while_enrolled.attrition_multiplier);
  if (agent.has(kMentee)) apply(scenario_.mentoring->effects.mentee_attrition_multiplier);
  if (agent.mentee_count > 0) apply(scenario_.mentoring->effects.mentor_attrition_multiplier);
  return factors;
}

// Multiplying by factors of at most 1 rounds down, by the same factors of
// more than 1 the same way in both products: actual ≤ bound exactly.
bool Replication::exit_accepted(const Agent& agent, double t) const {
  const AttritionFactors factors = attrition_factors(agent);
  if (factors.actual == factors.bound) return true;
  return streams_.stream(agent.key, kExitAcceptance, time_bits(t)).uniform_open() * factors.bound <
         factors.actual;
}

void Replication::next_exit_candidate(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  set_attrition_threshold(a, t,
                          streams_.stream(agent.key, kAttrition, time_bits(t)).unit_exponential());
  // The voluntary clock's walk stopped at this candidate: it goes on from here.
  if (agent.has(kVoluntaryCheckpoint) && voluntary_clock(agent) == t) start_voluntary_clock(a, t);
  schedule(a);
}

double Replication::salary_multiplier(const Agent& agent) const {
  return completed_product(agent, &AfterCompletion::salary_multiplier);
}

double Replication::completed_product(const Agent& agent,
                                      double AfterCompletion::*multiplier) const {
  double product = 1.0;
  for (std::uint32_t done = completed_programs(agent); done != 0; done &= done - 1)
    product *= compiled_programs_[__builtin_ctz(done)].spec->after_completion.*multiplier;
  return product;
}

void Replication::start_attrition(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  set_attrition_threshold(a, t, streams_.stream(agent.key, kAttrition).unit_exponential());
}

// Schedules the exit when `threshold` more integrated hazard is consumed
// from t on. The true exit time is kept even after the horizon: what is left
// of the threshold at a later change of hazard is then ∫ h up to it.
void Replication::set_attrition_threshold(std::uint32_t a, double t, double threshold) {
  Agent& agent = agents_[a];
  const engine::Hazard hazard = attrition_hazard(agent);
  clock_changes(agent, QueuedClock::exit);
  if (options_.check_every_event) attrition_bounds_[a] = hazard.factor;
  const double old_exit = agent.exit_time;
  agent.exit_time = hazard.time_to_threshold(t, threshold, engine::kNever);
  const double excess =
      agent.exit_time == kNever ? std::max(0.0, threshold - hazard.tail_mass(t)) : 0.0;
  set_attrition_excess(a, excess);
  if (agent.exit_time > old_exit) exit_moved_later(a, old_exit);
}

void Replication::move_to_role(std::uint32_t a, int role, double t) {
  Agent& agent = agents_[a];
  const double salary = salary_multiplier(agent);
  const int from = agent.role;
  touch(from, t);
  touch(role, t);
  change_attrition(a, t, [&] { agent.role = static_cast<std::uint16_t>(role); });
  --roles_[from].employees;
  ++roles_[role].employees;
  roles_[from].salary_weight -= salary;
  roles_[role].salary_weight += salary;
  if (agent.has(kMentee)) {
    --roles_[from].mentees;
    ++roles_[role].mentees;
  }
  if (agent.mentee_count > 0) {
    --roles_[from].mentors;
    ++roles_[role].mentors;
  }
}

double Replication::queued_time(const Agent& agent) const {
  switch (agent.queued) {
    case QueuedClock::exit:
      return agent.exit_time;
    case QueuedClock::position:
      return position_clock(agent);
    case QueuedClock::voluntary:
      return voluntary_clock(agent);
    default:
      return kUnscheduled;
  }
}

// Queues the earliest of the agent's clocks, unless its entry is already
// queued (no clock changed since). Ties go to exit, then position.
void Replication::schedule(std::uint32_t a) {
  Agent& agent = agents_[a];
  if (!agent.clocks_changed && agent.queued != QueuedClock::none) return;
  agent.clocks_changed = false;
  double t = agent.exit_time;
  QueuedClock clock = QueuedClock::exit;
  if (const double p = position_clock(agent); p < t) {
    t = p;
    clock = QueuedClock::position;
  }
  if (const double v = voluntary_clock(agent); v < t) {
    t = v;
    clock = QueuedClock::voluntary;
  }
  if (clock == agent.queued) return;
  agent.queued = clock;
  if (options_.check_every_event) queued_times_[a] = t;
  if ((agent.queued_entries & entry_bit(clock)) != 0) return;
  agent.queued_entries |= entry_bit(clock);
  if (t <= horizon_) queue_.push(t, engine::order_key(kClassAgent, priority(agent.key)), a);
}

// ---------------------------------------------------------------- agent events

void Replication::handle_agent(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  // Lazy deletion: only the entry of the queued clock, at its time, is live.
  if (agent.state == AgentState::free || queued_time(agent) != t) return;
  agent.queued_entries &= static_cast<std::uint8_t>(~entry_bit(agent.queued));
  agent.queued = QueuedClock::none;
  if (agent.exit_time == t) {
    if (exit_accepted(agent, t))
      exit_company(a, t);
    else
      next_exit_candidate(a, t);
  } else if (position_clock(agent) == t) {
    if (agent.state == AgentState::working)
      eliminate_position(a, t);
    else
      lay_off(a, t);
  } else {
    voluntary_action(a, t);
  }
}

void Replication::exit_company(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  const int r = agent.role;
  touch(r, t);
  count(r, kFlowExits);
  event(EventKind::exit, agent.key, r, t);
  if (agent.state == AgentState::pool) change_displaced(r, -1);  // its pool entry is now dead
  const bool was_enrolled = agent.enrolled();
  if (was_enrolled) leave_program(a, t, /*leaving=*/true);
  if (agent.has(kGraduate)) stop_waiting_as_graduate(a);
  const std::uint32_t p = agent.position;
  remove_employee(a, t);
  if (p != kNone) vacate(p, t);
  if (was_enrolled) offer_all_seats(t);
}

void Replication::eliminate_position(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  const std::uint32_t p = agent.position;
  const int r = agent.role;
  touch(r, t);
  Position& position = positions_[p];
  position.state = PositionState::closed;
  position.incumbent = kNone;
  --roles_[r].headcount;
  count(r, kFlowJobsDestroyed);
  event(EventKind::job_destroyed, agent.key, r, t);
  clock_changes(agent, QueuedClock::position);
  position.clock = kNever;
  agent.position = kNone;
  displace(a, t);
}

void Replication::displace(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  event(EventKind::displacement, agent.key, agent.role, t);
  clock_changes(agent, QueuedClock::position);
  clock_changes(agent, QueuedClock::voluntary);
  agent.state = AgentState::away;
  agent.voluntary_time = kNever;
  refresh_mentor(a);
  // A participant or waiting graduate stays so, without a position.
  if (agent.program != kNoProgram) {
    schedule(a);
    return;
  }
  without_position(a, t);
}

// SPEC §2 "Without a position": a vacancy of the own role and a seat in a
// program that accepts displaced workers, in the scenario's order of the
// two; otherwise the redeployment pool.
void Replication::without_position(std::uint32_t a, double t) {
  const bool reskill_first = scenario_.displacement.first == Displacement::First::reskill;
  if (reskill_first && try_seat_without_position(a, t)) return;
  const int r = agents_[a].role;
  const std::uint32_t vacancy = oldest_vacancy(r);
  if (vacancy != kNone) {
    count(r, kFlowInternalFills);
    event(EventKind::redeployment, agents_[a].key, r, t);
    fill(a, vacancy, t);
    return;
  }
  if (!reskill_first && try_seat_without_position(a, t)) return;
  enter_pool(a, t);
}

void Replication::enter_pool(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  const int r = agent.role;
  clock_changes(agent, QueuedClock::position);
  clock_changes(agent, QueuedClock::voluntary);
  agent.state = AgentState::pool;
  agent.pool_deadline = t + model_.redeployment_window_years();
  change_displaced(r, +1);
  pool_push(a);
  schedule(a);
}

void Replication::lay_off(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  const int r = agent.role;
  touch(r, t);
  change_displaced(r, -1);
  count(r, kFlowLayoffs);
  event(EventKind::layoff, agent.key, r, t);
  remove_employee(a, t);
}

void Replication::remove_employee(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  --roles_[agent.role].employees;
  roles_[agent.role].salary_weight -= salary_multiplier(agent);
  if (agent.has(kMentee) || agent.mentee_count > 0) end_pairings_of(a, t);
  unlist_mentor(a);
  free_agent(a);
}

void Replication::attempt_transfer(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  const CompiledRole& role = compiled_[agent.role];
  int destination = role.transfer_targets.front().first;
  if (role.transfer_targets.size() > 1) {
    // Destination drawn in proportion to the rates in force at t.
    const double total = role.transfer_total.value_at(t);
    double u =
        streams_.stream(agent.key, kTransferDestination, time_bits(t)).uniform_open() * total;
    for (const auto& [target, rate] : role.transfer_targets) {
      destination = target;
      u -= rate->value_at(t);
      if (u < 0.0) break;
    }
  }
  const std::uint32_t vacancy = oldest_vacancy(destination);
  if (vacancy == kNone) {
    // Nothing open: the attempt changes nothing; the clock restarts.
    start_voluntary_clock(a, t);
    schedule(a);
    return;
  }
  const int source = agent.role;
  const std::uint32_t held = agent.position;
  count(source, kFlowTransfersOut);
  count(destination, kFlowInternalFills);
  event(EventKind::transfer, agent.key, source, t);
  clock_changes(agent, QueuedClock::position);
  agent.position = kNone;
  move_to_role(a, destination, t);
  fill(a, vacancy, t);  // also restarts the voluntary clock and schedules
  vacate(held, t);
}

// ---------------------------------------------------------------- positions

void Replication::vacate(std::uint32_t p, double t) {
  Position& position = positions_[p];
  const int r = position.role;
  touch(r, t);
  position.incumbent = kNone;
  position.clock = kNever;  // the automation clock goes with the incumbent's spell
  --roles_[r].headcount;
  if (compiled_[r].spec->backfill) {
    open_vacancy(p, t);
  } else {
    position.state = PositionState::closed;
    count(r, kFlowPositionsClosed);
    event(EventKind::position_closed, 0, r, t);
  }
}

void Replication::open_vacancy(std::uint32_t p, double t) {
  Position& position = positions_[p];
  const int r = position.role;
  RoleState& role = roles_[r];
  touch(r, t);
  position.state = PositionState::vacant;
  ++role.vacancies;
  // (1) the longest-waiting reskilling graduate whose program targets the role.
  if (const std::uint32_t graduate = longest_waiting_graduate(r); graduate != kNone) {
    place(graduate, p, agents_[graduate].program, t);
    return;
  }
  // (2) the redeployment pool.
  if (const std::uint32_t worker = longest_waiting(r); worker != kNone) {
    change_displaced(r, -1);
    count(r, kFlowInternalFills);
    event(EventKind::redeployment, agents_[worker].key, r, t);
    fill(worker, p, t);
    return;
  }
  // (3) an external hire after the time-to-fill delay, or at once.
  const bool hiring = compiled_[r].spec->hiring.enabled;
  if (hiring && compiled_[r].time_to_fill_years == 0.0) {
    hire_external(p, t);
    return;
  }
  vacancy_push(p);
  if (hiring) schedule_external_hire(p, t);
}

// The external hire for a vacancy arrives after an exponential delay of mean
// time_to_fill (none if it is 0); an internal fill before then cancels it.
void Replication::schedule_external_hire(std::uint32_t p, double t) {
  Position& position = positions_[p];
  const CompiledRole& role = compiled_[position.role];
  const std::uint64_t key = position_key(position);
  double delay = 0.0;
  if (role.time_to_fill_years > 0.0)
    delay = role.time_to_fill_years *
            streams_.stream(key, kHireDelay, position.fill_count).unit_exponential();
  position.clock = t + delay;
  queue_.push(position.clock, engine::order_key(kClassHire, priority(key)), p);
}

void Replication::hire_external(std::uint32_t p, double t) {
  Position& position = positions_[p];
  const int r = position.role;
  const std::uint64_t key = hire_key(position);
  const std::uint32_t a = new_agent(key, r, t);
  touch(r, t);
  ++roles_[r].employees;
  roles_[r].salary_weight += 1.0;
  count(r, kFlowHires);
  event(EventKind::hire, key, r, t);
  if (scenario_.mentoring && scenario_.mentoring->new_hires && compiled_[r].open_to_mentoring &&
      mentoring_active(t))
    request_mentor(a, t, /*clocks_set=*/false);
  start_attrition(a, t);
  fill(a, p, t);
}

void Replication::fill(std::uint32_t a, std::uint32_t p, double t) {
  Agent& agent = agents_[a];
  Position& position = positions_[p];
  const int r = position.role;
  touch(r, t);
  --roles_[r].vacancies;  // its open-vacancy entry is now dead
  ++roles_[r].headcount;
  position.state = PositionState::filled;
  position.incumbent = a;
  position.clock = kNever;  // cancels a pending external hire
  ++position.fill_count;
  clock_changes(agent, QueuedClock::position);
  clock_changes(agent, QueuedClock::voluntary);  // (a pool member's slot held its deadline)
  agent.position = p;
  agent.state = AgentState::working;
  agent.voluntary_time = kNever;
  if (compiled_[r].has_automation) {
    const double threshold =
        streams_.stream(position_key(position), kAutomation, position.fill_count)
            .unit_exponential();
    engine::Hazard hazard;
    hazard.calendar = &compiled_[r].spec->automation;
    position.clock = hazard.time_to_threshold(t, threshold, horizon_);
  }
  if (compiled_[r].mentor_role) decide_mentor(a);
  if (agent.has(kMentor)) refresh_mentor(a);
  start_voluntary_clock(a, t);
  schedule(a);
}

void Replication::apply_wave(std::size_t w, double t) {
  const AutomationWave& wave = scenario_.automation_waves[w];
  const int r = scenario_.role_index(wave.role);
  std::vector<std::uint32_t> hit;
  for (const Position& position : positions_) {
    if (position.role != r || position.state != PositionState::filled) continue;
    if (streams_.stream(position_key(position), kWave, w).uniform_open() < wave.fraction)
      hit.push_back(position.incumbent);
  }
  // Same-instant order: each incumbent's own priority draw.
  std::sort(hit.begin(), hit.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::uint64_t pa = priority(agents_[a].key), pb = priority(agents_[b].key);
    return pa != pb ? pa < pb : a < b;
  });
  for (std::uint32_t a : hit) eliminate_position(a, t);
}

void Replication::grow(int r, double t) {
  RoleState& role = roles_[r];
  touch(r, t);  // consumes the threshold up to t with the positions held until now
  if (next_growth_time(r, t) > t) {
    // Positions were lost since this time was computed: it is later now.
    schedule_growth(r, t);
    return;
  }
  const std::uint32_t p = create_position(r, PositionState::vacant);
  count(r, kFlowJobsCreated);
  event(EventKind::job_created, 0, r, t);
  role.growth_left =
      streams_.stream(compiled_[r].key, kGrowth, role.growth_draws++).unit_exponential();
  open_vacancy(p, t);
  schedule_growth(r, t);
}

// When the growth threshold is reached if positions stay as they are now:
// the hazard is growth(t)·positions + new_positions_per_year(t).
double Replication::next_growth_time(int r, double t) const {
  const RoleState& role = roles_[r];
  const Role& spec = *compiled_[r].spec;
  if (spec.growth.is_constant() && spec.new_positions_per_year.is_constant()) {
    // The common case, without building the sum (same arithmetic as below).
    const double rate =
        spec.growth.values()[0] * static_cast<double>(role.headcount + role.vacancies) +
        spec.new_positions_per_year.values()[0];
    if (!(rate > 0.0)) return kNever;
    const double time = t + role.growth_left / rate;
    return time <= horizon_ ? time : kNever;
  }
  const engine::PiecewiseConstant rate =
      spec.growth.scaled(static_cast<double>(role.headcount + role.vacancies))
          .plus(spec.new_positions_per_year);
  engine::Hazard hazard;
  hazard.calendar = &rate;
  return hazard.time_to_threshold(t, role.growth_left, horizon_);
}

void Replication::schedule_growth(int r, double t) {
  RoleState& role = roles_[r];
  role.growth_next = next_growth_time(r, t);
  if (role.growth_next <= horizon_)
    queue_.push(role.growth_next, engine::order_key(kClassGrowth, priority(compiled_[r].key)),
                static_cast<std::uint32_t>(r));
}

// ---------------------------------------------------------------- waiting lists

void Replication::pool_push(std::uint32_t a) {
  const Agent& agent = agents_[a];
  RoleState& role = roles_[agent.role];
  role.pool.push({a, agent.key, agent.pool_deadline});
  role.pool.compact(static_cast<std::size_t>(role.displaced),
                    [&](const PoolMember& m) { return is_live(m); });
}

std::uint32_t Replication::longest_waiting(int r) {
  const PoolMember* m = roles_[r].pool.front([&](const PoolMember& x) { return is_live(x); });
  return m != nullptr ? m->agent : kNone;
}

void Replication::vacancy_push(std::uint32_t p) {
  const Position& position = positions_[p];
  RoleState& role = roles_[position.role];
  role.open_vacancies.push({p, position.fill_count});
  role.open_vacancies.compact(static_cast<std::size_t>(role.vacancies),
                              [&](const OpenVacancy& v) { return is_live(v); });
}

std::uint32_t Replication::oldest_vacancy(int r) {
  const OpenVacancy* v =
      roles_[r].open_vacancies.front([&](const OpenVacancy& x) { return is_live(x); });
  return v != nullptr ? v->position : kNone;
}

}  // namespace wfsim::models::detail
