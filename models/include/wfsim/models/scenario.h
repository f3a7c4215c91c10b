// A resolved scenario (SPEC §1) as plain, immutable data. Built by the
// scenario loader; shared read-only by every replication.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wfsim/engine/distribution.h"
#include "wfsim/engine/piecewise.h"

namespace wfsim::models {

namespace detail {
struct YamlNode;
}

using engine::Distribution;
using engine::PiecewiseConstant;
using Rate = engine::PiecewiseConstant;  // a hazard per person-year (or position-year)

struct Hiring {
  bool enabled = true;
  double cost = 0.0;                 // per external hire
  double time_to_fill_months = 0.0;  // mean of an exponential delay; 0 = at once
};

struct Role {
  std::string id;
  std::string name;
  std::int64_t headcount = 0;
  std::int64_t vacancies = 0;
  double salary = 0.0;
  Rate attrition{0.0};
  // (tenure in years from which the multiplier holds, multiplier); first at 0.
  std::vector<std::pair<double, double>> tenure_multipliers;
  Distribution initial_tenure_years = Distribution::fixed_value(0.0);
  Rate automation{0.0};
  Rate growth{0.0};
  Rate new_positions_per_year{0.0};
  bool backfill = true;
  std::vector<std::pair<std::string, Rate>> transfers;  // destination role id, rate
  Hiring hiring;
  double severance = 0.0;
  double vacancy_cost_per_month = 0.0;
};

struct AutomationWave {
  double at_year = 0.0;
  std::string role;
  double fraction = 0.0;  // (0, 1]
};

struct Displacement {
  double redeployment_window_months = 3.0;
  enum class First { redeploy, reskill };
  First first = First::redeploy;
};

// Each agent keeps a bit per program (enrolled once, completed).
inline constexpr std::size_t kMaxPrograms = 32;

struct ProgramCost {
  double fixed = 0.0;
  double per_month = 0.0;
};

struct Program {
  enum class Type { reskilling, upskilling, outskilling, benefit };
  std::string id;
  std::string name;
  Type type = Type::upskilling;
  std::vector<std::string> eligible_roles;
  double min_tenure_months = 0.0;
  std::vector<std::pair<std::string, double>> target_roles;  // reskilling only; weights > 0
  Rate enrollment_rate{0.0};
  bool accepts_displaced = false;
  std::optional<PiecewiseConstant> capacity;  // unset = unlimited
  double active_from = 0.0;                   // [from, to); defaults to the whole horizon
  double active_to = engine::kNever;
  bool full_time = false;
  Distribution duration_months = Distribution::fixed_value(0.0);
  Rate dropout{0.0};
  ProgramCost cost;
  std::optional<double> budget;  // unset = unlimited
  double while_enrolled_attrition_multiplier = 1.0;
  double after_completion_attrition_multiplier = 1.0;
  double after_completion_salary_multiplier = 1.0;
  double placement_window_months = 6.0;
};

struct MentoringEffects {
  double mentee_attrition_multiplier = 1.0;
  double mentee_dropout_multiplier = 1.0;
  double mentee_enrollment_multiplier = 1.0;
  double duration_multiplier = 1.0;
  double mentor_attrition_multiplier = 1.0;
};

struct Mentoring {
  std::vector<std::string> mentor_roles;
  double mentor_share = 1.0;
  std::int64_t mentees_per_mentor = 1;
  double duration_months = 12.0;
  double active_from = 0.0;
  double active_to = engine::kNever;
  std::vector<std::string> programs;
  bool new_hires = false;
  std::vector<std::string> open_to_roles;
  Rate open_enrollment_rate{0.0};
  double cost_per_pair_month = 0.0;
  MentoringEffects effects;
};

struct Budget {
  std::optional<double> total;
  std::optional<PiecewiseConstant> per_year;
};

// A number written `{uncertain: DIST}` (SPEC §1): drawn once per
// replication as F⁻¹(U), U from a stream keyed by its PATH, or by its NAME
// when `shared`.
struct UncertainParameter {
  std::string path;    // PATH of SPEC §1, e.g. "roles.fc_associate.attrition"
  std::string shared;  // NAME, or empty
  Distribution dist;
  bool count = false;  // a whole number: F⁻¹(U) rounded half to even
  // The value the loaded scenario holds: the median F⁻¹(1/2) (rounded for
  // counts). Replications use their own draws.
  double nominal = 0.0;
  // The smallest and largest values a replication can draw.
  double lowest = 0.0;
  double highest = 0.0;
  std::string origin;  // file:line:col of the {uncertain} node, for messages
};

struct Scenario {
  int schema_version = 1;
  std::string name;
  std::string description;
  std::string source_file;  // the file it was loaded from, for messages
  double horizon_years = 0.0;
  int start_year = 0;
  int snapshots_per_year = 12;
  std::int64_t replications = 100;
  std::uint64_t seed = 1;
  std::vector<Role> roles;
  std::vector<AutomationWave> automation_waves;
  Displacement displacement;
  std::vector<Program> programs;
  std::optional<Mentoring> mentoring;
  std::optional<Budget> budget;
  // The fully resolved scenario as YAML text (after overrides): stored in
  // every output file and printed by `wfsim validate --print`.
  std::string resolved_yaml;
  // Uncertain parameters (empty for a scenario without any) in the order the
  // loader reads them: sections and keys as in the parameter reference,
  // list items in their resolved order, whatever the order of keys in a file;
  // and the resolved tree a replication's draws are substituted into (see
  // scenario_with_values in scenario_loader.h). Every other field holds the
  // nominal values.
  std::vector<UncertainParameter> uncertain_parameters;
  std::shared_ptr<const detail::YamlNode> resolved_tree;

  int snapshot_count() const;  // horizon_years × snapshots_per_year + 1
  std::int64_t initial_employees() const;
  int role_index(const std::string& id) const;  // -1 if unknown
};

}  // namespace wfsim::models
