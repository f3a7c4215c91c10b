// The scenario schema as data: every section's keys, declared once, with
// kind, default, legal range, unit, a one-line description and the field of
// the plain struct (scenario.h) the key fills. The loader reads, validates
// and fills the structs from these tables; paths (`--set`, sweeps, uncertain
// parameters) reach the fields through them; the parameter reference in the
// docs is rendered from them.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include "wfsim/models/scenario.h"

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

using TenureSteps = std::vector<std::pair<double, double>>;
using RoleWeights = std::vector<std::pair<std::string, double>>;
using RoleRates = std::vector<std::pair<std::string, Rate>>;

// A typed pointer to the field a key fills.
using FieldPtr = std::variant<double*, std::optional<double>*, std::int64_t*, int*, std::uint64_t*,
                              bool*, std::string*, Program::Type*, Displacement::First*, Rate*,
                              std::optional<PiecewiseConstant>*, Distribution*, Window*,
                              TenureSteps*, std::vector<std::string>*, RoleWeights*, RoleRates*>;

// How a key reaches its field in an object of the section's struct. Value
// keys give a FieldPtr; a nested section gives its object (made on the
// first reach when the section is optional); a list gives its items.
struct Binding {
  enum class Form { none, value, section, list };
  Form form = Form::none;
  const std::type_info* owner = nullptr;  // the section's struct
  FieldPtr (*value)(void* object) = nullptr;
  FieldPtr type;  // a null pointer of the value's type, to check the tables
  // Section: the nested object, or nullptr when it is absent and !create.
  void* (*section)(void* object, bool create) = nullptr;
  // List: the number of items, item i, and a new item at the end.
  std::size_t (*size)(void* object) = nullptr;
  void* (*item)(void* object, std::size_t index) = nullptr;
  void* (*append)(void* object) = nullptr;
};

template <class T>
struct MemberPointer;
template <class S, class T>
struct MemberPointer<T S::*> {
  using Owner = S;
  using Type = T;
};

template <auto Member>
Binding value_field() {
  using Owner = typename MemberPointer<decltype(Member)>::Owner;
  Binding b;
  b.form = Binding::Form::value;
  b.owner = &typeid(Owner);
  b.value = [](void* object) { return FieldPtr(&(static_cast<Owner*>(object)->*Member)); };
  b.type = static_cast<typename MemberPointer<decltype(Member)>::Type*>(nullptr);
  return b;
}

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <auto Member>
Binding section_field() {
  using Owner = typename MemberPointer<decltype(Member)>::Owner;
  using Type = typename MemberPointer<decltype(Member)>::Type;
  Binding b;
  b.form = Binding::Form::section;
  b.owner = &typeid(Owner);
  b.section = [](void* object, bool create) -> void* {
    Type& field = static_cast<Owner*>(object)->*Member;
    if constexpr (IsOptional<Type>::value) {
      if (!field && !create) return nullptr;
      if (!field) field.emplace();
      return &*field;
    } else {
      return &field;
    }
  };
  return b;
}

template <auto Member>
Binding list_field() {
  using Owner = typename MemberPointer<decltype(Member)>::Owner;
  Binding b;
  b.form = Binding::Form::list;
  b.owner = &typeid(Owner);
  b.size = [](void* object) { return (static_cast<Owner*>(object)->*Member).size(); };
  b.item = [](void* object, std::size_t i) -> void* {
    return &(static_cast<Owner*>(object)->*Member)[i];
  };
  b.append = [](void* object) -> void* {
    auto& list = static_cast<Owner*>(object)->*Member;
    list.emplace_back();
    return &list.back();
  };
  return b;
}

// A key's default: none (required), a number (also for booleans, counts,
// RATEs and DISTs: the constant), or a note for the docs where the default
// is the field's empty value ("unlimited", "the id", "whole horizon") or,
// for a choice, the name of the default choice.
struct Default {
  enum class Form { required, number, note };
  Form form = Form::required;
  double number = 0.0;
  const char* note = "";
};
inline constexpr Default required() {
  return Default{};
}
inline constexpr Default fallback(double number) {
  return Default{Default::Form::number, number, ""};
}
inline constexpr Default note(const char* text) {
  return Default{Default::Form::note, 0.0, text};
}

struct Param {
  const char* key;
  ParamKind kind;
  Binding field;
  Default default_value;
  Range range;
  const char* unit;
  const char* description;
  const char* choices = nullptr;     // choice: "a|b|c", in the order of the enum
  const char* range_note = nullptr;  // overrides the rendered range in docs and messages
  const char* section = nullptr;     // section/section_list: the nested table's name
  bool up_to_horizon = false;        // a time in [0, horizon_years]

  bool required() const { return default_value.form == Default::Form::required; }
  bool whole() const { return kind == ParamKind::integer || kind == ParamKind::count_schedule; }
  // The default as the docs show it ("" when required).
  std::string default_text() const;
  // The index of a choice in `choices`, or -1.
  int choice_index(const std::string& value) const;
  std::vector<std::string> choice_names() const;
};

struct Section {
  const char* name;   // "roles[]", "programs[].cost", ...
  const char* intro;  // one line for the docs
  const std::type_info* type;
  std::vector<Param> params;
  // List items: whether they have ids (else they are addressed by index),
  // and what one is called in messages.
  bool items_have_ids = false;
  const char* item_noun = "";

  const Param* find(const std::string& key) const;
  std::vector<std::string> keys() const;
  // The key whose field is `field` in `object` (an object of this section's
  // struct); throws std::logic_error when none is.
  const Param& param_of(void* object, const void* field) const;
};

// Section tables by name: "scenario", "roles[]", "roles[].hiring",
// "automation_waves[]", "displacement", "programs[]", "programs[].cost",
// "programs[].while_enrolled", "programs[].after_completion", "mentoring",
// "mentoring.effects", "budget".
const Section& section(const std::string& name);
const std::vector<Section>& all_sections();

// Sets every field of `object` (of section's struct) that has a default to
// it, nested sections included (optional ones stay absent).
void apply_defaults(const Section& section, void* object);

// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

std::string kind_name(ParamKind kind);

// Escapes a Markdown table cell.
std::string escape_cell(const std::string& text);

}  // namespace wfsim::models::detail
