#include "console.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace wfsim::cli {

std::string format_number(double value) {
  if (std::isnan(value)) return "n/a";
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e6) return fmt::format("{:.4g}", value);
  if (magnitude >= 100 || value == std::round(value)) return fmt::format("{:.0f}", value);
  return fmt::format("{:.3g}", value);
}

void print_kpi_table(std::FILE* out, const std::vector<models::KpiRow>& rows) {
  fmt::print(out, "{:<20} {:>14} {:>29}\n", "KPI", "mean", "95% CI");
  for (const models::KpiRow& row : rows) {
    const auto& ci = row.interval;
    std::string interval = std::isnan(ci.half_width)
                               ? std::string("n/a")
                               : fmt::format("[{}, {}]", format_number(ci.mean - ci.half_width),
                                             format_number(ci.mean + ci.half_width));
    fmt::print(out, "{:<20} {:>14} {:>29}\n", row.name, format_number(ci.mean), interval);
  }
}

void print_parameter_table(std::FILE* out, const std::vector<ParameterRow>& rows) {
  std::size_t width = 20;
  for (const ParameterRow& row : rows) width = std::max(width, row.name.size());
  fmt::print(out, "{:<{}} {:>12} {:>12} {:>12}\n", "uncertain parameter", width, "p05", "median",
             "p95");
  for (const ParameterRow& row : rows)
    fmt::print(out, "{:<{}} {:>12} {:>12} {:>12}\n", row.name, width,
               format_number(row.summary.p05), format_number(row.summary.p50),
               format_number(row.summary.p95));
}

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled) {}

void ProgressBar::update(const engine::RunProgress& progress) {
  if (!enabled_ || progress.total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && progress.done < progress.total && now - last_draw_ < std::chrono::milliseconds(100))
    return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(progress.done) / progress.total;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string eta = "--";
  if (progress.done > 0) {
    const double remaining = progress.elapsed_seconds / fraction - progress.elapsed_seconds;
    eta = fmt::format("{:.0f}s", remaining);
  }
  fmt::print(stderr, "\r[{}{}] {}/{} replications, ETA {}   ", std::string(filled, '#'),
             std::string(kWidth - filled, ' '), progress.done, progress.total, eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) fmt::print(stderr, "\n");
  drawn_ = false;  // the next run draws its own bar
}

}  // namespace wfsim::cli
