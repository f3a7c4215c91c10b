#include "wfsim/models/scenario.h"

#include <cmath>

namespace wfsim::models {

int Scenario::snapshot_count() const {
  return static_cast<int>(std::llround(horizon_years * snapshots_per_year)) + 1;
}

std::int64_t Scenario::initial_employees() const {
  std::int64_t total = 0;
  for (const Role& role : roles) total += role.headcount;
  return total;
}

int Scenario::role_index(const std::string& id) const {
  for (std::size_t i = 0; i < roles.size(); ++i)
    if (roles[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace wfsim::models
