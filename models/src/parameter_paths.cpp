// PATHs (`roles.a.attrition`, `programs.x.cost.fixed`,
// `automation_waves.0.fraction`, `roles.a.attrition.piecewise.1.1`) bound to
// the typed fields of a Scenario through the parameter table: a value set
// at a path is written into its field, never through YAML text.
#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "composition.h"
#include "parameter_table.h"
#include "wfsim/engine/error.h"
#include "wfsim/models/parameters.h"

namespace wfsim::models {

namespace {

using detail::Binding;
using detail::FieldPtr;
using detail::Param;
using detail::Section;
using engine::InputError;
using engine::SourceMark;

[[noreturn]] void bad_path(const std::string& path, const std::string& why) {
  throw InputError(SourceMark{path}, "", "cannot set " + path + ": " + why);
}

// A whole number written as a path segment ("3"), or -1.
long index_of(const std::string& segment) {
  if (segment.empty() || segment.size() > 9) return -1;
  for (char c : segment)
    if (c < '0' || c > '9') return -1;
  if (segment.size() > 1 && segment[0] == '0') return -1;
  return std::stol(segment);
}

// The value of piece `rest[1]` of a {piecewise: ...}, set from `rest`
// ("piecewise", i, "1"), or the whole function made constant.
PiecewiseConstant with_piece(const PiecewiseConstant& f, const std::vector<std::string>& rest,
                             double value, const std::string& path) {
  if (rest.empty()) return PiecewiseConstant(value);
  const long i =
      rest.size() == 3 && rest[0] == "piecewise" && rest[2] == "1" ? index_of(rest[1]) : -1;
  if (i < 0 || static_cast<std::size_t>(i) >= f.values().size())
    bad_path(path, "expected piecewise.<i>.1 after the key, for the value of piece i");
  std::vector<double> values = f.values();
  values[static_cast<std::size_t>(i)] = value;
  return PiecewiseConstant(f.starts(), std::move(values));
}

// `value` into the field `field` of `param`, the path's segments after the
// key in `rest`.
void set_field(const FieldPtr& field, const Param& param, const std::vector<std::string>& rest,
               double value, const std::string& path) {
  if (!std::isfinite(value) || !param.range.contains(value))
    bad_path(path, fmt::format("{} is outside its legal range ({})", value,
                               param.range.describe(param.whole())));
  if (param.whole() && value != std::round(value))
    bad_path(path, fmt::format("{} is not a whole number", value));
  const auto no_rest = [&] {
    if (!rest.empty()) bad_path(path, "the key " + std::string(param.key) + " holds one number");
  };
  std::visit(
      [&](auto* f) {
        using T = std::remove_pointer_t<decltype(f)>;
        if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>) {
          no_rest();
          *f = value;
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, int>) {
          no_rest();
          *f = static_cast<T>(value);
        } else if constexpr (std::is_same_v<T, Rate>) {
          *f = with_piece(*f, rest, value, path);
        } else if constexpr (std::is_same_v<T, std::optional<PiecewiseConstant>>) {
          *f = with_piece(f->value_or(PiecewiseConstant(value)), rest, value, path);
        } else if constexpr (std::is_same_v<T, Distribution>) {
          no_rest();
          *f = Distribution::fixed_value(value);
        } else if constexpr (std::is_same_v<T, detail::TenureSteps>) {
          const long i = rest.size() == 2 && rest[1] == "1" ? index_of(rest[0]) : -1;
          if (i < 0 || static_cast<std::size_t>(i) >= f->size())
            bad_path(path, "expected <i>.1 after the key, for the multiplier of step i");
          (*f)[static_cast<std::size_t>(i)].second = value;
        } else if constexpr (std::is_same_v<T, detail::RoleWeights> ||
                             std::is_same_v<T, detail::RoleRates>) {
          if (rest.empty()) bad_path(path, "expected a role id after the key");
          for (auto& [role, entry] : *f)
            if (role == rest[0]) {
              if constexpr (std::is_same_v<T, detail::RoleWeights>) {
                if (rest.size() != 1) bad_path(path, "a weight is one number");
                entry = value;
              } else {
                entry = with_piece(entry, {rest.begin() + 1, rest.end()}, value, path);
              }
              return;
            }
          bad_path(path, "the scenario does not set " + rest[0] + " under " + param.key);
        } else {
          bad_path(path, "the key " + std::string(param.key) + " does not hold a number");
        }
      },
      field);
}

}  // namespace

void set_number_at_path(Scenario& scenario, const std::string& path, double value) {
  const std::vector<std::string> segments = detail::split_path(path, SourceMark{path});
  const Section* section = &detail::section("scenario");
  void* object = &scenario;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Param* param = section->find(segments[i]);
    if (!param) bad_path(path, "no key " + segments[i] + " in " + section->name);
    switch (param->field.form) {
      case Binding::Form::none:
        bad_path(path, std::string("the key ") + param->key + " holds no number");
      case Binding::Form::value:
        set_field(param->field.value(object), *param, {segments.begin() + i + 1, segments.end()},
                  value, path);
        return;
      case Binding::Form::section:
        object = param->field.section(object, false);
        if (!object) bad_path(path, std::string("the scenario has no ") + param->key);
        section = &detail::section(param->section);
        break;
      case Binding::Form::list: {
        if (++i == segments.size()) bad_path(path, "expected an item after " + segments[i - 1]);
        const Section& items = detail::section(param->section);
        const std::size_t count = param->field.size(object);
        void* item = nullptr;
        for (std::size_t k = 0; k < count && !item; ++k) {
          void* candidate = param->field.item(object, k);
          if (items.items_have_ids) {
            const std::string& id =
                *std::get<std::string*>(items.find("id")->field.value(candidate));
            if (id == segments[i]) item = candidate;
          } else if (index_of(segments[i]) == static_cast<long>(k)) {
            item = candidate;
          }
        }
        if (!item) bad_path(path, "no item " + segments[i] + " in " + param->key);
        object = item;
        section = &items;
        break;
      }
    }
  }
  bad_path(path, "it names a section, not a number");
}

}  // namespace wfsim::models
