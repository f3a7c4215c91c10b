#include "wfsim/models/sweep.h"

#include <fmt/core.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "wfsim/engine/error.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/scenario_loader.h"

namespace wfsim::models {

namespace {

using engine::InputError;
using engine::SourceMark;

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const std::size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(trimmed(text.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

double parse_number(const std::string& text, const std::string& argument) {
  const SourceMark mark{"--vary"};
  if (text.empty()) throw InputError(mark, "", fmt::format("empty value in '{}'", argument));
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value))
    throw InputError(mark, "",
                     fmt::format("'{}' in '{}' is not a finite number (sweep values are numbers)",
                                 text, argument));
  return value;
}

}  // namespace

VarySpec parse_vary(const std::string& argument) {
  const SourceMark mark{"--vary"};
  const std::size_t equals = argument.find('=');
  if (equals == std::string::npos)
    throw InputError(mark, "",
                     fmt::format("expected PATH=v1,v2,... or PATH=lo:hi:n or PATH=lo:hi, got '{}' "
                                 "(no '=')",
                                 argument));
  VarySpec spec;
  spec.path = parse_override(argument.substr(0, equals) + "=0").path;
  const std::string rest = trimmed(argument.substr(equals + 1));
  if (rest.find(':') != std::string::npos) {
    const std::vector<std::string> parts = split(rest, ':');
    if (parts.size() != 2 && parts.size() != 3)
      throw InputError(mark, spec.path, fmt::format("expected lo:hi:n or lo:hi, got '{}'", rest));
    spec.low = parse_number(parts[0], argument);
    spec.high = parse_number(parts[1], argument);
    if (spec.low > spec.high)
      throw InputError(mark, spec.path,
                       fmt::format("lo {} is above hi {} in '{}'", spec.low, spec.high, argument));
    if (parts.size() == 2) {
      spec.is_range = true;
      return spec;
    }
    const double n = parse_number(parts[2], argument);
    if (n != std::round(n) || n < 2 || n > 1e6)
      throw InputError(
          mark, spec.path,
          fmt::format("n in lo:hi:n must be a whole number from 2, got '{}'", parts[2]));
    const auto count = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i < count; ++i) {
      const double value = i + 1 == count
                               ? spec.high
                               : spec.low + (spec.high - spec.low) * static_cast<double>(i) /
                                                static_cast<double>(count - 1);
      spec.values.push_back(value);
      spec.written.emplace_back();
    }
    return spec;
  }
  for (const std::string& text : split(rest, ',')) {
    spec.values.push_back(parse_number(text, argument));
    spec.written.push_back(text);
  }
  return spec;
}

std::vector<SweepPoint> grid_points(const std::vector<VarySpec>& axes) {
  std::vector<SweepPoint> points{SweepPoint{}};
  for (const VarySpec& axis : axes) {
    if (axis.is_range)
      throw InputError(SourceMark{"--vary"}, axis.path,
                       fmt::format("a range lo:hi is for --lhs; a grid needs v1,v2,... or lo:hi:n "
                                   "({}:{}:n)",
                                   axis.low, axis.high));
    std::vector<SweepPoint> next;
    for (const SweepPoint& point : points)
      for (std::size_t i = 0; i < axis.values.size(); ++i) {
        SweepPoint p = point;
        p.values.push_back(axis.values[i]);
        p.written.push_back(axis.written[i]);
        next.push_back(std::move(p));
      }
    points = std::move(next);
  }
  return points;
}

std::vector<SweepPoint> latin_hypercube(const std::vector<VarySpec>& ranges, std::size_t n,
                                        std::uint64_t seed) {
  if (n < 1) throw InputError(SourceMark{"--lhs"}, "", "the sample size N must be at least 1");
  std::vector<SweepPoint> points(n);
  engine::RandomStream stream(engine::mix64(seed ^ kLhsStreamKey));
  for (const VarySpec& range : ranges) {
    if (!range.is_range)
      throw InputError(SourceMark{"--vary"}, range.path,
                       "with --lhs every --vary is a range PATH=lo:hi");
    std::vector<std::size_t> stratum(n);
    for (std::size_t j = 0; j < n; ++j) stratum[j] = j;
    for (std::size_t j = n - 1; j > 0; --j) {
      const std::size_t k = static_cast<std::size_t>(stream() % (j + 1));
      std::swap(stratum[j], stratum[k]);
    }
    const double width = (range.high - range.low) / static_cast<double>(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double u = stream.uniform_open();
      double value = range.low + width * (static_cast<double>(stratum[k]) + u);
      value = std::min(std::max(value, range.low), range.high);
      points[k].values.push_back(value);
      points[k].written.emplace_back();
    }
  }
  return points;
}

}  // namespace wfsim::models
