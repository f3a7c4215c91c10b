#include "parameter_table.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "wfsim/models/parameters.h"
#include "wfsim/models/scenario_loader.h"

namespace wfsim::models::detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Named ranges used by the tables.
constexpr Range kAny{};
constexpr Range kNonNegative{0.0, kInf, false, false};
constexpr Range kPositive{0.0, kInf, true, false};
constexpr Range kProbability{0.0, 1.0, false, false};
constexpr Range kFraction{0.0, 1.0, true, false};

std::string format_bound(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 18446744073709551615.0) return "2^64 - 1";  // the largest seed, rounded to a double
  std::ostringstream out;
  out.precision(15);
  out << x;
  return out.str();
}

#define WFSIM_VALUE(member) value_field<&member>()
#define WFSIM_SECTION(member) section_field<&member>()
#define WFSIM_LIST(member) list_field<&member>()

std::vector<Section> build_sections() {
  using K = ParamKind;
  const Binding none;
  std::vector<Section> sections;

  sections.push_back(Section{
      "scenario",
      "Top level of a scenario file.",
      &typeid(Scenario),
      {
          {"wfsim", K::integer, WFSIM_VALUE(Scenario::schema_version), required(),
           Range{kSchemaVersion, kSchemaVersion}, "", "Schema version; must be 1."},
          {"name", K::scenario_name, WFSIM_VALUE(Scenario::name), required(), kAny, "",
           "Scenario name, [a-z0-9_-]+; never inherited through extends."},
          {"description", K::text, WFSIM_VALUE(Scenario::description), note("\"\""), kAny, "",
           "Free text."},
          {"extends", K::file_path, none, note("none"), kAny, "",
           "Base scenario to deep-merge over, relative to this file."},
          {"remove", K::path_list, none, note("[]"), kAny, "",
           "Items of the base to drop, e.g. [programs.x, roles.y]."},
          {"horizon_years", K::number, WFSIM_VALUE(Scenario::horizon_years), required(),
           Range{0, 1000, true, false}, "years",
           "Simulated horizon; horizon_years x snapshots_per_year must be a whole number."},
          {"start_year", K::integer, WFSIM_VALUE(Scenario::start_year), fallback(0),
           Range{-1000000, 1000000}, "", "Calendar year of t = 0; a label for outputs only."},
          {"snapshots_per_year", K::integer, WFSIM_VALUE(Scenario::snapshots_per_year),
           fallback(12), Range{1, 10000}, "1/year", "Trajectory resolution."},
          {"replications", K::integer, WFSIM_VALUE(Scenario::replications), fallback(100),
           Range{1, 1e9}, "", "Monte Carlo replications; the CLI's -r overrides."},
          {"seed", K::integer, WFSIM_VALUE(Scenario::seed), fallback(1),
           Range{0, 18446744073709551615.0}, "", "Root random seed; the CLI's -s overrides.",
           nullptr, "a whole number in [0, 2^64 - 1]"},
          {"roles", K::section_list, WFSIM_LIST(Scenario::roles), required(), kAny, "",
           "Job roles; at least one, ids unique.", nullptr, nullptr, "roles[]"},
          {"automation_waves", K::section_list, WFSIM_LIST(Scenario::automation_waves), note("[]"),
           kAny, "", "One-off automation events.", nullptr, nullptr, "automation_waves[]"},
          {"displacement", K::section, WFSIM_SECTION(Scenario::displacement), note("defaults"),
           kAny, "", "What happens to workers without a position.", nullptr, nullptr,
           "displacement"},
          {"programs", K::section_list, WFSIM_LIST(Scenario::programs), note("[]"), kAny, "",
           "Training programs; ids unique; at most 32.", nullptr, nullptr, "programs[]"},
          {"mentoring", K::section, WFSIM_SECTION(Scenario::mentoring), note("none"), kAny, "",
           "Mentoring scheme.", nullptr, nullptr, "mentoring"},
          {"budget", K::section, WFSIM_SECTION(Scenario::budget), note("unlimited"), kAny, "",
           "Caps on program commitments (program costs only).", nullptr, nullptr, "budget"},
      }});

  sections.push_back(Section{
      "roles[]",
      "A job role: its positions, people and flows.",
      &typeid(Role),
      {
          {"id", K::id, WFSIM_VALUE(Role::id), required(), kAny, "",
           "Role id, [a-z0-9_]+, unique."},
          {"name", K::text, WFSIM_VALUE(Role::name), note("the id"), kAny, "", "Display name."},
          {"headcount", K::integer, WFSIM_VALUE(Role::headcount), required(), kNonNegative,
           "people", "Filled positions at t = 0."},
          {"vacancies", K::integer, WFSIM_VALUE(Role::vacancies), fallback(0), kNonNegative,
           "positions", "Open positions at t = 0."},
          {"salary", K::number, WFSIM_VALUE(Role::salary), fallback(0), kNonNegative, "money/year",
           "Salary per year."},
          {"attrition", K::rate, WFSIM_VALUE(Role::attrition), fallback(0), kNonNegative,
           "1/person-year", "Voluntary exits per person-year (RATE)."},
          {"tenure_multipliers", K::tenure_steps, WFSIM_VALUE(Role::tenure_multipliers),
           note("[[0, 1]]"), kNonNegative, "",
           "[[tenure_years, multiplier], ...]: attrition x multiplier from that tenure on; "
           "first entry at 0."},
          {"initial_tenure_years", K::dist, WFSIM_VALUE(Role::initial_tenure_years), fallback(0),
           kNonNegative, "years", "Tenure of the initial employees at t = 0 (DIST, support >= 0)."},
          {"automation", K::rate, WFSIM_VALUE(Role::automation), fallback(0), kNonNegative,
           "1/position-year", "Eliminations per filled position-year (RATE)."},
          {"growth", K::rate, WFSIM_VALUE(Role::growth), fallback(0), kNonNegative,
           "1/position-year", "New positions per position-year (RATE)."},
          {"new_positions_per_year", K::rate, WFSIM_VALUE(Role::new_positions_per_year),
           fallback(0), kNonNegative, "positions/year",
           "New positions per year regardless of size (RATE)."},
          {"backfill", K::boolean, WFSIM_VALUE(Role::backfill), fallback(true), kAny, "",
           "A vacated position re-opens as a vacancy (else it is closed)."},
          {"transfers", K::role_rates, WFSIM_VALUE(Role::transfers), note("{}"), kNonNegative,
           "1/person-year",
           "{role_id: RATE}: moves into an open vacancy of that role, without training."},
          {"hiring", K::section, WFSIM_SECTION(Role::hiring), note("defaults"), kAny, "",
           "External hiring.", nullptr, nullptr, "roles[].hiring"},
          {"severance", K::number, WFSIM_VALUE(Role::severance), fallback(0), kNonNegative, "money",
           "Cost per layoff."},
          {"vacancy_cost_per_month", K::number, WFSIM_VALUE(Role::vacancy_cost_per_month),
           fallback(0), kNonNegative, "money/month", "Output lost per open position-month."},
      },
      true,
      "role"});

  sections.push_back(Section{
      "roles[].hiring",
      "External hiring into a role.",
      &typeid(Hiring),
      {
          {"enabled", K::boolean, WFSIM_VALUE(Hiring::enabled), fallback(true), kAny, "",
           "External hiring allowed."},
          {"cost", K::number, WFSIM_VALUE(Hiring::cost), fallback(0), kNonNegative, "money",
           "Cost per external hire."},
          {"time_to_fill_months", K::number, WFSIM_VALUE(Hiring::time_to_fill_months), fallback(0),
           kNonNegative, "months", "Mean of the exponential delay before a hire; 0 = at once."},
      }});

  sections.push_back(Section{
      "automation_waves[]",
      "A one-off automation event.",
      &typeid(AutomationWave),
      {
          {"at_year", K::number, WFSIM_VALUE(AutomationWave::at_year), required(), Range{0, kInf},
           "years", "When the wave hits.", nullptr, "[0, horizon_years]", nullptr, true},
          {"role", K::id, WFSIM_VALUE(AutomationWave::role), required(), kAny, "",
           "The role hit (a role id)."},
          {"fraction", K::number, WFSIM_VALUE(AutomationWave::fraction), required(), kFraction, "",
           "Each filled position is eliminated independently with this probability."},
      },
      false,
      "automation wave"});

  sections.push_back(
      Section{"displacement",
              "Workers without a position.",
              &typeid(Displacement),
              {
                  {"redeployment_window_months", K::number,
                   WFSIM_VALUE(Displacement::redeployment_window_months), fallback(3), kNonNegative,
                   "months", "How long a worker without a position waits before being laid off."},
                  {"first", K::choice, WFSIM_VALUE(Displacement::first), note("redeploy"), kAny, "",
                   "Which is tried first: an open vacancy or a program seat.", "redeploy|reskill"},
              }});

  sections.push_back(Section{
      "programs[]",
      "A training program.",
      &typeid(Program),
      {
          {"id", K::id, WFSIM_VALUE(Program::id), required(), kAny, "",
           "Program id, [a-z0-9_]+, unique."},
          {"name", K::text, WFSIM_VALUE(Program::name), note("the id"), kAny, "", "Display name."},
          {"type", K::choice, WFSIM_VALUE(Program::type), required(), kAny, "", "Kind of program.",
           "reskilling|upskilling|outskilling|benefit"},
          {"eligible_roles", K::role_list, WFSIM_VALUE(Program::eligible_roles), required(), kAny,
           "", "Roles whose employees may enrol (at least one)."},
          {"min_tenure_months", K::number, WFSIM_VALUE(Program::min_tenure_months), fallback(0),
           kNonNegative, "months", "Minimum tenure to enrol."},
          {"target_roles", K::role_weights, WFSIM_VALUE(Program::target_roles), note(""), kPositive,
           "",
           "{role_id: weight > 0}: where graduates are placed; required for reskilling, "
           "only allowed there."},
          {"enrollment_rate", K::rate, WFSIM_VALUE(Program::enrollment_rate), fallback(0),
           kNonNegative, "1/person-year",
           "Voluntary enrolment attempts per eligible employee-year (RATE)."},
          {"accepts_displaced", K::boolean, WFSIM_VALUE(Program::accepts_displaced),
           fallback(false), kAny, "", "Workers without a position from eligible roles get seats."},
          {"capacity", K::count_schedule, WFSIM_VALUE(Program::capacity), note("unlimited"),
           kNonNegative, "people",
           "Maximum concurrent participants: a whole number or {piecewise: ...}."},
          {"active_years", K::window, WFSIM_VALUE(Program::active_years), note("whole horizon"),
           kNonNegative, "years", "[from, to): window for every enrolment; from < to."},
          {"full_time", K::boolean, WFSIM_VALUE(Program::full_time), fallback(false), kAny, "",
           "The position is vacated at enrolment."},
          {"duration_months", K::dist, WFSIM_VALUE(Program::duration_months), required(),
           kNonNegative, "months", "Program length (DIST, support >= 0)."},
          {"dropout", K::rate, WFSIM_VALUE(Program::dropout), fallback(0), kNonNegative,
           "1/person-year", "Dropouts per participant-year while enrolled (RATE)."},
          {"cost", K::section, WFSIM_SECTION(Program::cost), note("0"), kAny, "",
           "Cost per participant.", nullptr, nullptr, "programs[].cost"},
          {"budget", K::number, WFSIM_VALUE(Program::budget), note("unlimited"), kNonNegative,
           "money", "Cap on this program's commitments."},
          {"while_enrolled", K::section, WFSIM_SECTION(Program::while_enrolled), note("defaults"),
           kAny, "", "Effects while enrolled.", nullptr, nullptr, "programs[].while_enrolled"},
          {"after_completion", K::section, WFSIM_SECTION(Program::after_completion),
           note("defaults"), kAny, "", "Effects for the rest of the career.", nullptr, nullptr,
           "programs[].after_completion"},
          {"placement_window_months", K::number, WFSIM_VALUE(Program::placement_window_months),
           fallback(6), kNonNegative, "months",
           "Reskilling: how long a graduate waits for a target-role vacancy."},
      },
      true,
      "program"});

  sections.push_back(
      Section{"programs[].cost",
              "Cost per participant.",
              &typeid(ProgramCost),
              {
                  {"fixed", K::number, WFSIM_VALUE(ProgramCost::fixed), fallback(0), kNonNegative,
                   "money", "Paid at enrolment."},
                  {"per_month", K::number, WFSIM_VALUE(ProgramCost::per_month), fallback(0),
                   kNonNegative, "money/month", "Paid per month enrolled."},
              }});

  sections.push_back(Section{
      "programs[].while_enrolled",
      "Effects while enrolled.",
      &typeid(WhileEnrolled),
      {
          {"attrition_multiplier", K::number, WFSIM_VALUE(WhileEnrolled::attrition_multiplier),
           fallback(1), kNonNegative, "", "Attrition x this while enrolled."},
      }});

  sections.push_back(Section{
      "programs[].after_completion",
      "Effects after completing the program.",
      &typeid(AfterCompletion),
      {
          {"attrition_multiplier", K::number, WFSIM_VALUE(AfterCompletion::attrition_multiplier),
           fallback(1), kNonNegative, "", "Attrition x this for the rest of the career."},
          {"salary_multiplier", K::number, WFSIM_VALUE(AfterCompletion::salary_multiplier),
           fallback(1), kNonNegative, "", "Reskilled workers earn the target salary x this."},
      }});

  sections.push_back(Section{
      "mentoring",
      "Mentoring scheme.",
      &typeid(Mentoring),
      {
          {"mentor_roles", K::role_list, WFSIM_VALUE(Mentoring::mentor_roles), required(), kAny, "",
           "Roles that provide mentors."},
          {"mentor_share", K::number, WFSIM_VALUE(Mentoring::mentor_share), fallback(1),
           kProbability, "",
           "Chance that an employee becomes a mentor when first taking a mentor-role position."},
          {"mentees_per_mentor", K::integer, WFSIM_VALUE(Mentoring::mentees_per_mentor),
           fallback(1), Range{1, 10000}, "people", "Maximum concurrent mentees per mentor."},
          {"duration_months", K::number, WFSIM_VALUE(Mentoring::duration_months), fallback(12),
           kPositive, "months", "Length of a pairing."},
          {"active_years", K::window, WFSIM_VALUE(Mentoring::active_years), note("whole horizon"),
           kNonNegative, "years", "[from, to): window for new pairings."},
          {"programs", K::program_list, WFSIM_VALUE(Mentoring::programs), note("[]"), kAny, "",
           "Participants of these programs request a mentor at enrolment."},
          {"new_hires", K::boolean, WFSIM_VALUE(Mentoring::new_hires), fallback(false), kAny, "",
           "External hires into open_to_roles request a mentor at hire."},
          {"open_to_roles", K::role_list, WFSIM_VALUE(Mentoring::open_to_roles), note("[]"), kAny,
           "", "Roles whose employees may request standalone mentoring."},
          {"open_enrollment_rate", K::rate, WFSIM_VALUE(Mentoring::open_enrollment_rate),
           fallback(0), kNonNegative, "1/person-year",
           "Standalone requests per unpaired employee-year (RATE)."},
          {"cost_per_pair_month", K::number, WFSIM_VALUE(Mentoring::cost_per_pair_month),
           fallback(0), kNonNegative, "money/month", "Cost of each pair-month."},
          {"effects", K::section, WFSIM_SECTION(Mentoring::effects), note("defaults"), kAny, "",
           "Effects of a pairing.", nullptr, nullptr, "mentoring.effects"},
      }});

  sections.push_back(
      Section{"mentoring.effects",
              "Effects of a pairing (1 = no effect).",
              &typeid(MentoringEffects),
              {
                  {"mentee_attrition_multiplier", K::number,
                   WFSIM_VALUE(MentoringEffects::mentee_attrition_multiplier), fallback(1),
                   kNonNegative, "", "Mentee attrition x this."},
                  {"mentee_dropout_multiplier", K::number,
                   WFSIM_VALUE(MentoringEffects::mentee_dropout_multiplier), fallback(1),
                   kNonNegative, "", "Mentee dropout x this."},
                  {"mentee_enrollment_multiplier", K::number,
                   WFSIM_VALUE(MentoringEffects::mentee_enrollment_multiplier), fallback(1),
                   kNonNegative, "", "Mentee enrollment_rate x this."},
                  {"duration_multiplier", K::number,
                   WFSIM_VALUE(MentoringEffects::duration_multiplier), fallback(1), kNonNegative,
                   "", "Program duration of a participant mentored at enrolment x this."},
                  {"mentor_attrition_multiplier", K::number,
                   WFSIM_VALUE(MentoringEffects::mentor_attrition_multiplier), fallback(1),
                   kNonNegative, "", "Mentor attrition x this while having at least one mentee."},
              }});

  sections.push_back(
      Section{"budget",
              "Caps on program commitments; omitted = unlimited.",
              &typeid(Budget),
              {
                  {"total", K::number, WFSIM_VALUE(Budget::total), note("unlimited"), kNonNegative,
                   "money", "Cap on cumulative commitments."},
                  {"per_year", K::money_schedule, WFSIM_VALUE(Budget::per_year), note("unlimited"),
                   kNonNegative, "money/year",
                   "Cap on commitments made in year k = [k, k+1): a number or {piecewise: ...}."},
              }});
  return sections;
}

#undef WFSIM_VALUE
#undef WFSIM_SECTION
#undef WFSIM_LIST

// Whether a field of type T can hold a value of `kind`: the tables are
// checked once, when they are built.
bool field_suits(const FieldPtr& field, ParamKind kind) {
  using K = ParamKind;
  return std::visit(
      [kind](auto* pointer) {
        using T = std::remove_pointer_t<decltype(pointer)>;
        if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>)
          return kind == K::number;
        else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, int> ||
                           std::is_same_v<T, std::uint64_t>)
          return kind == K::integer;
        else if constexpr (std::is_same_v<T, bool>)
          return kind == K::boolean;
        else if constexpr (std::is_same_v<T, std::string>)
          return kind == K::text || kind == K::scenario_name || kind == K::id;
        else if constexpr (std::is_enum_v<T>)
          return kind == K::choice;
        else if constexpr (std::is_same_v<T, Rate>)
          return kind == K::rate;
        else if constexpr (std::is_same_v<T, std::optional<PiecewiseConstant>>)
          return kind == K::count_schedule || kind == K::money_schedule;
        else if constexpr (std::is_same_v<T, Distribution>)
          return kind == K::dist;
        else if constexpr (std::is_same_v<T, Window>)
          return kind == K::window;
        else if constexpr (std::is_same_v<T, TenureSteps>)
          return kind == K::tenure_steps;
        else if constexpr (std::is_same_v<T, std::vector<std::string>>)
          return kind == K::role_list || kind == K::program_list;
        else if constexpr (std::is_same_v<T, RoleWeights>)
          return kind == K::role_weights;
        else
          return kind == K::role_rates;
      },
      field);
}

std::vector<Section> checked_sections() {
  std::vector<Section> sections = build_sections();
  for (const Section& s : sections)
    for (const Param& p : s.params) {
      const auto mismatch = [&](const std::string& why) {
        throw std::logic_error(std::string("parameter table ") + s.name + "." + p.key + ": " + why);
      };
      const bool nested = p.kind == ParamKind::section || p.kind == ParamKind::section_list;
      const Binding::Form form = p.kind == ParamKind::section        ? Binding::Form::section
                                 : p.kind == ParamKind::section_list ? Binding::Form::list
                                 : p.kind == ParamKind::path_list || p.kind == ParamKind::file_path
                                     ? Binding::Form::none
                                     : Binding::Form::value;
      if (p.field.form != form) mismatch("the binding does not suit the kind");
      if (form != Binding::Form::none && *p.field.owner != *s.type)
        mismatch("bound to a field of another struct");
      if (nested != (p.section != nullptr)) mismatch("a nested table is named iff nested");
      if (form == Binding::Form::value && !field_suits(p.field.type, p.kind))
        mismatch("the field's type does not suit the kind");
      if (p.kind == ParamKind::choice && !p.choices) mismatch("a choice lists its choices");
    }
  return sections;
}

}  // namespace

std::string escape_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

std::string Range::describe(bool whole) const {
  const std::string what = whole ? "a whole number" : "a number";
  const bool has_lo = !std::isinf(lo);
  const bool has_hi = !std::isinf(hi);
  if (has_lo && has_hi) {
    if (lo == hi) return what + " equal to " + format_bound(lo);
    return what + " in " + (lo_open ? "(" : "[") + format_bound(lo) + ", " + format_bound(hi) +
           (hi_open ? ")" : "]");
  }
  if (has_lo) return what + (lo_open ? " > " : " >= ") + format_bound(lo);
  if (has_hi) return what + (hi_open ? " < " : " <= ") + format_bound(hi);
  return what;
}

std::string Param::default_text() const {
  switch (default_value.form) {
    case Default::Form::required:
      return "";
    case Default::Form::note:
      return default_value.note;
    case Default::Form::number:
      break;
  }
  if (kind == ParamKind::boolean) return default_value.number != 0.0 ? "true" : "false";
  return fmt::format("{}", default_value.number);
}

std::vector<std::string> Param::choice_names() const {
  std::vector<std::string> names;
  if (!choices) return names;
  const std::string all = choices;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = all.find('|', start);
    names.push_back(all.substr(start, bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return names;
}

int Param::choice_index(const std::string& value) const {
  const std::vector<std::string> names = choice_names();
  const auto it = std::find(names.begin(), names.end(), value);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

const Param& Section::param_of(void* object, const void* field) const {
  for (const Param& p : params) {
    const void* address = nullptr;
    if (p.field.form == Binding::Form::value)
      address =
          std::visit([](auto* pointer) -> const void* { return pointer; }, p.field.value(object));
    else if (p.field.form == Binding::Form::section)
      address = p.field.section(object, false);
    if (address == field) return p;
  }
  throw std::logic_error(std::string("no key of ") + name + " fills that field");
}

void apply_defaults(const Section& section, void* object) {
  for (const Param& p : section.params) {
    if (p.field.form == Binding::Form::section) {
      if (void* nested = p.field.section(object, false))
        apply_defaults(detail::section(p.section), nested);
      continue;
    }
    if (p.field.form != Binding::Form::value) continue;
    const Default& d = p.default_value;
    if (d.form == Default::Form::required) continue;
    if (p.kind == ParamKind::choice) {
      const int index = p.choice_index(d.note);
      if (index < 0) throw std::logic_error(std::string("no default choice for ") + p.key);
      std::visit(
          [index](auto* field) {
            using T = std::remove_pointer_t<decltype(field)>;
            if constexpr (std::is_enum_v<T>) *field = static_cast<T>(index);
          },
          p.field.value(object));
      continue;
    }
    if (d.form != Default::Form::number) continue;  // the field's empty value is the default
    const double v = d.number;
    std::visit(
        [v](auto* field) {
          using T = std::remove_pointer_t<decltype(field)>;
          if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>)
            *field = v;
          else if constexpr (std::is_integral_v<T>)
            *field = static_cast<T>(v);
          else if constexpr (std::is_same_v<T, Rate>)
            *field = Rate(v);
          else if constexpr (std::is_same_v<T, Distribution>)
            *field = Distribution::fixed_value(v);
          else
            throw std::logic_error("a number default for a field that holds no number");
        },
        p.field.value(object));
  }
}

const Param* Section::find(const std::string& key) const {
  for (const Param& param : params)
    if (key == param.key) return &param;
  return nullptr;
}

std::vector<std::string> Section::keys() const {
  std::vector<std::string> keys;
  for (const Param& param : params) keys.emplace_back(param.key);
  return keys;
}

const std::vector<Section>& all_sections() {
  static const std::vector<Section> sections = checked_sections();
  return sections;
}

const Section& section(const std::string& name) {
  for (const Section& s : all_sections())
    if (name == s.name) return s;
  throw std::logic_error("no parameter table named " + name);
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string kind_name(ParamKind kind) {
  switch (kind) {
    case ParamKind::integer:
      return "whole number";
    case ParamKind::number:
      return "number";
    case ParamKind::boolean:
      return "true/false";
    case ParamKind::text:
      return "text";
    case ParamKind::scenario_name:
      return "name";
    case ParamKind::id:
      return "id";
    case ParamKind::choice:
      return "choice";
    case ParamKind::rate:
      return "RATE";
    case ParamKind::dist:
      return "DIST";
    case ParamKind::count_schedule:
      return "count or piecewise";
    case ParamKind::money_schedule:
      return "number or piecewise";
    case ParamKind::window:
      return "[from, to)";
    case ParamKind::tenure_steps:
      return "list of [tenure, multiplier]";
    case ParamKind::role_list:
      return "list of role ids";
    case ParamKind::program_list:
      return "list of program ids";
    case ParamKind::role_weights:
      return "map role id -> weight";
    case ParamKind::role_rates:
      return "map role id -> RATE";
    case ParamKind::section:
      return "map";
    case ParamKind::section_list:
      return "list of maps";
    case ParamKind::path_list:
      return "list of paths";
    case ParamKind::file_path:
      return "file path";
  }
  return "?";
}

}  // namespace wfsim::models::detail

namespace wfsim::models {

std::string parameter_reference_markdown() {
  using detail::ParamKind;
  std::ostringstream out;
  out << "# Scenario parameter reference\n\n"
      << "Generated from the loader's parameter tables (schema version 1). A RATE is a number\n"
      << ">= 0 or `{piecewise: [[0, a], [t1, b], ...]}`; a DIST is a number or\n"
      << "`{dist: fixed|exponential|lognormal|gamma|uniform|triangular, ...}`.\n"
      << "\n"
      << "Every number, count, RATE or DIST below the top level (in `roles`, `automation_waves`,\n"
      << "`displacement`, `programs`, `mentoring`, `budget`), and every value of a piecewise\n"
      << "there, may instead be `{uncertain: DIST}` or `{uncertain: DIST, shared: NAME}`: drawn\n"
      << "once per replication, the DIST's support within the key's range (see\n"
      << "scenario-language.md). Breakpoints (times, tenures), window bounds and a DIST's own\n"
      << "parameters cannot be uncertain.\n";
  for (const detail::Section& s : detail::all_sections()) {
    out << "\n## `" << s.name << "`\n\n" << s.intro << "\n\n";
    out << "| key | kind | required | default | range | unit | description |\n";
    out << "|---|---|---|---|---|---|---|\n";
    for (const detail::Param& p : s.params) {
      std::string kind = detail::kind_name(p.kind);
      if (p.kind == ParamKind::choice && p.choices) kind = std::string("one of ") + p.choices;
      if ((p.kind == ParamKind::section || p.kind == ParamKind::section_list) && p.section)
        kind += std::string(" (see `") + p.section + "`)";
      std::string range;
      if (p.range_note) {
        range = p.range_note;
      } else {
        switch (p.kind) {
          case ParamKind::integer:
          case ParamKind::number:
          case ParamKind::rate:
          case ParamKind::dist:
          case ParamKind::count_schedule:
          case ParamKind::money_schedule:
          case ParamKind::tenure_steps:
          case ParamKind::role_weights:
          case ParamKind::role_rates:
            range = p.range.describe(p.kind == ParamKind::integer ||
                                     p.kind == ParamKind::count_schedule);
            break;
          case ParamKind::window:
            range = "0 <= from < to";
            break;
          case ParamKind::scenario_name:
            range = "[a-z0-9_-]+";
            break;
          case ParamKind::id:
            range = "[a-z0-9_]+";
            break;
          default:
            break;
        }
      }
      out << "| `" << p.key << "` | " << detail::escape_cell(kind) << " | "
          << (p.required() ? "yes" : "") << " | " << detail::escape_cell(p.default_text()) << " | "
          << detail::escape_cell(range) << " | " << detail::escape_cell(p.unit) << " | "
          << detail::escape_cell(p.description) << " |\n";
    }
  }
  return out.str();
}

}  // namespace wfsim::models

namespace wfsim::models {

template <class T>
T with_defaults() {
  T object{};
  for (const detail::Section& s : detail::all_sections())
    if (*s.type == typeid(T)) {
      detail::apply_defaults(s, &object);
      return object;
    }
  throw std::logic_error("no parameter table fills this struct");
}

template Scenario with_defaults<Scenario>();
template Role with_defaults<Role>();
template Hiring with_defaults<Hiring>();
template AutomationWave with_defaults<AutomationWave>();
template Displacement with_defaults<Displacement>();
template Program with_defaults<Program>();
template ProgramCost with_defaults<ProgramCost>();
template WhileEnrolled with_defaults<WhileEnrolled>();
template AfterCompletion with_defaults<AfterCompletion>();
template Mentoring with_defaults<Mentoring>();
template MentoringEffects with_defaults<MentoringEffects>();
template Budget with_defaults<Budget>();

}  // namespace wfsim::models
