#include "budget_ledger.h"

#include <algorithm>
#include <cmath>

namespace wfsim::models::detail {

BudgetLedger::BudgetLedger(const std::optional<Budget>& budget,
                           const std::vector<Program>& programs, double horizon)
    : total_cap_(budget && budget->total ? *budget->total : engine::kNever),
      committed_by_program_(programs.size(), 0.0),
      committed_by_year_(static_cast<std::size_t>(std::ceil(horizon)) + 1, 0.0) {
  if (budget) per_year_ = budget->per_year;
  for (const Program& program : programs)
    program_caps_.push_back(program.budget ? *program.budget : engine::kNever);
}

int BudgetLedger::year_of(double t) {
  return static_cast<int>(std::floor(t));
}

double BudgetLedger::year_cap(int year) const {
  return per_year_ ? per_year_->value_at(year) : engine::kNever;
}

bool BudgetLedger::fits(int program, double t, double amount) const {
  const int year = std::min(year_of(t), years() - 1);
  return committed_total_ + amount <= total_cap_ &&
         committed_by_program_[program] + amount <= program_caps_[program] &&
         committed_by_year_[year] + amount <= year_cap(year);
}

void BudgetLedger::commit(int program, double t, double amount) {
  committed_total_ += amount;
  committed_by_program_[program] += amount;
  committed_by_year_[std::min(year_of(t), years() - 1)] += amount;
}

void BudgetLedger::release(int program, double amount) {
  committed_total_ -= amount;
  committed_by_program_[program] -= amount;
}

}  // namespace wfsim::models::detail
