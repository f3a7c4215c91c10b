// Time in the model is in years. Keys of the scenario language that end in
// _months (and costs per month) are converted once, when the model is
// compiled (workforce.cpp), not in the event loop; what stays in months is a
// draw of a DIST in months (a program's duration, converted as it is drawn)
// and the money of per-month costs, priced on integrals in years.
#pragma once

namespace wfsim::models {

inline constexpr double kMonthsPerYear = 12.0;

inline constexpr double months_to_years(double months) {
  return months / kMonthsPerYear;
}

inline constexpr double per_month_to_per_year(double per_month) {
  return per_month * kMonthsPerYear;
}

}  // namespace wfsim::models
