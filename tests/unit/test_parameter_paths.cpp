// Numbers set at a PATH go into their typed fields through the parameter
// table, with the path grammar of --set.
#include <catch2/catch.hpp>
#include <string>

#include "wfsim/engine/error.h"
#include "wfsim/models/parameters.h"
#include "wfsim/models/scenario_loader.h"

using wfsim::engine::InputError;
using wfsim::models::Scenario;
using wfsim::models::set_number_at_path;

namespace {

Scenario example() {
  return wfsim::models::load_scenario_text(R"(wfsim: 1
name: paths
horizon_years: 4
roles:
  - id: a
    headcount: 10
    attrition: {piecewise: [[0, 0.1], [1, 0.2]]}
    tenure_multipliers: [[0, 2], [1, 1]]
    transfers: {b: 0.05}
  - id: b
    headcount: 5
automation_waves:
  - {at_year: 1, role: a, fraction: 0.5}
programs:
  - id: p
    type: reskilling
    eligible_roles: [a]
    target_roles: {b: 1}
    duration_months: 6
mentoring:
  mentor_roles: [b]
)",
                                           "paths.yaml");
}

}  // namespace

TEST_CASE("a number set at a path lands in its typed field", "[loader][paths]") {
  Scenario s = example();
  set_number_at_path(s, "roles.a.attrition.piecewise.1.1", 0.3);
  CHECK(s.roles[0].attrition.value_at(0.5) == 0.1);
  CHECK(s.roles[0].attrition.value_at(2.0) == 0.3);
  set_number_at_path(s, "roles.b.attrition", 0.4);
  CHECK(s.roles[1].attrition.is_constant());
  CHECK(s.roles[1].attrition.value_at(3.0) == 0.4);
  set_number_at_path(s, "roles.a.tenure_multipliers.1.1", 0.5);
  CHECK(s.roles[0].tenure_multipliers[1].second == 0.5);
  set_number_at_path(s, "roles.a.transfers.b", 0.07);
  CHECK(s.roles[0].transfers[0].second.value_at(0.0) == 0.07);
  set_number_at_path(s, "roles.a.hiring.cost", 4000);
  CHECK(s.roles[0].hiring.cost == 4000);
  set_number_at_path(s, "automation_waves.0.fraction", 0.25);
  CHECK(s.automation_waves[0].fraction == 0.25);
  set_number_at_path(s, "programs.p.target_roles.b", 2.5);
  CHECK(s.programs[0].target_roles[0].second == 2.5);
  set_number_at_path(s, "programs.p.capacity", 30);
  CHECK(s.programs[0].capacity->value_at(0.0) == 30);
  set_number_at_path(s, "programs.p.duration_months", 9);
  CHECK(s.programs[0].duration_months.value == 9);
  set_number_at_path(s, "programs.p.budget", 1e6);
  CHECK(*s.programs[0].budget == 1e6);
  set_number_at_path(s, "mentoring.mentees_per_mentor", 3);
  CHECK(s.mentoring->mentees_per_mentor == 3);
  set_number_at_path(s, "displacement.redeployment_window_months", 1.5);
  CHECK(s.displacement.redeployment_window_months == 1.5);
}

TEST_CASE("a path that leads to no number, or a value out of range, is refused",
          "[loader][paths]") {
  Scenario s = example();
  const auto refused = [&](const std::string& path, double value, const std::string& why) {
    try {
      set_number_at_path(s, path, value);
      FAIL("accepted " << path);
    } catch (const InputError& error) {
      CHECK_THAT(error.what(), Catch::Contains(path) && Catch::Contains(why));
    }
  };
  refused("roles.c.attrition", 0.1, "no item c");
  refused("roles.a.attrtion", 0.1, "no key attrtion");
  refused("roles.a.attrition", -1, "outside its legal range");
  refused("roles.a.headcount", 2.5, "not a whole number");
  refused("roles.a.attrition.piecewise.2.1", 0.1, "piecewise.<i>.1");
  refused("roles.a.transfers.a", 0.1, "does not set a");
  refused("automation_waves.1.fraction", 0.1, "no item 1");
  refused("roles.a.hiring", 1, "names a section");
  refused("budget.total", 1, "has no budget");
  refused("programs.p.eligible_roles", 1, "does not hold a number");
}
