#include "parameter_table.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

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

std::vector<Section> build_sections() {
  using K = ParamKind;
  std::vector<Section> sections;

  sections.push_back(Section{
      "scenario",
      "Top level of a scenario file.",
      {
          {"wfsim", K::integer, true, "", Range{1, 1}, "", "Schema version; must be 1."},
          {"name", K::scenario_name, true, "", kAny, "",
           "Scenario name, [a-z0-9_-]+; never inherited through extends."},
          {"description", K::text, false, "\"\"", kAny, "", "Free text."},
          {"extends", K::file_path, false, "none", kAny, "",
           "Base scenario to deep-merge over, relative to this file."},
          {"remove", K::path_list, false, "[]", kAny, "",
           "Items of the base to drop, e.g. [programs.x, roles.y]."},
          {"horizon_years", K::number, true, "", Range{0, 1000, true, false}, "years",
           "Simulated horizon; horizon_years x snapshots_per_year must be a whole number."},
          {"start_year", K::integer, false, "0", Range{-1000000, 1000000}, "",
           "Calendar year of t = 0; a label for outputs only."},
          {"snapshots_per_year", K::integer, false, "12", Range{1, 10000}, "1/year",
           "Trajectory resolution."},
          {"replications", K::integer, false, "100", Range{1, 1e9}, "",
           "Monte Carlo replications; the CLI's -r overrides."},
          {"seed", K::integer, false, "1", Range{0, 18446744073709551615.0}, "",
           "Root random seed; the CLI's -s overrides.", nullptr, "a whole number in [0, 2^64 - 1]"},
          {"roles", K::section_list, true, "", kAny, "", "Job roles; at least one, ids unique.",
           nullptr, nullptr, "roles[]"},
          {"automation_waves", K::section_list, false, "[]", kAny, "", "One-off automation events.",
           nullptr, nullptr, "automation_waves[]"},
          {"displacement", K::section, false, "defaults", kAny, "",
           "What happens to workers without a position.", nullptr, nullptr, "displacement"},
          {"programs", K::section_list, false, "[]", kAny, "",
           "Training programs; ids unique; at most 32.", nullptr, nullptr, "programs[]"},
          {"mentoring", K::section, false, "none", kAny, "", "Mentoring scheme.", nullptr, nullptr,
           "mentoring"},
          {"budget", K::section, false, "unlimited", kAny, "",
           "Caps on program commitments (program costs only).", nullptr, nullptr, "budget"},
      }});

  sections.push_back(Section{
      "roles[]",
      "A job role: its positions, people and flows.",
      {
          {"id", K::id, true, "", kAny, "", "Role id, [a-z0-9_]+, unique."},
          {"name", K::text, false, "the id", kAny, "", "Display name."},
          {"headcount", K::integer, true, "", kNonNegative, "people", "Filled positions at t = 0."},
          {"vacancies", K::integer, false, "0", kNonNegative, "positions",
           "Open positions at t = 0."},
          {"salary", K::number, false, "0", kNonNegative, "money/year", "Salary per year."},
          {"attrition", K::rate, false, "0", kNonNegative, "1/person-year",
           "Voluntary exits per person-year (RATE)."},
          {"tenure_multipliers", K::tenure_steps, false, "[[0, 1]]", kNonNegative, "",
           "[[tenure_years, multiplier], ...]: attrition x multiplier from that tenure on; "
           "first entry at 0."},
          {"initial_tenure_years", K::dist, false, "0", kNonNegative, "years",
           "Tenure of the initial employees at t = 0 (DIST, support >= 0)."},
          {"automation", K::rate, false, "0", kNonNegative, "1/position-year",
           "Eliminations per filled position-year (RATE)."},
          {"growth", K::rate, false, "0", kNonNegative, "1/position-year",
           "New positions per position-year (RATE)."},
          {"new_positions_per_year", K::rate, false, "0", kNonNegative, "positions/year",
           "New positions per year regardless of size (RATE)."},
          {"backfill", K::boolean, false, "true", kAny, "",
           "A vacated position re-opens as a vacancy (else it is closed)."},
          {"transfers", K::role_rates, false, "{}", kNonNegative, "1/person-year",
           "{role_id: RATE}: moves into an open vacancy of that role, without training."},
          {"hiring", K::section, false, "defaults", kAny, "", "External hiring.", nullptr, nullptr,
           "roles[].hiring"},
          {"severance", K::number, false, "0", kNonNegative, "money", "Cost per layoff."},
          {"vacancy_cost_per_month", K::number, false, "0", kNonNegative, "money/month",
           "Output lost per open position-month."},
      }});

  sections.push_back(
      Section{"roles[].hiring",
              "External hiring into a role.",
              {
                  {"enabled", K::boolean, false, "true", kAny, "", "External hiring allowed."},
                  {"cost", K::number, false, "0", kNonNegative, "money", "Cost per external hire."},
                  {"time_to_fill_months", K::number, false, "0", kNonNegative, "months",
                   "Mean of the exponential delay before a hire; 0 = at once."},
              }});

  sections.push_back(
      Section{"automation_waves[]",
              "A one-off automation event.",
              {
                  {"at_year", K::number, true, "", Range{0, kInf}, "years", "When the wave hits.",
                   nullptr, "[0, horizon_years]"},
                  {"role", K::id, true, "", kAny, "", "The role hit (a role id)."},
                  {"fraction", K::number, true, "", kFraction, "",
                   "Each filled position is eliminated independently with this probability."},
              }});

  sections.push_back(
      Section{"displacement",
              "Workers without a position.",
              {
                  {"redeployment_window_months", K::number, false, "3", kNonNegative, "months",
                   "How long a worker without a position waits before being laid off."},
                  {"first", K::choice, false, "redeploy", kAny, "",
                   "Which is tried first: an open vacancy or a program seat.", "redeploy|reskill"},
              }});

  sections.push_back(Section{
      "programs[]",
      "A training program.",
      {
          {"id", K::id, true, "", kAny, "", "Program id, [a-z0-9_]+, unique."},
          {"name", K::text, false, "the id", kAny, "", "Display name."},
          {"type", K::choice, true, "", kAny, "", "Kind of program.",
           "reskilling|upskilling|outskilling|benefit"},
          {"eligible_roles", K::role_list, true, "", kAny, "",
           "Roles whose employees may enrol (at least one)."},
          {"min_tenure_months", K::number, false, "0", kNonNegative, "months",
           "Minimum tenure to enrol."},
          {"target_roles", K::role_weights, false, "", kPositive, "",
           "{role_id: weight > 0}: where graduates are placed; required for reskilling, "
           "only allowed there."},
          {"enrollment_rate", K::rate, false, "0", kNonNegative, "1/person-year",
           "Voluntary enrolment attempts per eligible employee-year (RATE)."},
          {"accepts_displaced", K::boolean, false, "false", kAny, "",
           "Workers without a position from eligible roles get seats."},
          {"capacity", K::count_schedule, false, "unlimited", kNonNegative, "people",
           "Maximum concurrent participants: a whole number or {piecewise: ...}."},
          {"active_years", K::window, false, "whole horizon", kNonNegative, "years",
           "[from, to): window for every enrolment; from < to."},
          {"full_time", K::boolean, false, "false", kAny, "",
           "The position is vacated at enrolment."},
          {"duration_months", K::dist, true, "", kNonNegative, "months",
           "Program length (DIST, support >= 0)."},
          {"dropout", K::rate, false, "0", kNonNegative, "1/person-year",
           "Dropouts per participant-year while enrolled (RATE)."},
          {"cost", K::section, false, "0", kAny, "", "Cost per participant.", nullptr, nullptr,
           "programs[].cost"},
          {"budget", K::number, false, "unlimited", kNonNegative, "money",
           "Cap on this program's commitments."},
          {"while_enrolled", K::section, false, "defaults", kAny, "", "Effects while enrolled.",
           nullptr, nullptr, "programs[].while_enrolled"},
          {"after_completion", K::section, false, "defaults", kAny, "",
           "Effects for the rest of the career.", nullptr, nullptr, "programs[].after_completion"},
          {"placement_window_months", K::number, false, "6", kNonNegative, "months",
           "Reskilling: how long a graduate waits for a target-role vacancy."},
      }});

  sections.push_back(
      Section{"programs[].cost",
              "Cost per participant.",
              {
                  {"fixed", K::number, false, "0", kNonNegative, "money", "Paid at enrolment."},
                  {"per_month", K::number, false, "0", kNonNegative, "money/month",
                   "Paid per month enrolled."},
              }});

  sections.push_back(Section{"programs[].while_enrolled",
                             "Effects while enrolled.",
                             {
                                 {"attrition_multiplier", K::number, false, "1", kNonNegative, "",
                                  "Attrition x this while enrolled."},
                             }});

  sections.push_back(Section{"programs[].after_completion",
                             "Effects after completing the program.",
                             {
                                 {"attrition_multiplier", K::number, false, "1", kNonNegative, "",
                                  "Attrition x this for the rest of the career."},
                                 {"salary_multiplier", K::number, false, "1", kNonNegative, "",
                                  "Reskilled workers earn the target salary x this."},
                             }});

  sections.push_back(Section{
      "mentoring",
      "Mentoring scheme.",
      {
          {"mentor_roles", K::role_list, true, "", kAny, "", "Roles that provide mentors."},
          {"mentor_share", K::number, false, "1", kProbability, "",
           "Chance that an employee becomes a mentor when first taking a mentor-role position."},
          {"mentees_per_mentor", K::integer, false, "1", Range{1, 10000}, "people",
           "Maximum concurrent mentees per mentor."},
          {"duration_months", K::number, false, "12", kPositive, "months", "Length of a pairing."},
          {"active_years", K::window, false, "whole horizon", kNonNegative, "years",
           "[from, to): window for new pairings."},
          {"programs", K::program_list, false, "[]", kAny, "",
           "Participants of these programs request a mentor at enrolment."},
          {"new_hires", K::boolean, false, "false", kAny, "",
           "External hires into open_to_roles request a mentor at hire."},
          {"open_to_roles", K::role_list, false, "[]", kAny, "",
           "Roles whose employees may request standalone mentoring."},
          {"open_enrollment_rate", K::rate, false, "0", kNonNegative, "1/person-year",
           "Standalone requests per unpaired employee-year (RATE)."},
          {"cost_per_pair_month", K::number, false, "0", kNonNegative, "money/month",
           "Cost of each pair-month."},
          {"effects", K::section, false, "defaults", kAny, "", "Effects of a pairing.", nullptr,
           nullptr, "mentoring.effects"},
      }});

  sections.push_back(
      Section{"mentoring.effects",
              "Effects of a pairing (1 = no effect).",
              {
                  {"mentee_attrition_multiplier", K::number, false, "1", kNonNegative, "",
                   "Mentee attrition x this."},
                  {"mentee_dropout_multiplier", K::number, false, "1", kNonNegative, "",
                   "Mentee dropout x this."},
                  {"mentee_enrollment_multiplier", K::number, false, "1", kNonNegative, "",
                   "Mentee enrollment_rate x this."},
                  {"duration_multiplier", K::number, false, "1", kNonNegative, "",
                   "Program duration of a participant mentored at enrolment x this."},
                  {"mentor_attrition_multiplier", K::number, false, "1", kNonNegative, "",
                   "Mentor attrition x this while having at least one mentee."},
              }});

  sections.push_back(
      Section{"budget",
              "Caps on program commitments; omitted = unlimited.",
              {
                  {"total", K::number, false, "unlimited", kNonNegative, "money",
                   "Cap on cumulative commitments."},
                  {"per_year", K::money_schedule, false, "unlimited", kNonNegative, "money/year",
                   "Cap on commitments made in year k = [k, k+1): a number or {piecewise: ...}."},
              }});
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
  static const std::vector<Section> sections = build_sections();
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
          << (p.required ? "yes" : "") << " | " << detail::escape_cell(p.default_text) << " | "
          << detail::escape_cell(range) << " | " << detail::escape_cell(p.unit) << " | "
          << detail::escape_cell(p.description) << " |\n";
    }
  }
  return out.str();
}

}  // namespace wfsim::models
