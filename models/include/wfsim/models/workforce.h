// The workforce model: turns a Scenario into replications (SPEC §2).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wfsim/engine/piecewise.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/runner.h"
#include "wfsim/models/scenario.h"
#include "wfsim/models/uncertainty.h"
#include "wfsim/models/units.h"

namespace wfsim::models {

struct SimulationOptions {
  bool trace = false;              // record every event in ReplicationResult::trace
  bool check_invariants = false;   // recount the state at every snapshot and throw on a mismatch
  bool check_every_event = false;  // the same after every event (slow: for property tests)
  const std::atomic<bool>* stop = nullptr;  // abandon the replication (engine::Cancelled)
};

// Per-role data derived once from the scenario and shared by all replications.
struct CompiledRole {
  std::uint64_t key = 0;  // hash of the role id: stream keys never depend on list order
  const Role* spec = nullptr;
  std::optional<engine::PiecewiseConstant> tenure_multiplier;  // of tenure in years
  engine::PiecewiseConstant transfer_total;                    // sum of the transfer rates
  std::vector<std::pair<int, const engine::PiecewiseConstant*>> transfer_targets;
  bool has_transfers = false;
  bool has_growth = false;
  bool has_automation = false;
  double time_to_fill_years = 0.0;
  // Programs employees of this role attempt to enrol in (eligible, with a
  // non-zero enrolment rate), in scenario order: from which tenure and in
  // which window each takes attempts, and at most how many a year (not
  // counting the mentee multiplier).
  struct Enrolling {
    int program;  // index in the scenario's programs
    double min_tenure_years;
    double active_from;
    double active_to;
    double max_rate;
    const engine::PiecewiseConstant* rate;  // enrollment_rate
    // Attempts a year at t (in the window; tenure not checked).
    double rate_at(double t) const {
      if (t < active_from || t >= active_to) return 0.0;
      return rate->is_constant() ? rate->values()[0] : rate->value_at(t);
    }
  };
  std::vector<Enrolling> enrolling;
  double first_opening_tenure_years = engine::kNever;  // the least min_tenure_years
  // Programs that seat the role's workers without a position.
  std::vector<int> displaced_programs;
  bool mentor_role = false;           // provides mentors
  bool open_to_mentoring = false;     // in mentoring.open_to_roles
  bool standalone_mentoring = false;  // ... and open_enrollment_rate is not zero
  // Whether the voluntary clock of its position holders has more than
  // transfers in it (enrolment attempts, standalone mentoring requests).
  bool has_voluntary_extras = false;
  // A bound on the rate of transfers and standalone mentoring requests in
  // any state at any time, with a margin for rounding (with `enrolling`: a
  // threshold beyond what the voluntary clock integrates to by the exit
  // cannot be reached).
  double voluntary_rate_bound = 0.0;
  double enrolment_rate_bound = 0.0;  // Σ max_rate of `enrolling`, with the same margin
  // The margin of those bounds: sums of rates over time, taken in another
  // order by the clock's walk, differ from them in the last bits.
  static constexpr double kRoundingMargin = 1.0 + 1e-9;
};

// Per-program data derived once from the scenario.
struct CompiledProgram {
  std::uint64_t key = 0;  // hash of the program id
  const Program* spec = nullptr;
  std::vector<int> eligible_roles;
  std::vector<std::pair<int, double>> targets;  // reskilling: role index, weight
  std::vector<bool> targets_role;               // by role index
  engine::Sampler duration_months;
  double min_tenure_years = 0.0;
  double placement_window_years = 0.0;
  double cost_per_year = 0.0;    // cost.per_month, per year enrolled
  bool requests_mentor = false;  // listed in mentoring.programs
  // Times at which seats may free up without anyone leaving: the window
  // opening, capacity rising, a new budget year. Waiting workers are offered
  // seats then.
  std::vector<double> offer_times;
};

class WorkforceModel {
 public:
  explicit WorkforceModel(Scenario scenario);

  const Scenario& scenario() const { return scenario_; }
  const std::vector<CompiledRole>& roles() const { return roles_; }
  const std::vector<CompiledProgram>& programs() const { return programs_; }
  int snapshot_count() const { return snapshot_count_; }
  double horizon() const { return horizon_; }
  double redeployment_window_years() const { return redeployment_window_years_; }
  double pairing_years() const { return pairing_years_; }  // mentoring.duration_months
  // Positions a replication is expected to create in all (initial and
  // growth at the highest rates), to size its storage once.
  std::size_t expected_positions() const { return expected_positions_; }
  // Queue entries a replication is expected to push: two per turnover
  // (the leaver's event and the hire's), at the highest rates.
  std::size_t expected_queue_pushes() const { return expected_queue_pushes_; }

  // What a results file holds for this scenario (SPEC §4), in the order of
  // ReplicationResult::series.
  engine::OutputLayout output_layout() const;
  // Values in each series of one replication, in layout order.
  const std::vector<std::size_t>& series_sizes() const { return series_sizes_; }
  // For each series, whether its block is stored in a compressed chunk of
  // its own (engine/chunk_encoding.h).
  const std::vector<bool>& compressed_series() const { return compressed_series_; }
  // A pure function of (scenario, seed, replication). With uncertain
  // parameters, the replication draws their values, simulates the scenario
  // holding them (compiled for it alone) and returns them last, in the
  // series of /parameters.
  engine::ReplicationResult simulate(std::uint64_t seed, std::size_t replication,
                                     const SimulationOptions& options) const;

 private:
  void compile_programs();

  Scenario scenario_;
  std::vector<CompiledRole> roles_;
  std::vector<CompiledProgram> programs_;
  int snapshot_count_ = 0;
  double horizon_ = 0.0;
  double redeployment_window_years_ = 0.0;
  double pairing_years_ = 0.0;
  std::size_t expected_positions_ = 0;
  std::size_t expected_queue_pushes_ = 0;
  std::vector<std::size_t> series_sizes_;
  std::vector<bool> compressed_series_;
  std::vector<ParameterDataset> parameter_datasets_;
};

// Index of each series in ReplicationResult::series.
std::size_t role_series_index(int metric);
std::size_t program_series_index(int metric);
std::size_t kpi_series_index(int kpi);
std::size_t program_kpi_series_index(int kpi);

}  // namespace wfsim::models
