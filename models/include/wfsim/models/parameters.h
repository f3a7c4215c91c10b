// The defaults of the scenario language for scenarios built in code: a
// struct of scenario.h holding every default of the parameter table (the
// one place defaults are declared), optional sections left absent.
#pragma once

#include "wfsim/models/scenario.h"

namespace wfsim::models {

// Defined for Scenario, Role, Hiring, AutomationWave, Displacement, Program,
// ProgramCost, WhileEnrolled, AfterCompletion, Mentoring, MentoringEffects
// and Budget.
template <class T>
T with_defaults();

}  // namespace wfsim::models
