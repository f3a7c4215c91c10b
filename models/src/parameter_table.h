// The scenario schema (SPEC §1) as data: every section's keys, declared once,
// with kind, default, legal range, unit and a one-line description. The
// loader validates from these tables and the parameter reference in the docs
// is rendered from them.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace wfsim::models::detail {

enum class ParamKind {
  integer,         // whole number, plain decimal digits
  number,          // real number
  boolean,         // true | false
  text,            // free text
  scenario_name,   // [a-z0-9_-]+
  id,              // [a-z0-9_]+
  choice,          // one of Param::choices
  rate,            // RATE: number or {piecewise: ...}
  dist,            // DIST: number or {dist: ...}
  count_schedule,  // whole number or {piecewise: ...} of whole numbers
  money_schedule,  // number or {piecewise: ...}
  window,          // [from, to)
  tenure_steps,    // [[tenure, multiplier], ...]
  role_list,       // [role id, ...]
  program_list,    // [program id, ...]
  role_weights,    // {role id: weight}
  role_rates,      // {role id: RATE}
  section,         // a nested map with its own table
  section_list,    // a list of maps with their own table
  path_list,       // [section.id, ...] (remove)
  file_path,       // a path relative to the file (extends)
};

// Legal values of a number (or of every number inside a RATE, schedule or
// DIST's support).
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double x) const {
    return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  }
  // "a number >= 0", "a whole number in [1, 10000]", ...
  std::string describe(bool whole) const;
};

struct Param {
  const char* key;
  ParamKind kind;
  bool required;
  const char* default_text;  // as shown in the docs; "" when required
  Range range;
  const char* unit;
  const char* description;
  const char* choices = nullptr;     // choice: "a|b|c"
  const char* range_note = nullptr;  // overrides the rendered range in docs and messages
  const char* section = nullptr;     // section/section_list: the nested table's name
};

struct Section {
  const char* name;   // "roles[]", "programs[].cost", ...
  const char* intro;  // one line for the docs
  std::vector<Param> params;

  const Param* find(const std::string& key) const;
  std::vector<std::string> keys() const;
};

// Section tables by name: "scenario", "roles[]", "roles[].hiring",
// "automation_waves[]", "displacement", "programs[]", "programs[].cost",
// "programs[].while_enrolled", "programs[].after_completion", "mentoring",
// "mentoring.effects", "budget".
const Section& section(const std::string& name);
const std::vector<Section>& all_sections();

// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

std::string kind_name(ParamKind kind);

// Escapes a Markdown table cell.
std::string escape_cell(const std::string& text);

}  // namespace wfsim::models::detail
