// A resolved scenario (SPEC §1) as plain, immutable data. Built by the
// scenario loader; shared read-only by every replication.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wfsim/engine/distribution.h"
#include "wfsim/engine/piecewise.h"

namespace wfsim::models {

using engine::Distribution;
using engine::PiecewiseConstant;
using Rate = engine::PiecewiseConstant;  // a hazard per person-year (or position-year)

// Defaults, legal ranges, units and descriptions of every field below are
// declared once, in the parameter table (models/src/parameter_table.cpp) that
// fills these structs; with_defaults<T>() (parameters.h) gives a struct
// holding them. The members here are only value-initialised.

struct Hiring {
  bool enabled{};
  double cost{};                 // per external hire
  double time_to_fill_months{};  // mean of an exponential delay; 0 = at once
};

struct Role {
  std::string id;
  std::string name;
  std::int64_t headcount{};
  std::int64_t vacancies{};
  double salary{};
  Rate attrition;
  // (tenure in years from which the multiplier holds, multiplier); first at 0.
  std::vector<std::pair<double, double>> tenure_multipliers;
  Distribution initial_tenure_years;
  Rate automation;
  Rate growth;
  Rate new_positions_per_year;
  bool backfill{};
  std::vector<std::pair<std::string, Rate>> transfers;  // destination role id, rate
  Hiring hiring;
  double severance{};
  double vacancy_cost_per_month{};
};

struct AutomationWave {
  double at_year{};
  std::string role;
  double fraction{};  // (0, 1]
};

struct Displacement {
  double redeployment_window_months{};
  enum class First { redeploy, reskill };  // in the order of the table's choices
  First first{};
};

// [from, to) in years; the whole horizon when not given.
struct Window {
  double from = 0.0;
  double to = engine::kNever;
  bool contains(double t) const { return t >= from && t < to; }
};

// Each agent keeps a bit per program (enrolled once, completed).
inline constexpr std::size_t kMaxPrograms = 32;

struct ProgramCost {
  double fixed{};
  double per_month{};
};

struct WhileEnrolled {
  double attrition_multiplier{};
};

struct AfterCompletion {
  double attrition_multiplier{};
  double salary_multiplier{};
};

struct Program {
  enum class Type { reskilling, upskilling, outskilling, benefit };  // the table's order
  std::string id;
  std::string name;
  Type type{};
  std::vector<std::string> eligible_roles;
  double min_tenure_months{};
  std::vector<std::pair<std::string, double>> target_roles;  // reskilling only; weights > 0
  Rate enrollment_rate;
  bool accepts_displaced{};
  std::optional<PiecewiseConstant> capacity;  // unset = unlimited
  Window active_years;
  bool full_time{};
  Distribution duration_months;
  Rate dropout;
  ProgramCost cost;
  std::optional<double> budget;  // unset = unlimited
  WhileEnrolled while_enrolled;
  AfterCompletion after_completion;
  double placement_window_months{};
};

struct MentoringEffects {
  double mentee_attrition_multiplier{};
  double mentee_dropout_multiplier{};
  double mentee_enrollment_multiplier{};
  double duration_multiplier{};
  double mentor_attrition_multiplier{};
};

struct Mentoring {
  std::vector<std::string> mentor_roles;
  double mentor_share{};
  std::int64_t mentees_per_mentor{};
  double duration_months{};
  Window active_years;
  std::vector<std::string> programs;
  bool new_hires{};
  std::vector<std::string> open_to_roles;
  Rate open_enrollment_rate;
  double cost_per_pair_month{};
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

// The scenario language version this build reads (the `wfsim` key).
inline constexpr int kSchemaVersion = 1;

struct Scenario {
  int schema_version{};
  std::string name;
  std::string description;
  std::string source_file;  // the file it was loaded from, for messages
  double horizon_years{};
  int start_year{};
  int snapshots_per_year{};
  std::int64_t replications{};
  std::uint64_t seed{};
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
  // list items in their resolved order, whatever the order of keys in a file.
  // Their fields hold the nominal values; a replication's values are set at
  // their paths (scenario_with_values in scenario_loader.h).
  std::vector<UncertainParameter> uncertain_parameters;

  int snapshot_count() const;  // horizon_years × snapshots_per_year + 1
  std::int64_t initial_employees() const;
  int role_index(const std::string& id) const;  // -1 if unknown
};

}  // namespace wfsim::models
