// The parameter table seen from outside the loader: the defaults of the
// scenario language for scenarios built in code (a struct of scenario.h
// holding every default of the table, the one place defaults are declared;
// optional sections left absent), and numbers set at a PATH in their typed
// fields.
#pragma once

#include <string>

#include "wfsim/models/scenario.h"

namespace wfsim::models {

// Defined for Scenario, Role, Hiring, AutomationWave, Displacement, Program,
// ProgramCost, WhileEnrolled, AfterCompletion, Mentoring, MentoringEffects
// and Budget.
template <class T>
T with_defaults();

// Sets the number at PATH (as in `--set`: `roles.a.attrition`,
// `programs.x.cost.fixed`, `automation_waves.0.fraction`, a piece of a RATE
// `roles.a.attrition.piecewise.1.1`, a tenure multiplier
// `roles.a.tenure_multipliers.2.1`, `programs.x.target_roles.b`) in its
// typed field: a RATE or a DIST set whole becomes that constant. Throws
// engine::InputError naming the path when it leads to no number, or the
// value is outside the key's legal range (or not whole for a count). Cross-
// checks of the loader (ids, sizes) are not run again: the caller keeps
// values within what was validated.
void set_number_at_path(Scenario& scenario, const std::string& path, double value);

}  // namespace wfsim::models
