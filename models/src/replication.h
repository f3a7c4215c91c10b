// One replication of the workforce model: its clock, queue, agents, positions
// and recorders. Owned by one thread; reads the compiled model only.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "wfsim/engine/event_queue.h"
#include "wfsim/engine/hazard.h"
#include "wfsim/engine/lazy_fifo.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/workforce.h"

namespace wfsim::models::detail {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

enum class AgentState : std::uint8_t { free, working, pool };
enum class PositionState : std::uint8_t { vacant, filled, closed };

// One cache line: the memory promise is per employee and per replication,
// and the kernel is bound by the cache misses of touching agents at random.
struct alignas(64) Agent {
  AgentState state;
  std::uint16_t role;
  std::uint32_t position;
  double scheduled;      // time of this agent's live queue entry (NaN: none)
  double exit_time;      // attrition: the true time, even after the horizon (kNever: never)
  double position_time;  // working: automation of the held position; pool: end of window
  double transfer_time;  // next transfer attempt
  std::uint64_t key;     // stable identity: the position and fill it was hired into
  double tenure_origin;  // tenure = t − tenure_origin
  // When exit_time is kNever (the hazard ends at 0): how much of the
  // threshold exceeds all the hazard still to come, so that it carries over
  // to another role. Otherwise what is left is ∫ h from now to exit_time.
  double attrition_excess;
};
static_assert(sizeof(Agent) == 64, "an agent is one cache line");

struct Position {
  double hire_time;  // pending external hire; kNever when none
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

// A pool member is live while the same agent is in the same pool spell (the
// deadline identifies the spell).
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
  engine::LazyFifo<OpenVacancy> open_vacancies;  // oldest first
  engine::LazyFifo<PoolMember> pool;             // longest waiting first
  std::uint32_t positions_created = 0;
  // Time integrals, brought up to date before any count changes.
  double integrals_time = 0.0;
  double employee_years = 0.0;  // since the last snapshot
  double vacancy_years = 0.0;
  // Growth: an integrated-hazard threshold on g(t)·positions + n(t).
  double growth_left = 0.0;
  double growth_next = engine::kNever;
  std::uint64_t growth_draws = 0;
  std::array<std::uint64_t, kFlowCount> flows{};
  std::array<double, kFlowCount> flow_totals{};
  double employee_years_total = 0.0;
  double vacancy_years_total = 0.0;
};

class Replication {
 public:
  Replication(const WorkforceModel& model, std::uint64_t seed, std::size_t replication,
              const SimulationOptions& options);
  engine::ReplicationResult run();

 private:
  // Same-instant order of event classes (documented in models/README.md).
  enum EventClass : unsigned { kClassWave = 0, kClassAgent = 1, kClassHire = 2, kClassGrowth = 3 };

  void initialise();
  void dispatch(const engine::QueueEntry& entry);

  // Agent processes.
  void handle_agent(std::uint32_t agent, double t);
  void exit_company(std::uint32_t agent, double t);
  void eliminate_position(std::uint32_t agent, double t);
  void displace(std::uint32_t agent, double t);
  void lay_off(std::uint32_t agent, double t);
  void attempt_transfer(std::uint32_t agent, double t);

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
  void move_to_role(std::uint32_t agent, int role, double t);
  void start_transfer_clock(std::uint32_t agent, double t);
  engine::Hazard attrition_hazard(const Agent& agent) const;
  static double next_time(const Agent& agent);
  void schedule(std::uint32_t agent);

  // Waiting lists.
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
    return a.state == AgentState::pool && a.key == m.key && a.position_time == m.deadline;
  }
  void prefetch_upcoming() const;

  // Recording.
  // Brings a role's time integrals up to t; every count change is preceded
  // by it. Inline: it runs several times an event and mostly does nothing.
  void touch(int role, double t) {
    if (t > roles_[role].integrals_time) advance_integrals(role, t);
  }
  void advance_integrals(int role, double t);
  void count(int role, RoleFlow flow) { ++roles_[role].flows[flow]; }
  void event(EventKind kind, std::uint64_t agent_key, int role, double t);
  void record_snapshot(int k, double t);
  void record_totals();
  void check_invariants() const;

  std::uint64_t position_key(const Position& position) const;
  std::uint64_t hire_key(const Position& position) const;
  static std::uint64_t priority(std::uint64_t key);

  const WorkforceModel& model_;
  const Scenario& scenario_;
  const std::vector<CompiledRole>& compiled_;
  engine::StreamFactory streams_;
  std::size_t replication_;
  SimulationOptions options_;
  double horizon_;
  int snapshots_;
  int role_count_;
  engine::EventQueue queue_;
  std::vector<Agent> agents_;
  std::vector<std::uint32_t> free_agents_;
  std::vector<Position> positions_;
  std::vector<RoleState> roles_;
  std::uint64_t events_ = 0;
  engine::ReplicationResult result_;
};

}  // namespace wfsim::models::detail
