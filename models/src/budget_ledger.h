// Commitments of program money against the caps of SPEC §2 "Budget": the
// scenario's total, each program's own budget and the cap of the budget year
// in which an enrolment is made.
#pragma once

#include <optional>
#include <vector>

#include "wfsim/engine/piecewise.h"
#include "wfsim/models/scenario.h"

namespace wfsim::models::detail {

class BudgetLedger {
 public:
  BudgetLedger(const std::optional<Budget>& budget, const std::vector<Program>& programs,
               double horizon);

  // Whether committing `amount` to `program` at time t fits all three caps.
  bool fits(int program, double t, double amount) const;
  void commit(int program, double t, double amount);
  // An early exit gives the unspent part back to the total and the
  // program's budget; the year's cap is not replenished.
  void release(int program, double amount);

  double committed_total() const { return committed_total_; }
  double committed(int program) const { return committed_by_program_[program]; }
  double committed_in_year(int year) const { return committed_by_year_[year]; }
  int years() const { return static_cast<int>(committed_by_year_.size()); }
  double total_cap() const { return total_cap_; }
  double program_cap(int program) const { return program_caps_[program]; }
  double year_cap(int year) const;
  static int year_of(double t);

 private:
  double total_cap_;
  std::optional<engine::PiecewiseConstant> per_year_;
  std::vector<double> program_caps_;
  double committed_total_ = 0.0;
  std::vector<double> committed_by_program_;
  std::vector<double> committed_by_year_;
};

}  // namespace wfsim::models::detail
