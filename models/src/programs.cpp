// Programs (SPEC §2 Enrolment, Budget, Completion, Dropout, "Without a
// position"): the voluntary clock, seats, commitments, completions,
// dropouts and reskilling placements.
#include <algorithm>
#include <tuple>
#include <vector>

#include "processes.h"
#include "replication.h"

namespace wfsim::models::detail {

using engine::kNever;

namespace {
std::uint32_t bit(int program) {
  return std::uint32_t{1} << program;
}
}  // namespace

bool Replication::never_enrolled(const Agent& agent, int program) const {
  return (ever_enrolled(agent) & bit(program)) == 0;
}

// ---------------------------------------------------------------- voluntary clock

bool Replication::transfers_apply(const Agent& agent) const {
  return compiled_[agent.role].has_transfers && agent.program == kNoProgram;
}

bool Replication::standalone_mentoring_applies(const Agent& agent) const {
  return compiled_[agent.role].standalone_mentoring && !agent.has(kMentee) &&
         agent.mentee_count == 0;
}

double Replication::standalone_mentoring_rate(double t) const {
  const Mentoring& m = *scenario_.mentoring;
  return mentoring_active(t) ? m.open_enrollment_rate.value_at(t) : 0.0;
}

// The voluntary clock's rate for one state of a role's position holder:
// transfers if they apply, enrolment attempts in every program of `open`
// (bits by index in the role's enrolling programs: minimum tenure reached),
// standalone mentoring if it applies. Breakpoints of the transfer rate are all kept and others only
// where the total changes, so that while nothing but transfers applies the
// clock runs exactly as without programs (the pre-policy identity of SPEC §2).
void Replication::build_voluntary_rate(const VoluntaryState& state,
                                       engine::PiecewiseConstant& out) {
  const CompiledRole& role = compiled_[state.role];
  std::vector<double>& cuts = scratch_cuts_;
  cuts.assign(1, 0.0);
  if (state.transfers)
    cuts.insert(cuts.end(), role.transfer_total.starts().begin(),
                role.transfer_total.starts().end());
  for (std::size_t i = 0; i < role.enrolling.size(); ++i) {
    if (!state.opened(i)) continue;
    const CompiledRole::Enrolling& enrolling = role.enrolling[i];
    cuts.insert(cuts.end(), enrolling.rate->starts().begin(), enrolling.rate->starts().end());
    cuts.push_back(enrolling.active_from);
    if (enrolling.active_to != engine::kNever) cuts.push_back(enrolling.active_to);
  }
  const Mentoring* mentoring = state.mentoring ? &*scenario_.mentoring : nullptr;
  if (mentoring != nullptr) {
    cuts.insert(cuts.end(), mentoring->open_enrollment_rate.starts().begin(),
                mentoring->open_enrollment_rate.starts().end());
    cuts.push_back(mentoring->active_years.from);
    if (mentoring->active_years.to != engine::kNever) cuts.push_back(mentoring->active_years.to);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  const double mentee_factor =
      state.mentee ? scenario_.mentoring->effects.mentee_enrollment_multiplier : 1.0;
  double last = 0.0;
  for (double c : cuts) {
    double value = state.transfers ? role.transfer_total.value_at(c) : 0.0;
    for (std::size_t i = 0; i < role.enrolling.size(); ++i)
      if (state.opened(i)) value += role.enrolling[i].rate_at(c) * mentee_factor;
    if (mentoring != nullptr) value += standalone_mentoring_rate(c);
    if (c == 0.0) {
      out.reset(value);
    } else if (value != last ||
               (state.transfers && std::binary_search(role.transfer_total.starts().begin(),
                                                      role.transfer_total.starts().end(), c))) {
      out.append(c, value);
    }
    last = value;
  }
}

// The rate of a state met for the first time (or of a role without a table).
const engine::PiecewiseConstant& Replication::find_voluntary_rate(const VoluntaryState& state,
                                                                  std::size_t table_index) {
  const std::uint64_t key =
      (std::uint64_t{state.role} << 35) | (std::uint64_t{state.transfers} << 34) |
      (std::uint64_t{state.mentee} << 33) | (std::uint64_t{state.mentoring} << 32) | state.open;
  auto [slot, inserted] = voluntary_rates_.try_emplace(key);
  if (inserted) build_voluntary_rate(state, slot->second);
  std::vector<const engine::PiecewiseConstant*>& table = voluntary_rate_tables_[state.role];
  if (!table.empty()) table[table_index] = &slot->second;  // map nodes do not move
  return slot->second;
}

// The first time from `from` on at which program p takes enrolment attempts
// (in its window, at a positive rate), or kNever.
double Replication::first_enrolment_time_walk(int p, double from) const {
  const Program& spec = *compiled_programs_[p].spec;
  const engine::PiecewiseConstant& rate = spec.enrollment_rate;
  from = std::max(from, spec.active_years.from);
  for (std::size_t i = rate.segment_at(from); i < rate.starts().size(); ++i) {
    const double start = std::max(from, rate.starts()[i]);
    if (start >= spec.active_years.to) break;
    if (rate.values()[i] > 0.0) return start;
  }
  return kNever;
}

// The voluntary clock runs at the rate of a bound state and its events are
// candidates, thinned to the processes in force when one fires (exact for
// a Poisson process). The bound state is the agent's own, except that
// enrolment attempts keep the mentee multiplier (if above 1) the agent had
// when the clock started, and standalone mentoring requests count whenever
// the role takes them (unless they are frequent enough to make that
// wasteful: see standalone_in_bound_). So a pairing's end, which lowers the
// mentee's rate and raises it back only by standalone requests, leaves the
// clock alone, as does a mentor's load; a pairing starts only where the
// clock starts anew anyway (a hire, a standalone request, an enrolment).
Replication::VoluntaryState Replication::voluntary_bound_state(const Agent& agent) const {
  VoluntaryState state;
  state.role = agent.role;
  state.transfers = transfers_apply(agent);
  state.mentee = agent.voluntary_bound_mentee;
  state.mentoring = bound_counts_standalone(agent);
  return state;
}

bool Replication::bound_counts_standalone(const Agent& agent) const {
  return standalone_in_bound_ ? compiled_[agent.role].standalone_mentoring
                              : standalone_mentoring_applies(agent);
}

// Which rate the bound state has depends on which programs the agent's
// tenure already opens. The rates of the few distinct states are built once
// and shared; a program the agent's tenure opens later splits the clock's
// walk where that program starts to count, the threshold carrying over. The
// walk stops at the agent's exit (candidate): most frontline hires leave
// before any program opens to them. If the threshold is not reached by
// then, the clock stops there as a checkpoint, dead unless the exit moves
// later; then it starts afresh there (voluntary_action, next_exit_candidate),
// which is exact as the process is memoryless. Splitting only where the rate
// truly changes keeps the clock of an agent to whom no program applies yet
// identical to a transfer clock.
void Replication::start_voluntary_clock(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  if (agent.state != AgentState::working) return;  // (a pool member's slot holds its deadline)
  clock_changes(agent, QueuedClock::voluntary);
  agent.voluntary_time = kNever;
  agent.flags &= static_cast<std::uint8_t>(~kVoluntaryCheckpoint);
  const CompiledRole& role = compiled_[agent.role];
  // Most thresholds lie beyond what even the highest rates could integrate
  // to by `until`: the walk would stop there, so the checkpoint is set at
  // once. (Where the walk would find nothing that could ever fire, the
  // checkpoint only restarts a clock that again finds nothing.)
  const double until = std::min(agent.exit_time, horizon_);
  if (!role.has_voluntary_extras) {
    if (!transfers_apply(agent)) return;
    const double threshold = next_voluntary_threshold(agent, t);
    if (threshold > role.voluntary_rate_bound * (until - t)) {
      stop_voluntary_clock_at(agent, until);
      return;
    }
    engine::Hazard hazard;
    hazard.calendar = &role.transfer_total;
    agent.voluntary_time = hazard.time_to_threshold(t, threshold, horizon_);
    return;
  }
  agent.voluntary_bound_mentee = mentee_enrolment_bound_ > 1.0 && agent.has(kMentee);
  if (options_.check_every_event) voluntary_bounds_[a] = voluntary_bound_state(agent).flag_bits();
  const bool in_program = agent.program != kNoProgram;
  // In a program: no transfers, no enrolment; nothing at all without
  // standalone mentoring.
  if (in_program && !bound_counts_standalone(agent)) return;
  double left = next_voluntary_threshold(agent, t);
  // Most thresholds lie beyond what the bound state's rate can integrate to
  // by `until` even if every program opened at the first one's tenure (most
  // frontline hires leave before a program opens to them): that spares the
  // walk, as does the closer look for most others.
  double most = role.voluntary_rate_bound * (until - t);
  if (!in_program)
    most +=
        role.enrolment_rate_bound * (agent.voluntary_bound_mentee ? mentee_enrolment_bound_ : 1.0) *
        std::max(0.0, until - std::max(t, agent.tenure_origin + role.first_opening_tenure_years));
  if (left > most) {
    stop_voluntary_clock_at(agent, until);
    return;
  }
  const VoluntaryState state = voluntary_bound_state(agent);
  if (voluntary_threshold_beyond(agent, state, left, t, until)) {
    stop_voluntary_clock_at(agent, until);
    return;
  }
  walk_voluntary_clock(agent, state, left, t, until);
}

// The walk of start_voluntary_clock, for the few thresholds it must walk to:
// out of line, so that the common path stays short.
void Replication::walk_voluntary_clock(Agent& agent, VoluntaryState state, double left, double t,
                                       double until) {
  const CompiledRole& role = compiled_[agent.role];
  const double first_opening = agent.tenure_origin + role.first_opening_tenure_years;
  // Programs the agent may still enrol in whose minimum tenure is reached
  // later: when each starts to count, in order (a handful: insertion sort).
  struct Opening {
    double time;
    std::size_t index;  // in role.enrolling
  };
  Opening later[kMaxPrograms];
  std::size_t later_count = 0;
  bool opens_later = false;  // before the horizon, perhaps after the exit
  const std::uint32_t enrolled_before = agent.program == kNoProgram ? ever_enrolled(agent) : ~0u;
  // Most frontline hires leave before any program opens to them: then all
  // that matters below is whether one would open before the horizon.
  const bool none_opens_in_time = t < first_opening && until <= first_opening;
  for (std::size_t i = 0; i < role.enrolling.size(); ++i) {
    const int p = role.enrolling[i].program;
    if ((enrolled_before & bit(p)) != 0) continue;
    const double opens = agent.tenure_origin + role.enrolling[i].min_tenure_years;
    if (t >= opens) {
      state.open |= std::uint32_t{1} << i;
      continue;
    }
    if (!(opens < horizon_)) continue;
    opens_later = true;
    if (none_opens_in_time) break;
    const double counts_from = first_enrolment_time(p, opens);
    if (!(counts_from < until)) continue;
    std::size_t j = later_count++;
    for (; j > 0 && later[j - 1].time > counts_from; --j) later[j] = later[j - 1];
    later[j] = Opening{counts_from, i};
  }
  const engine::PiecewiseConstant* rate = &voluntary_rate(state);
  if (later_count == 0 && rate->is_zero()) {  // nothing fires before `until`: no draw
    if (opens_later) stop_voluntary_clock_at(agent, until);
    return;
  }

  double from = t;
  engine::Hazard hazard;
  for (std::size_t next = 0;;) {
    hazard.calendar = rate;
    const double stop = next == later_count ? until : later[next].time;
    const double reached = hazard.time_to_threshold(from, left, stop, left);
    if (reached != kNever) {
      agent.voluntary_time = reached;
      return;
    }
    if (next == later_count) break;
    from = stop;
    for (; next < later_count && later[next].time <= stop; ++next)
      state.open |= std::uint32_t{1} << later[next].index;
    rate = &voluntary_rate(state);
  }
  stop_voluntary_clock_at(agent, until);
}

// Whether the threshold lies beyond what the bound state's rate can
// integrate to from t to `until`: transfers and standalone requests
// throughout, each program the agent may still enrol in at its highest rate
// once its tenure and window open it.
bool Replication::voluntary_threshold_beyond(const Agent& agent, const VoluntaryState& state,
                                             double threshold, double t, double until) const {
  const CompiledRole& role = compiled_[agent.role];
  const double always = role.voluntary_rate_bound * (until - t);
  if (agent.program != kNoProgram) return threshold > always;
  const std::uint32_t enrolled_before = ever_enrolled(agent);
  double attempts = 0.0;
  for (std::size_t i = 0; i < role.enrolling.size(); ++i) {
    const CompiledRole::Enrolling& enrolling = role.enrolling[i];
    const double from = std::max(std::max(t, agent.tenure_origin + enrolling.min_tenure_years),
                                 enrolling.active_from);
    const double to = std::min(until, enrolling.active_to);
    if (to > from && (enrolled_before & bit(enrolling.program)) == 0)
      attempts += enrolling.max_rate * (to - from);
  }
  return threshold > always + attempts * enrolment_factor(state) * CompiledRole::kRoundingMargin;
}

// The walk ends at `until` without reaching the threshold: a checkpoint there
// (unless that is the horizon) restarts the clock should the exit move later.
void Replication::stop_voluntary_clock_at(Agent& agent, double until) const {
  if (until < horizon_) {
    agent.voluntary_time = until;
    agent.flags |= kVoluntaryCheckpoint;
  }
}

// Each clock is its own occurrence, named by the time it starts.
double Replication::next_voluntary_threshold(const Agent& agent, double t) const {
  return streams_.stream(agent.key, kTransferClock, time_bits(t)).unit_exponential();
}

void Replication::restart_voluntary_clock(std::uint32_t a, double t) {
  start_voluntary_clock(a, t);
  schedule(a);
}

// A candidate of the voluntary clock: one uniform draw against the bound
// rate picks the process that fired, in proportion to the rates in force,
// or none (the candidate is rejected).
void Replication::voluntary_action(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  if (agent.has(kVoluntaryCheckpoint)) {  // nothing fired: the clock starts afresh
    restart_voluntary_clock(a, t);
    return;
  }
  // The candidate is taken: until the clock starts anew (every path below
  // ends so), nothing of it is due, lest an entry be queued for it meanwhile.
  clock_changes(agent, QueuedClock::voluntary);
  agent.voluntary_time = kNever;
  const CompiledRole& role = compiled_[agent.role];
  const double transfer = transfers_apply(agent) ? role.transfer_total.value_at(t) : 0.0;
  if (!role.has_voluntary_extras) {  // transfers alone: the bound is their rate
    if (transfer > 0.0)
      attempt_transfer(a, t);
    else  // reached exactly at a breakpoint where the rate ends
      restart_voluntary_clock(a, t);
    return;
  }
  // The rates in force and the bound state's: the same programs (those the
  // agent may enrol in, open by tenure), scaled by the mentee multiplier in
  // force or the bound's; standalone requests if they apply or the bound
  // counts them.
  const VoluntaryState bound_state = voluntary_bound_state(agent);
  const double factor = agent.has(kMentee) ? mentee_enrolment_multiplier() : 1.0;
  const double bound_factor = enrolment_factor(bound_state);
  const std::uint32_t enrolled_before = agent.program == kNoProgram ? ever_enrolled(agent) : ~0u;
  double attempts[kMaxPrograms];
  double extras = 0.0, bound_extras = 0.0;
  for (std::size_t i = 0; i < role.enrolling.size(); ++i) {
    const CompiledRole::Enrolling& enrolling = role.enrolling[i];
    const double rate = (enrolled_before & bit(enrolling.program)) == 0 &&
                                t >= agent.tenure_origin + enrolling.min_tenure_years
                            ? enrolling.rate_at(t)
                            : 0.0;
    attempts[i] = rate * factor;
    extras += attempts[i];
    bound_extras += rate * bound_factor;
  }
  const bool standalone = standalone_mentoring_applies(agent);
  const double requests = standalone || bound_state.mentoring ? standalone_mentoring_rate(t) : 0.0;
  if (standalone) extras += requests;
  if (bound_state.mentoring) bound_extras += requests;
  // (The bound is never below the rates in force but for rounding.)
  const double bound = std::max(transfer + extras, transfer + bound_extras);
  if (!(bound > 0.0)) {  // reached exactly at a breakpoint where the rate ends
    restart_voluntary_clock(a, t);
    return;
  }
  double u = streams_.stream(agent.key, kVoluntaryChoice, time_bits(t)).uniform_open() * bound;
  if (u < transfer) {
    attempt_transfer(a, t);  // restarts the clock
    return;
  }
  u -= transfer;
  for (std::size_t i = 0; i < role.enrolling.size(); ++i) {
    if (attempts[i] == 0.0) continue;
    if (u < attempts[i]) {
      if (!try_enrol(a, role.enrolling[i].program, t, /*displaced=*/false))
        restart_voluntary_clock(a, t);
      return;
    }
    u -= attempts[i];
  }
  if (standalone && u < requests) request_mentor(a, t);
  restart_voluntary_clock(a, t);
}

// ---------------------------------------------------------------- enrolment

bool Replication::seat_free(int p, double t) const {
  const Program& spec = *compiled_programs_[p].spec;
  if (t < spec.active_years.from || t >= spec.active_years.to) return false;
  return !spec.capacity || static_cast<double>(programs_[p].enrolled) < spec.capacity->value_at(t);
}

double Replication::draw_duration_months(const Agent& agent, int p, bool mentored) const {
  engine::RandomStream stream = streams_.stream(agent.key ^ compiled_programs_[p].key, kDuration);
  double months = compiled_programs_[p].duration_months.sample(stream);
  if (mentored) months *= scenario_.mentoring->effects.duration_multiplier;
  return months;
}

bool Replication::try_enrol(std::uint32_t a, int p, double t, bool displaced) {
  const CompiledProgram& program = compiled_programs_[p];
  const Program& spec = *program.spec;
  Agent& agent = agents_[a];
  // A participant of a program in mentoring.programs asks for a mentor at enrolment.
  const bool asks_mentor = program.requests_mentor && mentoring_active(t) && !agent.has(kMentee) &&
                           agent.mentee_count == 0;
  const std::uint32_t mentor = asks_mentor ? find_mentor(a) : kNone;
  const double months = draw_duration_months(agent, p, agent.has(kMentee) || mentor != kNone);
  const double planned = spec.cost.fixed + spec.cost.per_month * months;
  if (!seat_free(p, t) || !ledger_.fits(p, t, planned)) {
    if (!displaced) count_program(p, kProgramRefused);
    return false;
  }
  ledger_.commit(p, t, planned);
  touch_program(p, t);
  ProgramState& state = programs_[p];
  ++state.enrolled;
  state.committed += planned;
  state.fixed_spend += spec.cost.fixed;
  count_program(p, kProgramEnrollments);
  const int r = agent.role;
  event(EventKind::enrolment, agent.key, r, t, p);
  if (agent.state == AgentState::pool) {
    change_displaced(r, -1);  // its pool entry is now dead
    clock_changes(agent, QueuedClock::position);
    agent.state = AgentState::away;
  }
  Involvement& record = involve(a);
  record.ever_enrolled |= bit(p);
  record.enrolled_at = t;
  record.planned_cost = planned;
  record.program_end = t + months_to_years(months);
  change_transient_attrition(a, t, spec.while_enrolled.attrition_multiplier,
                             [&] { agent.program = static_cast<std::uint8_t>(p); });
  ++roles_[r].in_training;
  // (Started before the pairing, which restarts it if its bound changes and
  // queues the first of the program events.)
  start_dropout_clock(a, t, /*first=*/true);
  // Paired before a full-time participant's position is vacated: filling it
  // may hand the chosen mentor to someone else.
  if (asks_mentor) {
    if (mentor != kNone)
      start_pairing(a, mentor, t);
    else
      ++mentoring_refused_;
  }
  if (spec.full_time && agent.position != kNone) {
    const std::uint32_t held = agent.position;
    clock_changes(agent, QueuedClock::position);
    agent.position = kNone;
    agent.state = AgentState::away;
    if (agent.has(kMentor)) refresh_mentor(a);
    vacate(held, t);  // may hire: `agent` is not used after this
  }
  schedule_program_event(a);
  start_voluntary_clock(a, t);
  schedule(a);
  return true;
}

bool Replication::try_seat_without_position(std::uint32_t a, double t) {
  for (int p : compiled_[agents_[a].role].displaced_programs)
    if (may_enrol(agents_[a], p) && try_enrol(a, p, t, /*displaced=*/true)) return true;
  return false;
}

// Seats go to workers in the pool of the program's roles, longest waiting
// first, while seats and money last.
void Replication::offer_seats(int p, double t) {
  const CompiledProgram& program = compiled_programs_[p];
  if (!program.spec->accepts_displaced) return;
  // Most seats free up while no eligible role has anyone in its pool.
  if (std::none_of(program.eligible_roles.begin(), program.eligible_roles.end(),
                   [&](int r) { return roles_[r].displaced > 0; }))
    return;
  while (seat_free(p, t)) {
    const PoolMember* best = nullptr;
    for (int r : program.eligible_roles) {
      const PoolMember* m = roles_[r].pool.find_first(
          [&](const PoolMember& x) { return is_live(x); },
          [&](const PoolMember& x) { return may_enrol(agents_[x.agent], p); });
      const auto rank = [](const PoolMember* x) {
        return std::make_tuple(x->deadline, priority(x->key), x->agent);
      };
      if (m != nullptr && (best == nullptr || rank(m) < rank(best))) best = m;
    }
    if (best == nullptr || !try_enrol(best->agent, p, t, /*displaced=*/true)) return;
  }
}

void Replication::offer_all_seats(double t) {
  if (displaced_ == 0) return;  // most seats free up while nobody waits for one
  for (std::size_t p = 0; p < compiled_programs_.size(); ++p) offer_seats(static_cast<int>(p), t);
}

// ---------------------------------------------------------------- while enrolled

// The mentee multiplier, like attrition's, thins the candidates of a clock
// run at its bound (at least 1): one below 1 that starts or ends leaves the
// clock alone.
Replication::AttritionFactors Replication::dropout_factors(const Agent& agent) const {
  if (!agent.has(kMentee)) return {1.0, 1.0};
  const double multiplier = scenario_.mentoring->effects.mentee_dropout_multiplier;
  return {multiplier, std::max(1.0, multiplier)};
}

void Replication::start_dropout_clock(std::uint32_t a, double t, bool first) {
  const Agent& agent = agents_[a];
  Involvement& record = involvements_[agent.involvement];
  const CompiledProgram& program = compiled_programs_[agent.program];
  record.dropout_time = kNever;
  if (program.spec->dropout.is_zero()) return;
  const std::uint64_t entity = agent.key ^ program.key;
  // A rejected candidate or a new bound restarts the clock: exact for a
  // memoryless process.
  const double threshold = first
                               ? streams_.stream(entity, kDropout).unit_exponential()
                               : streams_.stream(entity, kDropout, time_bits(t)).unit_exponential();
  engine::Hazard hazard;
  hazard.calendar = &program.spec->dropout;
  hazard.factor = dropout_factors(agent).bound;
  if (options_.check_every_event) dropout_bounds_[a] = hazard.factor;
  const double time = hazard.time_to_threshold(t, threshold, record.program_end);
  record.dropout_time = time < record.program_end ? time : kNever;
}

bool Replication::dropout_accepted(const Agent& agent, double t) const {
  const AttritionFactors factors = dropout_factors(agent);
  if (factors.actual == factors.bound) return true;
  const std::uint64_t entity = agent.key ^ compiled_programs_[agent.program].key;
  return streams_.stream(entity, kDropoutAcceptance, time_bits(t)).uniform_open() * factors.bound <
         factors.actual;
}

void Replication::schedule_program_event(std::uint32_t a) {
  const Agent& agent = agents_[a];
  if (agent.involvement == kNone || agent.has(kHistoryOnly)) return;
  Involvement& record = involvements_[agent.involvement];
  double next = kNever;
  if (agent.program != kNoProgram) next = record.program_end;
  if (agent.enrolled()) next = std::min(next, record.dropout_time);
  if (agent.has(kMentee)) next = std::min(next, record.pairing_end);
  if (next == record.scheduled) return;
  record.scheduled = next;
  // Held back while the exit candidate comes first (at one instant, agents'
  // events come before program events): most never fire, the agent leaves
  // first; set_attrition_threshold queues it if the exit moves past it.
  if (next < agent.exit_time) queue_program_event(a, next);
}

void Replication::queue_program_event(std::uint32_t a, double time) {
  if (time <= horizon_)
    queue_.push(time, engine::order_key(kClassProgram, priority(agents_[a].key)), a);
}

void Replication::exit_moved_later(std::uint32_t a, double old_exit) {
  const Agent& agent = agents_[a];
  if (agent.involvement == kNone || agent.has(kHistoryOnly)) return;
  const double next = involvements_[agent.involvement].scheduled;
  if (!(next < old_exit) && next < agent.exit_time) queue_program_event(a, next);
}

// Same-instant order for one agent: pairing end, dropout, completion,
// end of a graduate's wait.
void Replication::handle_program_event(std::uint32_t a, double t) {
  const Agent& agent = agents_[a];
  if (agent.state == AgentState::free || agent.involvement == kNone || agent.has(kHistoryOnly))
    return;
  Involvement& record = involvements_[agent.involvement];
  if (record.scheduled != t) return;
  record.scheduled = kUnscheduled;
  if (agent.has(kMentee) && record.pairing_end == t) {
    end_pairing(a, t, kNone);
  } else if (agent.enrolled() && record.dropout_time == t) {
    if (dropout_accepted(agent, t))
      drop_out(a, t);
    else
      start_dropout_clock(a, t, /*first=*/false);
  } else if (agent.enrolled() && record.program_end == t) {
    complete(a, t);
  } else if (agent.has(kGraduate) && record.program_end == t) {
    end_graduate_wait(a, t);
  }
  if (agents_[a].state != AgentState::free) {
    schedule_program_event(a);
    release_if_idle(a);
  }
}

double Replication::spent_so_far(const Agent& agent, double t) const {
  const Involvement& record = involvements_[agent.involvement];
  const CompiledProgram& program = compiled_programs_[agent.program];
  return program.spec->cost.fixed + program.cost_per_year * (t - record.enrolled_at);
}

// The seat and the unspent part of the commitment are freed (SPEC §2 Budget).
void Replication::leave_program(std::uint32_t a, double t, bool leaving) {
  Agent& agent = agents_[a];
  const int p = agent.program;
  Involvement& record = involvements_[agent.involvement];
  ledger_.release(p, std::max(0.0, record.planned_cost - spent_so_far(agent, t)));
  touch_program(p, t);
  --programs_[p].enrolled;
  --roles_[agent.role].in_training;
  record.program_end = record.dropout_time = kNever;
  if (leaving)
    agent.program = kNoProgram;
  else
    change_transient_attrition(a, t,
                               compiled_programs_[p].spec->while_enrolled.attrition_multiplier,
                               [&] { agent.program = kNoProgram; });
}

void Replication::drop_out(std::uint32_t a, double t) {
  const Agent& agent = agents_[a];
  count_program(agent.program, kProgramDropouts);
  event(EventKind::dropout, agent.key, agent.role, t, agent.program);
  leave_program(a, t, /*leaving=*/false);
  back_from_program(a, t);
  offer_all_seats(t);
}

// Back to the held position, or "without a position" when it is gone.
void Replication::back_from_program(std::uint32_t a, double t) {
  if (agents_[a].position == kNone) {
    without_position(a, t);
  } else {
    start_voluntary_clock(a, t);
    schedule(a);
  }
}

void Replication::complete(std::uint32_t a, double t) {
  Agent& agent = agents_[a];
  const int p = agent.program;
  const int r = agent.role;
  touch_program(p, t);
  --programs_[p].enrolled;
  count_program(p, kProgramCompletions);
  event(EventKind::completion, agent.key, r, t, p);
  --roles_[r].in_training;
  Involvement& record = involvements_[agent.involvement];
  record.program_end = record.dropout_time = kNever;
  const double old_salary = salary_multiplier(agent);
  change_attrition(a, t, [&] {
    agent.program = kNoProgram;
    record.completed |= bit(p);
  });
  touch(r, t);
  roles_[r].salary_weight += salary_multiplier(agent) - old_salary;
  if (compiled_programs_[p].spec->type == Program::Type::reskilling) {
    if (!try_place_graduate(a, p, t)) start_graduate_wait(a, p, t);
  } else {
    back_from_program(a, t);
  }
  offer_all_seats(t);
}

// ---------------------------------------------------------------- graduates

// A vacancy of a target role, drawn by weight among those with one open.
bool Replication::try_place_graduate(std::uint32_t a, int p, double t) {
  std::vector<std::pair<std::uint32_t, double>>& open = scratch_placements_;
  open.clear();
  double total = 0.0;
  for (const auto& [role, weight] : compiled_programs_[p].targets)
    if (const std::uint32_t vacancy = oldest_vacancy(role); vacancy != kNone) {
      open.emplace_back(vacancy, weight);
      total += weight;
    }
  if (open.empty()) return false;
  double u = streams_.stream(agents_[a].key, kPlacement, time_bits(t)).uniform_open() * total;
  std::uint32_t chosen = kNone;
  for (const auto& [vacancy, weight] : open) {
    chosen = vacancy;
    u -= weight;
    if (u < 0.0) break;
  }
  place(a, chosen, p, t);
  return true;
}

void Replication::start_graduate_wait(std::uint32_t a, int p, double t) {
  Agent& agent = agents_[a];
  Involvement& record = involvements_[agent.involvement];
  agent.program = static_cast<std::uint8_t>(p);
  agent.flags |= kGraduate;
  record.program_end = t + compiled_programs_[p].placement_window_years;
  for (const auto& [role, weight] : compiled_programs_[p].targets) {
    RoleState& target = roles_[role];
    ++target.graduates;
    target.graduates_waiting.push({a, agent.key, record.program_end});
    target.graduates_waiting.compact(static_cast<std::size_t>(target.graduates),
                                     [&](const PoolMember& m) { return is_live_graduate(m); });
  }
  start_voluntary_clock(a, t);
  schedule(a);
  schedule_program_event(a);
}

void Replication::stop_waiting_as_graduate(std::uint32_t a) {
  Agent& agent = agents_[a];
  for (const auto& [role, weight] : compiled_programs_[agent.program].targets)
    --roles_[role].graduates;
  agent.flags &= static_cast<std::uint8_t>(~kGraduate);
  agent.program = kNoProgram;
  involvements_[agent.involvement].program_end = kNever;
}

void Replication::end_graduate_wait(std::uint32_t a, double t) {
  stop_waiting_as_graduate(a);
  back_from_program(a, t);
}

std::uint32_t Replication::longest_waiting_graduate(int r) {
  const PoolMember* m =
      roles_[r].graduates_waiting.front([&](const PoolMember& x) { return is_live_graduate(x); });
  return m != nullptr ? m->agent : kNone;
}

// The graduate takes the vacancy (already counted open); the position held
// meanwhile, if any, is vacated.
void Replication::place(std::uint32_t a, std::uint32_t vacancy, int p, double t) {
  Agent& agent = agents_[a];
  if (agent.has(kGraduate)) stop_waiting_as_graduate(a);
  const int destination = positions_[vacancy].role;
  count_program(p, kProgramPlacements);
  count(destination, kFlowInternalFills);
  event(EventKind::placement, agent.key, destination, t, p);
  const std::uint32_t held = agent.position;
  clock_changes(agent, QueuedClock::position);
  agent.position = kNone;
  if (destination != agent.role) move_to_role(a, destination, t);
  fill(a, vacancy, t);
  if (held != kNone) vacate(held, t);
  release_if_idle(a);
}

void Replication::touch_program(int p, double t) {
  ProgramState& state = programs_[p];
  if (t > state.integrals_time) {
    state.participant_years += static_cast<double>(state.enrolled) * (t - state.integrals_time);
    state.integrals_time = t;
  }
}

}  // namespace wfsim::models::detail
