// One replication of the workforce model: its clock, queue, agents, positions
// and recorders. Owned by one thread; reads the compiled model only.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

#include "budget_ledger.h"
#include "mentor_list.h"
#include "wfsim/engine/event_queue.h"
#include "wfsim/engine/hazard.h"
#include "wfsim/engine/lazy_fifo.h"
#include "wfsim/engine/record_pool.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/workforce.h"

namespace wfsim::models::detail {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

inline constexpr std::uint8_t kNoProgram = 0xFF;

// Roles with at most this many enrolling programs look their voluntary rates
// up in a table (8 << programs entries) instead of a hash map.
inline constexpr std::size_t kVoluntaryTableMaxPrograms = 6;

// Where an employee stands with respect to positions: holding one, waiting
// in the redeployment pool, or away without one (a full-time participant, a
// participant or waiting graduate whose position was eliminated).
enum class AgentState : std::uint8_t { free, working, pool, away };
enum class PositionState : std::uint8_t { vacant, filled, closed };

enum AgentFlag : std::uint8_t {
  kGraduate = 1,               // waiting for a placement after a reskilling program
  kMentorDecided = 2,          // the mentor draw was made (first mentor-role position)
  kMentor = 4,                 // drawn as mentor
  kMentee = 8,                 // in a pairing as mentee
  kEverMentee = 16,            // counted in distinct_mentees
  kAvailableMentor = 32,       // listed among the mentors taking mentees
  kHistoryOnly = 64,           // `involvement` indexes a ProgramHistory, not an Involvement
  kVoluntaryCheckpoint = 128,  // voluntary_time is where the clock's walk stopped, not an action
};

// Which of an agent's clocks its live queue entry stands for. Entries are
// deleted lazily: one is live while its clock still reads its time, so
// whoever changes a clock's time (or what the position clock means: a new
// position, the pool) first drops the mark, and the next schedule() pushes
// (unless the queue still holds an entry of that clock at that time).
enum class QueuedClock : std::uint8_t { none, exit, position, voluntary };

// Three quarters of a cache line: the memory promise is per employee and per
// replication, and the kernel is bound by the cache misses of touching
// agents at random. The automation clock lives with the position; program
// and mentoring state, which most employees never have, in a record of its own.
struct alignas(16) Agent {
  AgentState state;
  std::uint8_t program;  // enrolled in, or graduated from and waiting (kGraduate)
  std::uint16_t role;
  std::uint32_t position;
  std::uint32_t involvement;  // kNone: none
  std::uint8_t flags;
  QueuedClock queued : 2;
  // Clocks with an entry at their present time in the queue, a bit each
  // (entry_bit): that entry becomes the live one again when the clock is
  // the earliest once more, instead of a second push.
  std::uint8_t queued_entries : 3;
  // Some clock changed since schedule() last looked: until then, a live
  // entry stands and schedule() need not read the clocks (the position's
  // lies elsewhere in memory).
  bool clocks_changed : 1;
  // The voluntary clock's bound scales enrolment attempts by the mentee
  // multiplier: the agent was a mentee when the clock last started.
  bool voluntary_bound_mentee : 1;
  std::uint16_t mentee_count;  // as mentor
  // Attrition: the next candidate of the exit clock (exit_accepted), kept
  // even after the horizon (kNever: none).
  double exit_time;
  union {
    double voluntary_time;  // working: next transfer, enrolment or mentoring request attempt
    double pool_deadline;   // pool: end of the redeployment window
  };
  std::uint64_t key;     // stable identity: the position and fill it was hired into
  double tenure_origin;  // tenure = t − tenure_origin
  bool has(AgentFlag flag) const { return (flags & flag) != 0; }
  bool enrolled() const { return program != kNoProgram && !has(kGraduate); }
};
static_assert(sizeof(Agent) == 48, "an agent is three quarters of a cache line");

// Program and mentoring state of one agent: a cache line, as each program
// or pairing event reads the records of agents at random places.
struct alignas(64) Involvement {
  static constexpr std::size_t kInlineMentees = 4;
  double scheduled;     // time of its live program-class entry (NaN: none)
  double program_end;   // enrolled: completion; graduate: end of the placement window
  double dropout_time;  // enrolled
  double enrolled_at;
  double planned_cost;
  // Nobody is mentor and mentee at once: a mentor keeps its mentees where a
  // mentee keeps its pairing (ending one needs no walk through the others).
  union {
    struct {
      double pairing_end;
      std::uint32_t mentor;
    };  // as mentee
    // As mentor: its first mentees, kNone in the free places; the others,
    // if mentees_per_mentor allows more, in Replication::more_mentees_.
    std::uint32_t mentees[kInlineMentees];
  };
  std::uint32_t ever_enrolled;  // a bit per program
  std::uint32_t completed;      // a bit per program
};
static_assert(sizeof(Involvement) == 64, "a record is a cache line");

// What an agent keeps once it is in no program and no pairing: an eighth of
// a full record, for the many who have been through a program.
struct ProgramHistory {
  std::uint32_t ever_enrolled;
  std::uint32_t completed;
};

struct Position {
  double clock;  // vacant: the pending external hire; filled: its automation (kNever: none)
  std::uint32_t incumbent;
  std::uint32_t fill_count;
  std::uint32_t index_in_role;
  std::uint16_t role;
  PositionState state;
};

// A vacancy is live while its position is vacant and has not been filled
// since (the fill count identifies the vacancy spell).
struct OpenVacancy {
  std::uint32_t position;
  std::uint32_t fill_count;
};

// A pool member (or waiting graduate) is live while the same agent is in the
// same waiting spell (the deadline identifies the spell).
struct PoolMember {
  std::uint32_t agent;
  std::uint64_t key;
  double deadline;
};

// Flows counted per role between snapshots.
enum RoleFlow : int {
  kFlowExits,
  kFlowLayoffs,
  kFlowHires,
  kFlowInternalFills,
  kFlowTransfersOut,
  kFlowJobsDestroyed,
  kFlowJobsCreated,
  kFlowPositionsClosed,
  kFlowCount
};

struct RoleState {
  std::int64_t headcount = 0;
  std::int64_t vacancies = 0;
  std::int64_t employees = 0;
  std::int64_t displaced = 0;
  std::int64_t in_training = 0;
  std::int64_t mentees = 0;
  std::int64_t mentors = 0;    // with at least one mentee
  std::int64_t graduates = 0;  // waiting for a placement into this role (any role held)
  // Σ salary multipliers of the employees (= employees without any).
  double salary_weight = 0.0;
  engine::LazyFifo<OpenVacancy> open_vacancies;    // oldest first
  engine::LazyFifo<PoolMember> pool;               // longest waiting first
  engine::LazyFifo<PoolMember> graduates_waiting;  // for this role, longest waiting first
  std::uint32_t positions_created = 0;
  // Time integrals, brought up to date before any count changes.
  double integrals_time = 0.0;
  double paid_years = 0.0;  // employee-years × salary multiplier, since the last snapshot
  double vacancy_years = 0.0;
  // Growth: an integrated-hazard threshold on g(t)·positions + n(t).
  double growth_left = 0.0;
  double growth_next = engine::kNever;
  std::uint64_t growth_draws = 0;
  std::array<std::uint64_t, kFlowCount> flows{};
  std::array<double, kFlowCount> flow_totals{};
  double paid_years_total = 0.0;
  double vacancy_years_total = 0.0;
};

enum ProgramFlow : int {
  kProgramEnrollments,
  kProgramRefused,
  kProgramCompletions,
  kProgramDropouts,
  kProgramPlacements,
  kProgramFlowCount
};

struct ProgramState {
  std::int64_t enrolled = 0;
  double integrals_time = 0.0;
  double participant_years = 0.0;  // since the last snapshot
  double fixed_spend = 0.0;        // since the last snapshot
  double committed = 0.0;          // since the last snapshot
  std::array<std::uint64_t, kProgramFlowCount> flows{};
  std::array<double, kProgramFlowCount> flow_totals{};
  double spend_total = 0.0;
};

// Mentors taking mentees, least loaded first, then by priority draw.
class Replication {
 public:
  Replication(const WorkforceModel& model, std::uint64_t seed, std::size_t replication,
              const SimulationOptions& options);
  engine::ReplicationResult run();

 private:
  // Same-instant order of event classes (documented in models/README.md).
  enum EventClass : unsigned {
    kClassWave = 0,
    kClassAgent = 1,
    kClassHire = 2,
    kClassGrowth = 3,
    kClassProgram = 4,    // an agent's completion, dropout, placement deadline or pairing end
    kClassSeatOffer = 5,  // a program's window opens, capacity rises, a budget year begins
  };

  void initialise();
  // How many entries ahead the agent of an event is loaded (its position or
  // record at half the distance).
  static constexpr std::size_t kPrefetchDistance = 16;
  // Inline by force: a call whose only effect is a prefetch would be removed.
  [[gnu::always_inline]] inline void prefetch_ahead() const;
  void dispatch(const engine::QueueEntry& entry);

  // Agent processes (replication.cpp).
  void handle_agent(std::uint32_t agent, double t);
  void exit_company(std::uint32_t agent, double t);
  void eliminate_position(std::uint32_t agent, double t);
  void displace(std::uint32_t agent, double t);
  void lay_off(std::uint32_t agent, double t);
  // The part of an exit and a layoff that is the same: off the payroll, out
  // of every pairing and of the mentor list, the record freed.
  void remove_employee(std::uint32_t agent, double t);
  void attempt_transfer(std::uint32_t agent, double t);
  void without_position(std::uint32_t agent, double t);
  void enter_pool(std::uint32_t agent, double t);

  // Positions.
  void vacate(std::uint32_t position, double t);
  void open_vacancy(std::uint32_t position, double t);
  void schedule_external_hire(std::uint32_t position, double t);
  void hire_external(std::uint32_t position, double t);
  void fill(std::uint32_t agent, std::uint32_t position, double t);
  std::uint32_t create_position(int role, PositionState state);
  void apply_wave(std::size_t wave, double t);
  void grow(int role, double t);
  void schedule_growth(int role, double t);
  double next_growth_time(int role, double t) const;

  // Agent bookkeeping.
  std::uint32_t new_agent(std::uint64_t key, int role, double tenure_origin);
  void free_agent(std::uint32_t agent);
  void start_attrition(std::uint32_t agent, double t);
  void set_attrition_threshold(std::uint32_t agent, double t, double threshold);
  // Applies `change` to the agent and keeps its attrition exact: the part of
  // the threshold not consumed under the hazard before the change carries
  // over to the hazard after it.
  template <typename Change>
  void change_attrition(std::uint32_t agent, double t, Change&& change);
  template <typename Change>
  void change_transient_attrition(std::uint32_t agent, double t, double multiplier,
                                  Change&& change);
  void move_to_role(std::uint32_t agent, int role, double t);
  void start_voluntary_clock(std::uint32_t agent, double t);  // programs.cpp
  // The hazard of the agent's exit clock: its role's attrition and tenure
  // multipliers times the bound factor.
  engine::Hazard attrition_hazard(const Agent& agent) const;
  // SPEC §2 Hazards: `actual` is the product of every applicable multiplier
  // (completed programs, while enrolled, mentee, mentor with mentees).
  // `bound`, the exit clock's factor, is the same product with the
  // multipliers below 1 raised to 1 (but a completed program's far below 1):
  // the clock's events are candidates, accepted with probability actual /
  // bound (thinning, exact for a Poisson process), so a multiplier below 1
  // that starts or ends leaves the clock alone.
  struct AttritionFactors {
    double actual;
    double bound;
  };
  AttritionFactors attrition_factors(const Agent& agent) const;
  bool exit_accepted(const Agent& agent, double t) const;
  // A candidate was rejected: the next one from a fresh threshold.
  void next_exit_candidate(std::uint32_t agent, double t);
  double salary_multiplier(const Agent& agent) const;
  // The product of a multiplier of Program over the programs the agent completed.
  double completed_product(const Agent& agent, double AfterCompletion::*multiplier) const;
  // The agent's clocks: automation of the held position or end of the pool
  // window; the voluntary clock while working.
  double position_clock(const Agent& agent) const {
    if (agent.state == AgentState::working && agent.position != kNone)
      // (Without automation the position is not read: it lies elsewhere in memory.)
      return compiled_[agent.role].has_automation ? positions_[agent.position].clock
                                                  : engine::kNever;
    return agent.state == AgentState::pool ? agent.pool_deadline : engine::kNever;
  }
  static double voluntary_clock(const Agent& agent) {
    return agent.state == AgentState::working ? agent.voluntary_time : engine::kNever;
  }
  double queued_time(const Agent& agent) const;
  // Called before a clock changes: its queue entry, if any, is dead.
  static void clock_changes(Agent& agent, QueuedClock clock) {
    agent.clocks_changed = true;
    if (agent.queued == clock) agent.queued = QueuedClock::none;
    agent.queued_entries &= static_cast<std::uint8_t>(~entry_bit(clock));
  }
  static std::uint8_t entry_bit(QueuedClock clock) {
    return static_cast<std::uint8_t>(1u << (static_cast<unsigned>(clock) - 1));
  }
  void schedule(std::uint32_t agent);
  Involvement& involve(std::uint32_t agent);  // creates the full record if needed
  // Shrinks an idle agent's full record to its history, or drops it.
  void release_if_idle(std::uint32_t agent);
  void release_involvement(Agent& agent);
  void set_attrition_excess(std::uint32_t agent, double excess) {
    if (excess != 0.0 || !attrition_excess_.empty()) record_attrition_excess(agent, excess);
  }
  void record_attrition_excess(std::uint32_t agent, double excess);
  double attrition_excess(std::uint32_t agent) const;
  std::uint32_t ever_enrolled(const Agent& agent) const {
    if (agent.involvement == kNone) return 0;
    return agent.has(kHistoryOnly) ? histories_[agent.involvement].ever_enrolled
                                   : involvements_[agent.involvement].ever_enrolled;
  }
  std::uint32_t completed_programs(const Agent& agent) const;

  // Programs (programs.cpp).
  bool never_enrolled(const Agent& agent, int program) const;
  // Not in a program now and never enrolled in this one.
  bool may_enrol(const Agent& agent, int program) const {
    return agent.program == kNoProgram && never_enrolled(agent, program);
  }
  bool transfers_apply(const Agent& agent) const;
  bool standalone_mentoring_applies(const Agent& agent) const;
  double standalone_mentoring_rate(double t) const;
  // What the voluntary clock's rate depends on, besides time.
  struct VoluntaryState {
    std::uint16_t role = 0;
    bool transfers = false;
    bool mentee = false;  // enrolment attempts scaled by the mentee multiplier
    bool mentoring = false;
    std::uint32_t open = 0;  // bits by index in the role's `enrolling`
    bool opened(std::size_t i) const { return (open >> i) & 1U; }
    unsigned flag_bits() const { return transfers | mentee << 1 | mentoring << 2; }
  };
  void build_voluntary_rate(const VoluntaryState& state, engine::PiecewiseConstant& out);
  // Looked up in the role's table when it has one (the hot path), else built.
  const engine::PiecewiseConstant& voluntary_rate(const VoluntaryState& state) {
    const std::vector<const engine::PiecewiseConstant*>& table = voluntary_rate_tables_[state.role];
    if (table.empty()) return find_voluntary_rate(state, 0);
    const std::size_t programs = compiled_[state.role].enrolling.size();
    const std::size_t index = state.open | (std::size_t{state.transfers} << programs) |
                              (std::size_t{state.mentee} << (programs + 1)) |
                              (std::size_t{state.mentoring} << (programs + 2));
    const engine::PiecewiseConstant* rate = table[index];
    return rate != nullptr ? *rate : find_voluntary_rate(state, index);
  }
  const engine::PiecewiseConstant& find_voluntary_rate(const VoluntaryState& state,
                                                       std::size_t table_index);
  double first_enrolment_time(int program, double from) const {
    const Program& spec = *compiled_programs_[program].spec;
    if (!spec.enrollment_rate.is_constant()) return first_enrolment_time_walk(program, from);
    from = std::max(from, spec.active_years.from);  // (the rate is not zero: enrolling)
    return from < spec.active_years.to ? from : engine::kNever;
  }
  double first_enrolment_time_walk(int program, double from) const;
  VoluntaryState voluntary_bound_state(const Agent& agent) const;
  // Whether the bound state counts standalone mentoring requests.
  bool bound_counts_standalone(const Agent& agent) const;
  double mentee_enrolment_multiplier() const {
    return scenario_.mentoring->effects.mentee_enrollment_multiplier;
  }
  // What the bound state scales enrolment attempts by.
  double enrolment_factor(const VoluntaryState& state) const {
    return state.mentee ? mentee_enrolment_multiplier() : 1.0;
  }
  [[gnu::noinline]] void walk_voluntary_clock(Agent& agent, VoluntaryState state, double left,
                                              double t, double until);
  bool voluntary_threshold_beyond(const Agent& agent, const VoluntaryState& state, double threshold,
                                  double t, double until) const;
  double next_voluntary_threshold(const Agent& agent, double t) const;
  void stop_voluntary_clock_at(Agent& agent, double until) const;
  void restart_voluntary_clock(std::uint32_t agent, double t);
  void voluntary_action(std::uint32_t agent, double t);
  // Tries to seat the agent; true if enrolled. Voluntary attempts that fail
  // count as refused; workers without a position are never counted.
  bool try_enrol(std::uint32_t agent, int program, double t, bool displaced);
  bool seat_free(int program, double t) const;
  double draw_duration_months(const Agent& agent, int program, bool mentored) const;
  bool try_seat_without_position(std::uint32_t agent, double t);
  void offer_seats(int program, double t);
  void offer_all_seats(double t);
  void handle_program_event(std::uint32_t agent, double t);
  void complete(std::uint32_t agent, double t);
  void drop_out(std::uint32_t agent, double t);
  void back_from_program(std::uint32_t agent, double t);
  // The seat and the unspent money are freed; `leaving`: the agent exits.
  void leave_program(std::uint32_t agent, double t, bool leaving);
  void start_graduate_wait(std::uint32_t agent, int program, double t);
  void stop_waiting_as_graduate(std::uint32_t agent);
  void end_graduate_wait(std::uint32_t agent, double t);
  bool try_place_graduate(std::uint32_t agent, int program, double t);
  void place(std::uint32_t agent, std::uint32_t vacancy, int program, double t);
  // The dropout clock runs at the bound of the mentee multiplier (as
  // attrition_factors) and is thinned to the actual hazard.
  AttritionFactors dropout_factors(const Agent& agent) const;
  void start_dropout_clock(std::uint32_t agent, double t, bool first);
  bool dropout_accepted(const Agent& agent, double t) const;
  void schedule_program_event(std::uint32_t agent);
  void queue_program_event(std::uint32_t agent, double time);  // dropped past the horizon
  // Queues the program event schedule_program_event held back behind the old exit.
  void exit_moved_later(std::uint32_t agent, double old_exit);
  std::uint32_t longest_waiting_graduate(int role);
  void touch_program(int program, double t);
  double spent_so_far(const Agent& agent, double t) const;

  // Mentoring (mentoring.cpp).
  bool mentoring_active(double t) const;
  void decide_mentor(std::uint32_t agent);
  // Lists or unlists the agent among mentors taking mentees, as its state
  // says; unlist it before its mentee count changes.
  void refresh_mentor(std::uint32_t agent);
  void unlist_mentor(std::uint32_t agent);
  std::uint32_t find_mentor(std::uint32_t mentee);
  // Whether a listing of the available mentors still holds.
  auto mentor_listed() const {
    return [this](const MentorList::Listing& listing) {
      const Agent& agent = agents_[listing.agent];
      return agent.has(kAvailableMentor) && agent.mentee_count == listing.load &&
             priority(agent.key) == listing.priority;
    };
  }
  // A mentoring request; true if a pairing started, else counted as refused.
  // A new hire asks on arrival, before its clocks are first set
  // (`clocks_set` false): they are then set once, as a mentee's.
  bool request_mentor(std::uint32_t mentee, double t, bool clocks_set = true);
  void start_pairing(std::uint32_t mentee, std::uint32_t mentor, double t, bool clocks_set = true);
  // `leaving`: the side that exits the company (kNone: the pairing ran its time).
  void end_pairing(std::uint32_t mentee, double t, std::uint32_t leaving);
  void end_pairings_of(std::uint32_t agent, double t);  // as mentee and as mentor
  void add_mentee(std::uint32_t mentor, Involvement& mentor_record, std::uint32_t mentee);
  void remove_mentee(std::uint32_t mentor, Involvement& mentor_record, std::uint32_t mentee);
  // A mentor's mentees (its load of them).
  std::vector<std::uint32_t> mentees_of(std::uint32_t mentor) const;
  // Clocks whose rates depend on being a mentee, or a mentor with mentees.
  void mentee_status_changed(std::uint32_t mentee, double t);
  // Adds `delta` (±1) to a mentor's load; returns the load before.
  std::uint16_t change_mentor_load(std::uint32_t mentor, double t, int delta, bool leaving);
  void mentor_load_changed(std::uint32_t mentor, std::uint16_t load_before, double t);
  void standalone_requests_changed(std::uint32_t agent, double t);

  // Waiting lists.
  void change_displaced(int role, int delta) {
    roles_[role].displaced += delta;
    displaced_ += delta;
  }
  void pool_push(std::uint32_t agent);
  std::uint32_t longest_waiting(int role);  // kNone if the pool is empty
  void vacancy_push(std::uint32_t position);
  std::uint32_t oldest_vacancy(int role);  // kNone if none is open
  bool is_live(const OpenVacancy& v) const {
    const Position& p = positions_[v.position];
    return p.state == PositionState::vacant && p.fill_count == v.fill_count;
  }
  bool is_live(const PoolMember& m) const {
    const Agent& a = agents_[m.agent];
    return a.state == AgentState::pool && a.key == m.key && a.pool_deadline == m.deadline;
  }
  bool is_live_graduate(const PoolMember& m) const {
    const Agent& a = agents_[m.agent];
    return a.state != AgentState::free && a.has(kGraduate) && a.key == m.key &&
           involvements_[a.involvement].program_end == m.deadline;
  }

  // Recording (recording.cpp).
  // Brings a role's time integrals up to t; every change of what they
  // integrate (salary weight, vacancies, positions) is preceded by it.
  // Inline: it runs several times an event and mostly does nothing.
  void touch(int role, double t) {
    if (t > roles_[role].integrals_time) advance_integrals(role, t);
  }
  void advance_integrals(int role, double t);
  void touch_pairs(double t);
  void count(int role, RoleFlow flow) { ++roles_[role].flows[flow]; }
  void count_program(int program, ProgramFlow flow) { ++programs_[program].flows[flow]; }
  void event(EventKind kind, std::uint64_t agent_key, int role, double t, int program = -1);
  void record_snapshot(int k, double t);
  void record_totals();
  void check_invariants(double t) const;

  std::uint64_t position_key(const Position& position) const;
  std::uint64_t hire_key(const Position& position) const;
  static std::uint64_t priority(std::uint64_t key);

  const WorkforceModel& model_;
  const Scenario& scenario_;
  const std::vector<CompiledRole>& compiled_;
  const std::vector<CompiledProgram>& compiled_programs_;
  engine::StreamFactory streams_;
  std::size_t replication_;
  SimulationOptions options_;
  double horizon_;
  int snapshots_;
  int role_count_;
  engine::EventQueue queue_;
  std::vector<Agent> agents_;
  // Checking mode, for the invariants: each agent's live entry and the
  // bounds its exit, dropout and voluntary clocks were started with.
  std::vector<double> queued_times_;
  std::vector<double> attrition_bounds_;
  std::vector<double> dropout_bounds_;      // of participants
  std::vector<unsigned> voluntary_bounds_;  // VoluntaryState::flag_bits, of position holders
  std::vector<std::uint32_t> free_agents_;
  std::vector<Position> positions_;
  std::vector<RoleState> roles_;
  engine::RecordPool<Involvement> involvements_;
  engine::RecordPool<ProgramHistory> histories_;
  std::vector<ProgramState> programs_;
  BudgetLedger ledger_;
  MentorList available_mentors_;
  // A mentor's mentees beyond Involvement::kInlineMentees, by mentor.
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> more_mentees_;
  // When an agent's exit clock has no next candidate (its hazard ends at 0):
  // how much of its threshold exceeds all the hazard still to come, so that
  // it carries over to another role or multiplier. Rare: kept aside.
  std::unordered_map<std::uint32_t, double> attrition_excess_;
  std::int64_t displaced_ = 0;  // in the redeployment pools of all roles
  std::int64_t pairs_ = 0;      // active pairings
  double pairs_time_ = 0.0;
  double pair_years_ = 0.0;
  std::uint64_t pairs_started_ = 0;
  std::uint64_t distinct_mentees_ = 0;
  std::uint64_t mentoring_refused_ = 0;
  // Whether the voluntary clock's bound counts standalone mentoring requests
  // even while they do not apply (paired, or mentoring): when they are rare
  // enough that the candidates rejected meanwhile cost less than restarting
  // the clock at each pairing's end (at most one a pairing on average).
  bool standalone_in_bound_ = false;
  // What the voluntary clock's bound scales a mentee's enrolment attempts
  // by: the mentee multiplier if above 1, else 1.
  double mentee_enrolment_bound_ = 1.0;
  // The voluntary rates of the states met so far (key: role and state bits),
  // and by role a table of them indexed by state (roles of a few programs).
  std::unordered_map<std::uint64_t, engine::PiecewiseConstant> voluntary_rates_;
  std::vector<std::vector<const engine::PiecewiseConstant*>> voluntary_rate_tables_;
  std::vector<double> scratch_cuts_;
  std::vector<std::pair<std::uint32_t, double>> scratch_placements_;  // open vacancy, weight
  std::uint64_t events_ = 0;
  engine::ReplicationResult result_;
};

// A change that only starts or ends `multiplier`, one that comes and goes:
// at most 1, it leaves the exit clock's bound alone.
template <typename Change>
void Replication::change_transient_attrition(std::uint32_t a, double t, double multiplier,
                                             Change&& change) {
  if (multiplier <= 1.0)
    change();
  else
    change_attrition(a, t, change);
}

template <typename Change>
void Replication::change_attrition(std::uint32_t a, double t, Change&& change) {
  const Agent& agent = agents_[a];
  const std::uint16_t old_role = agent.role;
  const engine::Hazard old_hazard = attrition_hazard(agent);
  change();
  // Most changes are of multipliers below 1 that leave the clock's bound as
  // it was: nothing to do (the candidates' acceptance follows the change).
  if (agent.role == old_role && attrition_factors(agent).bound == old_hazard.factor) return;
  const double left = agent.exit_time != engine::kNever
                          ? old_hazard.integral(t, agent.exit_time)
                          : attrition_excess(a) + old_hazard.tail_mass(t);
  set_attrition_threshold(a, t, left);
}

}  // namespace wfsim::models::detail
