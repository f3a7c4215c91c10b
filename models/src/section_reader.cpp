#include "section_reader.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>

#include "node_values.h"
#include "uncertain_reader.h"
#include "wfsim/engine/error.h"

namespace wfsim::models::detail {

namespace {

using engine::InputError;

constexpr double kInf = std::numeric_limits<double>::infinity();

// What a number key expects, as messages say it.
std::string expected_number(const Param& p, bool whole) {
  return p.range_note ? std::string(whole ? "a whole number in " : "a number in ") + p.range_note
                      : p.range.describe(whole);
}

bool read_boolean(const YamlNode& n, const std::string& path) {
  check_present(n, path, "true or false");
  if (n.is_scalar() && !n.quoted) {
    if (n.value == "true") return true;
    if (n.value == "false") return false;
  }
  std::string message = "expected true or false, got " + got(n);
  static const std::set<std::string> yaml11 = {"yes", "no",  "on",   "off",   "y",    "n",    "Yes",
                                               "No",  "On",  "Off",  "Y",     "N",    "YES",  "NO",
                                               "ON",  "OFF", "True", "False", "TRUE", "FALSE"};
  if (n.is_scalar() && yaml11.count(n.value)) message += " (write true or false in lower case)";
  fail(n, path, message);
}

int read_choice(const YamlNode& n, const Param& p, const std::string& path) {
  const std::vector<std::string> options = p.choice_names();
  std::string list;
  for (const std::string& o : options) list += (list.empty() ? "" : ", ") + o;
  const std::string value = to_text(n, path, "one of " + list);
  const int index = p.choice_index(value);
  if (index < 0) fail(n, path, "expected one of " + list + ", got " + got(n));
  return index;
}

// [from, to) with 0 <= from < to.
Window read_window(const YamlNode& n, const Param& p, const std::string& path) {
  const std::string expected = "a window [from, to) in years";
  check_present(n, path, expected);
  if (!n.is_sequence() || n.items.size() != 2)
    fail(n, path, "expected " + expected + ", got " + got(n));
  Window window;
  window.from = to_number(n.items[0], path + "[0]", p.range);
  window.to = to_number(n.items[1], path + "[1]", p.range);
  if (!(window.from < window.to))
    fail(n, path,
         "empty window: from (" + n.items[0].value + ") must be less than to (" + n.items[1].value +
             ")");
  return window;
}

TenureSteps read_tenure_steps(const YamlNode& n, const Param& p, const std::string& path,
                              Uncertainty* uncertainty) {
  TenureSteps steps;
  const std::string expected = "a list of [tenure_years, multiplier] pairs starting at 0";
  check_present(n, path, expected);
  if (!n.is_sequence() || n.items.empty())
    fail(n, path, "expected " + expected + ", got " + got(n));
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const YamlNode& step = n.items[i];
    const std::string step_path = path + "[" + std::to_string(i) + "]";
    check_present(step, step_path, "a [tenure_years, multiplier] pair");
    if (!step.is_sequence() || step.items.size() != 2)
      fail(step, step_path, "expected a [tenure_years, multiplier] pair, got " + got(step));
    const double tenure =
        to_number(step.items[0], step_path + "[0]", Range{0.0, kInf}, "a tenure >= 0 (years)");
    if (i == 0 && tenure != 0.0)
      fail(step.items[0], step_path + "[0]",
           "the first entry must be at tenure 0, got " + step.items[0].value);
    if (i > 0 && !(tenure > steps.back().first))
      fail(step.items[0], step_path + "[0]",
           "tenures must be strictly increasing, got " + step.items[0].value + " after " +
               n.items[i - 1].items[0].value);
    const double multiplier = to_number_or_uncertain(step.items[1], step_path + "[1]", p.range,
                                                     "a multiplier >= 0", uncertainty);
    steps.emplace_back(tenure, multiplier);
  }
  return steps;
}

// {role_id: value} with known role ids: (id, value node) in order.
std::vector<std::pair<std::string, const YamlNode*>> read_role_map(
    const YamlNode& n, const std::string& path, const std::vector<std::string>& roles) {
  std::vector<std::pair<std::string, const YamlNode*>> result;
  const std::string expected = "a map {role_id: value}";
  check_present(n, path, expected);
  if (!n.is_map()) fail(n, path, "expected " + expected + ", got " + got(n));
  for (const YamlEntry& entry : n.entries) {
    const std::string entry_path = path + "." + entry.key;
    if (std::find(roles.begin(), roles.end(), entry.key) == roles.end())
      throw InputError(
          entry.key_mark(), entry_path,
          "unknown role \"" + entry.key + "\"" + id_suggestion(entry.key, roles, "known roles"));
    result.emplace_back(entry.key, &entry.value);
  }
  return result;
}

}  // namespace

std::vector<ListItem> list_items(const YamlNode* list, const std::string& key, bool with_ids,
                                 const char* what) {
  std::vector<ListItem> items;
  if (!list) return items;
  const std::string expected = std::string("a list of ") + what + "s";
  check_present(*list, key, expected);
  if (!list->is_sequence()) fail(*list, key, "expected " + expected + ", got " + got(*list));
  std::unordered_map<std::string, const YamlNode*> seen;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const YamlNode& item = list->items[i];
    ListItem entry{&item, key + "[" + std::to_string(i) + "]", ""};
    if (with_ids && item.is_map()) {
      if (const YamlNode* id_node = item.find("id")) {
        entry.id = to_id(*id_node, entry.path + ".id", std::string("a ") + what + " id");
        auto [it, inserted] = seen.emplace(entry.id, id_node);
        if (!inserted)
          fail(*id_node, entry.path + ".id",
               std::string("duplicate ") + what + " id \"" + entry.id + "\" (first used at " +
                   it->second->mark().to_string() + ")");
        entry.path = key + "[" + entry.id + "]";
      }
    }
    items.push_back(std::move(entry));
  }
  return items;
}

void SectionReader::read(const YamlNode& node, const Section& section, const std::string& path,
                         void* object) {
  const std::string what = std::string("a map (") + section.name + ")";
  if (node.is_null()) fail(node, path, "missing value (expected " + what + ")");
  if (!node.is_map()) fail(node, path, "expected " + what + ", got " + got(node));
  for (const YamlEntry& entry : node.entries)
    if (!section.find(entry.key))
      throw InputError(entry.key_mark(), join(path, entry.key),
                       "unknown key \"" + entry.key + "\"" + suggestion(entry.key, section.keys()));
  for (const Param& param : section.params)
    if (param.required() && !node.find(param.key))
      fail(node, join(path, param.key), std::string("missing required key \"") + param.key + "\"");

  apply_defaults(section, object);
  // Numbers of the top level are never uncertain.
  Uncertainty* uncertainty = std::strcmp(section.name, "scenario") == 0 ? nullptr : uncertainty_;
  bool values_done = false;
  for (const Param& param : section.params) {
    const YamlNode* value = node.find(param.key);
    switch (param.field.form) {
      case Binding::Form::none:
        break;
      case Binding::Form::value:
        if (value) read_value(*value, section, param, join(path, param.key), object, uncertainty);
        break;
      case Binding::Form::section:
      case Binding::Form::list:
        if (!values_done) after_values(section, object, node, path);
        values_done = true;
        if (param.field.form == Binding::Form::list)
          read_list(value, param, path, object);
        else if (value)
          read(*value, detail::section(param.section), join(path, param.key),
               param.field.section(object, true));
        break;
    }
  }
  if (!values_done) after_values(section, object, node, path);
}

void SectionReader::read_list(const YamlNode* node, const Param& param, const std::string& path,
                              void* object) {
  const Section& items_section = detail::section(param.section);
  const std::vector<ListItem> items = list_items(
      node, join(path, param.key), items_section.items_have_ids, items_section.item_noun);
  before_list(param, items, node);
  if (items_section.items_have_ids) {
    std::vector<std::string>& ids =
        std::strcmp(items_section.name, "roles[]") == 0 ? role_ids_ : program_ids_;
    for (const ListItem& item : items)
      if (!item.id.empty()) ids.push_back(item.id);
  }
  for (const ListItem& item : items)
    read(*item.node, items_section, item.path, param.field.append(object));
  after_list(param, items, object);
}

std::vector<std::string> SectionReader::read_ids(const YamlNode& n, const Param& p,
                                                 const std::string& path) const {
  const bool roles = p.kind == ParamKind::role_list;
  const std::vector<std::string>& known = roles ? role_ids_ : program_ids_;
  const std::string what = roles ? "role" : "program";
  std::vector<std::string> ids;
  const std::string expected = "a list of " + what + " ids";
  check_present(n, path, expected);
  if (!n.is_sequence()) fail(n, path, "expected " + expected + ", got " + got(n));
  if (p.required() && n.items.empty()) fail(n, path, "needs at least one " + what);
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const std::string id = to_id(n.items[i], item_path, "a " + what + " id");
    if (std::find(known.begin(), known.end(), id) == known.end())
      fail(n.items[i], item_path,
           "unknown " + what + " \"" + id + "\"" + id_suggestion(id, known, "known " + what + "s"));
    if (std::find(ids.begin(), ids.end(), id) != ids.end())
      fail(n.items[i], item_path, what + " \"" + id + "\" is listed twice");
    ids.push_back(id);
  }
  return ids;
}

void SectionReader::read_value(const YamlNode& n, const Section& section, const Param& p,
                               const std::string& path, void* object,
                               Uncertainty* uncertainty) const {
  const bool uncertain = uncertainty && is_uncertain(n);
  const FieldPtr field = p.field.value(object);
  switch (p.kind) {
    case ParamKind::integer:
      std::visit(
          [&](auto* f) {
            using T = std::remove_pointer_t<decltype(f)>;
            if constexpr (std::is_same_v<T, std::uint64_t>) {
              const Whole value = to_whole(n, path, p.range);
              if (value.negative) fail(n, path, "expected " + p.range.describe(true));
              *f = value.magnitude;
            } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
              // Ranges of counts are within int64, and so is every legal draw.
              if (uncertain)
                *f = static_cast<T>(
                    uncertainty->value(n, path, p.range, true, expected_number(p, true)));
              else
                *f = static_cast<T>(to_int64(n, path, p.range));
            }
          },
          field);
      return;
    case ParamKind::number: {
      double value = 0.0;
      if (p.up_to_horizon)
        value = to_number_or_uncertain(n, path, Range{0.0, horizon_},
                                       "a time in [0, horizon_years] (years)", uncertainty);
      else if (uncertain)
        value = uncertainty->value(n, path, p.range, false, expected_number(p, false));
      else
        value = to_number(n, path, p.range);
      std::visit(
          [value](auto* f) {
            using T = std::remove_pointer_t<decltype(f)>;
            if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>)
              *f = value;
          },
          field);
      return;
    }
    case ParamKind::boolean:
      *std::get<bool*>(field) = read_boolean(n, path);
      return;
    case ParamKind::text:
      *std::get<std::string*>(field) = to_text(n, path, "text");
      return;
    case ParamKind::scenario_name: {
      const std::string expected = "a name ([a-z0-9_-]+)";
      std::string name = to_text(n, path, expected);
      if (!matches(name, true) || name.size() > kMaxIdLength)
        fail(n, path, "expected " + expected + ", got " + got(n));
      *std::get<std::string*>(field) = std::move(name);
      return;
    }
    case ParamKind::id: {
      // An item's own id, or the id of what the key names ("role").
      const std::string what = std::strcmp(p.key, "id") == 0 ? section.item_noun : p.key;
      *std::get<std::string*>(field) = to_id(n, path, "a " + what + " id");
      return;
    }
    case ParamKind::choice: {
      const int index = read_choice(n, p, path);
      std::visit(
          [index](auto* f) {
            using T = std::remove_pointer_t<decltype(f)>;
            if constexpr (std::is_enum_v<T>) *f = static_cast<T>(index);
          },
          field);
      return;
    }
    case ParamKind::rate:
      *std::get<Rate*>(field) = to_piecewise(n, path, p.range, false, kRateExpected, uncertainty);
      return;
    case ParamKind::count_schedule:
    case ParamKind::money_schedule: {
      const bool whole = p.kind == ParamKind::count_schedule;
      const std::string expected =
          (whole ? "a whole number >= 0" : std::string("a number >= 0")) + " or {piecewise: ...}";
      *std::get<std::optional<PiecewiseConstant>*>(field) =
          to_piecewise(n, path, p.range, whole, expected, uncertainty);
      return;
    }
    case ParamKind::dist:
      *std::get<Distribution*>(field) = uncertain
                                            ? Distribution::fixed_value(uncertainty->value(
                                                  n, path, p.range, false, p.range.describe(false)))
                                            : to_distribution(n, path, p.range);
      return;
    case ParamKind::window:
      *std::get<Window*>(field) = read_window(n, p, path);
      return;
    case ParamKind::tenure_steps:
      *std::get<TenureSteps*>(field) = read_tenure_steps(n, p, path, uncertainty);
      return;
    case ParamKind::role_list:
    case ParamKind::program_list:
      *std::get<std::vector<std::string>*>(field) = read_ids(n, p, path);
      return;
    case ParamKind::role_weights: {
      RoleWeights weights;
      for (const auto& [target, value] : read_role_map(n, path, role_ids_))
        weights.emplace_back(target, to_number_or_uncertain(*value, path + "." + target, p.range,
                                                            "a weight > 0", uncertainty));
      *std::get<RoleWeights*>(field) = std::move(weights);
      return;
    }
    case ParamKind::role_rates: {
      RoleRates rates;
      for (const auto& [target, value] : read_role_map(n, path, role_ids_))
        rates.emplace_back(target, to_piecewise(*value, path + "." + target, p.range, false,
                                                kRateExpected, uncertainty));
      *std::get<RoleRates*>(field) = std::move(rates);
      return;
    }
    case ParamKind::section:
    case ParamKind::section_list:
    case ParamKind::path_list:
    case ParamKind::file_path:
      break;
  }
  throw std::logic_error(std::string("no value reader for ") + p.key);
}

}  // namespace wfsim::models::detail
