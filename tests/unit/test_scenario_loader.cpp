// Scenario loader (SPEC §1, §3 --set): safe parsing, validation, defaults,
// overrides, the resolved text and hostile input.
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "wfsim/engine/error.h"
#include "wfsim/models/scenario_loader.h"

namespace {

namespace fs = std::filesystem;
using wfsim::engine::Distribution;
using wfsim::engine::InputError;
using wfsim::engine::PiecewiseConstant;
using wfsim::models::load_scenario_file;
using wfsim::models::load_scenario_text;
using wfsim::models::Override;
using wfsim::models::parse_override;
using wfsim::models::Program;
using wfsim::models::Scenario;

const char* const kMinimal =
    "wfsim: 1\n"
    "name: minimal\n"
    "horizon_years: 2\n"
    "roles:\n"
    "  - id: a\n"
    "    headcount: 10\n";

// The example of SPEC §1 (without `extends`), with the roles it refers to.
const char* const kFull = R"(wfsim: 1
name: amazon-upskilling-2025
description: free text
horizon_years: 6
start_year: 2019
snapshots_per_year: 12
replications: 1000
seed: 20190711
roles:
  - id: fc_associate
    name: Fulfilment centre associate
    headcount: 150000
    vacancies: 0
    salary: 34000
    attrition: 1.0
    tenure_multipliers: [[0, 3.0], [0.25, 1.2], [1, 0.6]]
    initial_tenure_years: {dist: exponential, mean: 2}
    automation: 0.05
    growth: 0.0
    new_positions_per_year: 0
    backfill: true
    transfers: {data_analyst: 0.02}
    hiring:
      enabled: true
      cost: 4000
      time_to_fill_months: 1.5
    severance: 8000
    vacancy_cost_per_month: 0
  - id: customer_service
    headcount: 2000
    attrition: {piecewise: [[0, 0.02], [2, 0.06]]}
  - id: data_analyst
    name: "Data analyst"
    headcount: 100
    vacancies: 5
    backfill: false
    hiring: {enabled: false}
  - id: software_engineer
    headcount: 50
automation_waves:
  - at_year: 2.0
    role: fc_associate
    fraction: 0.10
displacement:
  redeployment_window_months: 3
  first: reskill
programs:
  - id: technical_academy
    name: Amazon Technical Academy
    type: reskilling
    eligible_roles: [fc_associate, customer_service]
    min_tenure_months: 12
    target_roles: {software_engineer: 1.0, data_analyst: 0.5}
    enrollment_rate: 0.01
    accepts_displaced: true
    capacity: {piecewise: [[0, 2000], [3, 4000]]}
    active_years: [0, 6]
    full_time: false
    duration_months: {dist: lognormal, mean: 9, sd: 2}
    dropout: 0.15
    cost: {fixed: 3000, per_month: 400}
    budget: 100000000
    while_enrolled: {attrition_multiplier: 0.7}
    after_completion:
      attrition_multiplier: 0.8
      salary_multiplier: 1.0
    placement_window_months: 6
  - id: career_choice
    type: outskilling
    eligible_roles: [fc_associate]
    duration_months: {dist: triangular, min: 3, mode: 6, max: 12}
    capacity: 500
    after_completion: {attrition_multiplier: 1.5}
mentoring:
  mentor_roles: [software_engineer]
  mentor_share: 0.2
  mentees_per_mentor: 2
  duration_months: 12
  active_years: [1, 5.5]
  programs: [technical_academy]
  new_hires: false
  open_to_roles: [fc_associate]
  open_enrollment_rate: 0.05
  cost_per_pair_month: 150
  effects:
    mentee_attrition_multiplier: 0.8
    mentee_dropout_multiplier: 0.6
    mentee_enrollment_multiplier: 1.5
    duration_multiplier: 0.9
    mentor_attrition_multiplier: 0.9
budget:
  total: 700000000
  per_year: {piecewise: [[0, 150000000], [2, 100000000]]}
)";

Scenario load(const std::string& text, const std::vector<Override>& overrides = {}) {
  return load_scenario_text(text, "test.yaml", overrides);
}

// The message of the InputError that loading `text` throws ("" if none).
std::string error_of(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    load(text, overrides);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

std::string file_error_of(const std::string& path) {
  try {
    load_scenario_file(path);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

// kMinimal with `line` appended at the top level.
std::string minimal_with(const std::string& extra) {
  return std::string(kMinimal) + extra;
}

// kMinimal with the role's entries extended by `role_lines` (indented 4).
std::string role_with(const std::string& role_lines) {
  return std::string(kMinimal) + role_lines;
}

bool same_piecewise(const PiecewiseConstant& a, const PiecewiseConstant& b) {
  return a.starts() == b.starts() && a.values() == b.values();
}

bool same_dist(const Distribution& a, const Distribution& b) {
  return a.kind == b.kind && a.value == b.value && a.mean == b.mean && a.sd == b.sd &&
         a.min == b.min && a.mode == b.mode && a.max == b.max;
}

void require_same(const Scenario& a, const Scenario& b) {
  REQUIRE(a.schema_version == b.schema_version);
  REQUIRE(a.name == b.name);
  REQUIRE(a.description == b.description);
  REQUIRE(a.horizon_years == b.horizon_years);
  REQUIRE(a.start_year == b.start_year);
  REQUIRE(a.snapshots_per_year == b.snapshots_per_year);
  REQUIRE(a.replications == b.replications);
  REQUIRE(a.seed == b.seed);
  REQUIRE(a.roles.size() == b.roles.size());
  for (std::size_t i = 0; i < a.roles.size(); ++i) {
    const auto& x = a.roles[i];
    const auto& y = b.roles[i];
    REQUIRE(x.id == y.id);
    REQUIRE(x.name == y.name);
    REQUIRE(x.headcount == y.headcount);
    REQUIRE(x.vacancies == y.vacancies);
    REQUIRE(x.salary == y.salary);
    REQUIRE(same_piecewise(x.attrition, y.attrition));
    REQUIRE(x.tenure_multipliers == y.tenure_multipliers);
    REQUIRE(same_dist(x.initial_tenure_years, y.initial_tenure_years));
    REQUIRE(same_piecewise(x.automation, y.automation));
    REQUIRE(same_piecewise(x.growth, y.growth));
    REQUIRE(same_piecewise(x.new_positions_per_year, y.new_positions_per_year));
    REQUIRE(x.backfill == y.backfill);
    REQUIRE(x.transfers.size() == y.transfers.size());
    for (std::size_t k = 0; k < x.transfers.size(); ++k) {
      REQUIRE(x.transfers[k].first == y.transfers[k].first);
      REQUIRE(same_piecewise(x.transfers[k].second, y.transfers[k].second));
    }
    REQUIRE(x.hiring.enabled == y.hiring.enabled);
    REQUIRE(x.hiring.cost == y.hiring.cost);
    REQUIRE(x.hiring.time_to_fill_months == y.hiring.time_to_fill_months);
    REQUIRE(x.severance == y.severance);
    REQUIRE(x.vacancy_cost_per_month == y.vacancy_cost_per_month);
  }
  REQUIRE(a.automation_waves.size() == b.automation_waves.size());
  for (std::size_t i = 0; i < a.automation_waves.size(); ++i) {
    REQUIRE(a.automation_waves[i].at_year == b.automation_waves[i].at_year);
    REQUIRE(a.automation_waves[i].role == b.automation_waves[i].role);
    REQUIRE(a.automation_waves[i].fraction == b.automation_waves[i].fraction);
  }
  REQUIRE(a.displacement.redeployment_window_months == b.displacement.redeployment_window_months);
  REQUIRE(a.displacement.first == b.displacement.first);
  REQUIRE(a.programs.size() == b.programs.size());
  for (std::size_t i = 0; i < a.programs.size(); ++i) {
    const auto& x = a.programs[i];
    const auto& y = b.programs[i];
    REQUIRE(x.id == y.id);
    REQUIRE(x.name == y.name);
    REQUIRE(x.type == y.type);
    REQUIRE(x.eligible_roles == y.eligible_roles);
    REQUIRE(x.min_tenure_months == y.min_tenure_months);
    REQUIRE(x.target_roles == y.target_roles);
    REQUIRE(same_piecewise(x.enrollment_rate, y.enrollment_rate));
    REQUIRE(x.accepts_displaced == y.accepts_displaced);
    REQUIRE(x.capacity.has_value() == y.capacity.has_value());
    if (x.capacity) REQUIRE(same_piecewise(*x.capacity, *y.capacity));
    REQUIRE(x.active_years.from == y.active_years.from);
    REQUIRE(x.active_years.to == y.active_years.to);
    REQUIRE(x.full_time == y.full_time);
    REQUIRE(same_dist(x.duration_months, y.duration_months));
    REQUIRE(same_piecewise(x.dropout, y.dropout));
    REQUIRE(x.cost.fixed == y.cost.fixed);
    REQUIRE(x.cost.per_month == y.cost.per_month);
    REQUIRE(x.budget == y.budget);
    REQUIRE(x.while_enrolled.attrition_multiplier == y.while_enrolled.attrition_multiplier);
    REQUIRE(x.after_completion.attrition_multiplier == y.after_completion.attrition_multiplier);
    REQUIRE(x.after_completion.salary_multiplier == y.after_completion.salary_multiplier);
    REQUIRE(x.placement_window_months == y.placement_window_months);
  }
  REQUIRE(a.mentoring.has_value() == b.mentoring.has_value());
  if (a.mentoring) {
    const auto& x = *a.mentoring;
    const auto& y = *b.mentoring;
    REQUIRE(x.mentor_roles == y.mentor_roles);
    REQUIRE(x.mentor_share == y.mentor_share);
    REQUIRE(x.mentees_per_mentor == y.mentees_per_mentor);
    REQUIRE(x.duration_months == y.duration_months);
    REQUIRE(x.active_years.from == y.active_years.from);
    REQUIRE(x.active_years.to == y.active_years.to);
    REQUIRE(x.programs == y.programs);
    REQUIRE(x.new_hires == y.new_hires);
    REQUIRE(x.open_to_roles == y.open_to_roles);
    REQUIRE(same_piecewise(x.open_enrollment_rate, y.open_enrollment_rate));
    REQUIRE(x.cost_per_pair_month == y.cost_per_pair_month);
    REQUIRE(x.effects.mentee_attrition_multiplier == y.effects.mentee_attrition_multiplier);
    REQUIRE(x.effects.mentee_dropout_multiplier == y.effects.mentee_dropout_multiplier);
    REQUIRE(x.effects.mentee_enrollment_multiplier == y.effects.mentee_enrollment_multiplier);
    REQUIRE(x.effects.duration_multiplier == y.effects.duration_multiplier);
    REQUIRE(x.effects.mentor_attrition_multiplier == y.effects.mentor_attrition_multiplier);
  }
  REQUIRE(a.budget.has_value() == b.budget.has_value());
  if (a.budget) {
    REQUIRE(a.budget->total == b.budget->total);
    REQUIRE(a.budget->per_year.has_value() == b.budget->per_year.has_value());
    if (a.budget->per_year) REQUIRE(same_piecewise(*a.budget->per_year, *b.budget->per_year));
  }
}

// A fresh scratch directory for files written by a test.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("wfsim_loader_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

// ---------------------------------------------------------------------------
// Good scenarios

TEST_CASE("a minimal scenario loads with every default in place", "[loader]") {
  const Scenario s = load(kMinimal);
  CHECK(s.schema_version == 1);
  CHECK(s.name == "minimal");
  CHECK(s.description.empty());
  CHECK(s.source_file == "test.yaml");
  CHECK(s.horizon_years == 2.0);
  CHECK(s.start_year == 0);
  CHECK(s.snapshots_per_year == 12);
  CHECK(s.replications == 100);
  CHECK(s.seed == 1);
  CHECK(s.snapshot_count() == 25);
  REQUIRE(s.roles.size() == 1);
  const auto& role = s.roles[0];
  CHECK(role.id == "a");
  CHECK(role.name == "a");
  CHECK(role.headcount == 10);
  CHECK(role.vacancies == 0);
  CHECK(role.salary == 0.0);
  CHECK(role.attrition.is_zero());
  CHECK(role.tenure_multipliers.empty());
  CHECK(role.initial_tenure_years.kind == Distribution::Kind::fixed);
  CHECK(role.initial_tenure_years.value == 0.0);
  CHECK(role.automation.is_zero());
  CHECK(role.growth.is_zero());
  CHECK(role.new_positions_per_year.is_zero());
  CHECK(role.backfill);
  CHECK(role.transfers.empty());
  CHECK(role.hiring.enabled);
  CHECK(role.hiring.cost == 0.0);
  CHECK(role.hiring.time_to_fill_months == 0.0);
  CHECK(role.severance == 0.0);
  CHECK(role.vacancy_cost_per_month == 0.0);
  CHECK(s.automation_waves.empty());
  CHECK(s.displacement.redeployment_window_months == 3.0);
  CHECK(s.displacement.first == wfsim::models::Displacement::First::redeploy);
  CHECK(s.programs.empty());
  CHECK_FALSE(s.mentoring.has_value());
  CHECK_FALSE(s.budget.has_value());
}

TEST_CASE("program and mentoring defaults follow the spec", "[loader]") {
  const Scenario s =
      load(minimal_with("programs:\n"
                        "  - id: p\n"
                        "    type: upskilling\n"
                        "    eligible_roles: [a]\n"
                        "    duration_months: 6\n"
                        "mentoring:\n"
                        "  mentor_roles: [a]\n"));
  REQUIRE(s.programs.size() == 1);
  const Program& p = s.programs[0];
  CHECK(p.name == "p");
  CHECK(p.type == Program::Type::upskilling);
  CHECK(p.min_tenure_months == 0.0);
  CHECK(p.target_roles.empty());
  CHECK(p.enrollment_rate.is_zero());
  CHECK_FALSE(p.accepts_displaced);
  CHECK_FALSE(p.capacity.has_value());
  CHECK(p.active_years.from == 0.0);
  CHECK(std::isinf(p.active_years.to));
  CHECK_FALSE(p.full_time);
  CHECK(p.duration_months.kind == Distribution::Kind::fixed);
  CHECK(p.duration_months.value == 6.0);
  CHECK(p.dropout.is_zero());
  CHECK(p.cost.fixed == 0.0);
  CHECK(p.cost.per_month == 0.0);
  CHECK_FALSE(p.budget.has_value());
  CHECK(p.while_enrolled.attrition_multiplier == 1.0);
  CHECK(p.after_completion.attrition_multiplier == 1.0);
  CHECK(p.after_completion.salary_multiplier == 1.0);
  CHECK(p.placement_window_months == 6.0);
  REQUIRE(s.mentoring.has_value());
  const auto& m = *s.mentoring;
  CHECK(m.mentor_roles == std::vector<std::string>{"a"});
  CHECK(m.mentor_share == 1.0);
  CHECK(m.mentees_per_mentor == 1);
  CHECK(m.duration_months == 12.0);
  CHECK(m.active_years.from == 0.0);
  CHECK(std::isinf(m.active_years.to));
  CHECK(m.programs.empty());
  CHECK_FALSE(m.new_hires);
  CHECK(m.open_to_roles.empty());
  CHECK(m.open_enrollment_rate.is_zero());
  CHECK(m.cost_per_pair_month == 0.0);
  CHECK(m.effects.mentee_attrition_multiplier == 1.0);
  CHECK(m.effects.mentee_dropout_multiplier == 1.0);
  CHECK(m.effects.mentee_enrollment_multiplier == 1.0);
  CHECK(m.effects.duration_multiplier == 1.0);
  CHECK(m.effects.mentor_attrition_multiplier == 1.0);
}

TEST_CASE("the full example of the spec loads with every value", "[loader]") {
  const Scenario s = load(kFull);
  CHECK(s.name == "amazon-upskilling-2025");
  CHECK(s.start_year == 2019);
  CHECK(s.replications == 1000);
  CHECK(s.seed == 20190711u);
  REQUIRE(s.roles.size() == 4);
  const auto& fc = s.roles[0];
  CHECK(fc.name == "Fulfilment centre associate");
  CHECK(fc.headcount == 150000);
  CHECK(fc.salary == 34000.0);
  CHECK(fc.attrition.value_at(3.0) == 1.0);
  REQUIRE(fc.tenure_multipliers.size() == 3);
  CHECK(fc.tenure_multipliers[1] == std::make_pair(0.25, 1.2));
  CHECK(fc.initial_tenure_years.kind == Distribution::Kind::exponential);
  CHECK(fc.initial_tenure_years.mean == 2.0);
  CHECK(fc.automation.value_at(0.0) == 0.05);
  REQUIRE(fc.transfers.size() == 1);
  CHECK(fc.transfers[0].first == "data_analyst");
  CHECK(fc.transfers[0].second.value_at(0.0) == 0.02);
  CHECK(fc.hiring.cost == 4000.0);
  CHECK(fc.hiring.time_to_fill_months == 1.5);
  CHECK(fc.severance == 8000.0);
  CHECK(s.roles[1].attrition.value_at(1.0) == 0.02);
  CHECK(s.roles[1].attrition.value_at(2.5) == 0.06);
  CHECK(s.roles[2].name == "Data analyst");
  CHECK(s.roles[2].vacancies == 5);
  CHECK_FALSE(s.roles[2].backfill);
  CHECK_FALSE(s.roles[2].hiring.enabled);
  REQUIRE(s.automation_waves.size() == 1);
  CHECK(s.automation_waves[0].at_year == 2.0);
  CHECK(s.automation_waves[0].role == "fc_associate");
  CHECK(s.automation_waves[0].fraction == 0.10);
  CHECK(s.displacement.first == wfsim::models::Displacement::First::reskill);
  REQUIRE(s.programs.size() == 2);
  const Program& ta = s.programs[0];
  CHECK(ta.type == Program::Type::reskilling);
  CHECK(ta.eligible_roles == std::vector<std::string>{"fc_associate", "customer_service"});
  CHECK(ta.min_tenure_months == 12.0);
  REQUIRE(ta.target_roles.size() == 2);
  CHECK(ta.target_roles[1] == std::make_pair(std::string("data_analyst"), 0.5));
  CHECK(ta.accepts_displaced);
  REQUIRE(ta.capacity.has_value());
  CHECK(ta.capacity->value_at(3.5) == 4000.0);
  CHECK(ta.active_years.from == 0.0);
  CHECK(ta.active_years.to == 6.0);
  CHECK(ta.duration_months.kind == Distribution::Kind::lognormal);
  CHECK(ta.duration_months.sd == 2.0);
  CHECK(ta.dropout.value_at(0.0) == 0.15);
  CHECK(ta.cost.fixed == 3000.0);
  CHECK(ta.cost.per_month == 400.0);
  CHECK(ta.budget == 100000000.0);
  CHECK(ta.while_enrolled.attrition_multiplier == 0.7);
  CHECK(ta.after_completion.attrition_multiplier == 0.8);
  const Program& cc = s.programs[1];
  CHECK(cc.type == Program::Type::outskilling);
  CHECK(cc.duration_months.kind == Distribution::Kind::triangular);
  CHECK(cc.duration_months.mode == 6.0);
  CHECK(cc.after_completion.attrition_multiplier == 1.5);
  REQUIRE(s.mentoring.has_value());
  CHECK(s.mentoring->mentor_share == 0.2);
  CHECK(s.mentoring->mentees_per_mentor == 2);
  CHECK(s.mentoring->active_years.from == 1.0);
  CHECK(s.mentoring->active_years.to == 5.5);
  CHECK(s.mentoring->programs == std::vector<std::string>{"technical_academy"});
  CHECK(s.mentoring->effects.duration_multiplier == 0.9);
  REQUIRE(s.budget.has_value());
  CHECK(s.budget->total == 700000000.0);
  REQUIRE(s.budget->per_year.has_value());
  CHECK(s.budget->per_year->value_at(2.0) == 100000000.0);
}

TEST_CASE("the resolved text loads back to an equal scenario", "[loader]") {
  for (const char* text : {kMinimal, kFull}) {
    const Scenario first = load(text);
    const Scenario second = load_scenario_text(first.resolved_yaml, "resolved.yaml");
    require_same(first, second);
    CHECK(second.resolved_yaml == first.resolved_yaml);
  }
}

TEST_CASE("the resolved text keeps key order and numbers as written", "[loader]") {
  const Scenario s = load(minimal_with("seed: 20190711\nbudget: {total: 7.00e8}\n"));
  const std::string& text = s.resolved_yaml;
  CHECK(text.find("7.00e8") != std::string::npos);
  CHECK(text.find("wfsim") < text.find("name"));
  CHECK(text.find("roles") < text.find("seed"));
  CHECK(text.find("seed") < text.find("budget"));
}

TEST_CASE("quoted text and free-text descriptions survive the resolved text", "[loader]") {
  const Scenario s = load(minimal_with("description: \"true: \\\"quoted\\\"\\nsecond line\"\n"));
  const Scenario again = load_scenario_text(s.resolved_yaml, "resolved.yaml");
  CHECK(again.description == "true: \"quoted\"\nsecond line");
}

// ---------------------------------------------------------------------------
// Safe parsing

TEST_CASE("a duplicate key is rejected with both positions", "[loader][parse]") {
  const std::string message = error_of(
      "wfsim: 1\nname: x\nhorizon_years: 1\nroles:\n  - id: a\n    headcount: 1\n"
      "    headcount: 2\n");
  CHECK(message.find("test.yaml:7:5: error:") != std::string::npos);
  CHECK(message.find("duplicate key \"headcount\"") != std::string::npos);
  CHECK(message.find("line 6, column 5") != std::string::npos);
}

TEST_CASE("anchors and aliases are rejected", "[loader][parse]") {
  CHECK_THAT(error_of(minimal_with("description: &d text\n")),
             Catch::Contains("test.yaml:7:14: error: description: anchors (&d) are not supported"));
  CHECK_THAT(error_of(minimal_with("description: *d\n")),
             Catch::Contains("test.yaml:7:14: error: description: aliases (*d) are not supported"));
}

TEST_CASE("errors found while parsing name the key path, list items by id or index",
          "[loader][parse]") {
  CHECK_THAT(error_of(role_with("    hiring: {cost: 1, cost: 2}\n")),
             Catch::Contains("error: roles[a].hiring.cost: duplicate key \"cost\""));
  CHECK_THAT(error_of(minimal_with("automation_waves:\n  - {at_year: 1, at_year: 2}\n")),
             Catch::Contains("error: automation_waves[0].at_year: duplicate key"));
  CHECK_THAT(error_of(minimal_with("programs:\n  - type: !!str benefit\n")),
             Catch::Contains("test.yaml:8:11: error: programs[0].type: explicit tags (!!str)"));
  CHECK_THAT(error_of(role_with("    transfers: {? [x]: 1}\n")),
             Catch::Contains("error: roles[a].transfers: map keys must be plain strings"));
  CHECK_THAT(error_of(role_with("    salary: [1, 2\n")), Catch::Contains("error: roles[a].salary"));
}

TEST_CASE("a UTF-16 or UTF-32 file is named as such", "[loader][parse]") {
  CHECK_THAT(error_of(std::string("\xFF\xFEw\0f\0", 6)),
             Catch::Contains("test.yaml:1:1: error: UTF-16 text (byte order mark)"));
  CHECK_THAT(error_of(std::string("\0\0\xFE\xFF\0\0\0w", 8)), Catch::Contains("UTF-32 text"));
}

TEST_CASE("explicit tags are rejected", "[loader][parse]") {
  CHECK_THAT(error_of(minimal_with("description: !!str text\n")),
             Catch::Contains(
                 "test.yaml:7:14: error: description: explicit tags (!!str) are not supported"));
  CHECK_THAT(error_of(minimal_with("budget: !custom {total: 1}\n")),
             Catch::Contains("explicit tags (!custom)"));
}

TEST_CASE("nesting deeper than the limit is rejected where it happens", "[loader][parse]") {
  std::string deep = "wfsim: 1\ndescription: ";
  deep += std::string(100, '[') + std::string(100, ']');
  CHECK_THAT(
      error_of(deep),
      Catch::Contains(
          "test.yaml:2:77: error: description[0][0][0][0][0][0][0]...: nesting deeper than 64"));
  CHECK_THAT(error_of(std::string(100, '[')), Catch::Contains("nesting deeper than 64"));
  std::string block = "- ";
  for (int i = 0; i < 70; ++i) block += "- ";
  CHECK_THAT(error_of(block), Catch::Contains("nesting deeper than 64"));
}

TEST_CASE("more nodes than the limit are rejected", "[loader][parse]") {
  std::string text = "description:\n";
  for (int i = 0; i < 200001; ++i) text += "- 1\n";
  CHECK_THAT(error_of(text), Catch::Contains("more than 200000 YAML nodes"));
}

TEST_CASE("a scalar longer than the limit is rejected", "[loader][parse]") {
  CHECK_THAT(
      error_of(minimal_with("description: " + std::string(70000, 'x') + "\n")),
      Catch::Contains("test.yaml:7:14: error: description: a scalar of 70000 bytes is longer"));
}

TEST_CASE("non-scalar and missing map keys are rejected", "[loader][parse]") {
  CHECK_THAT(error_of(minimal_with("[a, b]: 1\n")),
             Catch::Contains("test.yaml:7:1: error: map keys must be plain strings"));
  CHECK_THAT(error_of(minimal_with("? {a: 1}\n: 2\n")),
             Catch::Contains("map keys must be plain strings, not a map"));
  CHECK_THAT(error_of(":"), Catch::Contains("a map key is missing"));
}

TEST_CASE("more than one document is rejected", "[loader][parse]") {
  CHECK_THAT(error_of(std::string(kMinimal) + "---\nwfsim: 1\n"),
             Catch::Contains("test.yaml:7:1: error: a second YAML document starts here"));
}

TEST_CASE("an empty file or an empty document is rejected", "[loader][parse]") {
  CHECK_THAT(error_of(""), Catch::Contains("test.yaml:1:1: error: scenario is empty"));
  CHECK_THAT(error_of("# only a comment\n"), Catch::Contains("scenario is empty"));
  CHECK_THAT(error_of("---\n...\n"), Catch::Contains("scenario is empty"));
  CHECK_THAT(error_of("~\n"), Catch::Contains("scenario is empty"));
}

TEST_CASE("malformed YAML reports the parser's position, never hangs", "[loader][parse]") {
  for (const char* text : {",",
                           "[",
                           "{",
                           "- - -",
                           ":",
                           "]",
                           "}",
                           "a: [1, 2",
                           "a: b: c",
                           "'unterminated",
                           "\"unterminated",
                           "? ",
                           "- a\nb: c",
                           "&",
                           "*",
                           "!",
                           "%YAML 1.2\n",
                           "|",
                           ">",
                           "[,]",
                           "{,}",
                           ", ,",
                           "a:\n\t- b"}) {
    INFO("input: " << text);
    const auto start = std::chrono::steady_clock::now();
    const std::string message = error_of(text);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(message.rfind("test.yaml", 0) == 0);
    CHECK(message.find("error:") != std::string::npos);
    CHECK(seconds < 1.0);
  }
}

TEST_CASE("NUL bytes and invalid UTF-8 are rejected with their position", "[loader][parse]") {
  CHECK_THAT(error_of(std::string("wfsim: 1\nna\0me: x\n", 18)),
             Catch::Contains("test.yaml:2:3: error: NUL byte"));
  CHECK_THAT(error_of("wfsim: 1\nname: caf\xe9\n"),
             Catch::Contains("test.yaml:2:10: error: invalid UTF-8"));
  CHECK_THAT(error_of("wfsim: 1\nname: \xc0\xaf\n"), Catch::Contains("invalid UTF-8"));
  CHECK(error_of(minimal_with("description: caf\xc3\xa9 \xe2\x82\xac\n")).empty());
}

TEST_CASE("text larger than the size limit is rejected", "[loader][parse]") {
  const std::string text = minimal_with(
      "description: x\n" + std::string(wfsim::models::LoaderLimits::max_file_bytes, '#'));
  CHECK_THAT(error_of(text), Catch::Contains("larger than the limit"));
}

// ---------------------------------------------------------------------------
// Files

TEST_CASE("a directory, a FIFO or a missing file is rejected before reading", "[loader][file]") {
  const fs::path dir = scratch_dir("files");
  CHECK_THAT(file_error_of(dir.string()),
             Catch::Contains(dir.string() + ": error: cannot read scenario: is a directory"));
  const fs::path fifo = dir / "fifo.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto start = std::chrono::steady_clock::now();
  CHECK_THAT(file_error_of(fifo.string()), Catch::Contains("is a FIFO, not a regular file"));
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.0);
  CHECK_THAT(file_error_of("/dev/null"), Catch::Contains("is a device, not a regular file"));
  CHECK_THAT(file_error_of((dir / "missing.yaml").string()),
             Catch::Contains("cannot read scenario: No such file"));
  const fs::path big = dir / "big.yaml";
  write_file(big,
             std::string(kMinimal) + std::string(wfsim::models::LoaderLimits::max_file_bytes, '#'));
  CHECK_THAT(file_error_of(big.string()),
             Catch::Contains("larger than the limit of 1048576 bytes"));
  const fs::path good = dir / "good.yaml";
  write_file(good, kMinimal);
  CHECK(load_scenario_file(good.string()).source_file == good.string());
  fs::remove_all(dir);
}

// ---------------------------------------------------------------------------
// Numbers, booleans, missing values

TEST_CASE("counts accept only plain decimal whole numbers", "[loader][numbers]") {
  CHECK_THAT(error_of(role_with("    vacancies: 010\n")),
             Catch::Contains("test.yaml:7:16: error: roles[a].vacancies: expected a whole number "
                             ">= 0, got \"010\" (leading zeros are not allowed"));
  CHECK_THAT(error_of(role_with("    vacancies: 0x1F\n")),
             Catch::Contains("expected a whole number >= 0, got \"0x1F\""));
  CHECK_THAT(error_of(role_with("    vacancies: 1.5\n")),
             Catch::Contains("expected a whole number >= 0, got \"1.5\""));
  CHECK_THAT(error_of(role_with("    vacancies: 1e3\n")),
             Catch::Contains("expected a whole number >= 0, got \"1e3\""));
  CHECK_THAT(error_of(role_with("    vacancies: -3\n")),
             Catch::Contains("expected a whole number >= 0, got -3"));
  CHECK_THAT(error_of(minimal_with("replications: 99999999999999999999999\n")),
             Catch::Contains("(too large)"));
  CHECK(load(minimal_with("start_year: -44\n")).start_year == -44);
  CHECK(load(minimal_with("seed: 18446744073709551615\n")).seed == 18446744073709551615ull);
}

TEST_CASE("reals are strict decimal or scientific literals", "[loader][numbers]") {
  CHECK(load(role_with("    salary: 3.4e4\n")).roles[0].salary == 34000.0);
  CHECK(load(role_with("    salary: .5\n")).roles[0].salary == 0.5);
  CHECK(load(role_with("    salary: +7\n")).roles[0].salary == 7.0);
  for (const char* bad :
       {".nan", ".inf", "nan", "inf", "-.inf", "0x1p3", "1e", "1,5", "1_000", "12abc", "1e999"}) {
    INFO(bad);
    CHECK_THAT(error_of(role_with(std::string("    salary: ") + bad + "\n")),
               Catch::Contains("roles[a].salary: expected a number >= 0, got \"" +
                               std::string(bad) + "\""));
  }
  CHECK_THAT(error_of(role_with("    salary: .nan\n")),
             Catch::Contains("not-a-number and infinity are not allowed"));
}

TEST_CASE("a quoted number is a string, not a number", "[loader][numbers]") {
  CHECK_THAT(error_of(role_with("    salary: \"1.0\"\n")),
             Catch::Contains("test.yaml:7:13: error: roles[a].salary: expected a number >= 0, "
                             "got string \"1.0\""));
  CHECK_THAT(error_of(role_with("    vacancies: '3'\n")), Catch::Contains("got string \"3\""));
}

TEST_CASE("booleans are only true or false", "[loader][numbers]") {
  for (const char* bad : {"yes", "no", "on", "off", "y", "n", "True", "1"}) {
    INFO(bad);
    CHECK_THAT(error_of(role_with(std::string("    backfill: ") + bad + "\n")),
               Catch::Contains("roles[a].backfill: expected true or false, got \"" +
                               std::string(bad) + "\""));
  }
  CHECK_THAT(error_of(role_with("    backfill: \"true\"\n")),
             Catch::Contains("got string \"true\""));
  CHECK_FALSE(load(role_with("    backfill: false\n")).roles[0].backfill);
}

TEST_CASE("a key without a value is a missing value", "[loader][numbers]") {
  CHECK_THAT(error_of(role_with("    salary:\n")),
             Catch::Contains("test.yaml:7:5: error: roles[a].salary: missing value"));
  CHECK_THAT(error_of(role_with("    salary: ~\n")),
             Catch::Contains("test.yaml:7:13: error: roles[a].salary: missing value"));
  CHECK_THAT(error_of(role_with("    hiring: null\n")),
             Catch::Contains("roles[a].hiring: missing value"));
}

// ---------------------------------------------------------------------------
// Keys

TEST_CASE("an unknown key is rejected with a did-you-mean suggestion", "[loader][keys]") {
  CHECK_THAT(error_of(role_with("    atrition: 0.1\n")),
             Catch::Contains("test.yaml:7:5: error: roles[a].atrition: unknown key \"atrition\" "
                             "(did you mean \"attrition\"?)"));
  CHECK_THAT(error_of(minimal_with("horizon: 3\n")),
             Catch::Contains("did you mean \"horizon_years\"?"));
  CHECK_THAT(error_of(minimal_with("zzz: 3\n")), Catch::Contains("(known keys: wfsim, name"));
}

TEST_CASE("a missing required key names the parent's position and the key path", "[loader][keys]") {
  CHECK_THAT(error_of("wfsim: 1\nname: x\nroles: [{id: a, headcount: 1}]\n"),
             Catch::Contains("test.yaml:1:1: error: horizon_years: missing required key"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nroles:\n  - id: a\n    name: A\n"),
             Catch::Contains("test.yaml:5:5: error: roles[a].headcount: missing required key "
                             "\"headcount\""));
  CHECK_THAT(
      error_of(minimal_with("programs:\n  - id: p\n    type: benefit\n"
                            "    eligible_roles: [a]\n")),
      Catch::Contains("test.yaml:8:5: error: programs[p].duration_months: missing required"));
  CHECK_THAT(error_of(minimal_with("mentoring: {programs: []}\n")),
             Catch::Contains("mentoring.mentor_roles: missing required key"));
}

TEST_CASE("the top level must be a map", "[loader][keys]") {
  CHECK_THAT(error_of("- a\n- b\n"), Catch::Contains("test.yaml:1:1: error: expected a map"));
  CHECK_THAT(error_of("hello\n"), Catch::Contains("expected a map"));
}

// ---------------------------------------------------------------------------
// RATE, DIST, schedules, windows

TEST_CASE("a RATE is a number >= 0 or a valid piecewise", "[loader][values]") {
  CHECK_THAT(error_of(role_with("    attrition: high\n")),
             Catch::Contains("test.yaml:7:16: error: roles[a].attrition: expected a RATE (number "
                             ">= 0 or {piecewise: ...}), got \"high\""));
  CHECK_THAT(error_of(role_with("    attrition: -0.1\n")), Catch::Contains("expected a RATE"));
  CHECK_THAT(error_of(role_with("    attrition: {piecewise: [[1, 0.1]]}\n")),
             Catch::Contains("roles[a].attrition.piecewise[0][0]: the first breakpoint must be at "
                             "time 0"));
  CHECK_THAT(error_of(role_with("    attrition: {piecewise: [[0, 0.1], [2, 0.2], [2, 0.3]]}\n")),
             Catch::Contains("roles[a].attrition.piecewise[2][0]: breakpoints must be strictly "
                             "increasing"));
  CHECK_THAT(error_of(role_with("    attrition: {piecewise: [[0, 0.1], [2, -1]]}\n")),
             Catch::Contains("roles[a].attrition.piecewise[1][1]: expected a number >= 0"));
  CHECK_THAT(error_of(role_with("    attrition: {piecewise: [[0, 0.1, 3]]}\n")),
             Catch::Contains("expected a [time, value] pair"));
  CHECK_THAT(error_of(role_with("    attrition: {piecewise: []}\n")),
             Catch::Contains("roles[a].attrition.piecewise: expected a list of [time, value]"));
  CHECK_THAT(error_of(role_with("    attrition: {steps: [[0, 1]]}\n")),
             Catch::Contains("roles[a].attrition.steps: unknown key \"steps\""));
  CHECK(load(role_with("    attrition: 1.5\n")).roles[0].attrition.value_at(0) == 1.5);
}

TEST_CASE("a DIST has exactly the parameters of its kind, checked", "[loader][values]") {
  const std::string program =
      "programs:\n  - id: p\n    type: benefit\n    eligible_roles: [a]\n    duration_months: ";
  auto with = [&](const std::string& dist) { return minimal_with(program + dist + "\n"); };
  CHECK_THAT(error_of(with("{dist: normal, mean: 3}")),
             Catch::Contains("programs[p].duration_months.dist: expected one of fixed"));
  CHECK_THAT(error_of(with("{dist: exponential, mean: 3, sd: 1}")),
             Catch::Contains("programs[p].duration_months.sd: unknown key \"sd\" for a "
                             "exponential distribution"));
  CHECK_THAT(error_of(with("{dist: lognormal, mean: 3}")),
             Catch::Contains("programs[p].duration_months.sd: missing required key \"sd\""));
  CHECK_THAT(error_of(with("{dist: exponential, mean: 0}")),
             Catch::Contains("duration_months.mean: the mean must be > 0"));
  CHECK_THAT(error_of(with("{dist: gamma, mean: 3, sd: -1}")),
             Catch::Contains("duration_months.sd: the sd must be >= 0"));
  CHECK_THAT(error_of(with("{dist: uniform, min: 3, max: 1}")),
             Catch::Contains("duration_months.max: max must be >= min"));
  CHECK_THAT(error_of(with("{dist: triangular, min: 1, mode: 5, max: 4}")),
             Catch::Contains("duration_months.max: max must be >= mode"));
  CHECK_THAT(error_of(with("{dist: uniform, min: -1, max: 1}")),
             Catch::Contains("can produce values outside the legal range"));
  CHECK_THAT(error_of(with("-2")), Catch::Contains("programs[p].duration_months: expected a "
                                                   "number >= 0, got -2"));
  CHECK_THAT(error_of(with("{mean: 3}")), Catch::Contains("missing required key \"dist\""));
  const Scenario s = load(with("{dist: fixed, value: 4}"));
  CHECK(s.programs[0].duration_months.value == 4.0);
  CHECK(load(with("{dist: gamma, mean: 9, sd: 2}")).programs[0].duration_months.kind ==
        Distribution::Kind::gamma);
  CHECK(load(with("{dist: uniform, min: 2, max: 4}")).programs[0].duration_months.max == 4.0);
}

TEST_CASE("capacity is a count or a piecewise of counts", "[loader][values]") {
  const std::string program =
      "programs:\n  - id: p\n    type: benefit\n    eligible_roles: [a]\n"
      "    duration_months: 3\n    capacity: ";
  CHECK_THAT(error_of(minimal_with(program + "2.5\n")),
             Catch::Contains("programs[p].capacity: expected a whole number >= 0 or {piecewise"));
  CHECK_THAT(error_of(minimal_with(program + "{piecewise: [[0, 10], [1, 2.5]]}\n")),
             Catch::Contains("programs[p].capacity.piecewise[1][1]: expected a whole number"));
  CHECK(load(minimal_with(program + "{piecewise: [[0, 10], [1, 20]]}\n"))
            .programs[0]
            .capacity->value_at(1.5) == 20.0);
}

TEST_CASE("an empty or reversed window is rejected", "[loader][values]") {
  const std::string program =
      "programs:\n  - id: p\n    type: benefit\n    eligible_roles: [a]\n"
      "    duration_months: 3\n    active_years: ";
  CHECK_THAT(error_of(minimal_with(program + "[2, 2]\n")),
             Catch::Contains("programs[p].active_years: empty window"));
  CHECK_THAT(error_of(minimal_with(program + "[3, 1]\n")), Catch::Contains("empty window"));
  CHECK_THAT(error_of(minimal_with(program + "[1]\n")),
             Catch::Contains("expected a window [from, to)"));
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [a], active_years: [-1, 2]}\n")),
             Catch::Contains("mentoring.active_years[0]: expected a number >= 0"));
}

TEST_CASE("tenure multipliers start at 0, increase and are >= 0", "[loader][values]") {
  CHECK_THAT(error_of(role_with("    tenure_multipliers: [[1, 2]]\n")),
             Catch::Contains("roles[a].tenure_multipliers[0][0]: the first entry must be at "
                             "tenure 0"));
  CHECK_THAT(error_of(role_with("    tenure_multipliers: [[0, 2], [0, 1]]\n")),
             Catch::Contains("tenures must be strictly increasing"));
  CHECK_THAT(error_of(role_with("    tenure_multipliers: [[0, -2]]\n")),
             Catch::Contains("roles[a].tenure_multipliers[0][1]: expected a multiplier >= 0"));
}

TEST_CASE("budgets accept a number or a piecewise per year", "[loader][values]") {
  CHECK_THAT(error_of(minimal_with("budget: {total: -1}\n")),
             Catch::Contains("budget.total: expected a number >= 0, got -1"));
  CHECK_THAT(error_of(minimal_with("budget: {per_year: {piecewise: [[0, -5]]}}\n")),
             Catch::Contains("budget.per_year.piecewise[0][1]"));
  const Scenario s = load(minimal_with("budget: {per_year: 5e6}\n"));
  CHECK(s.budget->per_year->value_at(3.0) == 5e6);
  CHECK_FALSE(s.budget->total.has_value());
}

// ---------------------------------------------------------------------------
// Cross-checks

TEST_CASE("the schema version must be 1", "[loader][checks]") {
  CHECK_THAT(error_of("wfsim: 2\nname: x\nhorizon_years: 1\nroles: [{id: a, headcount: 1}]\n"),
             Catch::Contains("test.yaml:1:8: error: wfsim: unsupported schema version 2"));
  CHECK_THAT(error_of("name: x\nhorizon_years: 1\nroles: [{id: a, headcount: 1}]\n"),
             Catch::Contains("wfsim: missing required key"));
}

TEST_CASE("names and ids follow their patterns and ids are unique", "[loader][checks]") {
  CHECK_THAT(error_of("wfsim: 1\nname: My Scenario\nhorizon_years: 1\n"
                      "roles: [{id: a, headcount: 1}]\n"),
             Catch::Contains("test.yaml:2:7: error: name: expected a name ([a-z0-9_-]+)"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nroles: [{id: A-1, headcount: 1}]\n"),
             Catch::Contains("roles[0].id: expected a role id ([a-z0-9_]+), got \"A-1\""));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nroles:\n  - {id: a, headcount: 1}\n"
                      "  - {id: a, headcount: 2}\n"),
             Catch::Contains("test.yaml:6:10: error: roles[1].id: duplicate role id \"a\" (first "
                             "used at test.yaml:5:10)"));
  CHECK_THAT(error_of(minimal_with("programs:\n  - {id: p, type: benefit, eligible_roles: [a], "
                                   "duration_months: 1}\n  - {id: p, type: benefit, "
                                   "eligible_roles: [a], duration_months: 1}\n")),
             Catch::Contains("duplicate program id \"p\""));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nroles: []\n"),
             Catch::Contains("roles: needs at least one role"));
}

TEST_CASE("the horizon and the snapshot grid are checked", "[loader][checks]") {
  const std::string tail = "roles: [{id: a, headcount: 1}]\n";
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 0\n" + tail),
             Catch::Contains("horizon_years: expected a number in (0, 1000], got 0"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1.05\n" + tail),
             Catch::Contains("horizon_years x snapshots_per_year must be a whole number"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 0.01\nsnapshots_per_year: 1\n" + tail),
             Catch::Contains("must be a whole number"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nsnapshots_per_year: 0\n" + tail),
             Catch::Contains("snapshots_per_year: expected a whole number in [1, 10000], got 0"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nreplications: 0\n" + tail),
             Catch::Contains("replications: expected a whole number in [1, 1000000000], got 0"));
  CHECK(load("wfsim: 1\nname: x\nhorizon_years: 0.25\nsnapshots_per_year: 4\n" + tail)
            .snapshot_count() == 2);
  CHECK(load("wfsim: 1\nname: x\nhorizon_years: 0.1\nsnapshots_per_year: 10\n" + tail)
            .snapshot_count() == 2);
}

TEST_CASE("negative counts are rejected", "[loader][checks]") {
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nroles: [{id: a, headcount: -5}]\n"),
             Catch::Contains("roles[a].headcount: expected a whole number >= 0, got -5"));
}

TEST_CASE("a headcount the machine cannot hold is an error, not an overflow", "[loader][checks]") {
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\n"
                      "roles: [{id: a, headcount: 1000000000000}]\n"),
             Catch::Contains("test.yaml:4:28: error: roles[a].headcount: initial positions"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\n"
                      "roles: [{id: a, headcount: 1000000000000}]\n"),
             Catch::Contains("cannot hold"));
  CHECK_THAT(error_of("wfsim: 1\nname: x\nhorizon_years: 1\nroles:\n"
                      "  - {id: a, headcount: 30000000}\n"
                      "  - {id: b, headcount: 10000000, vacancies: 9223372036854775807}\n"),
             Catch::Contains("roles[b].vacancies: initial positions"));
}

TEST_CASE("growth to more positions than the machine can hold is an error before anything runs",
          "[loader][checks]") {
  const std::string head = "wfsim: 1\nname: x\nhorizon_years: 2\nroles:\n";
  CHECK_THAT(error_of(head + "  - {id: a, headcount: 10, new_positions_per_year: 1e12}\n"),
             Catch::Contains("test.yaml:5:52: error: roles[a].new_positions_per_year: positions "
                             "(initial, and added by growth at the highest rates, over all roles) "
                             "would reach about 2e+12 over the horizon: this machine cannot hold "
                             "more than 50000000 (per replication)"));
  // n/g overflows; the storage estimate of this role once made NaN.
  CHECK_THAT(error_of(head + "  - {id: a, headcount: 10, growth: 1e-300, "
                             "new_positions_per_year: 1e300}\n"),
             Catch::Contains("roles[a].growth: positions"));
  // Summed over roles, at the highest value an uncertain rate can draw.
  CHECK_THAT(error_of(head + "  - {id: a, headcount: 20000000, growth: 0.1}\n"
                             "  - id: b\n    headcount: 20000000\n"
                             "    growth: {piecewise: [[0, 0], [1, {uncertain: "
                             "{dist: uniform, min: 0, max: 0.5}}]]}\n"),
             Catch::Contains("roles[b].growth: positions"));
  CHECK_NOTHROW(load(head + "  - {id: a, headcount: 20000000, growth: 0.1}\n"
                            "  - {id: b, headcount: 20000000, growth: 0.01}\n"));
  // Nothing to grow: an explosive rate adds no positions.
  CHECK_NOTHROW(load(head + "  - {id: a, headcount: 10}\n"
                            "  - {id: b, headcount: 0, growth: 1e300}\n"));
}

TEST_CASE("unknown role and program ids are rejected where they are used", "[loader][checks]") {
  CHECK_THAT(error_of(role_with("    transfers: {b: 0.1}\n")),
             Catch::Contains("test.yaml:7:17: error: roles[a].transfers.b: unknown role \"b\""));
  CHECK_THAT(error_of(role_with("    transfers: {a: 0.1}\n")),
             Catch::Contains("roles[a].transfers.a: a role cannot transfer to itself"));
  CHECK_THAT(
      error_of(minimal_with("automation_waves:\n  - {at_year: 1, role: aa, fraction: 0.5}\n")),
      Catch::Contains("automation_waves[0].role: unknown role \"aa\" (did you mean \"a\"?)"));
  const std::string program = "programs:\n  - id: p\n    duration_months: 1\n";
  CHECK_THAT(error_of(minimal_with(program + "    type: benefit\n    eligible_roles: [a, z]\n")),
             Catch::Contains("programs[p].eligible_roles[1]: unknown role \"z\""));
  CHECK_THAT(error_of(minimal_with(program + "    type: reskilling\n    eligible_roles: [a]\n"
                                             "    target_roles: {q: 1}\n")),
             Catch::Contains("programs[p].target_roles.q: unknown role \"q\""));
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [x]}\n")),
             Catch::Contains("mentoring.mentor_roles[0]: unknown role \"x\""));
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [a], open_to_roles: [y]}\n")),
             Catch::Contains("mentoring.open_to_roles[0]: unknown role \"y\""));
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [a], programs: [nope]}\n")),
             Catch::Contains("mentoring.programs[0]: unknown program \"nope\""));
}

TEST_CASE("target_roles are required for reskilling and only allowed there", "[loader][checks]") {
  const std::string program =
      "programs:\n  - id: p\n    duration_months: 1\n    eligible_roles: [a]\n";
  CHECK_THAT(error_of(minimal_with(program + "    type: reskilling\n")),
             Catch::Contains("test.yaml:8:5: error: programs[p].target_roles: missing required"));
  CHECK_THAT(error_of(minimal_with(program + "    type: upskilling\n    target_roles: {a: 1}\n")),
             Catch::Contains("target_roles is only allowed for reskilling programs"));
  CHECK_THAT(error_of(minimal_with(program + "    type: reskilling\n    target_roles: {a: 0}\n")),
             Catch::Contains("programs[p].target_roles.a: expected a weight > 0, got 0"));
  CHECK_THAT(error_of(minimal_with(program + "    type: training\n")),
             Catch::Contains("programs[p].type: expected one of reskilling, upskilling, "
                             "outskilling, benefit, got \"training\""));
}

TEST_CASE("probabilities, fractions, multipliers and money are range-checked", "[loader][checks]") {
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [a], mentor_share: 1.5}\n")),
             Catch::Contains("mentoring.mentor_share: expected a number in [0, 1], got 1.5"));
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [a], mentees_per_mentor: 0}\n")),
             Catch::Contains("mentoring.mentees_per_mentor: expected a whole number in [1"));
  CHECK_THAT(error_of(minimal_with("mentoring: {mentor_roles: [a], effects: "
                                   "{mentee_attrition_multiplier: -1}}\n")),
             Catch::Contains("mentoring.effects.mentee_attrition_multiplier: expected a number "
                             ">= 0"));
  CHECK_THAT(error_of(minimal_with("automation_waves:\n  - {at_year: 1, role: a, fraction: 0}\n")),
             Catch::Contains("automation_waves[0].fraction: expected a number in (0, 1], got 0"));
  CHECK_THAT(error_of(minimal_with("automation_waves:\n  - {at_year: 3, role: a, fraction: 1}\n")),
             Catch::Contains("automation_waves[0].at_year: expected a time in [0, horizon_years]"));
  CHECK_THAT(error_of(role_with("    hiring: {cost: -4000}\n")),
             Catch::Contains("roles[a].hiring.cost: expected a number >= 0, got -4000"));
  CHECK_THAT(error_of(minimal_with("displacement: {first: layoff}\n")),
             Catch::Contains("displacement.first: expected one of redeploy, reskill"));
  CHECK_THAT(error_of(minimal_with("programs:\n  - {id: p, type: benefit, eligible_roles: [a], "
                                   "duration_months: 1, cost: {fixed: -1}}\n")),
             Catch::Contains("programs[p].cost.fixed: expected a number >= 0"));
}

TEST_CASE("uncertain parameters are validated like the numbers they stand for",
          "[loader][checks]") {
  CHECK(
      error_of(role_with("    attrition: {uncertain: {dist: uniform, min: 0, max: 1}}\n")).empty());
  CHECK_THAT(error_of(role_with("    attrition: {uncertain: {dist: uniform, min: -1, max: 1}}\n")),
             Catch::Contains("test.yaml:7:28: error: roles[a].attrition.uncertain: the uniform "
                             "distribution's support (-1, 1) leaves the legal range"));
  CHECK_THAT(error_of(minimal_with("budget: {total: {uncertain: {dist: fixed, value: -1}}}\n")),
             Catch::Contains("budget.total.uncertain: the fixed distribution's support {-1} "
                             "leaves the legal range (expected a number >= 0)"));
}

// ---------------------------------------------------------------------------
// Composition

namespace {
const char* const kBase = R"(wfsim: 1
name: base
description: the base
horizon_years: 4
replications: 50
roles:
  - id: a
    headcount: 100
    attrition: {piecewise: [[0, 0.1], [2, 0.2]]}
    hiring: {cost: 10, time_to_fill_months: 2}
  - id: b
    headcount: 20
programs:
  - id: p
    type: reskilling
    eligible_roles: [a]
    target_roles: {b: 1}
    duration_months: {dist: lognormal, mean: 9, sd: 2}
  - id: q
    type: benefit
    eligible_roles: [a]
    duration_months: 3
budget: {total: 1000}
)";
}  // namespace

TEST_CASE("extends deep-merges a file over its base", "[loader][extends]") {
  const fs::path dir = scratch_dir("extends");
  fs::create_directories(dir / "sub");
  write_file(dir / "base.yaml", kBase);
  write_file(dir / "sub" / "policy.yaml", R"(wfsim: 1
name: policy
extends: ../base.yaml
remove: [programs.q]
roles:
  - id: a
    attrition: 0.5
    hiring: {cost: 20}
  - id: c
    headcount: 5
programs:
  - id: p
    target_roles: {c: 2}
    duration_months: 6
budget: {per_year: 100}
)");
  const Scenario s = load_scenario_file((dir / "sub" / "policy.yaml").string());
  CHECK(s.name == "policy");
  CHECK(s.description == "the base");
  CHECK(s.horizon_years == 4.0);
  CHECK(s.replications == 50);
  REQUIRE(s.roles.size() == 3);
  CHECK(s.roles[0].headcount == 100);
  CHECK(s.roles[0].attrition.is_constant());  // a RATE is replaced whole
  CHECK(s.roles[0].attrition.value_at(3) == 0.5);
  CHECK(s.roles[0].hiring.cost == 20.0);
  CHECK(s.roles[0].hiring.time_to_fill_months == 2.0);  // maps merge by key
  CHECK(s.roles[2].id == "c");
  REQUIRE(s.programs.size() == 1);  // q removed
  CHECK(s.programs[0].target_roles ==
        std::vector<std::pair<std::string, double>>{{"c", 2.0}});  // replaced whole
  CHECK(s.programs[0].duration_months.kind == Distribution::Kind::fixed);
  CHECK(s.budget->total == 1000.0);
  CHECK(s.budget->per_year->value_at(0) == 100.0);
  // The resolved text is self-contained.
  CHECK(s.resolved_yaml.find("extends") == std::string::npos);
  require_same(s, load_scenario_text(s.resolved_yaml, "resolved.yaml"));
  fs::remove_all(dir);
}

TEST_CASE("the name is never inherited through extends", "[loader][extends]") {
  const fs::path dir = scratch_dir("extends_name");
  write_file(dir / "base.yaml", kBase);
  write_file(dir / "child.yaml", "wfsim: 1\nextends: base.yaml\n");
  CHECK_THAT(file_error_of((dir / "child.yaml").string()),
             Catch::Contains("name: missing required key \"name\""));
  fs::remove_all(dir);
}

TEST_CASE("extends cycles and missing bases are reported with file:line:col", "[loader][extends]") {
  const fs::path dir = scratch_dir("extends_errors");
  write_file(dir / "a.yaml", "wfsim: 1\nname: a\nextends: b.yaml\n");
  write_file(dir / "b.yaml", "wfsim: 1\nname: b\nextends: a.yaml\n");
  write_file(dir / "c.yaml", "wfsim: 1\nname: c\nextends: nowhere.yaml\n");
  write_file(dir / "d.yaml", "wfsim: 1\nname: d\nremove: [programs.p]\n");
  write_file(dir / "e.yaml", "wfsim: 1\nname: e\nextends: base.yaml\nremove: [programs.zz]\n");
  write_file(dir / "base.yaml", kBase);
  const std::string cycle = file_error_of((dir / "a.yaml").string());
  CHECK_THAT(cycle, Catch::Contains("b.yaml:3:10: error: extends: extends cycle"));
  CHECK_THAT(file_error_of((dir / "c.yaml").string()),
             Catch::Contains("c.yaml:3:10: error: extends: cannot load base scenario "
                             "\"nowhere.yaml\""));
  CHECK_THAT(file_error_of((dir / "d.yaml").string()),
             Catch::Contains("d.yaml:3:9: error: remove: remove is only allowed together with "
                             "extends"));
  CHECK_THAT(file_error_of((dir / "e.yaml").string()),
             Catch::Contains("e.yaml:4:10: error: remove[0]: nothing to remove at "
                             "\"programs.zz\""));
  fs::remove_all(dir);
}

TEST_CASE("a scenario and its bases share the byte budget of one file", "[loader][extends]") {
  const fs::path dir = scratch_dir("extends_budget");
  // Each file is within the limit of one file; the three together are not.
  const std::string padding(400 * 1024, '#');
  write_file(dir / "base.yaml", std::string(kBase) + padding + "\n");
  write_file(dir / "middle.yaml", "wfsim: 1\nname: middle\nextends: base.yaml\n" + padding + "\n");
  write_file(dir / "top.yaml", "wfsim: 1\nname: top\nextends: middle.yaml\n" + padding + "\n");
  CHECK_NOTHROW(wfsim::models::load_scenario_file((dir / "middle.yaml").string()));
  CHECK_THAT(file_error_of((dir / "top.yaml").string()),
             Catch::Contains("middle.yaml:3:10: error: extends: the scenario and its bases hold "
                             "more than 1048576 bytes in all"));
  fs::remove_all(dir);
}

TEST_CASE("overrides apply after merging", "[loader][extends]") {
  const fs::path dir = scratch_dir("extends_set");
  write_file(dir / "base.yaml", kBase);
  write_file(dir / "child.yaml", "wfsim: 1\nname: child\nextends: base.yaml\n");
  const Scenario s =
      load_scenario_file((dir / "child.yaml").string(), {parse_override("roles.b.attrition=0.3")});
  CHECK(s.roles[1].attrition.value_at(0) == 0.3);
  fs::remove_all(dir);
}

// ---------------------------------------------------------------------------
// Overrides

TEST_CASE("an override argument splits into path and value", "[loader][set]") {
  const Override o = parse_override("roles.fc_associate.attrition=1.2");
  CHECK(o.path == "roles.fc_associate.attrition");
  CHECK(o.value_yaml == "1.2");
  CHECK(parse_override("a.b=x=y").value_yaml == "x=y");
  CHECK_THROWS_AS(parse_override("roles.a.attrition"), InputError);
  CHECK_THROWS_AS(parse_override("=3"), InputError);
  CHECK_THROWS_AS(parse_override("roles..a=3"), InputError);
}

TEST_CASE("overrides replace values by id, by index and create missing map keys", "[loader][set]") {
  const Scenario s = load(
      kFull, {parse_override("roles.fc_associate.attrition=1.2"),
              parse_override("programs.technical_academy.capacity=3000"),
              parse_override("programs.technical_academy.cost.fixed=10"),
              parse_override("automation_waves.0.fraction=0.5"),
              parse_override("roles.customer_service.hiring.cost=7"),
              parse_override("roles.data_analyst.attrition={piecewise: [[0, 0.1], [2, 0.2]]}")});
  CHECK(s.roles[0].attrition.value_at(0) == 1.2);
  CHECK(s.programs[0].capacity->value_at(5) == 3000.0);
  CHECK(s.programs[0].cost.fixed == 10.0);
  CHECK(s.programs[0].cost.per_month == 400.0);
  CHECK(s.automation_waves[0].fraction == 0.5);
  CHECK(s.roles[1].hiring.cost == 7.0);
  CHECK(s.roles[2].attrition.value_at(2.5) == 0.2);
  CHECK(s.resolved_yaml.find("attrition: 1.2") != std::string::npos);

  const Scenario b = load(kMinimal, {parse_override("budget.total=7e8")});
  REQUIRE(b.budget.has_value());
  CHECK(b.budget->total == 7e8);
  // The resolved text is the scenario after overrides.
  require_same(b, load_scenario_text(b.resolved_yaml, "resolved.yaml"));
}

TEST_CASE("an override naming a missing list item is an error naming the path", "[loader][set]") {
  CHECK_THAT(error_of(kMinimal, {parse_override("roles.zz.attrition=1")}),
             Catch::Contains("--set roles.zz.attrition: error: no item \"zz\" in roles "
                             "(items: a)"));
  CHECK_THAT(error_of(kMinimal, {parse_override("automation_waves.3.fraction=1")}),
             Catch::Contains("automation_waves.3.fraction"));
  CHECK_THAT(error_of(kMinimal, {parse_override("horizon_years.x=1")}),
             Catch::Contains("horizon_years is a single value"));
}

TEST_CASE("errors in overridden values name the --set origin", "[loader][set]") {
  CHECK_THAT(error_of(kMinimal, {parse_override("roles.a.attrition=high")}),
             Catch::Contains("--set roles.a.attrition: error: roles[a].attrition: expected a "
                             "RATE"));
  CHECK_THAT(error_of(kMinimal, {parse_override("roles.a.atrition=1")}),
             Catch::Contains("--set roles.a.atrition: error: roles[a].atrition: unknown key"));
  CHECK_THAT(error_of(kMinimal, {parse_override("roles.a.attrition=[1, ")}),
             Catch::Contains("--set roles.a.attrition: error: invalid YAML"));
  CHECK_THAT(error_of(kMinimal, {parse_override("roles.a.attrition=&x 1")}),
             Catch::Contains("--set roles.a.attrition: error: anchors"));
  CHECK_THAT(error_of(kMinimal, {parse_override("roles.a.attrition=")}),
             Catch::Contains("--set roles.a.attrition: error: roles[a].attrition: missing value"));
}

// ---------------------------------------------------------------------------
// Documentation

TEST_CASE("the parameter reference lists every section and key", "[loader][docs]") {
  const std::string doc = wfsim::models::parameter_reference_markdown();
  for (const char* needle :
       {"## `scenario`", "## `roles[]`", "## `roles[].hiring`", "## `automation_waves[]`",
        "## `displacement`", "## `programs[]`", "## `programs[].cost`", "## `mentoring`",
        "## `mentoring.effects`", "## `budget`", "| `attrition` | RATE |",
        "| `mentor_share` | number |", "[0, 1]", "| `time_to_fill_months` |"}) {
    INFO(needle);
    CHECK(doc.find(needle) != std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// Bad-scenario corpus and hostile input

TEST_CASE("every file of the bad-scenario corpus is rejected with its expected message",
          "[loader][corpus]") {
  const fs::path dir = fs::path(WFSIM_TEST_DATA_DIR) / "bad_scenarios";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    fs::path expected_path = entry.path();
    expected_path.replace_extension(".expected");
    INFO("scenario: " << entry.path().filename().string());
    REQUIRE(fs::exists(expected_path));
    std::string expected = read_file(expected_path);
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
      expected.pop_back();
    const std::string message = file_error_of(entry.path().string());
    INFO("message: " << message);
    CHECK_FALSE(message.empty());
    CHECK(message.find(expected) != std::string::npos);
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("hostile inputs are rejected within a second each", "[loader][hostile]") {
  const fs::path dir = scratch_dir("hostile");
  struct Case {
    std::string name;
    std::string content;
    std::string expected;
  };
  std::vector<Case> cases;
  cases.push_back({"deep_flow", std::string(200000, '['), "nesting deeper than 64"});
  {
    std::string block;
    for (int i = 0; i < 200000; ++i) block += "- ";
    cases.push_back({"deep_block", block, "nesting deeper than 64"});
  }
  {
    std::string maps;
    for (int i = 0; i < 100000; ++i) maps += "{a: ";
    cases.push_back({"deep_maps", maps, "nesting deeper than 64"});
  }
  {
    std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    std::string previous = "a";
    for (char name = 'b'; name <= 'j'; ++name) {
      bomb += std::string(1, name) + ": &" + name + " [";
      for (int k = 0; k < 9; ++k) bomb += (k ? ",*" : "*") + previous;
      bomb += "]\n";
      previous = std::string(1, name);
    }
    cases.push_back({"alias_bomb", bomb, "anchors (&a) are not supported"});
  }
  {
    std::mt19937 rng(20240611);
    std::string junk(20000, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xFF);
    cases.push_back({"random_bytes", junk, "error:"});
    std::string ascii(20000, ' ');
    for (char& c : ascii) c = static_cast<char>(32 + rng() % 95);
    cases.push_back({"random_ascii", ascii, "error:"});
  }
  cases.push_back({"empty", "", "scenario is empty"});
  cases.push_back({"huge_headcount",
                   "wfsim: 1\nname: x\nhorizon_years: 1\nroles: [{id: a, headcount: "
                   "1000000000000}]\n",
                   "cannot hold"});
  cases.push_back({"self_alias", "a: &a [*a]\n", "anchors (&a)"});
  cases.push_back({"comma", ",", "error:"});
  for (const Case& c : cases) {
    const fs::path path = dir / (c.name + ".yaml");
    write_file(path, c.content);
    const auto start = std::chrono::steady_clock::now();
    const std::string message = file_error_of(path.string());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(c.name << ": " << message << " in " << seconds << " s");
    CHECK(message.rfind(path.string() + ":", 0) == 0);
    CHECK(message.find(c.expected) != std::string::npos);
    REQUIRE(seconds < 1.0);
  }
  // Special files.
  const fs::path fifo = dir / "fifo.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const fs::path& path : {dir, fifo}) {
    const auto start = std::chrono::steady_clock::now();
    const std::string message = file_error_of(path.string());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(message);
    const bool special = message.find("not a regular file") != std::string::npos ||
                         message.find("is a directory") != std::string::npos;
    CHECK(special);
    REQUIRE(seconds < 1.0);
  }
  fs::remove_all(dir);
}
