#include "wfsim/models/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "composition.h"
#include "node_values.h"
#include "parameter_table.h"
#include "section_reader.h"
#include "uncertain_reader.h"
#include "wfsim/engine/error.h"
#include "wfsim/models/parameters.h"
#include "yaml_tree.h"

namespace wfsim::models {

namespace {

using namespace detail;
using engine::InputError;
using engine::SourceMark;

constexpr std::int64_t kMaxSnapshots = 1'000'000;

// The resolved tree into a Scenario: the tables read every key; what is
// particular to a section (cross-references, the horizon's resolution,
// what the machine can hold) is checked here, as each object is read.
class Converter : private SectionReader {
 public:
  Converter() : SectionReader(&uncertainty_) {}

  const std::vector<UncertainParameter>& uncertain_parameters() const {
    return uncertainty_.parameters();
  }

  Scenario convert(const YamlNode& root) {
    const Section& top = section("scenario");
    Scenario s;
    if (root.is_map()) {
      // Composition is resolved before conversion; what is left here came
      // from an override.
      if (const YamlNode* extends = root.find("extends"))
        fail(*extends, "extends", "extends is only allowed in a scenario file, not with --set");
      if (const YamlNode* remove = root.find("remove"))
        fail(*remove, "remove", "remove is only allowed in a scenario file, not with --set");
      for (const YamlEntry& entry : root.entries)
        if (is_uncertain(entry.value))
          fail(entry.value, entry.key,
               entry.key +
                   " cannot be uncertain (only numbers in roles, automation_waves, "
                   "displacement, programs, mentoring and budget can be)");
      // The schema version first: another version's keys mean other things.
      const char* version_key = top.param_of(&s, &s.schema_version).key;
      if (const YamlNode* version_node = root.find(version_key)) {
        const std::int64_t version = to_int64(*version_node, version_key, Range{});
        if (version != kSchemaVersion)
          fail(*version_node, version_key,
               "unsupported schema version " + version_node->value + " (this wfsim reads version " +
                   std::to_string(kSchemaVersion) + ")");
      }
    }
    read(root, top, "", &s);
    return s;
  }

 private:
  void after_values(const Section& section, void* object, const YamlNode& node,
                    const std::string& path) override {
    const std::string name = section.name;
    if (name == "scenario")
      check_resolution(section, *static_cast<Scenario*>(object), node);
    else if (name == "roles[]")
      check_role(section, *static_cast<Role*>(object), node, path);
    else if (name == "automation_waves[]")
      check_wave(section, *static_cast<AutomationWave*>(object), node, path);
    else if (name == "programs[]")
      check_program(section, *static_cast<Program*>(object), node, path);
  }

  void before_list(const Param& list, const std::vector<ListItem>& items,
                   const YamlNode* node) override {
    const std::string name = list.section;
    if (name == "roles[]" && items.empty()) fail(*node, list.key, "needs at least one role");
    if (name == "programs[]" && items.size() > kMaxPrograms)
      fail(*node, list.key,
           "at most " + std::to_string(kMaxPrograms) + " programs are supported, got " +
               std::to_string(items.size()));
  }

  void after_list(const Param& list, const std::vector<ListItem>& items, void* owner) override {
    if (std::string(list.section) == "roles[]")
      check_position_growth(static_cast<Scenario*>(owner)->roles, items);
  }

  // The key of `field` in `object` (of `section`'s struct) and its path.
  static std::string key_path(const Section& section, void* object, const void* field,
                              const std::string& path) {
    return join(path, section.param_of(object, field).key);
  }

  void check_resolution(const Section& section, Scenario& s, const YamlNode& node) {
    const std::string horizon_key = key_path(section, &s, &s.horizon_years, "");
    const YamlNode& horizon_node = *node.find(horizon_key);
    const double snapshots = s.horizon_years * s.snapshots_per_year;
    if (std::abs(snapshots - std::round(snapshots)) > 1e-9)
      fail(horizon_node, horizon_key,
           "horizon_years x snapshots_per_year must be a whole number, got " + horizon_node.value +
               " x " + std::to_string(s.snapshots_per_year));
    if (std::round(snapshots) < 1)
      fail(horizon_node, horizon_key,
           "horizon_years x snapshots_per_year must be at least 1 (one snapshot interval)");
    if (std::round(snapshots) > static_cast<double>(kMaxSnapshots))
      fail(horizon_node, horizon_key,
           "horizon_years x snapshots_per_year is more than " + std::to_string(kMaxSnapshots) +
               " snapshots");
    horizon_ = s.horizon_years;
    set_horizon(horizon_);
  }

  // A display name defaults to the id.
  static void default_name(const Section& section, void* object, std::string& name,
                           const std::string& id, const YamlNode& node) {
    if (!node.find(section.param_of(object, &name).key)) name = id;
  }

  void check_role(const Section& section, Role& role, const YamlNode& node,
                  const std::string& path) {
    default_name(section, &role, role.name, role.id, node);
    for (const std::int64_t* count : {&role.headcount, &role.vacancies}) {
      const std::string key = section.param_of(&role, count).key;
      const std::string count_path = join(path, key);
      const YamlNode* n = node.find(key);
      // An uncertain count is checked at the largest value it can draw.
      const UncertainParameter* p = uncertainty_.find(spec_path(count_path));
      const double most = p ? p->highest : static_cast<double>(*count);
      if (n && most > static_cast<double>(LoaderLimits::max_initial_positions - positions_))
        fail(*n, count_path,
             "initial positions (headcount + vacancies over all roles) would reach more than " +
                 std::to_string(LoaderLimits::max_initial_positions) +
                 ": this machine cannot hold " +
                 (p ? "up to " + fmt::format("{}", most) : n->value) + " " + key +
                 " (per replication)");
      positions_ += static_cast<std::int64_t>(most);
    }
    const std::string transfers = key_path(section, &role, &role.transfers, path);
    for (const auto& entry : role.transfers)
      if (entry.first == role.id)
        fail(*node.find(section.param_of(&role, &role.transfers).key)->find(entry.first),
             transfers + "." + entry.first, "a role cannot transfer to itself");
  }

  void check_wave(const Section& section, AutomationWave& wave, const YamlNode& node,
                  const std::string& path) {
    const std::string key = section.param_of(&wave, &wave.role).key;
    const std::vector<std::string>& roles = role_ids();
    if (std::find(roles.begin(), roles.end(), wave.role) == roles.end())
      fail(*node.find(key), join(path, key),
           "unknown role \"" + wave.role + "\"" + id_suggestion(wave.role, roles, "known roles"));
  }

  void check_program(const Section& section, Program& p, const YamlNode& node,
                     const std::string& path) {
    default_name(section, &p, p.name, p.id, node);
    const std::string targets_key = section.param_of(&p, &p.target_roles).key;
    const YamlNode* targets = node.find(targets_key);
    const std::string targets_path = join(path, targets_key);
    if (p.type == Program::Type::reskilling && !targets)
      fail(node, targets_path,
           "missing required key \"" + targets_key + "\" (required for reskilling programs)");
    if (p.type != Program::Type::reskilling && targets) {
      const Param& type = section.param_of(&p, &p.type);
      fail(*targets, targets_path,
           targets_key + " is only allowed for reskilling programs (this one is " +
               type.choice_names()[static_cast<std::size_t>(p.type)] + ")");
    }
    if (targets && p.target_roles.empty())
      fail(*targets, targets_path, "needs at least one target role");
  }

  // The largest value the number at `path` (a count, or a RATE with its
  // piecewise values) can take in a replication: `nominal`, or above it
  // when the number or one of its values is {uncertain}.
  double highest(double nominal, const std::string& path) const {
    const std::string exact = spec_path(path);
    const std::string inside = exact + ".";
    double most = nominal;
    for (const UncertainParameter& p : uncertainty_.parameters())
      if (p.path == exact || p.path.compare(0, inside.size(), inside) == 0)
        most = std::max(most, p.highest);
    return most;
  }

  // Sizes the machine cannot hold are errors before anything runs, and
  // growth makes positions too. Each role's mean positions at its highest
  // rates, N + (N + n/g)(e^(gT) - 1) (N + nT without growth), count towards
  // the limit of the initial positions, summed over roles.
  void check_position_growth(std::vector<Role>& roles, const std::vector<ListItem>& items) const {
    const Section& section = detail::section("roles[]");
    double positions = static_cast<double>(positions_);
    for (std::size_t i = 0; i < roles.size(); ++i) {
      Role& role = roles[i];
      const std::string& path = items[i].path;
      const double g =
          highest(role.growth.max_value(), key_path(section, &role, &role.growth, path));
      const std::string new_positions =
          key_path(section, &role, &role.new_positions_per_year, path);
      const double n = highest(role.new_positions_per_year.max_value(), new_positions);
      if (g <= 0.0 && n <= 0.0) continue;
      const double N = highest(static_cast<double>(role.headcount),
                               key_path(section, &role, &role.headcount, path)) +
                       highest(static_cast<double>(role.vacancies),
                               key_path(section, &role, &role.vacancies, path));
      const double grown = g > 0.0 ? (N + n / g) * std::expm1(g * horizon_) : n * horizon_;
      // 0 * inf (no positions to grow, explosive rate) adds none.
      if (!std::isnan(grown)) positions += grown;
      if (positions <= static_cast<double>(LoaderLimits::max_initial_positions)) continue;
      const std::string key =
          section.param_of(&role, g > 0.0 ? &role.growth : &role.new_positions_per_year).key;
      const YamlNode* node = items[i].node->find(key);
      fail(node ? *node : *items[i].node, join(path, key),
           fmt::format("positions (initial, and added by growth at the highest rates, over all "
                       "roles) would reach about {:.3g} over the horizon: this machine cannot "
                       "hold more than {} (per replication)",
                       positions, LoaderLimits::max_initial_positions));
    }
  }

  Uncertainty uncertainty_;
  double horizon_ = 0.0;
  std::int64_t positions_ = 0;  // initial positions of the roles read so far, at their highest
};

}  // namespace

Override parse_override(const std::string& argument) {
  const std::size_t equals = argument.find('=');
  if (equals == std::string::npos)
    throw InputError(SourceMark{"--set"}, "",
                     "expected PATH=VALUE, got " + show(argument) + " (no '=')");
  std::string path = argument.substr(0, equals);
  const auto not_space = [](char c) { return c != ' ' && c != '\t'; };
  path.erase(path.begin(), std::find_if(path.begin(), path.end(), not_space));
  path.erase(std::find_if(path.rbegin(), path.rend(), not_space).base(), path.end());
  if (path.empty())
    throw InputError(SourceMark{"--set"}, "",
                     "expected PATH=VALUE, got " + show(argument) + " (no path before '=')");
  split_path(path, SourceMark{"--set " + path});
  return Override{path, argument.substr(equals + 1)};
}

Scenario load_scenario_text(const std::string& text, const std::string& origin,
                            const std::vector<Override>& overrides) {
  ExtendsChain chain;
  std::error_code error;
  const std::string canonical = std::filesystem::weakly_canonical(origin, error).string();
  chain.files.push_back(error ? origin : canonical);
  chain.bytes = text.size();
  YamlNode root = resolve_extends(detail::parse_yaml(text, origin), origin, chain);
  for (const Override& override_ : overrides) {
    if (!root.is_map()) break;  // conversion reports it
    apply_override(root, override_);
  }
  Converter converter;
  Scenario scenario = converter.convert(root);
  scenario.source_file = origin;
  scenario.resolved_yaml = detail::emit_yaml(root);
  scenario.uncertain_parameters = converter.uncertain_parameters();
  return scenario;
}

Scenario scenario_with_values(const Scenario& scenario, const std::vector<double>& values) {
  const std::size_t count = scenario.uncertain_parameters.size();
  if (values.size() != count)
    throw std::invalid_argument("scenario_with_values: " + std::to_string(values.size()) +
                                " values for " + std::to_string(count) + " uncertain parameters");
  Scenario drawn = scenario;
  drawn.uncertain_parameters.clear();
  for (std::size_t i = 0; i < count; ++i)
    set_number_at_path(drawn, scenario.uncertain_parameters[i].path, values[i]);
  return drawn;
}

double number_at_path(const Scenario& scenario, const std::string& path) {
  const SourceMark mark{path};
  const std::vector<std::string> segments = split_path(path, mark);
  YamlNode root = detail::parse_yaml(scenario.resolved_yaml, scenario.source_file, false);
  YamlNode* current = &root;
  std::string walked;
  for (const std::string& segment : segments) {
    YamlNode* next = nullptr;
    if (current->is_map())
      next = current->find(segment);
    else if (current->is_sequence())
      next = find_list_item(*current, segment);
    if (next == nullptr)
      throw InputError(mark, "",
                       "the scenario does not set " + join(walked, segment) +
                           " (a value is perturbed only where the scenario writes it)");
    walked = join(walked, segment);
    current = next;
  }
  char* end = nullptr;
  const double value =
      current->is_scalar() && !current->quoted ? std::strtod(current->value.c_str(), &end) : 0.0;
  if (end == nullptr || end == current->value.c_str() || *end != '\0' || !std::isfinite(value))
    throw InputError(mark, "", path + " is not a single number in the scenario");
  return value;
}

Scenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides) {
  const std::string text = detail::read_input_file(path, LoaderLimits::max_file_bytes);
  return load_scenario_text(text, path, overrides);
}

}  // namespace wfsim::models
