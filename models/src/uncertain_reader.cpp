#include "uncertain_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "node_values.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/uncertainty.h"

namespace wfsim::models::detail {

using engine::InputError;

double Uncertainty::value(const YamlNode& node, const std::string& path, const Range& range,
                          bool count, const std::string& expected) {
  static const std::vector<std::string> keys = {"uncertain", "shared"};
  for (const YamlEntry& entry : node.entries)
    if (std::find(keys.begin(), keys.end(), entry.key) == keys.end())
      throw InputError(entry.key_mark(), join(path, entry.key),
                       "unknown key \"" + entry.key + "\" in {uncertain: DIST, shared: NAME}" +
                           suggestion(entry.key, keys));
  UncertainParameter p;
  p.path = spec_path(path);
  p.origin = node.mark().to_string();
  p.count = count;
  const YamlNode& dist_node = *node.find("uncertain");
  const std::string dist_path = join(path, "uncertain");
  p.dist = to_distribution(dist_node, dist_path, Range{});
  if (const YamlNode* shared = node.find("shared")) {
    const std::string shared_path = join(path, "shared");
    const std::string expected_name = "a NAME ([a-z0-9_]+)";
    p.shared = to_text(*shared, shared_path, expected_name);
    if (!matches(p.shared, false) || p.shared.size() > kMaxIdLength)
      fail(*shared, shared_path, "expected " + expected_name + ", got " + got(*shared));
  }
  const std::string kind = distribution_name(p.dist.kind);
  // The support: a point, or an interval whose ends have probability 0 (so
  // uniform(0, 0.2) suits a range (0, 1]).
  const auto [lo, hi] = p.dist.support();
  const bool inside = lo == hi ? range.contains(lo)
                               : (std::isinf(range.lo) || lo >= range.lo) &&
                                     (std::isinf(range.hi) || hi <= range.hi);
  if (!inside) {
    const std::string support =
        lo == hi ? fmt::format("{{{}}}", lo) : fmt::format("({}, {})", lo, hi);
    fail(dist_node, dist_path,
         "the " + kind + " distribution's support " + support +
             " leaves the legal range (expected " + expected + ")");
  }
  // What a replication can actually draw: F⁻¹ at the extreme levels (a
  // quantile that underflows to 0, or overflows, would leave the range).
  try {
    p.nominal = parameter_value(p, 0.5);
    p.lowest = parameter_value(p, engine::RandomStream::kLevelMin);
    p.highest = parameter_value(p, engine::RandomStream::kLevelMax);
  } catch (const std::exception&) {
    fail(dist_node, dist_path,
         "cannot compute the quantiles of this " + kind +
             " distribution (its parameters are too extreme)");
  }
  for (double extreme : {p.lowest, p.highest})
    if (!std::isfinite(extreme) || !range.contains(extreme))
      fail(dist_node, dist_path,
           "the " + kind + " distribution can draw " + fmt::format("{}", extreme) +
               ", outside the legal range (expected " + expected + ")");
  parameters_.push_back(p);
  return p.nominal;
}

}  // namespace wfsim::models::detail
